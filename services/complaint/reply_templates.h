// Reply templates: the text staff send most often, with placeholders the
// service fills from the complaint ({organization}, {category}, {subject},
// {received_date}, {due_date}, {state}) or from values the sender gives for
// the template's declared `parameters`. Pure: no I/O.
//
//   PRONGSAI_ASSIGN_OR_RETURN(ChildName name, ValidateReplyTemplate(t));
//   PRONGSAI_ASSIGN_OR_RETURN(std::string text,
//       FillReplyTemplate(t, KnownPlaceholders(complaint, category), values));
#ifndef PRONGSAI_SERVICES_COMPLAINT_REPLY_TEMPLATES_H_
#define PRONGSAI_SERVICES_COMPLAINT_REPLY_TEMPLATES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/resource_name.h"
#include "google/protobuf/map.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

inline constexpr absl::string_view kReplyTemplates = "replyTemplates";

// The parts of a template's text: literal text and placeholder names, in
// order. INVALID_ARGUMENT `field_path` for a lone or unclosed brace or a
// malformed name.
struct TemplatePart {
  bool placeholder = false;
  std::string text;  // the literal, or the placeholder's name
};
absl::StatusOr<std::vector<TemplatePart>> ParseTemplateText(
    absl::string_view field_path, absl::string_view text);

// A whole template before it is stored (see complaint.proto ReplyTemplate);
// returns its parsed name. Whether the category exists is the store's to
// say.
absl::StatusOr<ChildName> ValidateReplyTemplate(
    const v1::ReplyTemplate& reply_template);

// The placeholders the service fills, by name, from `complaint` and its
// category's display name (empty when uncategorised).
absl::flat_hash_map<std::string, std::string> KnownPlaceholders(
    const v1::Complaint& complaint, absl::string_view category_display_name);

// The text of `reply_template` with every placeholder filled: the known
// ones from `known`, its parameters from `values`. INVALID_ARGUMENT
// `reply.template_values` when a parameter has no value or a value names
// no parameter.
absl::StatusOr<std::string> FillReplyTemplate(
    const v1::ReplyTemplate& reply_template,
    const absl::flat_hash_map<std::string, std::string>& known,
    const google::protobuf::Map<std::string, std::string>& values);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_REPLY_TEMPLATES_H_
