/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "strict-flags.h"

#include "ns3/abort.h"
#include "ns3/config.h"
#include "ns3/global-value.h"
#include "ns3/input-error.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

/// "<flag>='<text>' is not allowed; expected <allowed>"
[[noreturn]] void
Refuse(const std::string& flag, const std::string& text, const std::string& allowed)
{
    throw InputError(flag + "='" + text + "' is not allowed; expected " + allowed);
}

/// A number as --help and messages show it (shortest round-trip form).
std::string
Show(double x)
{
    std::ostringstream os;
    os.precision(15);
    os << x;
    return os.str();
}

/// Options ns-3's CommandLine handles itself.
const std::set<std::string> kNs3Options = {"help",
                                           "PrintHelp",
                                           "PrintGlobals",
                                           "PrintGroups",
                                           "PrintGroup",
                                           "PrintTypeIds",
                                           "PrintAttributes",
                                           "PrintVersion",
                                           "version"};

/**
 * ns-3's number attribute values abort the program on text they cannot read whole
 * (UintegerValue on "abc" or "10x"): read numbers strictly before handing them to Config.
 * @param name "ns3::Type::Attribute"
 * @param text the value
 * @return whether the text suits the attribute's value type (true if not a number type)
 */
bool
SuitsAttribute(const std::string& name, const std::string& text)
{
    const size_t cut = name.rfind("::");
    TypeId tid;
    TypeId::AttributeInformation info;
    if (cut == std::string::npos || !TypeId::LookupByNameFailSafe(name.substr(0, cut), &tid) ||
        !tid.LookupAttributeByName(name.substr(cut + 2), &info))
    {
        return true; // not an attribute: Config says so
    }
    const std::string type = info.checker->GetValueTypeName();
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    if (type == "ns3::UintegerValue")
    {
        return digits;
    }
    if (type == "ns3::IntegerValue")
    {
        return digits || (text.size() > 1 && text[0] == '-' &&
                          text.find_first_not_of("0123456789", 1) == std::string::npos);
    }
    if (type == "ns3::DoubleValue")
    {
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(text.c_str(), &end);
        return !text.empty() && text.find_first_not_of("0123456789+-.eE") == std::string::npos &&
               *end == '\0' && errno == 0 && std::isfinite(v);
    }
    return true;
}

/// @return whether name is one of ns-3's global values (RngRun, SchedulerType, …)
bool
IsGlobalValue(const std::string& name)
{
    for (auto it = GlobalValue::Begin(); it != GlobalValue::End(); ++it)
    {
        if ((*it)->GetName() == name)
        {
            return true;
        }
    }
    return false;
}

} // namespace

uint64_t
ParseUnsignedFlag(const std::string& flag,
                  const std::string& text,
                  uint64_t lo,
                  uint64_t hi,
                  const std::string& unit)
{
    const std::string allowed = "an integer in " + std::to_string(lo) + " … " + std::to_string(hi) +
                                (unit.empty() ? "" : " (" + unit + ")");
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    {
        Refuse(flag, text, allowed);
    }
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
    if (errno != 0 || v < lo || v > hi)
    {
        Refuse(flag, text, allowed);
    }
    return v;
}

RealRange
RealRange::Any()
{
    return RealRange{};
}

RealRange
RealRange::NonNegative()
{
    RealRange r;
    r.lo = 0;
    return r;
}

RealRange
RealRange::Positive()
{
    RealRange r;
    r.lo = 0;
    r.loOpen = true;
    return r;
}

RealRange
RealRange::Closed(double lo, double hi)
{
    RealRange r;
    r.lo = lo;
    r.hi = hi;
    return r;
}

bool
RealRange::Contains(double x) const
{
    const bool aboveLo = loOpen ? x > lo : x >= lo;
    const bool belowHi = hiOpen ? x < hi : x <= hi;
    return std::isfinite(x) && aboveLo && belowHi;
}

std::string
RealRange::Describe() const
{
    const bool hasLo = std::isfinite(lo);
    const bool hasHi = std::isfinite(hi);
    if (hasLo && hasHi)
    {
        return std::string("a number in ") + (loOpen ? "(" : "[") + Show(lo) + ", " + Show(hi) +
               (hiOpen ? ")" : "]");
    }
    if (hasLo)
    {
        return std::string("a number ") + (loOpen ? "> " : ">= ") + Show(lo);
    }
    if (hasHi)
    {
        return std::string("a number ") + (hiOpen ? "< " : "<= ") + Show(hi);
    }
    return "a finite number";
}

double
ParseRealFlag(const std::string& flag,
              const std::string& text,
              const RealRange& range,
              const std::string& unit)
{
    const std::string allowed = range.Describe() + (unit.empty() ? "" : " in " + unit);
    // decimal or exponent notation only: no spaces, hex, inf or nan
    if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos)
    {
        Refuse(flag, text, allowed);
    }
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || errno != 0 || !range.Contains(v))
    {
        Refuse(flag, text, allowed);
    }
    return v;
}

bool
ParseBoolFlag(const std::string& flag, const std::string& text)
{
    if (text.empty() || text == "true" || text == "1")
    {
        return true;
    }
    if (text == "false" || text == "0")
    {
        return false;
    }
    Refuse(flag, text, "true, false, 1 or 0");
}

std::vector<std::string>
ParseListFlag(const std::string& flag, const std::string& text, const std::string& example)
{
    const std::string allowed =
        "a comma-separated list without empty or repeated items, e.g. " + example;
    std::vector<std::string> items;
    size_t start = 0;
    while (true)
    {
        const size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma - start);
        if (item.empty())
        {
            Refuse(flag, text, allowed + " (an item is empty)");
        }
        if (std::find(items.begin(), items.end(), item) != items.end())
        {
            Refuse(flag, text, allowed + " ('" + item + "' is repeated)");
        }
        items.push_back(item);
        if (comma == std::string::npos)
        {
            break;
        }
        start = comma + 1;
    }
    return items;
}

StrictFlags::StrictFlags(const std::string& program)
    : m_program(program),
      m_cmd(std::make_unique<CommandLine>(program))
{
}

CommandLine&
StrictFlags::GetCommandLine()
{
    return *m_cmd;
}

void
StrictFlags::Add(const std::string& name,
                 const std::string& help,
                 const std::string& defaultText,
                 Flag flag)
{
    NS_ABORT_MSG_IF(m_flags.count(name) || m_alias.count(name), "flag --" << name << " twice");
    m_flags[name] = std::move(flag);
    m_order.push_back(name);
    // ns-3 lists it in --help; the value itself never goes through CommandLine (see Parse)
    m_cmd->AddValue(name,
                    help,
                    Callback<bool, std::string>([](std::string) { return true; }),
                    defaultText);
}

void
StrictFlags::AddUnsigned(const std::string& name,
                         const std::string& help,
                         uint32_t& target,
                         uint32_t lo,
                         uint32_t hi)
{
    Flag f;
    f.read = [&target, lo, hi](const std::string& flag, const std::string& text) {
        target = static_cast<uint32_t>(ParseUnsignedFlag(flag, text, lo, hi));
    };
    Add(name,
        help + " [integer " + std::to_string(lo) + " … " + std::to_string(hi) + "]",
        std::to_string(target),
        std::move(f));
}

void
StrictFlags::AddUnsigned64(const std::string& name,
                           const std::string& help,
                           uint64_t& target,
                           uint64_t lo,
                           uint64_t hi)
{
    Flag f;
    f.read = [&target, lo, hi](const std::string& flag, const std::string& text) {
        target = ParseUnsignedFlag(flag, text, lo, hi);
    };
    Add(name,
        help + " [integer " + std::to_string(lo) + " … " + std::to_string(hi) + "]",
        std::to_string(target),
        std::move(f));
}

void
StrictFlags::AddReal(const std::string& name,
                     const std::string& help,
                     double& target,
                     const RealRange& range)
{
    Flag f;
    f.read = [&target, range](const std::string& flag, const std::string& text) {
        target = ParseRealFlag(flag, text, range);
    };
    Add(name, help + " [" + range.Describe() + "]", Show(target), std::move(f));
}

void
StrictFlags::AddBool(const std::string& name, const std::string& help, bool& target)
{
    Flag f;
    f.isBool = true;
    f.read = [&target](const std::string& flag, const std::string& text) {
        target = ParseBoolFlag(flag, text);
    };
    Add(name, help, target ? "true" : "false", std::move(f));
}

void
StrictFlags::AddString(const std::string& name,
                       const std::string& help,
                       std::string& target,
                       bool allowEmpty)
{
    Flag f;
    f.read = [&target, allowEmpty](const std::string& flag, const std::string& text) {
        if (text.empty() && !allowEmpty)
        {
            Refuse(flag, text, "a non-empty value");
        }
        target = text;
    };
    Add(name, help, target, std::move(f));
}

void
StrictFlags::AddChoice(const std::string& name,
                       const std::string& help,
                       std::string& target,
                       const std::vector<std::string>& allowed)
{
    std::string list;
    for (size_t i = 0; i < allowed.size(); ++i)
    {
        list += (i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", ")) + allowed[i];
    }
    Flag f;
    f.read = [&target, allowed, list](const std::string& flag, const std::string& text) {
        if (std::find(allowed.begin(), allowed.end(), text) == allowed.end())
        {
            Refuse(flag, text, list);
        }
        target = text;
    };
    Add(name, help + " [" + list + "]", target, std::move(f));
}

void
StrictFlags::AddValue(const std::string& name, const std::string& help, std::string& target)
{
    AddString(name, help, target);
}

void
StrictFlags::AddValue(const std::string& name, const std::string& help, double& target)
{
    AddReal(name, help, target, RealRange::Any());
}

void
StrictFlags::AddValue(const std::string& name, const std::string& help, uint32_t& target)
{
    AddUnsigned(name, help, target, 0, std::numeric_limits<uint32_t>::max());
}

void
StrictFlags::AddValue(const std::string& name, const std::string& help, bool& target)
{
    AddBool(name, help, target);
}

void
StrictFlags::AddAlias(const std::string& alias, const std::string& name)
{
    NS_ABORT_MSG_UNLESS(m_flags.count(name), "alias of an unknown flag --" << name);
    NS_ABORT_MSG_IF(m_flags.count(alias) || m_alias.count(alias), "flag --" << alias << " twice");
    m_alias[alias] = name;
}

std::string
StrictFlags::Canonical(const std::string& name) const
{
    if (m_flags.count(name))
    {
        return name;
    }
    const auto it = m_alias.find(name);
    return it == m_alias.end() ? "" : it->second;
}

bool
StrictFlags::WasGiven(const std::string& name) const
{
    const auto it = m_flags.find(Canonical(name));
    return it != m_flags.end() && it->second.given;
}

void
StrictFlags::Parse(int argc, char* argv[])
{
    Parse(std::vector<std::string>(argv, argv + argc));
}

void
StrictFlags::Parse(const std::vector<std::string>& args)
{
    std::vector<std::string> forwarded{args.empty() ? m_program : args.front()};
    std::vector<std::string> givenOrder;
    for (size_t i = 1; i < args.size(); ++i)
    {
        const std::string& arg = args[i];
        if (arg.size() < 2 || arg[0] != '-')
        {
            throw InputError("unexpected argument '" + arg +
                             "'; flags are written --name=value (see --help)");
        }
        const std::string body = arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
        const size_t eq = body.find('=');
        const std::string name = body.substr(0, eq);
        const bool hasValue = eq != std::string::npos;
        const std::string text = hasValue ? body.substr(eq + 1) : "";
        const std::string canonical = Canonical(name);
        if (canonical.empty())
        {
            if (kNs3Options.count(name))
            {
                forwarded.push_back(arg); // ns-3's own option (--help, --PrintAttributes=…)
                continue;
            }
            if (name == "RngRun" || name == "RngSeed")
            {
                throw InputError("--" + name + " is not used by " + m_program +
                                 ": it seeds ns-3's RNG from its own flags (see --help)");
            }
            if (name.find("::") != std::string::npos || IsGlobalValue(name))
            {
                // an attribute default or a global value, set as ns-3's CommandLine would,
                // but with one error line
                const bool set = SuitsAttribute(name, text) &&
                                 (Config::SetGlobalFailSafe(name, StringValue(text)) ||
                                  Config::SetDefaultFailSafe(name, StringValue(text)));
                if (!set)
                {
                    throw InputError("--" + name + "='" + text +
                                     "' is not allowed; expected an existing attribute "
                                     "(ns3::Type::Name) or global value and a value it accepts "
                                     "(see --PrintAttributes=ns3::Type, --PrintGlobals)");
                }
                continue;
            }
            throw InputError("unknown flag --" + name + " (see --help for the flags of " +
                             m_program + ")");
        }
        Flag& flag = m_flags.at(canonical);
        if (!hasValue && !flag.isBool)
        {
            throw InputError("--" + name + " needs a value: --" + name + "=<value> (see --help)");
        }
        if (flag.given)
        {
            if (flag.givenAs == name)
            {
                throw InputError("--" + name + " is given more than once; give it once");
            }
            if (flag.text != text)
            {
                throw InputError("--" + flag.givenAs + "='" + flag.text + "' and --" + name + "='" +
                                 text + "' disagree: both name the same setting (--" + canonical +
                                 "); give one of them");
            }
            continue;
        }
        flag.given = true;
        flag.givenAs = name;
        flag.text = text;
        givenOrder.push_back(canonical);
    }
    m_cmd->Parse(forwarded); // --help & co. print and exit here; attributes are set
    for (const auto& canonical : givenOrder)
    {
        const Flag& flag = m_flags.at(canonical);
        flag.read("--" + flag.givenAs, flag.text);
    }
}

} // namespace ns3
