# comredir's own ADMX/ADML (admx/): schema validation with xmllint (Microsoft's TerminalServer
# templates as a control), semantic checks, and mutated copies that each check must reject.
add_test(NAME admx.schema
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/admx_check.py
                 ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA}/../schemas/admx)
set_tests_properties(admx.schema PROPERTIES SKIP_RETURN_CODE 77)
