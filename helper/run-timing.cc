/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "run-timing.h"

#include "ns3/fdma-net-device.h"
#include "ns3/simulator.h"

#include <iomanip>
#include <sys/resource.h>

namespace ns3
{

RunTiming::RunTiming()
    : m_start(std::chrono::steady_clock::now())
{
}

RunTiming::Figures
RunTiming::Measure(const NetDeviceContainer& devices) const
{
    Figures f;
    f.wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
    f.cpuS = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    f.peakRssMb = usage.ru_maxrss * 1024.0 / 1e6; // Linux: KiB
    f.simulatedS = Simulator::Now().GetSeconds();
    f.events = Simulator::GetEventCount();
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        if (auto d = DynamicCast<FdmaNetDevice>(devices.Get(i)))
        {
            f.frames += d->GetTxCounters().frames;
            f.tries += d->GetTxCounters().attempts;
        }
    }
    return f;
}

void
RunTiming::Print(std::ostream& os, const NetDeviceContainer& devices) const
{
    const Figures f = Measure(devices);
    os << std::fixed << std::setprecision(2) << "timing: wall " << f.wallS << " s, CPU " << f.cpuS
       << " s, simulated " << f.simulatedS << " s, " << f.events << " events";
    if (f.frames > 0)
    {
        os << ", " << f.frames << " frames, " << f.tries << " tries, " << std::setprecision(1)
           << 1e6 * f.cpuS / f.frames << " us CPU per frame";
    }
    os << ", peak RSS " << std::setprecision(0) << f.peakRssMb << " MB\n" << std::defaultfloat;
}

} // namespace ns3
