/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fault-schedule.h"

#include "fdma-net-device.h"
#include "input-error.h"

#include "ns3/error-model.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFaultSchedule");

namespace
{

/// What each flag accepts, for its error messages.
const char* const kServerFailureSyntax =
    "a comma-separated list of M@T or M@T1-T2 (server index M fails at T s, recovers at T2 > T1 "
    "s; times >= 0, optional 's' suffix), e.g. 1@30 or 0@30-60,1@50";
const char* const kOutageSyntax =
    "a comma-separated list of N@T1-T2 (device index N's link is down from T1 to T2 > T1 s; "
    "times >= 0, optional 's' suffix), e.g. 3@10-15";
const char* const kLeaveSyntax =
    "a comma-separated list of N@T (device index N leaves at T s; T >= 0, optional 's' suffix), "
    "e.g. 2@40";
const char* const kJoinSyntax = "a comma-separated list of N@roundR (device index N joins before "
                                "round R >= 1), e.g. 1@round3";

/// Split at commas; empty items are kept (and rejected by the parsers).
std::vector<std::string>
SplitList(const std::string& text)
{
    std::vector<std::string> items;
    std::string::size_type start = 0;
    while (true)
    {
        const auto comma = text.find(',', start);
        items.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos)
        {
            return items;
        }
        start = comma + 1;
    }
}

/// A non-negative decimal integer (digits only, fits 32 bits); false otherwise.
bool
ParseIndex(const std::string& s, uint32_t& out)
{
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
    {
        return false;
    }
    out = static_cast<uint32_t>(std::stoul(s));
    return true;
}

/// A finite time >= 0 in s with an optional 's' suffix; false otherwise.
bool
ParseTime(std::string s, double& out)
{
    if (!s.empty() && s.back() == 's')
    {
        s.pop_back();
    }
    if (s.empty() || s.find_first_not_of("0123456789.eE+") != std::string::npos)
    {
        return false; // no sign, no "nan"/"inf", no hex
    }
    char* end = nullptr;
    errno = 0;
    out = std::strtod(s.c_str(), &end);
    return errno == 0 && end == s.c_str() + s.size() && std::isfinite(out) && out >= 0;
}

/// "T" or "T1-T2" (the dash is the first one not inside an exponent); false if malformed.
bool
ParseWindow(const std::string& s, double& from, double& to, bool& hasTo)
{
    std::string::size_type dash = std::string::npos;
    for (std::string::size_type i = 0; i < s.size(); ++i)
    {
        if (s[i] == '-' && i > 0 && s[i - 1] != 'e' && s[i - 1] != 'E')
        {
            dash = i;
            break;
        }
    }
    hasTo = dash != std::string::npos;
    if (!hasTo)
    {
        return ParseTime(s, from);
    }
    return ParseTime(s.substr(0, dash), from) && ParseTime(s.substr(dash + 1), to) && to > from;
}

/// Split "X@Y" at the one '@'; false if there is not exactly one.
bool
SplitAt(const std::string& item, std::string& left, std::string& right)
{
    const auto at = item.find('@');
    if (at == std::string::npos || item.find('@', at + 1) != std::string::npos)
    {
        return false;
    }
    left = item.substr(0, at);
    right = item.substr(at + 1);
    return true;
}

} // namespace

bool
FaultSchedule::Empty() const
{
    return serverFailures.empty() && outages.empty() && leaves.empty() && joins.empty() &&
           frameErrorRate == 0;
}

void
FaultSchedule::ParseServerFailures(const std::string& text, const std::string& flag)
{
    if (text.empty())
    {
        return;
    }
    for (const std::string& item : SplitList(text))
    {
        ServerFailure f;
        std::string left;
        std::string right;
        bool hasTo = false;
        Require(SplitAt(item, left, right) && ParseIndex(left, f.server) &&
                    ParseWindow(right, f.atS, f.recoverS, hasTo),
                flag,
                text,
                kServerFailureSyntax + std::string(" (bad item '") + item + "')");
        if (!hasTo)
        {
            f.recoverS = std::numeric_limits<double>::infinity();
        }
        serverFailures.push_back(f);
    }
}

void
FaultSchedule::ParseOutages(const std::string& text, const std::string& flag)
{
    if (text.empty())
    {
        return;
    }
    for (const std::string& item : SplitList(text))
    {
        Outage o;
        std::string left;
        std::string right;
        bool hasTo = false;
        Require(SplitAt(item, left, right) && ParseIndex(left, o.user) &&
                    ParseWindow(right, o.fromS, o.toS, hasTo) && hasTo,
                flag,
                text,
                kOutageSyntax + std::string(" (bad item '") + item + "')");
        outages.push_back(o);
    }
}

void
FaultSchedule::ParseLeaves(const std::string& text, const std::string& flag)
{
    if (text.empty())
    {
        return;
    }
    for (const std::string& item : SplitList(text))
    {
        Leave l;
        std::string left;
        std::string right;
        Require(SplitAt(item, left, right) && ParseIndex(left, l.user) && ParseTime(right, l.atS),
                flag,
                text,
                kLeaveSyntax + std::string(" (bad item '") + item + "')");
        leaves.push_back(l);
    }
}

void
FaultSchedule::ParseJoins(const std::string& text, const std::string& flag)
{
    if (text.empty())
    {
        return;
    }
    for (const std::string& item : SplitList(text))
    {
        Join j;
        std::string left;
        std::string right;
        const bool ok = SplitAt(item, left, right) && ParseIndex(left, j.user) &&
                        right.rfind("round", 0) == 0 && ParseIndex(right.substr(5), j.round) &&
                        j.round >= 1;
        Require(ok, flag, text, kJoinSyntax + std::string(" (bad item '") + item + "')");
        joins.push_back(j);
    }
}

void
FaultSchedule::Validate(uint32_t users, uint32_t servers) const
{
    const std::string maxServer = std::to_string(servers - 1);
    const std::string maxUser = std::to_string(users - 1);
    for (const auto& f : serverFailures)
    {
        Require(f.server < servers,
                "--serverFailure",
                std::to_string(f.server) + "@...",
                "a server index 0.." + maxServer);
    }
    for (const auto& o : outages)
    {
        Require(o.user < users,
                "--outage",
                std::to_string(o.user) + "@...",
                "a device index 0.." + maxUser);
    }
    std::set<uint32_t> seen;
    for (const auto& l : leaves)
    {
        Require(l.user < users,
                "--leave",
                std::to_string(l.user) + "@...",
                "a device index 0.." + maxUser);
        Require(seen.insert(l.user).second,
                "--leave",
                std::to_string(l.user) + "@...",
                "each device at most once");
    }
    seen.clear();
    for (const auto& j : joins)
    {
        Require(j.user < users,
                "--join",
                std::to_string(j.user) + "@...",
                "a device index 0.." + maxUser);
        Require(seen.insert(j.user).second,
                "--join",
                std::to_string(j.user) + "@...",
                "each device at most once");
    }
    Require(frameErrorRate >= 0 && frameErrorRate < 1,
            "--frameErrorRate",
            std::to_string(frameErrorRate),
            "a probability per frame in [0, 1)");
}

uint32_t
InstallFrameErrorRate(const NodeContainer& nodes, double rate)
{
    uint32_t installed = 0;
    for (auto node = nodes.Begin(); node != nodes.End(); ++node)
    {
        for (uint32_t i = 0; i < (*node)->GetNDevices(); ++i)
        {
            Ptr<NetDevice> dev = (*node)->GetDevice(i);
            auto em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(rate);
            if (auto fdma = DynamicCast<FdmaNetDevice>(dev))
            {
                fdma->SetAttribute("ReceiveErrorModel", PointerValue(em));
                ++installed;
            }
            else if (auto wifi = DynamicCast<WifiNetDevice>(dev))
            {
                wifi->GetPhy()->SetPostReceptionErrorModel(em);
                ++installed;
            }
        }
    }
    NS_LOG_INFO("frame error rate " << rate << " on " << installed << " devices");
    return installed;
}

} // namespace ns3
