# comredir installed like Linux software (packaging/): the CMake package and pkg-config
# files used by a consumer project, the .deb packages, the man pages and bash completion.
set(COMREDIR_CONSUMER_FLAGS "")
if(COMREDIR_SANITIZE OR COMREDIR_FUZZ)
  set(COMREDIR_CONSUMER_FLAGS "-fsanitize=address,undefined")  # as the libraries were built
endif()
add_test(NAME package.install
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/package/install_test.py
                 ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${CMAKE_CXX_COMPILER}
                 "${COMREDIR_CONSUMER_FLAGS}" ${PROJECT_VERSION} ${CMAKE_INSTALL_PREFIX})
set_tests_properties(package.install PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
                     RESOURCE_LOCK comredir_install)
if(COMREDIR_MAN)
  add_test(NAME package.deb
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/package/deb_test.py
                   ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${COMREDIR_SHARED_DATA} ${PROJECT_VERSION}
                   ${CMAKE_INSTALL_PREFIX} ${COMREDIR_WEB})
  # The longest package test (cpack and lintian on the sanitized programs): started early.
  set_tests_properties(package.deb PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900 COST 200
                       RESOURCE_LOCK comredir_install)
  add_test(NAME package.docs
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/package/docs_test.py
                   ${CMAKE_BINARY_DIR}/man ${PROJECT_SOURCE_DIR} ${PROJECT_VERSION})
  set_tests_properties(package.docs PROPERTIES SKIP_RETURN_CODE 77)
endif()
