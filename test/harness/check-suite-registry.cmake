# Fails when the test runner knows an edge-llm suite that has no ctest entry (or vice versa).
# Usage: cmake -DRUNNER=<runner> -DEXPECTED=<a;b;c> -P check-suite-registry.cmake
execute_process(COMMAND ${RUNNER} --list OUTPUT_VARIABLE listed RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${RUNNER} --list failed with ${rc}")
endif()
string(REGEX MATCHALL "edge-llm[^ \t\r\n]*" found "${listed}")
list(REMOVE_ITEM EXPECTED "")
list(SORT found)
list(SORT EXPECTED)
if(NOT "${found}" STREQUAL "${EXPECTED}")
  message(FATAL_ERROR "suites registered in the runner: ${found}\n"
                      "suites with a ctest entry (CMakeLists.txt): ${EXPECTED}\n"
                      "add the missing names to EDGE_LLM_TEST_SUITES or EDGE_LLM_SLOW_TEST_SUITES")
endif()
message(STATUS "all ${EXPECTED} registered")
