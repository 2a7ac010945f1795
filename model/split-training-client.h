/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_CLIENT_H
#define EDGE_LLM_SPLIT_TRAINING_CLIENT_H

#include "abortable-tcp-socket.h"
#include "device-processor.h"
#include "socket-stream-sender.h"
#include "split-training-message.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief What a device does in one round (set by the RoundCoordinator from the allocation).
 */
struct ClientRoundPlan
{
    uint32_t round{0};           //!< round number
    uint32_t user{0};            //!< user index
    Address server;              //!< InetSocketAddress of the server's training port
    uint64_t activationBytes{0}; //!< bytes sent up at the split
    Time forward;                //!< device forward time (from the cost model)
    Time backward;               //!< device backward time (from the cost model)
    double computePowerW{0};     //!< device power while computing (kappa f^3)
    bool local{false};           //!< trains alone: forward then backward, no network
};

/**
 * @ingroup edge-llm
 * @brief The mobile device's side of split fine-tuning (layers 1 … alpha).
 *
 * Per round: forward over its layers on the DeviceProcessor → activation (preamble + bytes)
 * sent to the server over a new TCP connection → gradient received → backward → done. Phases
 * are reported through the Phase trace; a round can be aborted (timeout, battery empty): its
 * connection is then reset (RST), so neither end goes on sending the abandoned round's bytes.
 */
class SplitTrainingClient : public Application
{
  public:
    /** Milestones of a round on the device. */
    enum Phase
    {
        FORWARD_DONE,      //!< forward pass finished, upload starts
        GRADIENT_RECEIVED, //!< the whole gradient arrived
        ROUND_DONE,        //!< backward finished
        ABORTED,           //!< round abandoned
    };

    /**
     * TracedCallback signature of phases.
     * @param round round
     * @param user user
     * @param phase milestone
     */
    typedef void (*PhaseTracedCallback)(uint32_t round, uint32_t user, Phase phase);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    SplitTrainingClient();
    ~SplitTrainingClient() override;

    /**
     * @param processor the device's compute unit
     */
    void SetProcessor(Ptr<DeviceProcessor> processor);

    /** @return the device's compute unit */
    Ptr<DeviceProcessor> GetProcessor() const;

    /**
     * Start a round now.
     * @param plan what to do
     */
    void StartRound(const ClientRoundPlan& plan);

    /** Abandon the current round (resets the connection, stops computing). */
    void Abort();

    /** @return true while a round is under way */
    bool IsActive() const;

    /** @return gradient bytes received in the current/last round */
    uint64_t GetGradientBytesReceived() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** Forward done: connect and send. */
    void ForwardDone();
    /**
     * @param socket connected socket
     */
    void Connected(Ptr<Socket> socket);
    /**
     * @param socket socket that failed
     */
    void ConnectFailed(Ptr<Socket> socket);
    /**
     * @param socket socket with data
     */
    void Receive(Ptr<Socket> socket);
    /** Backward done. */
    void BackwardDone();
    /** The gradient is in: close the connection normally (FIN). */
    void CloseSocket();
    /** Abandon the connection: reset it (RST); nothing more is sent or received on it. */
    void ResetSocket();

    Ptr<DeviceProcessor> m_processor;                       //!< compute unit
    Ptr<AbortableTcpSocket> m_socket;                       //!< connection of the current round
    Ptr<SocketStreamSender> m_sender;                       //!< activation writer
    SplitTrainingMessageReader m_reader;                    //!< gradient reader
    ClientRoundPlan m_plan;                                 //!< current plan
    bool m_active{false};                                   //!< round under way
    uint32_t m_segmentBytes{64000};                         //!< TCP segment size
    TracedCallback<uint32_t, uint32_t, Phase> m_phaseTrace; //!< milestones
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_CLIENT_H
