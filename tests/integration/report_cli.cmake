# `report`: the example estate as a fleet — exact decisions and counts, the JSON against its
# schema, the HTML self-contained and holding the JSON's figures, baseline drift, errors.
add_test(NAME integration.report_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/report_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.report_cli PROPERTIES SKIP_RETURN_CODE 77)
