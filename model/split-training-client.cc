/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-client.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSplitTrainingClient");
NS_OBJECT_ENSURE_REGISTERED(SplitTrainingClient);

TypeId
SplitTrainingClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::SplitTrainingClient")
            .SetParent<Application>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<SplitTrainingClient>()
            .AddAttribute("SegmentBytes",
                          "TCP segment size of the training connection, bytes",
                          UintegerValue(64000),
                          MakeUintegerAccessor(&SplitTrainingClient::m_segmentBytes),
                          MakeUintegerChecker<uint32_t>(536))
            .AddTraceSource("Phase",
                            "A milestone of the round (round, user, phase)",
                            MakeTraceSourceAccessor(&SplitTrainingClient::m_phaseTrace),
                            "ns3::SplitTrainingClient::PhaseTracedCallback");
    return tid;
}

SplitTrainingClient::SplitTrainingClient() = default;
SplitTrainingClient::~SplitTrainingClient() = default;

void
SplitTrainingClient::DoDispose()
{
    ResetSocket();
    m_processor = nullptr;
    Application::DoDispose();
}

void
SplitTrainingClient::StartApplication()
{
}

void
SplitTrainingClient::StopApplication()
{
    Abort();
}

void
SplitTrainingClient::SetProcessor(Ptr<DeviceProcessor> processor)
{
    m_processor = processor;
}

Ptr<DeviceProcessor>
SplitTrainingClient::GetProcessor() const
{
    return m_processor;
}

bool
SplitTrainingClient::IsActive() const
{
    return m_active;
}

uint64_t
SplitTrainingClient::GetGradientBytesReceived() const
{
    return m_reader.GetPayloadReceived();
}

void
SplitTrainingClient::StartRound(const ClientRoundPlan& plan)
{
    NS_LOG_FUNCTION(this << plan.round << plan.user);
    NS_ASSERT_MSG(m_processor, "SplitTrainingClient needs a DeviceProcessor");
    if (m_active)
    {
        Abort();
    }
    m_plan = plan;
    m_active = true;
    m_reader.Reset();
    m_processor->Run(plan.forward,
                     plan.computePowerW,
                     MakeCallback(&SplitTrainingClient::ForwardDone, this));
}

void
SplitTrainingClient::ForwardDone()
{
    m_phaseTrace(m_plan.round, m_plan.user, FORWARD_DONE);
    if (m_plan.local)
    {
        m_processor->Run(m_plan.backward,
                         m_plan.computePowerW,
                         MakeCallback(&SplitTrainingClient::BackwardDone, this));
        return;
    }
    m_socket = AbortableTcpSocket::Create(GetNode());
    m_socket->SetAttribute("SegmentSize", UintegerValue(m_segmentBytes));
    m_socket->SetConnectCallback(MakeCallback(&SplitTrainingClient::Connected, this),
                                 MakeCallback(&SplitTrainingClient::ConnectFailed, this));
    m_socket->SetRecvCallback(MakeCallback(&SplitTrainingClient::Receive, this));
    m_socket->Bind();
    m_socket->Connect(m_plan.server);
}

void
SplitTrainingClient::Connected(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    SplitTrainingMessage msg;
    msg.round = m_plan.round;
    msg.user = m_plan.user;
    msg.payloadBytes = static_cast<uint32_t>(m_plan.activationBytes);
    m_sender = Create<SocketStreamSender>();
    m_sender->Start(socket, msg.ToPacket(), m_plan.activationBytes, m_segmentBytes);
}

void
SplitTrainingClient::ConnectFailed(Ptr<Socket> socket)
{
    NS_LOG_WARN("user " << m_plan.user << ": connection to the server failed");
    Abort();
}

void
SplitTrainingClient::Receive(Ptr<Socket> socket)
{
    Ptr<Packet> packet;
    while ((packet = socket->Recv()))
    {
        if (packet->GetSize() == 0)
        {
            break;
        }
        if (!m_reader.Feed(packet))
        {
            NS_LOG_WARN("user " << m_plan.user << ": malformed gradient message");
            Abort();
            return;
        }
    }
    if (m_active && m_reader.IsComplete() && !m_processor->IsBusy())
    {
        m_phaseTrace(m_plan.round, m_plan.user, GRADIENT_RECEIVED);
        CloseSocket();
        m_processor->Run(m_plan.backward,
                         m_plan.computePowerW,
                         MakeCallback(&SplitTrainingClient::BackwardDone, this));
    }
}

void
SplitTrainingClient::BackwardDone()
{
    m_active = false;
    m_phaseTrace(m_plan.round, m_plan.user, ROUND_DONE);
}

void
SplitTrainingClient::CloseSocket()
{
    if (m_sender)
    {
        m_sender->Stop();
        m_sender = nullptr;
    }
    if (m_socket)
    {
        // the server has sent everything: nothing more arrives that would need reading
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

void
SplitTrainingClient::ResetSocket()
{
    if (m_sender)
    {
        m_sender->Stop();
        m_sender = nullptr;
    }
    if (m_socket)
    {
        // A graceful Close() would keep the connection alive: TCP would go on sending the
        // abandoned activation (into the next round), and the server's gradient would fill a
        // receive buffer nobody reads until it advertises a zero window. Reset it instead.
        m_socket->Abort();
        m_socket = nullptr;
    }
}

void
SplitTrainingClient::Abort()
{
    if (!m_active)
    {
        return;
    }
    NS_LOG_FUNCTION(this << m_plan.user);
    m_active = false;
    if (m_processor)
    {
        m_processor->Cancel();
    }
    ResetSocket();
    m_phaseTrace(m_plan.round, m_plan.user, ABORTED);
}

} // namespace ns3
