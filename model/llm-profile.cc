/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "llm-profile.h"

#include "input-error.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmProfile");

namespace
{

/// Columns a profile CSV must have, by header name.
const std::vector<std::string> kRequiredColumns = {"model",
                                                   "batch",
                                                   "seq",
                                                   "lora_rank",
                                                   "index",
                                                   "layer",
                                                   "params",
                                                   "trainable_params",
                                                   "fwd_bwd_flops",
                                                   "fwd_ms",
                                                   "bwd_ms",
                                                   "out_bytes"};

/// A parsed CSV file: header positions and the data rows with their line numbers.
struct CsvTable
{
    std::string path;                           //!< file name, for messages
    std::map<std::string, size_t> column;       //!< header name -> 0-based position
    std::vector<std::vector<std::string>> rows; //!< data rows
    std::vector<size_t> lines;                  //!< 1-based line of each row
};

std::vector<std::string>
SplitCsvLine(const std::string& line)
{
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ','))
    {
        fields.push_back(field);
    }
    if (!line.empty() && line.back() == ',')
    {
        fields.emplace_back();
    }
    return fields;
}

CsvTable
ReadCsv(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw InputError("cannot open LLM profile '" + path +
                         "': no such file or not readable (give --profileCsv=FILE or set "
                         "EDGE_LLM_DATA_DIR to the folder holding llm_layer_profile_h100.csv)");
    }
    CsvTable table;
    table.path = path;
    std::string line;
    size_t lineNo = 0;
    bool haveHeader = false;
    size_t width = 0;
    while (std::getline(in, line))
    {
        ++lineNo;
        if (lineNo == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
        {
            line.erase(0, 3); // a UTF-8 byte-order mark (spreadsheets write one): not data
        }
        if (lineNo == 1 &&
            (line.compare(0, 2, "\xFF\xFE") == 0 || line.compare(0, 2, "\xFE\xFF") == 0))
        {
            throw InputError(path + ":1: the file is UTF-16 (it starts with a UTF-16 byte-order "
                                    "mark); save it as UTF-8 or plain ASCII text");
        }
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (line.empty())
        {
            continue;
        }
        auto fields = SplitCsvLine(line);
        if (!haveHeader)
        {
            for (size_t i = 0; i < fields.size(); ++i)
            {
                table.column[fields[i]] = i;
            }
            for (const auto& required : kRequiredColumns)
            {
                if (table.column.count(required) == 0)
                {
                    std::string all;
                    for (const auto& c : kRequiredColumns)
                    {
                        all += (all.empty() ? "" : ",") + c;
                    }
                    throw InputError(path + ":" + std::to_string(lineNo) +
                                     ": header lacks column '" + required +
                                     "'; a profile CSV needs the columns " + all);
                }
            }
            width = fields.size();
            haveHeader = true;
            continue;
        }
        if (fields.size() != width)
        {
            throw InputError(path + ":" + std::to_string(lineNo) + ": row has " +
                             std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(width));
        }
        table.rows.push_back(std::move(fields));
        table.lines.push_back(lineNo);
    }
    if (!haveHeader)
    {
        throw InputError(path + ": file is empty; expected a header line and one row per layer");
    }
    return table;
}

/// Access to one cell with a precise location for error messages.
class Cell
{
  public:
    Cell(const CsvTable& t, size_t row, const std::string& column)
        : m_table(t),
          m_row(row),
          m_name(column),
          m_col(t.column.at(column))
    {
    }

    const std::string& Text() const
    {
        return m_table.rows[m_row][m_col];
    }

    [[noreturn]] void Fail(const std::string& allowed) const
    {
        throw InputError(m_table.path + ":" + std::to_string(m_table.lines[m_row]) + ": column " +
                         std::to_string(m_col + 1) + " '" + m_name + "': '" + Text() +
                         "' is not allowed; expected " + allowed);
    }

    /// Parse a number; NaN accepted only when allowNan.
    double Number(bool allowNan, const std::string& allowed) const
    {
        const std::string& s = Text();
        if (s.empty())
        {
            Fail(allowed);
        }
        if (s == "nan" || s == "NaN")
        {
            if (!allowNan)
            {
                Fail(allowed);
            }
            return std::numeric_limits<double>::quiet_NaN();
        }
        char* end = nullptr;
        errno = 0;
        double v = std::strtod(s.c_str(), &end);
        if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v) || v < 0)
        {
            Fail(allowed);
        }
        return v;
    }

    uint64_t Count(const std::string& allowed) const
    {
        const std::string& s = Text();
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        {
            Fail(allowed);
        }
        errno = 0;
        unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
        if (errno == ERANGE)
        {
            Fail(allowed);
        }
        return v;
    }

  private:
    const CsvTable& m_table;
    size_t m_row;
    std::string m_name;
    size_t m_col;
};

uint32_t
Narrow(const Cell& c, const std::string& allowed)
{
    uint64_t v = c.Count(allowed);
    if (v == 0 || v > std::numeric_limits<uint32_t>::max())
    {
        c.Fail(allowed);
    }
    return static_cast<uint32_t>(v);
}

std::string
DescribeConfigurations(const std::vector<LlmProfile::Configuration>& configs)
{
    std::ostringstream os;
    for (size_t i = 0; i < configs.size(); ++i)
    {
        const auto& c = configs[i];
        os << (i ? ", " : "") << c.model << " (batch " << c.batch << ", seq " << c.seqLen
           << ", LoRA rank " << c.loraRank << ")";
    }
    return os.str();
}

std::vector<LlmProfile::Configuration>
Configurations(const CsvTable& t)
{
    std::vector<LlmProfile::Configuration> out;
    for (size_t r = 0; r < t.rows.size(); ++r)
    {
        LlmProfile::Configuration c{Cell(t, r, "model").Text(),
                                    Narrow(Cell(t, r, "batch"), "a positive integer batch size"),
                                    Narrow(Cell(t, r, "seq"), "a positive integer token count"),
                                    Narrow(Cell(t, r, "lora_rank"), "a positive integer rank")};
        bool seen = std::any_of(out.begin(), out.end(), [&c](const auto& o) {
            return o.model == c.model && o.batch == c.batch && o.seqLen == c.seqLen &&
                   o.loraRank == c.loraRank;
        });
        if (!seen)
        {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace

std::vector<LlmProfile::Configuration>
LlmProfile::ListCsv(const std::string& path)
{
    return Configurations(ReadCsv(path));
}

LlmProfile
LlmProfile::FromCsv(const std::string& path,
                    const std::string& model,
                    uint32_t batch,
                    uint32_t seqLen,
                    uint32_t loraRank)
{
    NS_LOG_FUNCTION(path << model << batch << seqLen << loraRank);
    CsvTable t = ReadCsv(path);
    auto configs = Configurations(t);
    std::vector<Configuration> matching;
    for (const auto& c : configs)
    {
        if (c.model == model && c.batch == batch && c.seqLen == seqLen &&
            (loraRank == 0 || c.loraRank == loraRank))
        {
            matching.push_back(c);
        }
    }
    if (matching.empty())
    {
        std::ostringstream os;
        os << path << ": no profile for model '" << model << "' at batch " << batch << ", seq "
           << seqLen;
        if (loraRank != 0)
        {
            os << ", LoRA rank " << loraRank;
        }
        os << "; the file holds " << DescribeConfigurations(configs);
        throw InputError(os.str());
    }
    if (matching.size() > 1)
    {
        throw InputError(path + ": model '" + model +
                         "' has several LoRA ranks at this batch and seq; choose one of " +
                         DescribeConfigurations(matching));
    }
    const Configuration chosen = matching.front();

    LlmProfile p;
    p.m_model = model;
    p.m_source = "csv:" + path;
    p.m_batch = batch;
    p.m_seqLen = seqLen;
    p.m_loraRank = chosen.loraRank;

    // Collect rows by index.
    std::map<uint64_t, size_t> byIndex;
    for (size_t r = 0; r < t.rows.size(); ++r)
    {
        if (Cell(t, r, "model").Text() != chosen.model ||
            Narrow(Cell(t, r, "batch"), "") != chosen.batch ||
            Narrow(Cell(t, r, "seq"), "") != chosen.seqLen ||
            Narrow(Cell(t, r, "lora_rank"), "") != chosen.loraRank)
        {
            continue;
        }
        Cell index(t, r, "index");
        uint64_t i = index.Count("a non-negative integer layer position");
        if (byIndex.count(i))
        {
            index.Fail("a layer position not used before for this configuration (first at line " +
                       std::to_string(t.lines[byIndex[i]]) + ")");
        }
        byIndex[i] = r;
    }

    uint64_t expected = 0;
    bool sawHead = false;
    for (const auto& [i, r] : byIndex)
    {
        Cell index(t, r, "index");
        if (i != expected)
        {
            index.Fail("layer position " + std::to_string(expected) +
                       " (positions must run 0, 1, 2, … without gaps)");
        }
        ++expected;
        Cell name(t, r, "layer");
        const bool isEmbed = (i == 0);
        LlmLayer layer;
        layer.name = name.Text();
        if (isEmbed && layer.name != "embed")
        {
            name.Fail("'embed' at position 0");
        }
        if (sawHead)
        {
            name.Fail("no layer after 'head'");
        }
        if (!isEmbed && layer.name != "head" &&
            layer.name != "block" + std::to_string(p.m_blocks.size()))
        {
            name.Fail("'block" + std::to_string(p.m_blocks.size()) + "' or 'head' at position " +
                      std::to_string(i));
        }
        const std::string flopsAllowed =
            isEmbed ? "a non-negative number of FLOPs or nan (embedding lookup)"
                    : "a positive number of FLOPs";
        Cell flops(t, r, "fwd_bwd_flops");
        double f = flops.Number(isEmbed, flopsAllowed);
        if (!isEmbed && f <= 0)
        {
            flops.Fail(flopsAllowed);
        }
        layer.fwdBwdFlops = std::isnan(f) ? 0.0 : f;
        Cell out(t, r, "out_bytes");
        layer.outputBytes = out.Count("a positive integer number of bytes");
        if (layer.outputBytes == 0)
        {
            out.Fail("a positive integer number of bytes");
        }
        layer.params = Cell(t, r, "params").Count("a non-negative integer parameter count");
        layer.trainableParams =
            Cell(t, r, "trainable_params").Count("a non-negative integer parameter count");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        double fwdMs = Cell(t, r, "fwd_ms").Number(true, "a non-negative time in ms or nan");
        double bwdMs = Cell(t, r, "bwd_ms").Number(true, "a non-negative time in ms or nan");
        layer.fwdTimeS = std::isnan(fwdMs) ? nan : fwdMs * 1e-3;
        layer.bwdTimeS = std::isnan(bwdMs) ? nan : bwdMs * 1e-3;

        if (isEmbed)
        {
            p.m_embedding = layer;
        }
        else if (layer.name == "head")
        {
            p.m_head = layer;
            p.m_hasHead = true;
            sawHead = true;
        }
        else
        {
            p.m_blocks.push_back(layer);
        }
    }
    if (p.m_blocks.size() < 2)
    {
        throw InputError(path + ": model '" + model + "' (batch " + std::to_string(batch) +
                         ", seq " + std::to_string(seqLen) + ") has " +
                         std::to_string(p.m_blocks.size()) +
                         " transformer blocks; split training needs at least 2 (rows "
                         "'block0', 'block1', …)");
    }
    p.m_flopsPrefix.assign(1, 0.0);
    for (const auto& b : p.m_blocks)
    {
        p.m_flopsPrefix.push_back(p.m_flopsPrefix.back() + b.fwdBwdFlops);
    }
    return p;
}

double
LlmProfile::FormulaBlockFlops(const TransformerShape& s)
{
    const double b = s.batch;
    const double d = s.seqLen;
    const double h = s.hidden;
    return 72.0 * b * d * h * h + 12.0 * b * d * d * h;
}

LlmProfile
LlmProfile::FromFormula(const TransformerShape& shape, const std::string& name)
{
    auto positive = [](double v, const std::string& what, const std::string& allowed) {
        if (!(v > 0) || !std::isfinite(v))
        {
            std::ostringstream os;
            os << "transformer shape: " << what << " = " << v << " is not allowed; expected "
               << allowed;
            throw InputError(os.str());
        }
    };
    if (shape.layers < 2)
    {
        throw InputError("transformer shape: layers = " + std::to_string(shape.layers) +
                         " is not allowed; split training needs at least 2 blocks");
    }
    positive(shape.hidden, "hidden", "a positive hidden size");
    positive(shape.batch, "batch", "a positive batch size");
    positive(shape.seqLen, "seqLen", "a positive number of tokens");
    positive(shape.bytesPerElement, "bytesPerElement", "a positive number of bytes (e.g. 2)");

    LlmProfile p;
    p.m_model = name;
    p.m_source = "formula";
    p.m_batch = shape.batch;
    p.m_seqLen = shape.seqLen;
    p.m_loraRank = 0;
    const auto bytes = static_cast<uint64_t>(
        std::llround(double(shape.batch) * shape.seqLen * shape.hidden * shape.bytesPerElement));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    p.m_embedding = LlmLayer{"embed", 0.0, bytes, 0, 0, nan, nan};
    const double psi = FormulaBlockFlops(shape);
    const uint64_t blockParams = 12ULL * shape.hidden * shape.hidden;
    for (uint32_t i = 0; i < shape.layers; ++i)
    {
        p.m_blocks.push_back(
            LlmLayer{"block" + std::to_string(i), psi, bytes, blockParams, blockParams, nan, nan});
    }
    p.m_head = LlmLayer{"head", 0.0, 0, 0, 0, nan, nan};
    p.m_hasHead = false;
    p.m_flopsPrefix.assign(1, 0.0);
    for (const auto& b : p.m_blocks)
    {
        p.m_flopsPrefix.push_back(p.m_flopsPrefix.back() + b.fwdBwdFlops);
    }
    return p;
}

const std::string&
LlmProfile::GetModelName() const
{
    return m_model;
}

const std::string&
LlmProfile::GetSource() const
{
    return m_source;
}

uint32_t
LlmProfile::GetBatch() const
{
    return m_batch;
}

uint32_t
LlmProfile::GetSeqLen() const
{
    return m_seqLen;
}

uint32_t
LlmProfile::GetLoraRank() const
{
    return m_loraRank;
}

uint32_t
LlmProfile::GetNumBlocks() const
{
    return static_cast<uint32_t>(m_blocks.size());
}

bool
LlmProfile::HasHead() const
{
    return m_hasHead;
}

const LlmLayer&
LlmProfile::GetEmbedding() const
{
    return m_embedding;
}

const LlmLayer&
LlmProfile::GetBlock(uint32_t i) const
{
    NS_ASSERT_MSG(i < m_blocks.size(),
                  "block " << i << " out of range (model has " << m_blocks.size() << ")");
    return m_blocks[i];
}

const LlmLayer&
LlmProfile::GetHead() const
{
    return m_head;
}

void
LlmProfile::CheckAlpha(uint32_t alpha) const
{
    NS_ASSERT_MSG(alpha <= m_blocks.size(),
                  "split layer " << alpha << " beyond the " << m_blocks.size() << " blocks");
}

double
LlmProfile::GetDeviceFlops(uint32_t alpha) const
{
    CheckAlpha(alpha);
    return m_embedding.fwdBwdFlops + m_flopsPrefix[alpha];
}

double
LlmProfile::GetEdgeFlops(uint32_t alpha) const
{
    CheckAlpha(alpha);
    return m_flopsPrefix.back() - m_flopsPrefix[alpha] + (m_hasHead ? m_head.fwdBwdFlops : 0.0);
}

double
LlmProfile::GetMeanBlockFlops() const
{
    return m_flopsPrefix.back() / m_blocks.size();
}

uint64_t
LlmProfile::GetSplitActivationBytes(uint32_t alpha) const
{
    CheckAlpha(alpha);
    return alpha == 0 ? m_embedding.outputBytes : m_blocks[alpha - 1].outputBytes;
}

uint64_t
LlmProfile::GetSplitGradientBytes(uint32_t alpha) const
{
    return GetSplitActivationBytes(alpha);
}

uint64_t
LlmProfile::GetDeviceTrainableParams(uint32_t alpha) const
{
    CheckAlpha(alpha);
    uint64_t sum = m_embedding.trainableParams;
    for (uint32_t i = 0; i < alpha; ++i)
    {
        sum += m_blocks[i].trainableParams;
    }
    return sum;
}

double
LlmProfile::GetMeasuredEdgeTimeS(uint32_t alpha) const
{
    CheckAlpha(alpha);
    double sum = 0;
    for (uint32_t i = alpha; i < m_blocks.size(); ++i)
    {
        sum += m_blocks[i].fwdTimeS + m_blocks[i].bwdTimeS; // NaN propagates
    }
    if (m_hasHead)
    {
        sum += m_head.fwdTimeS + m_head.bwdTimeS;
    }
    return sum;
}

} // namespace ns3
