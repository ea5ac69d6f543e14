# The sanitizer build (scripts/test.sh builds it in build-san/ with clang): AddressSanitizer and
# UndefinedBehaviorSanitizer on every target, so the whole ctest suite runs under them, and with
# XIEHUI_FUZZ the libFuzzer targets of tests/fuzz from the same objects (one build, not two).
option(XIEHUI_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(XIEHUI_FUZZ "Also build the libFuzzer targets in tests/fuzz (clang; implies XIEHUI_SANITIZE)" OFF)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # libstdc++ 12 offers <expected> only when __cpp_concepts announces P0848 (conditionally
  # trivial special members): clang 16 implements it but still announces 201907.
  add_compile_options(-U__cpp_concepts -D__cpp_concepts=202002L -Wno-builtin-macro-redefined)
  # Without this, a precompiled header differs on every build and ccache never hits.
  add_compile_options(-Xclang -fno-pch-timestamp)
endif()

if(XIEHUI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "XIEHUI_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++-16")
  endif()
  set(XIEHUI_SANITIZE ON)
  # Coverage for libFuzzer in every object; only the fuzz targets link its main().
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(XIEHUI_SANITIZE)
  # Any undefined behaviour fails the run instead of printing and going on.
  # No vptr check: it needs the typeinfo of every polymorphic class it meets, and Debian's SOCI
  # does not export that of its backends and statements (the link fails).
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=address,undefined)
endif()
