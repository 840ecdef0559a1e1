# `sluice model train` run twice on the project's injection corpora writes byte-identical model files.
# Run by ctest (tests/CMakeLists.txt) from the source root with -DSLUICE=<binary> -DOUT=<scratch dir>.
file(GLOB data corpora/injection/*.jsonl)
file(MAKE_DIRECTORY ${OUT})
foreach(run 1 2)
  execute_process(COMMAND ${SLUICE} model train --out ${OUT}/run${run}.model --epochs 3 --threads ${run} ${data}
                  RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "sluice model train failed (${status}): ${errors}")
  endif()
  file(SHA256 ${OUT}/run${run}.model digest${run})
endforeach()
if(NOT digest1 STREQUAL digest2)
  message(FATAL_ERROR "two trainings on the same data wrote different model files")
endif()
message(STATUS "identical model files: ${digest1}")
