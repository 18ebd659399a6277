#include "gateway/path_template.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"

namespace prongsai::gateway {
namespace {

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("path template \"", text, "\": ", why));
}

// The position in `text` of the verb's ':' (the last one outside a
// variable), or npos; nullopt when a variable is not closed.
std::optional<size_t> VerbColon(absl::string_view text) {
  int depth = 0;
  size_t colon = absl::string_view::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}') --depth;
    if (text[i] == ':' && depth == 0) colon = i;
  }
  if (depth != 0) return std::nullopt;
  return colon;
}

// `text` split on the '/' outside variables.
std::vector<std::string> SplitOutsideBraces(absl::string_view text) {
  std::vector<std::string> pieces(1);
  int depth = 0;
  for (char c : text) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == '/' && depth == 0) {
      pieces.emplace_back();
    } else {
      pieces.back().push_back(c);
    }
  }
  return pieces;
}

// The path without its verb when it ends in ":verb" (after its last '/'),
// nullopt otherwise; a path with another verb, or a verb where none is
// expected, does not match.
std::optional<absl::string_view> WithoutVerb(absl::string_view path,
                                             absl::string_view verb) {
  const size_t slash = path.rfind('/');
  const size_t colon = path.rfind(':');
  const bool has_verb = colon != absl::string_view::npos &&
                        (slash == absl::string_view::npos || colon > slash);
  if (verb.empty()) {
    // A custom method's path never matches a template without a verb: the
    // ':' would otherwise end up inside a resource id.
    return has_verb ? std::nullopt : std::optional(path);
  }
  if (!has_verb || path.substr(colon + 1) != verb) return std::nullopt;
  return path.substr(0, colon);
}

}  // namespace

absl::Status PathTemplate::AddSegments(absl::string_view pattern,
                                       int variable) {
  for (absl::string_view part : absl::StrSplit(pattern, '/')) {
    if (part.empty()) return Bad(text_, "empty segment");
    Segment segment;
    segment.variable = variable;
    if (part == "*") {
      segment.kind = Segment::kOne;
    } else if (part == "**") {
      segment.kind = Segment::kRest;
    } else if (absl::StrContains(part, "{") || absl::StrContains(part, "}") ||
               absl::StrContains(part, "*")) {
      return Bad(text_, absl::StrCat("bad segment \"", part, "\""));
    } else {
      segment.kind = Segment::kLiteral;
      segment.literal = std::string(part);
    }
    segments_.push_back(std::move(segment));
  }
  return absl::OkStatus();
}

absl::Status PathTemplate::AddPiece(absl::string_view piece) {
  if (!absl::StartsWith(piece, "{")) return AddSegments(piece, -1);
  if (!absl::EndsWith(piece, "}")) return Bad(text_, "bad variable");
  const absl::string_view inside = piece.substr(1, piece.size() - 2);
  const std::pair<absl::string_view, absl::string_view> field_and_pattern =
      absl::StrSplit(inside, absl::MaxSplits('=', 1));
  if (field_and_pattern.first.empty()) return Bad(text_, "unnamed variable");
  variables_.push_back({std::string(field_and_pattern.first),
                        field_and_pattern.second.empty()
                            ? std::string("*")
                            : std::string(field_and_pattern.second)});
  return AddSegments(variables_.back().pattern,
                     static_cast<int>(variables_.size()) - 1);
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate parsed;
  parsed.text_ = std::string(text);
  if (!absl::StartsWith(text, "/")) return Bad(text, "must start with '/'");
  absl::string_view rest = text.substr(1);
  const std::optional<size_t> colon = VerbColon(rest);
  if (!colon.has_value()) return Bad(text, "a variable is not closed");
  if (*colon != absl::string_view::npos) {
    parsed.verb_ = std::string(rest.substr(*colon + 1));
    rest = rest.substr(0, *colon);
    if (parsed.verb_.empty()) return Bad(text, "empty verb after ':'");
  }
  for (const std::string& piece : SplitOutsideBraces(rest)) {
    PRONGSAI_RETURN_IF_ERROR(parsed.AddPiece(piece));
  }
  for (size_t i = 0; i + 1 < parsed.segments_.size(); ++i) {
    if (parsed.segments_[i].kind == Segment::kRest) {
      return Bad(text, "'**' must be the last segment");
    }
  }
  return parsed;
}

std::optional<PathBindings> PathTemplate::Match(absl::string_view path) const {
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;
  const std::optional<absl::string_view> resource = WithoutVerb(path, verb_);
  if (!resource.has_value()) return std::nullopt;
  const std::vector<absl::string_view> parts = absl::StrSplit(*resource, '/');
  std::vector<std::vector<absl::string_view>> bound(variables_.size());
  size_t at = 0;
  for (const Segment& segment : segments_) {
    // `**` takes every remaining part, at least one; others take one.
    const size_t end = segment.kind == Segment::kRest ? parts.size() : at + 1;
    if (at >= parts.size() || end > parts.size()) return std::nullopt;
    for (; at < end; ++at) {
      if (parts[at].empty()) return std::nullopt;
      if (segment.kind == Segment::kLiteral && parts[at] != segment.literal) {
        return std::nullopt;
      }
      if (segment.variable >= 0) bound[segment.variable].push_back(parts[at]);
    }
  }
  if (at != parts.size()) return std::nullopt;
  PathBindings bindings;
  for (size_t i = 0; i < variables_.size(); ++i) {
    bindings.emplace_back(variables_[i].field_path,
                          absl::StrJoin(bound[i], "/"));
  }
  return bindings;
}

std::vector<std::string> PathTemplate::variables() const {
  std::vector<std::string> names;
  for (const Variable& variable : variables_) {
    names.push_back(variable.field_path);
  }
  return names;
}

std::string PathTemplate::OpenApiPath() const {
  std::string out;
  int last_variable = -1;
  for (const Segment& segment : segments_) {
    if (segment.variable >= 0) {
      if (segment.variable == last_variable) continue;
      last_variable = segment.variable;
      absl::StrAppend(&out, "/{", variables_[segment.variable].field_path, "}");
      continue;
    }
    last_variable = -1;
    absl::StrAppend(&out, "/",
                    segment.kind == Segment::kLiteral ? segment.literal
                    : segment.kind == Segment::kOne   ? "*"
                                                      : "**");
  }
  if (!verb_.empty()) absl::StrAppend(&out, ":", verb_);
  return out;
}

std::string PathTemplate::VariablePattern(absl::string_view field_path) const {
  for (const Variable& variable : variables_) {
    if (variable.field_path == field_path) return variable.pattern;
  }
  return "";
}

}  // namespace prongsai::gateway
