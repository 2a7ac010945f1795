# Tests of the sweep runner contrib/sweep/edge-llm-sweep (ctest label "sweep"), included from
# the standalone section of CMakeLists.txt. One ctest entry runs contrib/sweep/test_sweep.py on
# edge-llm-split-training: a small grid, failing jobs and --resume, a sweep killed half-way and
# resumed, --sshloginfile through a fake ssh, bad input (exit 2, one line), and the Slurm
# job-array script run by hand (about 15 s on 2 cores); a second entry sweeps the
# realistic-channel flags. Needs GNU parallel (Debian package parallel, see
# contrib/install-deps.sh).
if(NOT TARGET edge-llm-split-training)
  return()
endif()
add_test(NAME sweep/runner
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/contrib/sweep/test_sweep.py
                 --program $<TARGET_FILE:edge-llm-split-training> --part runner)
set_tests_properties(sweep/runner PROPERTIES LABELS "sweep" TIMEOUT 120)
# Every realistic-channel flag (--channel, --fading, --mobility, --speed,
# --linkAdaptation, --rateModel, --csi, --handoverHysteresisDb, --frequencyHz, --isd) swept
# over its values and one bad value: 10 sweeps of 3-5 one-round jobs, about 30 s on 2 idle
# cores (2 min on a loaded machine).
add_test(NAME sweep/channel-flags
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/contrib/sweep/test_sweep.py
                 --program $<TARGET_FILE:edge-llm-split-training> --part channel-flags)
set_tests_properties(sweep/channel-flags PROPERTIES LABELS "sweep" TIMEOUT 300)
