# comredir-console end to end (tests/integration/console_gateway_test.py): the real daemon,
# socat pty pairs as targets, WebSocket clients from python3-websockets. Logins, CSRF and
# origin checks, roles, takeover and logout, paste limit, pacing, idle, off switches (config,
# owner, Registry.pol), TLS 1.1 refused, oversized frames, fan-out to 64 spectators, a stalled
# spectator dropped, SIGTERM.
add_test(NAME integration.console_gateway
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/console_gateway_test.py
                 $<TARGET_FILE:comredir-console>)
set_tests_properties(integration.console_gateway PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
# The terminal client (tests/integration/console_client_test.py): list, disable/enable, and
# connect in a pseudo-terminal — raw mode restored on every way out, the Ctrl+] menu,
# takeover, read-only, certificate pinning.
add_test(NAME integration.console_client
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/console_client_test.py
                 $<TARGET_FILE:comredir-console>)
set_tests_properties(integration.console_client PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
# A real VM (tests/integration/console_vm_test.py): QEMU (TCG) boots Debian's cloud kernel
# with a busybox initramfs the test builds; COM1 and QMP through the gateway — a command
# round trip, NMI, restart, a no-echo password in no log.
add_test(NAME integration.console_vm
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/console_vm_test.py
                 $<TARGET_FILE:comredir-console>)
set_tests_properties(integration.console_vm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
# PAM logins, real local accounts and a Unix group (tests/integration/console_pam_test.py;
# root only, else skipped): `@group` grants, the same refusal for wrong passwords and
# unknown users. It adds and removes accounts, so it runs alone.
add_test(NAME integration.console_pam
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/console_pam_test.py
                 $<TARGET_FILE:comredir-console>)
set_tests_properties(integration.console_pam PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
# The web page in a real browser (tests/integration/console_web_test.py): Debian's headless
# Chromium, chromedriver and python3-selenium against the real gateway; axe-core from the
# page's npm install; screenshots in <build>/tests/artifacts/console-web. SKIP without them.
if(COMREDIR_WEB)
  add_test(NAME integration.console_web
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/console_web_test.py
                   $<TARGET_FILE:comredir-console> ${COMREDIR_WEB_DIR}
                   ${COMREDIR_WEB_NODE_MODULES}/axe-core/axe.min.js
                   ${CMAKE_BINARY_DIR}/tests/artifacts/console-web)
  set_tests_properties(integration.console_web PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                       ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
endif()
