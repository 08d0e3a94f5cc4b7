# Warnings as errors for every target of ours (not for third-party headers).
function(comredir_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wnull-dereference -Wdouble-promotion -Wformat=2
                                           -Wimplicit-fallthrough -Werror)
endfunction()
