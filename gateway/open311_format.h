// GeoReport v2 documents, built once as a tree and written either as XML
// (the format the spec requires) or as JSON by the spec's "Spark
// convention": a list element becomes an array of its items (the item tag
// is dropped), a record becomes an object, a text element a string, and an
// empty optional element `null`.
//
//   Element request = Element::Record("request");
//   request.Add(Element::Text("service_request_id", id));
//   Element doc = Element::List("service_requests");
//   doc.Add(std::move(request));
//   Render(doc, Format::kXml);
//   // <?xml version="1.0" encoding="utf-8"?>
//   // <service_requests><request><service_request_id>...
#ifndef PRONGSAI_GATEWAY_OPEN311_FORMAT_H_
#define PRONGSAI_GATEWAY_OPEN311_FORMAT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace prongsai::gateway::open311 {

enum class Format { kXml, kJson };

class Element {
 public:
  // A string value (escaped on output).
  static Element Text(absl::string_view name, absl::string_view value);
  // A number or boolean, written bare in JSON ("true", "12", "13.75").
  static Element Literal(absl::string_view name, absl::string_view value);
  static Element Bool(absl::string_view name, bool value);
  // An element with nothing to say: <name/> in XML, null in JSON.
  static Element Null(absl::string_view name);
  // Named children: an object in JSON.
  static Element Record(absl::string_view name);
  // Repeated children (all of one tag): an array in JSON.
  static Element List(absl::string_view name);

  Element& Add(Element child);
  const std::string& name() const { return name_; }

 private:
  enum class Kind { kText, kLiteral, kNull, kRecord, kList };
  Element(Kind kind, absl::string_view name, absl::string_view value)
      : kind_(kind), name_(name), value_(value) {}

  void WriteXml(std::string* out) const;
  void WriteJson(std::string* out) const;

  Kind kind_;
  std::string name_;
  std::string value_;
  std::vector<Element> children_;

  friend std::string Render(const Element& root, Format format);
};

// The document with its XML declaration, or as JSON.
std::string Render(const Element& root, Format format);

// Text safe in XML 1.0 character data and attribute values: & < > " '
// escaped, and the characters XML 1.0 cannot carry at all (C0 controls
// other than tab, LF and CR; invalid UTF-8) replaced by U+FFFD.
std::string EscapeXml(absl::string_view text);
// A JSON string literal with its quotes.
std::string QuoteJson(absl::string_view text);

// "text/xml; charset=utf-8" or "application/json; charset=utf-8".
const char* ContentType(Format format);

}  // namespace prongsai::gateway::open311

#endif  // PRONGSAI_GATEWAY_OPEN311_FORMAT_H_
