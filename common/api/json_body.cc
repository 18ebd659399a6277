#include "common/api/json_body.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace prongsai::api {

std::string ToStoredJson(const google::protobuf::Message& message) {
  std::string json;
  // Serializing a valid message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

absl::Status FromStoredJson(absl::string_view json,
                            google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  // Rows written by a newer version may carry fields this one lacks.
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &message,
                                                   options)
           .ok()) {
    return absl::InternalError(absl::StrCat(
        "stored ", message.GetDescriptor()->name(), " is not readable"));
  }
  return absl::OkStatus();
}

}  // namespace prongsai::api
