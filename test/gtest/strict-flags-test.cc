/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The shared flag readers (helper/strict-flags.h): whole value, type and range; StrictFlags'
 * unknown, repeated, positional and aliased flags.
 */
#include "ns3/input-error.h"
#include "ns3/strict-flags.h"

#include <gtest/gtest.h>
#include <limits>

using namespace ns3;

namespace
{

/// The InputError message of f ("" if none was thrown).
template <typename F>
std::string
ErrorOf(F f)
{
    try
    {
        f();
    }
    catch (const InputError& e)
    {
        return e.what();
    }
    return "";
}

/// Parses args (after the program name) with a StrictFlags holding --users, --speed, --pcap,
/// --run (alias --RngRun) and --mode; returns the error ("" if none).
struct Program
{
    uint32_t users{10};
    double speed{1.4};
    bool pcap{true};
    uint32_t run{1};
    std::string mode{"analytic"};

    std::string Parse(const std::vector<std::string>& args)
    {
        StrictFlags flags("prog");
        flags.AddUnsigned("users", "devices", users, 1, 100000);
        flags.AddReal("speed", "m/s", speed, RealRange::NonNegative());
        flags.AddBool("pcap", "pcaps", pcap);
        flags.AddUnsigned("run", "run", run, 1, std::numeric_limits<uint32_t>::max());
        flags.AddAlias("RngRun", "run");
        flags.AddChoice("mode", "mode", mode, {"analytic", "packet"});
        std::vector<std::string> all{"prog"};
        all.insert(all.end(), args.begin(), args.end());
        return ErrorOf([&] { flags.Parse(all); });
    }
};

} // namespace

// what ns-3's CommandLine read as 1, 2, 10, 2^32-1 or threw bad_alloc for
TEST(StrictFlags, UnsignedRejectsWhatCommandLineTruncatedOrWrapped)
{
    for (const std::string bad : {"1e9",
                                  "2.7",
                                  "10x",
                                  "-1",
                                  "+5",
                                  " 5",
                                  "5 ",
                                  "0x10",
                                  "",
                                  "1000000000",
                                  "18446744073709551616"})
    {
        const std::string msg = ErrorOf([&] { ParseUnsignedFlag("--users", bad, 1, 100000); });
        EXPECT_NE(
            msg.find("--users='" + bad + "' is not allowed; expected an integer in 1 … 100000"),
            std::string::npos)
            << "'" << bad << "': " << msg;
    }
    EXPECT_EQ(ParseUnsignedFlag("--users", "100000", 1, 100000), 100000u);
    EXPECT_EQ(ParseUnsignedFlag("--users", "007", 1, 100000), 7u);
}

TEST(StrictFlags, RealIsFiniteDecimalInRange)
{
    EXPECT_DOUBLE_EQ(ParseRealFlag("--isd", "2e2", RealRange::Positive()), 200.0);
    EXPECT_DOUBLE_EQ(ParseRealFlag("--isd", ".5", RealRange::Positive()), 0.5);
    EXPECT_DOUBLE_EQ(ParseRealFlag("--x", "-3.25", RealRange::Any()), -3.25);
    for (const std::string bad : {"nan", "inf", "-inf", "0x1p3", "1e400", "1,5", "2 ", "", "1e"})
    {
        EXPECT_NE(ErrorOf([&] { ParseRealFlag("--x", bad, RealRange::Any()); }).find("--x='" + bad),
                  std::string::npos)
            << bad;
    }
    EXPECT_NE(ErrorOf([] {
                  ParseRealFlag("--speed", "-1", RealRange::NonNegative(), "m/s");
              }).find("expected a number >= 0 in m/s"),
              std::string::npos);
    RealRange share = RealRange::Closed(0, 1);
    share.hiOpen = true;
    EXPECT_NE(ErrorOf([&] { ParseRealFlag("--r", "1", share); }).find("a number in [0, 1)"),
              std::string::npos);
    EXPECT_DOUBLE_EQ(ParseRealFlag("--r", "0", share), 0.0);
}

TEST(StrictFlags, BoolAndList)
{
    EXPECT_TRUE(ParseBoolFlag("--pcap", ""));
    EXPECT_TRUE(ParseBoolFlag("--pcap", "1"));
    EXPECT_FALSE(ParseBoolFlag("--pcap", "false"));
    EXPECT_NE(ErrorOf([] { ParseBoolFlag("--pcap", "yes"); }).find("true, false, 1 or 0"),
              std::string::npos);
    EXPECT_EQ(ParseListFlag("--a", "fp,edge-only", "x,y"),
              (std::vector<std::string>{"fp", "edge-only"}));
    EXPECT_NE(ErrorOf([] { ParseListFlag("--a", "fp,fp", "x,y"); }).find("'fp' is repeated"),
              std::string::npos);
    EXPECT_NE(ErrorOf([] { ParseListFlag("--a", "fp,", "x,y"); }).find("an item is empty"),
              std::string::npos);
}

TEST(StrictFlags, ParsesGoodFlags)
{
    Program p;
    EXPECT_EQ(p.Parse({"--users=20", "--speed=3e0", "--pcap", "--run=4", "--mode=packet"}), "");
    EXPECT_EQ(p.users, 20u);
    EXPECT_DOUBLE_EQ(p.speed, 3.0);
    EXPECT_TRUE(p.pcap);
    EXPECT_EQ(p.run, 4u);
    EXPECT_EQ(p.mode, "packet");
    Program q;
    EXPECT_EQ(q.Parse({"-users=3", "--pcap=0"}), ""); // ns-3 takes one dash too
    EXPECT_EQ(q.users, 3u);
    EXPECT_FALSE(q.pcap);
}

TEST(StrictFlags, RejectsCommandLineMistakes)
{
    EXPECT_NE(Program().Parse({"--users=3", "--users=4"}).find("--users is given more than once"),
              std::string::npos);
    EXPECT_NE(Program().Parse({"--colour=red"}).find("unknown flag --colour"), std::string::npos);
    EXPECT_NE(Program().Parse({"5"}).find("unexpected argument '5'"), std::string::npos);
    EXPECT_NE(Program().Parse({"--users"}).find("--users needs a value"), std::string::npos);
    EXPECT_NE(Program()
                  .Parse({"--mode=fast"})
                  .find("--mode='fast' is not allowed; expected "
                        "analytic or packet"),
              std::string::npos);
    // a flag without its own alias: ns-3's global would be overridden silently
    StrictFlags flags("prog");
    EXPECT_NE(ErrorOf([&] {
                  flags.Parse(std::vector<std::string>{"prog", "--RngSeed=3"});
              }).find("--RngSeed is not used by prog"),
              std::string::npos);
}

// --RngRun used to be overridden by --run: now it is --run, and the two must agree
TEST(StrictFlags, RngRunIsAnotherNameOfRun)
{
    Program p;
    EXPECT_EQ(p.Parse({"--RngRun=7"}), "");
    EXPECT_EQ(p.run, 7u);
    Program q;
    EXPECT_EQ(q.Parse({"--run=7", "--RngRun=7"}), "");
    EXPECT_EQ(q.run, 7u);
    EXPECT_NE(
        Program().Parse({"--RngRun=2", "--run=1"}).find("--RngRun='2' and --run='1' disagree"),
        std::string::npos);
    EXPECT_NE(Program().Parse({"--RngRun=-1"}).find("--RngRun='-1' is not allowed"),
              std::string::npos);
}
