# Runs an edge-llm program (edge-llm-allocate, edge-llm-split-training, …) once (or twice) and
# checks its exit code and output.
# Usage: cmake -DPROGRAM=<exe> -DARGS=<a^^b^^c> [-DEXPECT_CODE=0] [-DSTDOUT_CONTAINS=<x^^y>]
#              [-DSTDERR_CONTAINS=<x^^y>] [-DONE_ERROR_LINE=ON] [-DDETERMINISTIC=ON]
#              -P check-cli.cmake
# Arguments are separated by "^^" (a CMake list would be split by add_test).
# ONE_ERROR_LINE: stderr must be exactly one line "<program>: error: …".
# DETERMINISTIC: a second run must print exactly the same stdout.
# PROGRAM_NAME: the name the error line starts with (default: PROGRAM's file name; set it for a
# script run through an interpreter).
if(NOT DEFINED EXPECT_CODE)
  set(EXPECT_CODE 0)
endif()
string(REPLACE "^^" ";" args "${ARGS}")
get_filename_component(program_name "${PROGRAM}" NAME)
if(DEFINED PROGRAM_NAME)
  set(program_name "${PROGRAM_NAME}")
endif()
execute_process(COMMAND ${PROGRAM} ${args} RESULT_VARIABLE code OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
set(shown "command: ${PROGRAM} ${args}\nexit code: ${code}\nstdout:\n${out}\nstderr:\n${err}")
if(NOT "${code}" STREQUAL "${EXPECT_CODE}")
  message(FATAL_ERROR "expected exit code ${EXPECT_CODE}\n${shown}")
endif()
if(ONE_ERROR_LINE)
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1 OR NOT err MATCHES "^${program_name}: error: [^\n]+\n$")
    message(FATAL_ERROR "stderr must be one line '${program_name}: error: …'\n${shown}")
  endif()
  if(NOT "${out}" STREQUAL "")
    message(FATAL_ERROR "nothing may be printed on stdout after an error\n${shown}")
  endif()
endif()
foreach(stream STDOUT STDERR)
  if(stream STREQUAL "STDOUT")
    set(text "${out}")
  else()
    set(text "${err}")
  endif()
  if(DEFINED ${stream}_CONTAINS)
    string(REPLACE "^^" ";" pieces "${${stream}_CONTAINS}")
    foreach(piece ${pieces})
      string(FIND "${text}" "${piece}" at)
      if(at EQUAL -1)
        message(FATAL_ERROR "'${piece}' not found in ${stream}\n${shown}")
      endif()
    endforeach()
  endif()
endforeach()
if(DETERMINISTIC)
  execute_process(COMMAND ${PROGRAM} ${args} RESULT_VARIABLE code2 OUTPUT_VARIABLE out2)
  if(NOT "${out}" STREQUAL "${out2}")
    message(FATAL_ERROR "a second run printed something else\n${shown}\nsecond stdout:\n${out2}")
  endif()
endif()
message(STATUS "ok: ${PROGRAM} ${args} -> ${code}")
