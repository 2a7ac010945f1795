/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "socket-stream-sender.h"

#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

void
SocketStreamSender::Start(Ptr<Socket> socket,
                          Ptr<Packet> preamble,
                          uint64_t payloadBytes,
                          uint32_t chunkBytes)
{
    m_socket = socket;
    m_preamble = preamble;
    m_left = payloadBytes;
    m_chunk = chunkBytes;
    m_written = 0;
    UintegerValue capacity;
    m_alignWrites =
        socket->GetAttributeFailSafe("SndBufSize", capacity) && capacity.Get() >= chunkBytes;
    socket->SetSendCallback(
        MakeCallback(&SocketStreamSender::Continue, Ptr<SocketStreamSender>(this)));
    Continue(socket, socket->GetTxAvailable());
}

void
SocketStreamSender::Continue(Ptr<Socket> socket, uint32_t)
{
    if (!m_socket)
    {
        return;
    }
    if (m_preamble)
    {
        if (socket->GetTxAvailable() < m_preamble->GetSize() || socket->Send(m_preamble) < 0)
        {
            return; // try again when space frees
        }
        m_written = m_preamble->GetSize();
        m_preamble = nullptr;
    }
    while (m_left > 0)
    {
        const uint32_t size = NextWriteBytes(socket->GetTxAvailable());
        if (size == 0)
        {
            return; // try again when space frees
        }
        const int sent = socket->Send(Create<Packet>(size));
        if (sent <= 0)
        {
            return;
        }
        m_left -= sent;
        m_written += sent;
    }
}

uint32_t
SocketStreamSender::NextWriteBytes(uint32_t available) const
{
    // A write that ends on a segment boundary of the stream (preamble included) lets TCP cut
    // every segment out of one write. A segment spanning two writes makes ns-3's TcpTxBuffer
    // merge them, which turns the virtual (zero-filled) payload into allocated bytes.
    const uint64_t toBoundary = m_chunk - m_written % m_chunk;
    const uint64_t size = std::min(m_left, toBoundary);
    if (size <= available)
    {
        return static_cast<uint32_t>(size);
    }
    return m_alignWrites ? 0 : available;
}

bool
SocketStreamSender::IsDone() const
{
    return !m_preamble && m_left == 0;
}

void
SocketStreamSender::Stop()
{
    if (m_socket)
    {
        m_socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    }
    m_socket = nullptr;
}

} // namespace ns3
