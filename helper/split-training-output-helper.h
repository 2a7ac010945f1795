/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_SPLIT_TRAINING_OUTPUT_HELPER_H
#define EDGE_LLM_SPLIT_TRAINING_OUTPUT_HELPER_H

#include "ns3/fdma-net-device.h"
#include "ns3/net-device-container.h"
#include "ns3/round-coordinator.h"

#include <cmath>
#include <fstream>
#include <map>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Totals of one round over its devices (what a row of rounds.csv holds).
 *
 * Delays count the devices that finished ("done"); energies and predictions count every device
 * that took part (devices that left before the round are skipped).
 */
struct RoundTotals
{
    double makespan{0};         //!< slowest finished device, s
    double sumDelay{0};         //!< sum of the finished devices' delays, s
    double predMakespan{0};     //!< cost model's makespan, s
    double predSumDelay{0};     //!< cost model's sum of delays, s
    double compute{0};          //!< measured device compute energy, J
    double radio{0};            //!< measured device radio energy, J
    double edge{0};             //!< server GPU energy, J
    double predDeviceEnergy{0}; //!< cost model's device compute + transmit energy, J
    double predEdge{0};         //!< cost model's server energy, J
    uint32_t done{0};           //!< devices that finished
    uint32_t failed{0};         //!< devices that timed out or ran out of battery
};

/**
 * @ingroup edge-llm
 * @brief Sinks the RoundCoordinator's RoundFinished trace into rounds.csv and devices.csv,
 * prints a progress line per round on stderr and a summary table at the end.
 *
 * CSVs hold only simulated quantities (no wall-clock time), so the same seed and run give
 * byte-identical files. Columns and units: doc/edge-llm.rst.
 */
class SplitTrainingOutputHelper
{
  public:
    /**
     * Create the files (the folder must exist).
     * @param outputDir folder
     * @throws InputError if a file cannot be written
     */
    void Open(const std::string& outputDir);

    /**
     * @param coordinator whose rounds to write
     */
    void Connect(Ptr<RoundCoordinator> coordinator);

    /**
     * Fill devices.csv's link-layer columns (up_*, down_*) from the fdma devices' transmission
     * counters (FdmaNetDevice::GetTxCounters), per round. Without this call, or on another
     * tier, the columns stay empty.
     * @param mobiles the devices' NICs, in user order
     * @param servers the servers' NICs
     */
    void ConnectFdmaCounters(const NetDeviceContainer& mobiles, const NetDeviceContainer& servers);

    /**
     * @param enable print one line per round on stderr
     */
    void SetProgress(bool enable);

    /**
     * The devices' battery capacity (full at t = 0), for devices.csv's idle_energy_j of each
     * device's first row; unset, those cells are empty.
     * @param capacityJ battery capacity, J
     */
    void SetBatteryCapacityJ(double capacityJ);

    /**
     * Summary of every round written so far.
     * @param os where to print
     */
    void PrintSummary(std::ostream& os) const;

    /** Flush and close the files. */
    void Close();

    /**
     * @param report a finished round
     * @return its totals over the devices
     */
    static RoundTotals Totals(const RoundReport& report);

    /**
     * A number as the CSVs write it: 12 significant digits, empty for NaN, inf/-inf.
     * @param v value
     * @return text
     */
    static std::string CsvNumber(double v);

  private:
    /**
     * @param report a finished round
     */
    void WriteRound(const RoundReport& report);

    /**
     * devices.csv's idle_energy_j of a row (and remember its battery for the next row).
     * @param d the device's row
     * @return the energy, J (NaN for a first row when the capacity is unknown)
     */
    double IdleEnergyJ(const DeviceRoundRecord& d);

    /**
     * The link-layer columns of a device for the round that just ended (and remember the
     * counters for the next round).
     * @param user device
     * @return up_* and down_* columns (empty without fdma counters)
     */
    std::string LinkColumns(uint32_t user);

    std::ofstream m_rounds;                        //!< rounds.csv
    std::ofstream m_devices;                       //!< devices.csv
    bool m_progress{true};                         //!< progress lines
    double m_batteryCapacityJ{std::nan("")};       //!< battery at t = 0, J (NaN: unknown)
    std::map<uint32_t, double> m_lastBatteryJ;     //!< per device: battery_j of its last row
    std::vector<RoundReport> m_reports;            //!< for the summary
    std::vector<Ptr<FdmaNetDevice>> m_fdmaMobiles; //!< fdma NICs of the devices (or empty)
    std::vector<Ptr<FdmaNetDevice>> m_fdmaServers; //!< fdma NICs of the servers
    std::vector<FdmaTxCounters> m_lastUp;          //!< uplink counters at the last round end
    std::vector<FdmaTxCounters> m_lastDown;        //!< downlink counters at the last round end
};

} // namespace ns3

#endif // EDGE_LLM_SPLIT_TRAINING_OUTPUT_HELPER_H
