# Writes the Debian copyright file (cmake -P): comredir's stanza (debian/copyright.in), then,
# when the console's web page is built, a stanza for the xterm.js files it ships with their
# licence text (MIT/Expat) in the format's continuation lines.
#   cmake -DIN=copyright.in -DLICENSE=xterm.LICENSE.txt -DOUT=copyright -P copyright.cmake
file(READ ${IN} text)
if(LICENSE AND EXISTS ${LICENSE})
  file(STRINGS ${LICENSE} lines)
  set(body "")
  set(holders "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^Copyright \\(c\\) (.*)$")
      string(APPEND holders "\n ${CMAKE_MATCH_1}")
    elseif(line STREQUAL "")
      string(APPEND body "\n .")
    else()
      string(APPEND body "\n ${line}")
    endif()
  endforeach()
  string(REGEX REPLACE "^\n " "" holders "${holders}")
  string(APPEND text "\nFiles: usr/share/comredir/console-web/vendor/*\n"
                     "Copyright: ${holders}\nLicense: Expat${body}\n")
endif()
file(WRITE ${OUT} "${text}")
