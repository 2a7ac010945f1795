/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "llm-profile-helper.h"

#include "ns3/input-error.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>

#ifndef EDGE_LLM_DEFAULT_DATA_DIR
#define EDGE_LLM_DEFAULT_DATA_DIR "data"
#endif

namespace ns3
{

std::string
LlmProfileHelper::DefaultProfileCsv()
{
    const char* env = std::getenv("EDGE_LLM_DATA_DIR");
    std::string dir = (env && *env) ? env : EDGE_LLM_DEFAULT_DATA_DIR;
    return (std::filesystem::path(dir) / kProfileFileName).string();
}

LlmProfile
LlmProfileHelper::Load(const std::string& model,
                       uint32_t batch,
                       uint32_t seqLen,
                       const std::string& csvPath)
{
    return LlmProfile::FromCsv(csvPath.empty() ? DefaultProfileCsv() : csvPath,
                               model,
                               batch,
                               seqLen);
}

void
LlmProfileHelper::PrintSummary(const LlmProfile& p, std::ostream& os)
{
    const uint32_t n = p.GetNumBlocks();
    os << "model " << p.GetModelName() << " (" << p.GetSource() << ")\n"
       << "  batch " << p.GetBatch() << ", seq " << p.GetSeqLen() << ", LoRA rank "
       << p.GetLoraRank() << (p.GetLoraRank() == 0 ? " (full fine-tune)" : "") << "\n"
       << "  transformer blocks " << n << (p.HasHead() ? " + LM head" : "") << "\n"
       << std::scientific << std::setprecision(3) << "  FLOPs per step: all blocks "
       << p.GetEdgeFlops(0) - (p.HasHead() ? p.GetHead().fwdBwdFlops : 0.0) << ", mean block "
       << p.GetMeanBlockFlops() << ", head " << p.GetHead().fwdBwdFlops << "\n"
       << std::defaultfloat << "  activation at split: " << p.GetSplitActivationBytes(1)
       << " B (embedding output " << p.GetSplitActivationBytes(0) << " B)\n";
    const double edge = p.GetMeasuredEdgeTimeS(0);
    if (!std::isnan(edge))
    {
        os << "  measured GPU time of all blocks + head: " << edge * 1e3 << " ms -> "
           << p.GetEdgeFlops(0) / edge / 1e12 << " TFLOP/s effective\n";
    }
    os << "  alpha  device_GFLOP  edge_GFLOP  payload_MB\n";
    for (uint32_t a = 0; a <= n; a += (n > 8 ? n / 8 : 1))
    {
        os << "  " << std::setw(5) << a << std::fixed << std::setprecision(1) << std::setw(14)
           << p.GetDeviceFlops(a) / 1e9 << std::setw(12) << p.GetEdgeFlops(a) / 1e9
           << std::setprecision(3) << std::setw(12) << p.GetSplitActivationBytes(a) / 1e6
           << std::defaultfloat << "\n";
    }
}

void
LlmProfileHelper::WriteSplitTable(const LlmProfile& p, const std::string& path)
{
    std::ofstream out(path);
    if (!out)
    {
        throw InputError("cannot write '" + path +
                         "': check that the output folder exists and is "
                         "writable");
    }
    out << "alpha,device_flops,edge_flops,activation_bytes,gradient_bytes,"
           "device_trainable_params,edge_gpu_time_s\n";
    out << std::setprecision(17);
    for (uint32_t a = 0; a <= p.GetNumBlocks(); ++a)
    {
        out << a << ',' << p.GetDeviceFlops(a) << ',' << p.GetEdgeFlops(a) << ','
            << p.GetSplitActivationBytes(a) << ',' << p.GetSplitGradientBytes(a) << ','
            << p.GetDeviceTrainableParams(a) << ',';
        const double t = p.GetMeasuredEdgeTimeS(a);
        if (!std::isnan(t))
        {
            out << t;
        }
        out << '\n';
    }
}

void
LlmProfileHelper::CreateOutputDir(const std::string& dir, const std::string& flag)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
    {
        throw InputError(flag + "='" + dir + "': cannot create the output folder (" +
                         (ec ? ec.message() : std::string("not a folder")) +
                         "); give a writable path");
    }
}

} // namespace ns3
