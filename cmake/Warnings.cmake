# Warnings are a PRIVATE interface target: our code is strict, consumers of our headers are not.
add_library(xiehui_warnings INTERFACE)
target_compile_options(xiehui_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(XIEHUI_WERROR)
  target_compile_options(xiehui_warnings INTERFACE -Werror)
endif()
