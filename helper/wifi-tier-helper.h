/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_WIFI_TIER_HELPER_H
#define EDGE_LLM_WIFI_TIER_HELPER_H

#include "ns3/channel-tier-helper.h"
#include "ns3/energy-source.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/round-state.h"
#include "ns3/wifi-tier.h"
#include "ns3/yans-wifi-helper.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Installs the `wifi` tier (see WifiTier; registered as `--tier=wifi`): 802.11ax cells,
 * IPv4, radio energy, pcap.
 *
 * In a split-training scenario (ChannelTierHelper): InstallDevices chains the fast fading
 * (if any) to the loss model, InstallTier is Install() with the given tier factory, and the
 * radio energy is InstallRadioEnergy().
 *
 * Per server m: one YansWifiChannel (the given loss chain, constant-speed delay) and an AP on
 * the server node, 802.11ax on 5 GHz channel ChannelNumbers(M)[m], 20 MHz (the non-overlapping
 * 20 MHz channels ns-3 knows, 36, 40, ..., 165; reused cyclically past the list, with a
 * warning: the cells still do not interfere, each has its own channel object), SSID
 * "edge-llm-<m>". On every device one station interface per cell: active probing (first probe
 * after 0-20 ms, so that a cell's stations do not all probe at once); missed beacons never end
 * an association, so an interface can sleep between its rounds.
 *
 * IPv4: cell m is the subnet 10.<m>.0.0/16, the AP is 10.<m>.0.1; ARP entries are static
 * (NeighborCacheHelper, refilled after every link change), so no ARP broadcasts. TCP segments
 * fit the Wi-Fi MTU (GetTcpSegmentBytes()).
 *
 * PHY: receiver noise figure = the RoundState's noise density over kT (290 K), so the PHYs see
 * the noise the allocator plans with; preamble detection keeps ns-3's 4 dB SNR threshold with
 * its RSSI floor lowered to the PHY's sensitivity (-101 dBm). TX powers: APs at the server
 * power, stations at p_max until their first allocation, both clamped by the tier.
 *
 * MAC: rate manager and RTS/CTS threshold from the tier's attributes. Two workarounds for
 * ns-3 3.37 Block Ack agreements, which otherwise stalled connections for good (a TCP
 * connection that never gets past its first segment): an originator waits up to 1 s for its
 * ADDBA response (QosTxop::AddBaResponseTimeout, default 1 ms) instead of sending the TID's
 * first frame outside the agreement with the sequence number the agreement starts at; and the
 * static ARP entries keep stations from sending broadcast ARP requests that can do the same.
 */
class WifiTierHelper : public ChannelTierHelper
{
  public:
    WifiTierHelper();

    /**
     * @param name attribute of ns3::WifiTier (e.g. RateControl, MaxTxPowerDbm)
     * @param value its value
     */
    void SetTierAttribute(const std::string& name, const AttributeValue& value);

    /**
     * @param name attribute of ns3::WifiPhyStateEnergyModel (currents, with the names of
     * ns-3's WifiRadioEnergyModel; SleepCurrentA is forced to zero, see InstallRadioEnergy)
     * @param value its value
     */
    void SetRadioEnergyAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Bytes of each frame kept in pcap files (radiotap + 802.11 + LLC + IP + TCP + the training
     * preamble fit in the default 256); 0 keeps whole frames.
     * @param bytes snap length
     */
    void SetPcapSnapLen(uint32_t bytes);

    /**
     * Build the cells, install the Internet stack where missing and assign the addresses.
     * @param servers server nodes (mobility installed), one AP each
     * @param devices device nodes (mobility installed), one station per server each
     * @param loss propagation loss chain (shared by all cells and EstimateGain)
     * @param state the scenario: noise density, server powers, users' p_max
     * @return the tier
     */
    Ptr<WifiTier> Install(const NodeContainer& servers,
                          const NodeContainer& devices,
                          Ptr<PropagationLossModel> loss,
                          const RoundState& state);

    /**
     * Fix the random streams of the Wi-Fi devices (PHYs, MACs, rate managers), so the same seed
     * and run give the same simulation even several times in one process.
     * @param stream first stream index
     * @return the number of streams used
     */
    int64_t AssignStreams(int64_t stream) override;

    /** @return the tier built by Install() */
    Ptr<WifiTier> GetTier() const;

    /** @return the APs, one per server */
    const NetDeviceContainer& GetAccessPointDevices() const;

    /** @return the stations, user-major: user n's interface in cell m is at n * M + m */
    const NetDeviceContainer& GetStationDevices() const;

    /**
     * Attach a WifiPhyStateEnergyModel (the state currents of ns-3's WifiRadioEnergyModel
     * without its far-future switch-off events, see there) to each of the user's station
     * interfaces, drawing from its battery, with ns-3's currents (or those set by
     * SetRadioEnergyAttribute), a TX current that follows the TX power
     * (LinearWifiTxCurrentModel at the battery voltage), and no current in SLEEP: a sleeping
     * interface stands for a cell the radio is not tuned to. When the battery is depleted the
     * interfaces' PHYs are switched off.
     * @param user user index
     * @param battery the device's battery (on the device's node)
     * @return the device's radio energy (sum over its interfaces)
     */
    Ptr<WifiTierRadioEnergyModel> InstallRadioEnergy(uint32_t user, Ptr<EnergySource> battery);

    /**
     * pcap with radiotap headers (DLT_IEEE802_11_RADIO), one file per device:
     * <prefix>-<node>-<device>.pcap; an AP's file holds everything its cell carries.
     * @param prefix file name prefix
     * @param devices devices to capture (e.g. GetAccessPointDevices())
     */
    void EnablePcap(const std::string& prefix, const NetDeviceContainer& devices);

    /**
     * @return the TCP segment size that fits the Wi-Fi MTU without IP fragmentation (MTU - 20
     * IP - 32 TCP with timestamps)
     */
    uint32_t GetTcpSegmentBytes() const override;

    /**
     * Chain the fast fading (if any) to the loss model: every cell's channel sees both.
     * @param context nodes, propagation, drop
     */
    void InstallDevices(const ChannelTierContext& context) override;
    /**
     * Install() with the tier created from this factory (instead of SetTierAttribute's).
     * @param context nodes, propagation, drop
     * @param tier factory of the WifiTier
     * @return the tier
     */
    Ptr<SplitChannelTier> InstallTier(const ChannelTierContext& context,
                                      const ObjectFactory& tier) override;
    Ptr<DeviceEnergyModel> InstallDeviceRadioEnergy(uint32_t user,
                                                    Ptr<EnergySource> battery) override;
    void EnablePcapOnServers(const std::string& prefix) override;
    NetDeviceContainer GetServerNetDevices() const override;
    NetDeviceContainer GetUserNetDevices() const override;

    /**
     * @param cells number of cells
     * @param reused set to true if there are more cells than channels
     * @return the 5 GHz 20 MHz channel number of each cell
     */
    static std::vector<uint8_t> ChannelNumbers(uint32_t cells, bool* reused = nullptr);

  private:
    /** YansWifiPhyHelper whose pcap files honour a snap length. */
    class PhyHelper : public YansWifiPhyHelper
    {
      public:
        uint32_t m_snapLen{256}; //!< pcap snap length (0: whole frames)

      private:
        void EnablePcapInternal(std::string prefix,
                                Ptr<NetDevice> nd,
                                bool promiscuous,
                                bool explicitFilename) override;
    };

    ObjectFactory m_tierFactory; //!< tier attributes
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_energyAttributes; //!< radio
    PhyHelper m_phy;               //!< PHY helper (install and pcap)
    Ptr<WifiTier> m_tier;          //!< the tier
    NetDeviceContainer m_aps;      //!< per server
    NetDeviceContainer m_stations; //!< user-major
};

} // namespace ns3

#endif // EDGE_LLM_WIFI_TIER_HELPER_H
