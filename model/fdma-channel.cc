/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-channel.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-error-model.h"
#include "ns3/spectrum-value.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFdmaChannel");
NS_OBJECT_ENSURE_REGISTERED(FdmaChannel);

namespace
{
/// Most one-bin spectrum models cached (one per sub-band width in use)
constexpr std::size_t kMaxBandModels = 4096;
} // namespace

TypeId
FdmaChannel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FdmaChannel")
            .SetParent<Channel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FdmaChannel>()
            .AddAttribute("PropagationLossModel",
                          "Large-scale loss (chain: path loss, shadowing) at the current "
                          "positions; also what positions-based CSI sees. Default "
                          "128.1 + 37.6 log10(d/km) dB (log-distance, exponent 3.76, reference "
                          "52.9 dB at 10 m)",
                          PointerValue(),
                          MakePointerAccessor(&FdmaChannel::m_loss),
                          MakePointerChecker<PropagationLossModel>())
            .AddAttribute("FastFadingModel",
                          "Fast fading applied on top of the large-scale loss, drawn at every "
                          "chunk of every frame (a PropagationLossModel used for its gain "
                          "alone, e.g. Nakagami m = 1 for Rayleigh, Jakes); null: none",
                          PointerValue(),
                          MakePointerAccessor(&FdmaChannel::m_fading),
                          MakePointerChecker<PropagationLossModel>())
            .AddAttribute("CoherenceTime",
                          "Target chunk length: a frame's airtime is evaluated in chunks of "
                          "about this length, the channel sampled at the end of each (default "
                          "20 ms: 9 / (16 pi f_D) at 2 GHz and 1.4 m/s)",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&FdmaChannel::m_coherenceTime),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("MaxChunksPerFrame",
                          "Most chunks a frame's airtime is evaluated in (longer chunks beyond)",
                          UintegerValue(16),
                          MakeUintegerAccessor(&FdmaChannel::m_maxChunks),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("PropagationDelayModel",
                          "Propagation delay model; default constant speed of light",
                          PointerValue(),
                          MakePointerAccessor(&FdmaChannel::m_delay),
                          MakePointerChecker<PropagationDelayModel>())
            .AddAttribute("NoisePsdWPerHz",
                          "Noise power spectral density at every receiver, W/Hz "
                          "(-174 dBm/Hz + 9 dB noise figure by default)",
                          DoubleValue(std::pow(10.0, (-174.0 + 9.0 - 30.0) / 10.0)),
                          MakeDoubleAccessor(&FdmaChannel::m_noisePsdWPerHz),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("CenterFrequencyHz",
                          "Nominal carrier of the sub-bands (only labels the spectrum bins)",
                          DoubleValue(2e9),
                          MakeDoubleAccessor(&FdmaChannel::m_centerFrequencyHz),
                          MakeDoubleChecker<double>(1.0));
    return tid;
}

FdmaChannel::FdmaChannel()
{
    NS_LOG_FUNCTION(this);
    // 128.1 + 37.6 log10(d/km) dB. ns-3's log-distance model returns the reference loss for
    // every distance up to the reference distance, so the reference sits at 10 m (52.9 dB), not
    // at 1 km (which would give every sub-km link 128.1 dB).
    auto loss = CreateObject<LogDistancePropagationLossModel>();
    loss->SetReference(10.0, 128.1 + 37.6 * std::log10(10.0 / 1000.0));
    loss->SetPathLossExponent(3.76);
    m_loss = loss;
    m_delay = CreateObject<ConstantSpeedPropagationDelayModel>();
}

FdmaChannel::~FdmaChannel() = default;

void
FdmaChannel::DoDispose()
{
    for (auto& d : m_devices)
    {
        d = nullptr;
    }
    m_devices.clear();
    m_byMac.clear();
    for (auto& [id, tx] : m_onAir)
    {
        for (auto& e : tx.samples)
        {
            e.Cancel();
        }
    }
    m_onAir.clear();
    m_loss = nullptr;
    m_fading = nullptr;
    m_errorModel = nullptr;
    m_bandModels.clear();
    m_delay = nullptr;
    Channel::DoDispose();
}

void
FdmaChannel::Add(Ptr<FdmaNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    m_devices.push_back(device);
    m_byMac[Mac48Address::ConvertFrom(device->GetAddress())] = device;
}

Ptr<FdmaNetDevice>
FdmaChannel::Find(Mac48Address mac) const
{
    auto it = m_byMac.find(mac);
    return it == m_byMac.end() ? nullptr : it->second;
}

double
FdmaChannel::GetNoisePsdWPerHz() const
{
    return m_noisePsdWPerHz;
}

std::size_t
FdmaChannel::GetNDevices() const
{
    return m_devices.size();
}

Ptr<NetDevice>
FdmaChannel::GetDevice(std::size_t i) const
{
    return m_devices.at(i);
}

double
FdmaChannel::RxPowerW(Ptr<const FdmaNetDevice> src,
                      Ptr<const FdmaNetDevice> dst,
                      double txPowerW) const
{
    auto a = src->GetNode()->GetObject<MobilityModel>();
    auto b = dst->GetNode()->GetObject<MobilityModel>();
    NS_ABORT_MSG_IF(!a || !b, "FdmaChannel: every node needs a MobilityModel");
    const double txDbm = 10.0 * std::log10(txPowerW) + 30.0;
    const double rxDbm = m_loss->CalcRxPower(txDbm, a, b);
    return std::pow(10.0, (rxDbm - 30.0) / 10.0);
}

double
FdmaChannel::FastFadingGain(Ptr<const FdmaNetDevice> src, Ptr<const FdmaNetDevice> dst) const
{
    if (!m_fading)
    {
        return 1.0;
    }
    auto a = src->GetNode()->GetObject<MobilityModel>();
    auto b = dst->GetNode()->GetObject<MobilityModel>();
    return std::pow(10.0, m_fading->CalcRxPower(0.0, a, b) / 10.0);
}

bool
FdmaChannel::HasFastFading() const
{
    return m_fading != nullptr;
}

uint32_t
FdmaChannel::ChunkCount(Time airtime) const
{
    const int64_t t = airtime.GetTimeStep();
    const int64_t c = m_coherenceTime.GetTimeStep();
    const int64_t n = (t + c - 1) / c;
    return static_cast<uint32_t>(std::clamp<int64_t>(n, 1, m_maxChunks));
}

Ptr<const SpectrumModel>
FdmaChannel::BandModel(double bandwidthHz)
{
    auto it = m_bandModels.find(bandwidthHz);
    if (it != m_bandModels.end())
    {
        return it->second;
    }
    BandInfo band;
    band.fl = m_centerFrequencyHz - bandwidthHz / 2;
    band.fc = m_centerFrequencyHz;
    band.fh = m_centerFrequencyHz + bandwidthHz / 2;
    Ptr<const SpectrumModel> model = Create<SpectrumModel>(Bands{band});
    if (m_bandModels.size() >= kMaxBandModels)
    {
        m_bandModels.clear(); // every plan has its own widths: keep the cache bounded
    }
    m_bandModels[bandwidthHz] = model;
    return model;
}

Time
FdmaChannel::ChunkEnd(const OnAir& tx, uint32_t i)
{
    return TimeStep(tx.airtime.GetTimeStep() * (i + 1) / tx.chunks);
}

uint64_t
FdmaChannel::Transmit(Ptr<Packet> frame,
                      Ptr<FdmaNetDevice> src,
                      Mac48Address dst,
                      Time airtime,
                      const FdmaLinkParams& params,
                      uint32_t bytes,
                      bool lastBlock)
{
    NS_LOG_FUNCTION(this << frame << src << dst << airtime);
    const uint64_t id = m_nextId++;
    OnAir& tx = m_onAir[id];
    tx.frame = frame;
    tx.src = src;
    tx.dst = Find(dst);
    tx.params = params;
    tx.airtime = airtime;
    tx.bytes = bytes == 0 ? frame->GetSize() : bytes;
    tx.lastBlock = lastBlock;
    if (!tx.dst)
    {
        NS_LOG_WARN("no device " << dst << " on the channel: frame lost");
        return id;
    }
    // chunks 0 … n-2 are sampled at their ends; the last at the end of the airtime
    tx.srcMobility = src->GetNode()->GetObject<MobilityModel>();
    tx.dstMobility = tx.dst->GetNode()->GetObject<MobilityModel>();
    NS_ABORT_MSG_IF(!tx.srcMobility || !tx.dstMobility,
                    "FdmaChannel: every node needs a MobilityModel");
    tx.delay = m_delay->GetDelay(tx.srcMobility, tx.dstMobility);
    tx.chunks = ChunkCount(airtime);
    for (uint32_t i = 0; i + 1 < tx.chunks; ++i)
    {
        tx.samples.push_back(
            Simulator::Schedule(ChunkEnd(tx, i), &FdmaChannel::SampleChunk, this, id, i));
    }
    return id;
}

void
FdmaChannel::SampleChunk(uint64_t id, uint32_t i)
{
    Sample(m_onAir.at(id), i);
}

void
FdmaChannel::Sample(OnAir& tx, uint32_t i)
{
    const Time duration = ChunkEnd(tx, i) - (i == 0 ? Time(0) : ChunkEnd(tx, i - 1));
    const double gain = Gain(tx);
    const double sinr = gain * tx.params.txPowerW / (m_noisePsdWPerHz * tx.params.bandwidthHz);
    if (!tx.sampled.empty() && tx.sampled.back().sinr == sinr)
    {
        tx.sampled.back().duration += duration; // one chunk of constant SINR, as ns-3 cuts them
        return;
    }
    tx.sampled.push_back({gain, sinr, duration});
}

double
FdmaChannel::Gain(const OnAir& tx) const
{
    // the same as RxPowerW(src, dst, 1) * FastFadingGain(src, dst), without looking the
    // mobility models up at every chunk
    const double rxDbm = m_loss->CalcRxPower(30.0, tx.srcMobility, tx.dstMobility);
    const double largeScale = std::pow(10.0, (rxDbm - 30.0) / 10.0);
    if (!m_fading)
    {
        return largeScale;
    }
    return largeScale *
           std::pow(10.0, m_fading->CalcRxPower(0.0, tx.srcMobility, tx.dstMobility) / 10.0);
}

FdmaFrameReport
FdmaChannel::EndTransmission(uint64_t id)
{
    auto it = m_onAir.find(id);
    NS_ASSERT_MSG(it != m_onAir.end(), "FdmaChannel: unknown transmission " << id);
    if (it->second.dst)
    {
        Sample(it->second, it->second.chunks - 1); // the last chunk ends now
    }
    const OnAir tx = std::move(it->second);
    m_onAir.erase(it);
    if (!tx.dst)
    {
        FdmaFrameReport report;
        report.from = Mac48Address::ConvertFrom(tx.src->GetAddress());
        report.rateBps = tx.params.rateBps;
        report.bytes = tx.bytes;
        report.lastBlock = tx.lastBlock;
        return report;
    }
    FdmaFrameReport report = Evaluate(tx);
    if (report.received && tx.dst->ReceiveErrorModelLoses(tx.frame))
    {
        report.received = false; // a frame error on top of the SINR (fault injection)
    }
    NS_LOG_LOGIC("frame " << tx.frame->GetSize() << " B at " << report.rateBps
                          << " bit/s, capacity " << report.capacityBps << " bit/s over "
                          << report.chunks
                          << " chunk(s): " << (report.received ? "received" : "lost"));
    Simulator::ScheduleWithContext(tx.dst->GetNode()->GetId(),
                                   tx.delay,
                                   &FdmaChannel::Deliver,
                                   tx.frame,
                                   tx.dst,
                                   report);
    return report;
}

FdmaFrameReport
FdmaChannel::Evaluate(const OnAir& tx)
{
    FdmaFrameReport report;
    report.from = Mac48Address::ConvertFrom(tx.src->GetAddress());
    report.rateBps = tx.params.rateBps;
    report.chunks = static_cast<uint32_t>(tx.sampled.size());
    report.bytes = tx.bytes;
    report.lastBlock = tx.lastBlock;
    const double b = tx.params.bandwidthHz;
    if (!m_errorModel)
    {
        m_errorModel = CreateObject<ShannonSpectrumErrorModel>();
    }
    const Ptr<ShannonSpectrumErrorModel>& error = m_errorModel;
    error->StartRx(tx.bytes == tx.frame->GetSize() ? tx.frame : Create<Packet>(tx.bytes));
    SpectrumValue sinr(BandModel(b));
    double bitsPerHz = 0; // duration-weighted sum of log2(1 + SINR)
    double gain = 0;      // duration-weighted sum of gains
    for (const auto& c : tx.sampled)
    {
        sinr = c.sinr;
        error->EvaluateChunk(sinr, c.duration);
        bitsPerHz += std::log2(1.0 + c.sinr) * c.duration.GetSeconds();
        gain += c.gain * c.duration.GetSeconds();
    }
    report.received = error->IsRxCorrect();
    if (tx.sampled.size() == 1)
    {
        report.meanGain = tx.sampled.front().gain;
        report.effectiveGain = report.meanGain;
        report.capacityBps = b * std::log2(1.0 + tx.sampled.front().sinr);
        return report;
    }
    const double seconds = tx.airtime.GetSeconds();
    const double se = bitsPerHz / seconds;
    report.meanGain = gain / seconds;
    report.capacityBps = b * se;
    report.effectiveGain = (std::exp2(se) - 1.0) * m_noisePsdWPerHz * b / tx.params.txPowerW;
    return report;
}

void
FdmaChannel::Deliver(Ptr<Packet> frame, Ptr<FdmaNetDevice> dst, FdmaFrameReport report)
{
    dst->Receive(frame, report);
}

} // namespace ns3
