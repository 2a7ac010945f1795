# Range checks of every program's flags: each bad value gives exit code 2 and
# one line "<program>: error: …" naming the flag, the value and what is allowed. Included from
# cli-tests.cmake; ctest label "cli".

# program target, test name, "^^"-separated arguments, "^^"-separated pieces stderr must hold
function(edge_llm_flag_test target name args contains)
  if(NOT TARGET ${target})
    return()
  endif()
  add_test(NAME cli/flags/${target}/${name}
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}>
                   "-DARGS=${args}^^--outputDir=${EDGE_LLM_CLI_OUT}/flags-bad" -DEXPECT_CODE=2
                   -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=${contains}"
                   -P ${EDGE_LLM_CLI_DIR}/check-cli.cmake)
  set_tests_properties(cli/flags/${target}/${name} PROPERTIES LABELS "cli" TIMEOUT 60)
endfunction()

# Python tools: script, test name, arguments, pieces; the error line starts with prog
function(edge_llm_python_flag_test script prog name args contains)
  add_test(NAME cli/flags/${prog}/${name}
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=/usr/bin/python3 -DPROGRAM_NAME=${prog}
                   "-DARGS=${CMAKE_CURRENT_SOURCE_DIR}/${script}^^${args}" -DEXPECT_CODE=2
                   -DONE_ERROR_LINE=ON "-DSTDERR_CONTAINS=${contains}"
                   -P ${EDGE_LLM_CLI_DIR}/check-cli.cmake)
  set_tests_properties(cli/flags/${prog}/${name} PROPERTIES LABELS "cli" TIMEOUT 60)
endfunction()

set(range_users "is not allowed; expected an integer in 1 … 100000")
foreach(program edge-llm-split-training edge-llm-compare)
  # ns-3's CommandLine read these as 1, 2, 10, bad_alloc, bad_alloc
  edge_llm_flag_test(${program} users-exponent "--users=1e9" "--users='1e9'^^${range_users}")
  edge_llm_flag_test(${program} users-fraction "--users=2.7" "--users='2.7'^^${range_users}")
  edge_llm_flag_test(${program} users-suffix "--users=10x" "--users='10x'^^${range_users}")
  edge_llm_flag_test(${program} users-negative "--users=-1" "--users='-1'^^${range_users}")
  edge_llm_flag_test(${program} users-too-many "--users=1000000000"
    "--users='1000000000'^^${range_users}")
  edge_llm_flag_test(${program} links-too-many "--users=100000^^--servers=10000"
    "1000000000 device-server links^^the limit is 10000000")
  # wrapped to 4294967295 rounds (a hang); 0 aborted in ns-3's attribute code
  edge_llm_flag_test(${program} rounds-negative "--rounds=-1"
    "--rounds='-1'^^an integer in 1 … 1000000")
  edge_llm_flag_test(${program} rounds-zero "--rounds=0" "--rounds='0'^^an integer in 1 … 1000000")
  edge_llm_flag_test(${program} speed-negative "--speed=-1" "--speed='-1'^^a number >= 0")
  edge_llm_flag_test(${program} reserve-one "--batteryReserve=1"
    "--batteryReserve='1'^^a number in [0, 1)")
  edge_llm_flag_test(${program} battery-nan "--batteryJ=nan" "--batteryJ='nan'^^a number > 0")
  edge_llm_flag_test(${program} weight-negative "--wTime=-2" "--wTime='-2'^^a number >= 0")
  edge_llm_flag_test(${program} compression-zero "--compression=0"
    "--compression='0'^^a number in (0, 1]")
  edge_llm_flag_test(${program} seed-zero "--seed=0" "--seed='0'^^an integer in 1 … 4294967295")
  edge_llm_flag_test(${program} layout-unknown "--layout=ring" "--layout='ring'^^hex, square or line")
  # --RngRun used to be overridden by --run silently; now another name of it
  edge_llm_flag_test(${program} rngrun-disagrees "--RngRun=2^^--run=1"
    "--RngRun='2' and --run='1' disagree")
  edge_llm_flag_test(${program} rngseed-disagrees "--seed=3^^--RngSeed=4"
    "--seed='3' and --RngSeed='4' disagree")
  edge_llm_flag_test(${program} run-zero "--run=0" "--run='0'^^an integer in 1 …")
  edge_llm_flag_test(${program} old-name-disagrees "--roundTimeoutS=3^^--roundDeadlineS=4"
    "--roundTimeoutS='3' and --roundDeadlineS='4' disagree")
  edge_llm_flag_test(${program} repeated "--users=3^^--users=4" "--users is given more than once")
  edge_llm_flag_test(${program} unknown "--colour=red" "unknown flag --colour^^see --help")
  edge_llm_flag_test(${program} positional "5" "unexpected argument '5'")
  edge_llm_flag_test(${program} no-value "--rounds" "--rounds needs a value")
  edge_llm_flag_test(${program} bool-word "--progress=yes" "--progress='yes'^^true, false, 1 or 0")
endforeach()
edge_llm_flag_test(edge-llm-split-training pcap-word "--pcap=on" "--pcap='on'^^true, false")
edge_llm_flag_test(edge-llm-split-training timing-word "--timing=2" "--timing='2'^^true, false")

# edge-llm-compare: --runs=-1 printed "4294967295 run(s)" and ran nothing with exit code 0
edge_llm_flag_test(edge-llm-compare runs-negative "--runs=-1" "--runs='-1'^^an integer in 1 … 100000")
edge_llm_flag_test(edge-llm-compare runs-zero "--runs=0" "--runs='0'^^an integer in 1 … 100000")
edge_llm_flag_test(edge-llm-compare run-past-last "--run=4294967295^^--runs=2"
  "goes past the last run number 4294967295")
# --allocators=fp,fp merged the two entries into one
edge_llm_flag_test(edge-llm-compare allocators-repeated "--allocators=fp,fp"
  "--allocators='fp,fp'^^'fp' is repeated")
edge_llm_flag_test(edge-llm-compare allocators-empty-item "--allocators=fp,,edge-only"
  "--allocators='fp,,edge-only'^^an item is empty")
edge_llm_flag_test(edge-llm-compare mode-unknown "--mode=fast" "--mode='fast'^^analytic or packet")

edge_llm_flag_test(edge-llm-cccp-convergence users-fraction "--users=2.7"
  "--users='2.7'^^an integer in 1 … 100000")
edge_llm_flag_test(edge-llm-cccp-convergence servers-repeated "--servers=2,5,2"
  "--servers='2,5,2'^^'2' is repeated")
edge_llm_flag_test(edge-llm-cccp-convergence servers-item "--servers=2,x"
  "--servers (item 'x')='x'^^an integer in 1 … 10000")
edge_llm_flag_test(edge-llm-cccp-convergence seeds-negative "--seeds=-1"
  "--seeds='-1'^^an integer in 1 … 10000")
edge_llm_flag_test(edge-llm-cccp-convergence seed-past-last "--seed=4294967295^^--seeds=2"
  "goes past the largest seed")
edge_llm_flag_test(edge-llm-cccp-convergence penalty-negative "--penalty=-1"
  "--penalty='-1'^^a number >= 0")
edge_llm_flag_test(edge-llm-cccp-convergence rngrun "--RngRun=2" "--RngRun is not used by")

edge_llm_flag_test(edge-llm-profile-summary batch-exponent "--batch=1e9"
  "--batch='1e9'^^an integer in 1 … 1048576")
edge_llm_flag_test(edge-llm-profile-summary bytes-nan "--bytesPerElement=nan"
  "--bytesPerElement='nan'^^a number in (0, 64]")
edge_llm_flag_test(edge-llm-profile-summary source-unknown "--source=json" "--source='json'^^csv or formula")
edge_llm_flag_test(edge-llm-profile-summary layers-zero "--source=formula^^--layers=0"
  "--layers='0'^^an integer in 1 … 10000")

# edge-llm-allocate keeps its own parser but reads numbers with the shared readers
if(TARGET edge-llm-allocate)
  edge_llm_cli_test(flags-generate-fraction 2 "--generate^^2.7^^2" -DONE_ERROR_LINE=ON
    "-DSTDERR_CONTAINS=--generate (users N)='2.7'^^an integer in 1 … 100000")
  edge_llm_cli_test(flags-min-rate-nan 2 "--generate^^2^^1^^--min-rate-bps^^nan" -DONE_ERROR_LINE=ON
    "-DSTDERR_CONTAINS=--min-rate-bps='nan'^^a number >= 0")
endif()

# Python tools (contrib/python/edge_llm_args.py)
edge_llm_python_flag_test(contrib/experiments/reproduce.py reproduce out-is-a-file
  "fig2^^--no-build^^--out^^${CMAKE_CURRENT_SOURCE_DIR}/README.md"
  "argument --out^^is a file") # was a NotADirectoryError traceback
edge_llm_python_flag_test(contrib/experiments/reproduce.py reproduce runs-exponent
  "fig4^^--no-build^^--runs=1e3" "argument --runs: '1e3'^^an integer in 1 … 100000")
edge_llm_python_flag_test(contrib/experiments/reproduce.py reproduce servers-list-repeated
  "fig4^^--no-build^^--servers-list=2,2" "argument --servers-list^^'2' is repeated")
edge_llm_python_flag_test(contrib/plot/plot_rounds.py plot_rounds run-negative
  "--input^^${EDGE_LLM_CLI_OUT}^^--run=-1" "argument --run: '-1'^^an integer in 1 …")
edge_llm_python_flag_test(contrib/plot/plot_throughput.py plot_throughput bin-nan
  "--input^^${EDGE_LLM_CLI_OUT}^^--bin-s=nan" "argument --bin-s: 'nan'^^a number > 0 in s")
edge_llm_python_flag_test(contrib/plot/plot_all.py plot_all output-is-a-file
  "--input^^${EDGE_LLM_CLI_OUT}^^--output^^${CMAKE_CURRENT_SOURCE_DIR}/README.md"
  "argument --output^^is a file")

# ns-3 attribute defaults and global values: one line instead of ns-3's abort in UintegerValue
# ("abc", "10x") or its help dump
edge_llm_flag_test(edge-llm-split-training attribute-not-a-number
  "--ns3::TcpSocket::SegmentSize=abc" "--ns3::TcpSocket::SegmentSize='abc' is not allowed")
edge_llm_flag_test(edge-llm-split-training attribute-suffix "--ns3::TcpSocket::SegmentSize=10x"
  "--ns3::TcpSocket::SegmentSize='10x' is not allowed")
edge_llm_flag_test(edge-llm-split-training attribute-out-of-range
  "--ns3::TcpSocket::SegmentSize=99999999999" "--ns3::TcpSocket::SegmentSize='99999999999'")
edge_llm_flag_test(edge-llm-split-training attribute-unknown "--ns3::NoSuch::Attr=1"
  "--ns3::NoSuch::Attr='1' is not allowed^^--PrintAttributes")
edge_llm_flag_test(edge-llm-split-training lte-handover-not-a-bool
  "--ns3::LteTier::Handover=maybe" "--ns3::LteTier::Handover='maybe' is not allowed")
edge_llm_flag_test(edge-llm-split-training lte-separate-carriers-not-a-bool
  "--ns3::LteTier::SeparateCarriers=2" "--ns3::LteTier::SeparateCarriers='2' is not allowed")
edge_llm_flag_test(edge-llm-compare global-bad-value "--ChecksumEnabled=maybe"
  "--ChecksumEnabled='maybe' is not allowed")
