/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-state-json.h"

#include "ns3/input-error.h"
#include "ns3/log.h"
#include "ns3/split-cost-model.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRoundStateJson");

namespace
{

// ---- checks both readers share (the streaming instance reader, the allocation reader)
// ------------

/**
 * Finds a key among the keys of its object's format.
 * @param key the key
 * @param known the keys of the format
 * @param where the object, for the message
 * @param index receives the key's index in known
 * @param error receives the message (what, where, the known keys) if the key is unknown
 * @return whether the key is known
 */
template <class Keys>
bool
FindKey(std::string_view key,
        const Keys& known,
        const std::string& where,
        uint32_t& index,
        std::string& error)
{
    index = 0;
    std::string all;
    for (const auto& k : known)
    {
        if (key == std::string_view(k))
        {
            return true;
        }
        ++index;
        all += (all.empty() ? "" : ", ") + std::string(k);
    }
    error = where + ": unknown key \"" + std::string(key) + "\"; known keys: " + all;
    return false;
}

/** @return the message for a required key missing from the object `where` */
std::string
MissingKeyError(const std::string& where, std::string_view key)
{
    return where + ": missing required key \"" + std::string(key) + "\"";
}

/** @return the message for a value of the wrong type or range */
std::string
NotAllowedError(const std::string& path, const std::string& shown, const std::string& expected)
{
    return path + " = " + shown + " is not allowed; expected " + expected;
}

/** @return whether v is a whole number in [lo, hi] (false for NaN) */
bool
IsWholeInRange(double v, double lo, double hi)
{
    return v >= lo && v <= hi && v == std::floor(v);
}

// ---- reading -----------------------------------------------------------------------------------

/**
 * Input over a std::istream for the JSON parser: reads 64 KiB at a time (the file is never held
 * in memory whole) and counts lines for the error messages.
 */
class LineCountingStream
{
  public:
    /** @param in the text */
    explicit LineCountingStream(std::istream& in)
        : m_in(in),
          m_buf(64 * 1024)
    {
        Fill();
    }

    /** @return the next character without taking it (only when not AtEnd) */
    char Peek() const
    {
        return m_buf[m_pos];
    }

    /** Takes the next character (only when not AtEnd). */
    void Take()
    {
        const char c = m_buf[m_pos++];
        if (c == '\n')
        {
            ++m_line;
        }
        else if (c == '\0')
        {
            m_nul = true;
        }
        if (m_pos == m_end)
        {
            Fill();
        }
    }

    /** @return the line of the next character (1-based) */
    size_t Line() const
    {
        return m_line;
    }

    /** @return true when every byte of the input has been taken */
    bool AtEnd() const
    {
        return m_pos >= m_end;
    }

    /** @return true when reading the stream failed (not just ended) */
    bool Bad() const
    {
        return m_bad;
    }

    /** @return true when a NUL byte was taken (the parser takes it for the end of the text) */
    bool SawNul() const
    {
        return m_nul;
    }

  private:
    void Fill()
    {
        m_pos = 0;
        m_end = 0;
        if (!m_in.good())
        {
            return;
        }
        m_in.read(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        m_end = static_cast<size_t>(m_in.gcount());
        m_bad = m_bad || m_in.bad();
    }

    std::istream& m_in;
    std::vector<char> m_buf;
    size_t m_pos{0};
    size_t m_end{0};
    size_t m_line{1};
    bool m_bad{false};
    bool m_nul{false};
};

/** Input iterator over a LineCountingStream (what nlohmann::json's parser reads from). */
class StreamIterator
{
  public:
    using iterator_category = std::input_iterator_tag; //!< iterator concept
    using value_type = char;                           //!< iterator concept
    using difference_type = std::ptrdiff_t;            //!< iterator concept
    using pointer = const char*;                       //!< iterator concept
    using reference = char;                            //!< iterator concept

    /** @param in the stream, or null for the end */
    explicit StreamIterator(LineCountingStream* in)
        : m_in(in)
    {
    }

    /** @return the current character */
    char operator*() const
    {
        return m_in->Peek();
    }

    /** @return this, one character further */
    StreamIterator& operator++()
    {
        m_in->Take();
        return *this;
    }

    /** @param o another iterator @return true when both are at the end */
    bool operator==(const StreamIterator& o) const
    {
        return Done() == o.Done();
    }

    /** @param o another iterator @return true unless both are at the end */
    bool operator!=(const StreamIterator& o) const
    {
        return !(*this == o);
    }

  private:
    bool Done() const
    {
        return m_in == nullptr || m_in->AtEnd();
    }

    LineCountingStream* m_in;
};

/**
 * Builds a RoundState from nlohmann::json's SAX events, checking the format as it goes: types
 * (a number where a number belongs, and so on), known and required keys, duplicates, the
 * nesting depth. Nothing but the RoundState itself is kept, so reading takes memory for the
 * numbers only.
 *
 * The first format error is kept and parsing goes on, tracking only the depth: a text nested
 * deeper than kMaxInstanceJsonDepth is reported as such (the parser recurses once per level and
 * stops there), a syntax error anywhere comes next, then the first format error.
 */
class InstanceHandler : public nlohmann::json_sax<nlohmann::json>
{
  public:
    /**
     * @param name file or stream name for messages
     * @param in the stream (for line numbers)
     */
    InstanceHandler(const std::string& name, const LineCountingStream& in)
        : m_name(name),
          m_in(in)
    {
    }

    // ---- nlohmann::json_sax ----

    bool null() override
    {
        return Scalar(Kind::NUL, "null");
    }

    bool boolean(bool b) override
    {
        return Scalar(Kind::BOOL, b ? "true" : "false");
    }

    bool number_integer(number_integer_t v) override
    {
        return Scalar(Kind::NUMBER, std::to_string(v));
    }

    bool number_unsigned(number_unsigned_t v) override
    {
        return Scalar(Kind::NUMBER, std::to_string(v));
    }

    bool number_float(number_float_t /* v */, const string_t& text) override
    {
        return Scalar(Kind::NUMBER, text);
    }

    bool string(string_t& s) override
    {
        return Scalar(Kind::STRING, s);
    }

    bool binary(binary_t& /* b */) override
    {
        return false; // not in JSON text
    }

    bool start_object(std::size_t /* elements */) override
    {
        return Open(true);
    }

    bool key(string_t& s) override
    {
        if (m_failed)
        {
            return true;
        }
        Frame& f = m_stack.back();
        std::string error;
        if (!FindKey(s, KnownKeys(f.type), Where(f), f.key, error))
        {
            return Fail(error);
        }
        if (f.seen & (1u << f.key))
        {
            return Fail(Where(f) + ": key \"" + s + "\" appears more than once");
        }
        f.seen |= 1u << f.key;
        return true;
    }

    bool end_object() override
    {
        return Close();
    }

    bool start_array(std::size_t /* elements */) override
    {
        return Open(false);
    }

    bool end_array() override
    {
        return Close();
    }

    bool parse_error(std::size_t /* position */,
                     const std::string& /* lastToken */,
                     const nlohmann::detail::exception& e) override
    {
        const std::string what = e.what();
        std::string message = what;
        const size_t column = what.find(", column ");
        const size_t colon = column == std::string::npos ? column : what.find(": ", column);
        if (colon != std::string::npos)
        {
            message = what.substr(colon + 2);
        }
        const std::string where = m_name + ":" + std::to_string(m_in.Line()) + ": ";
        if (e.id == 406 && !m_failed)
        {
            // a number beyond the range of a double
            m_syntaxError = where + NextPath() + " is out of range; expected a finite number";
        }
        else
        {
            m_syntaxError = where + "JSON syntax error: " + message;
        }
        return false;
    }

    // ---- after the parse ----

    /** @return the parser's error with its line, if the text is not JSON ("" otherwise) */
    const std::string& SyntaxError() const
    {
        return m_syntaxError;
    }

    /** @return the depth error, if the text was nested too deep ("" otherwise) */
    const std::string& DepthError() const
    {
        return m_depthError;
    }

    /**
     * @return the instance read
     * @throws InputError for the first format error found
     */
    RoundState Finish()
    {
        if (m_failed)
        {
            throw InputError(m_error);
        }
        const size_t servers = m_state.servers.size();
        for (size_t n = 0; n < m_state.users.size(); ++n)
        {
            const size_t gains = m_state.users[n].gain.size();
            if (gains != servers)
            {
                throw InputError(m_name + ": users[" + std::to_string(n) + "].gain has " +
                                 std::to_string(gains) + " entries; expected one per server (" +
                                 std::to_string(servers) + ")");
            }
        }
        return std::move(m_state);
    }

  private:
    using KeyList = std::vector<std::string_view>;

    /// What a JSON container is in the format.
    enum class Type
    {
        TOP,       //!< the top-level object
        OBJECTIVE, //!< "objective"
        USERS,     //!< "users" array
        USER,      //!< one user
        GAIN,      //!< a user's "gain" array
        SERVERS,   //!< "servers" array
        SERVER,    //!< one server
    };

    /// Kinds of scalar values.
    enum class Kind
    {
        NUL,
        BOOL,
        NUMBER,
        STRING,
    };

    /// An open container.
    struct Frame
    {
        Type type;
        uint32_t key{0};  //!< object: index of the current key in KnownKeys(type)
        uint32_t seen{0}; //!< object: bit per key seen
        size_t index{0};  //!< user/server: its index
    };

    /// The keys of one container type: all of them in the order of their bits, and the
    /// required ones (indices into known) in the order they are checked.
    struct KeyTable
    {
        KeyList known;                  //!< every key
        std::vector<uint32_t> required; //!< the required ones
    };

    /// @return the keys of container type t (none for arrays)
    static const KeyTable& Keys(Type t)
    {
        // one entry per Type, in its order
        static const KeyTable tables[] = {
            // TOP
            {{"layers", "objective", "noise_psd_w_per_hz", "users", "servers"}, {0, 2, 4, 3}},
            // OBJECTIVE
            {{"mode",
              "w_time",
              "w_energy",
              "w_stability",
              "min_rate_bps",
              "delay",
              "min_device_layers",
              "rate_model"},
             {}},
            // USERS
            {},
            // USER
            {{"flops_per_layer",
              "payload_bits",
              "downlink_bits",
              "cores",
              "flops_per_cycle",
              "f_max_hz",
              "kappa",
              "p_max_w",
              "lipschitz",
              "dataset_size",
              "gain",
              "tokens",
              "batch",
              "max_device_layers"},
             {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
            // GAIN
            {},
            // SERVERS
            {},
            // SERVER
            {{"bandwidth_hz", "f_max_hz", "cores", "flops_per_cycle", "kappa", "tx_power_w"},
             {0, 1, 2, 3, 4, 5}},
        };
        static_assert(std::size(tables) == static_cast<size_t>(Type::SERVER) + 1,
                      "one key table per container type");
        return tables[static_cast<size_t>(t)];
    }

    /// @return every key of container type t, in the order of their bits
    static const KeyList& KnownKeys(Type t)
    {
        return Keys(t).known;
    }

    /** @return what a container is called in messages */
    std::string Where(const Frame& f) const
    {
        switch (f.type)
        {
        case Type::TOP:
            return "top-level object";
        case Type::OBJECTIVE:
            return "objective";
        case Type::USERS:
            return "users";
        case Type::USER:
            return "users[" + std::to_string(f.index) + "]";
        case Type::GAIN:
            return "users[" + std::to_string(f.index) + "].gain";
        case Type::SERVERS:
            return "servers";
        case Type::SERVER:
            return "servers[" + std::to_string(f.index) + "]";
        }
        return "";
    }

    /** @return the path of the value about to come in the innermost container */
    std::string ValuePath() const
    {
        const Frame& f = m_stack.back();
        switch (f.type)
        {
        case Type::TOP:
            return std::string(KnownKeys(f.type)[f.key]);
        case Type::OBJECTIVE:
        case Type::USER:
        case Type::SERVER:
            return Where(f) + "." + std::string(KnownKeys(f.type)[f.key]);
        case Type::USERS:
            return "users[" + std::to_string(m_state.users.size()) + "]";
        case Type::SERVERS:
            return "servers[" + std::to_string(m_state.servers.size()) + "]";
        case Type::GAIN:
            return Where(f) + "[" + std::to_string(m_state.users[f.index].gain.size()) + "]";
        }
        return "";
    }

    /// What the value about to come must be.
    enum class Expect
    {
        NUMBER,
        INTEGER,
        STRING,
        OBJECT,
        ARRAY,
    };

    /** @return what the next value must be, and the container type if it is one */
    std::pair<Expect, Type> Expected() const
    {
        if (m_stack.empty())
        {
            return {Expect::OBJECT, Type::TOP};
        }
        const Frame& f = m_stack.back();
        switch (f.type)
        {
        case Type::TOP:
            switch (f.key)
            {
            case 0:
                return {Expect::INTEGER, f.type};
            case 1:
                return {Expect::OBJECT, Type::OBJECTIVE};
            case 3:
                return {Expect::ARRAY, Type::USERS};
            case 4:
                return {Expect::ARRAY, Type::SERVERS};
            default:
                return {Expect::NUMBER, f.type};
            }
        case Type::OBJECTIVE:
            if (f.key == 0 || f.key == 5 || f.key == 7)
            {
                return {Expect::STRING, f.type};
            }
            return {f.key == 6 ? Expect::INTEGER : Expect::NUMBER, f.type};
        case Type::USERS:
            return {Expect::OBJECT, Type::USER};
        case Type::SERVERS:
            return {Expect::OBJECT, Type::SERVER};
        case Type::USER:
            if (f.key == 10)
            {
                return {Expect::ARRAY, Type::GAIN};
            }
            return {f.key == 13 ? Expect::INTEGER : Expect::NUMBER, f.type};
        case Type::SERVER:
        case Type::GAIN:
            return {Expect::NUMBER, f.type};
        }
        return {Expect::NUMBER, f.type};
    }

    /** @return the path of the value about to come, or "top-level object" for the root */
    std::string NextPath() const
    {
        return m_stack.empty() ? std::string("top-level object") : ValuePath();
    }

    bool Fail(const std::string& message)
    {
        if (!m_failed)
        {
            m_failed = true;
            m_error = m_name + ": " + message;
        }
        return true; // go on parsing: a syntax or depth error later in the text comes first
    }

    bool Open(bool object)
    {
        if (++m_depth > kMaxInstanceJsonDepth)
        {
            m_depthError = m_name + ":" + std::to_string(m_in.Line()) +
                           ": objects and arrays nested more than " +
                           std::to_string(kMaxInstanceJsonDepth) +
                           " levels deep; an instance needs 4 (top level, users, a user, its "
                           "gain)";
            return false; // stops the parser
        }
        if (m_failed)
        {
            return true;
        }
        const auto [expect, type] = Expected();
        if (expect == Expect::OBJECT && !object)
        {
            return Fail(NextPath() + " is an array; expected a JSON object {…}");
        }
        if (expect == Expect::ARRAY && object)
        {
            return Fail(NextPath() + " is an object; expected a JSON array […]");
        }
        if (expect != Expect::OBJECT && expect != Expect::ARRAY)
        {
            return Fail(NextPath() + " is an object or array; expected a " +
                        (expect == Expect::STRING ? "string" : "number"));
        }
        Frame f{type};
        if (type == Type::USER)
        {
            f.index = m_state.users.size();
            m_state.users.emplace_back();
            m_state.users.back().gain.reserve(m_state.servers.empty() ? m_gainHint
                                                                      : m_state.servers.size());
        }
        else if (type == Type::SERVER)
        {
            f.index = m_state.servers.size();
            m_state.servers.emplace_back();
        }
        else if (type == Type::GAIN)
        {
            f.index = m_stack.back().index;
        }
        m_stack.push_back(f);
        return true;
    }

    bool Close()
    {
        --m_depth;
        if (m_failed)
        {
            return true;
        }
        const Frame f = m_stack.back();
        m_stack.pop_back();
        for (const uint32_t k : Keys(f.type).required)
        {
            if (!(f.seen & (1u << k)))
            {
                return Fail(MissingKeyError(Where(f), KnownKeys(f.type)[k]));
            }
        }
        if (f.type == Type::SERVERS && m_state.servers.empty())
        {
            return Fail("servers is empty; expected at least one server");
        }
        if (f.type == Type::GAIN)
        {
            m_gainHint = m_state.users[f.index].gain.size();
        }
        return true;
    }

    bool Scalar(Kind kind, std::string_view text)
    {
        if (m_failed)
        {
            return true;
        }
        const auto [expect, type] = Expected();
        const std::string shown(text);
        switch (expect)
        {
        case Expect::OBJECT:
            return Fail(NextPath() + " is \"" + shown + "\"; expected a JSON object {…}");
        case Expect::ARRAY:
            return Fail(NextPath() + " is \"" + shown + "\"; expected a JSON array […]");
        case Expect::STRING:
            return StringValue(shown);
        case Expect::NUMBER:
        case Expect::INTEGER:
            if (kind != Kind::NUMBER)
            {
                return Fail(ValuePath() + " = \"" + shown +
                            "\" is not a number; expected a JSON number such as 1e-3");
            }
            return NumberValue(text, expect == Expect::INTEGER);
        }
        return true;
    }

    /** A string value of the objective (mode, delay, rate_model). */
    bool StringValue(const std::string& text)
    {
        ObjectiveSettings& o = m_state.objective;
        const std::string where = m_name + ": " + ValuePath();
        try
        {
            switch (m_stack.back().key)
            {
            case 0:
                o.mode = ParseObjectiveMode(text, where);
                break;
            case 5:
                o.delay = ParseDelayAggregate(text, where);
                break;
            default:
                o.rateModel = ParseRateModel(text, where);
                break;
            }
        }
        catch (const InputError& e)
        {
            if (!m_failed)
            {
                m_failed = true;
                m_error = e.what();
            }
        }
        return true;
    }

    /** A number (the parser has checked its grammar). */
    bool NumberValue(std::string_view text, bool integer)
    {
        double v = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (ec == std::errc::result_out_of_range || ptr != end)
        {
            // overflow is an error; underflow gives the denormal or zero strtod gives
            const std::string copy(text);
            errno = 0;
            v = std::strtod(copy.c_str(), nullptr);
            if (!std::isfinite(v) || (errno == ERANGE && std::fabs(v) > 1.0))
            {
                return Fail(ValuePath() + " = " + copy +
                            " is out of range; expected a finite number");
            }
        }
        uint32_t count = 0;
        if (integer)
        {
            if (!IsWholeInRange(v, 0, std::numeric_limits<uint32_t>::max()))
            {
                return Fail(
                    NotAllowedError(ValuePath(), std::string(text), "a non-negative integer"));
            }
            count = static_cast<uint32_t>(v);
        }
        Frame& f = m_stack.back();
        switch (f.type)
        {
        case Type::GAIN:
            m_state.users[f.index].gain.push_back(v);
            break;
        case Type::TOP:
            if (f.key == 0)
            {
                m_state.layers = count;
            }
            else
            {
                m_state.noisePsdWPerHz = v;
            }
            break;
        case Type::OBJECTIVE:
            SetObjective(f.key, v, count);
            break;
        case Type::USER:
            SetUser(m_state.users[f.index], f.key, v, count);
            break;
        case Type::SERVER:
            SetServer(m_state.servers[f.index], f.key, v);
            break;
        default:
            break;
        }
        return true;
    }

    void SetObjective(uint32_t key, double v, uint32_t count)
    {
        ObjectiveSettings& o = m_state.objective;
        double* fields[] = {nullptr, &o.wTime, &o.wEnergy, &o.wStability, &o.minRateBps};
        if (key >= 1 && key <= 4)
        {
            *fields[key] = v;
        }
        else if (key == 6)
        {
            o.minDeviceLayers = count;
        }
    }

    static void SetUser(UserState& u, uint32_t key, double v, uint32_t count)
    {
        double* fields[] = {&u.flopsPerLayer,
                            &u.payloadBits,
                            &u.downlinkBits,
                            &u.cores,
                            &u.flopsPerCycle,
                            &u.fMaxHz,
                            &u.kappa,
                            &u.pMaxW,
                            &u.lipschitz,
                            &u.datasetSize,
                            nullptr, // gain: an array
                            &u.tokens,
                            &u.batch};
        if (key == 13)
        {
            u.maxDeviceLayers = count;
        }
        else if (key < 13 && fields[key])
        {
            *fields[key] = v;
        }
    }

    static void SetServer(ServerState& s, uint32_t key, double v)
    {
        double* fields[] =
            {&s.bandwidthHz, &s.fMaxHz, &s.cores, &s.flopsPerCycle, &s.kappa, &s.txPowerW};
        *fields[key] = v;
    }

    std::string m_name;             //!< file or stream name for messages
    const LineCountingStream& m_in; //!< the text (for line numbers)
    RoundState m_state;             //!< what has been read
    std::vector<Frame> m_stack;     //!< open containers of the format
    uint32_t m_depth{0};            //!< open containers of the text
    size_t m_gainHint{0};           //!< gains of the previous user (reserve before servers)
    bool m_failed{false};           //!< a format error was found
    std::string m_error;            //!< the first format error
    std::string m_depthError;       //!< the depth error
    std::string m_syntaxError;      //!< the parser's error
};

// ---- reading an allocation (an external allocator's answer) -------------------------------

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

/** Checks an allocation's JSON value, one clear InputError per problem. */
class AllocationReader
{
  public:
    explicit AllocationReader(const std::string& name)
        : m_name(name)
    {
    }

    Allocation Read(const nlohmann::json& root, size_t users) const
    {
        CheckObject(root, "top-level object", kAllocationKeys);
        Allocation a;
        if (root.contains("allocator"))
        {
            const nlohmann::json& v = root["allocator"];
            Require(v.is_string(), "allocator", v, "a string");
            a.allocator = v.get<std::string>();
        }
        if (root.contains("iterations"))
        {
            a.iterations = static_cast<uint32_t>(Integer(root["iterations"], "iterations", 0));
        }
        if (!root.contains("users"))
        {
            Fail(MissingKeyError("top-level object", "users"));
        }
        const nlohmann::json& list = root["users"];
        Require(list.is_array(), "users", list, "an array with one object per user");
        if (list.size() != users)
        {
            Fail("users has " + std::to_string(list.size()) +
                 " entries; expected one per user of the round (" + std::to_string(users) + ")");
        }
        for (const nlohmann::json& node : list)
        {
            a.users.push_back(ReadDecision(node, "users[" + std::to_string(a.users.size()) + "]"));
        }
        return a;
    }

  private:
    UserAllocation ReadDecision(const nlohmann::json& node, const std::string& where) const
    {
        CheckObject(node, where, kDecisionKeys);
        for (const char* key : kDecisionKeys)
        {
            if (!node.contains(key))
            {
                Fail(MissingKeyError(where, key));
            }
        }
        UserAllocation x;
        const int64_t server = Integer(node["server"], where + ".server", -1);
        x.server = server < 0 ? UserAllocation::kNoServer : static_cast<uint32_t>(server);
        x.alpha = static_cast<uint32_t>(Integer(node["alpha"], where + ".alpha", 0));
        x.powerW = Number(node["power_w"], where + ".power_w");
        x.bandwidthHz = Number(node["bandwidth_hz"], where + ".bandwidth_hz");
        x.freqHz = Number(node["freq_hz"], where + ".freq_hz");
        x.edgeFreqHz = Number(node["edge_freq_hz"], where + ".edge_freq_hz");
        return x;
    }

    template <class Keys>
    void CheckObject(const nlohmann::json& v, const std::string& where, const Keys& known) const
    {
        Require(v.is_object(), where, v, "an object");
        for (const auto& item : v.items())
        {
            uint32_t index = 0;
            std::string error;
            if (!FindKey(item.key(), known, where, index, error))
            {
                Fail(error);
            }
        }
    }

    double Number(const nlohmann::json& v, const std::string& key) const
    {
        Require(v.is_number() && std::isfinite(v.get<double>()), key, v, "a finite number");
        return v.get<double>();
    }

    int64_t Integer(const nlohmann::json& v, const std::string& key, int64_t lo) const
    {
        double d = std::numeric_limits<double>::quiet_NaN();
        if (v.is_number_unsigned())
        {
            d = static_cast<double>(v.get<uint64_t>());
        }
        else if (v.is_number_integer())
        {
            d = static_cast<double>(v.get<int64_t>());
        }
        else if (v.is_number_float())
        {
            d = v.get<double>();
        }
        Require(IsWholeInRange(d, static_cast<double>(lo), UINT32_MAX - 1.0),
                key,
                v,
                lo == 0 ? "a non-negative integer" : "an integer >= " + std::to_string(lo));
        return static_cast<int64_t>(d);
    }

    void Require(bool ok,
                 const std::string& key,
                 const nlohmann::json& v,
                 const std::string& allowed) const
    {
        if (!ok)
        {
            Fail(NotAllowedError(key, v.dump(), allowed));
        }
    }

    [[noreturn]] void Fail(const std::string& what) const
    {
        throw InputError(m_name + ": " + what);
    }

    std::string m_name; //!< source name for messages
};

/**
 * @param text JSON text
 * @param name source name for messages
 * @return the parsed value, nesting bounded by kMaxInstanceJsonDepth
 * @throws InputError for too deep a nesting or a syntax error
 */
nlohmann::json
ParseBoundedJson(const std::string& text, const std::string& name)
{
    auto depthCheck = [&name](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start ||
             event == nlohmann::json::parse_event_t::array_start) &&
            depth >= static_cast<int>(kMaxInstanceJsonDepth))
        {
            throw InputError(name + ": JSON nested deeper than " +
                             std::to_string(kMaxInstanceJsonDepth) + " levels");
        }
        return true;
    };
    try
    {
        return nlohmann::json::parse(text, depthCheck);
    }
    catch (const nlohmann::json::parse_error& e)
    {
        throw InputError(name + ": JSON syntax error: " + e.what());
    }
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

namespace
{

/// The names of an enumeration's values, in the files and on the command line.
template <class E>
using EnumNames = std::pair<const char*, E>[2];

/** @return the name of value v */
template <class E>
std::string
EnumName(E v, const EnumNames<E>& names)
{
    return names[0].second == v ? names[0].first : names[1].first;
}

/**
 * @param name a name
 * @param where the flag or key, for the message
 * @param names the allowed names
 * @return the value named
 * @throws InputError naming the allowed values if the name is unknown
 */
template <class E>
E
ParseEnumName(const std::string& name, const std::string& where, const EnumNames<E>& names)
{
    for (const auto& [text, value] : names)
    {
        if (name == text)
        {
            return value;
        }
    }
    throw InputError(where + " = \"" + name + "\" is unknown; allowed values: " + names[0].first +
                     ", " + names[1].first);
}

const EnumNames<ObjectiveMode> kObjectiveModeNames = {{"paper", ObjectiveMode::PAPER},
                                                      {"delay-aware", ObjectiveMode::DELAY_AWARE}};
const EnumNames<DelayAggregate> kDelayAggregateNames = {{"sum", DelayAggregate::SUM},
                                                        {"makespan", DelayAggregate::MAKESPAN}};
const EnumNames<RateModel> kRateModelNames = {{"snapshot", RateModel::SNAPSHOT},
                                              {"ergodic", RateModel::ERGODIC}};

} // namespace

std::string
ObjectiveModeName(ObjectiveMode mode)
{
    return EnumName(mode, kObjectiveModeNames);
}

ObjectiveMode
ParseObjectiveMode(const std::string& name, const std::string& where)
{
    return ParseEnumName(name, where, kObjectiveModeNames);
}

std::string
DelayAggregateName(DelayAggregate d)
{
    return EnumName(d, kDelayAggregateNames);
}

DelayAggregate
ParseDelayAggregate(const std::string& name, const std::string& where)
{
    return ParseEnumName(name, where, kDelayAggregateNames);
}

std::string
RateModelName(RateModel r)
{
    return EnumName(r, kRateModelNames);
}

RateModel
ParseRateModel(const std::string& name, const std::string& where)
{
    return ParseEnumName(name, where, kRateModelNames);
}

RoundState
ReadRoundStateJson(std::istream& in, const std::string& name)
{
    LineCountingStream stream(in);
    InstanceHandler handler(name, stream);
    // strict: nothing but whitespace may follow the value
    nlohmann::json::sax_parse(StreamIterator(&stream), StreamIterator(nullptr), &handler);
    if (!handler.DepthError().empty())
    {
        throw InputError(handler.DepthError());
    }
    if (stream.Bad())
    {
        throw InputError(name + ": cannot be read");
    }
    if (!handler.SyntaxError().empty())
    {
        throw InputError(handler.SyntaxError());
    }
    if (stream.SawNul())
    {
        throw InputError(name + ":" + std::to_string(stream.Line()) +
                         ": JSON syntax error: a NUL byte (JSON text has none outside strings)");
    }
    RoundState s = handler.Finish();
    s.Validate(name);
    NS_LOG_INFO("read " << name << ": " << s.NumUsers() << " users, " << s.NumServers()
                        << " servers");
    return s;
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

Allocation
ReadAllocationJson(const std::string& text, size_t users, const std::string& name)
{
    return AllocationReader(name).Read(ParseBoundedJson(text, name), users);
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

} // namespace ns3
