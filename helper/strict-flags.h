/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_STRICT_FLAGS_H
#define EDGE_LLM_STRICT_FLAGS_H

#include "ns3/command-line.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * Parse a flag's text as an unsigned integer in [lo, hi]: only the digits 0-9, the whole text,
 * no sign, no exponent, no fraction.
 * @param flag the flag as the user typed it (e.g. "--users")
 * @param text the value
 * @param lo smallest value allowed
 * @param hi largest value allowed
 * @param unit what the number counts or its unit, for the message (may be empty)
 * @return the value
 * @throws InputError "<flag>='<text>' is not allowed; expected an integer in lo … hi"
 */
uint64_t ParseUnsignedFlag(const std::string& flag,
                           const std::string& text,
                           uint64_t lo,
                           uint64_t hi,
                           const std::string& unit = "");

/**
 * @ingroup edge-llm
 * @brief The interval a real-valued flag may take (closed or open at each end; always finite).
 */
struct RealRange
{
    double lo{-std::numeric_limits<double>::infinity()}; //!< lower bound
    double hi{std::numeric_limits<double>::infinity()};  //!< upper bound
    bool loOpen{false};                                  //!< lo itself is not allowed
    bool hiOpen{false};                                  //!< hi itself is not allowed

    /** @return any finite number */
    static RealRange Any();
    /** @return x >= 0 */
    static RealRange NonNegative();
    /** @return x > 0 */
    static RealRange Positive();
    /**
     * @param lo lower bound (inclusive)
     * @param hi upper bound (inclusive)
     * @return lo <= x <= hi
     */
    static RealRange Closed(double lo, double hi);
    /** @return the range in words, e.g. "a number >= 0" or "a number in [0, 1)" */
    std::string Describe() const;
    /**
     * @param x a finite number
     * @return whether x lies in the range
     */
    bool Contains(double x) const;
};

/**
 * @ingroup edge-llm
 * Parse a flag's text as a finite real number in a range (decimal or exponent notation; the
 * whole text; no nan, inf, hex or surrounding spaces).
 * @param flag the flag as the user typed it
 * @param text the value
 * @param range what is allowed
 * @param unit the unit, for the message (may be empty)
 * @return the value
 * @throws InputError "<flag>='<text>' is not allowed; expected <range> [in <unit>]"
 */
double ParseRealFlag(const std::string& flag,
                     const std::string& text,
                     const RealRange& range,
                     const std::string& unit = "");

/**
 * @ingroup edge-llm
 * Parse a flag's text as a boolean: true, false, 1, 0 (an empty text, i.e. the bare flag, is
 * true, as in ns-3's CommandLine).
 * @param flag the flag
 * @param text the value
 * @return the value
 * @throws InputError for anything else
 */
bool ParseBoolFlag(const std::string& flag, const std::string& text);

/**
 * @ingroup edge-llm
 * Split a comma-separated list; empty items and repeated items are errors.
 * @param flag the flag
 * @param text the value
 * @param example an example of a good list, for the message
 * @return the items in order
 * @throws InputError naming the empty or repeated item
 */
std::vector<std::string> ParseListFlag(const std::string& flag,
                                       const std::string& text,
                                       const std::string& example);

/**
 * @ingroup edge-llm
 * @brief A program's flags with strict, range-checked parsing on top of ns-3's CommandLine.
 *
 * ns-3's CommandLine reads unsigned flags leniently (`--users=1e9` gives 1, `--rounds=-1`
 * wraps). Every flag added here is handed to CommandLine as text (so `--help` lists it with
 * its default and range, and ns-3's own options, `--ns3::…` attribute defaults and global
 * values keep working) and parsed by Parse() with the readers above: the whole text, the
 * type, the range. Parse() also rejects unknown flags, positional arguments, a flag given
 * twice and a value-less non-boolean flag, each with one InputError naming the flag and what
 * is allowed. Programs catch InputError in main(), print "<program>: error: <message>" and
 * exit with code 2.
 *
 * `--RngRun` / `--RngSeed` (ns-3's global values) are accepted only as aliases of a program
 * flag declared with AddAlias() (e.g. `--RngRun` for `--run`); when both names are given
 * they must agree. Without an alias they are an error, as the program seeds ns-3's RNG from
 * its own flags and would silently override them.
 */
class StrictFlags
{
  public:
    /**
     * @param program the program's name (for messages)
     */
    explicit StrictFlags(const std::string& program);

    /**
     * An unsigned integer flag.
     * @param name flag name without dashes
     * @param help help text
     * @param target where the value goes (its current value is the default)
     * @param lo smallest value allowed
     * @param hi largest value allowed
     */
    void AddUnsigned(const std::string& name,
                     const std::string& help,
                     uint32_t& target,
                     uint32_t lo,
                     uint32_t hi);

    /**
     * A 64-bit unsigned integer flag.
     * @param name flag name without dashes
     * @param help help text
     * @param target where the value goes
     * @param lo smallest value allowed
     * @param hi largest value allowed
     */
    void AddUnsigned64(const std::string& name,
                       const std::string& help,
                       uint64_t& target,
                       uint64_t lo,
                       uint64_t hi);

    /**
     * A real-valued flag.
     * @param name flag name without dashes
     * @param help help text (with the unit)
     * @param target where the value goes
     * @param range what is allowed
     */
    void AddReal(const std::string& name,
                 const std::string& help,
                 double& target,
                 const RealRange& range);

    /**
     * A boolean flag (true, false, 1, 0; the bare flag is true).
     * @param name flag name without dashes
     * @param help help text
     * @param target where the value goes
     */
    void AddBool(const std::string& name, const std::string& help, bool& target);

    /**
     * A text flag (a path, a name checked later by the code that uses it).
     * @param name flag name without dashes
     * @param help help text
     * @param target where the value goes
     * @param allowEmpty whether an empty value is allowed
     */
    void AddString(const std::string& name,
                   const std::string& help,
                   std::string& target,
                   bool allowEmpty = false);

    /**
     * A text flag with a fixed set of values.
     * @param name flag name without dashes
     * @param help help text
     * @param target where the value goes
     * @param allowed the values allowed
     */
    void AddChoice(const std::string& name,
                   const std::string& help,
                   std::string& target,
                   const std::vector<std::string>& allowed);

    /**
     * ns-3-style shorthands, so that code written for CommandLine::AddValue adopts strict
     * parsing by changing only the object: text (non-empty), any finite real, an unsigned
     * integer in 0 … 2^32-1, a boolean. Prefer the typed Add… with a range.
     * @param name flag name without dashes
     * @param help help text
     * @param target where the value goes
     */
    void AddValue(const std::string& name, const std::string& help, std::string& target);
    /** @copydoc AddValue(const std::string&,const std::string&,std::string&) */
    void AddValue(const std::string& name, const std::string& help, double& target);
    /** @copydoc AddValue(const std::string&,const std::string&,std::string&) */
    void AddValue(const std::string& name, const std::string& help, uint32_t& target);
    /** @copydoc AddValue(const std::string&,const std::string&,std::string&) */
    void AddValue(const std::string& name, const std::string& help, bool& target);

    /**
     * Another name for a flag added before (an old name, or ns-3's RngRun/RngSeed). Giving
     * both names is an error unless the values are the same text.
     * @param alias the other name, without dashes
     * @param name the flag it stands for
     */
    void AddAlias(const std::string& alias, const std::string& name);

    /**
     * Parse the command line: ns-3's CommandLine first (its --help, --Print…, --ns3::… and
     * global values), then every flag strictly.
     * @param argc argument count
     * @param argv arguments
     * @throws InputError for the first bad argument
     */
    void Parse(int argc, char* argv[]);

    /**
     * Parse arguments given as strings (the first is the program name), as Parse(argc, argv).
     * @param args the arguments
     * @throws InputError for the first bad argument
     */
    void Parse(const std::vector<std::string>& args);

    /**
     * @param name flag name without dashes
     * @return whether the flag (or one of its aliases) was given
     */
    bool WasGiven(const std::string& name) const;

    /** @return the underlying ns-3 command line (to add a Usage text) */
    CommandLine& GetCommandLine();

  private:
    /** One flag: its reader and what was given. */
    struct Flag
    {
        std::function<void(const std::string& flag, const std::string& text)> read; //!< reader
        bool isBool{false};  //!< a bare --name means true
        bool given{false};   //!< seen on the command line
        std::string givenAs; //!< the name it was given under
        std::string text;    //!< its value
    };

    /**
     * Register a flag.
     * @param name flag name
     * @param help help text
     * @param defaultText the default, as shown by --help
     * @param flag the flag
     */
    void Add(const std::string& name,
             const std::string& help,
             const std::string& defaultText,
             Flag flag);

    /**
     * @param name a flag name or alias
     * @return the canonical name, or "" if unknown
     */
    std::string Canonical(const std::string& name) const;

    std::string m_program;                      //!< program name
    std::unique_ptr<CommandLine> m_cmd;         //!< ns-3's command line
    std::map<std::string, Flag> m_flags;        //!< flags by name
    std::map<std::string, std::string> m_alias; //!< alias -> name
    std::vector<std::string> m_order;           //!< flag names in the order added
};

} // namespace ns3

#endif // EDGE_LLM_STRICT_FLAGS_H
