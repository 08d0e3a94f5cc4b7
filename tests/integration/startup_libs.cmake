# What the programs load at start: no libcurl, no libxml2 (they are modules, loaded by the
# commands that use them), and the modules themselves load and answer.
add_test(NAME integration.startup_libs
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/startup_libs_test.py
                 $<TARGET_FILE:comredir-policy> $<TARGET_FILE:comredir-redirector>
                 ${COMREDIR_MODULE_BUILD_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.startup_libs PROPERTIES SKIP_RETURN_CODE 77)
