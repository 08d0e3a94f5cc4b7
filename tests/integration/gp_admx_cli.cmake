# `gp list` against GPMC's own reports, and the `admx list / show / validate` commands.
add_test(NAME integration.gp_admx_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/gp_admx_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.gp_admx_cli PROPERTIES SKIP_RETURN_CODE 77)
