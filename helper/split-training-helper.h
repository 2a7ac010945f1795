/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_HELPER_H
#define EDGE_LLM_SPLIT_TRAINING_HELPER_H

#include "ns3/channel-tier-helper.h"
#include "ns3/fault-schedule.h"
#include "ns3/fdma-helper.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/radio-environment-helper.h"
#include "ns3/round-coordinator.h"
#include "ns3/round-state-generator.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Everything that defines a split-training scenario (what the example's flags set).
 */
struct SplitTrainingScenario
{
    GeneratorOptions drop;                     //!< users, servers, preset, layout, model, seed
    std::string allocator{"ns3::FpAllocator"}; //!< allocator: TypeId or short name
    std::string tier{"fdma"};                  //!< channel tier: short name or TypeId
    std::string gpuPolicy{"partitioned"};      //!< partitioned, fcfs, processor-sharing
    uint32_t rounds{5};                        //!< training rounds
    double batteryJ{55440};                    //!< device battery (15.4 Wh phone battery), J
    double supplyVoltageV{3.85};               //!< battery voltage, V
    Time batteryUpdate{Seconds(10)};           //!< battery's periodic update (RemainingEnergy
                                               //!< trace; depletion does not wait for it)
    double batteryReserve{0.02};               //!< the device stops at this share left (the
                                               //!< battery's low-battery threshold, see doc)
    std::string channel{"log-distance"};       //!< log-distance (the paper's), 3gpp-uma, 3gpp-umi
    double frequencyHz{3.5e9};                 //!< carrier of the 3GPP models and the Doppler, Hz
    double bsHeightM{0};                       //!< server antenna height, m (0: 25 UMa, 10 UMi)
    double utHeightM{0};                       //!< device antenna height, m (0: 1.5 on 3GPP)
    std::string mobility{"static"};         //!< static, random-walk, random-waypoint, gauss-markov
    double speedMps{1.4};                   //!< device speed (mobility and Jakes Doppler), m/s
    std::string fading{"none"};             //!< none, jakes or iid-rayleigh (see doc)
    double shadowingDb{0};                  //!< removed: must be 0 (shadowing: --channel=3gpp-*)
    double rateMarginDb{0};                 //!< SNR margin of the planned rate, dB
    std::string linkAdaptation{"adaptive"}; //!< fdma: fixed or adaptive (per-frame rate)
    std::string csi{"measured"};            //!< fdma: measured or positions (oracle)
    double compression{1.0};                //!< activation/gradient size factor (0.5: 16 -> 8 bit)
    Time roundTimeout{Seconds(0)};          //!< hard round deadline (0: automatic, see doc)
    double handoverHysteresisDb{3};         //!< re-association margin, dB (0: none)
    uint32_t tcpBufferBytes{1u << 20};      //!< TCP send/receive buffer per socket, bytes
    FaultSchedule faults;                   //!< injected faults (none by default)
};

/**
 * @ingroup edge-llm
 * @brief Builds the network of a split-training scenario and its RoundCoordinator.
 *
 * M edge servers on a square/hex/line layout and N devices dropped in their cells (seeded, as
 * RoundStateGenerator draws them), mobility and propagation (RadioEnvironmentHelper), the
 * channel tier, IPv4, batteries with compute and radio energy models, the training apps, the
 * EdgeGpus and the allocator. Bad options raise InputError.
 *
 * The channel tier is a plug-in: scenario.tier names it (a short name such as `fdma` or
 * `wifi`, or the TypeId of a SplitChannelTier subclass); the tier object is created from an
 * ObjectFactory (the tier helper's Configure maps the scenario's tier flags to attributes, then
 * SetTierAttribute's values apply) and everything tier-specific (devices, addresses, radio
 * energy, pcap) is done by the tier's ChannelTierHelper.
 */
class SplitTrainingHelper
{
  public:
    /**
     * Build everything (call once).
     * @param scenario the scenario
     */
    void Build(const SplitTrainingScenario& scenario);

    /**
     * Set an attribute of the channel tier object (applied at Build, after the attributes the
     * scenario's tier flags set; an attribute the tier does not have is an InputError then).
     * @param name attribute name
     * @param value its value
     */
    void SetTierAttribute(const std::string& name, const AttributeValue& value);

    /**
     * The round state Build() starts the coordinator from, without building anything: the
     * drop of scenario.drop with the activation/gradient sizes scaled by the compression
     * factor (what edge-llm-compare's analytic mode hands the allocators).
     * @param scenario the scenario
     * @return the state
     * @throws InputError for bad drop options
     */
    static RoundState PlannedState(const SplitTrainingScenario& scenario);

    /** @return the coordinator (Start() it, connect writers to its traces) */
    Ptr<RoundCoordinator> GetCoordinator() const;

    /**
     * Start the coordinator (at 0.1 s) and run the simulation until its last round ends (call
     * after Build() and after connecting writers; Simulator::Destroy() is left to the caller).
     * @param limit if positive, the simulation also stops at this time (a safety net for tests)
     * @return the coordinator's reports, one per round
     */
    std::vector<RoundReport> RunToEnd(Time limit = Seconds(0));
    /** @return the round state the coordinator starts from (gains of the drop) */
    const RoundState& GetBaseState() const;
    /** @return device nodes */
    const NodeContainer& GetDeviceNodes() const;
    /** @return server nodes */
    const NodeContainer& GetServerNodes() const;
    /** @return the servers' net devices (for pcap) */
    const NetDeviceContainer& GetServerDevices() const;
    /** @return the devices' net devices */
    const NetDeviceContainer& GetDeviceDevices() const;
    /** @return the channel tier's helper (after Build) */
    ChannelTierHelper& GetTierHelper();

    /**
     * @tparam T the tier helper's class, e.g. FdmaTierHelper or WifiTierHelper
     * @return the channel tier's helper as a T (aborts if the scenario's tier has another one)
     */
    template <class T>
    T& GetTierHelper()
    {
        auto helper = dynamic_cast<T*>(&GetTierHelper());
        NS_ABORT_MSG_IF(!helper, "SplitTrainingHelper: the tier's helper is not of this class");
        return *helper;
    }

    /** @return the radio environment: mobility, large-scale loss, fast fading */
    const RadioEnvironmentHelper& GetRadioEnvironment() const;
    /**
     * pcap of every server interface, whatever the tier (fdma: <prefix>-<node>-<device>.pcap
     * with the frames of the server's links; wifi: the same names, radiotap + 802.11 frames of
     * the server's cell).
     * @param prefix file name prefix
     */
    void EnablePcap(const std::string& prefix);
    /** @return per device: battery, compute and radio energy models */
    const std::vector<RoundCoordinator::Device>& GetDevices() const;
    /** @return per server: the GPU */
    const std::vector<Ptr<EdgeGpu>>& GetGpus() const;

  private:
    SplitTrainingScenario m_scenario;                //!< options
    RoundState m_base;                               //!< drawn state
    NodeContainer m_deviceNodes;                     //!< devices
    NodeContainer m_serverNodes;                     //!< servers
    NetDeviceContainer m_deviceDevices;              //!< devices' NICs
    NetDeviceContainer m_serverDevices;              //!< servers' NICs
    std::unique_ptr<ChannelTierHelper> m_tierHelper; //!< the tier's helper
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_tierAttributes; //!< set by user
    RadioEnvironmentHelper m_radio;                  //!< mobility and propagation
    std::vector<RoundCoordinator::Device> m_devices; //!< per device
    std::vector<Ptr<EdgeGpu>> m_gpus;                //!< per server
    Ptr<RoundCoordinator> m_coordinator;             //!< the coordinator
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_HELPER_H
