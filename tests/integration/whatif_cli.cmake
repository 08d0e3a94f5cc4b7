# `effective --set`: what-if on each layer, exact decisions, schema, usage errors, no writes.
add_test(NAME integration.whatif_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/whatif_cli_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.whatif_cli PROPERTIES SKIP_RETURN_CODE 77)
