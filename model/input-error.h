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

} // namespace ns3

#endif // EDGE_LLM_INPUT_ERROR_H
