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
 *
 * Writes end on multiples of the chunk (the TCP segment size) counted from the stream's start,
 * so the payload stays virtual (zero-filled, not allocated) in ns-3's TCP buffers.
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

    /**
     * Size of the next write: up to the next chunk boundary of the stream, so that TCP's
     * segments never span two writes (when the socket's buffer holds a whole chunk).
     * @param available free buffer space
     * @return bytes to write now (0: wait for space)
     */
    uint32_t NextWriteBytes(uint32_t available) const;

    Ptr<Socket> m_socket;     //!< socket
    Ptr<Packet> m_preamble;   //!< preamble not yet written
    uint64_t m_left{0};       //!< payload bytes not yet written
    uint32_t m_chunk{65536};  //!< write size (the TCP segment size)
    uint64_t m_written{0};    //!< stream bytes written, preamble included
    bool m_alignWrites{true}; //!< writes end on chunk boundaries of the stream
};

} // namespace ns3

#endif // EDGE_LLM_SOCKET_STREAM_SENDER_H
