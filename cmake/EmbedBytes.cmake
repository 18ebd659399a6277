# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=ns::kName -P EmbedBytes.cmake
# Writes file.cc defining `extern const std::string_view ns::kName` over the
# input's bytes, so a binary carries a build-time file without reading it at
# run time.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX MATCH "^(.*)::([^:]+)$" unused "${SYMBOL}")
set(namespace ${CMAKE_MATCH_1})
set(name ${CMAKE_MATCH_2})
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/EmbedBytes.cmake.
#include <string_view>
namespace ${namespace} {
namespace {
constexpr char kBytes[${size}] = {
  ${bytes}};
}  // namespace
extern const std::string_view ${name};
const std::string_view ${name}(kBytes, sizeof(kBytes));
}  // namespace ${namespace}
")
