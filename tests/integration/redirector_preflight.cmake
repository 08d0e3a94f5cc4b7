# comredir-redirector at start: redirector/README.md's example config used as written (with
# xfreerdp: a port the OS policy allows on a `linux` host without a host pool store, the
# `ports --json` time in RFC 3339), the preflight lines, and exit 3 with one exact message for
# each bad config or environment, nothing generated left behind.
add_test(NAME integration.redirector_preflight
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/redirector_preflight_test.py
                 $<TARGET_FILE:comredir-redirector> $<TARGET_FILE:comredir-policy>
                 ${PROJECT_SOURCE_DIR}/redirector/README.md)
set_tests_properties(integration.redirector_preflight PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                     RUN_SERIAL TRUE
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
