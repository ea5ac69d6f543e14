# Warnings are a PRIVATE interface target: our code is strict, consumers of our headers are not.
add_library(xiehui_warnings INTERFACE)
target_compile_options(xiehui_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# g++ 12 reports false positives for std::expected/std::optional members under -O2 (GCC bug
# 105562 and relatives); the check stays on in -O0 builds where it is reliable.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(xiehui_warnings INTERFACE $<$<NOT:$<CONFIG:Debug>>:-Wno-maybe-uninitialized>)
endif()
if(XIEHUI_WERROR)
  target_compile_options(xiehui_warnings INTERFACE -Werror)
endif()
