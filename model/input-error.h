/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_INPUT_ERROR_H
#define EDGE_LLM_INPUT_ERROR_H

#include <stdexcept>
#include <string>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief Error raised for bad user input (files, attributes, flags).
 *
 * The message always says what is wrong, where it was found (file and line, attribute or
 * flag) and what is allowed. Programs catch it at the top level, print the message once and
 * exit with a non-zero code, so bad input never crashes or aborts the simulator.
 */
class InputError : public std::runtime_error
{
  public:
    /**
     * @param message complete, human-readable description of the problem
     */
    explicit InputError(const std::string& message)
        : std::runtime_error(message)
    {
    }
};

/**
 * @ingroup edge-llm
 * Raise an InputError for a bad flag or option value unless the check holds.
 * @param ok the check
 * @param flag the flag or option (e.g. "--channel")
 * @param value the value given, as text
 * @param allowed what is allowed (e.g. "log-distance, 3gpp-uma or 3gpp-umi")
 * @throws InputError "<flag>='<value>' is not allowed; expected <allowed>"
 */
inline void
Require(bool ok, const std::string& flag, const std::string& value, const std::string& allowed)
{
    if (!ok)
    {
        throw InputError(flag + "='" + value + "' is not allowed; expected " + allowed);
    }
}

} // namespace ns3

#endif // EDGE_LLM_INPUT_ERROR_H
