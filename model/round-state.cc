/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-state.h"

#include "input-error.h"

#include <algorithm>
#include <cmath>
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
    auto fail = [&where](const std::string& key, double value, const std::string& allowed) {
        std::ostringstream os;
        os << where << ": " << key << " = " << value << " is not allowed; expected " << allowed;
        throw InputError(os.str());
    };
    auto positive = [&fail](const std::string& key, double v) {
        if (!(v > 0) || !std::isfinite(v))
        {
            fail(key, v, "a positive finite number");
        }
    };
    auto nonNegative = [&fail](const std::string& key, double v) {
        if (!(v >= 0) || !std::isfinite(v))
        {
            fail(key, v, "a non-negative finite number");
        }
    };
    if (layers < 2)
    {
        fail("layers", layers, "an integer >= 2");
    }
    positive("noise_psd_w_per_hz", noisePsdWPerHz);
    if (users.empty())
    {
        throw InputError(where + ": users is empty; expected at least one user");
    }
    if (servers.empty())
    {
        throw InputError(where + ": servers is empty; expected at least one server");
    }
    const ObjectiveSettings& o = objective;
    nonNegative("objective.w_time", o.wTime);
    nonNegative("objective.w_energy", o.wEnergy);
    nonNegative("objective.w_stability", o.wStability);
    nonNegative("objective.min_rate_bps", o.minRateBps);
    if (o.minDeviceLayers > layers - 1)
    {
        fail("objective.min_device_layers", o.minDeviceLayers, "0 … layers-1");
    }
    for (size_t n = 0; n < users.size(); ++n)
    {
        const UserState& u = users[n];
        const std::string p = "users[" + std::to_string(n) + "].";
        positive(p + "tokens", u.tokens);
        positive(p + "batch", u.batch);
        positive(p + "flops_per_layer", u.flopsPerLayer);
        positive(p + "payload_bits", u.payloadBits);
        positive(p + "downlink_bits", u.downlinkBits);
        positive(p + "cores", u.cores);
        positive(p + "flops_per_cycle", u.flopsPerCycle);
        positive(p + "f_max_hz", u.fMaxHz);
        positive(p + "kappa", u.kappa);
        positive(p + "p_max_w", u.pMaxW);
        nonNegative(p + "lipschitz", u.lipschitz);
        positive(p + "dataset_size", u.datasetSize);
        if (u.gain.size() != servers.size())
        {
            fail(p + "gain (entries)",
                 u.gain.size(),
                 "one gain per server (" + std::to_string(servers.size()) + ")");
        }
        for (size_t m = 0; m < u.gain.size(); ++m)
        {
            positive(p + "gain[" + std::to_string(m) + "]", u.gain[m]);
        }
        if (u.maxDeviceLayers != 0 && u.maxDeviceLayers < o.minDeviceLayers)
        {
            fail(p + "max_device_layers",
                 u.maxDeviceLayers,
                 "0 (no limit) or at least objective.min_device_layers = " +
                     std::to_string(o.minDeviceLayers));
        }
    }
    for (size_t m = 0; m < servers.size(); ++m)
    {
        const ServerState& s = servers[m];
        const std::string p = "servers[" + std::to_string(m) + "].";
        positive(p + "bandwidth_hz", s.bandwidthHz);
        positive(p + "f_max_hz", s.fMaxHz);
        positive(p + "cores", s.cores);
        positive(p + "flops_per_cycle", s.flopsPerCycle);
        positive(p + "kappa", s.kappa);
        positive(p + "tx_power_w", s.txPowerW);
    }
}

} // namespace ns3
