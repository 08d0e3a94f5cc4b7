# `hostpool list|show|get|set|unset|create|delete` on the embedded store end to end: exact
# bytes, --dry-run / --backup / --json, exit codes and messages; two writers x 500 updates
# lose none; writers SIGKILLed at random points leave the old or the new store.
add_test(NAME integration.hostpool_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/hostpool_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.hostpool_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
