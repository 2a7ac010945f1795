/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "abortable-tcp-socket.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/rtt-estimator.h"
#include "ns3/simulator.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-recovery-ops.h"
#include "ns3/type-id.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmAbortableTcpSocket");
NS_OBJECT_ENSURE_REGISTERED(AbortableTcpSocket);

TypeId
AbortableTcpSocket::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AbortableTcpSocket")
                            .SetParent<TcpSocketBase>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<AbortableTcpSocket>();
    return tid;
}

TypeId
AbortableTcpSocket::GetInstanceTypeId() const
{
    return AbortableTcpSocket::GetTypeId();
}

AbortableTcpSocket::AbortableTcpSocket() = default;

AbortableTcpSocket::AbortableTcpSocket(const AbortableTcpSocket& sock)
    : TcpSocketBase(sock)
{
}

AbortableTcpSocket::~AbortableTcpSocket() = default;

Ptr<AbortableTcpSocket>
AbortableTcpSocket::Create(Ptr<Node> node)
{
    Ptr<TcpL4Protocol> tcp = node->GetObject<TcpL4Protocol>();
    NS_ABORT_MSG_UNLESS(tcp,
                        "AbortableTcpSocket::Create: node " << node->GetId()
                                                            << " has no TCP (internet stack)");
    TypeIdValue congestion;
    TypeIdValue recovery;
    TypeIdValue rtt;
    tcp->GetAttribute("SocketType", congestion);
    tcp->GetAttribute("RecoveryType", recovery);
    tcp->GetAttribute("RttEstimatorType", rtt);
    ObjectFactory factory;
    Ptr<AbortableTcpSocket> socket = CreateObject<AbortableTcpSocket>();
    socket->SetNode(node);
    socket->SetTcp(tcp);
    factory.SetTypeId(rtt.Get());
    socket->SetRtt(factory.Create<RttEstimator>());
    factory.SetTypeId(congestion.Get());
    socket->SetCongestionControlAlgorithm(factory.Create<TcpCongestionOps>());
    factory.SetTypeId(recovery.Get());
    socket->SetRecoveryAlgorithm(factory.Create<TcpRecoveryOps>());
    return socket;
}

Ptr<TcpSocketBase>
AbortableTcpSocket::Fork()
{
    return CopyObject<AbortableTcpSocket>(this);
}

void
AbortableTcpSocket::Abort()
{
    NS_LOG_FUNCTION(this << TcpStateName[m_state]);
    // The application lets go of the socket now: nothing may call back into it.
    SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                       MakeNullCallback<void, Ptr<Socket>>());
    SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(), MakeNullCallback<void, Ptr<Socket>>());
    SetDataSentCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    // Releasing the endpoint drops the references TCP holds; keep the object alive until the
    // current event is over (Abort() may run inside one of the socket's own methods, and ns-3
    // schedules some of its own events with a plain pointer to the socket).
    Ptr<AbortableTcpSocket> self = this;
    Simulator::ScheduleNow([self]() {});
    switch (m_state)
    {
    case SYN_SENT:
    case SYN_RCVD:
    case ESTABLISHED:
    case CLOSE_WAIT:
    case FIN_WAIT_1:
    case FIN_WAIT_2:
    case CLOSING:
    case LAST_ACK:
        SendRST(); // RST to the peer; releases the endpoint and cancels every timer
        break;
    default: // CLOSED, LISTEN, TIME_WAIT: no peer to tell
        break;
    }
    CloseAndNotify(); // CLOSED; releases the endpoint (and its timers) if still held
}

} // namespace ns3
