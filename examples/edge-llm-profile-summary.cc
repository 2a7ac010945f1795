/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Prints the split-training workload of an LLM (measured profile or the paper's formula) and
 * writes one row per split layer to <outputDir>/profile-splits.csv.
 *
 *   edge-llm-profile-summary --model=llama-2-7b --batch=4 --seq=512 --outputDir=results
 *   edge-llm-profile-summary --source=formula --layers=32 --hidden=1024 --batch=512 --seq=768
 */
#include "ns3/edge-llm-module.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string source = "csv";
    std::string model = "llama-2-7b";
    uint32_t batch = 4;
    uint32_t seq = 512;
    uint32_t loraRank = 0;
    std::string profileCsv;
    uint32_t layers = 32;
    uint32_t hidden = 1024;
    double bytesPerElement = 2.0;
    std::string outputDir = "results/profile";

    StrictFlags flags("edge-llm-profile-summary");
    flags.AddChoice("source",
                    "Workload source: csv (measured profile) or formula (paper's psi)",
                    source,
                    {"csv", "formula"});
    flags.AddString("model", "Model name in the profile CSV (csv source)", model);
    flags.AddUnsigned("batch", "Batch size B", batch, 1, 1u << 20);
    flags.AddUnsigned("seq", "Sequence length d in tokens", seq, 1, 1u << 24);
    flags.AddUnsigned("loraRank",
                      "LoRA rank to select (0: the only one present)",
                      loraRank,
                      0,
                      1u << 16);
    flags.AddString("profileCsv",
                    "Profile CSV (default: the module's data/ folder)",
                    profileCsv,
                    true);
    flags.AddUnsigned("layers", "Transformer blocks (formula source)", layers, 1, 10000);
    flags.AddUnsigned("hidden", "Hidden size h (formula source)", hidden, 1, 1u << 20);
    flags.AddReal("bytesPerElement",
                  "Activation bytes per element (formula source)",
                  bytesPerElement,
                  RealRange{0, 64, true, false});
    flags.AddString("outputDir", "Folder for profile-splits.csv", outputDir);

    try
    {
        flags.Parse(argc, argv);
        LlmProfile profile = [&]() {
            if (source == "csv")
            {
                return LlmProfile::FromCsv(
                    profileCsv.empty() ? LlmProfileHelper::DefaultProfileCsv() : profileCsv,
                    model,
                    batch,
                    seq,
                    loraRank);
            }
            if (source == "formula")
            {
                return LlmProfile::FromFormula(
                    TransformerShape{layers, hidden, batch, seq, bytesPerElement});
            }
            throw InputError("--source='" + source + "' is not allowed; expected csv or formula");
        }();
        LlmProfileHelper::PrintSummary(profile, std::cout);
        LlmProfileHelper::CreateOutputDir(outputDir, "--outputDir");
        const std::string csv = outputDir + "/profile-splits.csv";
        LlmProfileHelper::WriteSplitTable(profile, csv);
        std::cout << "wrote " << csv << "\n";
    }
    catch (const InputError& e)
    {
        std::cerr << "edge-llm-profile-summary: error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
