# Hostile rdpdr peers against comredir-redirector: tests/tools/rdpdr_peer (FreeRDP's client
# library with the `rdpdr` channel joined by the tool itself) sends malformed and
# out-of-order messages after a correct handshake; the daemon must stay up, keep the peer's
# session or end only that one, and serve a real xfreerdp session meanwhile.
find_package(PkgConfig REQUIRED)
pkg_check_modules(COMREDIR_FREERDP_CLIENT REQUIRED IMPORTED_TARGET freerdp-client2 freerdp2 winpr2)
add_executable(rdpdr_peer ${CMAKE_CURRENT_SOURCE_DIR}/tools/rdpdr_peer.cpp)
target_link_libraries(rdpdr_peer PRIVATE comredir::redirector PkgConfig::COMREDIR_FREERDP_CLIENT)
add_test(NAME integration.redirector_bad_peer
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/redirector_bad_peer_test.py
                 $<TARGET_FILE:comredir-redirector> $<TARGET_FILE:rdpdr_peer>)
set_tests_properties(integration.redirector_bad_peer PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                     RUN_SERIAL TRUE
                     # ASan builds: libcrypto has no frame pointers, so leak stacks need the
                     # slow unwinder for tests/lsan.supp to match (release builds ignore both).
                     ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp;ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=30")
