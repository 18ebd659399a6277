#include "common/base/validation.h"

#include <cstdint>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace prongsai {

absl::Status InvalidField(absl::string_view field_path,
                          absl::string_view reason) {
  absl::Status status =
      absl::InvalidArgumentError(absl::StrCat(field_path, ": ", reason));
  status.SetPayload(kFieldPathPayload, absl::Cord(field_path));
  return status;
}

std::optional<std::string> FieldPathOf(const absl::Status& status) {
  auto payload = status.GetPayload(kFieldPathPayload);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

std::optional<int> Utf8Length(absl::string_view text) {
  int count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<uint8_t>(text[i]);
    int extra;
    uint32_t code_point;
    if (lead < 0x80) {
      extra = 0;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code_point = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size()) return std::nullopt;  // Truncated.
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Reject overlong encodings, surrogates and out-of-range code points.
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[extra] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return std::nullopt;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

std::string FieldPath(absl::string_view base, absl::string_view field) {
  if (base.empty()) return std::string(field);
  return absl::StrCat(base, ".", field);
}

std::string IndexedPath(absl::string_view base, int64_t index) {
  return absl::StrCat(base, "[", index, "]");
}

absl::Status ValidateText(absl::string_view field_path, absl::string_view value,
                          int max_chars, bool required) {
  std::optional<int> length = Utf8Length(value);
  if (!length.has_value())
    return InvalidField(field_path, "is not valid UTF-8");
  if (required && *length == 0) return InvalidField(field_path, "is required");
  if (*length > max_chars) {
    return InvalidField(field_path, absl::StrCat("must be at most ", max_chars,
                                                 " characters, got ", *length));
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestId(absl::string_view field_path,
                               absl::string_view request_id) {
  if (request_id.size() > 64) {
    return InvalidField(field_path, "must be at most 64 characters");
  }
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7E) {
      return InvalidField(field_path, "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

}  // namespace prongsai
