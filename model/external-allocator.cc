/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "external-allocator.h"

#include "input-error.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/round-state-json.h"
#include "ns3/string.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmExternalAllocator");
NS_OBJECT_ENSURE_REGISTERED(ExternalAllocator);
static const bool g_externalRegistered =
    (SplitAllocator::RegisterShortName("external", "ns3::ExternalAllocator"), true);

namespace
{

/** Longest answer line accepted (bytes): a runaway program cannot exhaust memory. */
constexpr size_t kMaxLineBytes = 256u << 20;

using Clock = std::chrono::steady_clock;

/**
 * @param seconds from now
 * @return the deadline
 */
Clock::time_point
DeadlineIn(double seconds)
{
    return Clock::now() +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

/**
 * @param deadline the deadline
 * @return milliseconds left for poll (0 when past, rounded up)
 */
int
MsLeft(Clock::time_point deadline)
{
    const auto left =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(std::min<int64_t>((left + 999) / 1000, 1 << 30));
}

/**
 * @param text a line
 * @return at most its first 200 characters, for an error message
 */
std::string
Excerpt(const std::string& text)
{
    return text.size() <= 200 ? text : text.substr(0, 200) + "…";
}

/** Blocks SIGPIPE in this thread for its lifetime; a SIGPIPE raised meanwhile is discarded. */
class SigpipeBlock
{
  public:
    SigpipeBlock()
    {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }

    ~SigpipeBlock()
    {
        const timespec zero{0, 0};
        while (sigtimedwait(&m_pipe, nullptr, &zero) > 0) // drop the pending SIGPIPE
        {
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }

    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

  private:
    sigset_t m_pipe; //!< {SIGPIPE}
    sigset_t m_old;  //!< the mask before
};

} // namespace

TypeId
ExternalAllocator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ExternalAllocator")
            .SetParent<SplitAllocator>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<ExternalAllocator>()
            .AddAttribute("Command",
                          "Program and arguments of the allocator, e.g. \"python3 my.py\" "
                          "(split like a shell: quotes and backslashes; no variables, pipes "
                          "or redirections). It speaks JSON lines on stdin/stdout; see the "
                          "class documentation and doc/edge-llm.rst.",
                          StringValue(""),
                          MakeStringAccessor(&ExternalAllocator::m_command),
                          MakeStringChecker())
            .AddAttribute("TimeoutS",
                          "Longest wait for one answer (and for the program to take one "
                          "message, or to exit at the end), s.",
                          DoubleValue(30.0),
                          MakeDoubleAccessor(&ExternalAllocator::m_timeoutS),
                          MakeDoubleChecker<double>(1e-3));
    return tid;
}

ExternalAllocator::ExternalAllocator() = default;

ExternalAllocator::~ExternalAllocator()
{
    Stop(m_timeoutS);
}

void
ExternalAllocator::DoDispose()
{
    Stop(m_timeoutS);
    SplitAllocator::DoDispose();
}

pid_t
ExternalAllocator::GetPid() const
{
    return m_pid;
}

std::string
ExternalAllocator::Where() const
{
    // one line whatever the command holds: newlines shown as \n, long commands shortened
    std::string shown;
    for (const char c : m_command)
    {
        shown += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return "external allocator '" + Excerpt(shown) + "', round " + std::to_string(m_round) +
           ", request " + std::to_string(m_request);
}

std::vector<std::string>
ExternalAllocator::SplitCommand(const std::string& command)
{
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    for (size_t i = 0; i < command.size(); ++i)
    {
        const char c = command[i];
        if (c == ' ' || c == '\t' || c == '\n')
        {
            if (inWord)
            {
                words.push_back(word);
                word.clear();
                inWord = false;
            }
            continue;
        }
        inWord = true;
        if (c == '\\')
        {
            if (++i == command.size())
            {
                throw InputError("allocator command '" + command + "' ends with a backslash");
            }
            word += command[i];
        }
        else if (c == '\'' || c == '"')
        {
            const size_t start = i;
            for (++i; i < command.size() && command[i] != c; ++i)
            {
                if (c == '"' && command[i] == '\\' && i + 1 < command.size() &&
                    (command[i + 1] == '"' || command[i + 1] == '\\'))
                {
                    ++i;
                }
                word += command[i];
            }
            if (i == command.size())
            {
                throw InputError("allocator command '" + command + "': the quote " + c +
                                 " at character " + std::to_string(start + 1) + " is not closed");
            }
        }
        else
        {
            word += c;
        }
    }
    if (inWord)
    {
        words.push_back(word);
    }
    return words;
}

void
ExternalAllocator::Start()
{
    const std::vector<std::string> words = SplitCommand(m_command);
    if (words.empty())
    {
        throw InputError("allocator 'external' needs a program: --allocatorCommand='python3 "
                         "my.py' (attribute ns3::ExternalAllocator::Command is empty)");
    }
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0)
    {
        throw InputError(Where() + ": cannot create a pipe: " + std::strerror(errno));
    }
    if (pipe2(out, O_CLOEXEC) != 0)
    {
        const int e = errno;
        close(in[0]);
        close(in[1]);
        throw InputError(Where() + ": cannot create a pipe: " + std::strerror(e));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigset_t pipeOnly;
    sigemptyset(&none);
    sigemptyset(&pipeOnly);
    sigaddset(&pipeOnly, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);        // the program starts unblocked
    posix_spawnattr_setsigdefault(&attr, &pipeOnly); // and with SIGPIPE's default action
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> argv;
    for (const auto& w : words)
    {
        argv.push_back(const_cast<char*>(w.c_str()));
    }
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    close(out[1]);
    if (rc != 0)
    {
        close(in[1]);
        close(out[0]);
        m_failed = true;
        throw InputError(Where() + ": cannot start '" + words[0] + "': " + std::strerror(rc) +
                         (rc == ENOENT ? " (command not found: check the name and PATH)" : ""));
    }
    m_pid = pid;
    m_toChild = in[1];
    m_fromChild = out[0];
    fcntl(m_toChild, F_SETFL, fcntl(m_toChild, F_GETFL) | O_NONBLOCK);
    fcntl(m_fromChild, F_SETFL, fcntl(m_fromChild, F_GETFL) | O_NONBLOCK);
    NS_LOG_INFO("started '" << m_command << "' as pid " << m_pid);
}

std::string
ExternalAllocator::Reap(double graceS)
{
    if (m_pid <= 0)
    {
        return "";
    }
    const auto deadline = DeadlineIn(graceS);
    while (true)
    {
        int status = 0;
        const pid_t r = waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid || (r < 0 && errno != EINTR))
        {
            m_pid = -1;
            if (r < 0)
            {
                return "ended (its status is unknown)";
            }
            if (WIFEXITED(status))
            {
                return "exited with status " + std::to_string(WEXITSTATUS(status));
            }
            const int sig = WTERMSIG(status);
            return "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
        }
        if (Clock::now() >= deadline)
        {
            return "";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void
ExternalAllocator::Stop(double graceS)
{
    if (m_toChild >= 0)
    {
        close(m_toChild); // EOF: the program should exit
        m_toChild = -1;
    }
    if (m_pid > 0)
    {
        std::string how = Reap(graceS);
        if (how.empty())
        {
            if (graceS > 0)
            {
                NS_LOG_WARN("'" << m_command << "' did not exit within " << graceS
                                << " s of the end of its input: killed");
            }
            kill(m_pid, SIGKILL);
            how = Reap(5.0);
            if (how.empty()) // cannot happen after SIGKILL, but never leave a zombie
            {
                waitpid(m_pid, nullptr, 0);
                m_pid = -1;
            }
        }
        else if (how != "exited with status 0")
        {
            NS_LOG_WARN("'" << m_command << "' " << how);
        }
    }
    if (m_fromChild >= 0)
    {
        close(m_fromChild);
        m_fromChild = -1;
    }
}

void
ExternalAllocator::Fail(const std::string& message, double graceS)
{
    m_failed = true;
    const std::string how = m_pid > 0 ? Reap(graceS) : "";
    if (m_pid > 0)
    {
        kill(m_pid, SIGKILL);
        Reap(5.0);
    }
    Stop(0);
    throw InputError(Where() + ": " + message + (how.empty() ? "" : "; the program " + how));
}

void
ExternalAllocator::Send(const std::string& line)
{
    const std::string data = line + "\n";
    const auto deadline = DeadlineIn(m_timeoutS);
    SigpipeBlock block; // a program that is gone gives EPIPE, not a signal that kills us
    size_t done = 0;
    while (done < data.size())
    {
        pollfd p{m_toChild, POLLOUT, 0};
        const int ready = poll(&p, 1, MsLeft(deadline));
        if (ready < 0 && errno == EINTR)
        {
            continue;
        }
        if (ready == 0)
        {
            std::ostringstream os;
            os << "it did not take its input within TimeoutS = " << m_timeoutS << " s";
            Fail(os.str());
        }
        const ssize_t n = write(m_toChild, data.data() + done, data.size() - done);
        if (n < 0)
        {
            if (errno == EAGAIN || errno == EINTR)
            {
                continue;
            }
            const std::string why = errno == EPIPE ? "closed its stdin" : std::strerror(errno);
            Fail("cannot send it a message: " + why, 2.0);
        }
        done += static_cast<size_t>(n);
    }
}

std::string
ExternalAllocator::Receive()
{
    const auto deadline = DeadlineIn(m_timeoutS);
    size_t scanned = 0;
    while (true)
    {
        const size_t eol = m_buffer.find('\n', scanned);
        if (eol != std::string::npos)
        {
            std::string line = m_buffer.substr(0, eol);
            m_buffer.erase(0, eol + 1);
            return line;
        }
        scanned = m_buffer.size();
        if (m_buffer.size() > kMaxLineBytes)
        {
            Fail("its answer is longer than " + std::to_string(kMaxLineBytes >> 20) +
                 " MiB without a newline");
        }
        pollfd p{m_fromChild, POLLIN, 0};
        const int ready = poll(&p, 1, MsLeft(deadline));
        if (ready < 0 && errno == EINTR)
        {
            continue;
        }
        if (ready == 0)
        {
            std::ostringstream os;
            os << "no answer within TimeoutS = " << m_timeoutS
               << " s (attribute ns3::ExternalAllocator::TimeoutS)";
            Fail(os.str());
        }
        char chunk[65536];
        const ssize_t n = read(m_fromChild, chunk, sizeof(chunk));
        if (n < 0)
        {
            if (errno == EAGAIN || errno == EINTR)
            {
                continue;
            }
            Fail(std::string("cannot read its answer: ") + std::strerror(errno));
        }
        if (n == 0)
        {
            Fail(m_buffer.empty() ? "it closed its stdout without answering"
                                  : "it closed its stdout in the middle of a line: \"" +
                                        Excerpt(m_buffer) + "\"",
                 2.0);
        }
        m_buffer.append(chunk, static_cast<size_t>(n));
    }
}

void
ExternalAllocator::CheckNothingUnasked()
{
    // What the program wrote since its last answer would be taken for the next answer: a
    // stale decision. Everything already in the pipe is read now, without waiting.
    char chunk[4096];
    while (true)
    {
        pollfd p{m_fromChild, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
        {
            break;
        }
        const ssize_t n = read(m_fromChild, chunk, sizeof(chunk));
        if (n <= 0) // end of file or error: the request will report it
        {
            break;
        }
        m_buffer.append(chunk, static_cast<size_t>(n));
    }
    if (!m_buffer.empty())
    {
        Fail("it wrote \"" + Excerpt(m_buffer.substr(0, m_buffer.find('\n'))) +
             "\" on its stdout without a request (answer each state with one line, nothing "
             "else; write logs to stderr)");
    }
}

std::vector<std::string>
ExternalAllocator::Validate(const Allocation& a, const RoundState& state)
{
    std::vector<std::string> out;
    const uint32_t M = state.NumServers();
    std::vector<double> band(M, 0.0);
    std::vector<double> gpu(M, 0.0);
    constexpr double tol = 1e-6;
    for (uint32_t n = 0; n < a.users.size() && n < state.users.size(); ++n)
    {
        const UserAllocation& x = a.users[n];
        const UserState& u = state.users[n];
        std::ostringstream os;
        os << "user " << n << ": ";
        const size_t before = out.size();
        auto say = [&](const std::string& what) { out.push_back(os.str() + what); };
        auto range = [](double lo, double v, double hi, const char* unit) {
            std::ostringstream r;
            r << v << " " << unit << " outside (" << lo << ", " << hi << "]";
            return r.str();
        };
        if (!(x.freqHz > 0 && x.freqHz <= u.fMaxHz * (1 + tol)))
        {
            say("freq_hz " + range(0, x.freqHz, u.fMaxHz, "Hz"));
        }
        if (x.server == UserAllocation::kNoServer)
        {
            if (x.alpha != state.layers)
            {
                say("server -1 (local-only) needs alpha = " + std::to_string(state.layers) +
                    ", got " + std::to_string(x.alpha));
            }
            else if (u.maxDeviceLayers != 0 && u.maxDeviceLayers < state.layers)
            {
                say("server -1 (local-only) trains all " + std::to_string(state.layers) +
                    " layers, above its memory limit max_device_layers = " +
                    std::to_string(u.maxDeviceLayers));
            }
            continue;
        }
        if (x.server >= M)
        {
            say("server " + std::to_string(x.server) + " does not exist (0 … " +
                std::to_string(M - 1) + ", or -1 for local-only)");
            continue;
        }
        if (x.alpha < state.MinAlpha() || x.alpha > state.MaxAlpha(n))
        {
            say("alpha " + std::to_string(x.alpha) + " outside [" +
                std::to_string(state.MinAlpha()) + ", " + std::to_string(state.MaxAlpha(n)) + "]");
        }
        if (!(x.powerW > 0 && x.powerW <= u.pMaxW * (1 + tol)))
        {
            say("power_w " + range(0, x.powerW, u.pMaxW, "W"));
        }
        if (!(x.bandwidthHz > 0))
        {
            say("bandwidth_hz " + std::to_string(x.bandwidthHz) + " is not positive");
        }
        if (!(x.edgeFreqHz > 0))
        {
            say("edge_freq_hz " + std::to_string(x.edgeFreqHz) + " is not positive");
        }
        if (out.size() == before)
        {
            band[x.server] += x.bandwidthHz;
            gpu[x.server] += x.edgeFreqHz;
        }
    }
    for (uint32_t m = 0; m < M; ++m)
    {
        std::ostringstream os;
        if (band[m] > state.servers[m].bandwidthHz * (1 + tol))
        {
            os << "server " << m << ": the users' bandwidth_hz sum to " << band[m]
               << " Hz, above its bandwidth " << state.servers[m].bandwidthHz << " Hz";
            out.push_back(os.str());
            os.str("");
        }
        if (gpu[m] > state.servers[m].fMaxHz * (1 + tol))
        {
            os << "server " << m << ": the users' edge_freq_hz sum to " << gpu[m]
               << " Hz, above its f_max " << state.servers[m].fMaxHz << " Hz";
            out.push_back(os.str());
        }
    }
    return out;
}

Allocation
ExternalAllocator::DoAllocate(const RoundState& state)
{
    NS_LOG_FUNCTION(this << m_round << m_request);
    if (m_failed)
    {
        throw InputError(Where() + ": the program failed earlier; no further requests");
    }
    if (m_pid <= 0)
    {
        Start();
    }
    CheckNothingUnasked();
    std::ostringstream json;
    WriteRoundStateJson(state, json);
    std::string stateLine = json.str();
    // one line: in JSON a raw newline can only be whitespace (strings escape it)
    std::replace(stateLine.begin(), stateLine.end(), '\n', ' ');
    Send("{\"type\": \"state\", \"round\": " + std::to_string(m_round) +
         ", \"request\": " + std::to_string(m_request) + ", \"state\": " + stateLine + "}");
    const std::string answer = Receive();
    Allocation a;
    try
    {
        a = ReadAllocationJson(answer, state.users.size(), "its answer");
    }
    catch (const InputError& e)
    {
        Fail(std::string(e.what()) + " (the line: \"" + Excerpt(answer) + "\")");
    }
    const std::vector<std::string> bad = Validate(a, state);
    if (!bad.empty())
    {
        std::string list;
        for (size_t i = 0; i < bad.size() && i < 5; ++i)
        {
            list += (i ? "; " : "") + bad[i];
        }
        if (bad.size() > 5)
        {
            list += "; and " + std::to_string(bad.size() - 5) + " more";
        }
        Fail("its answer violates " + std::to_string(bad.size()) + " constraint" +
             (bad.size() > 1 ? "s: " : ": ") + list);
    }
    ++m_request;
    a.allocator.clear(); // stamped "ns3::ExternalAllocator" by Allocate()
    return a;
}

void
ExternalAllocator::NotifyRoundOutcome(const RoundOutcome& outcome)
{
    if (m_pid > 0 && !m_failed)
    {
        std::ostringstream line;
        line << "{\"type\": \"results\", \"round\": " << outcome.round << ", \"outcome\": ";
        WriteRoundOutcomeJson(outcome, line);
        line << "}";
        Send(line.str());
    }
    m_round = outcome.round + 1;
}

} // namespace ns3
