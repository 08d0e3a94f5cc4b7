# `gp set`: set-and-reset restores every shared Registry.pol byte for byte; every file written
# reads the same in Samba's PReg parser; GPO folders get their gpt.ini version and extension
# names; errors and --dry-run.
add_test(NAME integration.gp_set
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/gp_set_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.gp_set PROPERTIES SKIP_RETURN_CODE 77)
