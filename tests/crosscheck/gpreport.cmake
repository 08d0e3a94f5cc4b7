# `gp list` against GPMC's own gpreport.xml for every GPO of the shared GPMC backup corpus, with
# Microsoft's full template set: no difference but the explained ones in gpreport_known.txt.
# Release build only: it starts `gp list` once per Registry.pol, each loading 240 ADMX files,
# which a sanitizer build makes minutes long (the rules run in the unit tests there too).
if(NOT COMREDIR_SANITIZE)
  add_test(NAME crosscheck.gpreport
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/crosscheck/gpreport_check.py
                   $<TARGET_FILE:comredir-policy> ${PROJECT_SOURCE_DIR}/../shared/tools/gpreport-compare
                   ${COMREDIR_SHARED_DATA}/admx-full/PolicyDefinitions
                   ${COMREDIR_SHARED_DATA}/gpo/corpus-simeononsecurity
                   ${CMAKE_CURRENT_SOURCE_DIR}/crosscheck/gpreport_known.txt)
  set_tests_properties(crosscheck.gpreport PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
endif()
