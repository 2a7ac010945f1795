/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// libFuzzer harness of the instance JSON reader (helper/round-state-json.cc): whatever the bytes,
// ReadRoundStateJson either returns a valid RoundState or throws InputError; anything else (a
// crash, a sanitizer finding, another exception) is a bug. An instance it accepts must survive a
// write/read round trip unchanged. Built and run by contrib/fuzz.sh (build-fuzz/, clang).

#include "ns3/input-error.h"
#include "ns3/round-state-json.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    ns3::RoundState state;
    try
    {
        state = ns3::ReadRoundStateJson(in, "fuzz.json");
    }
    catch (const ns3::InputError&)
    {
        return 0; // rejected with a message: the contract for bad input
    }
    // accepted: what the writer makes of it must read back to the same instance
    std::ostringstream first;
    ns3::WriteRoundStateJson(state, first);
    std::istringstream again(first.str());
    ns3::RoundState reread;
    try
    {
        reread = ns3::ReadRoundStateJson(again, "fuzz-rewritten.json");
    }
    catch (const ns3::InputError& e)
    {
        std::fprintf(stderr, "accepted instance not readable once written: %s\n", e.what());
        std::abort();
    }
    std::ostringstream second;
    ns3::WriteRoundStateJson(reread, second);
    if (first.str() != second.str())
    {
        std::fprintf(stderr,
                     "write/read round trip changed the instance:\n%s\n---\n%s\n",
                     first.str().c_str(),
                     second.str().c_str());
        std::abort();
    }
    return 0;
}
