/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_ROUND_STATE_H
#define EDGE_LLM_ROUND_STATE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Which objective the cost model evaluates (doc/edge-llm.rst, "Cost model" and its model
 * choices).
 */
enum class ObjectiveMode
{
    PAPER,       //!< P2 of the paper: compute delays, energies, stability; plus r >= r_min
    DELAY_AWARE, //!< PAPER + uplink activation time and downlink gradient time (default)
};

/**
 * @ingroup edge-llm
 * @brief How per-user delays are aggregated into the objective.
 */
enum class DelayAggregate
{
    SUM,      //!< sum over users (the paper)
    MAKESPAN, //!< max over users: the round's duration
};

/**
 * @ingroup edge-llm
 * @brief How the cost model prices a link's rate from its (large-scale) gain g and SNR
 * rho = p g / (sigma^2 b).
 */
enum class RateModel
{
    SNAPSHOT, //!< b log2(1 + rho): the paper's rate, the channel frozen at its estimate
    ERGODIC,  //!< E[b log2(1 + rho |h|^2)], |h|^2 ~ Exp(1): the mean rate under Rayleigh fading
};

/**
 * @ingroup edge-llm
 * @brief Weights and limits of the objective.
 */
struct ObjectiveSettings
{
    ObjectiveMode mode{ObjectiveMode::DELAY_AWARE}; //!< objective
    double wTime{1.0};                              //!< omega_t, weight of delay (1/s)
    double wEnergy{1.0};                            //!< omega_e, weight of energy (1/J)
    double wStability{1.0};                         //!< omega_s, weight of the stability bound
    double minRateBps{0.0};                         //!< r_min, minimum uplink rate (bit/s)
    DelayAggregate delay{DelayAggregate::SUM};      //!< delay aggregate
    uint32_t minDeviceLayers{1};                    //!< alpha_min (privacy minimum)
    RateModel rateModel{RateModel::SNAPSHOT};       //!< uplink and downlink rate model
};

/**
 * @ingroup edge-llm
 * @brief What an allocator knows of one mobile device in a round.
 */
struct UserState
{
    double tokens{512};          //!< d_n, tokens per sample
    double batch{1};             //!< B, batch size
    double flopsPerLayer{0};     //!< psi_n, FLOPs of one layer's forward + backward per step
    double payloadBits{0};       //!< s_n, activation bits sent up at the split
    double downlinkBits{0};      //!< s'_n, gradient bits sent down
    double cores{1};             //!< C_n^U, device cores
    double flopsPerCycle{1};     //!< D_n^U, FLOPs per cycle per core
    double fMaxHz{1e9};          //!< f_n^max, device frequency limit (Hz)
    double kappa{1e-28};         //!< kappa_1, effective switched capacitance (W/Hz^3)
    double pMaxW{1};             //!< p_n^max, transmit power limit (W)
    double lipschitz{1};         //!< L, Lipschitz constant of the loss
    double datasetSize{1000};    //!< k_n, samples in the user's data set
    std::vector<double> gain;    //!< g_{n,m}, linear channel power gain to every server
    uint32_t maxDeviceLayers{0}; //!< memory limit on alpha (0: no limit beyond Upsilon-1)
    double radioIdlePowerW{0};   //!< radio draw while awake in a round, idle or waiting (W)
};

/**
 * @ingroup edge-llm
 * @brief What an allocator knows of one edge server.
 */
struct ServerState
{
    double bandwidthHz{20e6}; //!< b_m^max, uplink band shared by the server's users (Hz)
    double fMaxHz{2e9};       //!< f_m^max, GPU frequency shared by the server's users (Hz)
    double cores{2560};       //!< C_m^E
    double flopsPerCycle{1};  //!< D_m^E
    double kappa{1e-28};      //!< kappa_2 (W/Hz^3)
    double txPowerW{10};      //!< downlink transmit power over the whole band (W)
};

/**
 * @ingroup edge-llm
 * @brief How a contention tier (Wi-Fi) carries a user's transfers, as the cost model prices them
 * (SplitCostModel, "Wi-Fi links"). Disabled (the default): the fdma rates.
 *
 * On an enabled round b_n stands for the user's share b_n / B_m of its cell's airtime; the PHY
 * sends over the whole channel W at the SNR g p / (sigma^2 W), at the rate W log2(1 + SNR /
 * Gamma) capped by the highest MCS, and the MAC delivers macEfficiency of it.
 */
struct WifiLinkInputs
{
    bool enabled{false};           //!< price links as Wi-Fi airtime shares
    double channelWidthHz{20e6};   //!< W, the channel every PHY transmission occupies (Hz)
    double snrGap{1};              //!< Gamma (linear), the MCS table's gap to Shannon
    double maxPhyRateBps{143.4e6}; //!< the highest MCS's PHY rate (bit/s)
    double macEfficiency{1};       //!< goodput / PHY rate of a station alone in its cell
    double paEfficiency{1};        //!< radiated / drawn transmit power (TX draws p / this)
};

/**
 * @ingroup edge-llm
 * @brief Everything an allocator sees at the start of a round.
 */
struct RoundState
{
    uint32_t layers{32};              //!< Upsilon, transformer blocks of the model
    double noisePsdWPerHz{1e-20};     //!< sigma^2, noise power spectral density (W/Hz)
    std::vector<UserState> users;     //!< the devices
    std::vector<ServerState> servers; //!< the edge servers
    ObjectiveSettings objective;      //!< objective weights and limits
    WifiLinkInputs wifi;              //!< Wi-Fi link pricing (set by the wifi tier)

    /** @return N */
    uint32_t NumUsers() const
    {
        return static_cast<uint32_t>(users.size());
    }

    /** @return M */
    uint32_t NumServers() const
    {
        return static_cast<uint32_t>(servers.size());
    }

    /**
     * @param n user
     * @return largest alpha allowed for a split user: min(Upsilon-1, memory limit)
     */
    uint32_t MaxAlpha(uint32_t n) const;

    /** @return smallest alpha allowed for a split user (alpha_min) */
    uint32_t MinAlpha() const;

    /**
     * Check every field, then that every gain gives a usable link
     * (SplitCostModel::ValidateLinks); throws InputError naming the field, user/server and
     * what is allowed.
     * @param where prefix for messages (e.g. the instance file name)
     */
    void Validate(const std::string& where = "round state") const;
};

/**
 * @ingroup edge-llm
 * @brief One user's share of the round's decision.
 */
struct UserAllocation
{
    /** Server value of a user that trains alone (alpha = Upsilon, LocalOnly). */
    static constexpr uint32_t kNoServer = UINT32_MAX;

    uint32_t server{0};    //!< associated server (0-based), kNoServer for local-only
    uint32_t alpha{1};     //!< layers trained on the device
    double powerW{0};      //!< p_n, uplink transmit power (W)
    double bandwidthHz{0}; //!< b_n, uplink (and downlink) sub-band (Hz)
    double freqHz{0};      //!< f_n, device frequency (Hz)
    double edgeFreqHz{0};  //!< f^E_n, share of the server's GPU frequency (Hz)
};

/**
 * @ingroup edge-llm
 * @brief An allocator's decision plus how it was reached.
 */
struct Allocation
{
    std::vector<UserAllocation> users;    //!< one per user
    std::string allocator;                //!< name of the allocator
    uint32_t iterations{0};               //!< outer iterations the allocator ran
    std::vector<double> objectiveHistory; //!< objective after each iteration
    double stationarity{0};               //!< KKT/stationarity residual at the end (0 if n/a)
    double solveTimeS{0};                 //!< wall time of Allocate()
};

} // namespace ns3

#endif // EDGE_LLM_ROUND_STATE_H
