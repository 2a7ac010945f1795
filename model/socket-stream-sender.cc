/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "socket-stream-sender.h"

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
        m_preamble = nullptr;
    }
    while (m_left > 0)
    {
        const uint32_t size =
            static_cast<uint32_t>(std::min<uint64_t>({m_left, m_chunk, socket->GetTxAvailable()}));
        if (size == 0)
        {
            return;
        }
        const int sent = socket->Send(Create<Packet>(size));
        if (sent <= 0)
        {
            return;
        }
        m_left -= sent;
    }
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
