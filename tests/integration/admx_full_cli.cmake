# `admx validate` over Microsoft's full PolicyDefinitions set (errors vs warnings, exact
# counts per rule), the one-line summary of the set's problems, and tables fitted to a terminal.
add_test(NAME integration.admx_full_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/admx_full_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.admx_full_cli PROPERTIES SKIP_RETURN_CODE 77)
