/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_RADIO_ENVIRONMENT_HELPER_H
#define EDGE_LLM_RADIO_ENVIRONMENT_HELPER_H

#include "ns3/box.h"
#include "ns3/channel-condition-model.h"
#include "ns3/node-container.h"
#include "ns3/propagation-loss-model.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

struct SplitTrainingScenario;

/**
 * @ingroup edge-llm
 * @brief The radio environment of a split-training scenario: where the servers and devices
 * are, how the devices move, and how the signal between them is attenuated — all with ns-3's
 * own mobility and propagation models.
 *
 * Large-scale loss (`--channel`, GetLargeScaleLoss()): `log-distance` is the paper's
 * 128.1 + 37.6 log10(d/km) dB on a plane (z = 0, no shadowing); `3gpp-uma` / `3gpp-umi` are
 * ns-3's ThreeGppUmaPropagationLossModel / ThreeGppUmiStreetCanyonPropagationLossModel with
 * their LOS/NLOS channel-condition models and log-normal shadowing, spatially correlated over
 * the 3GPP correlation distance (servers at the BS height, devices at the UT height).
 *
 * Fast fading (`--fading`, GetFastFading(), a separate model): `none`; `jakes`
 * (JakesPropagationLossModel, time-correlated, Doppler f_D = v f_c / c from `--speed` and
 * `--frequencyHz`); `iid-rayleigh` (NakagamiPropagationLossModel with m = 1: an independent
 * Rayleigh draw per evaluation, i.e. per frame — no time correlation at all).
 *
 * Device mobility (`--mobility`): `static`, `random-walk` (RandomWalk2dMobilityModel),
 * `random-waypoint` (RandomWaypointMobilityModel: destinations uniform in the area, constant
 * speed, no pause) or `gauss-markov` (GaussMarkovMobilityModel: mean speed `--speed`, z fixed,
 * pitch 0), all bounded to the deployment area: the servers' bounding box grown by one
 * inter-site distance.
 *
 * Use: Validate() (also done by Install()), Install(), AssignStreams(),
 * AssignMobilityStreams(), then hand the models to the channel tier.
 */
class RadioEnvironmentHelper
{
  public:
    /// Carrier frequencies the 3GPP models are defined for (TR 38.901), Hz.
    static constexpr double kMinFrequencyHz = 0.5e9;
    static constexpr double kMaxFrequencyHz = 100e9; //!< see kMinFrequencyHz

    /**
     * Check the scenario's channel, fading, mobility, speed, frequency and height options.
     * @param scenario the scenario
     * @throws InputError naming the flag, the bad value and what is allowed
     */
    static void Validate(const SplitTrainingScenario& scenario);

    /**
     * Validate the options, install constant-position mobility on the servers and the
     * chosen mobility on the devices (at the drop's positions, at the channel's antenna
     * heights) and create the propagation models (no random number is drawn yet). With
     * `--fading=jakes` this sets the default of ns3::JakesProcess::DopplerFrequencyHz: ns-3
     * creates a link's process, with the defaults, when the link is first evaluated (so one
     * Doppler frequency per simulation).
     * @param scenario the scenario (channel, fading, mobility, speed, frequency, heights,
     *        inter-site distance)
     * @param serverPositions (x, y) per server, m
     * @param devicePositions (x, y) per device, m
     * @param servers the server nodes (one per position)
     * @param devices the device nodes (one per position)
     * @throws InputError for bad options
     */
    void Install(const SplitTrainingScenario& scenario,
                 const std::vector<std::pair<double, double>>& serverPositions,
                 const std::vector<std::pair<double, double>>& devicePositions,
                 const NodeContainer& servers,
                 const NodeContainer& devices);

    /**
     * Fix the random streams of the large-scale loss, the fast fading and the channel
     * condition model (in that order, from `stream`), then, on the 3GPP channels, evaluate
     * every device–server link twice (PrimeShadowing()).
     * Call once, after Install() and before chaining the models or running.
     * @param stream first stream index
     * @return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * Fix the random streams of the devices' mobility models (MobilityHelper::AssignStreams).
     * @param stream first stream index
     * @return the number of streams used
     */
    int64_t AssignMobilityStreams(int64_t stream);

    /// @return path loss and shadowing (the channel condition inside the 3GPP models)
    Ptr<PropagationLossModel> GetLargeScaleLoss() const;
    /// @return the fast-fading model, or nullptr for `--fading=none`
    Ptr<PropagationLossModel> GetFastFading() const;
    /// @return the LOS/NLOS model of the 3GPP channels, or nullptr for `log-distance`
    Ptr<ChannelConditionModel> GetChannelConditionModel() const;
    /// @return the Doppler frequency of the Jakes fading, Hz (0 without it)
    double GetDopplerFrequencyHz() const;
    /// @return the servers' antenna height (z), m
    double GetServerHeightM() const;
    /// @return the devices' antenna height (z), m
    double GetDeviceHeightM() const;
    /// @return the area the devices move in (z: the device height)
    Box GetDeploymentArea() const;

    /**
     * The servers' bounding box grown by a margin on every side.
     * @param serverPositions (x, y) per server, m (at least one)
     * @param marginM the margin (the inter-site distance), m
     * @param z the height of the box (zMin = zMax), m
     * @return the box
     */
    static Box DeploymentArea(const std::vector<std::pair<double, double>>& serverPositions,
                              double marginM,
                              double z);

    /**
     * The Doppler frequency of a device moving at a speed under a carrier.
     * @param speedMps speed, m/s
     * @param carrierHz carrier frequency, Hz
     * @return f_D = v f_c / c, Hz
     */
    static double DopplerFrequencyHz(double speedMps, double carrierHz);

  private:
    /// Constant positions at the BS height. @param positions (x, y) per server, m
    void InstallServerMobility(const std::vector<std::pair<double, double>>& positions);
    /// The mobility model at the UT height. @param positions (x, y) per device at the start, m
    void InstallDeviceMobility(const std::vector<std::pair<double, double>>& positions);
    /// Path loss (and, on 3GPP channels, channel condition and shadowing).
    void CreateLargeScaleLoss();
    /// The fast-fading model, if any.
    void CreateFastFading();
    /**
     * ns-3 3.37 stores a zero displacement with a link's first shadowing draw, so the link's
     * second evaluation draws its shadowing anew (nearly independently). Evaluating every
     * device–server link twice at the start makes the first channel estimate see the
     * shadowing the frames then see.
     */
    void PrimeShadowing();

    std::string m_channel;                  //!< log-distance, 3gpp-uma or 3gpp-umi
    std::string m_fading;                   //!< none, jakes or iid-rayleigh
    std::string m_mobility;                 //!< device mobility model
    double m_speedMps{0};                   //!< device speed, m/s
    double m_frequencyHz{0};                //!< carrier, Hz
    double m_serverHeightM{0};              //!< BS antenna height, m
    double m_deviceHeightM{0};              //!< UT antenna height, m
    double m_dopplerHz{0};                  //!< Jakes Doppler frequency, Hz
    Box m_area;                             //!< where the devices move
    NodeContainer m_servers;                //!< server nodes
    NodeContainer m_devices;                //!< device nodes
    Ptr<PropagationLossModel> m_largeScale; //!< path loss (+ shadowing)
    Ptr<PropagationLossModel> m_fastFading; //!< fast fading or nullptr
    Ptr<ChannelConditionModel> m_condition; //!< 3GPP LOS/NLOS model or nullptr
};

} // namespace ns3

#endif // EDGE_LLM_RADIO_ENVIRONMENT_HELPER_H
