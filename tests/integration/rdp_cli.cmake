# `rdp get|set|unset`: set+unset and set-to-current keep every shared .rdp byte for byte; exact
# errors and exit codes; --dry-run, --backup, --json, signed files; concurrent and killed writers.
add_test(NAME integration.rdp_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/rdp_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.rdp_cli PROPERTIES SKIP_RETURN_CODE 77)
