# comredir-redirector with PAM and a throwaway local account (root only, else skipped): the
# pty belongs to the account, 0600, one program at a time; wrong passwords get no session.
add_test(NAME integration.redirector_pam
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/redirector_pam_test.py
                 $<TARGET_FILE:comredir-redirector>)
set_tests_properties(integration.redirector_pam PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
                     RUN_SERIAL TRUE
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
