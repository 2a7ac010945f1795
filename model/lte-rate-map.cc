/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lte-rate-map.h"

#include "ns3/double.h"
#include "ns3/lte-amc.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

namespace
{

/// ns-3's AMC with its default attributes (target BER 5e-5).
Ptr<LteAmc>
Amc()
{
    static Ptr<LteAmc> amc = CreateObject<LteAmc>();
    return amc;
}

constexpr double kRbHz = 180e3; //!< one resource block
constexpr double kTtiS = 1e-3;  //!< one subframe

} // namespace

double
LteSpectralEfficiency(double sinr, uint16_t rbs, bool uplink)
{
    if (!(sinr > 0) || rbs == 0)
    {
        return 0.0;
    }
    rbs = std::min<uint16_t>(rbs, 110);
    DoubleValue ber;
    Amc()->GetAttribute("Ber", ber);
    const double gap = -std::log(5 * ber.Get()) / 1.5;
    const int cqi = Amc()->GetCqiFromSpectralEfficiency(std::log2(1 + sinr / gap));
    if (cqi == 0)
    {
        return 0.0;
    }
    const int mcs = Amc()->GetMcsFromCqi(cqi);
    const int bits =
        uplink ? Amc()->GetUlTbSizeFromMcs(mcs, rbs) : Amc()->GetDlTbSizeFromMcs(mcs, rbs);
    return bits / (kTtiS * rbs * kRbHz);
}

double
LteEffectiveGain(double gain,
                 double powerW,
                 double bandHz,
                 double occupied,
                 double noisePsdWPerHz,
                 uint16_t rbs,
                 bool uplink)
{
    if (!(gain > 0) || !(powerW > 0) || !(bandHz > 0) || !(occupied > 0))
    {
        return gain;
    }
    const double sinr = powerW * gain / (noisePsdWPerHz * occupied * bandHz);
    const double se = LteSpectralEfficiency(sinr, rbs, uplink);
    if (se <= 0)
    {
        return 1e-3 * gain;
    }
    // log2(1 + p g' / (N0 b)) = kappa SE
    return std::expm1(occupied * se * std::log(2.0)) * noisePsdWPerHz * bandHz / powerW;
}

} // namespace ns3
