/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-command-line.h"

#include "ns3/input-error.h"
#include "ns3/radio-environment-helper.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/round-state-json.h"

#include <cmath>

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
SplitTrainingCommandLine::AddTo(CommandLine& cmd)
{
    SplitTrainingScenario& sc = m_sc;
    cmd.AddValue("users", "Number of mobile devices N", sc.drop.users);
    cmd.AddValue("servers", "Number of edge servers M", sc.drop.servers);
    cmd.AddValue("layout", "Server layout: hex, square or line", sc.drop.layout);
    cmd.AddValue("isd", "Inter-site distance between servers, m", sc.drop.interSiteDistanceM);
    cmd.AddValue("preset", "Parameter preset: realistic or paper", sc.drop.preset);
    cmd.AddValue("model", "LLM in the profile CSV (realistic preset)", sc.drop.model);
    cmd.AddValue("batch", "Batch size (realistic preset)", sc.drop.batch);
    cmd.AddValue("seq", "Sequence length (realistic preset)", sc.drop.seqLen);
    cmd.AddValue("profileCsv", "Profile CSV (default: the module's data/)", sc.drop.profileCsv);
    cmd.AddValue("objective", "Objective: delay-aware or paper", m_objective);
    cmd.AddValue("delay", "Delay aggregate: sum or makespan", m_delay);
    cmd.AddValue("wTime", "Weight of delay omega_t", m_wTime);
    cmd.AddValue("wEnergy", "Weight of energy omega_e", m_wEnergy);
    cmd.AddValue("wStability", "Weight of stability omega_s", m_wStability);
    cmd.AddValue("minRateBps", "Minimum uplink rate r_min, bit/s", m_minRateBps);
    cmd.AddValue("minDeviceLayers",
                 "Privacy minimum alpha_min: layers every device keeps (0 lets an allocator "
                 "choose edge-only)",
                 m_minDeviceLayers);
    cmd.AddValue("rateModel",
                 "Rate model of the cost model: snapshot (b log2(1 + SNR), the paper) or ergodic "
                 "(mean rate under Rayleigh fading)",
                 m_rateModel);
    cmd.AddValue("tier", "Channel tier: fdma, wifi or lte (or a tier's TypeId name)", sc.tier);
    cmd.AddValue("gpuPolicy", "Server GPU: partitioned, fcfs or processor-sharing", sc.gpuPolicy);
    cmd.AddValue("rounds", "Training rounds", sc.rounds);
    cmd.AddValue("batteryJ", "Device battery capacity, J", sc.batteryJ);
    cmd.AddValue("batteryUpdateS",
                 "Battery's periodic update (RemainingEnergy trace granularity; depletion is "
                 "noticed at once), s",
                 m_batteryUpdateS);
    cmd.AddValue(
        "batteryReserve",
        "Share of the battery at which a device stops (the battery's low-battery threshold)",
        sc.batteryReserve);
    cmd.AddValue("channel",
                 "Large-scale channel: log-distance (the paper's 128.1 + 37.6 log10(d/km), no "
                 "shadowing), 3gpp-uma or 3gpp-umi (TR 38.901 path loss, LOS/NLOS, shadowing "
                 "correlated in space)",
                 sc.channel);
    cmd.AddValue("frequencyHz",
                 "Carrier frequency of the 3GPP channels and of the Jakes Doppler, Hz",
                 sc.frequencyHz);
    cmd.AddValue("bsHeightM",
                 "Server antenna height on the 3GPP channels, m (0: 25 for 3gpp-uma, 10 for "
                 "3gpp-umi)",
                 sc.bsHeightM);
    cmd.AddValue("utHeightM",
                 "Device antenna height on the 3GPP channels, m (0: 1.5)",
                 sc.utHeightM);
    cmd.AddValue("mobility",
                 "Device mobility: static, random-walk, random-waypoint or gauss-markov",
                 sc.mobility);
    cmd.AddValue("speed",
                 "Device speed of the moving models and of the Jakes Doppler, m/s (1.4: "
                 "pedestrian, 15: vehicular)",
                 sc.speedMps);
    cmd.AddValue("fading",
                 "Fast fading: none, jakes (Rayleigh, time-correlated by the Doppler) or "
                 "iid-rayleigh (an independent draw per frame)",
                 sc.fading);
    cmd.AddValue("shadowingDb",
                 "Removed (0 only): shadowing comes with --channel=3gpp-umi|3gpp-uma",
                 sc.shadowingDb);
    cmd.AddValue("rateMarginDb",
                 "SNR margin of the rate planned per round, dB (adaptive links: until the "
                 "first SINR report)",
                 sc.rateMarginDb);
    cmd.AddValue("linkAdaptation",
                 "fdma rate per frame: adaptive (from the receiver's SINR reports) or fixed "
                 "(the round's planned rate, the paper's model)",
                 sc.linkAdaptation);
    cmd.AddValue("csi",
                 "fdma CSI of the allocator: measured (average over the serving link's frames; "
                 "large-scale gain for other servers) or positions (large-scale oracle)",
                 sc.csi);
    cmd.AddValue("compression", "Activation size factor (0.5: 16-bit -> 8-bit)", sc.compression);
    cmd.AddValue("tcpBufferBytes", "TCP send/receive buffer per socket, bytes", sc.tcpBufferBytes);
    cmd.AddValue("roundDeadlineS",
                 "Hard round deadline, s (0: automatic, from the bytes to move at the lowest "
                 "measured throughput; devices still moving bytes are not failed)",
                 m_deadlineS);
    cmd.AddValue("roundTimeoutS", "Old name of --roundDeadlineS", m_deadlineS);
    cmd.AddValue("handoverHysteresisDb",
                 "A device changes server only if the new one is better by this margin, dB "
                 "(0: none)",
                 sc.handoverHysteresisDb);
    cmd.AddValue("seed", "Seed of the drop and of ns-3's RNG (positive)", m_seed);
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
    SplitTrainingScenario sc = m_sc;
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

} // namespace ns3
