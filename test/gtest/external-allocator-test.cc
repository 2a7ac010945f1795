/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of ExternalAllocator: the shipped Python example reproduces the built-in
 * fixed-split allocator bit for bit; results reach the program; every failure mode (malformed
 * answer, violated constraint, program that exits or crashes, timeout, command not found,
 * program that ignores the end of its input) gives one InputError naming the round and what
 * was wrong, and leaves no child process behind (running or zombie).
 */
#include "ns3/double.h"
#include "ns3/external-allocator.h"
#include "ns3/input-error.h"
#include "ns3/round-state-generator.h"
#include "ns3/round-state-json.h"
#include "ns3/split-baselines.h"
#include "ns3/string.h"

#include <cerrno>
#include <chrono>
#include <gtest/gtest.h>
#include <limits>
#include <sstream>
#include <string>
#include <sys/wait.h>

using namespace ns3;

namespace
{

const std::string kPython = "/usr/bin/python3";

RoundState
Instance(uint32_t users,
         uint32_t servers,
         uint64_t seed,
         const std::string& preset = "paper",
         double minRateBps = 0)
{
    GeneratorOptions g;
    g.users = users;
    g.servers = servers;
    g.seed = seed;
    g.preset = preset;
    g.objective.minRateBps = minRateBps;
    return RoundStateGenerator::Generate(g);
}

Ptr<ExternalAllocator>
External(const std::string& command, double timeoutS = 20)
{
    Ptr<ExternalAllocator> a = CreateObject<ExternalAllocator>();
    a->SetAttribute("Command", StringValue(command));
    a->SetAttribute("TimeoutS", DoubleValue(timeoutS));
    return a;
}

/**
 * A Python program that answers every state with a valid allocation (everyone on server 0,
 * equal shares, iterations = results read so far), changed by the statements `answer`; the
 * statements `after` run once stdin has ended.
 */
std::string
Answering(const std::string& answer, const std::string& after = "")
{
    return kPython +
           " -c '\nimport json, sys\nresults = 0\nfor line in sys.stdin:\n"
           "    m = json.loads(line)\n    if m[\"type\"] == \"results\":\n"
           "        results += 1\n        continue\n    s = m[\"state\"]\n"
           "    users = [{\"server\": 0, \"alpha\": s[\"objective\"][\"min_device_layers\"],"
           " \"power_w\": u[\"p_max_w\"], \"bandwidth_hz\": s[\"servers\"][0][\"bandwidth_hz\"]"
           " / len(s[\"users\"]), \"freq_hz\": u[\"f_max_hz\"], \"edge_freq_hz\": "
           "s[\"servers\"][0][\"f_max_hz\"] / len(s[\"users\"])} for u in s[\"users\"]]\n"
           "    out = {\"iterations\": results, \"users\": users}\n" +
           answer + "\n    print(json.dumps(out), flush=True)\n" + after + "\n'";
}

/** @return true when this process has no child left, running or zombie */
bool
NoChildLeft()
{
    return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
}

/** Allocate must throw an InputError whose message contains every one of `parts`. */
void
ExpectFailure(Ptr<ExternalAllocator> a, const RoundState& s, const std::vector<std::string>& parts)
{
    try
    {
        a->Allocate(s);
        ADD_FAILURE() << "no error; expected one containing '" << parts.front() << "'";
    }
    catch (const InputError& e)
    {
        const std::string what = e.what();
        for (const auto& p : parts)
        {
            EXPECT_NE(what.find(p), std::string::npos) << "'" << p << "' not in: " << what;
        }
        EXPECT_EQ(what.find('\n'), std::string::npos) << "not one line: " << what;
    }
    EXPECT_EQ(a->GetPid(), -1);
    EXPECT_TRUE(NoChildLeft());
}

} // namespace

TEST(ExternalAllocator, PythonExampleReproducesFixedSplitExactly)
{
    const std::string command =
        kPython + " " + EDGE_LLM_SOURCE_DIR + "/contrib/allocators/fixed_split.py";
    Ptr<ExternalAllocator> external = External(command);
    uint32_t rounds = 0;
    for (const std::string preset : {"paper", "realistic"})
    {
        for (uint64_t seed = 1; seed <= 4; ++seed)
        {
            // one program for every round; r_min > 0 exercises the reachability test
            const RoundState s = Instance(7 + seed, 1 + seed % 3, seed, preset, seed % 2 ? 0 : 2e6);
            Ptr<SplitAllocator> builtin = SplitAllocator::CreateByName("fixed-split");
            const Allocation want = builtin->Allocate(s);
            const Allocation got = external->Allocate(s);
            ASSERT_EQ(got.users.size(), want.users.size());
            for (size_t n = 0; n < want.users.size(); ++n)
            {
                SCOPED_TRACE(preset + " seed " + std::to_string(seed) + " user " +
                             std::to_string(n));
                EXPECT_EQ(got.users[n].server, want.users[n].server);
                EXPECT_EQ(got.users[n].alpha, want.users[n].alpha);
                EXPECT_EQ(got.users[n].powerW, want.users[n].powerW); // bit for bit
                EXPECT_EQ(got.users[n].bandwidthHz, want.users[n].bandwidthHz);
                EXPECT_EQ(got.users[n].freqHz, want.users[n].freqHz);
                EXPECT_EQ(got.users[n].edgeFreqHz, want.users[n].edgeFreqHz);
            }
            EXPECT_EQ(got.allocator, "ns3::ExternalAllocator");
            ++rounds;
        }
    }
    EXPECT_EQ(rounds, 8u);
    const pid_t pid = external->GetPid();
    EXPECT_GT(pid, 0); // one program served every round
    external->Dispose();
    EXPECT_EQ(external->GetPid(), -1);
    EXPECT_TRUE(NoChildLeft());
}

TEST(ExternalAllocator, ResultsReachTheProgram)
{
    // the program answers iterations = number of results messages it has read
    Ptr<ExternalAllocator> a = External(Answering(""));
    const RoundState s = Instance(4, 2, 3);
    EXPECT_EQ(a->Allocate(s).iterations, 0u);
    RoundOutcome o;
    o.round = 0;
    o.devices.resize(4);
    o.devices[1].status = "done";
    o.devices[1].delayS = std::nan("");
    a->NotifyRoundOutcome(o);
    EXPECT_EQ(a->Allocate(s).iterations, 1u);
    o.round = 1;
    a->NotifyRoundOutcome(o);
    EXPECT_EQ(a->Allocate(s).iterations, 2u);
    a->Dispose();
    EXPECT_TRUE(NoChildLeft());
}

TEST(ExternalAllocator, MalformedAnswer)
{
    ExpectFailure(External(kPython + " -c 'import sys; sys.stdin.readline(); "
                                     "print(\"{not json\", flush=True); sys.stdin.readline()'"),
                  Instance(3, 1, 1),
                  {"round 0, request 0", "JSON syntax error", "{not json"});
}

TEST(ExternalAllocator, AnswerWithWrongTypeOrSize)
{
    const RoundState s = Instance(3, 1, 1);
    ExpectFailure(External(Answering("    out[\"users\"] = out[\"users\"][:2]")),
                  s,
                  {"users has 2 entries; expected one per user of the round (3)"});
    ExpectFailure(External(Answering("    out[\"users\"][1][\"alpha\"] = 2.5")),
                  s,
                  {"users[1].alpha = 2.5", "non-negative integer"});
    ExpectFailure(External(Answering("    del out[\"users\"][2][\"freq_hz\"]")),
                  s,
                  {"users[2]: missing required key \"freq_hz\""});
}

TEST(ExternalAllocator, ViolatedConstraint)
{
    const RoundState s = Instance(3, 2, 1);
    ExpectFailure(External(Answering("    out[\"users\"][1][\"power_w\"] *= 2")),
                  s,
                  {"round 0, request 0", "violates 1 constraint", "user 1: power_w"});
    ExpectFailure(External(Answering("    out[\"users\"][0][\"server\"] = 5")),
                  s,
                  {"user 0: server 5 does not exist"});
    ExpectFailure(External(Answering("    out[\"users\"][2][\"bandwidth_hz\"] *= 3")),
                  s,
                  {"server 0: the users' bandwidth_hz sum to"});
    ExpectFailure(External(Answering("    out[\"users\"][0][\"server\"] = -1")),
                  s,
                  {"user 0: server -1 (local-only) needs alpha = 32"});
    RoundState limited = s;
    limited.users[1].maxDeviceLayers = 8;
    ExpectFailure(External(Answering("    out[\"users\"][1].update(server=-1, alpha=32)")),
                  limited,
                  {"user 1: server -1 (local-only) trains all 32 layers, above its memory limit"});
}

TEST(ExternalAllocator, UnaskedOutput)
{
    // two lines for one request: the second would be taken for the next answer
    Ptr<ExternalAllocator> a =
        External(Answering("    print(json.dumps(out) + \"\\nDEBUG x = 1\", flush=True)"));
    const RoundState s = Instance(2, 1, 1);
    a->Allocate(s);
    ExpectFailure(a, s, {"round 0, request 1", "\"DEBUG x = 1\"", "without a request"});
}

TEST(ExternalAllocator, ProgramExits)
{
    ExpectFailure(External(kPython + " -c 'import sys; sys.exit(3)'"),
                  Instance(3, 1, 1),
                  {"round 0, request 0", "exited with status 3"});
    // a program that dies after a good round: the failing request is named
    Ptr<ExternalAllocator> a = External(Answering("    if results == 1: sys.exit(4)"));
    const RoundState s = Instance(3, 1, 1);
    a->Allocate(s);
    RoundOutcome o;
    o.devices.resize(3);
    a->NotifyRoundOutcome(o);
    ExpectFailure(a, s, {"round 1, request 1", "exited with status 4"});
    // no further requests after a failure
    ExpectFailure(a, s, {"failed earlier"});
}

TEST(ExternalAllocator, ProgramCrashes)
{
    ExpectFailure(External(kPython + " -c 'import os, signal; os.kill(os.getpid(), "
                                     "signal.SIGSEGV)'"),
                  Instance(3, 1, 1),
                  {"killed by signal 11"});
}

TEST(ExternalAllocator, Timeout)
{
    const auto start = std::chrono::steady_clock::now();
    ExpectFailure(External(kPython + " -c 'import time; time.sleep(60)'", 0.5),
                  Instance(3, 1, 1),
                  {"round 0, request 0", "no answer within TimeoutS = 0.5 s"});
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(took, 10.0); // the deadline, not the program, ends the wait
}

TEST(ExternalAllocator, CommandNotFound)
{
    ExpectFailure(External("edge-llm-no-such-program --flag"),
                  Instance(3, 1, 1),
                  {"cannot start 'edge-llm-no-such-program'", "command not found"});
    ExpectFailure(External(""), Instance(3, 1, 1), {"--allocatorCommand", "needs a program"});
}

TEST(ExternalAllocator, ProgramThatIgnoresTheEndIsKilled)
{
    // answers once, then ignores EOF on stdin and sleeps: disposal kills it after TimeoutS
    Ptr<ExternalAllocator> a = External(Answering("", "import time\ntime.sleep(60)"), 0.5);
    const RoundState s = Instance(2, 1, 1);
    a->Allocate(s);
    EXPECT_GT(a->GetPid(), 0);
    const auto start = std::chrono::steady_clock::now();
    a->Dispose();
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(took, 10.0);
    EXPECT_EQ(a->GetPid(), -1);
    EXPECT_TRUE(NoChildLeft());
}

TEST(ExternalAllocator, ReadsWhatEdgeLlmAllocateWrites)
{
    // the full output format (terms, violations, nulls) is a valid answer, read back exactly
    const RoundState s = Instance(5, 2, 7, "realistic");
    Allocation want = SplitAllocator::CreateByName("local-only")->Allocate(s); // server -1
    want.users[2] = SplitAllocator::CreateByName("fixed-split")->Allocate(s).users[2];
    want.iterations = 3;
    want.objectiveHistory = {1.5, std::numeric_limits<double>::infinity()}; // written as null
    want.stationarity = std::nan("");
    std::ostringstream os;
    WriteAllocationJson(want, s, "delay-aware", os);
    const Allocation got = ReadAllocationJson(os.str(), s.users.size(), "test");
    ASSERT_EQ(got.users.size(), want.users.size());
    for (size_t n = 0; n < want.users.size(); ++n)
    {
        EXPECT_EQ(got.users[n].server, want.users[n].server);
        EXPECT_EQ(got.users[n].alpha, want.users[n].alpha);
        EXPECT_EQ(got.users[n].powerW, want.users[n].powerW);
        EXPECT_EQ(got.users[n].bandwidthHz, want.users[n].bandwidthHz);
        EXPECT_EQ(got.users[n].freqHz, want.users[n].freqHz);
        EXPECT_EQ(got.users[n].edgeFreqHz, want.users[n].edgeFreqHz);
    }
    EXPECT_EQ(got.users[0].server, UserAllocation::kNoServer);
    EXPECT_EQ(got.iterations, 3u);
    EXPECT_EQ(got.allocator, want.allocator);
    EXPECT_TRUE(ExternalAllocator::Validate(got, s).empty());
    EXPECT_THROW(ReadAllocationJson("{\"users\": [], \"extra\": 1}", 0, "test"), InputError);
}

TEST(ExternalAllocator, AllocationReaderErrorsSayWhatWhereAndWhatIsAllowed)
{
    // the allocation reader's checks (shared with the instance reader): one message naming the
    // key and what is allowed; whole numbers may be written as 2.0
    auto error = [](const std::string& decision) {
        const std::string text = "{\"users\": [{" + decision + "}]}";
        try
        {
            ReadAllocationJson(text, 1, "answer");
        }
        catch (const InputError& e)
        {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string ok = "\"power_w\": 1, \"bandwidth_hz\": 1e6, \"freq_hz\": 1e9, "
                           "\"edge_freq_hz\": 1e9";
    EXPECT_EQ(error("\"server\": 0, \"alpha\": 2.0, " + ok), "no error");
    EXPECT_EQ(error("\"server\": -1, \"alpha\": 2, " + ok), "no error");
    EXPECT_EQ(error("\"server\": 0, \"alpha\": 2, \"alfa\": 1, " + ok),
              "answer: users[0]: unknown key \"alfa\"; known keys: server, alpha, power_w, "
              "bandwidth_hz, freq_hz, edge_freq_hz");
    EXPECT_EQ(error("\"server\": 0, " + ok), "answer: users[0]: missing required key \"alpha\"");
    EXPECT_EQ(error("\"server\": 0, \"alpha\": 1.5, " + ok),
              "answer: users[0].alpha = 1.5 is not allowed; expected a non-negative integer");
    EXPECT_EQ(error("\"server\": -2, \"alpha\": 1, " + ok),
              "answer: users[0].server = -2 is not allowed; expected an integer >= -1");
    EXPECT_EQ(error("\"server\": 18446744073709551615, \"alpha\": 1, " + ok),
              "answer: users[0].server = 18446744073709551615 is not allowed; expected an "
              "integer >= -1");
    EXPECT_EQ(error("\"server\": 0, \"alpha\": 4294967295, " + ok),
              "answer: users[0].alpha = 4294967295 is not allowed; expected a non-negative "
              "integer");
    EXPECT_EQ(error("\"server\": 0, \"alpha\": \"1\", " + ok),
              "answer: users[0].alpha = \"1\" is not allowed; expected a non-negative integer");
}

TEST(ExternalAllocator, SplitCommandLikeAShell)
{
    using V = std::vector<std::string>;
    EXPECT_EQ(ExternalAllocator::SplitCommand("  python3   my.py "), (V{"python3", "my.py"}));
    EXPECT_EQ(ExternalAllocator::SplitCommand("a 'b c' \"d \\\" e\" f\\ g ''"),
              (V{"a", "b c", "d \" e", "f g", ""}));
    EXPECT_TRUE(ExternalAllocator::SplitCommand("   ").empty());
    EXPECT_THROW(ExternalAllocator::SplitCommand("python3 'my.py"), InputError);
    EXPECT_THROW(ExternalAllocator::SplitCommand("python3 my.py\\"), InputError);
}
