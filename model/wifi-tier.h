/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_WIFI_TIER_H
#define EDGE_LLM_WIFI_TIER_H

#include "split-channel-tier.h"

#include "ns3/device-energy-model.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy-listener.h"
#include "ns3/wifi-phy-state-helper.h"
#include "ns3/wifi-phy-state.h"
#include "ns3/wifi-tx-current-model.h"

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
 * SLEEP, they neither transmit nor receive, and their radio energy model draws nothing in
 * SLEEP, see WifiTierHelper). The training connection goes to
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
    void Apply(uint32_t user,
               uint32_t k,
               const UserAllocation& a,
               const SplitCostModel& model) override;
    void Detach(uint32_t user) override;
    Ipv4Address GetServerAddress(uint32_t server) const override;
    bool EnforcesBandwidth() const override;

    /**
     * Wi-Fi pricing for the cost model (RoundState::wifi; model/wifi-tier-links.cc): the 20 MHz
     * channel, the MCS table's gap to Shannon (GetSnrGap), its top rate, MacEfficiency, the
     * power amplifier efficiency and every device's idle radio power (SetRadioPower).
     * @param state the round
     * @param users per entry of state.users, the device
     */
    void DescribeLinks(RoundState& state, const std::vector<uint32_t>& users) const override;

    /**
     * The radio draw the cost model prices for a device (set by WifiTierHelper with the energy
     * model it installs).
     * @param user user index
     * @param idlePowerW supply voltage x IdleCurrentA, W
     * @param paEfficiency radiated / drawn power of a transmission (LinearWifiTxCurrentModel Eta)
     */
    void SetRadioPower(uint32_t user, double idlePowerW, double paEfficiency);

    /**
     * The gap Gamma of the HE MCS table (20 MHz, 800 ns GI, 1 stream) to Shannon: MCS i of rate
     * R_i needs the SNR_i of the standard's receiver minimum input sensitivity (IEEE
     * 802.11ax-2021 Table 27-51, over its noise floor -174 dBm/Hz + 73 dB + 10 dB noise figure +
     * 5 dB implementation margin); Gamma_i = SNR_i / (2^(R_i / W) - 1), and Gamma is their
     * geometric mean, so W log2(1 + SNR / Gamma) runs through the middle of the MCS steps.
     * @return Gamma (linear)
     */
    double GetSnrGap() const;

    /** @return the top MCS's PHY rate (20 MHz, 800 ns GI, 1 stream), bit/s */
    double GetMaxPhyRateBps() const;

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
     * Switch off an interface that found no AP within AssociationTimeLimit (until Wake).
     * @param user user index
     * @param server server index
     */
    void SwitchOffUnassociated(uint32_t user, uint32_t server);

    /**
     * A sleep postponed while the PHY was busy: carried out unless the interface was woken
     * since.
     * @param user user index
     * @param server server index
     */
    void SleepIfStillPending(uint32_t user, uint32_t server);
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
    /**
     * A sleeping or switched-off interface stops hearing the channel (DeafWhileAsleep).
     * @param user user index
     * @param server server index
     */
    void Deafen(uint32_t user, uint32_t server);
    /**
     * Give a deafened interface its RxSensitivity back (no-op if it hears).
     * @param user user index
     * @param server server index
     */
    void Undeafen(uint32_t user, uint32_t server);
    /** AssociationTimeLimit is over: interfaces waiting to sleep sleep now. */
    void AssociationTimeUp();

    /** Compute m_snrGap and m_maxPhyRateBps (GetSnrGap). */
    void ComputeMcsGap();

    Ptr<PropagationLossModel> m_loss;                        //!< loss of the cell channels
    double m_macEfficiency{0.85};                            //!< goodput / PHY rate, alone
    double m_snrGap{1};                                      //!< MCS table gap (linear)
    double m_maxPhyRateBps{143.4e6};                         //!< top MCS rate
    std::vector<double> m_idlePowerW;                        //!< per user
    double m_paEfficiency{1};                                //!< PA efficiency
    std::vector<std::vector<Ptr<WifiNetDevice>>> m_stations; //!< [user][server]
    std::vector<Ptr<WifiNetDevice>> m_accessPoints;          //!< per server
    std::vector<Ipv4Address> m_addresses;                    //!< per server
    std::vector<uint32_t> m_serving;                         //!< per user
    std::vector<std::vector<bool>> m_sleepPending;           //!< [user][server]
    std::vector<std::vector<bool>> m_sleepDeferred; //!< [user][server] sleep waits for an idle PHY
    std::vector<std::vector<bool>> m_offNoAp;       //!< [user][server] off: found no AP in time
    /// [user][server] RxSensitivity (dBm) of a deafened interface, NaN while it hears
    std::vector<std::vector<double>> m_hearingDbm;
    bool m_deafWhileAsleep{true};         //!< sleeping interfaces ignore the channel
    Time m_associationTimeLimit;          //!< awake-for-association limit
    bool m_associationTimeUp{false};      //!< the limit has passed
    double m_minTxPowerDbm{0};            //!< power clamp, low end
    double m_maxTxPowerDbm{40};           //!< power clamp, high end
    RateControl m_rateControl{IDEAL};     //!< rate manager choice
    uint32_t m_rtsCtsThresholdBytes{500}; //!< RTS/CTS above this PSDU size
    TracedCallback<uint32_t, uint32_t, double> m_appliedTrace; //!< decisions applied
};

/**
 * @ingroup edge-llm
 * @brief The radio energy of one Wi-Fi interface: the current of the PHY's present state
 * (WifiPhyStateHelper), drawn from an energy source, without far-future events.
 *
 * Same state currents and attribute names as ns-3's WifiRadioEnergyModel (IdleCurrentA,
 * CcaBusyCurrentA, TxCurrentA, RxCurrentA, SwitchingCurrentA, SleepCurrentA, TxCurrentModel,
 * the TotalEnergyConsumption trace; OFF draws nothing), and as there a WifiTxCurrentModel, if
 * set, gives the TX current from each transmission's power. What differs:
 * - No switch-off event. In ns-3 3.37 WifiRadioEnergyModel cancels and reschedules, at every
 *   PHY state change, an event that switches the radio off when the battery would be empty
 *   at the present current (hours to years ahead). Cancelled events stay in the scheduler until
 *   their time comes, so the event queue grew by about 220 MB per round of the default `wifi`
 *   run. Here the battery reports the depletion (HandleEnergyDepletion, within one time step of
 *   it with DeviceBattery) and the depletion callback switches the PHY off; from then on the
 *   model draws nothing.
 * - The state is the PHY's own. WifiRadioEnergyModel's PHY listener keeps a copy of the state
 *   machine (e.g. an RX that ends goes to IDLE even while the medium stays busy, a CCA-busy
 *   notice during a transmission ends the TX current). This model re-reads
 *   WifiPhyStateHelper::GetState() at every PHY listener notice (once the PHY has finished
 *   that change, at the same instant) and when the present TX, RX, CCA-busy or switching period
 *   ends: its energy is the sum over the PHY's State trace of duration x state current x
 *   supply voltage (tested). Its only events are at most one period ahead.
 *
 * The energy source is brought up to date before every change of current, as the energy
 * framework expects, so the source integrates exactly the model's draw.
 */
class WifiPhyStateEnergyModel : public DeviceEnergyModel
{
  public:
    /**
     * @return the TypeId
     */
    static TypeId GetTypeId();

    WifiPhyStateEnergyModel();
    ~WifiPhyStateEnergyModel() override;

    /**
     * Follow a PHY's state from now on (registers a PHY listener). Call once, after
     * SetEnergySource().
     * @param phy the PHY
     */
    void AttachPhy(Ptr<WifiPhy> phy);

    /**
     * @param callback called when the energy source is depleted (e.g. to switch the PHY off)
     */
    void SetEnergyDepletionCallback(Callback<void> callback);

    /**
     * @param callback called when the energy source is recharged
     */
    void SetEnergyRechargedCallback(Callback<void> callback);

    /**
     * @param model gives the TX current from the transmission's power (null: TxCurrentA)
     */
    void SetTxCurrentModel(Ptr<WifiTxCurrentModel> model);

    /**
     * @param state a PHY state
     * @return the current drawn in that state, A (TX: the present transmission's)
     */
    double GetStateCurrentA(WifiPhyState state) const;

    /** @return the state the model draws for */
    WifiPhyState GetCurrentState() const;

    /** @return IdleCurrentA, A */
    double GetIdleCurrentA() const;

    // DeviceEnergyModel
    void SetEnergySource(Ptr<EnergySource> source) override;
    double GetTotalEnergyConsumption() const override;
    /** Re-reads the PHY's state (the state is the PHY's, not set from outside). */
    void ChangeState(int newState) override;
    void HandleEnergyDepletion() override;
    void HandleEnergyRecharged() override;
    void HandleEnergyChanged() override;

  protected:
    void DoDispose() override;

  private:
    /** Forwards the PHY's notices to the model. */
    class Listener : public WifiPhyListener
    {
      public:
        /** @param model the model notified */
        explicit Listener(WifiPhyStateEnergyModel* model);
        void NotifyRxStart(Time duration) override;
        void NotifyRxEndOk() override;
        void NotifyRxEndError() override;
        void NotifyTxStart(Time duration, double txPowerDbm) override;
        void NotifyCcaBusyStart(Time duration,
                                WifiChannelListType channelType,
                                const std::vector<Time>& per20MhzDurations) override;
        void NotifySwitchingStart(Time duration) override;
        void NotifySleep() override;
        void NotifyOff() override;
        void NotifyWakeup() override;
        void NotifyOn() override;

      private:
        WifiPhyStateEnergyModel* m_model; //!< notified model
    };

    double DoGetCurrentA() const override;

    /** The PHY changed something: re-read its state once it has finished, at this instant. */
    void PhyChanged();

    /**
     * A transmission starts.
     * @param txPowerDbm its power, dBm
     */
    void TxStarting(double txPowerDbm);

    /** Read the PHY's state, switch the current if it changed, plan the next read. */
    void Evaluate();

    /**
     * Bring the source and the own energy up to date, then draw a new current.
     * @param state new state
     * @param currentA new current, A
     */
    void Switch(WifiPhyState state, double currentA);

    /** Add the energy since the last switch to the total. */
    void Account();

    Ptr<EnergySource> m_source;               //!< battery
    Ptr<WifiPhyStateHelper> m_phyState;       //!< the PHY's state
    Listener* m_listener{nullptr};            //!< registered with the PHY's state helper
    Ptr<WifiTxCurrentModel> m_txCurrentModel; //!< TX current from TX power (may be null)
    double m_idleCurrentA{0};                 //!< IDLE
    double m_ccaBusyCurrentA{0};              //!< CCA_BUSY
    double m_txCurrentA{0};                   //!< TX without a TX current model
    double m_rxCurrentA{0};                   //!< RX
    double m_switchingCurrentA{0};            //!< SWITCHING
    double m_sleepCurrentA{0};                //!< SLEEP
    double m_presentTxCurrentA{0};            //!< TX current of the present transmission
    WifiPhyState m_state{WifiPhyState::IDLE}; //!< state drawn for
    double m_currentA{0};                     //!< current drawn
    Time m_lastSwitch;                        //!< time of the last Account()
    TracedValue<double> m_totalEnergyJ;       //!< energy up to m_lastSwitch, J
    bool m_depleted{false};                   //!< the source is depleted: no draw
    EventId m_evaluateEvent;                  //!< read planned by PhyChanged()
    EventId m_periodEndEvent;                 //!< read at the end of a timed period
    Time m_periodEndAt;                       //!< its time
    Callback<void> m_depletionCallback;       //!< on depletion
    Callback<void> m_rechargedCallback;       //!< on recharge
};

/**
 * @ingroup edge-llm
 * @brief The radio energy of one device in the `wifi` tier: the sum of the energy models
 * (WifiPhyStateEnergyModel) of its station interfaces (one per cell, see WifiTier).
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
