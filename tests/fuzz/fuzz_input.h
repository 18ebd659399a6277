// Helpers the fuzz targets share: the input as text, and whether a message
// survives protobuf's round trip (proto3 parsing refuses strings that are
// not UTF-8, so an importer that splits a Thai letter makes a record no
// reader can load).
#ifndef PRONGSAI_TESTS_FUZZ_FUZZ_INPUT_H_
#define PRONGSAI_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/base/validation.h"
#include "google/protobuf/message.h"

namespace prongsai::fuzz {

inline absl::string_view Text(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

inline bool IsUtf8(absl::string_view text) {
  return ::prongsai::Utf8Length(text).has_value();
}

// Whether `message` serializes and parses back (its strings are UTF-8).
inline bool RoundTrips(const google::protobuf::Message& message) {
  std::string bytes;
  if (!message.SerializeToString(&bytes)) return false;
  std::unique_ptr<google::protobuf::Message> copy(message.New());
  return copy->ParseFromString(bytes);
}

}  // namespace prongsai::fuzz

#endif  // PRONGSAI_TESTS_FUZZ_FUZZ_INPUT_H_
