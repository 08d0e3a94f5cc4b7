# comredir-redirector with the real FreeRDP client: every refusal audited (a failed login
# without its password, OneSessionPerPort naming the rule and the holder, denials naming the
# client's announcement), SIGTERM's reason the same in log and audit, and a live policy flip
# (`comredir-policy gp set TS_CLIENT_COM enabled`) closing an open port on both sides within
# a second, or not at all with `revokeOnPolicyChange: false`.
add_test(NAME integration.redirector_policy_live
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/redirector_policy_live_test.py
                 $<TARGET_FILE:comredir-redirector> $<TARGET_FILE:comredir-policy>
                 ${COMREDIR_SHARED_DATA}/admx)
set_tests_properties(integration.redirector_policy_live PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                     RUN_SERIAL TRUE
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
