#include "gateway/path_template.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace prongsai::gateway {
namespace {

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("path template \"", text, "\": ", why));
}

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate parsed;
  parsed.text_ = std::string(text);
  if (!absl::StartsWith(text, "/")) return Bad(text, "must start with '/'");
  absl::string_view rest = text.substr(1);
  // The verb follows the last ':' outside a variable.
  int depth = 0;
  size_t verb_at = absl::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{') ++depth;
    if (rest[i] == '}') --depth;
    if (rest[i] == ':' && depth == 0) verb_at = i;
  }
  if (depth != 0) return Bad(text, "a variable is not closed");
  if (verb_at != absl::string_view::npos) {
    parsed.verb_ = std::string(rest.substr(verb_at + 1));
    rest = rest.substr(0, verb_at);
    if (parsed.verb_.empty()) return Bad(text, "empty verb after ':'");
  }
  // Split on '/' outside braces.
  std::vector<std::string> pieces;
  std::string current;
  depth = 0;
  for (char c : rest) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == '/' && depth == 0) {
      pieces.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  pieces.push_back(std::move(current));

  auto add_pattern = [&](absl::string_view pattern, int variable) {
    for (absl::string_view part : absl::StrSplit(pattern, '/')) {
      if (part.empty()) return Bad(text, "empty segment");
      Segment segment;
      segment.variable = variable;
      if (part == "*") {
        segment.kind = Segment::kOne;
      } else if (part == "**") {
        segment.kind = Segment::kRest;
      } else if (absl::StrContains(part, "{") || absl::StrContains(part, "}") ||
                 absl::StrContains(part, "*")) {
        return Bad(text, absl::StrCat("bad segment \"", part, "\""));
      } else {
        segment.kind = Segment::kLiteral;
        segment.literal = std::string(part);
      }
      parsed.segments_.push_back(std::move(segment));
    }
    return absl::OkStatus();
  };
  for (const std::string& piece : pieces) {
    if (absl::StartsWith(piece, "{")) {
      if (!absl::EndsWith(piece, "}")) return Bad(text, "bad variable");
      absl::string_view inside(piece);
      inside = inside.substr(1, inside.size() - 2);
      std::pair<absl::string_view, absl::string_view> field_and_pattern =
          absl::StrSplit(inside, absl::MaxSplits('=', 1));
      if (field_and_pattern.first.empty()) return Bad(text, "unnamed variable");
      Variable variable{std::string(field_and_pattern.first),
                        field_and_pattern.second.empty()
                            ? std::string("*")
                            : std::string(field_and_pattern.second)};
      const int index = static_cast<int>(parsed.variables_.size());
      parsed.variables_.push_back(variable);
      if (absl::Status status = add_pattern(variable.pattern, index);
          !status.ok()) {
        return status;
      }
    } else if (absl::Status status = add_pattern(piece, -1); !status.ok()) {
      return status;
    }
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
  if (!verb_.empty()) {
    // The verb is the text after the last ':' of the last segment.
    const size_t slash = path.rfind('/');
    const size_t colon = path.rfind(':');
    if (colon == absl::string_view::npos ||
        (slash != absl::string_view::npos && colon < slash) ||
        path.substr(colon + 1) != verb_) {
      return std::nullopt;
    }
    path = path.substr(0, colon);
  } else if (const size_t slash = path.rfind('/'), colon = path.rfind(':');
             colon != absl::string_view::npos &&
             (slash == absl::string_view::npos || colon > slash)) {
    // A custom method's path never matches a template without a verb: the
    // ':' would otherwise end up inside a resource id.
    return std::nullopt;
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  std::vector<std::vector<absl::string_view>> bound(variables_.size());
  size_t at = 0;
  for (const Segment& segment : segments_) {
    if (segment.kind == Segment::kRest) {
      if (at >= parts.size()) return std::nullopt;
      for (; at < parts.size(); ++at) {
        if (parts[at].empty()) return std::nullopt;
        if (segment.variable >= 0) bound[segment.variable].push_back(parts[at]);
      }
      break;
    }
    if (at >= parts.size() || parts[at].empty()) return std::nullopt;
    if (segment.kind == Segment::kLiteral && parts[at] != segment.literal) {
      return std::nullopt;
    }
    if (segment.variable >= 0) bound[segment.variable].push_back(parts[at]);
    ++at;
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
