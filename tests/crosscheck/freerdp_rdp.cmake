# Cross-check: our .rdp reader against FreeRDP's own parser (libfreerdp-client2)
# on every .rdp under ../shared/data/rdp and tests/data/rdp; and (freerdp_rdp_written) every
# file `comredir-policy rdp set/unset` writes reads in FreeRDP with the intended values.
if(COMREDIR_CROSSCHECK)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(FREERDP_CLIENT IMPORTED_TARGET freerdp-client2 freerdp2 winpr2)
  endif()
  if(FREERDP_CLIENT_FOUND)
    add_executable(crosscheck_freerdp_rdp ${CMAKE_CURRENT_LIST_DIR}/freerdp_rdp_check.cpp)
    target_link_libraries(crosscheck_freerdp_rdp PRIVATE comredir::policy PkgConfig::FREERDP_CLIENT)
    comredir_warnings(crosscheck_freerdp_rdp)
    add_test(NAME crosscheck.freerdp_rdp
             COMMAND crosscheck_freerdp_rdp ${COMREDIR_SHARED_DATA}/rdp
                     ${CMAKE_CURRENT_LIST_DIR}/../data/rdp)
    # FreeRDP logs each warning through WLog; keep its output to errors.
    # LSan (ASan builds): FreeRDP's parser leaks a string per parse; see the suppression file.
    set_tests_properties(crosscheck.freerdp_rdp PROPERTIES ENVIRONMENT
      "WLOG_LEVEL=ERROR;LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_LIST_DIR}/freerdp.lsan.supp")
    add_test(NAME crosscheck.freerdp_rdp_written
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/freerdp_rdp_written.py
                     $<TARGET_FILE:comredir-policy> $<TARGET_FILE:crosscheck_freerdp_rdp>
                     ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA})
    set_tests_properties(crosscheck.freerdp_rdp_written PROPERTIES ENVIRONMENT
      "WLOG_LEVEL=ERROR;LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_LIST_DIR}/freerdp.lsan.supp")
  else()
    foreach(t crosscheck.freerdp_rdp crosscheck.freerdp_rdp_written)
      add_test(NAME ${t}
               COMMAND sh -c "echo 'skip: pkg-config cannot find freerdp-client2 (install freerdp2-dev)'; exit 77")
      set_tests_properties(${t} PROPERTIES SKIP_RETURN_CODE 77)
    endforeach()
  endif()
endif()
