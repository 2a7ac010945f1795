/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_SERVER_H
#define EDGE_LLM_SPLIT_TRAINING_SERVER_H

#include "abortable-tcp-socket.h"
#include "edge-gpu.h"
#include "socket-stream-sender.h"
#include "split-training-message.h"

#include "ns3/application.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief What the server does for one user in one round (set by the RoundCoordinator).
 */
struct ServerJobPlan
{
    uint32_t round{0};                      //!< round number
    uint64_t gradientBytes{0};              //!< bytes sent back
    double shareHz{0};                      //!< f^E_n
    EdgeGpu::TimeEnergyFunction timeEnergy; //!< job cost at a GPU frequency (cost model)
};

/**
 * @ingroup edge-llm
 * @brief The edge server's side of split fine-tuning (layers alpha+1 … Upsilon).
 *
 * Accepts TCP connections on its port; for each, reads the activation message, runs the user's
 * job on the EdgeGpu, and writes the gradient message back on the same connection. A
 * connection its device closes is closed normally; Reset() (end of a round) resets (RST) the
 * connections still open, so no abandoned transfer goes on into the next round.
 */
class SplitTrainingServer : public Application
{
  public:
    /** Milestones of a user's round on the server. */
    enum Phase
    {
        ACTIVATION_RECEIVED, //!< the whole activation arrived
        JOB_DONE,            //!< the GPU finished the user's layers, gradient sending starts
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

    SplitTrainingServer();
    ~SplitTrainingServer() override;

    /**
     * @param gpu the server's GPU
     */
    void SetGpu(Ptr<EdgeGpu> gpu);

    /** @return the server's GPU */
    Ptr<EdgeGpu> GetGpu() const;

    /**
     * Announce a user's job for a round (before its activation arrives).
     * @param user user index
     * @param plan the job
     */
    void SetJob(uint32_t user, const ServerJobPlan& plan);

    /** Forget all jobs and reset (RST) every connection still open (end of a round). */
    void Reset();

    /** @return the TCP port */
    uint16_t GetPort() const;

    /**
     * @param user user index
     * @return activation payload bytes received so far from this user on its open connections
     *         (progress of its upload; 0 before its preamble arrived)
     */
    uint64_t GetActivationBytesReceived(uint32_t user) const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** State of one accepted connection. */
    struct Connection
    {
        SplitTrainingMessageReader reader; //!< activation reader
        Ptr<SocketStreamSender> sender;    //!< gradient writer
        bool jobSubmitted{false};          //!< activation complete, job on the GPU
    };

    /**
     * @param socket new connection
     * @param from peer
     */
    void Accept(Ptr<Socket> socket, const Address& from);
    /**
     * @param socket socket with data
     */
    void Receive(Ptr<Socket> socket);
    /**
     * @param socket closed socket
     */
    void PeerClosed(Ptr<Socket> socket);
    /**
     * Remove every callback of a socket before closing it.
     * @param socket the socket
     */
    static void Quiet(Ptr<Socket> socket);
    /**
     * Abandon a connection: reset it (RST); nothing more is sent or received on it.
     * @param socket an accepted connection
     */
    static void ResetConnection(Ptr<Socket> socket);

    /**
     * @param socket connection whose job ended
     * @param user user
     */
    void JobDone(Ptr<Socket> socket, uint32_t user);

    uint16_t m_port{50000};                                 //!< listening port
    uint32_t m_segmentBytes{64000};                         //!< TCP segment size
    Ptr<AbortableTcpSocket> m_listener;                     //!< listening socket
    Ptr<EdgeGpu> m_gpu;                                     //!< GPU
    std::map<uint32_t, ServerJobPlan> m_jobs;               //!< plans by user
    std::map<Ptr<Socket>, Connection> m_connections;        //!< accepted connections
    TracedCallback<uint32_t, uint32_t, Phase> m_phaseTrace; //!< milestones
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_SERVER_H
