# Project-wide compile options and the caredesk_add_test() helper.

add_library(caredesk_options INTERFACE)
target_compile_options(caredesk_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                  -Wnon-virtual-dtor -Wno-missing-field-initializers
                                                  # GCC 12 misreports std::string concatenation
                                                  # at -O2/-O3 (GCC bug 105329); clang has no
                                                  # such option and would warn about it.
                                                  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(CAREDESK_WERROR)
  target_compile_options(caredesk_options INTERFACE -Werror)
endif()
if(CAREDESK_SANITIZE)
  target_compile_options(caredesk_options INTERFACE -fsanitize=address,undefined
                                                    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(caredesk_options INTERFACE -fsanitize=address,undefined)
endif()
# The libFuzzer build (clang only): every library gets coverage instrumentation and the
# sanitizers; the harnesses of tests/fuzz/ link the fuzzer runtime (caredesk_add_fuzzer).
if(CAREDESK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CAREDESK_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++)")
  endif()
  # -O1 with line tables only (after the build type's flags, so they win): -O0 builds in half
  # the time but runs the harnesses 5-20 times slower; stacks still name the lines.
  target_compile_options(caredesk_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                    -fno-omit-frame-pointer -fno-sanitize-recover=all
                                                    -O1 -gline-tables-only)
  target_link_options(caredesk_options INTERFACE -fsanitize=address,undefined)
endif()
target_compile_definitions(caredesk_options INTERFACE BOOST_ASIO_NO_DEPRECATED)

# caredesk_add_test(NAME SOURCES... LIBS... [LABELS ...])
# One ctest entry per test binary: binaries that need PostgreSQL start one
# throw-away cluster for all their cases instead of one per case.
function(caredesk_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS;INCLUDES" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main caredesk_options)
  # Tests may include tests/support/... from the repository root.
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${T_INCLUDES})
  add_test(NAME ${name} COMMAND ${name} --gtest_color=no)
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
