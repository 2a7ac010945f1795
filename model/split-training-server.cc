/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-server.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSplitTrainingServer");
NS_OBJECT_ENSURE_REGISTERED(SplitTrainingServer);

TypeId
SplitTrainingServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SplitTrainingServer")
            .SetParent<Application>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<SplitTrainingServer>()
            .AddAttribute("Port",
                          "TCP port the server listens on",
                          UintegerValue(50000),
                          MakeUintegerAccessor(&SplitTrainingServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("SegmentBytes",
                          "TCP segment size of the training connections, bytes",
                          UintegerValue(64000),
                          MakeUintegerAccessor(&SplitTrainingServer::m_segmentBytes),
                          MakeUintegerChecker<uint32_t>(536))
            .AddTraceSource("Phase",
                            "A milestone of a user's round (round, user, phase)",
                            MakeTraceSourceAccessor(&SplitTrainingServer::m_phaseTrace),
                            "ns3::SplitTrainingServer::PhaseTracedCallback");
    return tid;
}

SplitTrainingServer::SplitTrainingServer() = default;
SplitTrainingServer::~SplitTrainingServer() = default;

void
SplitTrainingServer::DoDispose()
{
    Reset();
    if (m_listener)
    {
        m_listener->Close();
        m_listener = nullptr;
    }
    m_gpu = nullptr;
    Application::DoDispose();
}

void
SplitTrainingServer::SetGpu(Ptr<EdgeGpu> gpu)
{
    m_gpu = gpu;
}

Ptr<EdgeGpu>
SplitTrainingServer::GetGpu() const
{
    return m_gpu;
}

uint16_t
SplitTrainingServer::GetPort() const
{
    return m_port;
}

void
SplitTrainingServer::SetJob(uint32_t user, const ServerJobPlan& plan)
{
    m_jobs[user] = plan;
}

void
SplitTrainingServer::Reset()
{
    if (m_gpu)
    {
        m_gpu->CancelAll();
    }
    auto connections = std::move(m_connections);
    m_connections.clear();
    for (auto& [socket, c] : connections)
    {
        if (c.sender)
        {
            c.sender->Stop();
        }
        // A graceful Close() would leave the connection alive, still sending the gradient (or
        // receiving the activation into a buffer nobody reads) after the round has ended.
        ResetConnection(socket);
    }
    m_jobs.clear();
}

void
SplitTrainingServer::StartApplication()
{
    NS_ASSERT_MSG(m_gpu, "SplitTrainingServer needs an EdgeGpu");
    // its accepted connections are AbortableTcpSockets too, so that Reset() can reset them
    m_listener = AbortableTcpSocket::Create(GetNode());
    m_listener->SetAttribute("SegmentSize", UintegerValue(m_segmentBytes));
    m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&SplitTrainingServer::Accept, this));
}

void
SplitTrainingServer::StopApplication()
{
    Reset();
    if (m_listener)
    {
        m_listener->Close();
    }
}

void
SplitTrainingServer::Accept(Ptr<Socket> socket, const Address&)
{
    m_connections[socket] = Connection{};
    socket->SetRecvCallback(MakeCallback(&SplitTrainingServer::Receive, this));
    socket->SetCloseCallbacks(MakeCallback(&SplitTrainingServer::PeerClosed, this),
                              MakeCallback(&SplitTrainingServer::PeerClosed, this));
}

void
SplitTrainingServer::Receive(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    Connection& c = it->second;
    Ptr<Packet> packet;
    while ((packet = socket->Recv()))
    {
        if (packet->GetSize() == 0)
        {
            break;
        }
        if (!c.reader.Feed(packet))
        {
            NS_LOG_WARN("malformed activation message: connection reset");
            m_connections.erase(it);
            ResetConnection(socket);
            return;
        }
    }
    if (c.jobSubmitted || !c.reader.IsComplete())
    {
        return;
    }
    const SplitTrainingMessage& msg = c.reader.GetMessage();
    auto job = m_jobs.find(msg.user);
    if (job == m_jobs.end() || job->second.round != msg.round)
    {
        NS_LOG_WARN("activation of user " << msg.user << " round " << msg.round
                                          << " has no job on this server: ignored");
        return;
    }
    c.jobSubmitted = true;
    m_phaseTrace(msg.round, msg.user, ACTIVATION_RECEIVED);
    m_gpu->Submit(msg.user,
                  job->second.shareHz,
                  job->second.timeEnergy,
                  MakeCallback(&SplitTrainingServer::JobDone, this).Bind(socket));
}

void
SplitTrainingServer::JobDone(Ptr<Socket> socket, uint32_t user)
{
    auto it = m_connections.find(socket);
    auto job = m_jobs.find(user);
    if (it == m_connections.end() || job == m_jobs.end())
    {
        return;
    }
    m_phaseTrace(job->second.round, user, JOB_DONE);
    SplitTrainingMessage msg;
    msg.round = job->second.round;
    msg.user = user;
    msg.payloadBytes = static_cast<uint32_t>(job->second.gradientBytes);
    it->second.sender = Create<SocketStreamSender>();
    it->second.sender->Start(socket, msg.ToPacket(), job->second.gradientBytes, m_segmentBytes);
}

void
SplitTrainingServer::PeerClosed(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    Ptr<SocketStreamSender> sender = it->second.sender;
    m_connections.erase(it); // first: Close() below may call back (RST -> error close)
    if (sender)
    {
        sender->Stop();
    }
    Quiet(socket);
    socket->Close();
}

uint64_t
SplitTrainingServer::GetActivationBytesReceived(uint32_t user) const
{
    uint64_t bytes = 0;
    for (const auto& [socket, c] : m_connections)
    {
        if (c.reader.HasPreamble() && c.reader.GetMessage().user == user)
        {
            bytes += c.reader.GetPayloadReceived();
        }
    }
    return bytes;
}

void
SplitTrainingServer::ResetConnection(Ptr<Socket> socket)
{
    Ptr<AbortableTcpSocket> tcp = DynamicCast<AbortableTcpSocket>(socket);
    NS_ASSERT_MSG(tcp, "connections accepted by the listener are AbortableTcpSockets");
    tcp->Abort();
}

void
SplitTrainingServer::Quiet(Ptr<Socket> socket)
{
    socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                              MakeNullCallback<void, Ptr<Socket>>());
}

} // namespace ns3
