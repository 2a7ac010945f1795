/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fdma-net-device.h"

#include "fdma-channel.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFdmaNetDevice");
NS_OBJECT_ENSURE_REGISTERED(FdmaNetDevice);

namespace
{
/// PHY framing added to every frame's airtime, bytes.
constexpr uint32_t kPhyFramingBytes = 1;
} // namespace

TypeId
FdmaNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FdmaNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FdmaNetDevice>()
            .AddAttribute("Mtu",
                          "MTU in bytes; large, so that per-frame headers cost < 0.1 % airtime",
                          UintegerValue(65000),
                          MakeUintegerAccessor(&FdmaNetDevice::SetMtu, &FdmaNetDevice::GetMtu),
                          MakeUintegerChecker<uint16_t>(68))
            .AddAttribute("MaxQueueFrames",
                          "Frames each link may hold waiting for the air; more are dropped",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&FdmaNetDevice::m_maxQueueFrames),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("LinkAdaptation",
                          "Rate of every frame: fixed (the round's planned rate, the paper's "
                          "model) or adaptive (Shannon rate of the receiver's most recent SINR "
                          "report, backed off by SnrGapDb and the outer loop)",
                          EnumValue(FdmaLinkAdaptationConfig::ADAPTIVE),
                          MakeEnumAccessor(&FdmaNetDevice::m_linkAdaptation),
                          MakeEnumChecker(FdmaLinkAdaptationConfig::FIXED,
                                          "fixed",
                                          FdmaLinkAdaptationConfig::ADAPTIVE,
                                          "adaptive"))
            .AddAttribute("SnrGapDb",
                          "Adaptive: constant SNR gap of the Shannon rate mapping, dB (0: the "
                          "rate is the reported capacity, as the allocator plans)",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FdmaNetDevice::m_snrGapDb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("BlerTarget",
                          "Adaptive: share of lost tries the outer loop steers to (0.3: with "
                          "incremental redundancy a lost try costs little, a back-off costs "
                          "every try)",
                          DoubleValue(0.3),
                          MakeDoubleAccessor(&FdmaNetDevice::m_blerTarget),
                          MakeDoubleChecker<double>(1e-6, 0.5))
            .AddAttribute("OllaStepDb",
                          "Adaptive: back-off the outer loop adds per lost try, dB (each received "
                          "try removes OllaStepDb * BlerTarget / (1 - BlerTarget)); 0: no outer "
                          "loop",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&FdmaNetDevice::m_ollaStepDb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("MaxBackoffDb",
                          "Adaptive: largest outer-loop back-off, dB",
                          DoubleValue(30.0),
                          MakeDoubleAccessor(&FdmaNetDevice::m_maxBackoffDb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("MinSpectralEfficiency",
                          "Adaptive: lowest rate per Hz of sub-band, bit/s/Hz (3GPP CQI 1, QPSK "
                          "78/1024: 0.15)",
                          DoubleValue(0.15),
                          MakeDoubleAccessor(&FdmaNetDevice::m_minSpectralEfficiency),
                          MakeDoubleChecker<double>(1e-6))
            .AddAttribute("BlockDuration",
                          "Adaptive: longest airtime of one transport block. A frame that takes "
                          "longer at the chosen rate goes out as several blocks, each sent at "
                          "the rate of the latest report and retransmitted on its own (ARQ); the "
                          "frame is passed up when its last block arrives. Shorter than the "
                          "coherence time, the rate follows the fading. Applies on channels with "
                          "a FastFadingModel only (a steady channel needs no re-adaptation within "
                          "a frame). 0: one block per frame",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&FdmaNetDevice::m_blockDuration),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("IncrementalRedundancy",
                          "HARQ with incremental redundancy: the receiver keeps the information "
                          "a lost try carried (its capacity times its airtime) and a retry sends "
                          "only what is missing, at the rate chosen for it; false: a lost try is "
                          "discarded and the whole block is sent again (plain ARQ)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FdmaNetDevice::m_incrementalRedundancy),
                          MakeBooleanChecker())
            .AddAttribute("MaxTransmissions",
                          "Link-layer ARQ: tries per block (per frame if unsegmented) before the "
                          "frame is dropped (1: no ARQ)",
                          UintegerValue(8),
                          MakeUintegerAccessor(&FdmaNetDevice::m_maxTransmissions),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ReceiveErrorModel",
                          "Error model of received frames (e.g. a RateErrorModel for a frame "
                          "error rate): a frame it corrupts counts as a lost try, which the "
                          "sender's ARQ retries (null: none)",
                          PointerValue(),
                          MakePointerAccessor(&FdmaNetDevice::m_receiveErrorModel),
                          MakePointerChecker<ErrorModel>())
            .AddTraceSource("MacTx",
                            "A frame was accepted for transmission",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacTxDrop",
                            "A frame was dropped before the air (no link, queue full, moved)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_macTxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A frame was received and passed up",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxBegin",
                            "A try of a frame starts its airtime (frame, tx power W, airtime)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_phyTxBeginTrace),
                            "ns3::FdmaNetDevice::PhyTxBeginTracedCallback")
            .AddTraceSource("PhyTxEnd",
                            "A try of a frame ends its airtime",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_phyTxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxEnd",
                            "A frame was received correctly",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_phyRxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxDrop",
                            "A try was lost: rate above the mean capacity over its airtime "
                            "(frame, capacity, rate)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_phyRxDropTrace),
                            "ns3::FdmaNetDevice::PhyRxDropTracedCallback")
            .AddTraceSource("Sniffer",
                            "Every frame sent or received correctly (for pcap)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_snifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("TxAttempt",
                            "A try goes on the air (frame, attempt 1, 2, …, rate bit/s)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_txAttemptTrace),
                            "ns3::FdmaNetDevice::TxAttemptTracedCallback")
            .AddTraceSource("ArqRetransmission",
                            "A try was lost and the frame will be sent again (frame, tries so far)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_arqRetransmissionTrace),
                            "ns3::FdmaNetDevice::ArqTracedCallback")
            .AddTraceSource("ArqDrop",
                            "The last allowed try was lost: frame dropped (frame, tries)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_arqDropTrace),
                            "ns3::FdmaNetDevice::ArqTracedCallback")
            .AddTraceSource("PhyRxMeasurement",
                            "Receiver side: a try's reception ended, received or not (what was "
                            "measured: gains, capacity, rate, chunks)",
                            MakeTraceSourceAccessor(&FdmaNetDevice::m_phyRxMeasurementTrace),
                            "ns3::FdmaNetDevice::PhyRxMeasurementTracedCallback");
    return tid;
}

FdmaNetDevice::FdmaNetDevice()
{
    NS_LOG_FUNCTION(this);
}

FdmaNetDevice::~FdmaNetDevice() = default;

void
FdmaNetDevice::DoDispose()
{
    for (auto& [peer, link] : m_links)
    {
        Simulator::Cancel(link.txEnd);
        link.queue.clear();
    }
    m_links.clear();
    m_node = nullptr;
    m_channel = nullptr;
    m_receiveErrorModel = nullptr;
    m_rxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    NetDevice::DoDispose();
}

void
FdmaNetDevice::SetRole(Role role)
{
    m_role = role;
}

FdmaNetDevice::Role
FdmaNetDevice::GetRole() const
{
    return m_role;
}

void
FdmaNetDevice::Attach(Ptr<FdmaChannel> channel)
{
    NS_ABORT_MSG_IF(m_channel, "FdmaNetDevice is attached already");
    m_channel = channel;
    channel->Add(this);
}

void
FdmaNetDevice::Flush(Link& link)
{
    for (const auto& frame : link.queue)
    {
        m_macTxDropTrace(frame);
    }
    link.queue.clear();
    if (link.current && !link.busy)
    {
        m_macTxDropTrace(link.current); // waiting for a retransmission
        link.current = nullptr;
        link.sentBytes = 0;
        link.blockBytes = 0;
    }
}

void
FdmaNetDevice::SetLink(Mac48Address peer, const FdmaLinkParams& params)
{
    NS_LOG_FUNCTION(this << peer << params.bandwidthHz << params.txPowerW << params.rateBps);
    NS_ABORT_MSG_IF(params.bandwidthHz <= 0 || params.txPowerW <= 0 || params.rateBps <= 0,
                    "FdmaNetDevice::SetLink: bandwidth, power and rate must be positive (got "
                        << params.bandwidthHz << " Hz, " << params.txPowerW << " W, "
                        << params.rateBps << " bit/s)");
    if (m_role == MOBILE)
    {
        // a mobile has one link: a new peer replaces the old one
        for (auto it = m_links.begin(); it != m_links.end();)
        {
            if (it->first != peer)
            {
                Flush(it->second);
                it = m_links.erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    Link& link = m_links[peer];
    link.params = params; // takes effect from the next frame
    link.counters = &m_peerCounters[peer];
    StartNext(peer);
}

void
FdmaNetDevice::RemoveLink(Mac48Address peer)
{
    auto it = m_links.find(peer);
    if (it != m_links.end())
    {
        Flush(it->second);
        if (!it->second.busy)
        {
            m_links.erase(it);
        }
        else
        {
            it->second.params.rateBps = 0; // erased when the frame on the air ends
        }
    }
}

FdmaLinkParams
FdmaNetDevice::GetLink(Mac48Address peer) const
{
    auto it = m_links.find(peer);
    return it == m_links.end() ? FdmaLinkParams{} : it->second.params;
}

bool
FdmaNetDevice::Enqueue(Mac48Address peer, Ptr<Packet> frame)
{
    auto it = m_links.find(peer);
    if (it == m_links.end() || it->second.params.rateBps <= 0 ||
        it->second.queue.size() >= m_maxQueueFrames)
    {
        NS_LOG_LOGIC("no link to " << peer << " or queue full: frame dropped");
        m_macTxDropTrace(frame);
        return false;
    }
    m_macTxTrace(frame);
    it->second.queue.push_back(frame);
    StartNext(peer);
    return true;
}

FdmaLinkAdaptationConfig
FdmaNetDevice::AdaptationConfig() const
{
    FdmaLinkAdaptationConfig c;
    c.mode = m_linkAdaptation;
    c.snrGapDb = m_snrGapDb;
    c.blerTarget = m_blerTarget;
    c.ollaStepDb = m_ollaStepDb;
    c.maxBackoffDb = m_maxBackoffDb;
    c.minSpectralEfficiency = m_minSpectralEfficiency;
    return c;
}

Time
FdmaNetDevice::Airtime(uint32_t bytes, double rateBps)
{
    // One byte of PHY framing per try (ns-3's ShannonSpectrumErrorModel accepts a frame only
    // if the capacity over its airtime exceeds its bytes strictly), airtime rounded up to the
    // next nanosecond: a frame sent at exactly the capacity arrives.
    const double seconds = (bytes + kPhyFramingBytes) * 8.0 / rateBps;
    return NanoSeconds(static_cast<int64_t>(std::ceil(seconds * 1e9)) + 1);
}

void
FdmaNetDevice::StartNext(Mac48Address peer)
{
    auto it = m_links.find(peer);
    if (it == m_links.end() || it->second.busy)
    {
        return;
    }
    Link& link = it->second;
    FdmaTxCounters& peerCounters = *link.counters;
    if (!link.current)
    {
        if (link.queue.empty())
        {
            return;
        }
        link.current = link.queue.front();
        link.queue.pop_front();
        link.tries = 0;
        link.sentBytes = 0;
        link.blockBytes = 0;
        ++m_counters.frames;
        ++peerCounters.frames;
    }
    const FdmaLinkAdaptationConfig config = AdaptationConfig();
    const bool blocks = config.mode == FdmaLinkAdaptationConfig::ADAPTIVE &&
                        m_blockDuration.IsStrictlyPositive() && m_channel->HasFastFading();
    if (blocks && link.adapter.InOutage(config, link.params, m_channel->GetNoisePsdWPerHz()))
    {
        // out of range (CQI 0): send nothing, sound the channel again after a block
        ++m_counters.outageWaits;
        ++peerCounters.outageWaits;
        link.busy = true;
        link.waiting = true;
        link.txEnd =
            Simulator::Schedule(m_blockDuration, &FdmaNetDevice::OutageWaitEnd, this, peer);
        return;
    }
    ++link.tries;
    ++m_counters.attempts;
    ++peerCounters.attempts;
    link.busy = true;
    const double rate = link.adapter.RateBps(config, link.params, m_channel->GetNoisePsdWPerHz());
    const uint32_t frameBytes = link.current->GetSize();
    if (link.blockBytes == 0)
    {
        // cut the next block: what the chosen rate carries in BlockDuration (its retries keep
        // the size, as a HARQ retransmission keeps its transport block)
        const uint32_t left = frameBytes - link.sentBytes;
        link.blockBytes = left;
        if (blocks)
        {
            const double fit = rate * m_blockDuration.GetSeconds() / 8.0 - kPhyFramingBytes;
            link.blockBytes = static_cast<uint32_t>(std::clamp(std::floor(fit), 1.0, double(left)));
        }
        link.missingBits = 8.0 * link.blockBytes;
        ++m_counters.blocks;
        ++peerCounters.blocks;
    }
    link.tryBytes = link.blockBytes;
    if (m_incrementalRedundancy && link.tries > 1)
    {
        link.tryBytes = static_cast<uint32_t>(
            std::clamp(std::ceil(link.missingBits / 8.0), 1.0, double(link.blockBytes)));
    }
    const bool first = link.sentBytes == 0;
    const bool last = link.sentBytes + link.blockBytes == frameBytes;
    const Time airtime = Airtime(link.tryBytes, rate);
    link.tryAirtime = airtime;
    m_counters.airtime += airtime;
    peerCounters.airtime += airtime;
    FdmaLinkParams sent = link.params;
    sent.rateBps = rate;
    Ptr<Packet> frame = link.current;
    m_txAttemptTrace(frame, link.tries, rate);
    if (first)
    {
        m_snifferTrace(frame);
    }
    m_phyTxBeginTrace(frame, sent.txPowerW, airtime);
    const uint64_t id = m_channel->Transmit(last ? frame->Copy() : frame,
                                            this,
                                            peer,
                                            airtime,
                                            sent,
                                            link.tryBytes,
                                            last);
    link.txEnd =
        Simulator::Schedule(airtime, &FdmaNetDevice::TransmitComplete, this, peer, frame, id);
}

void
FdmaNetDevice::OutageWaitEnd(Mac48Address peer)
{
    auto it = m_links.find(peer);
    if (it == m_links.end() || !it->second.waiting)
    {
        return; // the link was replaced meanwhile
    }
    Link& link = it->second;
    link.busy = false;
    link.waiting = false;
    if (link.params.rateBps <= 0)
    {
        if (link.current)
        {
            m_macTxDropTrace(link.current); // removed while waiting
        }
        m_links.erase(it);
        return;
    }
    if (Ptr<FdmaNetDevice> dst = m_channel->Find(peer))
    {
        link.adapter.Sound(m_channel->RxPowerW(this, dst, 1.0) *
                           m_channel->FastFadingGain(this, dst));
    }
    StartNext(peer);
}

void
FdmaNetDevice::TransmitComplete(Mac48Address peer, Ptr<Packet> frame, uint64_t id)
{
    const FdmaFrameReport report = m_channel->EndTransmission(id);
    m_phyTxEndTrace(frame);
    auto it = m_links.find(peer);
    if (it == m_links.end() || it->second.current != frame)
    {
        return; // the link was replaced while the frame was on the air
    }
    Link& link = it->second;
    link.busy = false;
    link.adapter.Feedback(AdaptationConfig(), report.received, report.effectiveGain);
    if (!report.received && m_incrementalRedundancy)
    {
        link.missingBits -= report.capacityBps * link.tryAirtime.GetSeconds();
    }
    ConcludeTry(link, report.received, *link.counters);
    if (link.params.rateBps <= 0)
    {
        m_links.erase(it); // removed while on the air
        return;
    }
    StartNext(peer);
}

void
FdmaNetDevice::ConcludeTry(Link& link, bool received, FdmaTxCounters& peerCounters)
{
    if (received)
    {
        link.sentBytes += link.blockBytes;
        link.blockBytes = 0;
        link.tries = 0;
        if (link.sentBytes < link.current->GetSize())
        {
            if (link.params.rateBps > 0)
            {
                return; // StartNext sends the next block
            }
            m_macTxDropTrace(link.current); // the link was removed mid-frame
        }
        else
        {
            ++m_counters.delivered;
            ++peerCounters.delivered;
        }
        link.current = nullptr;
        link.sentBytes = 0;
        return;
    }
    if (link.params.rateBps <= 0)
    {
        m_macTxDropTrace(link.current); // the link was removed while the try was on the air
    }
    else if (link.tries < m_maxTransmissions)
    {
        ++m_counters.retransmissions;
        ++peerCounters.retransmissions;
        m_arqRetransmissionTrace(link.current, link.tries);
        return; // keep the frame: StartNext sends it again
    }
    else
    {
        ++m_counters.arqDrops;
        ++peerCounters.arqDrops;
        m_arqDropTrace(link.current, link.tries);
    }
    link.current = nullptr;
    link.tries = 0;
    link.sentBytes = 0;
    link.blockBytes = 0;
}

void
FdmaNetDevice::Receive(Ptr<Packet> frame, const FdmaFrameReport& report)
{
    m_phyRxMeasurementTrace(report);
    if (!report.received)
    {
        m_phyRxDropTrace(frame, report.capacityBps, report.rateBps);
        return;
    }
    if (!report.lastBlock)
    {
        return; // a block of a frame that is not complete yet
    }
    m_phyRxEndTrace(frame);
    m_snifferTrace(frame);
    Ptr<Packet> packet = frame->Copy();
    EthernetHeader header(false);
    packet->RemoveHeader(header);
    const Mac48Address to = header.GetDestination();
    PacketType type = to == m_address    ? NetDevice::PACKET_HOST
                      : to.IsBroadcast() ? NetDevice::PACKET_BROADCAST
                      : to.IsGroup()     ? NetDevice::PACKET_MULTICAST
                                         : NetDevice::PACKET_OTHERHOST;
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, packet, header.GetLengthType(), header.GetSource(), to, type);
    }
    if (type != NetDevice::PACKET_OTHERHOST)
    {
        m_macRxTrace(packet);
        m_rxCallback(this, packet, header.GetLengthType(), header.GetSource());
    }
}

bool
FdmaNetDevice::ReceiveErrorModelLoses(Ptr<Packet> frame) const
{
    return m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(frame);
}

const FdmaTxCounters&
FdmaNetDevice::GetTxCounters() const
{
    return m_counters;
}

FdmaTxCounters
FdmaNetDevice::GetTxCounters(Mac48Address peer) const
{
    auto it = m_peerCounters.find(peer);
    return it == m_peerCounters.end() ? FdmaTxCounters{} : it->second;
}

const FdmaLinkAdapter*
FdmaNetDevice::GetLinkAdapter(Mac48Address peer) const
{
    auto it = m_links.find(peer);
    return it == m_links.end() ? nullptr : &it->second.adapter;
}

bool
FdmaNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return SendFrom(packet, m_address, dest, protocolNumber);
}

bool
FdmaNetDevice::SendFrom(Ptr<Packet> packet,
                        const Address& source,
                        const Address& dest,
                        uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    const Mac48Address to = Mac48Address::ConvertFrom(dest);
    EthernetHeader header(false);
    header.SetSource(Mac48Address::ConvertFrom(source));
    header.SetDestination(to);
    header.SetLengthType(protocolNumber);
    packet->AddHeader(header);
    if (to.IsBroadcast() || to.IsGroup())
    {
        if (m_links.empty())
        {
            m_macTxDropTrace(packet);
            return false;
        }
        bool any = false;
        for (auto& [peer, link] : m_links)
        {
            any = Enqueue(peer, packet->Copy()) || any;
        }
        return any;
    }
    if (m_role == MOBILE)
    {
        // a mobile reaches only its current server
        if (m_links.empty() || m_links.begin()->first != to)
        {
            NS_LOG_LOGIC("mobile has no link to " << to << ": frame dropped");
            m_macTxDropTrace(packet);
            return false;
        }
        return Enqueue(to, packet);
    }
    return Enqueue(to, packet);
}

void
FdmaNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
FdmaNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
FdmaNetDevice::GetChannel() const
{
    return m_channel;
}

void
FdmaNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
FdmaNetDevice::GetAddress() const
{
    return m_address;
}

bool
FdmaNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
FdmaNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
FdmaNetDevice::IsLinkUp() const
{
    return m_channel != nullptr;
}

void
FdmaNetDevice::AddLinkChangeCallback(Callback<void>)
{
}

bool
FdmaNetDevice::IsBroadcast() const
{
    return true;
}

Address
FdmaNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
FdmaNetDevice::IsMulticast() const
{
    return true;
}

Address
FdmaNetDevice::GetMulticast(Ipv4Address group) const
{
    return Mac48Address::GetMulticast(group);
}

Address
FdmaNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
FdmaNetDevice::IsBridge() const
{
    return false;
}

bool
FdmaNetDevice::IsPointToPoint() const
{
    return false;
}

Ptr<Node>
FdmaNetDevice::GetNode() const
{
    return m_node;
}

void
FdmaNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
FdmaNetDevice::NeedsArp() const
{
    return true;
}

void
FdmaNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
FdmaNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
FdmaNetDevice::SupportsSendFrom() const
{
    return true;
}

} // namespace ns3
