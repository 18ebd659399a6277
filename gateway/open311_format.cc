#include "gateway/open311_format.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace prongsai::gateway::open311 {
namespace {

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at `text[i]`, or 0.
size_t Utf8Length(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  size_t length;
  uint32_t code;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates, beyond U+10FFFF, and the two non-characters
  // XML excludes (U+FFFE, U+FFFF).
  if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
      (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF || code == 0xFFFE ||
      code == 0xFFFF) {
    return 0;
  }
  return length;
}

}  // namespace

Element Element::Text(absl::string_view name, absl::string_view value) {
  return Element(Kind::kText, name, value);
}
Element Element::Literal(absl::string_view name, absl::string_view value) {
  return Element(Kind::kLiteral, name, value);
}
Element Element::Bool(absl::string_view name, bool value) {
  return Element(Kind::kLiteral, name, value ? "true" : "false");
}
Element Element::Null(absl::string_view name) {
  return Element(Kind::kNull, name, "");
}
Element Element::Record(absl::string_view name) {
  return Element(Kind::kRecord, name, "");
}
Element Element::List(absl::string_view name) {
  return Element(Kind::kList, name, "");
}

Element& Element::Add(Element child) {
  children_.push_back(std::move(child));
  return *this;
}

std::string EscapeXml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    switch (c) {
      case '&':
        out.append("&amp;");
        ++i;
        continue;
      case '<':
        out.append("&lt;");
        ++i;
        continue;
      case '>':
        out.append("&gt;");
        ++i;
        continue;
      case '"':
        out.append("&quot;");
        ++i;
        continue;
      case '\'':
        out.append("&apos;");
        ++i;
        continue;
      default:
        break;
    }
    const auto byte = static_cast<uint8_t>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      absl::StrAppend(&out, kReplacement);
      ++i;
      continue;
    }
    const size_t length = Utf8Length(text, i);
    if (length == 0) {
      absl::StrAppend(&out, kReplacement);
      ++i;
      continue;
    }
    absl::StrAppend(&out, text.substr(i, length));
    i += length;
  }
  return out;
}

std::string QuoteJson(absl::string_view text) {
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const auto byte = static_cast<uint8_t>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
      ++i;
    } else if (c == '\n') {
      out.append("\\n");
      ++i;
    } else if (c == '\r') {
      out.append("\\r");
      ++i;
    } else if (c == '\t') {
      out.append("\\t");
      ++i;
    } else if (byte < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", byte);
      ++i;
    } else if (c == '<') {
      // Harmless in JSON, but never lets the answer read as markup.
      out.append("\\u003c");
      ++i;
    } else {
      const size_t length = Utf8Length(text, i);
      if (length == 0) {
        out.append("\\ufffd");
        ++i;
      } else {
        absl::StrAppend(&out, text.substr(i, length));
        i += length;
      }
    }
  }
  out.push_back('"');
  return out;
}

void Element::WriteXml(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      absl::StrAppend(out, "<", name_, "/>");
      return;
    case Kind::kText:
    case Kind::kLiteral:
      absl::StrAppend(out, "<", name_, ">", EscapeXml(value_), "</", name_,
                      ">");
      return;
    case Kind::kRecord:
    case Kind::kList:
      absl::StrAppend(out, "<", name_, ">");
      for (const Element& child : children_) child.WriteXml(out);
      absl::StrAppend(out, "</", name_, ">");
      return;
  }
}

void Element::WriteJson(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      out->append("null");
      return;
    case Kind::kText:
      out->append(QuoteJson(value_));
      return;
    case Kind::kLiteral:
      out->append(value_);
      return;
    case Kind::kRecord: {
      out->push_back('{');
      bool first = true;
      for (const Element& child : children_) {
        if (!first) out->push_back(',');
        first = false;
        absl::StrAppend(out, QuoteJson(child.name_), ":");
        child.WriteJson(out);
      }
      out->push_back('}');
      return;
    }
    case Kind::kList: {
      out->push_back('[');
      bool first = true;
      for (const Element& child : children_) {
        if (!first) out->push_back(',');
        first = false;
        child.WriteJson(out);
      }
      out->push_back(']');
      return;
    }
  }
}

std::string Render(const Element& root, Format format) {
  std::string out;
  if (format == Format::kXml) {
    out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    root.WriteXml(&out);
    out.push_back('\n');
  } else {
    root.WriteJson(&out);
  }
  return out;
}

const char* ContentType(Format format) {
  return format == Format::kXml ? "text/xml; charset=utf-8"
                                : "application/json; charset=utf-8";
}

}  // namespace prongsai::gateway::open311
