/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_LLM_PROFILE_HELPER_H
#define EDGE_LLM_LLM_PROFILE_HELPER_H

#include "ns3/llm-profile.h"

#include <ostream>
#include <string>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Finds the shipped profile data, loads profiles and writes their summaries.
 *
 * The profile CSV is looked up in this order: an explicit path; the folder named by the
 * environment variable EDGE_LLM_DATA_DIR; the module's own data/ folder (compiled in).
 */
class LlmProfileHelper
{
  public:
    /** File name of the shipped H100 profile. */
    static constexpr const char* kProfileFileName = "llm_layer_profile_h100.csv";

    /**
     * @return path of the shipped profile CSV (EDGE_LLM_DATA_DIR or the module's data/)
     */
    static std::string DefaultProfileCsv();

    /**
     * Load a measured profile.
     * @param model model name
     * @param batch batch size
     * @param seqLen sequence length
     * @param csvPath profile CSV; empty means DefaultProfileCsv()
     * @return the profile
     */
    static LlmProfile Load(const std::string& model,
                           uint32_t batch,
                           uint32_t seqLen,
                           const std::string& csvPath = "");

    /**
     * Print a human-readable summary (model, blocks, per-split FLOPs and payload).
     * @param profile the profile
     * @param os where to print
     */
    static void PrintSummary(const LlmProfile& profile, std::ostream& os);

    /**
     * Write one row per split layer alpha = 0 … Upsilon: device/edge FLOPs, payloads,
     * trainable parameters on the device and measured edge GPU time.
     * Columns: alpha, device_flops, edge_flops, activation_bytes, gradient_bytes,
     * device_trainable_params, edge_gpu_time_s.
     * @param profile the profile
     * @param path output CSV file
     */
    static void WriteSplitTable(const LlmProfile& profile, const std::string& path);

    /**
     * Create a folder (and its parents) for outputs.
     * @param dir folder
     * @param flag name of the flag or attribute that gave it, for the error message
     * @throws InputError if the folder cannot be created
     */
    static void CreateOutputDir(const std::string& dir, const std::string& flag);
};

} // namespace ns3

#endif // EDGE_LLM_LLM_PROFILE_HELPER_H
