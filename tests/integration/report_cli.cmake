# `report`: the example estate as a fleet — exact decisions and counts, the JSON against its
# schema, the HTML self-contained and holding the JSON's figures, baseline drift, errors.
add_test(NAME integration.report_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/report_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.report_cli PROPERTIES SKIP_RETURN_CODE 77)
# The HTML report in headless Chromium (tests/integration/report_html_test.py): DOM against
# JSON, sorting, axe-core (from the console page's npm install), a screenshot in
# <build>/tests/artifacts/report. SKIP without the browser or axe-core.
if(COMREDIR_WEB)
  add_test(NAME integration.report_html
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/report_html_test.py
                   $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR}
                   ${COMREDIR_WEB_NODE_MODULES}/axe-core/axe.min.js
                   ${CMAKE_BINARY_DIR}/tests/artifacts/report ${COMREDIR_SHARED_DATA})
  set_tests_properties(integration.report_html PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
# `report --resource-graph` against the local HTTPS stand-in for Azure Resource Manager
# (arm_server.py + graph_stand_in.py): paging, unknown OS layers, 429, partial results,
# malformed JSON, TLS, the token in no output.
add_test(NAME integration.report_graph
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/report_graph_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.report_graph PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
