/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_COST_MODEL_H
#define EDGE_LLM_SPLIT_COST_MODEL_H

#include "round-state.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The parts of one user's (or the whole round's) cost.
 *
 * Delays in s, energies in J. Uplink/downlink times are always reported; whether they count in
 * the objective depends on the ObjectiveMode.
 */
struct CostTerms
{
    double deviceDelayS{0};   //!< alpha psi / (f C D)
    double edgeDelayS{0};     //!< (Upsilon - alpha) psi / (f^E C^E D^E)
    double uplinkDelayS{0};   //!< s / r
    double downlinkDelayS{0}; //!< s' / r'
    double deviceEnergyJ{0};  //!< alpha kappa_1 f^2 psi / (C D)
    double edgeEnergyJ{0};    //!< (Upsilon - alpha) kappa_2 (f^E)^2 psi / (C^E D^E)
    double txEnergyJ{0};      //!< p s / r (Wi-Fi: drawn over the airtime, see SplitCostModel)
    double listenEnergyJ{0};  //!< Wi-Fi: P_idle x the user's delay (radio awake, listening)
    double stability{0};      //!< 2 L^2 / (k (1 - alpha/Upsilon)); +inf for alpha = Upsilon

    /** @return compute + transfer delay of the round for this user, s */
    double TotalDelayS() const
    {
        return deviceDelayS + edgeDelayS + uplinkDelayS + downlinkDelayS;
    }

    /** @return device + edge + transmit + listening energy, J */
    double TotalEnergyJ() const
    {
        return deviceEnergyJ + edgeEnergyJ + txEnergyJ + listenEnergyJ;
    }

    /**
     * Add another user's terms.
     * @param o terms to add
     * @return *this
     */
    CostTerms& operator+=(const CostTerms& o);
};

/**
 * @ingroup edge-llm
 * @brief F(x) = E[ln(1 + x H)] for H ~ Exp(1) (the power gain of a Rayleigh-fading link) and
 * its derivatives in x, in nats: a link of mean SNR x has the ergodic spectral efficiency
 * F(x) / ln 2 bit/s/Hz.
 */
struct ErgodicLogTerms
{
    double value{0};         //!< F(x) = e^(1/x) E1(1/x)
    double d1{0};            //!< F'(x) = E[H / (1 + x H)] = t e^t E2(t), t = 1/x
    double d2{0};            //!< F''(x) = -E[H^2 / (1 + x H)^2] = -2 t^2 e^t (E2(t) - E3(t))
    double valueMinusXd1{0}; //!< F(x) - x F'(x) = e^t (E1(t) - E2(t)) (the rate's d/db)
};

/**
 * @ingroup edge-llm
 * Below this mean SNR (t = 1/x above kErgodicSeriesSwitch = 50, x < -17 dB) ErgodicLog sums
 * the asymptotic series F(x) ~ sum_k (-1)^(k+1) (k-1)! x^k (and its derivatives) instead of
 * e^t E_n(t), whose factors over- and underflow for large t (e^t beyond t = 709). The series
 * alternates and F is a Stieltjes-type integral, so the error is below the first omitted term:
 * at t >= 50 the terms fall below 1e-16 of the sum (F'' at t = 50: 2e-16) before they start to
 * grow, i.e. the branch is exact to rounding. Above the switch, Boost.Math's expint is used (E2
 * and E3 by the recurrence from E1 for t <= 1, where it loses nothing); the differences
 * E1 - E2, E2 - E3 cost at most a factor t = 50 in relative accuracy (measured against 50-digit
 * arithmetic, -60 … 60 dB: F to 1e-15, F'' to 1e-14).
 */
constexpr double kErgodicSeriesSwitch = 50.0;

/**
 * @ingroup edge-llm
 * @param x mean SNR (linear, >= 0)
 * @return F(x) = E[ln(1 + x H)], H ~ Exp(1), and its derivatives (see ErgodicLogTerms)
 */
ErgodicLogTerms ErgodicLog(double x);

/**
 * @ingroup edge-llm
 * @param x mean SNR (linear, >= 0)
 * @return F(x) = E[ln(1 + x H)] only (one exponential integral instead of three)
 */
double ErgodicLogValue(double x);

/**
 * @ingroup edge-llm
 * A user's candidate servers: its k highest-gain servers, best first (ties: the lower index).
 * @param gain the user's gain per server
 * @param k how many (at most gain.size() are written)
 * @param best output, room for k entries
 * @return entries written, min(k, gain.size())
 */
uint32_t TopServersByGain(const std::vector<double>& gain, uint32_t k, uint32_t* best);

/**
 * @ingroup edge-llm
 * Inverse of F: the mean SNR whose ergodic spectral efficiency is y nats/s/Hz (Newton from the
 * bracket ln(1 + x e^-gamma) <= F(x) <= ln(1 + x), gamma Euler's constant; rounded up so
 * that F(x) >= y).
 * @param y target, nats (>= 0)
 * @return x (+inf if y is beyond double range)
 */
double ErgodicLogInverse(double y);

/**
 * @ingroup edge-llm
 * @brief Uplink rate and its first and second partial derivatives in (p, b).
 *
 * SNAPSHOT: r = b log2(1 + x), x = g p / (sigma^2 b). ERGODIC: r = b F(x) / ln 2 with F from
 * ErgodicLog; then r_p = (g/sigma^2) F'/ln 2, r_b = (F - x F')/ln 2, r_pp = (g/sigma^2)^2 F''/(b
 * ln 2), r_bb = x^2 F''/(b ln 2), r_pb = -(g/sigma^2) x F''/(b ln 2). Both are jointly concave in
 * (p, b) (perspectives of concave functions of p, averaged) and increasing.
 */
struct RateDerivatives
{
    double r{0};   //!< uplink rate (RateModel of the round), bit/s
    double dp{0};  //!< dr/dp
    double db{0};  //!< dr/db
    double dpp{0}; //!< d2r/dp2
    double dbb{0}; //!< d2r/db2
    double dpb{0}; //!< d2r/dp db
};

/**
 * @ingroup edge-llm
 * @brief Partial derivatives of every CostTerms field of one user with respect to its continuous
 * decision variables (added for the NLP reference allocator; see
 * SplitCostModel::UserTermsGradient).
 *
 * Each member is a CostTerms whose fields hold d(field)/d(variable). Because UserObjective and
 * ObjectiveDelayS are linear in the fields, applying them to a member gives the derivative of the
 * user's objective or objective delay with respect to that variable.
 */
struct CostTermsGradient
{
    CostTerms dAlpha; //!< d/d alpha (relaxed split)
    CostTerms dP;     //!< d/dp (W)
    CostTerms dB;     //!< d/db (Hz)
    CostTerms dF;     //!< d/df (Hz)
    CostTerms dFe;    //!< d/df^E (Hz)
};

/**
 * @ingroup edge-llm
 * @brief Second partial derivatives of every CostTerms field of one user (added for the NLP
 * reference allocator; see SplitCostModel::UserTermsHessian). Pairs not listed are zero.
 */
struct CostTermsHessian
{
    CostTerms alphaAlpha; //!< d2/d alpha2
    CostTerms alphaF;     //!< d2/d alpha df
    CostTerms alphaFe;    //!< d2/d alpha df^E
    CostTerms pp;         //!< d2/dp2
    CostTerms pb;         //!< d2/dp db
    CostTerms bb;         //!< d2/db2
    CostTerms ff;         //!< d2/df2
    CostTerms feFe;       //!< d2/d(f^E)2
};

/**
 * @ingroup edge-llm
 * @brief The closed-form cost model of split fine-tuning — the only place its formulas live.
 *
 * Allocators optimise it and the simulator predicts with it. Per user n on server m:
 * device compute T = alpha psi/(f C D), E = alpha kappa_1 f^2 psi/(C D); edge compute
 * T = (Upsilon-alpha) psi/(f^E C^E D^E), E = (Upsilon-alpha) kappa_2 (f^E)^2 psi/(C^E D^E);
 * uplink r = b log2(1 + g p/(sigma^2 b)), time s/r, energy p s/r; downlink at the server's
 * constant PSD over the same sub-band, r' = b log2(1 + g P_m/(B_m sigma^2)), time s'/r';
 * stability 2 L^2/(k (1 - alpha/Upsilon)).
 *
 * Objective = omega_t * aggregate(delay_n) + omega_e * sum energy + omega_s * sum stability, with
 * delay_n = compute delays (PAPER) or compute + uplink + downlink (DELAY_AWARE), aggregated by
 * sum or max (makespan).
 *
 * Rates follow ObjectiveSettings::rateModel: SNAPSHOT as above (the paper), ERGODIC the mean
 * rate under Rayleigh fading of mean SNR rho, E[b log2(1 + rho |h|^2)] = (b/ln 2) e^(1/rho)
 * E1(1/rho) (ErgodicLog), on the uplink and the downlink alike. Every rate, derivative and
 * p_min below follows the model read from the state at the call.
 *
 * Wi-Fi links (RoundState::wifi enabled, set by the wifi tier): b_n is the user's share of its
 * cell's airtime, b_n / B_m; the station's PHY sends over the whole channel W at the rate
 * R(p) = min(R_max, W log2(1 + g p / (sigma^2 W Gamma))) (Gamma: the MCS table's gap), the MAC
 * delivers eta_mac of it, so r = (b / B_m) eta_mac R(p) (WifiUplinkRate; the downlink alike at
 * the AP's power). The transmit energy is the power drawn over the station's own airtime,
 * (p / eta_PA) s / (eta_mac R(p)); the listening energy is P_idle (UserState::radioIdlePowerW)
 * over the user's whole delay (compute, transfers, edge compute: the radio stays awake).
 */
class SplitCostModel
{
  public:
    /**
     * @param state the round (kept by reference: it must outlive the model, and its gains
     *        must not change while the model is used)
     * @param candidateServers the gains of each user's this many highest-gain servers
     *        (TopServersByGain) are copied side by side, so the solvers' inner loops, which
     *        price a user on its few candidate servers, read a compact N x k table instead of
     *        the round's N x M gains; other pairs read the round (same values either way).
     *        Their downlink spectral efficiencies are kept too; nothing is stored for the
     *        other pairs (computed at the call). 0: no copy.
     */
    explicit SplitCostModel(const RoundState& state,
                            uint32_t candidateServers = kDefaultCandidateServers);

    /// Default candidateServers of the constructor.
    static constexpr uint32_t kDefaultCandidateServers = 8;

    /**
     * @param n user
     * @param m server
     * @return g_{n,m}, the round's gain (from the compact copy when m is a candidate of n)
     */
    double Gain(uint32_t n, uint32_t m) const;

    /** @return the round state */
    const RoundState& GetState() const;

    /**
     * Terms of one user for a relaxed (real) split.
     * @param n user
     * @param m server (UserAllocation::kNoServer for local-only)
     * @param alpha layers on the device, real in [0, Upsilon]
     * @param p transmit power, W
     * @param b bandwidth, Hz
     * @param f device frequency, Hz
     * @param fe edge GPU frequency share, Hz
     * @return the terms
     */
    CostTerms UserTerms(uint32_t n,
                        uint32_t m,
                        double alpha,
                        double p,
                        double b,
                        double f,
                        double fe) const;

    /**
     * @param n user
     * @param a the user's allocation
     * @return its terms
     */
    CostTerms UserTerms(uint32_t n, const UserAllocation& a) const;

    /**
     * The server-dependent part of UserTerms (added for the association search, which prices
     * one user on many servers and shares with alpha, p, f fixed): sets t.edgeDelayS,
     * t.edgeEnergyJ, t.uplinkDelayS, t.txEnergyJ and t.downlinkDelayS exactly as
     * UserTerms(n, m, alpha, p, b, f, fe) does and leaves the other fields alone, so
     * UserTerms(n, kNoServer, alpha, p, b, f, fe) followed by this call gives UserTerms(n, m,
     * alpha, p, b, f, fe) for alpha < Upsilon.
     * @param n user
     * @param m server (not kNoServer)
     * @param alpha relaxed split, below Upsilon
     * @param p W
     * @param b Hz
     * @param fe Hz
     * @param t terms to complete
     * @return the uplink rate UplinkRateBps(n, m, p, b), bit/s
     */
    double OffloadTerms(uint32_t n,
                        uint32_t m,
                        double alpha,
                        double p,
                        double b,
                        double fe,
                        CostTerms& t) const;

    /**
     * @param a allocation
     * @return terms summed over users (stability +inf if any user trains alone)
     */
    CostTerms Totals(const Allocation& a) const;

    /**
     * The terms of every user of an allocation with each Wi-Fi cell's airtime shared among the
     * transfers active at each time (ShareWifiCellAirtime), instead of the planned share
     * b_n / B_m for the whole transfer: a user's uplink is ready after forwardFraction of its
     * device compute, takes its solo airtime s / (eta_mac R(p)) at 1/n of the channel while n
     * transfers of its cell are on the air, its downlink starts after the edge compute. The
     * uplink and downlink delays and the listening energy change; every other term is
     * UserTerms'. Not Wi-Fi (RoundState::wifi disabled): UserTerms of every user.
     * The allocator plans with the planned shares (see doc, "Wi-Fi prediction"); this is the
     * per-device prediction of the round's timing.
     * @param a the allocation (one entry per user of the state)
     * @param forwardFraction share of the device compute spent before the uplink
     * @return per user, its terms
     */
    std::vector<CostTerms> WifiSharedAirtimeTerms(const Allocation& a,
                                                  double forwardFraction) const;

    /**
     * @param n user
     * @param t its terms
     * @return the delay that counts in the objective (compute, + transfer in DELAY_AWARE)
     */
    double ObjectiveDelayS(uint32_t n, const CostTerms& t) const;

    /**
     * Weighted cost of one user as in the SUM aggregate:
     * omega_t delay + omega_e energy + omega_s stability.
     * @param n user
     * @param t its terms
     * @return cost
     */
    double UserObjective(uint32_t n, const CostTerms& t) const;

    /**
     * @param a allocation
     * @return the objective (with the configured delay aggregate)
     */
    double Objective(const Allocation& a) const;

    /**
     * @param n user
     * @param f device frequency, Hz
     * @return A(f) = omega_t psi/(f C D) + omega_e kappa_1 f^2 psi/(C D): weighted cost per device
     * layer
     */
    double DeviceLayerCost(uint32_t n, double f) const;

    /**
     * @param n user
     * @param m server
     * @param fe GPU frequency share, Hz
     * @return B(f^E): weighted cost per edge layer
     */
    double EdgeLayerCost(uint32_t n, uint32_t m, double fe) const;

    /**
     * @param n user
     * @param m server
     * @param p W
     * @param b Hz
     * @return uplink rate, bit/s
     */
    double UplinkRateBps(uint32_t n, uint32_t m, double p, double b) const;

    /**
     * @param n user
     * @param m server
     * @param p W
     * @param b Hz
     * @return uplink rate and derivatives
     */
    RateDerivatives UplinkRate(uint32_t n, uint32_t m, double p, double b) const;

    /**
     * The Wi-Fi uplink rate (RoundState::wifi enabled): r = (b / B_m) eta_mac R(p).
     * @param n user
     * @param m server
     * @param p W
     * @param b Hz (airtime share x B_m)
     * @return rate and derivatives
     */
    RateDerivatives WifiUplinkRate(uint32_t n, uint32_t m, double p, double b) const;

    /**
     * @param w the round's Wi-Fi inputs
     * @param snr linear SNR over the whole channel
     * @return the PHY rate min(R_max, W log2(1 + snr / Gamma)), bit/s
     */
    static double WifiPhyRateBps(const WifiLinkInputs& w, double snr);

    /**
     * @param n user
     * @param m server
     * @param b Hz
     * @param snrMargin linear SNR margin the rate is planned with (1: none)
     * @return downlink rate over sub-band b at the server's constant PSD, bit/s
     */
    double DownlinkRateBps(uint32_t n, uint32_t m, double b, double snrMargin = 1.0) const;

    /**
     * @param n user
     * @param m server
     * @return downlink spectral efficiency, bit/s/Hz: log2(1 + rho) (SNAPSHOT) or
     *         F(rho)/ln 2 (ERGODIC), rho = g P_m/(B_m sigma^2)
     */
    double DownlinkSpectralEfficiency(uint32_t n, uint32_t m) const;

    /**
     * @param n user
     * @param alpha relaxed split
     * @return 2 L^2/(k (1 - alpha/Upsilon))
     */
    double Stability(uint32_t n, double alpha) const;

    /**
     * Smallest power reaching r_min on sub-band b (0 if r_min = 0); closed form for SNAPSHOT,
     * ErgodicLogInverse for ERGODIC.
     * @param n user
     * @param m server
     * @param b Hz
     * @return W
     */
    double MinPowerW(uint32_t n, uint32_t m, double b) const;

    /**
     * The Shannon rate b log2(1 + snr), computed with log1p so that it stays accurate (and
     * positive) at any positive SNR: the one rate formula of the uplink and the downlink.
     * @param b bandwidth, Hz
     * @param snr linear signal-to-noise ratio
     * @return bit/s
     */
    static double ShannonRateBps(double b, double snr);

    /**
     * Largest uplink or downlink transfer time (s), and uplink transmit energy (J), that a link
     * may need in its best case (ValidateLinks). Far beyond any real round (the universe is
     * 4e17 s old) and far enough below the largest double that the solvers' squares and cubes
     * of rates stay in range (the allocators were seen to degrade above about 1e108 s).
     */
    static constexpr double kMaxBestCaseTransfer = 1e100;

    /**
     * Checks that every gain gives a usable link: at p_max over the server's whole band
     * b_m^max, the uplink time s_n/r and transmit energy p_max s_n/r, and the downlink time
     * s'_n/r' over that band, are each at most kMaxBestCaseTransfer. A gain below that (e.g.
     * 1e-315, where the rate underflows) has no finite cost, and allocators cannot price it.
     * Called by RoundState::Validate once the fields are known to be positive and finite.
     * @param state the round
     * @param where prefix for the message (e.g. the instance file name)
     * @throws InputError naming the first unusable gain, what it gives and the smallest gain
     *         allowed for that user and server
     */
    static void ValidateLinks(const RoundState& state, const std::string& where);

    /**
     * Closed-form optimal device frequency: min(f_max, (omega_t/(2 kappa_1 omega_e))^(1/3)).
     * @param u user
     * @param o objective
     * @return Hz
     */
    static double OptimalDeviceFrequency(const UserState& u, const ObjectiveSettings& o);

    /**
     * Every violated constraint, one readable line each (empty if feasible). Besides the
     * bounds and capacities: a local-only user (no server) must train all Upsilon layers within
     * its memory limit, and the objective must be finite, so a user whose cost is +inf (local-
     * only with omega_s > 0: the stability term) is reported with the terms that make it so.
     * An empty list therefore means a finite Objective(a).
     * @param a allocation
     * @param relTol relative tolerance on capacities and bounds
     * @return the violations
     */
    std::vector<std::string> Violations(const Allocation& a, double relTol = 1e-6) const;

    // ---- derivative primitive (added for the NLP reference allocator) ----------------------

    /**
     * Partial derivatives of UserTerms(n, m, alpha, p, b, f, fe) with respect to alpha, p, b, f
     * and f^E, for an offloading user (m a server, alpha < Upsilon, every variable > 0).
     * For m = kNoServer only the device and stability terms have non-zero derivatives.
     * @param n user
     * @param m server (or UserAllocation::kNoServer)
     * @param alpha relaxed split
     * @param p W
     * @param b Hz
     * @param f Hz
     * @param fe Hz
     * @return the partial derivatives of every field
     */
    CostTermsGradient UserTermsGradient(uint32_t n,
                                        uint32_t m,
                                        double alpha,
                                        double p,
                                        double b,
                                        double f,
                                        double fe) const;

    /**
     * Second partial derivatives of UserTerms(n, m, alpha, p, b, f, fe) (same conditions as
     * UserTermsGradient).
     * @param n user
     * @param m server (or UserAllocation::kNoServer)
     * @param alpha relaxed split
     * @param p W
     * @param b Hz
     * @param f Hz
     * @param fe Hz
     * @return the non-zero second partial derivatives of every field
     */
    CostTermsHessian UserTermsHessian(uint32_t n,
                                      uint32_t m,
                                      double alpha,
                                      double p,
                                      double b,
                                      double f,
                                      double fe) const;

  private:
    /**
     * Violations: append "user n: its cost in the objective is not finite: …" naming the
     * terms that are not finite, if the user's cost is +inf or NaN.
     * @param n user
     * @param x the user's decision (already valid on every bound)
     * @param out the list to append to
     */
    void AppendNonFiniteCost(uint32_t n,
                             const UserAllocation& x,
                             std::vector<std::string>& out) const;
    /**
     * Violations: append the user's bound and constraint violations (frequency, split,
     * server, power, bandwidth, GPU share, r_min).
     * @param n user
     * @param x the user's decision
     * @param relTol relative tolerance on the upper bounds
     * @param out the list to append to
     */
    void AppendUserViolations(uint32_t n,
                              const UserAllocation& x,
                              double relTol,
                              std::vector<std::string>& out) const;
    /**
     * Violations: the checks of a user trained on the device alone (no server).
     * @param n user
     * @param x the user's decision
     * @param out the list to append to
     */
    void AppendLocalOnlyViolations(uint32_t n,
                                   const UserAllocation& x,
                                   std::vector<std::string>& out) const;
    /**
     * Violations: the checks of a user that offloads to an existing server.
     * @param n user
     * @param x the user's decision
     * @param relTol relative tolerance on the upper bounds
     * @param out the list to append to
     */
    void AppendOffloadViolations(uint32_t n,
                                 const UserAllocation& x,
                                 double relTol,
                                 std::vector<std::string>& out) const;
    /**
     * Violations: each server's bandwidth and GPU frequency budgets.
     * @param a the allocation
     * @param relTol relative tolerance on the budgets
     * @param out the list to append to
     */
    void AppendServerViolations(const Allocation& a,
                                double relTol,
                                std::vector<std::string>& out) const;

    /**
     * @param n user
     * @return device cycles per layer psi / (C D)
     */
    double DeviceCyclesPerLayer(uint32_t n) const
    {
        const UserState& u = m_state.users[n];
        return u.flopsPerLayer / (u.cores * u.flopsPerCycle);
    }

    /**
     * @param n user
     * @param m server
     * @return server cycles per layer of user n, psi / (C^E D^E)
     */
    double EdgeCyclesPerLayer(uint32_t n, uint32_t m) const
    {
        const ServerState& s = m_state.servers[m];
        return m_state.users[n].flopsPerLayer / (s.cores * s.flopsPerCycle);
    }

    /**
     * @param n user
     * @param m server
     * @return the downlink spectral efficiency computed from the round
     */
    double ComputeDownlinkSe(uint32_t n, uint32_t m) const;

    /**
     * @param n user
     * @param m server
     * @return the index of (n, m) in the candidate copy, or -1 if m is not a candidate of n
     */
    int64_t CandidateSlot(uint32_t n, uint32_t m) const;

    /**
     * @param snr linear SNR
     * @return spectral efficiency of the round's rate model, bit/s/Hz
     */
    double SpectralEfficiency(double snr) const;

    /** @return true if the round prices links as Wi-Fi airtime (RoundState::wifi) */
    bool Wifi() const
    {
        return m_state.wifi.enabled;
    }

    /**
     * Wi-Fi transmit energy p s b / (eta_PA B_m r) and its derivatives in (p, b) (in the
     * txEnergyJ field of a gradient or Hessian member).
     * @param n user
     * @param m server
     * @param p W
     * @param b Hz
     * @param r the uplink rate and its derivatives
     * @param g gradient to complete (may be null)
     * @param h Hessian to complete (may be null)
     */
    void WifiTxEnergyDerivatives(uint32_t n,
                                 uint32_t m,
                                 double p,
                                 double b,
                                 const RateDerivatives& r,
                                 CostTermsGradient* g,
                                 CostTermsHessian* h) const;

    /** @return true if the round prices rates with RateModel::ERGODIC */
    bool Ergodic() const
    {
        return m_state.objective.rateModel == RateModel::ERGODIC;
    }

    /**
     * UplinkRate for RateModel::ERGODIC.
     * @param n user
     * @param m server
     * @param p W
     * @param b Hz
     * @return rate and derivatives
     */
    RateDerivatives ErgodicUplinkRate(uint32_t n, uint32_t m, double p, double b) const;

    /**
     * DownlinkRateBps for snrMargin != 1 (b > 0).
     * @param n user
     * @param m server
     * @param b Hz
     * @param snrMargin linear SNR margin
     * @return bit/s
     */
    double DownlinkRateWithMarginBps(uint32_t n, uint32_t m, double b, double snrMargin) const;

    /**
     * @param w a weight of the objective (>= 0)
     * @param v the term it weighs
     * @return w v, and 0 for w = 0 even when v is infinite: a term with weight 0 does not
     *         count (the stability term of a local-only user is +inf)
     */
    static double Weighted(double w, double v)
    {
        return w > 0 ? w * v : 0.0;
    }

    const RoundState& m_state;          //!< the round
    uint32_t m_candK;                   //!< candidate servers per user in the copy
    std::vector<uint32_t> m_candServer; //!< user n's candidates at [n k, (n + 1) k)
    std::vector<double> m_candGain;     //!< their gains, same layout
    std::vector<double> m_candSe;       //!< their downlink spectral efficiencies, same layout
    RateModel m_candRateModel;          //!< rate model of m_candSe
};

// ---- small primitives, inline: UserTerms and the solvers call them in their inner loops ----

inline double
SplitCostModel::Stability(uint32_t n, double alpha) const
{
    const UserState& u = m_state.users[n];
    const double left = 1.0 - alpha / m_state.layers;
    if (left <= 0)
    {
        return std::numeric_limits<double>::infinity();
    }
    return 2.0 * u.lipschitz * u.lipschitz / (u.datasetSize * left);
}

inline int64_t
SplitCostModel::CandidateSlot(uint32_t n, uint32_t m) const
{
    const size_t first = static_cast<size_t>(n) * m_candK;
    if (first < m_candServer.size())
    {
        for (size_t i = first; i < first + m_candK; ++i)
        {
            if (m_candServer[i] == m)
            {
                return static_cast<int64_t>(i);
            }
        }
    }
    return -1;
}

inline double
SplitCostModel::Gain(uint32_t n, uint32_t m) const
{
    const int64_t i = CandidateSlot(n, m);
    return i >= 0 ? m_candGain[i] : m_state.users[n].gain[m];
}

inline double
SplitCostModel::UplinkRateBps(uint32_t n, uint32_t m, double p, double b) const
{
    if (b <= 0 || p <= 0)
    {
        return 0.0;
    }
    if (Wifi())
    {
        return WifiUplinkRate(n, m, p, b).r;
    }
    const double snr = Gain(n, m) * p / (m_state.noisePsdWPerHz * b);
    if (Ergodic())
    {
        return b * SpectralEfficiency(snr);
    }
    return ShannonRateBps(b, snr);
}

inline double
SplitCostModel::ShannonRateBps(double b, double snr)
{
    // log1p, not log2(1 + snr): 1 + snr rounds to 1 below snr = 1.1e-16, which made a weak but
    // usable link's rate exactly 0 (and its transfer time infinite), and loses digits above it
    constexpr double ln2 = 0.69314718055994530942;
    return b * (std::log1p(snr) / ln2);
}

inline double
SplitCostModel::DownlinkSpectralEfficiency(uint32_t n, uint32_t m) const
{
    // kept for the candidate pairs only (a table per (user, server) pair was 40 MB at
    // 10,000 x 500 and its reads missed the cache in the solvers' inner loops)
    if (m_state.objective.rateModel == m_candRateModel)
    {
        const int64_t i = CandidateSlot(n, m);
        if (i >= 0)
        {
            return m_candSe[i];
        }
    }
    return ComputeDownlinkSe(n, m);
}

inline double
SplitCostModel::DownlinkRateBps(uint32_t n, uint32_t m, double b, double snrMargin) const
{
    if (b <= 0)
    {
        return 0.0;
    }
    if (snrMargin == 1.0)
    {
        return b * DownlinkSpectralEfficiency(n, m);
    }
    return DownlinkRateWithMarginBps(n, m, b, snrMargin);
}

inline double
SplitCostModel::ObjectiveDelayS(uint32_t, const CostTerms& t) const
{
    double d = t.deviceDelayS + t.edgeDelayS;
    if (m_state.objective.mode == ObjectiveMode::DELAY_AWARE)
    {
        d += t.uplinkDelayS + t.downlinkDelayS;
    }
    return d;
}

inline double
SplitCostModel::UserObjective(uint32_t n, const CostTerms& t) const
{
    const ObjectiveSettings& o = m_state.objective;
    return Weighted(o.wTime, ObjectiveDelayS(n, t)) + Weighted(o.wEnergy, t.TotalEnergyJ()) +
           Weighted(o.wStability, t.stability);
}

} // namespace ns3

#endif // EDGE_LLM_SPLIT_COST_MODEL_H
