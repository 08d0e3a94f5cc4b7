# `intune admx-ingest` end to end: rows, --json (Graph omaSettingString), exit codes, messages.
add_test(NAME integration.intune_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/intune_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.intune_cli PROPERTIES SKIP_RETURN_CODE 77)
