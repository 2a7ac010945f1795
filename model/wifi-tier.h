/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_WIFI_TIER_H
#define EDGE_LLM_WIFI_TIER_H

#include "split-channel-tier.h"

#include "ns3/device-energy-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/traced-callback.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-radio-energy-model.h"

#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief The `wifi` channel tier: one 802.11ax access point per edge server, each cell on its
 * own 20 MHz channel; the devices contend for their cell's channel (CSMA/CA).
 *
 * Association. Every device holds one station interface per cell (one WifiNetDevice on each
 * cell's channel, an IPv4 address in each cell's subnet), associated with that cell's AP once
 * at the start. Together they stand for the device's single Wi-Fi radio: in a round only the
 * interface of the server the allocation names is awake; the others sleep (their PHY is in
 * SLEEP, they neither transmit nor receive, and their radio energy model draws a negligible
 * current in SLEEP, see WifiTierHelper). The training connection goes to
 * GetServerAddress(server), which lies in that cell's subnet, so IPv4 sends it out of the awake
 * interface. Switching servers therefore costs no re-association time (as with a
 * pre-authenticated fast BSS transition); this is a modelling choice: it keeps rounds free of
 * scan/association races. An interface that is to sleep before it has associated stays awake
 * until it associates or until AssociationTimeLimit after the start (out of range of that
 * AP), whichever comes first. A device the allocator puts on an AP it cannot reach (Wi-Fi
 * needs an SNR of a few dB, Shannon rates do not) times out.
 *
 * Power. Apply() sets the serving interface's transmit power to p_n (TxPowerStart =
 * TxPowerEnd, one power level), clamped to [MinTxPowerDbm, MaxTxPowerDbm].
 *
 * Hidden devices. Two devices on opposite sides of a cell often cannot hear each other; a
 * device next to busy hidden neighbours would starve (its frames collide at the AP with their
 * long A-MPDUs). PSDUs longer than RtsCtsThresholdBytes are therefore protected by RTS/CTS.
 *
 * Bandwidth. b_n is not enforced: the devices of a cell share its 20 MHz by contention, the
 * MCS follows the rate manager of the devices (ideal or Minstrel-HT). EnforcesBandwidth()
 * returns false; the allocator still plans with its b_n-based Shannon rates, so predicted and
 * measured delays differ by contention, MCS granularity and MAC overhead.
 *
 * Gains. EstimateGain() is the received power at 1 W through the same loss model the cell
 * channels use (one draw of any fading model in the chain: CSI at the round start).
 */
class WifiTier : public SplitChannelTier
{
  public:
    /** Rate control of the Wi-Fi devices (set at installation, see WifiTierHelper). */
    enum RateControl
    {
        IDEAL,       //!< ns3::IdealWifiManager (MCS from the receiver's SNR)
        MINSTREL_HT, //!< ns3::MinstrelHtWifiManager (sampling)
    };

    /**
     * TracedCallback signature of decisions applied to the air.
     * @param user user index
     * @param server serving server (UserAllocation::kNoServer when detached)
     * @param txPowerDbm transmit power set on the serving interface, dBm (NaN when detached)
     */
    typedef void (*AppliedTracedCallback)(uint32_t user, uint32_t server, double txPowerDbm);

    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    WifiTier();
    ~WifiTier() override;

    /**
     * @param loss the propagation loss chain of the cell channels
     * @param stations per user, per server: the user's station interface in that cell
     * @param accessPoints per server: its AP interface
     * @param serverAddresses per server: its IPv4 address (in its cell's subnet)
     */
    void Setup(Ptr<PropagationLossModel> loss,
               const std::vector<std::vector<Ptr<WifiNetDevice>>>& stations,
               const std::vector<Ptr<WifiNetDevice>>& accessPoints,
               const std::vector<Ipv4Address>& serverAddresses);

    double EstimateGain(uint32_t user, uint32_t server) override;
    void Apply(uint32_t user, const UserAllocation& a, const SplitCostModel& model) override;
    void Detach(uint32_t user) override;
    Ipv4Address GetServerAddress(uint32_t server) const override;
    bool EnforcesBandwidth() const override;

    /**
     * @param user user index
     * @return the server whose interface is awake, or UserAllocation::kNoServer
     */
    uint32_t GetServingServer(uint32_t user) const;

    /**
     * @param user user index
     * @param server server index
     * @return the user's station interface in the server's cell
     */
    Ptr<WifiNetDevice> GetStation(uint32_t user, uint32_t server) const;

    /**
     * @param server server index
     * @return the server's AP interface
     */
    Ptr<WifiNetDevice> GetAccessPoint(uint32_t server) const;

    /**
     * @param powerW a transmit power, W
     * @return it in dBm, clamped to [MinTxPowerDbm, MaxTxPowerDbm]
     */
    double ClampTxPowerDbm(double powerW) const;

    /** @return the rate control the devices are to be built with */
    RateControl GetRateControl() const;

    /** @return PSDUs longer than this are protected by RTS/CTS, bytes */
    uint32_t GetRtsCtsThresholdBytes() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * Put an interface to sleep, or mark it to sleep once associated (see AssociationTimeLimit).
     * @param user user index
     * @param server server index
     */
    void Sleep(uint32_t user, uint32_t server);
    /**
     * Wake an interface up (no-op if it is awake).
     * @param user user index
     * @param server server index
     */
    void Wake(uint32_t user, uint32_t server);
    /**
     * An interface associated with its AP.
     * @param user user index
     * @param server server index
     * @param ap AP address
     */
    void Associated(uint32_t user, uint32_t server, Mac48Address ap);
    /** AssociationTimeLimit is over: interfaces waiting to sleep sleep now. */
    void AssociationTimeUp();

    Ptr<PropagationLossModel> m_loss;                          //!< loss of the cell channels
    std::vector<std::vector<Ptr<WifiNetDevice>>> m_stations;   //!< [user][server]
    std::vector<Ptr<WifiNetDevice>> m_accessPoints;            //!< per server
    std::vector<Ipv4Address> m_addresses;                      //!< per server
    std::vector<uint32_t> m_serving;                           //!< per user
    std::vector<std::vector<bool>> m_sleepPending;             //!< [user][server]
    Time m_associationTimeLimit;                               //!< awake-for-association limit
    bool m_associationTimeUp{false};                           //!< the limit has passed
    double m_minTxPowerDbm{0};                                 //!< power clamp, low end
    double m_maxTxPowerDbm{40};                                //!< power clamp, high end
    RateControl m_rateControl{IDEAL};                          //!< rate manager choice
    uint32_t m_rtsCtsThresholdBytes{500};                      //!< RTS/CTS above this PSDU size
    TracedCallback<uint32_t, uint32_t, double> m_appliedTrace; //!< decisions applied
};

/**
 * @ingroup edge-llm
 * @brief ns-3's WifiRadioEnergyModel for one station interface, except that it does not
 * reschedule its switch-off event whenever the battery's energy changes.
 *
 * In ns-3 3.37 every state change of a WifiRadioEnergyModel updates the battery, which calls
 * HandleEnergyChanged() on every model of that battery, and each WifiRadioEnergyModel then
 * cancels and reschedules its switch-off event at "remaining energy / current" in the far
 * future. Cancelled events stay in the scheduler until their time comes, so with a few radio
 * interfaces and a compute model on one battery the event queue grew by gigabytes in a
 * five-round run. This model keeps the switch-off event scheduled by its own state changes
 * (ChangeState) and ignores the others' energy updates; depletion still reaches it
 * (HandleEnergyDepletion switches the PHY off) and the energy it draws is unchanged.
 */
class WifiTierInterfaceEnergyModel : public WifiRadioEnergyModel
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    WifiTierInterfaceEnergyModel();
    ~WifiTierInterfaceEnergyModel() override;

    /** Does nothing: see the class description. */
    void HandleEnergyChanged() override;
};

/**
 * @ingroup edge-llm
 * @brief The radio energy of one device in the `wifi` tier: the sum of the WifiRadioEnergyModels
 * of its station interfaces (one per cell, see WifiTier).
 *
 * It only reads: it is not attached to the battery (each interface's model is, and draws its
 * own current), so the battery integrates every interface exactly once.
 */
class WifiTierRadioEnergyModel : public DeviceEnergyModel
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    WifiTierRadioEnergyModel();
    ~WifiTierRadioEnergyModel() override;

    /**
     * @param model the energy model of one of the device's interfaces
     */
    void Add(Ptr<DeviceEnergyModel> model);

    /** @return the interfaces' models */
    const std::vector<Ptr<DeviceEnergyModel>>& GetModels() const;

    // DeviceEnergyModel
    void SetEnergySource(Ptr<EnergySource> source) override;
    double GetTotalEnergyConsumption() const override;
    void ChangeState(int newState) override;
    void HandleEnergyDepletion() override;
    void HandleEnergyRecharged() override;
    void HandleEnergyChanged() override;

  protected:
    void DoDispose() override;

  private:
    double DoGetCurrentA() const override;

    std::vector<Ptr<DeviceEnergyModel>> m_models; //!< per interface
};

} // namespace ns3

#endif // EDGE_LLM_WIFI_TIER_H
