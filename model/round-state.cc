/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-state.h"

#include "input-error.h"
#include "split-cost-model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>

namespace ns3
{

uint32_t
RoundState::MaxAlpha(uint32_t n) const
{
    uint32_t limit = layers - 1;
    const uint32_t memory = users[n].maxDeviceLayers;
    return memory > 0 ? std::min(limit, memory) : limit;
}

uint32_t
RoundState::MinAlpha() const
{
    return objective.minDeviceLayers;
}

void
RoundState::Validate(const std::string& where) const
{
    // Every check is a comparison on numbers; the key (and the message) is only built when a
    // check fails, so validating a large round costs no string work.
    auto fail = [&where](const std::string& key, double value, const std::string& allowed) {
        std::ostringstream os;
        os << where << ": " << key << " = " << value << " is not allowed; expected " << allowed;
        throw InputError(os.str());
    };
    auto bad = [](double v, bool strict) {
        return !(strict ? v > 0 : v >= 0) || !std::isfinite(v);
    };
    auto expected = [](bool strict) {
        return strict ? "a positive finite number" : "a non-negative finite number";
    };
    // key: a plain name, or prefix[index].field
    auto check = [&](double v, bool strict, const char* prefix, size_t index, const char* field) {
        if (bad(v, strict))
        {
            const std::string key = index == SIZE_MAX ? std::string(field)
                                                      : std::string(prefix) + "[" +
                                                            std::to_string(index) + "]." + field;
            fail(key, v, expected(strict));
        }
    };
    auto top = [&](const char* key, double v, bool strict) { check(v, strict, "", SIZE_MAX, key); };
    if (layers < 2)
    {
        fail("layers", layers, "an integer >= 2");
    }
    top("noise_psd_w_per_hz", noisePsdWPerHz, true);
    if (users.empty())
    {
        throw InputError(where + ": users is empty; expected at least one user");
    }
    if (servers.empty())
    {
        throw InputError(where + ": servers is empty; expected at least one server");
    }
    const ObjectiveSettings& o = objective;
    top("objective.w_time", o.wTime, false);
    top("objective.w_energy", o.wEnergy, false);
    top("objective.w_stability", o.wStability, false);
    top("objective.min_rate_bps", o.minRateBps, false);
    if (o.minDeviceLayers > layers - 1)
    {
        fail("objective.min_device_layers", o.minDeviceLayers, "0 … layers-1");
    }
    for (size_t n = 0; n < users.size(); ++n)
    {
        const UserState& u = users[n];
        auto positive = [&](const char* field, double v) { check(v, true, "users", n, field); };
        positive("tokens", u.tokens);
        positive("batch", u.batch);
        positive("flops_per_layer", u.flopsPerLayer);
        positive("payload_bits", u.payloadBits);
        positive("downlink_bits", u.downlinkBits);
        positive("cores", u.cores);
        positive("flops_per_cycle", u.flopsPerCycle);
        positive("f_max_hz", u.fMaxHz);
        positive("kappa", u.kappa);
        positive("p_max_w", u.pMaxW);
        check(u.lipschitz, false, "users", n, "lipschitz");
        positive("dataset_size", u.datasetSize);
        if (u.gain.size() != servers.size())
        {
            fail("users[" + std::to_string(n) + "].gain (entries)",
                 u.gain.size(),
                 "one gain per server (" + std::to_string(servers.size()) + ")");
        }
        for (size_t m = 0; m < u.gain.size(); ++m)
        {
            if (bad(u.gain[m], true))
            {
                fail("users[" + std::to_string(n) + "].gain[" + std::to_string(m) + "]",
                     u.gain[m],
                     expected(true));
            }
        }
        if (u.maxDeviceLayers != 0 && u.maxDeviceLayers < o.minDeviceLayers)
        {
            fail("users[" + std::to_string(n) + "].max_device_layers",
                 u.maxDeviceLayers,
                 "0 (no limit) or at least objective.min_device_layers = " +
                     std::to_string(o.minDeviceLayers));
        }
    }
    for (size_t m = 0; m < servers.size(); ++m)
    {
        const ServerState& s = servers[m];
        auto positive = [&](const char* field, double v) { check(v, true, "servers", m, field); };
        positive("bandwidth_hz", s.bandwidthHz);
        positive("f_max_hz", s.fMaxHz);
        positive("cores", s.cores);
        positive("flops_per_cycle", s.flopsPerCycle);
        positive("kappa", s.kappa);
        positive("tx_power_w", s.txPowerW);
    }
    // every field is in range: now every gain must give a link whose transfers have a cost
    SplitCostModel::ValidateLinks(*this, where);
}

} // namespace ns3
