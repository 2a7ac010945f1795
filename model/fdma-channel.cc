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

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFdmaChannel");
NS_OBJECT_ENSURE_REGISTERED(FdmaChannel);

TypeId
FdmaChannel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FdmaChannel")
            .SetParent<Channel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FdmaChannel>()
            .AddAttribute("PropagationLossModel",
                          "Loss model (chain) applied to every frame at its reception; default "
                          "128.1 + 37.6 log10(d/km) dB (log-distance, exponent 3.76, reference "
                          "52.9 dB at 10 m)",
                          PointerValue(),
                          MakePointerAccessor(&FdmaChannel::m_loss),
                          MakePointerChecker<PropagationLossModel>())
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
    m_loss = nullptr;
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

bool
FdmaChannel::GetLastGain(Ptr<const FdmaNetDevice> src,
                         Ptr<const FdmaNetDevice> dst,
                         double& gain) const
{
    auto it = m_lastGain.find({Mac48Address::ConvertFrom(src->GetAddress()),
                               Mac48Address::ConvertFrom(dst->GetAddress())});
    if (it == m_lastGain.end())
    {
        return false;
    }
    gain = it->second;
    return true;
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
    m_bandModels[bandwidthHz] = model;
    return model;
}

void
FdmaChannel::Transmit(Ptr<Packet> frame,
                      Ptr<FdmaNetDevice> src,
                      Mac48Address dst,
                      Time airtime,
                      const FdmaLinkParams& params)
{
    NS_LOG_FUNCTION(this << frame << src << dst << airtime);
    Ptr<FdmaNetDevice> receiver = Find(dst);
    if (!receiver)
    {
        NS_LOG_WARN("no device " << dst << " on the channel: frame lost");
        return;
    }
    auto a = src->GetNode()->GetObject<MobilityModel>();
    auto b = receiver->GetNode()->GetObject<MobilityModel>();
    const Time delay = m_delay->GetDelay(a, b);
    Simulator::ScheduleWithContext(receiver->GetNode()->GetId(),
                                   airtime + delay,
                                   &FdmaChannel::EndReception,
                                   this,
                                   frame,
                                   src,
                                   receiver,
                                   airtime,
                                   params);
}

void
FdmaChannel::EndReception(Ptr<Packet> frame,
                          Ptr<FdmaNetDevice> src,
                          Ptr<FdmaNetDevice> dst,
                          Time airtime,
                          FdmaLinkParams params)
{
    const double rxW = RxPowerW(src, dst, params.txPowerW);
    m_lastGain[{Mac48Address::ConvertFrom(src->GetAddress()),
                Mac48Address::ConvertFrom(dst->GetAddress())}] = rxW / params.txPowerW;
    SpectrumValue sinr(BandModel(params.bandwidthHz));
    sinr = rxW / (m_noisePsdWPerHz * params.bandwidthHz);
    auto error = CreateObject<ShannonSpectrumErrorModel>();
    error->StartRx(frame);
    error->EvaluateChunk(sinr, airtime);
    const bool ok = error->IsRxCorrect();
    const double capacity = params.bandwidthHz * std::log2(1.0 + sinr[0]);
    NS_LOG_LOGIC("frame " << frame->GetSize() << " B at " << params.rateBps << " bit/s, capacity "
                          << capacity << " bit/s: " << (ok ? "received" : "lost"));
    dst->Receive(frame, ok, capacity, params.rateBps);
}

} // namespace ns3
