# crosscheck.samba_pol: every registry.pol under ../shared/data, dumped by
# `comredir-policy gp dump --json`, must equal what Samba's own PReg reader
# (Debian python3-samba: samba.dcerpc.preg) reads from it, entry by entry.
# Without python3-samba the test is skipped (exit 77), never passed.
if(COMREDIR_CROSSCHECK)
  if(EXISTS /usr/bin/python3)
    add_test(NAME crosscheck.samba_pol
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/samba_pol_check.py
                     --cli $<TARGET_FILE:comredir-policy> --data ${COMREDIR_SHARED_DATA})
  else()
    add_test(NAME crosscheck.samba_pol
             COMMAND sh -c "echo 'skip: /usr/bin/python3 not found'; exit 77")
  endif()
  set_tests_properties(crosscheck.samba_pol PROPERTIES SKIP_RETURN_CODE 77)
endif()
