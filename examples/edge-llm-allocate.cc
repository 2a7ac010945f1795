/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Solver command line: solves one round instance with an allocator and prints the decision and
 * its cost terms as one JSON object, or draws a random instance.
 *
 *   edge-llm-allocate --instance FILE.json --allocator NAME [--objective paper|delay-aware]
 *                     [--delay sum|makespan] [--rate-model snapshot|ergodic] [--seed N]
 *                     [--output FILE]
 *   edge-llm-allocate --generate N M [--preset paper|realistic] [--seed S] [--output FILE]
 *                     [--objective MODE] [--delay sum|makespan] [--rate-model MODEL]
 *                     [--min-rate-bps R]
 *                     [--inter-site-distance-m D] [--model NAME] [--batch B] [--seq D]
 *                     [--profile-csv FILE]
 *   edge-llm-allocate --list-allocators
 *
 * Flags take their value as the next argument or after '='. Bad flags or a bad instance print
 * one line "edge-llm-allocate: error: …" on stderr and exit with code 2.
 */
#include "ns3/edge-llm-module.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/string.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const char* const kProgram = "edge-llm-allocate";

const char* const kUsage =
    "usage:\n"
    "  edge-llm-allocate --instance FILE.json --allocator NAME [--objective paper|delay-aware]\n"
    "                    [--delay sum|makespan] [--rate-model snapshot|ergodic] [--seed N]\n"
    "                    [--output FILE] [--allocatorCommand 'python3 my.py' (--allocator "
    "external)]\n"
    "  edge-llm-allocate --generate N M [--preset paper|realistic] [--seed S] [--output FILE]\n"
    "                    [--objective paper|delay-aware] [--delay sum|makespan]\n"
    "                    [--rate-model snapshot|ergodic]\n"
    "                    [--min-rate-bps R] [--inter-site-distance-m D]\n"
    "                    [--model NAME] [--batch B] [--seq D] [--profile-csv FILE]\n"
    "  edge-llm-allocate --list-allocators\n"
    "  edge-llm-allocate --help\n"
    "Solving prints one JSON object (allocation, cost terms, objective value); generating\n"
    "prints the instance JSON. Errors: one line on stderr, exit code 2.\n";

/** Flags that take one value (besides --generate, which takes two). */
const std::vector<std::string> kValueFlags = {"instance",
                                              "allocator",
                                              "allocatorCommand",
                                              "objective",
                                              "delay",
                                              "rate-model",
                                              "seed",
                                              "output",
                                              "preset",
                                              "min-rate-bps",
                                              "inter-site-distance-m",
                                              "model",
                                              "batch",
                                              "seq",
                                              "profile-csv"};

/** Flags valid only when generating. */
const std::vector<std::string> kGenerateOnly =
    {"preset", "min-rate-bps", "inter-site-distance-m", "model", "batch", "seq", "profile-csv"};

bool
Contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

/** Parsed command line: flag name (without dashes) -> values. */
struct Args
{
    std::map<std::string, std::vector<std::string>> flags;

    bool Has(const std::string& f) const
    {
        return flags.count(f) > 0;
    }

    std::string Get(const std::string& f) const
    {
        return flags.at(f).front();
    }
};

Args
Parse(int argc, char* argv[])
{
    Args args;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0 || arg.size() == 2)
        {
            throw InputError("unexpected argument '" + arg + "'; flags start with -- (see --help)");
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        const auto eq = name.find('=');
        if (eq != std::string::npos)
        {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (args.Has(name))
        {
            throw InputError("flag --" + name + " is given more than once");
        }
        auto next = [&](const std::string& what) {
            if (i + 1 >= argc)
            {
                throw InputError("flag --" + name + " needs " + what);
            }
            return std::string(argv[++i]);
        };
        std::vector<std::string> values;
        if (name == "help" || name == "list-allocators")
        {
            if (inlineValue)
            {
                throw InputError("flag --" + name + " takes no value");
            }
        }
        else if (name == "generate")
        {
            // --generate N M, --generate=N M or --generate=N,M
            if (inlineValue && inlineValue->find(',') != std::string::npos)
            {
                const auto comma = inlineValue->find(',');
                values = {inlineValue->substr(0, comma), inlineValue->substr(comma + 1)};
            }
            else
            {
                values.push_back(inlineValue ? *inlineValue
                                             : next("two values: users N, servers M"));
                values.push_back(next("two values: users N, servers M"));
            }
        }
        else if (Contains(kValueFlags, name))
        {
            values.push_back(inlineValue ? *inlineValue : next("a value"));
        }
        else
        {
            std::string known = "--generate, --list-allocators, --help";
            for (const auto& f : kValueFlags)
            {
                known += ", --" + f;
            }
            throw InputError("unknown flag --" + name + "; known flags: " + known);
        }
        args.flags[name] = values;
    }
    return args;
}

/** Strict unsigned integer in [lo, hi] (the shared flag reader, helper/strict-flags.h). */
uint64_t
ParseUnsigned(const std::string& text, const std::string& flag, uint64_t lo, uint64_t hi)
{
    return ParseUnsignedFlag("--" + flag, text, lo, hi);
}

/** Strict finite non-negative real (the shared flag reader). */
double
ParseReal(const std::string& text, const std::string& flag)
{
    return ParseRealFlag("--" + flag, text, RealRange::NonNegative());
}

/** Writes text to --output (if given) or stdout. */
void
Emit(const Args& args, const std::string& text)
{
    if (args.Has("output"))
    {
        const std::string path = args.Get("output");
        std::ofstream out(path);
        if (!out || !(out << text) || !(out.flush()))
        {
            throw InputError("--output '" + path +
                             "' cannot be written: check that the folder "
                             "exists and is writable");
        }
        return;
    }
    std::cout << text << std::flush;
}

int
Run(int argc, char* argv[])
{
    const Args args = Parse(argc, argv);
    if (args.Has("help"))
    {
        std::cout << kUsage;
        return 0;
    }
    const int modes = args.Has("instance") + args.Has("generate") + args.Has("list-allocators");
    if (modes != 1)
    {
        throw InputError("give exactly one of --instance FILE (solve), --generate N M or "
                         "--list-allocators (see --help)");
    }
    if (args.Has("list-allocators"))
    {
        if (args.flags.size() != 1)
        {
            throw InputError("--list-allocators takes no other flag");
        }
        for (const auto& [shortName, typeName] : SplitAllocator::KnownAllocators())
        {
            std::cout << shortName << "\t" << typeName << "\n";
        }
        return 0;
    }
    if (args.Has("generate"))
    {
        if (args.Has("allocator") || args.Has("allocatorCommand"))
        {
            throw InputError("--allocator and --allocatorCommand are for solving (--instance); "
                             "--generate only writes "
                             "an instance");
        }
        const auto& nm = args.flags.at("generate");
        GeneratorOptions o;
        o.users = static_cast<uint32_t>(ParseUnsigned(nm[0], "generate (users N)", 1, 100000));
        o.servers = static_cast<uint32_t>(ParseUnsigned(nm[1], "generate (servers M)", 1, 10000));
        if (args.Has("preset"))
        {
            o.preset = args.Get("preset");
            if (o.preset != "paper" && o.preset != "realistic")
            {
                throw InputError("--preset = '" + o.preset +
                                 "' is unknown; allowed values: paper, realistic");
            }
        }
        if (args.Has("seed"))
        {
            o.seed = ParseUnsigned(args.Get("seed"), "seed", 0, UINT64_MAX);
        }
        if (args.Has("objective"))
        {
            o.objective.mode = ParseObjectiveMode(args.Get("objective"), "--objective");
        }
        if (args.Has("delay"))
        {
            o.objective.delay = ParseDelayAggregate(args.Get("delay"), "--delay");
        }
        if (args.Has("rate-model"))
        {
            o.objective.rateModel = ParseRateModel(args.Get("rate-model"), "--rate-model");
        }
        if (args.Has("min-rate-bps"))
        {
            o.objective.minRateBps = ParseReal(args.Get("min-rate-bps"), "min-rate-bps");
        }
        if (args.Has("inter-site-distance-m"))
        {
            o.interSiteDistanceM =
                ParseReal(args.Get("inter-site-distance-m"), "inter-site-distance-m");
        }
        const bool realistic = o.preset == "realistic";
        for (const char* f : {"model", "batch", "seq", "profile-csv"})
        {
            if (args.Has(f) && !realistic)
            {
                throw InputError(std::string("--") + f + " applies to --preset realistic only");
            }
        }
        if (args.Has("model"))
        {
            o.model = args.Get("model");
        }
        if (args.Has("batch"))
        {
            o.batch = static_cast<uint32_t>(ParseUnsigned(args.Get("batch"), "batch", 1, 1 << 20));
        }
        if (args.Has("seq"))
        {
            o.seqLen = static_cast<uint32_t>(ParseUnsigned(args.Get("seq"), "seq", 1, 1 << 24));
        }
        if (args.Has("profile-csv"))
        {
            o.profileCsv = args.Get("profile-csv");
        }
        std::ostringstream os;
        WriteRoundStateJson(RoundStateGenerator::Generate(o), os);
        Emit(args, os.str());
        return 0;
    }

    // ---- solve ---------------------------------------------------------------------------------
    for (const auto& f : kGenerateOnly)
    {
        if (args.Has(f))
        {
            throw InputError("--" + f + " applies to --generate only");
        }
    }
    if (!args.Has("allocator"))
    {
        throw InputError("--instance needs --allocator NAME (see --list-allocators)");
    }
    // flags first, so that a bad flag is reported before the instance is read
    std::optional<ObjectiveMode> mode;
    std::optional<DelayAggregate> delay;
    std::optional<RateModel> rateModel;
    if (args.Has("objective"))
    {
        mode = ParseObjectiveMode(args.Get("objective"), "--objective");
    }
    if (args.Has("delay"))
    {
        delay = ParseDelayAggregate(args.Get("delay"), "--delay");
    }
    if (args.Has("rate-model"))
    {
        rateModel = ParseRateModel(args.Get("rate-model"), "--rate-model");
    }
    if (args.Has("seed"))
    {
        RngSeedManager::SetSeed(
            static_cast<uint32_t>(ParseUnsigned(args.Get("seed"), "seed", 1, UINT32_MAX)));
    }
    RoundState state = ReadRoundStateJson(args.Get("instance"));
    if (mode)
    {
        state.objective.mode = *mode;
    }
    if (delay)
    {
        state.objective.delay = *delay;
    }
    if (rateModel)
    {
        state.objective.rateModel = *rateModel;
    }
    Ptr<SplitAllocator> allocator = SplitAllocator::CreateByName(args.Get("allocator"));
    if (args.Has("allocatorCommand"))
    {
        Require(allocator->GetInstanceTypeId() == ExternalAllocator::GetTypeId(),
                "--allocatorCommand",
                args.Get("allocatorCommand"),
                "only with --allocator external");
        allocator->SetAttribute("Command", StringValue(args.Get("allocatorCommand")));
    }
    allocator->AssignStreams(0);
    const Allocation a = allocator->Allocate(state);
    std::ostringstream os;
    WriteAllocationJson(a, state, ObjectiveModeName(state.objective.mode), os);
    Emit(args, os.str());
    return 0;
}

/** @return message on one line */
std::string
OneLine(std::string s)
{
    for (char& c : s)
    {
        if (c == '\n' || c == '\r')
        {
            c = ' ';
        }
    }
    return s;
}

} // namespace

int
main(int argc, char* argv[])
{
    try
    {
        return Run(argc, argv);
    }
    catch (const InputError& e)
    {
        std::cerr << kProgram << ": error: " << OneLine(e.what()) << std::endl;
    }
    catch (const std::exception& e)
    {
        std::cerr << kProgram << ": error: " << OneLine(e.what()) << std::endl;
    }
    return 2;
}
