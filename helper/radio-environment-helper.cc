/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "radio-environment-helper.h"

#include "split-training-helper.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/input-error.h"
#include "ns3/jakes-propagation-loss-model.h"
#include "ns3/log.h"
#include "ns3/mobility-helper.h"
#include "ns3/mobility-model.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/position-allocator.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rectangle.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/three-gpp-propagation-loss-model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRadioEnvironmentHelper");

namespace
{

constexpr double kSpeedOfLightMps = 299792458.0;
/// BS antenna heights of the UMa and UMi-street-canyon scenarios (TR 38.901 Table 7.4.1-1), m.
constexpr double kUmaBsHeightM = 25.0;
constexpr double kUmiBsHeightM = 10.0; //!< see kUmaBsHeightM
/// UT antenna height of an outdoor user (TR 38.901 Table 7.4.1-1: 1.5 m), m.
constexpr double kUtHeightM = 1.5;
/// Correlation distance of the LOS/NLOS state, UMa and UMi (TR 38.901 Table 7.6.3.1-2), m.
constexpr double kLosStateCorrelationM = 50.0;
/// Gauss-Markov memory: share of the last speed and direction kept per 1 s step.
constexpr double kGaussMarkovAlpha = 0.85;
/// Gauss-Markov speed spread: standard deviation of the speed as a share of its mean.
constexpr double kGaussMarkovSpeedSpread = 0.2;
/// Largest Doppler frequency JakesProcess accepts (its attribute's range), Hz.
constexpr double kMaxDopplerHz = 1e4;

/// A number as a user would write it (1.4, not 1.400000).
std::string
Str(double value)
{
    std::ostringstream os;
    os << value;
    return os.str();
}

/// A constant random variable as an attribute string.
std::string
Constant(double value)
{
    return "ns3::ConstantRandomVariable[Constant=" + std::to_string(value) + "]";
}

bool
IsThreeGpp(const std::string& channel)
{
    return channel == "3gpp-uma" || channel == "3gpp-umi";
}

/// Server antenna height of the scenario's channel, m.
double
ServerHeight(const SplitTrainingScenario& sc)
{
    if (!IsThreeGpp(sc.channel))
    {
        return 0; // the paper's model is planar
    }
    if (sc.bsHeightM > 0)
    {
        return sc.bsHeightM;
    }
    return sc.channel == "3gpp-uma" ? kUmaBsHeightM : kUmiBsHeightM;
}

/// Device antenna height of the scenario's channel, m.
double
DeviceHeight(const SplitTrainingScenario& sc)
{
    if (!IsThreeGpp(sc.channel))
    {
        return 0;
    }
    return sc.utHeightM > 0 ? sc.utHeightM : kUtHeightM;
}

void
ValidateHeights(const SplitTrainingScenario& sc)
{
    for (const auto& [flag, value] :
         {std::pair{"--bsHeightM", sc.bsHeightM}, std::pair{"--utHeightM", sc.utHeightM}})
    {
        Require(std::isfinite(value) && value >= 0,
                flag,
                Str(value),
                "a height >= 0 in m (0: the channel's default)");
        Require(value == 0 || IsThreeGpp(sc.channel),
                flag,
                Str(value),
                "0 with --channel=" + sc.channel +
                    " (the paper's model is planar, z = 0); antenna heights apply to "
                    "--channel=3gpp-uma|3gpp-umi");
    }
    if (!IsThreeGpp(sc.channel))
    {
        return;
    }
    const bool uma = sc.channel == "3gpp-uma";
    const double ut = DeviceHeight(sc);
    const double bs = ServerHeight(sc);
    // ns-3's models take the lower node of a link as the UT; UMi's takes a node at 10 m as
    // the BS, and UMa's LOS probability is defined up to 23 m UT height (it aborts above)
    Require(ut >= 1.5 && (uma ? ut <= 22.5 : ut < 10.0),
            "--utHeightM",
            Str(ut),
            uma ? "a UT height in [1.5, 22.5] m with --channel=3gpp-uma (TR 38.901 Table 7.4.1-1)"
                : "a UT height in [1.5, 10) m with --channel=3gpp-umi (TR 38.901 Table 7.4.1-1, "
                  "below the 10 m BS)");
    Require(bs > ut && bs <= 150,
            "--bsHeightM",
            Str(bs),
            "a BS height above the UT height (" + Str(ut) +
                " m) and at most 150 m; TR 38.901 defines " +
                (uma ? "3gpp-uma at 25 m" : "3gpp-umi at 10 m"));
}

void
ValidateSpeed(const SplitTrainingScenario& sc)
{
    Require(std::isfinite(sc.speedMps) && sc.speedMps >= 0,
            "--speed",
            Str(sc.speedMps),
            "a speed >= 0 in m/s (1.4: pedestrian, 15: vehicular)");
    Require(sc.speedMps > 0 || sc.mobility == "static",
            "--speed",
            Str(sc.speedMps),
            "a positive speed with --mobility=" + sc.mobility +
                " (--mobility=static for devices that stay put)");
    Require(sc.speedMps > 0 || sc.fading != "jakes",
            "--speed",
            Str(sc.speedMps),
            "a positive speed with --fading=jakes (it sets the Doppler frequency v f_c / c)");
}

} // namespace

void
RadioEnvironmentHelper::Validate(const SplitTrainingScenario& sc)
{
    Require(sc.channel == "log-distance" || IsThreeGpp(sc.channel),
            "--channel",
            sc.channel,
            "log-distance (the paper's), 3gpp-uma or 3gpp-umi");
    if (sc.fading == "nakagami")
    {
        throw InputError("--fading=nakagami was renamed to --fading=iid-rayleigh (an independent "
                         "Rayleigh draw per frame); --fading=jakes is time-correlated Rayleigh "
                         "fading");
    }
    Require(std::set<std::string>{"none", "jakes", "iid-rayleigh"}.count(sc.fading),
            "--fading",
            sc.fading,
            "none, jakes (time-correlated Rayleigh) or iid-rayleigh (independent per frame)");
    if (sc.shadowingDb != 0)
    {
        throw InputError("--shadowingDb=" + Str(sc.shadowingDb) +
                         " is no longer supported (an i.i.d. draw per frame is not shadowing); "
                         "use --channel=3gpp-umi|3gpp-uma for log-normal shadowing correlated "
                         "in space");
    }
    Require(std::set<std::string>{"static", "random-walk", "random-waypoint", "gauss-markov"}.count(
                sc.mobility),
            "--mobility",
            sc.mobility,
            "static, random-walk, random-waypoint or gauss-markov");
    ValidateSpeed(sc);
    Require(std::isfinite(sc.frequencyHz) && sc.frequencyHz >= kMinFrequencyHz &&
                sc.frequencyHz <= kMaxFrequencyHz,
            "--frequencyHz",
            Str(sc.frequencyHz),
            "a carrier in [0.5e9, 100e9] Hz (where the 3GPP models are defined)");
    if (sc.fading == "jakes")
    {
        Require(DopplerFrequencyHz(sc.speedMps, sc.frequencyHz) <= kMaxDopplerHz,
                "--speed",
                Str(sc.speedMps),
                "a speed whose Doppler frequency v f_c / c at --frequencyHz=" +
                    Str(sc.frequencyHz) + " is at most 10 kHz (JakesProcess's limit)");
    }
    ValidateHeights(sc);
}

double
RadioEnvironmentHelper::DopplerFrequencyHz(double speedMps, double carrierHz)
{
    return speedMps * carrierHz / kSpeedOfLightMps;
}

Box
RadioEnvironmentHelper::DeploymentArea(
    const std::vector<std::pair<double, double>>& serverPositions,
    double marginM,
    double z)
{
    NS_ABORT_MSG_IF(serverPositions.empty(), "DeploymentArea: no server");
    constexpr double inf = std::numeric_limits<double>::infinity();
    double x0 = inf;
    double x1 = -inf;
    double y0 = inf;
    double y1 = -inf;
    for (const auto& [x, y] : serverPositions)
    {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    }
    return Box(x0 - marginM, x1 + marginM, y0 - marginM, y1 + marginM, z, z);
}

void
RadioEnvironmentHelper::Install(const SplitTrainingScenario& sc,
                                const std::vector<std::pair<double, double>>& serverPositions,
                                const std::vector<std::pair<double, double>>& devicePositions,
                                const NodeContainer& servers,
                                const NodeContainer& devices)
{
    NS_ABORT_MSG_IF(m_largeScale, "RadioEnvironmentHelper::Install called twice");
    NS_ABORT_MSG_IF(serverPositions.size() != servers.GetN() ||
                        devicePositions.size() != devices.GetN(),
                    "RadioEnvironmentHelper::Install: one position per node");
    Validate(sc);
    m_channel = sc.channel;
    m_fading = sc.fading;
    m_mobility = sc.mobility;
    m_speedMps = sc.speedMps;
    m_frequencyHz = sc.frequencyHz;
    m_serverHeightM = ServerHeight(sc);
    m_deviceHeightM = DeviceHeight(sc);
    m_area = DeploymentArea(serverPositions, sc.drop.interSiteDistanceM, m_deviceHeightM);
    m_servers = servers;
    m_devices = devices;
    InstallServerMobility(serverPositions);
    InstallDeviceMobility(devicePositions);
    CreateLargeScaleLoss();
    CreateFastFading();
}

void
RadioEnvironmentHelper::InstallServerMobility(
    const std::vector<std::pair<double, double>>& positions)
{
    MobilityHelper mobility;
    auto allocator = CreateObject<ListPositionAllocator>();
    for (const auto& [x, y] : positions)
    {
        allocator->Add(Vector(x, y, m_serverHeightM));
    }
    mobility.SetPositionAllocator(allocator);
    mobility.Install(m_servers);
}

void
RadioEnvironmentHelper::InstallDeviceMobility(
    const std::vector<std::pair<double, double>>& positions)
{
    MobilityHelper mobility;
    auto start = CreateObject<ListPositionAllocator>();
    for (const auto& [x, y] : positions)
    {
        start->Add(Vector(x, y, m_deviceHeightM));
    }
    mobility.SetPositionAllocator(start);
    const Box& a = m_area;
    if (m_mobility == "random-walk")
    {
        mobility.SetMobilityModel("ns3::RandomWalk2dMobilityModel",
                                  "Bounds",
                                  RectangleValue(Rectangle(a.xMin, a.xMax, a.yMin, a.yMax)),
                                  "Speed",
                                  StringValue(Constant(m_speedMps)));
    }
    else if (m_mobility == "random-waypoint")
    {
        mobility.SetMobilityModel("ns3::RandomWaypointMobilityModel",
                                  "Speed",
                                  StringValue(Constant(m_speedMps)),
                                  "Pause",
                                  StringValue(Constant(0)));
    }
    else if (m_mobility == "gauss-markov")
    {
        const double sigma = kGaussMarkovSpeedSpread * m_speedMps;
        mobility.SetMobilityModel("ns3::GaussMarkovMobilityModel",
                                  "Bounds",
                                  BoxValue(a),
                                  "TimeStep",
                                  TimeValue(Seconds(1)),
                                  "Alpha",
                                  DoubleValue(kGaussMarkovAlpha),
                                  "MeanVelocity",
                                  StringValue(Constant(m_speedMps)),
                                  "MeanPitch",
                                  StringValue(Constant(0)),
                                  "NormalVelocity",
                                  StringValue("ns3::NormalRandomVariable[Mean=0.0|Variance=" +
                                              std::to_string(sigma * sigma) + "]"),
                                  "NormalPitch",
                                  StringValue("ns3::NormalRandomVariable[Mean=0.0|Variance=0.0]"));
    }
    mobility.Install(m_devices);
    if (m_mobility == "random-waypoint")
    {
        // every device draws its own destinations, uniform in the area at the UT height
        for (uint32_t i = 0; i < m_devices.GetN(); ++i)
        {
            auto x = CreateObject<UniformRandomVariable>();
            x->SetAttribute("Min", DoubleValue(a.xMin));
            x->SetAttribute("Max", DoubleValue(a.xMax));
            auto y = CreateObject<UniformRandomVariable>();
            y->SetAttribute("Min", DoubleValue(a.yMin));
            y->SetAttribute("Max", DoubleValue(a.yMax));
            auto destinations = CreateObject<RandomRectanglePositionAllocator>();
            destinations->SetX(x);
            destinations->SetY(y);
            destinations->SetZ(m_deviceHeightM);
            m_devices.Get(i)->GetObject<MobilityModel>()->SetAttribute("PositionAllocator",
                                                                       PointerValue(destinations));
        }
    }
}

void
RadioEnvironmentHelper::CreateLargeScaleLoss()
{
    if (m_channel == "log-distance")
    {
        // 128.1 + 37.6 log10(d/km) dB (the paper's). ns-3's log-distance model returns the
        // reference loss for every distance up to the reference distance: with the reference
        // at 1 km every link of a sub-km cell would lose 128.1 dB. Reference at 10 m (the
        // generator's minimum distance) instead: 128.1 + 37.6 log10(10 m / 1 km) = 52.9 dB,
        // the same law beyond 10 m.
        auto pathLoss = CreateObject<LogDistancePropagationLossModel>();
        pathLoss->SetReference(10.0, 128.1 + 37.6 * std::log10(10.0 / 1000.0));
        pathLoss->SetPathLossExponent(3.76);
        m_largeScale = pathLoss;
        return;
    }
    Ptr<ThreeGppPropagationLossModel> loss;
    if (m_channel == "3gpp-uma")
    {
        loss = CreateObject<ThreeGppUmaPropagationLossModel>();
        m_condition = CreateObject<ThreeGppUmaChannelConditionModel>();
    }
    else
    {
        loss = CreateObject<ThreeGppUmiStreetCanyonPropagationLossModel>();
        m_condition = CreateObject<ThreeGppUmiStreetCanyonChannelConditionModel>();
    }
    // LOS/NLOS is drawn per link; a moving device redraws it after walking about the LOS
    // state's correlation distance (a static one keeps it)
    const Time update =
        m_mobility == "static" ? Seconds(0) : Seconds(kLosStateCorrelationM / m_speedMps);
    m_condition->SetAttribute("UpdatePeriod", TimeValue(update));
    loss->SetAttribute("Frequency", DoubleValue(m_frequencyHz));
    loss->SetAttribute("ShadowingEnabled", BooleanValue(true));
    loss->SetAttribute("ChannelConditionModel", PointerValue(m_condition));
    m_largeScale = loss;
}

void
RadioEnvironmentHelper::CreateFastFading()
{
    if (m_fading == "jakes")
    {
        m_dopplerHz = DopplerFrequencyHz(m_speedMps, m_frequencyHz);
        // JakesPropagationLossModel creates a JakesProcess per link when the link is first
        // evaluated, with JakesProcess's default attributes: the Doppler goes there
        Config::SetDefault("ns3::JakesProcess::DopplerFrequencyHz", DoubleValue(m_dopplerHz));
        auto jakes = CreateObject<JakesPropagationLossModel>();
        // The model and the JakesProcess of each link hold each other (and the link's mobility
        // models, so their nodes): only the model's DoDispose breaks that, and none of its
        // holders (this helper, the channels) disposes it. Simulator::Destroy does.
        Simulator::ScheduleDestroy(&Object::Dispose, Ptr<Object>(jakes));
        m_fastFading = jakes;
    }
    else if (m_fading == "iid-rayleigh")
    {
        // Nakagami with m = 1 is Rayleigh; ns-3 draws it anew at every evaluation
        auto rayleigh = CreateObject<NakagamiPropagationLossModel>();
        rayleigh->SetAttribute("m0", DoubleValue(1));
        rayleigh->SetAttribute("m1", DoubleValue(1));
        rayleigh->SetAttribute("m2", DoubleValue(1));
        m_fastFading = rayleigh;
    }
}

int64_t
RadioEnvironmentHelper::AssignStreams(int64_t stream)
{
    NS_ABORT_MSG_IF(!m_largeScale, "RadioEnvironmentHelper::AssignStreams before Install");
    NS_ABORT_MSG_IF(m_largeScale->GetNext(),
                    "RadioEnvironmentHelper::AssignStreams after chaining the models");
    int64_t used = m_largeScale->AssignStreams(stream);
    if (m_fastFading)
    {
        used += m_fastFading->AssignStreams(stream + used);
    }
    if (m_condition)
    {
        used += m_condition->AssignStreams(stream + used);
        PrimeShadowing();
    }
    return used;
}

void
RadioEnvironmentHelper::PrimeShadowing()
{
    for (uint32_t j = 0; j < m_servers.GetN(); ++j)
    {
        auto server = m_servers.Get(j)->GetObject<MobilityModel>();
        for (uint32_t i = 0; i < m_devices.GetN(); ++i)
        {
            auto device = m_devices.Get(i)->GetObject<MobilityModel>();
            // the first evaluation stores a zero displacement, the second the true one
            m_largeScale->CalcRxPower(0, device, server);
            m_largeScale->CalcRxPower(0, device, server);
        }
    }
}

int64_t
RadioEnvironmentHelper::AssignMobilityStreams(int64_t stream)
{
    MobilityHelper mobility;
    return mobility.AssignStreams(m_devices, stream);
}

Ptr<PropagationLossModel>
RadioEnvironmentHelper::GetLargeScaleLoss() const
{
    return m_largeScale;
}

Ptr<PropagationLossModel>
RadioEnvironmentHelper::GetFastFading() const
{
    return m_fastFading;
}

Ptr<ChannelConditionModel>
RadioEnvironmentHelper::GetChannelConditionModel() const
{
    return m_condition;
}

double
RadioEnvironmentHelper::GetDopplerFrequencyHz() const
{
    return m_dopplerHz;
}

double
RadioEnvironmentHelper::GetServerHeightM() const
{
    return m_serverHeightM;
}

double
RadioEnvironmentHelper::GetDeviceHeightM() const
{
    return m_deviceHeightM;
}

Box
RadioEnvironmentHelper::GetDeploymentArea() const
{
    return m_area;
}

} // namespace ns3
