/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-state-json.h"

#include "ns3/input-error.h"
#include "ns3/log.h"
#include "ns3/split-cost-model.h"

#include <algorithm>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRoundStateJson");

namespace
{

using boost::property_tree::ptree;

// ---- names ---------------------------------------------------------------------------------

const char* const kTopKeys[] = {"layers", "objective", "noise_psd_w_per_hz", "users", "servers"};
const char* const kObjectiveKeys[] = {"mode",
                                      "w_time",
                                      "w_energy",
                                      "w_stability",
                                      "min_rate_bps",
                                      "delay",
                                      "min_device_layers",
                                      "rate_model"};
const char* const kUserRequired[] = {"flops_per_layer",
                                     "payload_bits",
                                     "downlink_bits",
                                     "cores",
                                     "flops_per_cycle",
                                     "f_max_hz",
                                     "kappa",
                                     "p_max_w",
                                     "lipschitz",
                                     "dataset_size",
                                     "gain"};
const char* const kUserOptional[] = {"tokens", "batch", "max_device_layers"};
const char* const kServerKeys[] =
    {"bandwidth_hz", "f_max_hz", "cores", "flops_per_cycle", "kappa", "tx_power_w"};
const char* const kAllocationKeys[] = {"allocator",
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
const char* const kDecisionKeys[] =
    {"server", "alpha", "power_w", "bandwidth_hz", "freq_hz", "edge_freq_hz"};

/**
 * @param s text
 * @return true when the whole of s is a JSON number (RFC 8259 grammar)
 */
bool
IsJsonNumber(const std::string& s)
{
    size_t i = 0;
    const size_t n = s.size();
    auto digit = [&s](size_t k) { return s[k] >= '0' && s[k] <= '9'; };
    if (i < n && s[i] == '-')
    {
        ++i;
    }
    if (i >= n || !digit(i))
    {
        return false;
    }
    if (s[i] == '0')
    {
        ++i;
    }
    else
    {
        while (i < n && digit(i))
        {
            ++i;
        }
    }
    if (i < n && s[i] == '.')
    {
        ++i;
        if (i >= n || !digit(i))
        {
            return false;
        }
        while (i < n && digit(i))
        {
            ++i;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E'))
    {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
        {
            ++i;
        }
        if (i >= n || !digit(i))
        {
            return false;
        }
        while (i < n && digit(i))
        {
            ++i;
        }
    }
    return i == n;
}

/** Checks a parsed ptree against the instance format, one clear InputError per problem. */
class InstanceReader
{
  public:
    explicit InstanceReader(const std::string& name)
        : m_name(name)
    {
    }

    RoundState Read(const ptree& root) const
    {
        RoundState s;
        const std::string top = "top-level object";
        CheckObject(root, top, Known(std::begin(kTopKeys), std::end(kTopKeys)));
        s.layers = Integer(Required(root, top, "layers"), "layers");
        s.noisePsdWPerHz = Number(Required(root, top, "noise_psd_w_per_hz"), "noise_psd_w_per_hz");
        if (auto obj = root.get_child_optional("objective"))
        {
            s.objective = ReadObjective(*obj);
        }
        const ptree& servers = Required(root, top, "servers");
        CheckArray(servers, "servers");
        for (const auto& [key, node] : servers)
        {
            s.servers.push_back(ReadServer(node, s.servers.size()));
        }
        if (s.servers.empty())
        {
            Fail("servers is empty; expected at least one server");
        }
        const ptree& users = Required(root, top, "users");
        CheckArray(users, "users");
        for (const auto& [key, node] : users)
        {
            s.users.push_back(ReadUser(node, s.users.size(), s.servers.size()));
        }
        return s;
    }

    /** An allocation in WriteAllocationJson's format; only "users" is required. */
    Allocation ReadAllocation(const ptree& root, size_t users) const
    {
        const std::string top = "top-level object";
        CheckObject(root, top, Known(std::begin(kAllocationKeys), std::end(kAllocationKeys)));
        Allocation a;
        if (auto v = root.get_child_optional("allocator"))
        {
            a.allocator = String(*v, "allocator");
        }
        if (auto v = root.get_child_optional("iterations"))
        {
            a.iterations = Integer(*v, "iterations");
        }
        const ptree& list = Required(root, top, "users");
        CheckArray(list, "users");
        if (list.size() != users)
        {
            Fail("users has " + std::to_string(list.size()) +
                 " entries; expected one per user of "
                 "the round (" +
                 std::to_string(users) + ")");
        }
        for (const auto& item : list)
        {
            const ptree& node = item.second; // not a structured binding: lambdas capture it
            const std::string where = "users[" + std::to_string(a.users.size()) + "]";
            CheckObject(node, where, Known(std::begin(kDecisionKeys), std::end(kDecisionKeys)));
            auto num = [&](const char* k) {
                return Number(Required(node, where, k), where + "." + k);
            };
            UserAllocation x;
            const double server = num("server");
            if (server < -1 || server != std::floor(server) || server >= UINT32_MAX)
            {
                Fail(where + ".server = " + node.get<std::string>("server") +
                     " is not allowed; expected a server index or -1 (local-only)");
            }
            x.server = server < 0 ? UserAllocation::kNoServer : static_cast<uint32_t>(server);
            x.alpha = Integer(Required(node, where, "alpha"), where + ".alpha");
            x.powerW = num("power_w");
            x.bandwidthHz = num("bandwidth_hz");
            x.freqHz = num("freq_hz");
            x.edgeFreqHz = num("edge_freq_hz");
            a.users.push_back(x);
        }
        return a;
    }

  private:
    using KeyList = std::vector<std::string>;

    template <class It>
    static KeyList Known(It begin, It end)
    {
        return KeyList(begin, end);
    }

    [[noreturn]] void Fail(const std::string& message) const
    {
        throw InputError(m_name + ": " + message);
    }

    static std::string Join(const KeyList& keys)
    {
        std::string out;
        for (const auto& k : keys)
        {
            out += (out.empty() ? "" : ", ") + k;
        }
        return out;
    }

    /** An object: every child has a key; no unknown, no duplicate keys. */
    void CheckObject(const ptree& node, const std::string& where, const KeyList& known) const
    {
        if (node.empty() && !node.data().empty())
        {
            Fail(where + " is \"" + node.data() + "\"; expected a JSON object {…}");
        }
        std::set<std::string> seen;
        for (const auto& [key, child] : node)
        {
            if (key.empty())
            {
                Fail(where + " is an array; expected a JSON object {…}");
            }
            if (std::find(known.begin(), known.end(), key) == known.end())
            {
                Fail(where + ": unknown key \"" + key + "\"; known keys: " + Join(known));
            }
            if (!seen.insert(key).second)
            {
                Fail(where + ": key \"" + key + "\" appears more than once");
            }
        }
    }

    /** An array: every child has an empty key. */
    void CheckArray(const ptree& node, const std::string& where) const
    {
        if (node.empty() && !node.data().empty())
        {
            Fail(where + " is \"" + node.data() + "\"; expected a JSON array […]");
        }
        for (const auto& child : node)
        {
            if (!child.first.empty())
            {
                Fail(where + " is an object; expected a JSON array […]");
            }
        }
    }

    const ptree& Required(const ptree& obj, const std::string& where, const std::string& key) const
    {
        auto child = obj.get_child_optional(key);
        if (!child)
        {
            Fail(where + ": missing required key \"" + key + "\"");
        }
        return *child;
    }

    double Number(const ptree& node, const std::string& path) const
    {
        if (!node.empty())
        {
            Fail(path + " is an object or array; expected a number");
        }
        const std::string& text = node.data();
        if (!IsJsonNumber(text))
        {
            Fail(path + " = \"" + text + "\" is not a number; expected a JSON number such as 1e-3");
        }
        errno = 0;
        const double v = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(v) || (errno == ERANGE && std::fabs(v) > 1.0))
        {
            Fail(path + " = " + text + " is out of range; expected a finite number");
        }
        return v;
    }

    uint32_t Integer(const ptree& node, const std::string& path) const
    {
        const double v = Number(node, path);
        if (v < 0 || v != std::floor(v) || v > std::numeric_limits<uint32_t>::max())
        {
            Fail(path + " = " + node.data() + " is not allowed; expected a non-negative integer");
        }
        return static_cast<uint32_t>(v);
    }

    std::string String(const ptree& node, const std::string& path) const
    {
        if (!node.empty())
        {
            Fail(path + " is an object or array; expected a string");
        }
        return node.data();
    }

    ObjectiveSettings ReadObjective(const ptree& obj) const
    {
        CheckObject(obj, "objective", Known(std::begin(kObjectiveKeys), std::end(kObjectiveKeys)));
        ObjectiveSettings o;
        if (auto v = obj.get_child_optional("mode"))
        {
            o.mode = ParseObjectiveMode(String(*v, "objective.mode"), m_name + ": objective.mode");
        }
        if (auto v = obj.get_child_optional("delay"))
        {
            o.delay =
                ParseDelayAggregate(String(*v, "objective.delay"), m_name + ": objective.delay");
        }
        if (auto v = obj.get_child_optional("w_time"))
        {
            o.wTime = Number(*v, "objective.w_time");
        }
        if (auto v = obj.get_child_optional("w_energy"))
        {
            o.wEnergy = Number(*v, "objective.w_energy");
        }
        if (auto v = obj.get_child_optional("w_stability"))
        {
            o.wStability = Number(*v, "objective.w_stability");
        }
        if (auto v = obj.get_child_optional("min_rate_bps"))
        {
            o.minRateBps = Number(*v, "objective.min_rate_bps");
        }
        if (auto v = obj.get_child_optional("min_device_layers"))
        {
            o.minDeviceLayers = Integer(*v, "objective.min_device_layers");
        }
        if (auto v = obj.get_child_optional("rate_model"))
        {
            o.rateModel = ParseRateModel(String(*v, "objective.rate_model"),
                                         m_name + ": objective.rate_model");
        }
        return o;
    }

    ServerState ReadServer(const ptree& node, size_t m) const
    {
        const std::string where = "servers[" + std::to_string(m) + "]";
        CheckObject(node, where, Known(std::begin(kServerKeys), std::end(kServerKeys)));
        auto num = [&](const char* key) {
            return Number(Required(node, where, key), where + "." + key);
        };
        ServerState s;
        s.bandwidthHz = num("bandwidth_hz");
        s.fMaxHz = num("f_max_hz");
        s.cores = num("cores");
        s.flopsPerCycle = num("flops_per_cycle");
        s.kappa = num("kappa");
        s.txPowerW = num("tx_power_w");
        return s;
    }

    UserState ReadUser(const ptree& node, size_t n, size_t servers) const
    {
        const std::string where = "users[" + std::to_string(n) + "]";
        KeyList known = Known(std::begin(kUserRequired), std::end(kUserRequired));
        known.insert(known.end(), std::begin(kUserOptional), std::end(kUserOptional));
        CheckObject(node, where, known);
        auto num = [&](const char* key) {
            return Number(Required(node, where, key), where + "." + key);
        };
        UserState u;
        u.flopsPerLayer = num("flops_per_layer");
        u.payloadBits = num("payload_bits");
        u.downlinkBits = num("downlink_bits");
        u.cores = num("cores");
        u.flopsPerCycle = num("flops_per_cycle");
        u.fMaxHz = num("f_max_hz");
        u.kappa = num("kappa");
        u.pMaxW = num("p_max_w");
        u.lipschitz = num("lipschitz");
        u.datasetSize = num("dataset_size");
        if (auto v = node.get_child_optional("tokens"))
        {
            u.tokens = Number(*v, where + ".tokens");
        }
        if (auto v = node.get_child_optional("batch"))
        {
            u.batch = Number(*v, where + ".batch");
        }
        if (auto v = node.get_child_optional("max_device_layers"))
        {
            u.maxDeviceLayers = Integer(*v, where + ".max_device_layers");
        }
        const ptree& gain = Required(node, where, "gain");
        CheckArray(gain, where + ".gain");
        if (gain.size() != servers)
        {
            Fail(where + ".gain has " + std::to_string(gain.size()) +
                 " entries; expected one per server (" + std::to_string(servers) + ")");
        }
        for (const auto& [key, g] : gain)
        {
            u.gain.push_back(Number(g, where + ".gain[" + std::to_string(u.gain.size()) + "]"));
        }
        return u;
    }

    std::string m_name; //!< file or stream name for messages
};

/**
 * Throws InputError when objects and arrays nest deeper than kMaxInstanceJsonDepth, so that
 * the recursive parser never sees such a text. Brackets inside strings do not count; anything
 * else that is wrong with the text is left to the parser.
 * @param text the JSON text
 * @param name file or stream name for the message
 */
void
CheckNestingDepth(const std::string& text, const std::string& name)
{
    uint32_t depth = 0;
    size_t line = 1;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '\n')
        {
            ++line;
        }
        if (inString)
        {
            if (c == '\\')
            {
                ++i; // the escaped character cannot end the string
            }
            else if (c == '"')
            {
                inString = false;
            }
            continue;
        }
        switch (c)
        {
        case '"':
            inString = true;
            break;
        case '{':
        case '[':
            if (++depth > kMaxInstanceJsonDepth)
            {
                throw InputError(name + ":" + std::to_string(line) +
                                 ": objects and arrays nested more than " +
                                 std::to_string(kMaxInstanceJsonDepth) +
                                 " levels deep; an instance needs 4 (top level, users, a user, "
                                 "its gain)");
            }
            break;
        case '}':
        case ']':
            depth = depth > 0 ? depth - 1 : 0; // a stray closer is the parser's to report
            break;
        default:
            break;
        }
    }
}

/**
 * @param text JSON text
 * @param name file or stream name for messages
 * @return the parsed tree (nesting checked first)
 * @throws InputError for too deep a nesting or a syntax error (with its line)
 */
ptree
ParseJson(const std::string& text, const std::string& name)
{
    CheckNestingDepth(text, name);
    ptree root;
    try
    {
        std::istringstream parsed(text);
        boost::property_tree::read_json(parsed, root);
    }
    catch (const boost::property_tree::json_parser_error& e)
    {
        throw InputError(name + ":" + std::to_string(e.line()) +
                         ": JSON syntax error: " + e.message());
    }
    return root;
}

// ---- writing ---------------------------------------------------------------------------------

/** @return v at full precision, or null when not finite */
std::string
Num(double v)
{
    if (!std::isfinite(v))
    {
        return "null";
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", v);
    return buf;
}

/** @return s as a quoted JSON string */
std::string
Str(const std::string& s)
{
    std::string out = "\"";
    for (const unsigned char c : s)
    {
        switch (c)
        {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20)
            {
                char buf[8];
                std::snprintf(buf, sizeof(buf), "\\u%04x", c);
                out += buf;
            }
            else
            {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

/** @return "\"key\": " */
std::string
K(const char* key)
{
    return Str(key) + ": ";
}

} // namespace

std::string
ObjectiveModeName(ObjectiveMode mode)
{
    return mode == ObjectiveMode::PAPER ? "paper" : "delay-aware";
}

ObjectiveMode
ParseObjectiveMode(const std::string& name, const std::string& where)
{
    if (name == "paper")
    {
        return ObjectiveMode::PAPER;
    }
    if (name == "delay-aware")
    {
        return ObjectiveMode::DELAY_AWARE;
    }
    throw InputError(where + " = \"" + name + "\" is unknown; allowed values: paper, delay-aware");
}

std::string
DelayAggregateName(DelayAggregate d)
{
    return d == DelayAggregate::SUM ? "sum" : "makespan";
}

DelayAggregate
ParseDelayAggregate(const std::string& name, const std::string& where)
{
    if (name == "sum")
    {
        return DelayAggregate::SUM;
    }
    if (name == "makespan")
    {
        return DelayAggregate::MAKESPAN;
    }
    throw InputError(where + " = \"" + name + "\" is unknown; allowed values: sum, makespan");
}

std::string
RateModelName(RateModel r)
{
    return r == RateModel::SNAPSHOT ? "snapshot" : "ergodic";
}

RateModel
ParseRateModel(const std::string& name, const std::string& where)
{
    if (name == "snapshot")
    {
        return RateModel::SNAPSHOT;
    }
    if (name == "ergodic")
    {
        return RateModel::ERGODIC;
    }
    throw InputError(where + " = \"" + name + "\" is unknown; allowed values: snapshot, ergodic");
}

RoundState
ReadRoundStateJson(std::istream& in, const std::string& name)
{
    // read the whole text first: its nesting is checked before the recursive parser runs
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
    {
        throw InputError(name + ": cannot be read");
    }
    RoundState s = InstanceReader(name).Read(ParseJson(text, name));
    s.Validate(name);
    NS_LOG_INFO("read " << name << ": " << s.NumUsers() << " users, " << s.NumServers()
                        << " servers");
    return s;
}

Allocation
ReadAllocationJson(const std::string& text, size_t users, const std::string& name)
{
    return InstanceReader(name).ReadAllocation(ParseJson(text, name), users);
}

void
WriteRoundOutcomeJson(const RoundOutcome& o, std::ostream& os)
{
    os << "{" << K("round") << o.round << ", " << K("start_s") << Num(o.startS) << ", "
       << K("end_s") << Num(o.endS) << ", " << K("predicted_objective") << Num(o.predictedObjective)
       << ", " << K("devices") << "[";
    for (size_t i = 0; i < o.devices.size(); ++i)
    {
        const DeviceOutcome& d = o.devices[i];
        const UserAllocation& x = d.allocation;
        const long long server =
            x.server == UserAllocation::kNoServer ? -1 : static_cast<long long>(x.server);
        os << (i ? ", " : "") << "{" << K("device") << d.device << ", " << K("index") << d.index
           << ", " << K("status") << Str(d.status) << ", " << K("server") << server << ", "
           << K("alpha") << x.alpha << ", " << K("delay_s") << Num(d.delayS) << ", "
           << K("predicted_delay_s") << Num(d.predictedDelayS) << ", " << K("uplink_s")
           << Num(d.uplinkS) << ", " << K("downlink_s") << Num(d.downlinkS) << ", "
           << K("compute_energy_j") << Num(d.computeEnergyJ) << ", " << K("radio_energy_j")
           << Num(d.radioEnergyJ) << ", " << K("edge_energy_j") << Num(d.edgeEnergyJ) << ", "
           << K("predicted_energy_j") << Num(d.predictedEnergyJ) << ", " << K("battery_j")
           << Num(d.batteryJ) << "}";
    }
    os << "]}";
}

RoundState
ReadRoundStateJson(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw InputError("cannot open instance file '" + path + "': " + std::strerror(errno));
    }
    return ReadRoundStateJson(in, path);
}

void
WriteRoundStateJson(const RoundState& s, std::ostream& os)
{
    const ObjectiveSettings& o = s.objective;
    os << "{\n  " << K("layers") << s.layers << ",\n  " << K("objective") << "{" << K("mode")
       << Str(ObjectiveModeName(o.mode)) << ", " << K("w_time") << Num(o.wTime) << ", "
       << K("w_energy") << Num(o.wEnergy) << ", " << K("w_stability") << Num(o.wStability) << ", "
       << K("min_rate_bps") << Num(o.minRateBps) << ", " << K("delay")
       << Str(DelayAggregateName(o.delay)) << ", " << K("min_device_layers") << o.minDeviceLayers;
    if (o.rateModel != RateModel::SNAPSHOT)
    {
        // optional key, default snapshot: instances of the paper's model stay as they were
        os << ", " << K("rate_model") << Str(RateModelName(o.rateModel));
    }
    os << "},\n  " << K("noise_psd_w_per_hz") << Num(s.noisePsdWPerHz) << ",\n  " << K("users")
       << "[";
    for (size_t n = 0; n < s.users.size(); ++n)
    {
        const UserState& u = s.users[n];
        os << (n ? ",\n" : "\n") << "    {" << K("tokens") << Num(u.tokens) << ", " << K("batch")
           << Num(u.batch) << ", " << K("flops_per_layer") << Num(u.flopsPerLayer) << ", "
           << K("payload_bits") << Num(u.payloadBits) << ", " << K("downlink_bits")
           << Num(u.downlinkBits) << ", " << K("cores") << Num(u.cores) << ", "
           << K("flops_per_cycle") << Num(u.flopsPerCycle) << ", " << K("f_max_hz") << Num(u.fMaxHz)
           << ", " << K("kappa") << Num(u.kappa) << ", " << K("p_max_w") << Num(u.pMaxW) << ", "
           << K("lipschitz") << Num(u.lipschitz) << ", " << K("dataset_size") << Num(u.datasetSize)
           << ", " << K("max_device_layers") << u.maxDeviceLayers << ", " << K("gain") << "[";
        for (size_t m = 0; m < u.gain.size(); ++m)
        {
            os << (m ? ", " : "") << Num(u.gain[m]);
        }
        os << "]}";
    }
    os << (s.users.empty() ? "" : "\n  ") << "],\n  " << K("servers") << "[";
    for (size_t m = 0; m < s.servers.size(); ++m)
    {
        const ServerState& v = s.servers[m];
        os << (m ? ",\n" : "\n") << "    {" << K("bandwidth_hz") << Num(v.bandwidthHz) << ", "
           << K("f_max_hz") << Num(v.fMaxHz) << ", " << K("cores") << Num(v.cores) << ", "
           << K("flops_per_cycle") << Num(v.flopsPerCycle) << ", " << K("kappa") << Num(v.kappa)
           << ", " << K("tx_power_w") << Num(v.txPowerW) << "}";
    }
    os << (s.servers.empty() ? "" : "\n  ") << "]\n}\n";
}

void
WriteAllocationJson(const Allocation& a,
                    const RoundState& state,
                    const std::string& objectiveName,
                    std::ostream& os)
{
    if (a.users.size() != state.users.size())
    {
        throw std::invalid_argument("WriteAllocationJson: allocation has " +
                                    std::to_string(a.users.size()) + " users, the round " +
                                    std::to_string(state.users.size()));
    }
    const SplitCostModel model(state);
    const CostTerms t = model.Totals(a);
    const double objective = model.Objective(a);
    const std::vector<std::string> violations = model.Violations(a);

    os << "{\n  " << K("allocator") << Str(a.allocator) << ",\n  " << K("objective")
       << Str(objectiveName) << ",\n  " << K("iterations") << a.iterations << ",\n  "
       << K("solve_time_s") << Num(a.solveTimeS) << ",\n  " << K("users") << "[";
    for (size_t n = 0; n < a.users.size(); ++n)
    {
        const UserAllocation& x = a.users[n];
        const long long server =
            x.server == UserAllocation::kNoServer ? -1 : static_cast<long long>(x.server);
        os << (n ? ",\n" : "\n") << "    {" << K("server") << server << ", " << K("alpha")
           << x.alpha << ", " << K("power_w") << Num(x.powerW) << ", " << K("bandwidth_hz")
           << Num(x.bandwidthHz) << ", " << K("freq_hz") << Num(x.freqHz) << ", "
           << K("edge_freq_hz") << Num(x.edgeFreqHz) << "}";
    }
    os << (a.users.empty() ? "" : "\n  ") << "],\n  " << K("terms") << "{" << K("device_delay_s")
       << Num(t.deviceDelayS) << ", " << K("edge_delay_s") << Num(t.edgeDelayS) << ", "
       << K("uplink_delay_s") << Num(t.uplinkDelayS) << ", " << K("downlink_delay_s")
       << Num(t.downlinkDelayS) << ", " << K("device_energy_j") << Num(t.deviceEnergyJ) << ", "
       << K("edge_energy_j") << Num(t.edgeEnergyJ) << ", " << K("tx_energy_j") << Num(t.txEnergyJ)
       << ", " << K("stability") << Num(t.stability) << "},\n  " << K("objective_value")
       << Num(objective) << ",\n  " << K("feasible") << (violations.empty() ? "true" : "false")
       << ",\n  " << K("violations") << "[";
    for (size_t i = 0; i < violations.size(); ++i)
    {
        os << (i ? ", " : "") << Str(violations[i]);
    }
    os << "],\n  " << K("objective_history") << "[";
    for (size_t i = 0; i < a.objectiveHistory.size(); ++i)
    {
        os << (i ? ", " : "") << Num(a.objectiveHistory[i]);
    }
    os << "],\n  " << K("stationarity") << Num(a.stationarity) << "\n}\n";
}

} // namespace ns3
