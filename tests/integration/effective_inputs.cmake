# `effective`: GPO link order and conflicts, invalid values (exit 3), unreadable host pool store.
add_test(NAME integration.effective_inputs
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/effective_inputs_test.py
                 $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR})
set_tests_properties(integration.effective_inputs PROPERTIES SKIP_RETURN_CODE 77)
