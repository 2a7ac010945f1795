/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SOCKET_STREAM_SENDER_H
#define EDGE_LLM_SOCKET_STREAM_SENDER_H

#include "ns3/packet.h"
#include "ns3/socket.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Writes a preamble and N payload bytes into a TCP socket as fast as its buffer allows.
 */
class SocketStreamSender : public SimpleRefCount<SocketStreamSender>
{
  public:
    /**
     * Start writing (installs the socket's send callback).
     * @param socket connected socket
     * @param preamble bytes to send first
     * @param payloadBytes filler bytes after the preamble
     * @param chunkBytes largest write
     */
    void Start(Ptr<Socket> socket,
               Ptr<Packet> preamble,
               uint64_t payloadBytes,
               uint32_t chunkBytes);

    /** @return true once every byte was handed to the socket */
    bool IsDone() const;

    /** Stop writing (drops the socket reference). */
    void Stop();

  private:
    /**
     * Write as much as the socket takes.
     * @param socket the socket
     * @param available free buffer space
     */
    void Continue(Ptr<Socket> socket, uint32_t available);

    Ptr<Socket> m_socket;    //!< socket
    Ptr<Packet> m_preamble;  //!< preamble not yet written
    uint64_t m_left{0};      //!< payload bytes not yet written
    uint32_t m_chunk{65536}; //!< write size
};

} // namespace ns3

#endif // EDGE_LLM_SOCKET_STREAM_SENDER_H
