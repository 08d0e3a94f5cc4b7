# `hostpool --arm` against a local HTTPS server on 127.0.0.1 answering like ARM's hostPools
# API: paging, ETag/If-Match, 404/412/429/500, malformed JSON, timeouts, TLS, token handling.
add_test(NAME integration.hostpool_arm
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/hostpool_arm_test.py
                 $<TARGET_FILE:comredir-policy> ${COMREDIR_SHARED_DATA})
set_tests_properties(integration.hostpool_arm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
