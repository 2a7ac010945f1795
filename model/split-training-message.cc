/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "split-training-message.h"

#include <algorithm>

namespace ns3
{

namespace
{
void
Put(uint8_t* p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = (v >> 16) & 0xff;
    p[2] = (v >> 8) & 0xff;
    p[3] = v & 0xff;
}

uint32_t
Get(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
} // namespace

Ptr<Packet>
SplitTrainingMessage::ToPacket() const
{
    uint8_t bytes[kSize];
    Put(bytes, kMagic);
    Put(bytes + 4, round);
    Put(bytes + 8, user);
    Put(bytes + 12, payloadBytes);
    return Create<Packet>(bytes, kSize);
}

bool
SplitTrainingMessage::Parse(const uint8_t* bytes, SplitTrainingMessage& out)
{
    if (Get(bytes) != kMagic)
    {
        return false;
    }
    out.round = Get(bytes + 4);
    out.user = Get(bytes + 8);
    out.payloadBytes = Get(bytes + 12);
    return true;
}

bool
SplitTrainingMessageReader::Feed(Ptr<const Packet> packet)
{
    uint32_t size = packet->GetSize();
    uint32_t offset = 0;
    if (m_preambleBytes < SplitTrainingMessage::kSize)
    {
        const uint32_t take = std::min(size, SplitTrainingMessage::kSize - m_preambleBytes);
        packet->CopyData(m_preamble + m_preambleBytes, take);
        m_preambleBytes += take;
        offset = take;
        if (m_preambleBytes == SplitTrainingMessage::kSize &&
            !SplitTrainingMessage::Parse(m_preamble, m_message))
        {
            return false;
        }
    }
    m_payload += size - offset;
    return true;
}

bool
SplitTrainingMessageReader::HasPreamble() const
{
    return m_preambleBytes == SplitTrainingMessage::kSize;
}

bool
SplitTrainingMessageReader::IsComplete() const
{
    return HasPreamble() && m_payload >= m_message.payloadBytes;
}

const SplitTrainingMessage&
SplitTrainingMessageReader::GetMessage() const
{
    return m_message;
}

uint64_t
SplitTrainingMessageReader::GetPayloadReceived() const
{
    return m_payload;
}

void
SplitTrainingMessageReader::Reset()
{
    m_preambleBytes = 0;
    m_payload = 0;
    m_message = SplitTrainingMessage{};
}

} // namespace ns3
