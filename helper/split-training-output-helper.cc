/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-output-helper.h"

#include "ns3/input-error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>

namespace ns3
{

namespace
{

/// Shorthand inside this file.
std::string
Num(double v)
{
    return SplitTrainingOutputHelper::CsvNumber(v);
}

/// Counters of one round: now minus before.
FdmaTxCounters
Delta(const FdmaTxCounters& now, const FdmaTxCounters& before)
{
    FdmaTxCounters d;
    d.frames = now.frames - before.frames;
    d.blocks = now.blocks - before.blocks;
    d.attempts = now.attempts - before.attempts;
    d.retransmissions = now.retransmissions - before.retransmissions;
    d.delivered = now.delivered - before.delivered;
    d.arqDrops = now.arqDrops - before.arqDrops;
    d.airtime = now.airtime - before.airtime;
    return d;
}

/// The link-layer columns of one direction.
std::string
CounterColumns(const FdmaTxCounters& c)
{
    return std::to_string(c.frames) + ',' + std::to_string(c.blocks) + ',' +
           std::to_string(c.attempts) + ',' + std::to_string(c.arqDrops) + ',' +
           Num(c.airtime.GetSeconds());
}

} // namespace

void
SplitTrainingOutputHelper::ConnectFdmaCounters(const NetDeviceContainer& mobiles,
                                               const NetDeviceContainer& servers)
{
    m_fdmaMobiles.clear();
    m_fdmaServers.clear();
    for (uint32_t i = 0; i < mobiles.GetN(); ++i)
    {
        auto d = DynamicCast<FdmaNetDevice>(mobiles.Get(i));
        if (!d)
        {
            m_fdmaMobiles.clear();
            return; // not the fdma tier
        }
        m_fdmaMobiles.push_back(d);
    }
    for (uint32_t j = 0; j < servers.GetN(); ++j)
    {
        if (auto d = DynamicCast<FdmaNetDevice>(servers.Get(j)))
        {
            m_fdmaServers.push_back(d);
        }
    }
    m_lastUp.assign(m_fdmaMobiles.size(), FdmaTxCounters{});
    m_lastDown.assign(m_fdmaMobiles.size(), FdmaTxCounters{});
}

std::string
SplitTrainingOutputHelper::CsvNumber(double v)
{
    if (std::isnan(v))
    {
        return "";
    }
    if (std::isinf(v))
    {
        return v > 0 ? "inf" : "-inf";
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.12g", v);
    return buf;
}

RoundTotals
SplitTrainingOutputHelper::Totals(const RoundReport& r)
{
    RoundTotals s;
    for (const auto& d : r.devices)
    {
        if (d.status == "left" || d.status == "not-joined")
        {
            continue;
        }
        if (d.status == "done")
        {
            ++s.done;
            s.makespan = std::max(s.makespan, d.delayS);
            s.sumDelay += d.delayS;
        }
        else
        {
            ++s.failed;
        }
        s.predMakespan = std::max(s.predMakespan, d.predictedDelayS);
        s.predSumDelay += d.predictedDelayS;
        s.compute += d.computeEnergyJ;
        s.radio += d.radioEnergyJ;
        s.edge += d.edgeEnergyJ;
        s.predDeviceEnergy += d.predictedEnergyJ;
        s.predEdge += d.predicted.edgeEnergyJ;
    }
    return s;
}

void
SplitTrainingOutputHelper::Open(const std::string& dir)
{
    m_rounds.open(dir + "/rounds.csv");
    m_devices.open(dir + "/devices.csv");
    if (!m_rounds || !m_devices)
    {
        throw InputError("cannot write rounds.csv/devices.csv in '" + dir +
                         "': give a writable --outputDir");
    }
    m_rounds << "round,allocator,start_s,end_s,makespan_s,sum_delay_s,predicted_makespan_s,"
                "predicted_sum_delay_s,compute_energy_j,radio_energy_j,edge_energy_j,"
                "total_energy_j,predicted_device_energy_j,predicted_edge_energy_j,"
                "predicted_total_energy_j,stability,predicted_objective,devices_done,"
                "devices_failed,deadline_s\n";
    m_devices << "round,device,status,server,alpha,power_w,bandwidth_hz,freq_hz,edge_freq_hz,"
                 "bytes_up,bytes_down,device_compute_s,uplink_s,server_wait_s,server_compute_s,"
                 "downlink_s,delay_s,predicted_device_compute_s,predicted_uplink_s,"
                 "predicted_edge_compute_s,predicted_downlink_s,predicted_delay_s,"
                 "compute_energy_j,radio_energy_j,edge_energy_j,predicted_compute_energy_j,"
                 "predicted_tx_energy_j,predicted_edge_energy_j,battery_j,idle_energy_j,outage_s,"
                 "up_frames,up_blocks,up_tries,up_arq_drops,up_airtime_s,down_frames,down_blocks,"
                 "down_tries,down_arq_drops,down_airtime_s,predicted_listen_energy_j\n";
}

void
SplitTrainingOutputHelper::Connect(Ptr<RoundCoordinator> coordinator)
{
    coordinator->TraceConnectWithoutContext(
        "RoundFinished",
        MakeCallback(&SplitTrainingOutputHelper::WriteRound, this));
}

std::string
SplitTrainingOutputHelper::LinkColumns(uint32_t user)
{
    if (user >= m_fdmaMobiles.size())
    {
        return ",,,,,,,,,";
    }
    const FdmaTxCounters up = m_fdmaMobiles[user]->GetTxCounters();
    const auto mac = Mac48Address::ConvertFrom(m_fdmaMobiles[user]->GetAddress());
    FdmaTxCounters down;
    for (const auto& server : m_fdmaServers)
    {
        const FdmaTxCounters c = server->GetTxCounters(mac);
        down.frames += c.frames;
        down.blocks += c.blocks;
        down.attempts += c.attempts;
        down.retransmissions += c.retransmissions;
        down.delivered += c.delivered;
        down.arqDrops += c.arqDrops;
        down.airtime += c.airtime;
    }
    const std::string out = CounterColumns(Delta(up, m_lastUp[user])) + ',' +
                            CounterColumns(Delta(down, m_lastDown[user]));
    m_lastUp[user] = up;
    m_lastDown[user] = down;
    return out;
}

void
SplitTrainingOutputHelper::SetBatteryCapacityJ(double capacityJ)
{
    m_batteryCapacityJ = capacityJ;
}

void
SplitTrainingOutputHelper::SetProgress(bool enable)
{
    m_progress = enable;
}

double
SplitTrainingOutputHelper::IdleEnergyJ(const DeviceRoundRecord& d)
{
    // the battery's drain since the device's last row (first row: since full at t = 0) less
    // what the round's columns count: the radios' idle energy before the first round and
    // between rounds (Wi-Fi listens from t = 0), so each device's rows add up to its drain
    const auto last = m_lastBatteryJ.find(d.user);
    const double beforeJ = last == m_lastBatteryJ.end() ? m_batteryCapacityJ : last->second;
    m_lastBatteryJ[d.user] = d.batteryJ;
    const auto counted = [](double x) { return std::isnan(x) ? 0.0 : x; };
    return beforeJ - d.batteryJ - counted(d.computeEnergyJ) - counted(d.radioEnergyJ);
}

void
SplitTrainingOutputHelper::WriteRound(const RoundReport& r)
{
    const RoundTotals s = Totals(r);
    if (m_rounds.is_open())
    {
        m_rounds << r.round << ',' << r.allocator << ',' << Num(r.startS) << ',' << Num(r.endS)
                 << ',' << Num(s.makespan) << ',' << Num(s.sumDelay) << ',' << Num(s.predMakespan)
                 << ',' << Num(s.predSumDelay) << ',' << Num(s.compute) << ',' << Num(s.radio)
                 << ',' << Num(s.edge) << ',' << Num(s.compute + s.radio + s.edge) << ','
                 << Num(s.predDeviceEnergy) << ',' << Num(s.predEdge) << ','
                 << Num(s.predDeviceEnergy + s.predEdge) << ',' << Num(r.predictedTotals.stability)
                 << ',' << Num(r.predictedObjective) << ',' << s.done << ',' << s.failed << ','
                 << Num(r.deadlineS) << '\n';
    }
    if (m_devices.is_open())
    {
        for (const auto& d : r.devices)
        {
            const auto& a = d.allocation;
            const auto& p = d.predicted;
            m_devices << d.round << ',' << d.user << ',' << d.status << ','
                      << (a.server == UserAllocation::kNoServer ? std::string("-1")
                                                                : std::to_string(a.server))
                      << ',' << a.alpha << ',' << Num(a.powerW) << ',' << Num(a.bandwidthHz) << ','
                      << Num(a.freqHz) << ',' << Num(a.edgeFreqHz) << ',' << d.bytesUp << ','
                      << d.bytesDown << ',' << Num(d.deviceComputeS) << ',' << Num(d.uplinkS) << ','
                      << Num(d.serverWaitS) << ',' << Num(d.serverComputeS) << ','
                      << Num(d.downlinkS) << ',' << Num(d.delayS) << ',' << Num(p.deviceDelayS)
                      << ',' << Num(p.uplinkDelayS) << ',' << Num(p.edgeDelayS) << ','
                      << Num(p.downlinkDelayS) << ',' << Num(d.predictedDelayS) << ','
                      << Num(d.computeEnergyJ) << ',' << Num(d.radioEnergyJ) << ','
                      << Num(d.edgeEnergyJ) << ',' << Num(p.deviceEnergyJ) << ','
                      << Num(p.txEnergyJ) << ',' << Num(p.edgeEnergyJ) << ',' << Num(d.batteryJ)
                      << ',' << Num(IdleEnergyJ(d)) << ',' << Num(d.outageS) << ','
                      << LinkColumns(d.user) << ',' << Num(d.predictedListenEnergyJ) << '\n';
        }
    }
    m_rounds.flush(); // partial results survive an interrupted run
    m_devices.flush();
    if (m_progress)
    {
        std::cerr << "round " << r.round << " [" << r.allocator << "] t=" << std::fixed
                  << std::setprecision(2) << r.endS << " s: makespan " << s.makespan
                  << " s (predicted " << s.predMakespan << "), energy "
                  << s.compute + s.radio + s.edge << " J, " << s.done << " done, " << s.failed
                  << " failed, solve " << std::setprecision(4) << r.solveTimeS * 1e3 << " ms"
                  << std::defaultfloat << std::endl;
    }
    m_reports.push_back(r);
}

void
SplitTrainingOutputHelper::PrintSummary(std::ostream& os) const
{
    os << "round  makespan_s  predicted_s  err_%   energy_J   predicted_J  done  failed\n";
    for (const auto& r : m_reports)
    {
        const RoundTotals s = Totals(r);
        const double measured = s.compute + s.radio + s.edge;
        const double predicted = s.predDeviceEnergy + s.predEdge;
        os << std::setw(5) << r.round << std::fixed << std::setprecision(3) << std::setw(12)
           << s.makespan << std::setw(13) << s.predMakespan << std::setw(7) << std::setprecision(2)
           << (s.predMakespan > 0 ? 100 * (s.makespan - s.predMakespan) / s.predMakespan : 0.0)
           << std::setprecision(1) << std::setw(11) << measured << std::setw(14) << predicted
           << std::setw(6) << s.done << std::setw(8) << s.failed << std::defaultfloat << "\n";
    }
}

void
SplitTrainingOutputHelper::Close()
{
    m_rounds.close();
    m_devices.close();
}

} // namespace ns3
