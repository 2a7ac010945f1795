# CLI tests of edge-llm-allocate (ctest label "cli"), included from the standalone section of
# CMakeLists.txt. Each test runs the program through check-cli.cmake or
# solve-every-allocator.cmake; arguments are separated by "^^".
if(NOT TARGET edge-llm-allocate)
  return()
endif()
set(EDGE_LLM_CLI_DIR ${CMAKE_CURRENT_LIST_DIR})
set(EDGE_LLM_CLI_OUT ${CMAKE_BINARY_DIR}/test/cli)
file(MAKE_DIRECTORY ${EDGE_LLM_CLI_OUT})
set(EDGE_LLM_CLI_PROGRAM $<TARGET_FILE:edge-llm-allocate>)

# name, expected exit code, "^^"-separated arguments, then optional -D settings for the script
function(edge_llm_cli_test name code args)
  add_test(NAME cli/${name}
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=${EDGE_LLM_CLI_PROGRAM} "-DARGS=${args}"
                   -DEXPECT_CODE=${code} ${ARGN} -P ${EDGE_LLM_CLI_DIR}/check-cli.cmake)
  set_tests_properties(cli/${name} PROPERTIES LABELS "cli" TIMEOUT 120)
endfunction()

# ---- generating ------------------------------------------------------------------------------
edge_llm_cli_test(generate-paper 0
  "--generate^^6^^2^^--preset^^paper^^--seed^^7^^--output^^${EDGE_LLM_CLI_OUT}/paper-6x2.json")
set_tests_properties(cli/generate-paper PROPERTIES FIXTURES_SETUP edge-llm-cli-instance)
edge_llm_cli_test(generate-is-deterministic 0 "--generate=4,3^^--seed=11^^--objective=paper"
  -DDETERMINISTIC=ON "-DSTDOUT_CONTAINS=\"mode\": \"paper\"^^\"layers\": 32")
edge_llm_cli_test(generate-realistic-llama 0
  "--generate^^2^^1^^--preset^^realistic^^--seed^^1^^--model^^llama-2-7b^^--batch^^4^^--seq^^512"
  "-DSTDOUT_CONTAINS=\"payload_bits\": 134217728,^^\"cores\": 16896")

edge_llm_cli_test(generate-ergodic 0 "--generate=3,2^^--seed=5^^--rate-model=ergodic"
  "-DSTDOUT_CONTAINS=\"rate_model\": \"ergodic\"")

# ---- solving ---------------------------------------------------------------------------------
edge_llm_cli_test(solve-ergodic 0
  "--instance^^${EDGE_LLM_CLI_OUT}/paper-6x2.json^^--allocator^^fp^^--rate-model^^ergodic"
  "-DSTDOUT_CONTAINS=\"feasible\": true")
set_tests_properties(cli/solve-ergodic PROPERTIES FIXTURES_REQUIRED edge-llm-cli-instance)
edge_llm_cli_test(unknown-rate-model 2
  "--instance^^${EDGE_LLM_CLI_OUT}/paper-6x2.json^^--allocator^^fp^^--rate-model^^rayleigh"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=--rate-model^^snapshot, ergodic")
set_tests_properties(cli/unknown-rate-model PROPERTIES FIXTURES_REQUIRED edge-llm-cli-instance)
add_test(NAME cli/solve-every-allocator
         COMMAND ${CMAKE_COMMAND} -DPROGRAM=${EDGE_LLM_CLI_PROGRAM}
                 -DINSTANCE=${EDGE_LLM_CLI_OUT}/paper-6x2.json -DUSERS=6 -DSERVERS=2
                 -DSKIP=exhaustive # the oracle refuses 32-layer instances: see below
                 "-DEXTERNAL_COMMAND=/usr/bin/python3 ${CMAKE_SOURCE_DIR}/contrib/allocators/fixed_split.py"
                 -P ${EDGE_LLM_CLI_DIR}/solve-every-allocator.cmake)
set_tests_properties(cli/solve-every-allocator PROPERTIES LABELS "cli" TIMEOUT 300
                     FIXTURES_REQUIRED edge-llm-cli-instance)
# gains of 1e-31 (SNR ~1e-22): every allocator, the oracle too (6 layers), must return a
# finite objective; before, the rate rounded to 0: fp crashed, alternating aborted, others
# said "feasible" with a null objective
add_test(NAME cli/solve-every-allocator-tiny-gains
         COMMAND ${CMAKE_COMMAND} -DPROGRAM=${EDGE_LLM_CLI_PROGRAM}
                 -DINSTANCE=${EDGE_LLM_CLI_DIR}/tiny-gains.json -DUSERS=3 -DSERVERS=2
                 "-DEXTERNAL_COMMAND=/usr/bin/python3 ${CMAKE_SOURCE_DIR}/contrib/allocators/fixed_split.py"
                 -P ${EDGE_LLM_CLI_DIR}/solve-every-allocator.cmake)
set_tests_properties(cli/solve-every-allocator-tiny-gains PROPERTIES LABELS "cli" TIMEOUT 300)
edge_llm_cli_test(list-allocators 0 "--list-allocators")
edge_llm_cli_test(exhaustive-refuses-large 2
  "--instance^^${EDGE_LLM_CLI_OUT}/paper-6x2.json^^--allocator^^exhaustive"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=combinations^^MaxCombinations")
set_tests_properties(cli/exhaustive-refuses-large PROPERTIES FIXTURES_REQUIRED edge-llm-cli-instance)

# ---- bad input: exit code 2 and exactly one line on stderr ------------------------------------
edge_llm_cli_test(bad-unknown-key 2
  "--instance^^${EDGE_LLM_CLI_DIR}/bad-unknown-key.json^^--allocator^^x"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=users[0]^^unknown key \"kapa\"^^kappa")
edge_llm_cli_test(bad-syntax 2 "--instance^^${EDGE_LLM_CLI_DIR}/bad-syntax.json^^--allocator^^x"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=bad-syntax.json:4: JSON syntax error")
edge_llm_cli_test(bad-range 2 "--instance^^${EDGE_LLM_CLI_DIR}/bad-range.json^^--allocator^^x"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=servers[1].tx_power_w")
edge_llm_cli_test(unusable-gain 2
  "--instance^^${EDGE_LLM_CLI_DIR}/unusable-gain.json^^--allocator^^fp"
  -DONE_ERROR_LINE=ON
  "-DSTDERR_CONTAINS=unusable-gain.json: users[1].gain[1] = 1e-200 gives no usable link to servers[1]^^at most 1e+100 s or J each^^a gain >= ")
add_test(NAME cli/write-deep-json
         COMMAND ${CMAKE_COMMAND} -DOUT=${EDGE_LLM_CLI_OUT}/deep.json
                 -P ${EDGE_LLM_CLI_DIR}/write-deep-json.cmake)
set_tests_properties(cli/write-deep-json PROPERTIES LABELS "cli" FIXTURES_SETUP edge-llm-cli-deep)
edge_llm_cli_test(deep-nesting 2 "--instance^^${EDGE_LLM_CLI_OUT}/deep.json^^--allocator^^fp"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=deep.json:1: objects and arrays nested more than 64 levels deep")
set_tests_properties(cli/deep-nesting PROPERTIES FIXTURES_REQUIRED edge-llm-cli-deep)
edge_llm_cli_test(missing-file 2 "--instance^^${EDGE_LLM_CLI_OUT}/no-such-file.json^^--allocator^^x"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=cannot open")
edge_llm_cli_test(unknown-allocator 2
  "--instance^^${EDGE_LLM_CLI_OUT}/paper-6x2.json^^--allocator^^no-such-allocator"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=no-such-allocator^^known allocators")
set_tests_properties(cli/unknown-allocator PROPERTIES FIXTURES_REQUIRED edge-llm-cli-instance)
edge_llm_cli_test(unknown-flag 2 "--generate^^2^^1^^--colour^^red"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=--colour")
edge_llm_cli_test(unknown-preset 2 "--generate^^2^^1^^--preset^^papr"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=paper, realistic")
edge_llm_cli_test(unknown-objective 2
  "--instance^^${EDGE_LLM_CLI_OUT}/paper-6x2.json^^--allocator^^x^^--objective^^fast"
  -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=--objective^^paper, delay-aware")
set_tests_properties(cli/unknown-objective PROPERTIES FIXTURES_REQUIRED edge-llm-cli-instance)
edge_llm_cli_test(zero-users 2 "--generate^^0^^2" -DONE_ERROR_LINE=ON
  "-DSTDERR_CONTAINS=users")
edge_llm_cli_test(generate-needs-two-values 2 "--generate^^5" -DONE_ERROR_LINE=ON)
edge_llm_cli_test(no-mode 2 "--seed^^3" -DONE_ERROR_LINE=ON)

# ---- edge-llm-split-training: bad radio flags (exit code 2, one line naming the flag) ---------
if(TARGET edge-llm-split-training)
  # name, "^^"-separated arguments, then -D settings for check-cli.cmake
  function(edge_llm_radio_flag_test name args)
    add_test(NAME cli/split-training-${name}
             COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:edge-llm-split-training>
                     "-DARGS=${args}^^--outputDir=${EDGE_LLM_CLI_OUT}/radio-bad" -DEXPECT_CODE=2
                     -DONE_ERROR_LINE=ON ${ARGN} -P ${EDGE_LLM_CLI_DIR}/check-cli.cmake)
    set_tests_properties(cli/split-training-${name} PROPERTIES LABELS "cli" TIMEOUT 120)
  endfunction()
  edge_llm_radio_flag_test(nakagami-renamed "--fading=nakagami"
    "-DSTDERR_CONTAINS=--fading=nakagami^^--fading=iid-rayleigh")
  edge_llm_radio_flag_test(unknown-fading "--fading=rician"
    "-DSTDERR_CONTAINS=--fading='rician'^^none, jakes")
  edge_llm_radio_flag_test(shadowing-removed "--shadowingDb=8"
    "-DSTDERR_CONTAINS=--shadowingDb=8^^--channel=3gpp-umi|3gpp-uma")
  edge_llm_radio_flag_test(unknown-channel "--channel=free-space"
    "-DSTDERR_CONTAINS=--channel='free-space'^^3gpp-uma")
  edge_llm_radio_flag_test(unknown-mobility "--mobility=levy"
    "-DSTDERR_CONTAINS=--mobility='levy'^^gauss-markov")
  edge_llm_radio_flag_test(negative-speed "--speed=-2" "-DSTDERR_CONTAINS=--speed='-2'^^>= 0")
  edge_llm_radio_flag_test(moving-at-zero-speed "--mobility=gauss-markov^^--speed=0"
    "-DSTDERR_CONTAINS=--speed='0'^^--mobility=static")
  edge_llm_radio_flag_test(frequency-out-of-range "--channel=3gpp-umi^^--frequencyHz=2e8"
    "-DSTDERR_CONTAINS=--frequencyHz='2e+08'^^100e9")
  edge_llm_radio_flag_test(ut-too-high "--channel=3gpp-umi^^--utHeightM=12"
    "-DSTDERR_CONTAINS=--utHeightM='12'^^[1.5, 10)")
  edge_llm_radio_flag_test(height-on-log-distance "--bsHeightM=25"
    "-DSTDERR_CONTAINS=--bsHeightM='25'^^3gpp-uma|3gpp-umi")
endif()

# ---- edge-llm-compare: analytic vs packet, CIs, common random numbers, bad flags -------------
if(TARGET edge-llm-compare AND TARGET edge-llm-split-training AND TARGET edge-llm-cccp-convergence)
  add_test(NAME cli/compare
           COMMAND /usr/bin/python3 ${EDGE_LLM_CLI_DIR}/test_compare.py
                   --compare $<TARGET_FILE:edge-llm-compare>
                   --split-training $<TARGET_FILE:edge-llm-split-training>
                   --convergence $<TARGET_FILE:edge-llm-cccp-convergence>)
  set_tests_properties(cli/compare PROPERTIES LABELS "cli" TIMEOUT 300)
endif()

# ---- every program's flags: strict, range-checked (helper/strict-flags.h) ---------------------
include(${EDGE_LLM_CLI_DIR}/flag-tests.cmake)
# --allocator=external end to end: the Python example against the built-in fixed-split in a
# packet-level simulation (byte-identical CSVs), edge-llm-compare and edge-llm-allocate, and
# the failure modes of the programs (test/cli/test_external_allocator.py)
if(TARGET edge-llm-compare AND TARGET edge-llm-split-training)
  add_test(NAME cli/external-allocator
           COMMAND /usr/bin/python3 ${EDGE_LLM_CLI_DIR}/test_external_allocator.py
                   --build-dir ${CMAKE_BINARY_DIR} --source-dir ${CMAKE_SOURCE_DIR})
  set_tests_properties(cli/external-allocator PROPERTIES LABELS "cli" TIMEOUT 600)
endif()

# ---- Wi-Fi: an interface that finds no AP in time is switched off, not put to sleep ------------
# (4 devices of the default drop: some interfaces never hear the far AP; putting one to sleep
# while it scanned aborted inside WifiPhy with "Invalid WifiPhy state SLEEP")
if(TARGET edge-llm-split-training)
  add_test(NAME cli/wifi-unassociated-interfaces
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:edge-llm-split-training>
                   "-DARGS=--tier=wifi^^--users=4^^--rounds=1^^--outputDir=${EDGE_LLM_CLI_OUT}/wifi-4^^--pcap=false^^--flowMonitor=false^^--progress=false"
                   -DEXPECT_CODE=0 "-DSTDOUT_CONTAINS=outputs in"
                   -P ${EDGE_LLM_CLI_DIR}/check-cli.cmake)
  set_tests_properties(cli/wifi-unassociated-interfaces PROPERTIES LABELS "cli" TIMEOUT 300)
endif()

# ---- LTE tier end to end: edge-llm-compare --mode=packet --tier=lte and the sweep runner -------
if(TARGET edge-llm-compare)
  add_test(NAME cli/compare-packet-lte
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:edge-llm-compare>
                   "-DARGS=--mode=packet^^--tier=lte^^--allocators=fp,edge-only^^--runs=1^^--users=3^^--servers=2^^--rounds=1^^--outputDir=${EDGE_LLM_CLI_OUT}/compare-lte"
                   -DEXPECT_CODE=0 "-DSTDOUT_CONTAINS=fp^^edge-only"
                   -P ${EDGE_LLM_CLI_DIR}/check-cli.cmake)
  set_tests_properties(cli/compare-packet-lte PROPERTIES LABELS "cli" TIMEOUT 600)
endif()
if(TARGET edge-llm-split-training)
  # a fresh sweep folder each time (a sweep's folder is kept for --resume), two jobs, both
  # collected into sweep.csv (a header and a row per job's round)
  set(sweep_out ${EDGE_LLM_CLI_OUT}/sweep-lte)
  add_test(NAME cli/sweep-lte
           COMMAND /bin/sh -c "rm -rf '${sweep_out}' && /usr/bin/python3 '${CMAKE_SOURCE_DIR}/contrib/sweep/edge-llm-sweep' run --program '$<TARGET_FILE:edge-llm-split-training>' --out '${sweep_out}' --grid users=2,3 --runs 1 --jobs 1 -- --tier=lte --servers=2 --rounds=1 --pcap=false --flowMonitor=false --progress=false && test $(wc -l < '${sweep_out}/sweep.csv') -eq 3")
  set_tests_properties(cli/sweep-lte PROPERTIES LABELS "cli" TIMEOUT 600)
endif()
