/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the instance and allocation JSON formats: round trip, defaults, one test per
 * kind of bad instance (the message must name the key and the user/server), and the
 * allocation writer's keys, numbers and nulls.
 */
#include "ns3/input-error.h"
#include "ns3/round-state-generator.h"
#include "ns3/round-state-json.h"
#include "ns3/split-cost-model.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// A valid instance: 2 users, 2 servers; every value that a test mutates occurs once.
const std::string kBase = R"({
  "layers": 32,
  "objective": {"mode": "paper", "w_time": 2, "w_energy": 3, "w_stability": 4,
                "min_rate_bps": 1e5, "delay": "makespan"},
  "noise_psd_w_per_hz": 3.98e-17,
  "users": [
    {"flops_per_layer": 2.5e13, "payload_bits": 5e9, "downlink_bits": 5.5e9, "cores": 4,
     "flops_per_cycle": 1, "f_max_hz": 7e8, "kappa": 1e-28, "p_max_w": 1.5, "lipschitz": 1,
     "dataset_size": 2000, "gain": [1e-10, 2e-12]},
    {"flops_per_layer": 3e13, "payload_bits": 6e9, "downlink_bits": 6.5e9, "cores": 5,
     "flops_per_cycle": 1, "f_max_hz": 9e8, "kappa": 2e-28, "p_max_w": 1.2, "lipschitz": 2,
     "dataset_size": 3000, "gain": [3e-12, 4e-10], "tokens": 700, "batch": 512,
     "max_device_layers": 8}
  ],
  "servers": [
    {"bandwidth_hz": 20e6, "f_max_hz": 2e9, "cores": 2560, "flops_per_cycle": 1,
     "kappa": 1e-28, "tx_power_w": 10},
    {"bandwidth_hz": 10e6, "f_max_hz": 3e9, "cores": 5120, "flops_per_cycle": 2,
     "kappa": 3e-28, "tx_power_w": 20}
  ]
}
)";

/// A valid "servers" array with one server.
const std::string kOneServer = "[{\"bandwidth_hz\": 1, \"f_max_hz\": 1, \"cores\": 1, "
                               "\"flops_per_cycle\": 1, \"kappa\": 1, \"tx_power_w\": 1}]";

/// kBase with `from` (which must occur exactly once) replaced by `to`.
std::string
Mutate(const std::string& from, const std::string& to)
{
    const auto pos = kBase.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    EXPECT_EQ(kBase.find(from, pos + 1), std::string::npos) << from << " occurs twice";
    std::string s = kBase;
    if (pos != std::string::npos)
    {
        s.replace(pos, from.size(), to);
    }
    return s;
}

RoundState
Read(const std::string& text)
{
    std::istringstream in(text);
    return ReadRoundStateJson(in, "test.json");
}

/// Message of the InputError reading `text` raises ("" if none).
std::string
ErrorOf(const std::string& text)
{
    try
    {
        Read(text);
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

void
ExpectSameState(const RoundState& a, const RoundState& b)
{
    EXPECT_EQ(a.layers, b.layers);
    EXPECT_EQ(a.noisePsdWPerHz, b.noisePsdWPerHz);
    EXPECT_EQ(a.objective.mode, b.objective.mode);
    EXPECT_EQ(a.objective.wTime, b.objective.wTime);
    EXPECT_EQ(a.objective.wEnergy, b.objective.wEnergy);
    EXPECT_EQ(a.objective.wStability, b.objective.wStability);
    EXPECT_EQ(a.objective.minRateBps, b.objective.minRateBps);
    EXPECT_EQ(a.objective.delay, b.objective.delay);
    EXPECT_EQ(a.objective.minDeviceLayers, b.objective.minDeviceLayers);
    EXPECT_EQ(a.objective.rateModel, b.objective.rateModel);
    ASSERT_EQ(a.users.size(), b.users.size());
    for (size_t n = 0; n < a.users.size(); ++n)
    {
        SCOPED_TRACE("user " + std::to_string(n));
        const UserState& x = a.users[n];
        const UserState& y = b.users[n];
        EXPECT_EQ(x.tokens, y.tokens);
        EXPECT_EQ(x.batch, y.batch);
        EXPECT_EQ(x.flopsPerLayer, y.flopsPerLayer);
        EXPECT_EQ(x.payloadBits, y.payloadBits);
        EXPECT_EQ(x.downlinkBits, y.downlinkBits);
        EXPECT_EQ(x.cores, y.cores);
        EXPECT_EQ(x.flopsPerCycle, y.flopsPerCycle);
        EXPECT_EQ(x.fMaxHz, y.fMaxHz);
        EXPECT_EQ(x.kappa, y.kappa);
        EXPECT_EQ(x.pMaxW, y.pMaxW);
        EXPECT_EQ(x.lipschitz, y.lipschitz);
        EXPECT_EQ(x.datasetSize, y.datasetSize);
        EXPECT_EQ(x.gain, y.gain);
        EXPECT_EQ(x.maxDeviceLayers, y.maxDeviceLayers);
    }
    ASSERT_EQ(a.servers.size(), b.servers.size());
    for (size_t m = 0; m < a.servers.size(); ++m)
    {
        SCOPED_TRACE("server " + std::to_string(m));
        const ServerState& x = a.servers[m];
        const ServerState& y = b.servers[m];
        EXPECT_EQ(x.bandwidthHz, y.bandwidthHz);
        EXPECT_EQ(x.fMaxHz, y.fMaxHz);
        EXPECT_EQ(x.cores, y.cores);
        EXPECT_EQ(x.flopsPerCycle, y.flopsPerCycle);
        EXPECT_EQ(x.kappa, y.kappa);
        EXPECT_EQ(x.txPowerW, y.txPowerW);
    }
}

std::string
Write(const RoundState& s)
{
    std::ostringstream os;
    WriteRoundStateJson(s, os);
    return os.str();
}

} // namespace

TEST(RoundStateJson, ReadsEveryField)
{
    const RoundState s = Read(kBase);
    EXPECT_EQ(s.layers, 32u);
    EXPECT_EQ(s.noisePsdWPerHz, 3.98e-17);
    EXPECT_EQ(s.objective.mode, ObjectiveMode::PAPER);
    EXPECT_EQ(s.objective.wTime, 2);
    EXPECT_EQ(s.objective.wEnergy, 3);
    EXPECT_EQ(s.objective.wStability, 4);
    EXPECT_EQ(s.objective.minRateBps, 1e5);
    EXPECT_EQ(s.objective.delay, DelayAggregate::MAKESPAN);
    ASSERT_EQ(s.NumUsers(), 2u);
    ASSERT_EQ(s.NumServers(), 2u);
    EXPECT_EQ(s.users[0].flopsPerLayer, 2.5e13);
    EXPECT_EQ(s.users[0].downlinkBits, 5.5e9);
    EXPECT_EQ(s.users[1].kappa, 2e-28);
    EXPECT_EQ(s.users[1].lipschitz, 2);
    EXPECT_EQ(s.users[1].gain, (std::vector<double>{3e-12, 4e-10}));
    EXPECT_EQ(s.users[1].tokens, 700);
    EXPECT_EQ(s.users[1].batch, 512);
    EXPECT_EQ(s.users[1].maxDeviceLayers, 8u);
    EXPECT_EQ(s.servers[1].bandwidthHz, 10e6);
    EXPECT_EQ(s.servers[1].flopsPerCycle, 2);
    EXPECT_EQ(s.servers[1].kappa, 3e-28);
    EXPECT_EQ(s.servers[1].txPowerW, 20);
}

TEST(RoundStateJson, OptionalKeysTakeDefaults)
{
    std::string text = kBase;
    const auto start = text.find("\"objective\"");
    const auto end = text.find("\"noise_psd_w_per_hz\"");
    text.erase(start, end - start);
    const RoundState s = Read(text);
    const ObjectiveSettings defaults;
    EXPECT_EQ(s.objective.mode, defaults.mode);
    EXPECT_EQ(s.objective.wTime, defaults.wTime);
    EXPECT_EQ(s.objective.minRateBps, defaults.minRateBps);
    EXPECT_EQ(s.objective.delay, defaults.delay);
    EXPECT_EQ(s.objective.minDeviceLayers, defaults.minDeviceLayers);
    EXPECT_EQ(s.objective.rateModel, RateModel::SNAPSHOT);
    EXPECT_EQ(Read(kBase).objective.rateModel, RateModel::SNAPSHOT);
    const UserState userDefaults;
    EXPECT_EQ(s.users[0].tokens, userDefaults.tokens);
    EXPECT_EQ(s.users[0].batch, userDefaults.batch);
    EXPECT_EQ(s.users[0].maxDeviceLayers, 0u);

    const RoundState partial = Read(Mutate("\"w_energy\": 3, ", "\"min_device_layers\": 3, "));
    EXPECT_EQ(partial.objective.wEnergy, defaults.wEnergy);
    EXPECT_EQ(partial.objective.minDeviceLayers, 3u);
    EXPECT_EQ(partial.objective.wTime, 2);
}

TEST(RoundStateJson, RoundTripGivesIdenticalState)
{
    const RoundState base = Read(kBase);
    ExpectSameState(base, Read(Write(base)));

    GeneratorOptions o;
    o.users = 7;
    o.servers = 3;
    o.seed = 99;
    o.objective.mode = ObjectiveMode::PAPER;
    o.objective.delay = DelayAggregate::MAKESPAN;
    o.objective.minRateBps = 1.23456789e5;
    o.objective.minDeviceLayers = 2;
    RoundState g = RoundStateGenerator::Generate(o);
    g.users[3].maxDeviceLayers = 5;
    g.noisePsdWPerHz = 1.0 / 3.0 * 1e-17; // not exactly representable in few digits
    const std::string text = Write(g);
    const RoundState back = Read(text);
    ExpectSameState(g, back);
    EXPECT_EQ(text, Write(back)); // and the text is a fixed point
    // the snapshot default is not written (instances stay as they were); ergodic is
    EXPECT_EQ(text.find("rate_model"), std::string::npos);
    g.objective.rateModel = RateModel::ERGODIC;
    const RoundState ergodic = Read(Write(g));
    EXPECT_EQ(ergodic.objective.rateModel, RateModel::ERGODIC);
    ExpectSameState(g, ergodic);
}

TEST(RoundStateJson, ReadsFromFileAndNamesTheFile)
{
    const auto dir = std::filesystem::temp_directory_path();
    const std::string good = (dir / "edge-llm-gtest-instance.json").string();
    std::ofstream(good) << kBase;
    EXPECT_EQ(ReadRoundStateJson(good).NumUsers(), 2u);

    const std::string bad = (dir / "edge-llm-gtest-bad-instance.json").string();
    std::ofstream(bad) << Mutate("\"cores\": 5,", "\"cores\": -5,");
    try
    {
        ReadRoundStateJson(bad);
        FAIL() << "negative cores accepted";
    }
    catch (const InputError& e)
    {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind(bad, 0), 0u) << msg; // starts with the file name
        EXPECT_NE(msg.find("users[1].cores"), std::string::npos) << msg;
    }
    const std::string missing = (dir / "edge-llm-gtest-no-such-file.json").string();
    std::filesystem::remove(missing);
    try
    {
        ReadRoundStateJson(missing);
        FAIL() << "missing file accepted";
    }
    catch (const InputError& e)
    {
        EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
}

/// One bad instance and the pieces its error message must contain.
struct BadCase
{
    std::string label;
    std::string text;
    std::vector<std::string> mustContain;
};

TEST(RoundStateJson, RejectsEveryKindOfBadInstance)
{
    const std::vector<BadCase> cases = {
        {"syntax error with line",
         Mutate("\"noise_psd_w_per_hz\": 3.98e-17,", "\"noise_psd_w_per_hz\": 3.98e-17"),
         {"test.json:6", "JSON syntax error"}},
        {"truncated file", kBase.substr(0, 100), {"test.json:", "JSON syntax error"}},
        {"missing top-level key",
         Mutate("\"layers\": 32,", ""),
         {"missing required key \"layers\""}},
        {"missing user key",
         Mutate("\"kappa\": 2e-28, ", ""),
         {"users[1]", "missing required key \"kappa\""}},
        {"missing gain", Mutate(", \"gain\": [1e-10, 2e-12]", ""), {"users[0]", "\"gain\""}},
        {"missing server key",
         Mutate(", \"tx_power_w\": 20", ""),
         {"servers[1]", "missing required key \"tx_power_w\""}},
        {"string instead of number",
         Mutate("\"cores\": 4,", "\"cores\": \"four\","),
         {"users[0].cores", "not a number"}},
        {"number with trailing text",
         Mutate("\"p_max_w\": 1.5", "\"p_max_w\": \"1.5 W\""),
         {"users[0].p_max_w", "not a number"}},
        {"boolean instead of number",
         Mutate("\"lipschitz\": 2", "\"lipschitz\": true"),
         {"users[1].lipschitz", "not a number"}},
        {"null instead of number",
         Mutate("\"f_max_hz\": 2e9", "\"f_max_hz\": null"),
         {"servers[0].f_max_hz", "not a number"}},
        {"object instead of number",
         Mutate("\"dataset_size\": 3000", "\"dataset_size\": {\"n\": 3000}"),
         {"users[1].dataset_size", "expected a number"}},
        {"overflowing number",
         Mutate("\"payload_bits\": 6e9", "\"payload_bits\": 6e999"),
         {"users[1].payload_bits", "finite"}},
        {"negative value",
         Mutate("\"bandwidth_hz\": 10e6", "\"bandwidth_hz\": -10e6"),
         {"servers[1].bandwidth_hz", "positive"}},
        {"zero value",
         Mutate("\"f_max_hz\": 9e8", "\"f_max_hz\": 0"),
         {"users[1].f_max_hz", "positive"}},
        {"zero noise", Mutate("3.98e-17", "0"), {"noise_psd_w_per_hz", "positive"}},
        {"negative weight",
         Mutate("\"w_stability\": 4", "\"w_stability\": -4"),
         {"objective.w_stability", "non-negative"}},
        {"too few gains",
         Mutate("[3e-12, 4e-10]", "[3e-12]"),
         {"users[1].gain", "1 entries", "one per server (2)"}},
        {"too many gains",
         Mutate("[1e-10, 2e-12]", "[1e-10, 2e-12, 5e-12]"),
         {"users[0].gain", "3 entries"}},
        {"zero gain", Mutate("[3e-12, 4e-10]", "[3e-12, 0]"), {"users[1].gain[1]", "positive"}},
        {"gain with no usable link (transfers would take longer than 1e100 s)",
         Mutate("[3e-12, 4e-10]", "[3e-12, 1e-320]"),
         {"users[1].gain[1] = ", "no usable link to servers[1]", "at most 1e+100", "gain >= "}},
        {"gain not an array",
         Mutate("[1e-10, 2e-12]", "{\"a\": 1e-10, \"b\": 2e-12}"),
         {"users[0].gain", "array"}},
        {"unknown mode",
         Mutate("\"mode\": \"paper\"", "\"mode\": \"fast\""),
         {"objective.mode", "\"fast\"", "paper, delay-aware"}},
        {"unknown delay",
         Mutate("\"delay\": \"makespan\"", "\"delay\": \"max\""),
         {"objective.delay", "\"max\"", "sum, makespan"}},
        {"unknown rate model",
         Mutate("\"delay\": \"makespan\"", "\"delay\": \"makespan\", \"rate_model\": \"rayleigh\""),
         {"objective.rate_model", "\"rayleigh\"", "snapshot, ergodic"}},
        {"unknown top-level key (typo)",
         Mutate("\"layers\": 32,", "\"layer\": 32,"),
         {"unknown key \"layer\"", "known keys: layers"}},
        {"unknown objective key",
         Mutate("\"w_time\": 2", "\"w_tme\": 2"),
         {"objective", "unknown key \"w_tme\"", "w_time"}},
        {"unknown user key",
         Mutate("\"kappa\": 2e-28", "\"kapa\": 2e-28"),
         {"users[1]", "unknown key \"kapa\"", "kappa"}},
        {"unknown server key",
         Mutate("\"tx_power_w\": 20", "\"tx_power\": 20"),
         {"servers[1]", "unknown key \"tx_power\"", "tx_power_w"}},
        {"duplicate key",
         Mutate("\"cores\": 4,", "\"cores\": 4, \"cores\": 8,"),
         {"users[0]", "\"cores\" appears more than once"}},
        {"fractional layers", Mutate("\"layers\": 32", "\"layers\": 32.5"), {"layers", "integer"}},
        {"negative max_device_layers",
         Mutate("\"max_device_layers\": 8", "\"max_device_layers\": -1"),
         {"users[1].max_device_layers", "integer"}},
        {"layers too small", Mutate("\"layers\": 32", "\"layers\": 1"), {"layers", ">= 2"}},
        {"users not an array",
         "{\"layers\": 32, \"noise_psd_w_per_hz\": 1e-17, \"users\": {\"u\": 1}, "
         "\"servers\": " +
             kOneServer + "}",
         {"users is an object; expected a JSON array"}},
        {"users a scalar",
         "{\"layers\": 32, \"noise_psd_w_per_hz\": 1e-17, \"users\": 3, \"servers\": " +
             kOneServer + "}",
         {"users is \"3\"; expected a JSON array"}},
        {"server not an object",
         Mutate("\"servers\": [", "\"servers\": [5, "),
         {"servers[0]", "expected a JSON object"}},
        {"servers empty",
         kBase.substr(0, kBase.find("\"servers\"")) + "\"servers\": []}",
         {"servers is empty", "at least one server"}},
        {"users empty",
         "{\"layers\": 32, \"noise_psd_w_per_hz\": 1e-17, \"users\": [], \"servers\": " +
             kOneServer + "}",
         {"users is empty"}},
        {"top level is an array", "[1, 2]", {"top-level object", "array"}},
        // typed: a number in a string is a string (the Boost reader took "32" for 32)
        {"number in a string",
         Mutate("\"layers\": 32", "\"layers\": \"32\""),
         {"layers = \"32\" is not a number"}},
        {"gain in a string",
         Mutate("[3e-12, 4e-10]", "[3e-12, \"4e-10\"]"),
         {"users[1].gain[1] = \"4e-10\" is not a number"}},
        {"mode not a string", Mutate("\"mode\": \"paper\"", "\"mode\": 1"), {"objective.mode"}},
        {"users an empty object",
         "{\"layers\": 32, \"noise_psd_w_per_hz\": 1e-17, \"users\": {}, \"servers\": " +
             kOneServer + "}",
         {"users is an object; expected a JSON array"}},
        {"text after the value", kBase + "{}", {"test.json:", "JSON syntax error"}},
        {"NUL byte after the value",
         kBase + std::string(1, '\0') + "{}",
         {"test.json:", "JSON syntax error"}},
    };
    for (const BadCase& c : cases)
    {
        SCOPED_TRACE(c.label);
        const std::string msg = ErrorOf(c.text);
        ASSERT_FALSE(msg.empty()) << "accepted: " << c.label;
        EXPECT_EQ(msg.rfind("test.json", 0), 0u) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        for (const std::string& piece : c.mustContain)
        {
            EXPECT_NE(msg.find(piece), std::string::npos) << "'" << piece << "' not in: " << msg;
        }
    }
}

TEST(RoundStateJson, LineNumbersBeyondTheFirstBuffer)
{
    // the reader streams the text in blocks of 64 KiB: lines are counted across blocks
    const std::string pad(100000, '\n');
    const std::string text =
        pad + Mutate("\"noise_psd_w_per_hz\": 3.98e-17,", "\"noise_psd_w_per_hz\": 3.98e-17");
    const std::string msg = ErrorOf(text);
    EXPECT_EQ(msg.rfind("test.json:100006: JSON syntax error", 0), 0u) << msg;
    // and a generated instance of several blocks reads back the same
    GeneratorOptions o;
    o.users = 300;
    o.servers = 20;
    const RoundState g = RoundStateGenerator::Generate(o);
    std::ostringstream os;
    WriteRoundStateJson(g, os);
    ASSERT_GT(os.str().size(), 3u * 65536);
    ExpectSameState(g, Read(pad + os.str()));
}

TEST(RoundStateJson, RejectsDeepNestingBeforeParsing)
{
    // Boost's parser recurses once per level: 80,000 levels overflowed the stack (segfault)
    auto expectDepthError = [](const std::string& text, const std::string& where) {
        const std::string msg = ErrorOf(text);
        EXPECT_EQ(msg.rfind(where + ": objects and arrays nested more than 64 levels deep", 0), 0u)
            << msg.substr(0, 300);
        EXPECT_NE(msg.find("an instance needs 4"), std::string::npos) << msg.substr(0, 300);
    };
    const size_t deep = 80000;
    expectDepthError(std::string(deep, '[') + std::string(deep, ']'), "test.json:1");
    std::string objects;
    for (size_t i = 0; i < deep; ++i)
    {
        objects += "{\"a\": ";
    }
    expectDepthError(objects + "1" + std::string(deep, '}'), "test.json:1");
    // the message names the line where the limit is crossed
    std::string lines = "{\n\"layers\": 32,\n\"users\": ";
    for (int i = 0; i < 100; ++i)
    {
        lines += "[\n";
    }
    expectDepthError(lines, "test.json:66");
    // 64 levels (kMaxInstanceJsonDepth) pass the scan (and fail on content), 65 do not
    const size_t limit = 64;
    const std::string ok = ErrorOf(std::string(limit, '[') + std::string(limit, ']'));
    EXPECT_EQ(ok.find("nested"), std::string::npos) << ok;
    EXPECT_NE(ok.find("top-level object"), std::string::npos) << ok;
    expectDepthError(std::string(limit + 1, '[') + std::string(limit + 1, ']'), "test.json:1");
    // brackets inside strings (also after an escaped quote) do not count
    const std::string inString =
        ErrorOf(Mutate("\"mode\": \"paper\"", "\"mode\": \"\\\"" + std::string(200, '[') + "\""));
    EXPECT_NE(inString.find("objective.mode"), std::string::npos) << inString.substr(0, 200);
    // a valid instance is unaffected
    EXPECT_NO_THROW(Read(kBase));
}

TEST(RoundStateJson, ModeAndDelayNames)
{
    EXPECT_EQ(ParseObjectiveMode(ObjectiveModeName(ObjectiveMode::PAPER), "x"),
              ObjectiveMode::PAPER);
    EXPECT_EQ(ParseObjectiveMode(ObjectiveModeName(ObjectiveMode::DELAY_AWARE), "x"),
              ObjectiveMode::DELAY_AWARE);
    EXPECT_EQ(ParseDelayAggregate(DelayAggregateName(DelayAggregate::MAKESPAN), "x"),
              DelayAggregate::MAKESPAN);
    EXPECT_EQ(ParseRateModel(RateModelName(RateModel::ERGODIC), "x"), RateModel::ERGODIC);
    EXPECT_EQ(ParseRateModel(RateModelName(RateModel::SNAPSHOT), "x"), RateModel::SNAPSHOT);
    EXPECT_THROW(ParseRateModel("Ergodic", "--rateModel"), InputError);
    EXPECT_THROW(ParseObjectiveMode("Paper", "--objective"), InputError);
    EXPECT_THROW(ParseDelayAggregate("", "--delay"), InputError);
}

TEST(AllocationJson, WritesKeysNumbersAndNulls)
{
    RoundState s = Read(kBase);
    s.objective.mode = ObjectiveMode::DELAY_AWARE;
    Allocation a;
    a.allocator = "test \"quoted\" allocator";
    a.iterations = 3;
    a.solveTimeS = 0.125;
    a.objectiveHistory = {10.5, 9.25};
    a.stationarity = 1e-9;
    UserAllocation u0;
    u0.server = 1;
    u0.alpha = 4;
    u0.powerW = 0.1 + 0.2; // needs 17 digits
    u0.bandwidthHz = 6e6;
    u0.freqHz = 5e8;
    u0.edgeFreqHz = 1.5e9;
    UserAllocation u1;
    u1.server = UserAllocation::kNoServer; // local only: stability is infinite
    u1.alpha = s.layers;
    u1.freqHz = 6e8;
    a.users = {u0, u1};

    std::ostringstream os;
    WriteAllocationJson(a, s, "delay-aware", os);
    const std::string text = os.str();

    // numbers are JSON numbers, not strings
    EXPECT_NE(text.find("\"iterations\": 3,"), std::string::npos) << text;
    EXPECT_NE(text.find("\"server\": -1"), std::string::npos) << text;
    EXPECT_NE(text.find("\"stability\": null"), std::string::npos) << text;
    EXPECT_NE(text.find("\"feasible\": "), std::string::npos) << text;

    boost::property_tree::ptree pt;
    std::istringstream in(text);
    ASSERT_NO_THROW(boost::property_tree::read_json(in, pt)) << text;
    // the required keys come first, in this order
    const std::vector<std::string> order = {"allocator",
                                            "objective",
                                            "iterations",
                                            "solve_time_s",
                                            "users",
                                            "terms",
                                            "objective_value",
                                            "feasible",
                                            "violations",
                                            "objective_history",
                                            "stationarity"};
    std::vector<std::string> keys;
    for (const auto& kv : pt)
    {
        keys.push_back(kv.first);
    }
    EXPECT_EQ(keys, order);
    EXPECT_EQ(pt.get<std::string>("allocator"), a.allocator);
    EXPECT_EQ(pt.get<std::string>("objective"), "delay-aware");
    EXPECT_EQ(pt.get<double>("solve_time_s"), 0.125);

    const auto& users = pt.get_child("users");
    ASSERT_EQ(users.size(), 2u);
    const auto& first = users.begin()->second;
    EXPECT_EQ(first.get<int>("server"), 1);
    EXPECT_EQ(first.get<int>("alpha"), 4);
    EXPECT_EQ(std::strtod(first.get<std::string>("power_w").c_str(), nullptr), 0.1 + 0.2);
    EXPECT_EQ(first.get<double>("bandwidth_hz"), 6e6);
    EXPECT_EQ(first.get<double>("edge_freq_hz"), 1.5e9);
    std::vector<std::string> userKeys;
    for (const auto& kv : first)
    {
        userKeys.push_back(kv.first);
    }
    EXPECT_EQ(userKeys,
              (std::vector<std::string>{"server",
                                        "alpha",
                                        "power_w",
                                        "bandwidth_hz",
                                        "freq_hz",
                                        "edge_freq_hz"}));
    EXPECT_EQ(std::next(users.begin())->second.get<int>("server"), -1);

    const SplitCostModel model(s);
    const CostTerms t = model.Totals(a);
    const auto& terms = pt.get_child("terms");
    auto num = [&terms](const char* k) {
        return std::strtod(terms.get<std::string>(k).c_str(), nullptr);
    };
    EXPECT_EQ(num("device_delay_s"), t.deviceDelayS);
    EXPECT_EQ(num("edge_delay_s"), t.edgeDelayS);
    EXPECT_EQ(num("uplink_delay_s"), t.uplinkDelayS);
    EXPECT_EQ(num("downlink_delay_s"), t.downlinkDelayS);
    EXPECT_EQ(num("device_energy_j"), t.deviceEnergyJ);
    EXPECT_EQ(num("edge_energy_j"), t.edgeEnergyJ);
    EXPECT_EQ(num("tx_energy_j"), t.txEnergyJ);
    EXPECT_GT(num("device_delay_s"), 0);
    EXPECT_EQ(terms.get<std::string>("stability"), "null");
    EXPECT_EQ(pt.get_child("objective_history").size(), 2u);
    EXPECT_EQ(pt.get<double>("stationarity"), 1e-9);
}

TEST(AllocationJson, ObjectiveValueIsTheCostModelsObjective)
{
    const RoundState s = Read(kBase);
    Allocation a;
    a.allocator = "manual";
    for (uint32_t n = 0; n < 2; ++n)
    {
        UserAllocation x;
        x.server = n;
        x.alpha = 2;
        x.powerW = 1.0;
        x.bandwidthHz = s.servers[n].bandwidthHz;
        x.freqHz = s.users[n].fMaxHz;
        x.edgeFreqHz = s.servers[n].fMaxHz;
        a.users.push_back(x);
    }
    std::ostringstream os;
    WriteAllocationJson(a, s, "paper", os);
    boost::property_tree::ptree pt;
    std::istringstream in(os.str());
    boost::property_tree::read_json(in, pt);
    const SplitCostModel model(s);
    EXPECT_EQ(std::strtod(pt.get<std::string>("objective_value").c_str(), nullptr),
              model.Objective(a));
    EXPECT_EQ(pt.get<std::string>("feasible"), model.Violations(a).empty() ? "true" : "false");
    EXPECT_EQ(pt.get_child("violations").size(), model.Violations(a).size());
}
