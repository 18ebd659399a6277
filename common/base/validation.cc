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

namespace {

// Decodes the code point at `text[i]` and moves `i` past it; false when the
// bytes there are not valid UTF-8 (overlong, surrogate, out of range or
// truncated).
bool NextCodePoint(absl::string_view text, size_t& i, uint32_t& code_point) {
  const auto lead = static_cast<uint8_t>(text[i]);
  int extra;
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
    return false;
  }
  if (i + extra >= text.size()) return false;  // Truncated.
  for (int k = 1; k <= extra; ++k) {
    const auto next = static_cast<uint8_t>(text[i + k]);
    if ((next & 0xC0) != 0x80) return false;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (code_point < kMinForLength[extra] || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return false;
  }
  i += extra + 1;
  return true;
}

// White space, zero-width and direction marks: characters that show nothing
// on their own, so that a required text of only these is still empty.
bool IsBlank(uint32_t c) {
  return c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD ||
         c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 ||
         c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
         c == 0x3000 || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) ||
         c == 0xFEFF || c == 0xFFA0;
}

}  // namespace

std::optional<int> Utf8Length(absl::string_view text) {
  int count = 0;
  uint32_t code_point;
  for (size_t i = 0; i < text.size(); ++count) {
    if (!NextCodePoint(text, i, code_point)) return std::nullopt;
  }
  return count;
}

int VisibleLength(absl::string_view text) {
  int count = 0;
  uint32_t code_point;
  for (size_t i = 0; i < text.size();) {
    if (!NextCodePoint(text, i, code_point)) return 0;
    if (!IsBlank(code_point)) ++count;
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
  if (value.find('\0') != value.npos) {
    return InvalidField(field_path, "must not contain NUL characters");
  }
  if (required && VisibleLength(value) == 0) {
    return InvalidField(field_path, "is required");
  }
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
