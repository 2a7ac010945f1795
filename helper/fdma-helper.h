/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_FDMA_HELPER_H
#define EDGE_LLM_FDMA_HELPER_H

#include "ns3/fdma-channel.h"
#include "ns3/fdma-net-device.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/power-draw-energy-model.h"
#include "ns3/trace-helper.h"

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Installs the `fdma` tier: one FdmaNetDevice per node on one FdmaChannel; pcap.
 */
class FdmaHelper : public PcapHelperForDevice
{
  public:
    FdmaHelper();

    /**
     * Bytes of each frame kept in pcap files. The training payload is filler, so the default
     * (128) keeps every header (Ethernet, IP, TCP, the 16-byte training preamble) and keeps
     * files small; 0 keeps whole frames.
     * @param bytes snap length
     */
    void SetPcapSnapLen(uint32_t bytes);

    /**
     * @param name attribute of ns3::FdmaChannel
     * @param value its value
     */
    void SetChannelAttribute(const std::string& name, const AttributeValue& value);

    /**
     * @param name attribute of ns3::FdmaNetDevice
     * @param value its value
     */
    void SetDeviceAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Create the channel (once; later calls return the same channel).
     * @return the channel
     */
    Ptr<FdmaChannel> GetChannel();

    /**
     * @param nodes nodes to equip
     * @param role MOBILE or SERVER
     * @return the new devices
     */
    NetDeviceContainer Install(const NodeContainer& nodes, FdmaNetDevice::Role role);

    /**
     * Connect a mobile to a server in both directions.
     * @param mobile mobile's device
     * @param server server's device
     * @param uplink mobile -> server parameters
     * @param downlink server -> mobile parameters
     */
    static void Connect(Ptr<FdmaNetDevice> mobile,
                        Ptr<FdmaNetDevice> server,
                        const FdmaLinkParams& uplink,
                        const FdmaLinkParams& downlink);

    /**
     * Radio energy of a device: a PowerDrawEnergyModel on the source that draws the transmit
     * power while a try is on the air (PhyTxBegin/PhyTxEnd: every try, retransmissions
     * included).
     * @param device the device
     * @param source its energy source
     * @return the model (appended to the source)
     */
    static Ptr<PowerDrawEnergyModel> InstallRadioEnergy(Ptr<FdmaNetDevice> device,
                                                        Ptr<EnergySource> source);

  private:
    void EnablePcapInternal(std::string prefix,
                            Ptr<NetDevice> nd,
                            bool promiscuous,
                            bool explicitFilename) override;

    ObjectFactory m_channelFactory; //!< channel attributes
    ObjectFactory m_deviceFactory;  //!< device attributes
    Ptr<FdmaChannel> m_channel;     //!< the channel
    uint32_t m_pcapSnapLen{128};    //!< pcap snap length
};

} // namespace ns3

#endif // EDGE_LLM_FDMA_HELPER_H
