/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the workload room: the paper's formula, the CSV loader on the shipped profile,
 * and one test per kind of bad profile input.
 */
#include "ns3/input-error.h"
#include "ns3/llm-profile.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

const std::string kShipped = std::string(EDGE_LLM_TEST_DATA_DIR) + "/llm_layer_profile_h100.csv";
const std::string kHeader = "model,batch,seq,lora_rank,index,layer,params,trainable_params,"
                            "fwd_bwd_flops,fwd_ms,bwd_ms,out_shape,out_bytes\n";

/// Writes a CSV into the test's temporary folder and returns its path.
std::string
WriteCsv(const std::string& name, const std::string& body)
{
    auto path = std::filesystem::temp_directory_path() / ("edge-llm-gtest-" + name + ".csv");
    std::ofstream(path) << body;
    return path.string();
}

/// A valid 3-block toy model, rows after the header.
std::string
ToyRows()
{
    return "toy,1,8,4,0,embed,100,0,nan,0.1,nan,1x8x4,64\n"
           "toy,1,8,4,1,block0,10,2,1000,0.2,0.3,1x8x4,64\n"
           "toy,1,8,4,2,block1,10,2,1000,0.2,0.3,1x8x4,64\n"
           "toy,1,8,4,3,block2,10,2,1000,0.2,0.3,1x8x4,64\n"
           "toy,1,8,4,4,head,50,0,500,0.1,0.1,1x8x10,160\n";
}

/// Expects InputError whose message contains every given fragment.
template <typename F>
void
ExpectInputError(F f, std::initializer_list<std::string> fragments)
{
    try
    {
        f();
        ADD_FAILURE() << "no InputError thrown";
    }
    catch (const InputError& e)
    {
        const std::string msg = e.what();
        for (const auto& frag : fragments)
        {
            EXPECT_NE(msg.find(frag), std::string::npos)
                << "message lacks '" << frag << "': " << msg;
        }
    }
}

} // namespace

TEST(LlmProfileFormula, MatchesHandComputedValues)
{
    // Paper's setting: h = 1024, B = 512, d = 512:
    // 72*512*512*1024^2 = 19,791,209,299,968 and 12*512*512^2*1024 = 1,649,267,441,664.
    TransformerShape paper{32, 1024, 512, 512, 2.0};
    EXPECT_DOUBLE_EQ(LlmProfile::FormulaBlockFlops(paper), 21440476741632.0);
    // LLaMA-2-7B shape, B = 4, d = 512: 2,473,901,162,496 + 51,539,607,552.
    TransformerShape llama{32, 4096, 4, 512, 2.0};
    EXPECT_DOUBLE_EQ(LlmProfile::FormulaBlockFlops(llama), 2525440770048.0);

    LlmProfile p = LlmProfile::FromFormula(llama, "llama-shape");
    EXPECT_EQ(p.GetNumBlocks(), 32u);
    EXPECT_EQ(p.GetSplitActivationBytes(0), 16777216u); // 4*512*4096*2
    EXPECT_EQ(p.GetSplitActivationBytes(7), 16777216u);
    EXPECT_DOUBLE_EQ(p.GetDeviceFlops(3), 3 * 2525440770048.0);
    EXPECT_DOUBLE_EQ(p.GetEdgeFlops(3), 29 * 2525440770048.0);
    EXPECT_DOUBLE_EQ(p.GetMeanBlockFlops(), 2525440770048.0);
    EXPECT_FALSE(p.HasHead());
    EXPECT_EQ(p.GetLoraRank(), 0u);
}

TEST(LlmProfileFormula, ActivationBytesFollowPrecision)
{
    TransformerShape s{4, 100, 3, 7, 4.0};
    EXPECT_EQ(LlmProfile::FromFormula(s).GetSplitGradientBytes(2), 3u * 7 * 100 * 4);
}

TEST(LlmProfileCsv, LoadsShippedLlama2At4x512)
{
    LlmProfile p = LlmProfile::FromCsv(kShipped, "llama-2-7b", 4, 512);
    EXPECT_EQ(p.GetNumBlocks(), 32u);
    EXPECT_EQ(p.GetLoraRank(), 8u);
    EXPECT_TRUE(p.HasHead());
    EXPECT_EQ(p.GetSplitActivationBytes(1), 16777216u);
    EXPECT_EQ(p.GetSplitActivationBytes(0), 16777216u);
    EXPECT_EQ(p.GetHead().outputBytes, 131072000u);
    EXPECT_DOUBLE_EQ(p.GetBlock(0).fwdBwdFlops, 1513170665472.0);
    EXPECT_DOUBLE_EQ(p.GetBlock(31).fwdBwdFlops, 1719597531136.0);
    EXPECT_DOUBLE_EQ(p.GetDeviceFlops(2), 1513170665472.0 + 1719597531136.0);
    EXPECT_DOUBLE_EQ(p.GetHead().fwdBwdFlops, 1073741824000.0);
    EXPECT_EQ(p.GetBlock(0).trainableParams, 131072u);
    EXPECT_EQ(p.GetDeviceTrainableParams(3), 3u * 131072u);
    EXPECT_NEAR(p.GetBlock(0).fwdTimeS, 2.6743e-3, 1e-12);
    EXPECT_TRUE(std::isnan(p.GetEmbedding().bwdTimeS));
    // whole step = device part + edge part at every split
    for (uint32_t a = 0; a <= 32; ++a)
    {
        EXPECT_NEAR(p.GetDeviceFlops(a) + p.GetEdgeFlops(a), p.GetEdgeFlops(0), 1.0);
    }
}

TEST(LlmProfileCsv, ListsTwelveConfigurations)
{
    auto configs = LlmProfile::ListCsv(kShipped);
    ASSERT_EQ(configs.size(), 12u);
    EXPECT_EQ(configs.front().model, "gpt2-124m");
}

TEST(LlmProfileCsv, MeasuredLoraFlopsBelowFullFineTuneFormula)
{
    for (const auto& c : LlmProfile::ListCsv(kShipped))
    {
        LlmProfile p = LlmProfile::FromCsv(kShipped, c.model, c.batch, c.seqLen);
        // hidden size from the bf16 activation: bytes = B * d * h * 2
        const uint32_t h = p.GetSplitActivationBytes(1) / (2ULL * c.batch * c.seqLen);
        TransformerShape shape{p.GetNumBlocks(), h, c.batch, c.seqLen, 2.0};
        const double formula = LlmProfile::FormulaBlockFlops(shape);
        for (uint32_t i = 0; i < p.GetNumBlocks(); ++i)
        {
            EXPECT_LT(p.GetBlock(i).fwdBwdFlops, formula)
                << c.model << " b" << c.batch << " s" << c.seqLen << " block" << i;
        }
    }
}

TEST(LlmProfileCsv, ToyFileRoundTrips)
{
    auto path = WriteCsv("toy", kHeader + ToyRows());
    LlmProfile p = LlmProfile::FromCsv(path, "toy", 1, 8);
    EXPECT_EQ(p.GetNumBlocks(), 3u);
    EXPECT_DOUBLE_EQ(p.GetEdgeFlops(1), 2500.0);
    EXPECT_DOUBLE_EQ(p.GetDeviceFlops(1), 1000.0);
    EXPECT_NEAR(p.GetMeasuredEdgeTimeS(2), (0.5 + 0.2) * 1e-3, 1e-15);
}

// a spreadsheet's "CSV UTF-8" starts with a byte-order mark; it used to be read into the first
// column's name ("\xEF\xBB\xBFmodel"), so the file was rejected for lacking 'model'
TEST(LlmProfileCsv, AcceptsUtf8ByteOrderMark)
{
    auto path = WriteCsv("bom", "\xEF\xBB\xBF" + kHeader + ToyRows());
    LlmProfile p = LlmProfile::FromCsv(path, "toy", 1, 8);
    EXPECT_EQ(p.GetNumBlocks(), 3u);
    EXPECT_DOUBLE_EQ(p.GetEdgeFlops(1), 2500.0);
}

TEST(LlmProfileErrors, Utf16NamedInTheError)
{
    auto path = WriteCsv("utf16", std::string("\xFF\xFE") + "m\0o\0d\0");
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); }, {path + ":1", "UTF-16"});
}

// ---- one test per kind of bad input --------------------------------------------------------

TEST(LlmProfileErrors, MissingFile)
{
    ExpectInputError([] { LlmProfile::FromCsv("/nonexistent/profile.csv", "toy", 1, 8); },
                     {"/nonexistent/profile.csv", "cannot open", "EDGE_LLM_DATA_DIR"});
}

TEST(LlmProfileErrors, EmptyFile)
{
    auto path = WriteCsv("empty", "");
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); }, {path, "empty"});
}

TEST(LlmProfileErrors, UnknownModelListsAvailable)
{
    ExpectInputError([] { LlmProfile::FromCsv(kShipped, "llama-9", 4, 512); },
                     {"no profile for model 'llama-9'", "llama-2-7b (batch 4, seq 512"});
}

TEST(LlmProfileErrors, UnknownBatch)
{
    ExpectInputError([] { LlmProfile::FromCsv(kShipped, "gpt2-124m", 3, 512); },
                     {"at batch 3", "gpt2-124m (batch 1, seq 512"});
}

TEST(LlmProfileErrors, MissingColumn)
{
    auto path = WriteCsv("nocol", "model,batch,seq\ntoy,1,8\n");
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":1", "lacks column 'lora_rank'"});
}

TEST(LlmProfileErrors, WrongFieldCount)
{
    auto path = WriteCsv("fields", kHeader + "toy,1,8,4,0,embed\n");
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":2", "6 fields", "header has 13"});
}

TEST(LlmProfileErrors, BadNumberNamesLineAndColumn)
{
    std::string rows = ToyRows();
    rows.replace(rows.find("1000"), 4, "12x4");
    auto path = WriteCsv("badnum", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":3", "column 9 'fwd_bwd_flops'", "'12x4'", "positive number"});
}

TEST(LlmProfileErrors, NegativeFlops)
{
    std::string rows = ToyRows();
    rows.replace(rows.find("1000"), 4, "-1000");
    auto path = WriteCsv("negflops", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":3", "'-1000'", "positive number of FLOPs"});
}

TEST(LlmProfileErrors, NanFlopsOnBlock)
{
    std::string rows = ToyRows();
    rows.replace(rows.find("1000"), 4, "nan");
    auto path = WriteCsv("nanflops", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); }, {path + ":3", "'nan'"});
}

TEST(LlmProfileErrors, ZeroOutputBytes)
{
    std::string rows = ToyRows();
    rows.replace(rows.find("1x8x4,64\ntoy,1,8,4,2"), 8, "1x8x4,0\n");
    auto path = WriteCsv("zerobytes", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":3", "'out_bytes'", "positive integer number of bytes"});
}

TEST(LlmProfileErrors, TooFewLayers)
{
    auto path = WriteCsv("few",
                         kHeader + "toy,1,8,4,0,embed,100,0,nan,0.1,nan,1x8x4,64\n"
                                   "toy,1,8,4,1,block0,10,2,1000,0.2,0.3,1x8x4,64\n");
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path, "1 transformer blocks", "at least 2"});
}

TEST(LlmProfileErrors, GapInLayerPositions)
{
    std::string rows = ToyRows();
    rows.replace(rows.find(",2,block1"), 9, ",5,block1");
    auto path = WriteCsv("gap", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path, "'index'", "without gaps"});
}

TEST(LlmProfileErrors, DuplicateLayerPosition)
{
    auto path =
        WriteCsv("dup", kHeader + ToyRows() + "toy,1,8,4,2,block1,10,2,1000,0.2,0.3,1x8x4,64\n");
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":7", "not used before", "line 4"});
}

TEST(LlmProfileErrors, MisnamedLayer)
{
    std::string rows = ToyRows();
    rows.replace(rows.find("block1"), 6, "blockX");
    auto path = WriteCsv("misnamed", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":4", "column 6 'layer'", "'block1' or 'head'"});
}

TEST(LlmProfileErrors, BadBatchField)
{
    std::string rows = ToyRows();
    rows.replace(0, 9, "toy,0,8,4");
    auto path = WriteCsv("batch0", kHeader + rows);
    ExpectInputError([&] { LlmProfile::FromCsv(path, "toy", 1, 8); },
                     {path + ":2", "'batch'", "positive integer batch size"});
}

TEST(LlmProfileErrors, BadFormulaShape)
{
    ExpectInputError(
        [] {
            LlmProfile::FromFormula(TransformerShape{1, 64, 1, 8, 2.0});
        },
        {"layers = 1", "at least 2"});
    ExpectInputError(
        [] {
            LlmProfile::FromFormula(TransformerShape{4, 0, 1, 8, 2.0});
        },
        {"hidden = 0", "positive hidden size"});
    ExpectInputError(
        [] {
            LlmProfile::FromFormula(TransformerShape{4, 64, 1, 8, -2.0});
        },
        {"bytesPerElement = -2", "positive number of bytes"});
}
