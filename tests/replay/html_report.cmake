# `sluice replay --html`: the report is written, stands alone (no URL, no script, no external
# stylesheet or image) and holds the entity table and the injection plots.
# Run as: cmake -DSLUICE=<binary> -DOUT=<dir> -DCACHE=<hs cache> -P html_report.cmake (from the source root)
file(MAKE_DIRECTORY ${OUT})
set(report ${OUT}/replay-report.html)
file(REMOVE ${report})
execute_process(COMMAND ${SLUICE} replay --cache-dir ${CACHE} --html ${report}
                        corpora/pii/email.jsonl corpora/pii/credit_card.jsonl corpora/pii/hard_negatives.jsonl
                        corpora/injection/attacks.jsonl corpora/injection/benign.jsonl
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "sluice replay --html exited with ${status}")
endif()
if(NOT EXISTS ${report})
  message(FATAL_ERROR "no report at ${report}")
endif()
file(READ ${report} html)
foreach(needed "<table id=\"entity-table\">" "<th class=\"n\">precision</th>" "<td>EMAIL</td>" "<td>CREDIT_CARD</td>"
               "aria-label=\"ROC curve\"" "aria-label=\"Threshold sweep\"" "<table id=\"sweep-table\">"
               "<dt>Command</dt><dd><code>sluice replay" "<dt>Commit</dt>" "<dt>Catalog digest</dt><dd><code>"
               "<h2 id=\"errors\">Worst errors</h2>")
  string(FIND "${html}" "${needed}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the report lacks ${needed}")
  endif()
endforeach()
string(TOLOWER "${html}" lower)
foreach(forbidden "http://" "https://" "<script" "<link" "<img" "<iframe" "src=" "href=" "url(" "@import")
  string(FIND "${lower}" "${forbidden}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the report is not self-contained: it contains ${forbidden}")
  endif()
endforeach()
message(STATUS "report ok: ${report}")
