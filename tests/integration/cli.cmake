# CLI end to end: every example host, exit codes, --json against the published schema.
add_test(NAME integration.cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.cli PROPERTIES SKIP_RETURN_CODE 77)
