# Policy names several ADMX files share (`gp set`, `admx show`, `gp list`, `admx list`), and
# which half of a GPO a --pol file is read or written as.
add_test(NAME integration.policy_names_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/policy_names_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.policy_names_cli PROPERTIES SKIP_RETURN_CODE 77)
