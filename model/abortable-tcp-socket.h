/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ABORTABLE_TCP_SOCKET_H
#define EDGE_LLM_ABORTABLE_TCP_SOCKET_H

#include "ns3/node.h"
#include "ns3/tcp-socket-base.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief ns-3's TCP socket with an abortive close (RST), for transfers that are abandoned.
 *
 * ns-3 3.37's Socket API has only the graceful Close(): the socket keeps sending what its
 * buffer holds (and retransmitting it), then exchanges FINs, and it keeps accepting the peer's
 * data into a receive buffer that nobody reads any more once the application has let go of
 * it. For a transfer that a round timeout (or an empty battery) abandons, that leaves both
 * ends of the connection alive: the abandoned bytes flow into the next round, the undrained
 * receive buffer fills and advertises a zero window, and once one end is gone its peer's
 * zero-window segments land on the server's listening socket, which ns-3 puts into the
 * zero-window persist state with nothing to send (its PersistTimeout then dereferences an
 * empty transmit buffer).
 *
 * Abort() is what a real stack does on close() with SO_LINGER {1, 0}: it sends a RST, releases
 * the endpoint and cancels every timer at once; nothing more is sent or received on the
 * connection. Sockets accepted by a listening AbortableTcpSocket are AbortableTcpSockets too.
 */
class AbortableTcpSocket : public TcpSocketBase
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    AbortableTcpSocket();
    /**
     * Clone a socket (for a connection accepted by a listening socket).
     * @param sock the listening socket
     */
    AbortableTcpSocket(const AbortableTcpSocket& sock);
    ~AbortableTcpSocket() override;

    /**
     * Create a socket on a node with the node's TCP settings (the congestion control, recovery
     * and RTT estimator types of its TcpL4Protocol), as TcpSocketFactory would.
     * @param node a node with an internet stack
     * @return the socket, not bound yet
     */
    static Ptr<AbortableTcpSocket> Create(Ptr<Node> node);

    /**
     * Abortive close: drop every application callback, send a RST if a connection exists (or
     * is being set up), release the endpoint and cancel all timers. The socket ends CLOSED;
     * it sends and receives nothing more. Safe to call in any state, also from one of the
     * socket's own callbacks.
     */
    void Abort();

  protected:
    Ptr<TcpSocketBase> Fork() override;
};

} // namespace ns3

#endif // EDGE_LLM_ABORTABLE_TCP_SOCKET_H
