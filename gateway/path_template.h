// A google.api.http path template ("/v1/{name=organizations/*}:approve"),
// parsed once and matched against request paths. The syntax is http.proto's:
// literal segments, `*` (one segment), `**` (the rest), variables
// `{field.path}` (one segment) or `{field.path=pattern}`, and an optional
// trailing `:verb`.
//
//   PRONGSAI_ASSIGN_OR_RETURN(PathTemplate t, PathTemplate::Parse(
//       "/v1/{name=organizations/*/complaints/*}"));
//   t.Match("/v1/organizations/6340101/complaints/c1")
//     // -> {{"name", "organizations/6340101/complaints/c1"}}
#ifndef PRONGSAI_GATEWAY_PATH_TEMPLATE_H_
#define PRONGSAI_GATEWAY_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai::gateway {

// A variable's field path and the text it bound, in template order.
using PathBindings = std::vector<std::pair<std::string, std::string>>;

class PathTemplate {
 public:
  // INVALID_ARGUMENT naming what is wrong: no leading '/', an unclosed
  // variable, `**` before the end, an empty segment.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The bindings when `path` (decoded, no query) matches, else nullopt.
  // A variable never binds an empty segment.
  std::optional<PathBindings> Match(absl::string_view path) const;

  // The template's text as parsed.
  const std::string& text() const { return text_; }
  // The variables' field paths, in order ("name", "action_plan.name").
  std::vector<std::string> variables() const;
  // The path with each variable as {field.path}, as OpenAPI writes it:
  // "/v1/{name}:approve".
  std::string OpenApiPath() const;
  // The pattern a variable's value must match ("organizations/*"), "*" for a
  // bare variable.
  std::string VariablePattern(absl::string_view field_path) const;

 private:
  struct Segment {
    enum Kind { kLiteral, kOne, kRest } kind;
    std::string literal;
    // Index into variables_ of the variable this segment belongs to, or -1.
    int variable = -1;
  };
  struct Variable {
    std::string field_path;
    std::string pattern;
  };

  // Appends the segments of `pattern` ("organizations/*"), belonging to
  // variables_[variable] (-1: none).
  absl::Status AddSegments(absl::string_view pattern, int variable);
  // Appends one '/'-separated piece of the template: a literal or wildcard
  // segment, or a variable with its pattern.
  absl::Status AddPiece(absl::string_view piece);

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;  // without ':'; empty when none
};

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_PATH_TEMPLATE_H_
