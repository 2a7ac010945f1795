/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the Wi-Fi airtime-sharing prediction: ShareWifiCellAirtime's end times on
 * hand-computed cells, and SplitCostModel::WifiSharedAirtimeTerms on a two-device Wi-Fi round.
 */
#include "ns3/split-cost-model.h"
#include "ns3/wifi-airtime-sharing.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace ns3;

namespace
{

WifiCellTransfer
Transfer(double readyS, double upS, double edgeS, double downS)
{
    WifiCellTransfer x;
    x.uplinkReadyS = readyS;
    x.uplinkSoloS = upS;
    x.edgeS = edgeS;
    x.downlinkSoloS = downS;
    return x;
}

} // namespace

// A station alone in its cell transfers at its solo rate.
TEST(WifiAirtimeSharing, AloneRunsAtTheSoloRate)
{
    const auto t = ShareWifiCellAirtime({Transfer(0.5, 2.0, 1.0, 0.25)});
    ASSERT_EQ(t.size(), 1u);
    EXPECT_DOUBLE_EQ(t[0].uplinkEndS, 2.5);
    EXPECT_DOUBLE_EQ(t[0].downlinkStartS, 3.5);
    EXPECT_DOUBLE_EQ(t[0].downlinkEndS, 3.75);
}

// Two uplinks of 2 s solo airtime, B ready 1 s after A, no downlinks. A is alone for 1 s (1 s
// left), then both at half rate: A ends at 3 (B has 1 s left), B alone ends at 4. A fixed half
// share of the cell would end them at 4 and 5.
TEST(WifiAirtimeSharing, LaterStationSharesOnlyWhileBothAreOnTheAir)
{
    const auto t = ShareWifiCellAirtime({Transfer(0, 2, 0, 0), Transfer(1, 2, 0, 0)});
    ASSERT_EQ(t.size(), 2u);
    EXPECT_NEAR(t[0].uplinkEndS, 3.0, 1e-12);
    EXPECT_NEAR(t[1].uplinkEndS, 4.0, 1e-12);
    EXPECT_NEAR(t[0].downlinkEndS, 3.0, 1e-12);
    EXPECT_NEAR(t[1].downlinkEndS, 4.0, 1e-12);
}

// The same with edge compute 0.5 s and downlinks of 1 s solo airtime, sharing the same channel:
// A's uplink ends at 3, its downlink starts at 3.5; B's uplink is alone 3 … 3.5 (0.5 s left),
// then shares with A's downlink: B's uplink ends at 4.5 (A's downlink has 0.5 s left), A's
// downlink alone ends at 5.0, B's downlink starts at 5.0 and ends at 6.0.
TEST(WifiAirtimeSharing, DownlinksShareTheCellWithUplinks)
{
    const auto t = ShareWifiCellAirtime({Transfer(0, 2, 0.5, 1), Transfer(1, 2, 0.5, 1)});
    EXPECT_NEAR(t[0].uplinkEndS, 3.0, 1e-12);
    EXPECT_NEAR(t[0].downlinkStartS, 3.5, 1e-12);
    EXPECT_NEAR(t[1].uplinkEndS, 4.5, 1e-12);
    EXPECT_NEAR(t[0].downlinkEndS, 5.0, 1e-12);
    EXPECT_NEAR(t[1].downlinkStartS, 5.0, 1e-12);
    EXPECT_NEAR(t[1].downlinkEndS, 6.0, 1e-12);
}

// Work-conserving: k transfers ready together end, the last, at the sum of their airtimes,
// each in the order of its airtime (1, 2, 3 s: at 3, 5, 6).
TEST(WifiAirtimeSharing, SimultaneousStartEndsInOrderOfAirtime)
{
    const auto t =
        ShareWifiCellAirtime({Transfer(0, 3, 0, 0), Transfer(0, 1, 0, 0), Transfer(0, 2, 0, 0)});
    EXPECT_NEAR(t[1].uplinkEndS, 3.0, 1e-12);
    EXPECT_NEAR(t[2].uplinkEndS, 5.0, 1e-12);
    EXPECT_NEAR(t[0].uplinkEndS, 6.0, 1e-12);
}

// A transfer that never ends (zero rate) ends at infinity; the others still end.
TEST(WifiAirtimeSharing, ZeroRateNeverEnds)
{
    const double inf = std::numeric_limits<double>::infinity();
    const auto t = ShareWifiCellAirtime({Transfer(0, inf, 0, 0), Transfer(0, 1, 0, 0)});
    EXPECT_NEAR(t[1].uplinkEndS, 2.0, 1e-12);
    EXPECT_TRUE(std::isinf(t[0].uplinkEndS));
    EXPECT_TRUE(std::isinf(t[0].downlinkEndS));
}

namespace
{
/// Two users in one 20 MHz Wi-Fi cell at the top MCS (solo uplink s / (eta R_max)), one more
/// on a second cell alone, and a fourth training alone.
RoundState
TwoCells()
{
    RoundState s;
    s.layers = 8;
    s.noisePsdWPerHz = 4e-20;
    for (int m = 0; m < 2; ++m)
    {
        ServerState srv;
        srv.bandwidthHz = 20e6;
        srv.txPowerW = 10;
        srv.fMaxHz = 1e9;
        s.servers.push_back(srv);
    }
    for (int n = 0; n < 4; ++n)
    {
        UserState u;
        u.flopsPerLayer = 1e12;
        u.payloadBits = 0.85 * 143.4e6 * (n == 1 ? 2.0 : 1.0); // 1 s (user 1: 2 s) alone
        u.downlinkBits = 0.85 * 143.4e6 * 0.5;                 // 0.5 s alone
        u.gain = {1e-6, 1e-6};                                 // far above the top MCS
        u.radioIdlePowerW = 1.0;
        s.users.push_back(u);
    }
    s.wifi.enabled = true;
    s.wifi.snrGap = 8.0;
    s.wifi.maxPhyRateBps = 143.4e6;
    s.wifi.macEfficiency = 0.85;
    s.wifi.paEfficiency = 0.1;
    return s;
}

Allocation
TwoCellPlan()
{
    Allocation a;
    a.users.resize(4);
    for (uint32_t n = 0; n < 4; ++n)
    {
        a.users[n].server = n == 2 ? 1 : 0;
        a.users[n].alpha = 2;
        a.users[n].powerW = 0.2;
        a.users[n].bandwidthHz = n == 2 ? 20e6 : 10e6;
        a.users[n].freqHz = 1e9;
        a.users[n].edgeFreqHz = 1e3; // long edge compute: the downlinks come later
    }
    a.users[3].server = UserAllocation::kNoServer;
    a.users[3].alpha = 8;
    return a;
}
} // namespace

// Users 0 and 1 share cell 0 with equal compute, so their uplinks are ready together: user 0's
// 1 s uplink ends after 2 s of half-rate sharing, user 1's 2 s uplink 1 s later (the planned
// halves would give 2 s and 4 s). User 2 is alone (= the planned whole cell); user 3 trains
// alone (no transfers). The listening energy follows the shared delays.
TEST(WifiAirtimeSharing, CostModelTermsShareEachCell)
{
    const RoundState s = TwoCells();
    const SplitCostModel model(s);
    const Allocation a = TwoCellPlan();
    const std::vector<CostTerms> shared = model.WifiSharedAirtimeTerms(a, 1.0 / 3);
    ASSERT_EQ(shared.size(), 4u);
    const CostTerms planned0 = model.UserTerms(0, a.users[0]);
    const CostTerms planned1 = model.UserTerms(1, a.users[1]);
    EXPECT_NEAR(planned0.uplinkDelayS, 2.0, 1e-9); // half the cell for the whole transfer
    EXPECT_NEAR(planned1.uplinkDelayS, 4.0, 1e-9);
    EXPECT_NEAR(shared[0].uplinkDelayS, 2.0, 1e-9);
    EXPECT_NEAR(shared[1].uplinkDelayS, 3.0, 1e-9);
    EXPECT_DOUBLE_EQ(shared[0].edgeDelayS, planned0.edgeDelayS);
    EXPECT_DOUBLE_EQ(shared[0].txEnergyJ, planned0.txEnergyJ);
    EXPECT_NEAR(shared[1].listenEnergyJ, shared[1].TotalDelayS(), 1e-12);
    const CostTerms alone = model.UserTerms(2, a.users[2]);
    EXPECT_NEAR(shared[2].uplinkDelayS, alone.uplinkDelayS, 1e-9);
    EXPECT_NEAR(shared[2].downlinkDelayS, alone.downlinkDelayS, 1e-9);
    EXPECT_EQ(shared[3].uplinkDelayS, 0.0);
    // not Wi-Fi: the allocator's terms
    RoundState fdma = s;
    fdma.wifi.enabled = false;
    const SplitCostModel fdmaModel(fdma);
    const std::vector<CostTerms> same = fdmaModel.WifiSharedAirtimeTerms(a, 1.0 / 3);
    EXPECT_EQ(same[1].uplinkDelayS, fdmaModel.UserTerms(1, a.users[1]).uplinkDelayS);
}
