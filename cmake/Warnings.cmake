# Warnings as errors for every target of ours (not for third-party headers).
# -Wnull-dereference is left out: with GCC 12 at -O2 it fires inside libstdc++'s
# std::string (false positives that depend on inlining), which -Werror makes fatal.
function(comredir_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wdouble-promotion -Wformat=2
                                           -Wimplicit-fallthrough -Werror)
  # GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string operator+
  # at -O2/-O3 (GCC bug 105329); the warning stays on for every other compiler.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

# The libraries: where the tests and the fuzzers spend their time. In the test build
# (scripts/test.sh) everything else is compiled -O0 and the libraries get
# COMREDIR_LIBRARY_OPT (-O1); with COMREDIR_FUZZ they alone carry libFuzzer's coverage
# instrumentation, which the fuzz targets need and nothing else does (it costs a third more
# compile time per file).
set(COMREDIR_LIBRARY_OPT "" CACHE STRING "optimisation flag added to the libraries only (test build: -O1)")
function(comredir_library target)
  comredir_warnings(${target})
  if(COMREDIR_LIBRARY_OPT)
    target_compile_options(${target} PRIVATE ${COMREDIR_LIBRARY_OPT})
  endif()
  if(COMREDIR_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
