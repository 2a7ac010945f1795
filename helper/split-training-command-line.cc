/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-command-line.h"

#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/external-allocator.h"
#include "ns3/input-error.h"
#include "ns3/radio-environment-helper.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/round-state-json.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>

namespace ns3
{

SplitTrainingCommandLine::SplitTrainingCommandLine()
{
    m_sc.drop.users = 10;
    m_sc.drop.servers = 2;
    m_sc.drop.preset = "realistic";
    m_sc.drop.layout = "hex";
    m_sc.allocator = "fp";
}

void
SplitTrainingCommandLine::AddTo(StrictFlags& flags)
{
    AddDropFlags(flags);
    AddObjectiveFlags(flags);
    AddRunFlags(flags);
    AddRadioFlags(flags);
    AddSeedAndFaultFlags(flags);
}

void
SplitTrainingCommandLine::AddDropFlags(StrictFlags& flags)
{
    SplitTrainingScenario& sc = m_sc;
    const RealRange positive = RealRange::Positive();
    flags.AddUnsigned("users", "Number of mobile devices N", sc.drop.users, 1, kMaxUsers);
    flags.AddUnsigned("servers", "Number of edge servers M", sc.drop.servers, 1, kMaxServers);
    flags.AddChoice("layout", "Server layout", sc.drop.layout, {"hex", "square", "line"});
    flags.AddReal("isd",
                  "Inter-site distance between servers, m",
                  sc.drop.interSiteDistanceM,
                  positive);
    flags.AddChoice("preset", "Parameter preset", sc.drop.preset, {"realistic", "paper"});
    flags.AddString("model", "LLM in the profile CSV (realistic preset)", sc.drop.model);
    flags.AddUnsigned("batch", "Batch size (realistic preset)", sc.drop.batch, 1, 1u << 20);
    flags.AddUnsigned("seq", "Sequence length (realistic preset)", sc.drop.seqLen, 1, 1u << 24);
    flags.AddString("profileCsv",
                    "Profile CSV (default: the module's data/)",
                    sc.drop.profileCsv,
                    true);
}

void
SplitTrainingCommandLine::AddObjectiveFlags(StrictFlags& flags)
{
    const RealRange nonNegative = RealRange::NonNegative();
    flags.AddChoice("objective", "Objective", m_objective, {"delay-aware", "paper"});
    flags.AddChoice("delay", "Delay aggregate", m_delay, {"sum", "makespan"});
    flags.AddReal("wTime", "Weight of delay omega_t", m_wTime, nonNegative);
    flags.AddReal("wEnergy", "Weight of energy omega_e", m_wEnergy, nonNegative);
    flags.AddReal("wStability", "Weight of stability omega_s", m_wStability, nonNegative);
    flags.AddReal("minRateBps", "Minimum uplink rate r_min, bit/s", m_minRateBps, nonNegative);
    flags.AddUnsigned("minDeviceLayers",
                      "Privacy minimum alpha_min: layers every device keeps (0 lets an "
                      "allocator choose edge-only)",
                      m_minDeviceLayers,
                      0,
                      100000);
    flags.AddChoice("rateModel",
                    "Rate model of the cost model: snapshot (b log2(1 + SNR), the paper) or "
                    "ergodic (mean rate under Rayleigh fading)",
                    m_rateModel,
                    {"snapshot", "ergodic"});
    flags.AddString("allocatorCommand",
                    "Program of --allocator=external, e.g. 'python3 my.py' (JSON lines on its "
                    "stdin/stdout; doc: Writing your own allocator)",
                    m_allocatorCommand,
                    true);
    flags.AddReal("allocatorTimeoutS",
                  "Longest wait for an answer of the external allocator's program, s (0: the "
                  "attribute ns3::ExternalAllocator::TimeoutS, default 30)",
                  m_allocatorTimeoutS,
                  nonNegative);
}

void
SplitTrainingCommandLine::AddRunFlags(StrictFlags& flags)
{
    SplitTrainingScenario& sc = m_sc;
    const RealRange positive = RealRange::Positive();
    flags.AddString("tier", "Channel tier: fdma, wifi or lte (or a tier's TypeId name)", sc.tier);
    flags.AddChoice("gpuPolicy",
                    "Server GPU sharing",
                    sc.gpuPolicy,
                    {"partitioned", "fcfs", "processor-sharing"});
    flags.AddUnsigned("rounds", "Training rounds", sc.rounds, 1, kMaxRounds);
    flags.AddReal("batteryJ", "Device battery capacity, J", sc.batteryJ, positive);
    flags.AddReal("batteryUpdateS",
                  "Battery's periodic update (RemainingEnergy trace granularity; depletion is "
                  "noticed at once), s",
                  m_batteryUpdateS,
                  positive);
    RealRange share = RealRange::Closed(0, 1);
    share.hiOpen = true;
    flags.AddReal(
        "batteryReserve",
        "Share of the battery at which a device stops (the battery's low-battery threshold)",
        sc.batteryReserve,
        share);
}

void
SplitTrainingCommandLine::AddRadioFlags(StrictFlags& flags)
{
    SplitTrainingScenario& sc = m_sc;
    const RealRange any = RealRange::Any();
    const RealRange nonNegative = RealRange::NonNegative();
    const RealRange positive = RealRange::Positive();
    flags.AddString("channel",
                    "Large-scale channel: log-distance (the paper's 128.1 + 37.6 log10(d/km), no "
                    "shadowing), 3gpp-uma or 3gpp-umi (TR 38.901 path loss, LOS/NLOS, shadowing "
                    "correlated in space)",
                    sc.channel);
    flags.AddReal("frequencyHz",
                  "Carrier frequency of the 3GPP channels and of the Jakes Doppler, Hz",
                  sc.frequencyHz,
                  positive);
    flags.AddReal("bsHeightM",
                  "Server antenna height on the 3GPP channels, m (0: 25 for 3gpp-uma, 10 for "
                  "3gpp-umi)",
                  sc.bsHeightM,
                  nonNegative);
    flags.AddReal("utHeightM",
                  "Device antenna height on the 3GPP channels, m (0: 1.5)",
                  sc.utHeightM,
                  nonNegative);
    flags.AddString("mobility",
                    "Device mobility: static, random-walk, random-waypoint or gauss-markov",
                    sc.mobility);
    flags.AddReal("speed",
                  "Device speed of the moving models and of the Jakes Doppler, m/s (1.4: "
                  "pedestrian, 15: vehicular)",
                  sc.speedMps,
                  nonNegative); // the radio environment says what --mobility needs
    flags.AddString("fading",
                    "Fast fading: none, jakes (Rayleigh, time-correlated by the Doppler) or "
                    "iid-rayleigh (an independent draw per frame)",
                    sc.fading);
    flags.AddReal("shadowingDb",
                  "Removed (0 only): shadowing comes with --channel=3gpp-umi|3gpp-uma",
                  sc.shadowingDb,
                  any);
    flags.AddReal("rateMarginDb",
                  "SNR margin of the rate planned per round, dB (adaptive links: until the "
                  "first SINR report)",
                  sc.rateMarginDb,
                  nonNegative);
    flags.AddString("linkAdaptation",
                    "fdma rate per frame: adaptive (from the receiver's SINR reports) or fixed "
                    "(the round's planned rate, the paper's model)",
                    sc.linkAdaptation);
    flags.AddString("csi",
                    "fdma CSI of the allocator: measured (average over the serving link's "
                    "frames; large-scale gain for other servers) or positions (large-scale "
                    "oracle)",
                    sc.csi);
    flags.AddReal("compression",
                  "Activation size factor (0.5: 16-bit -> 8-bit)",
                  sc.compression,
                  RealRange{0, 1, true, false});
    flags.AddUnsigned("tcpBufferBytes",
                      "TCP send/receive buffer per socket, bytes",
                      sc.tcpBufferBytes,
                      131072,
                      1u << 30);
    flags.AddReal("roundDeadlineS",
                  "Hard round deadline, s (0: automatic, from the bytes to move at the lowest "
                  "measured throughput; devices still moving bytes are not failed)",
                  m_deadlineS,
                  nonNegative);
    flags.AddAlias("roundTimeoutS", "roundDeadlineS");
    flags.AddReal("handoverHysteresisDb",
                  "A device changes server only if the new one is better by this margin, dB "
                  "(0: none)",
                  sc.handoverHysteresisDb,
                  nonNegative);
}

void
SplitTrainingCommandLine::AddSeedAndFaultFlags(StrictFlags& flags)
{
    SplitTrainingScenario& sc = m_sc;
    flags.AddUnsigned("seed",
                      "Seed of the drop and of ns-3's RNG (ns-3's --RngSeed is another name)",
                      m_seed,
                      1,
                      std::numeric_limits<uint32_t>::max());
    flags.AddAlias("RngSeed", "seed");
    // ---- fault injection flags (FaultSchedule; syntax in doc/edge-llm.rst) ----
    flags.AddString("serverFailure",
                    "Servers that fail: M@T[-T2],... (server M fails at T s, recovers at T2 s)",
                    m_serverFailure,
                    true);
    flags.AddString("outage",
                    "Link outages: N@T1-T2,... (device N's link down T1..T2 s)",
                    m_outage,
                    true);
    flags.AddString("leave", "Devices that leave: N@T,... (device N leaves at T s)", m_leave, true);
    flags.AddString("join",
                    "Devices that join late: N@roundR,... (from round R >= 1)",
                    m_join,
                    true);
    RealRange frameErrors = RealRange::Closed(0, 1);
    frameErrors.hiOpen = true;
    flags.AddReal("frameErrorRate",
                  "Frame error rate of every link (fdma: ARQ retries; wifi: MAC retries)",
                  sc.faults.frameErrorRate,
                  frameErrors);
}

void
SplitTrainingCommandLine::ConfigureExternalAllocator(
    const std::vector<std::string>& allocators) const
{
    const bool external =
        std::any_of(allocators.begin(), allocators.end(), [](const std::string& a) {
            return a == "external" || a == ExternalAllocator::GetTypeId().GetName();
        });
    Require(m_allocatorCommand.empty() || external,
            "--allocatorCommand",
            m_allocatorCommand,
            "only together with the allocator external (--allocator=external or external in "
            "--allocators)");
    Require(m_allocatorTimeoutS == 0 ||
                (std::isfinite(m_allocatorTimeoutS) && m_allocatorTimeoutS >= 1e-3),
            "--allocatorTimeoutS",
            (std::ostringstream() << m_allocatorTimeoutS).str(),
            "a number of seconds >= 0.001 (or 0: the attribute's value)");
    if (!m_allocatorCommand.empty())
    {
        Config::SetDefault("ns3::ExternalAllocator::Command", StringValue(m_allocatorCommand));
    }
    if (m_allocatorTimeoutS > 0)
    {
        Config::SetDefault("ns3::ExternalAllocator::TimeoutS", DoubleValue(m_allocatorTimeoutS));
    }
}

SplitTrainingScenario
SplitTrainingCommandLine::Scenario(uint32_t run) const
{
    if (m_seed == 0)
    {
        throw InputError("--seed=0 is not allowed; expected a positive integer");
    }
    if (run == 0)
    {
        throw InputError("--run=0 is not allowed; expected a positive integer");
    }
    if (!(m_batteryUpdateS > 0) || !std::isfinite(m_batteryUpdateS))
    {
        throw InputError("--batteryUpdateS=" + std::to_string(m_batteryUpdateS) +
                         " is not allowed; expected a positive time in s");
    }
    if (!(m_deadlineS >= 0) || !std::isfinite(m_deadlineS))
    {
        throw InputError("--roundDeadlineS=" + std::to_string(m_deadlineS) +
                         " is not allowed; expected a time >= 0 in s (0: automatic)");
    }
    if (!(m_sc.handoverHysteresisDb >= 0) || !std::isfinite(m_sc.handoverHysteresisDb))
    {
        throw InputError("--handoverHysteresisDb=" + std::to_string(m_sc.handoverHysteresisDb) +
                         " is not allowed; expected a margin >= 0 in dB (0: none)");
    }
    if (uint64_t(m_sc.drop.users) * m_sc.drop.servers > kMaxLinks)
    {
        throw InputError("--users=" + std::to_string(m_sc.drop.users) +
                         " with --servers=" + std::to_string(m_sc.drop.servers) + " gives " +
                         std::to_string(uint64_t(m_sc.drop.users) * m_sc.drop.servers) +
                         " device-server links; the limit is " + std::to_string(kMaxLinks) +
                         " (memory of the channel-gain matrix)");
    }
    SplitTrainingScenario sc = m_sc;
    sc.faults.ParseServerFailures(m_serverFailure, "--serverFailure");
    sc.faults.ParseOutages(m_outage, "--outage");
    sc.faults.ParseLeaves(m_leave, "--leave");
    sc.faults.ParseJoins(m_join, "--join");
    sc.faults.Validate(sc.drop.users, sc.drop.servers);
    sc.drop.seed = m_seed * 1000003ULL + run;
    sc.drop.objective.mode = ParseObjectiveMode(m_objective, "--objective");
    sc.drop.objective.delay = ParseDelayAggregate(m_delay, "--delay");
    sc.drop.objective.wTime = m_wTime;
    sc.drop.objective.wEnergy = m_wEnergy;
    sc.drop.objective.wStability = m_wStability;
    sc.drop.objective.minRateBps = m_minRateBps;
    sc.drop.objective.minDeviceLayers = m_minDeviceLayers;
    sc.drop.objective.rateModel = ParseRateModel(m_rateModel, "--rateModel");
    sc.roundTimeout = Seconds(m_deadlineS);
    sc.batteryUpdate = Seconds(m_batteryUpdateS);
    RadioEnvironmentHelper::Validate(sc); // also for programs that never build the network
    return sc;
}

void
SplitTrainingCommandLine::SeedRng(uint32_t run) const
{
    RngSeedManager::SetSeed(m_seed);
    RngSeedManager::SetRun(run);
}

uint32_t
SplitTrainingCommandLine::GetSeed() const
{
    return m_seed;
}

const SplitTrainingScenario&
SplitTrainingCommandLine::GetTemplate() const
{
    return m_sc;
}

int
SplitTrainingCommandLine::ReportRunError(const std::string& program, const std::string& fewer)
{
    try
    {
        throw;
    }
    catch (const InputError& e)
    {
        Simulator::Destroy();
        std::cerr << program << ": error: " << e.what() << "\n";
    }
    catch (const std::bad_alloc&)
    {
        Simulator::Destroy();
        std::cerr << program << ": error: out of memory; use fewer " << fewer << "\n";
    }
    return 2;
}

} // namespace ns3
