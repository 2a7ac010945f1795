/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the Wi-Fi link pricing of SplitCostModel (RoundState::wifi): the airtime-share
 * rate and its cap, its derivatives, p_min, the downlink, the transmit energy over the own
 * airtime, the listening energy = idle power x delay, and the gradient and Hessian of the new
 * terms against finite differences.
 */
#include "ns3/split-cost-model.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace ns3;

namespace
{

double
RelErr(double a, double b)
{
    return std::abs(a - b) / std::abs(b);
}

/// One user, one server on Wi-Fi; gain chosen so that p = 0.1 W over 20 MHz has SNR snr.
RoundState
WifiLink(double snr)
{
    RoundState s;
    s.layers = 8;
    s.noisePsdWPerHz = 4e-20;
    ServerState srv;
    srv.bandwidthHz = 20e6;
    srv.txPowerW = 0.1;
    s.servers.push_back(srv);
    UserState u;
    u.flopsPerLayer = 1e12;
    u.payloadBits = 8e7;
    u.downlinkBits = 4e7;
    u.kappa = 1e-28;
    u.gain = {snr * s.noisePsdWPerHz * 20e6 / 0.1};
    u.radioIdlePowerW = 1.05;
    s.users.push_back(u);
    s.wifi.enabled = true;
    s.wifi.snrGap = std::pow(10.0, 0.5); // 5 dB
    s.wifi.maxPhyRateBps = 143.4e6;
    s.wifi.macEfficiency = 0.85;
    s.wifi.paEfficiency = 0.1;
    return s;
}

} // namespace

// r = (b / B) eta W log2(1 + SNR / Gamma), capped at the top MCS
TEST(WifiCostModel, RateIsTheAirtimeShareOfTheCappedPhyRate)
{
    RoundState s = WifiLink(100.0); // 20 dB
    SplitCostModel m(s);
    const double phy = 20e6 * std::log2(1.0 + 100.0 / std::pow(10.0, 0.5));
    EXPECT_LT(RelErr(m.UplinkRateBps(0, 0, 0.1, 5e6), 0.25 * 0.85 * phy), 1e-12);
    EXPECT_LT(RelErr(m.UplinkRateBps(0, 0, 0.1, 20e6), 0.85 * phy), 1e-12);
    // the downlink at the AP's power over the whole channel, same share
    EXPECT_LT(RelErr(m.DownlinkRateBps(0, 0, 5e6), 0.25 * 0.85 * phy), 1e-12);
    // far above the top MCS's SNR: the cap
    RoundState strong = WifiLink(1e6);
    SplitCostModel ms(strong);
    EXPECT_DOUBLE_EQ(ms.UplinkRateBps(0, 0, 0.1, 10e6), 0.5 * 0.85 * 143.4e6);
    EXPECT_EQ(ms.UplinkRate(0, 0, 0.1, 10e6).dp, 0.0);
}

TEST(WifiCostModel, RateDerivativesMatchFiniteDifferences)
{
    for (double snr : {0.5, 10.0, 300.0})
    {
        RoundState s = WifiLink(snr);
        SplitCostModel m(s);
        const double p = 0.1;
        const double b = 4e6;
        const RateDerivatives d = m.UplinkRate(0, 0, p, b);
        const double hp = 1e-5 * p;
        const double hb = 1e-4 * b;
        auto r = [&](double pp, double bb) { return m.UplinkRateBps(0, 0, pp, bb); };
        auto dp = [&](double pp, double bb) { return m.UplinkRate(0, 0, pp, bb).dp; };
        EXPECT_DOUBLE_EQ(d.r, r(p, b));
        EXPECT_LT(RelErr(d.dp, (r(p + hp, b) - r(p - hp, b)) / (2 * hp)), 1e-7) << snr;
        EXPECT_LT(RelErr(d.db, (r(p, b + hb) - r(p, b - hb)) / (2 * hb)), 1e-7) << snr;
        EXPECT_LT(RelErr(d.dpp, (dp(p + hp, b) - dp(p - hp, b)) / (2 * hp)), 1e-6) << snr;
        EXPECT_LT(RelErr(d.dpb, (dp(p, b + hb) - dp(p, b - hb)) / (2 * hb)), 1e-6) << snr;
        EXPECT_EQ(d.dbb, 0.0); // linear in the airtime share
    }
}

TEST(WifiCostModel, MinPowerReachesTheRateFloor)
{
    RoundState s = WifiLink(10.0);
    s.objective.minRateBps = 5e6;
    SplitCostModel m(s);
    for (double b : {2e6, 5e6, 20e6})
    {
        const double p = m.MinPowerW(0, 0, b);
        EXPECT_LT(RelErr(m.UplinkRateBps(0, 0, p, b), 5e6), 1e-12) << b;
    }
    // a floor the top MCS cannot carry on that share
    s.objective.minRateBps = 100e6;
    EXPECT_TRUE(std::isinf(m.MinPowerW(0, 0, 2e6)));
}

// transmit energy: p / eta_PA over the own airtime s / (eta_mac R(p)), whatever the share;
// listening: idle power x the whole delay
TEST(WifiCostModel, TransmitAndListeningEnergy)
{
    RoundState s = WifiLink(100.0);
    SplitCostModel m(s);
    const double phy = 20e6 * std::log2(1.0 + 100.0 / std::pow(10.0, 0.5));
    for (double b : {2e6, 10e6})
    {
        const CostTerms t = m.UserTerms(0, 0, 2.0, 0.1, b, 1e9, 1e9);
        EXPECT_LT(RelErr(t.txEnergyJ, 0.1 / 0.1 * 8e7 / (0.85 * phy)), 1e-12);
        EXPECT_LT(RelErr(t.listenEnergyJ, 1.05 * t.TotalDelayS()), 1e-12);
        EXPECT_LT(RelErr(t.TotalEnergyJ(),
                         t.deviceEnergyJ + t.edgeEnergyJ + t.txEnergyJ + t.listenEnergyJ),
                  1e-15);
    }
    // a device that trains alone sleeps its radio: nothing to listen to
    EXPECT_EQ(m.UserTerms(0, UserAllocation::kNoServer, 8.0, 0.1, 1e6, 1e9, 0).listenEnergyJ, 0.0);
    // fdma rounds have no listening term
    s.wifi.enabled = false;
    SplitCostModel fdma(s);
    EXPECT_EQ(fdma.UserTerms(0, 0, 2.0, 0.1, 2e6, 1e9, 1e9).listenEnergyJ, 0.0);
}

TEST(WifiCostModel, GradientAndHessianOfTheNewTermsMatchFiniteDifferences)
{
    RoundState s = WifiLink(50.0);
    SplitCostModel m(s);
    const double x[5] = {3.0, 0.08, 6e6, 1.2e9, 8e8}; // alpha, p, b, f, fe
    auto terms = [&](const double* v) { return m.UserTerms(0, 0, v[0], v[1], v[2], v[3], v[4]); };
    const CostTermsGradient g = m.UserTermsGradient(0, 0, x[0], x[1], x[2], x[3], x[4]);
    const CostTerms* gm[5] = {&g.dAlpha, &g.dP, &g.dB, &g.dF, &g.dFe};
    for (int i = 0; i < 5; ++i)
    {
        double up[5];
        double dn[5];
        std::copy(x, x + 5, up);
        std::copy(x, x + 5, dn);
        const double h = 1e-5 * x[i];
        up[i] += h;
        dn[i] -= h;
        const double fdListen = (terms(up).listenEnergyJ - terms(dn).listenEnergyJ) / (2 * h);
        const double fdTx = (terms(up).txEnergyJ - terms(dn).txEnergyJ) / (2 * h);
        EXPECT_NEAR(gm[i]->listenEnergyJ, fdListen, 1e-6 * std::abs(fdListen) + 1e-18) << i;
        EXPECT_NEAR(gm[i]->txEnergyJ, fdTx, 1e-6 * std::abs(fdTx) + 1e-15) << i; // dB: 0
    }
    // second derivatives in p and b of the transmit energy, and of the listening energy
    const CostTermsHessian hs = m.UserTermsHessian(0, 0, x[0], x[1], x[2], x[3], x[4]);
    auto grad = [&](double p, double b) {
        return m.UserTermsGradient(0, 0, x[0], p, b, x[3], x[4]);
    };
    const double hp = 1e-5 * x[1];
    const double hb = 1e-5 * x[2];
    const double fdPpTx =
        (grad(x[1] + hp, x[2]).dP.txEnergyJ - grad(x[1] - hp, x[2]).dP.txEnergyJ) / (2 * hp);
    const double fdPbTx =
        (grad(x[1], x[2] + hb).dP.txEnergyJ - grad(x[1], x[2] - hb).dP.txEnergyJ) / (2 * hb);
    const double fdBbL =
        (grad(x[1], x[2] + hb).dB.listenEnergyJ - grad(x[1], x[2] - hb).dB.listenEnergyJ) /
        (2 * hb);
    const double fdPpL =
        (grad(x[1] + hp, x[2]).dP.listenEnergyJ - grad(x[1] - hp, x[2]).dP.listenEnergyJ) /
        (2 * hp);
    EXPECT_LT(RelErr(hs.pp.txEnergyJ, fdPpTx), 1e-5);
    EXPECT_NEAR(hs.pb.txEnergyJ, fdPbTx, 1e-5 * std::abs(hs.pp.txEnergyJ) * x[1] / x[2]);
    EXPECT_LT(RelErr(hs.bb.listenEnergyJ, fdBbL), 1e-5);
    EXPECT_LT(RelErr(hs.pp.listenEnergyJ, fdPpL), 1e-5);
}
