# `gp set` on the shapes Group Policy reads back its own way (shared values, optional multiText,
# twins, Enabled that writes Disabled, Disabled that writes nothing), on Microsoft's ADMX.
add_test(NAME integration.gp_set_shapes
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/gp_set_shapes_test.py
                 $<TARGET_FILE:comredir-policy> ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.gp_set_shapes PROPERTIES SKIP_RETURN_CODE 77)
