# `intune get|set|unset|export` end to end: exact bytes on the real export, dry-run, backup,
# exit codes, two concurrent writers, SIGKILLed writers.
add_test(NAME integration.intune_edit_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/intune_edit_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.intune_edit_cli PROPERTIES TIMEOUT 300)
