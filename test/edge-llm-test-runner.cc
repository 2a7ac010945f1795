/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Test runner for standalone builds: Debian's ns-3 ships no test-runner, so this program hands
 * its arguments to ns-3's own TestRunner (e.g. --suite=edge-llm-profile, --list, --verbose).
 * The exit code is non-zero when any test case fails, which fails the ctest entry.
 */
#include "ns3/test.h"

int
main(int argc, char* argv[])
{
    return ns3::TestRunner::Run(argc, argv);
}
