/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_MESSAGE_H
#define EDGE_LLM_SPLIT_TRAINING_MESSAGE_H

#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The 16-byte preamble of an activation or gradient message on the TCP stream.
 *
 * Wire format (network byte order): magic "ELLM", round, user, payload bytes that follow.
 * Messages are read off a byte stream, so the preamble may arrive split over segments:
 * Accumulate() collects it.
 */
struct SplitTrainingMessage
{
    static constexpr uint32_t kMagic = 0x454c4c4d; //!< "ELLM"
    static constexpr uint32_t kSize = 16;          //!< preamble bytes

    uint32_t round{0};        //!< training round
    uint32_t user{0};         //!< user index
    uint32_t payloadBytes{0}; //!< bytes after the preamble

    /** @return the preamble as a packet */
    Ptr<Packet> ToPacket() const;

    /**
     * Parse 16 bytes.
     * @param bytes preamble
     * @param out parsed message
     * @return false if the magic is wrong
     */
    static bool Parse(const uint8_t* bytes, SplitTrainingMessage& out);
};

/**
 * @ingroup edge-llm
 * @brief Reader of one message off a TCP byte stream: preamble, then payload bytes counted.
 */
class SplitTrainingMessageReader
{
  public:
    /**
     * Feed received bytes.
     * @param packet bytes as received
     * @return false on a malformed preamble
     */
    bool Feed(Ptr<const Packet> packet);
    /** @return true once the preamble and all payload bytes have arrived */
    bool IsComplete() const;
    /** @return true once the preamble has arrived */
    bool HasPreamble() const;
    /** @return the preamble (valid if HasPreamble()) */
    const SplitTrainingMessage& GetMessage() const;
    /** @return payload bytes received so far */
    uint64_t GetPayloadReceived() const;
    /** Start over for the next message. */
    void Reset();

  private:
    uint8_t m_preamble[SplitTrainingMessage::kSize]{}; //!< preamble bytes so far
    uint32_t m_preambleBytes{0};                       //!< how many
    SplitTrainingMessage m_message;                    //!< parsed preamble
    uint64_t m_payload{0};                             //!< payload bytes so far
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_MESSAGE_H
