#include "services/complaint/reply_templates.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_export.h"

namespace prongsai::complaint {
namespace {

constexpr int kMaxIdChars = 40;
constexpr int kMaxParameters = 20;
constexpr int kMaxTextChars = 5000;
constexpr absl::string_view kKnownNames[] = {"organization", "category",
                                             "subject",      "received_date",
                                             "due_date",     "state"};

bool IsKnown(absl::string_view name) {
  for (absl::string_view known : kKnownNames) {
    if (known == name) return true;
  }
  return false;
}

// Template ids appear in URLs: 1-40 of [a-z0-9-], as category ids.
bool IsTemplateId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdChars) return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

// A placeholder's name: 1-40 of [a-z0-9_], starting with a letter.
bool IsPlaceholderName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxIdChars ||
      !absl::ascii_islower(name.front())) {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

void AppendLiteral(std::vector<TemplatePart>& parts, absl::string_view text) {
  if (parts.empty() || parts.back().placeholder) parts.emplace_back();
  absl::StrAppend(&parts.back().text, text);
}

absl::Status ValidateParameters(const v1::ReplyTemplate& reply_template) {
  if (reply_template.parameters_size() > kMaxParameters) {
    return InvalidField("reply_template.parameters", "at most 20");
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < reply_template.parameters_size(); ++i) {
    const std::string& name = reply_template.parameters(i);
    const std::string path = IndexedPath("reply_template.parameters", i);
    if (!IsPlaceholderName(name)) {
      return InvalidField(path,
                          "must be 1-40 of a-z, 0-9 and '_', from a letter");
    }
    if (IsKnown(name)) {
      return InvalidField(
          path, absl::StrCat("{", name, "} is filled by the service"));
    }
    if (!seen.insert(name).second) return InvalidField(path, "repeated");
  }
  return absl::OkStatus();
}

absl::Status ValidateTemplateStates(const v1::ReplyTemplate& reply_template) {
  absl::flat_hash_set<int> seen;
  for (int i = 0; i < reply_template.states_size(); ++i) {
    const int state = reply_template.states(i);
    if (!v1::Complaint::State_IsValid(state) ||
        state == v1::Complaint::STATE_UNSPECIFIED ||
        !seen.insert(state).second) {
      return InvalidField(IndexedPath("reply_template.states", i),
                          "must be a state, each once");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<TemplatePart>> ParseTemplateText(
    absl::string_view field_path, absl::string_view text) {
  std::vector<TemplatePart> parts;
  size_t i = 0;
  while (i < text.size()) {
    const size_t brace = text.find_first_of("{}", i);
    if (brace == absl::string_view::npos) {
      AppendLiteral(parts, text.substr(i));
      break;
    }
    AppendLiteral(parts, text.substr(i, brace - i));
    const bool doubled =
        brace + 1 < text.size() && text[brace + 1] == text[brace];
    if (doubled) {
      AppendLiteral(parts, text.substr(brace, 1));
      i = brace + 2;
      continue;
    }
    if (text[brace] == '}') {
      return InvalidField(field_path, "a lone '}' (write '}}' for a brace)");
    }
    const size_t close = text.find('}', brace + 1);
    const absl::string_view name =
        close == absl::string_view::npos
            ? absl::string_view()
            : text.substr(brace + 1, close - brace - 1);
    if (!IsPlaceholderName(name)) {
      return InvalidField(field_path,
                          "a '{' that starts no placeholder such as "
                          "{due_date} (write '{{' for a brace)");
    }
    parts.push_back({.placeholder = true, .text = std::string(name)});
    i = close + 1;
  }
  return parts;
}

absl::StatusOr<ChildName> ValidateReplyTemplate(
    const v1::ReplyTemplate& reply_template) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name, ParseChildName("reply_template.name",
                                     reply_template.name(), kReplyTemplates));
  if (!IsTemplateId(name.id)) {
    return InvalidField("reply_template.name",
                        "the id must be 1-40 of a-z, 0-9 and '-'");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(
      "reply_template.display_name", reply_template.display_name(), 200, true));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(
      "reply_template.text", reply_template.text(), kMaxTextChars, true));
  PRONGSAI_RETURN_IF_ERROR(ValidateParameters(reply_template));
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<TemplatePart> parts,
      ParseTemplateText("reply_template.text", reply_template.text()));
  const absl::flat_hash_set<std::string> parameters(
      reply_template.parameters().begin(), reply_template.parameters().end());
  for (const TemplatePart& part : parts) {
    if (part.placeholder && !IsKnown(part.text) &&
        !parameters.contains(part.text)) {
      return InvalidField("reply_template.text",
                          absl::StrCat("unknown placeholder {", part.text,
                                       "}: not one the service fills nor "
                                       "one of `parameters`"));
    }
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateTemplateStates(reply_template));
  const int visibility = reply_template.visibility();
  if (visibility != v1::Reply::VISIBILITY_UNSPECIFIED &&
      visibility != v1::Reply::INTERNAL && visibility != v1::Reply::PUBLIC) {
    return InvalidField("reply_template.visibility",
                        "must be INTERNAL or PUBLIC");
  }
  return name;
}

absl::flat_hash_map<std::string, std::string> KnownPlaceholders(
    const v1::Complaint& complaint, absl::string_view category_display_name) {
  const std::string& organization = complaint.organization().name().empty()
                                        ? complaint.organization().code()
                                        : complaint.organization().name();
  return {
      {"organization", organization},
      {"category", category_display_name.empty()
                       ? std::string("-")
                       : std::string(category_display_name)},
      {"subject", complaint.subject()},
      {"received_date",
       thai::ShortThaiDate(api::FromProtoTime(complaint.receive_time()))},
      {"due_date",
       thai::ShortThaiDate(api::FromProtoTime(complaint.due_time()))},
      {"state", StateLabel(complaint.state())},
  };
}

absl::StatusOr<std::string> FillReplyTemplate(
    const v1::ReplyTemplate& reply_template,
    const absl::flat_hash_map<std::string, std::string>& known,
    const google::protobuf::Map<std::string, std::string>& values) {
  constexpr absl::string_view kValuesPath = "reply.template_values";
  const absl::flat_hash_set<std::string> parameters(
      reply_template.parameters().begin(), reply_template.parameters().end());
  for (const auto& [name, value] : values) {
    if (!parameters.contains(name)) {
      return InvalidField(kValuesPath,
                          absl::StrCat("unknown placeholder {", name,
                                       "}: not a parameter of the template"));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateText(
        absl::StrCat(kValuesPath, "[", name, "]"), value, kMaxTextChars, true));
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<TemplatePart> parts,
      ParseTemplateText("reply.reply_template", reply_template.text()));
  std::string text;
  for (const TemplatePart& part : parts) {
    if (!part.placeholder) {
      absl::StrAppend(&text, part.text);
    } else if (auto found = known.find(part.text); found != known.end()) {
      absl::StrAppend(&text, found->second);
    } else if (auto given = values.find(part.text); given != values.end()) {
      absl::StrAppend(&text, given->second);
    } else {
      return InvalidField(
          kValuesPath, absl::StrCat("missing a value for {", part.text, "}"));
    }
  }
  return text;
}

}  // namespace prongsai::complaint
