/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_WIFI_AIRTIME_SHARING_H
#define EDGE_LLM_WIFI_AIRTIME_SHARING_H

#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief One device's transfers in a Wi-Fi cell, as ShareWifiCellAirtime takes them (times in s
 * from the round start).
 */
struct WifiCellTransfer
{
    double uplinkReadyS{0};  //!< the activation is ready to send (the forward pass ends), s
    double uplinkSoloS{0};   //!< airtime of the uplink alone in the cell: s / (eta_mac R(p)), s
    double edgeS{0};         //!< edge compute between the uplink's end and the downlink, s
    double downlinkSoloS{0}; //!< airtime of the downlink alone in the cell, s
};

/**
 * @ingroup edge-llm
 * @brief When a device's transfers end under ShareWifiCellAirtime (s from the round start).
 */
struct WifiCellTimes
{
    double uplinkEndS{0};     //!< the activation is at the server
    double downlinkStartS{0}; //!< the edge compute ends, the gradient is ready to send
    double downlinkEndS{0};   //!< the gradient is at the device
};

/**
 * @ingroup edge-llm
 * Fluid processor sharing of one Wi-Fi cell's airtime: the transfers that are active at a time
 * (every uplink between its ready time and its end, every downlink between its start and its
 * end; the AP's downlinks count one each) share the channel equally, so with n active a
 * transfer of solo airtime T progresses at 1/n of its solo rate (airtime-fair: DCF gives every
 * backlogged sender the channel equally often, and every TXOP lasts about the A-MPDU limit).
 * A transfer alone in the cell runs at its solo rate; a cell that is never idle while work is
 * left delivers everything by the sum of the solo airtimes (work-conserving), as a cell whose
 * planned shares b_n / B_m end every transfer together does.
 *
 * Event-driven and exact for the fluid model: O(K^2) for K transfers.
 * @param transfers the cell's devices (solo airtimes >= 0; 0: the transfer takes no time)
 * @return per transfer, in the same order, its end times
 */
std::vector<WifiCellTimes> ShareWifiCellAirtime(const std::vector<WifiCellTransfer>& transfers);

} // namespace ns3

#endif // EDGE_LLM_WIFI_AIRTIME_SHARING_H
