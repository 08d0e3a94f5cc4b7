# comredir-redirector with the real FreeRDP client (xfreerdp on Xvfb, socat ptys): ports,
# 1 MiB each way, settings, one session per port, policy deny with audit, hang-up on client
# kill, 50 connect/disconnect cycles without leaks (15 under sanitizers, where each costs
# seconds: clitest.stress), SIGTERM.
add_test(NAME integration.redirector_e2e
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/redirector_e2e_test.py
                 $<TARGET_FILE:comredir-redirector>)
set_tests_properties(integration.redirector_e2e PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900
                     RUN_SERIAL TRUE
                     # ASan builds: libcrypto has no frame pointers, so leak stacks need the
                     # slow unwinder for tests/lsan.supp to match (release builds ignore both).
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
