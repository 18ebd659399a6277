#include "gateway/transcode.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "gateway/json_syntax.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace prongsai::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status JsonError(absl::string_view where,
                       const google::protobuf::util::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": ", std::string(status.message())));
}

// A field by proto name or lowerCamel (JSON) name.
const FieldDescriptor* FindField(const Descriptor* message,
                                 absl::string_view name) {
  const FieldDescriptor* field = message->FindFieldByName(std::string(name));
  if (field == nullptr) {
    field = message->FindFieldByCamelcaseName(std::string(name));
  }
  return field;
}

// Well-known types whose JSON form is a string, so a query value can set
// them ("2026-01-01T00:00:00Z", "title,targets", "3.5s").
bool IsStringLikeMessage(const Descriptor* message) {
  const std::string& name = message->full_name();
  return name == "google.protobuf.Timestamp" ||
         name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

// JSON text of a string, escaped.
std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, c));
    } else if (byte < 0x20) {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", byte));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// `{"a":{"b":<value>}}` for the query parameter `a.b=value`, or why not.
absl::StatusOr<std::string> QueryJson(const Descriptor* request,
                                      absl::string_view name,
                                      absl::string_view value) {
  const std::string where = absl::StrCat("query parameter ", name);
  std::vector<absl::string_view> parts = absl::StrSplit(name, '.');
  const Descriptor* message = request;
  std::string open, close;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        message == nullptr ? nullptr : FindField(message, parts[i]);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": the method has no such field"));
    }
    const bool last = i + 1 == parts.size();
    if (!last) {
      if (field->type() != FieldDescriptor::TYPE_MESSAGE ||
          field->is_repeated() || IsStringLikeMessage(field->message_type())) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": ", field->name(), " has no fields to set"));
      }
      absl::StrAppend(&open, "{", JsonString(field->name()), ":");
      close += "}";  // all closing braces: the order is moot
      message = field->message_type();
      continue;
    }
    std::string json;
    if (field->is_map() || (field->type() == FieldDescriptor::TYPE_MESSAGE &&
                            !IsStringLikeMessage(field->message_type()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          where,
          ": a message field cannot be set from the query; set its "
          "fields (",
          name, ".<field>=...)"));
    } else if (field->type() == FieldDescriptor::TYPE_BOOL) {
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": must be true or false"));
      }
      json = std::string(value);
    } else {
      // proto3 JSON takes every number as a string too.
      json = JsonString(value);
    }
    if (field->is_repeated()) json = absl::StrCat("[", json, "]");
    absl::StrAppend(&open, "{", JsonString(field->name()), ":", json, "}");
  }
  return absl::StrCat(open, close);
}

// Sets the string field at `path` ("action_plan.name"), making the messages
// on the way. ApiRoutes checked that the path names a string field.
void SetPathField(Message* message, absl::string_view path,
                  const std::string& value,
                  google::protobuf::MessageFactory* factory) {
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        message->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (i + 1 == parts.size()) {
      message->GetReflection()->SetString(message, field, value);
    } else {
      message =
          message->GetReflection()->MutableMessage(message, field, factory);
    }
  }
}

// The type URL the resolver knows a message by.
std::string TypeUrl(const Descriptor* message) {
  return absl::StrCat("type.googleapis.com/", message->full_name());
}

// The wire bytes of a length-delimited field holding `bytes`.
std::string LengthDelimited(int field_number, absl::string_view bytes) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
      field_number,
      google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  coded.WriteVarint32(static_cast<uint32_t>(bytes.size()));
  coded.WriteRaw(bytes.data(), static_cast<int>(bytes.size()));
  coded.Trim();
  return out;
}

}  // namespace

Transcoder::Transcoder(const google::protobuf::DescriptorPool* pool)
    : factory_(pool),
      resolver_(google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", pool)) {}

Transcoder::~Transcoder() = default;

absl::StatusOr<std::string> Transcoder::JsonToBinary(
    absl::string_view where, absl::string_view json,
    const Descriptor* type) const {
  if (absl::Status syntax = CheckJsonSyntax(json); !syntax.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, absl::StripPrefix(syntax.message(), "body")));
  }
  // Straight to wire bytes with one long-lived resolver: no message is
  // built, and the pieces of a request are joined as bytes (protobuf merges
  // concatenated messages, later scalars winning).
  std::string binary;
  google::protobuf::util::Status status =
      google::protobuf::util::JsonToBinaryString(
          resolver_.get(), TypeUrl(type),
          google::protobuf::StringPiece(json.data(), json.size()), &binary,
          google::protobuf::util::JsonParseOptions());
  if (!status.ok()) return JsonError(where, status);
  return binary;
}

absl::StatusOr<std::string> Transcoder::PathBytes(
    const RouteMatch& match) const {
  if (match.bindings.empty()) return "";
  std::unique_ptr<Message> request(
      factory_.GetPrototype(match.route->method->input_type())->New());
  for (const auto& [path, value] : match.bindings) {
    // A %-escape can spell any byte; a string field holds UTF-8 only, and
    // the service would not even parse the request.
    if (!Utf8Length(value).has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": the path's text is not UTF-8"));
    }
    SetPathField(request.get(), path, value, &factory_);
  }
  return request->SerializeAsString();
}

absl::StatusOr<std::string> Transcoder::Request(
    const RouteMatch& match,
    const std::vector<std::pair<std::string, std::string>>& query,
    absl::string_view body) const {
  const Route& route = *match.route;
  const Descriptor* input = route.method->input_type();
  const bool has_body = !absl::StripAsciiWhitespace(body).empty();
  if (route.body.empty() && has_body) {
    return absl::InvalidArgumentError(
        absl::StrCat(route.http_method, " ", route.path.text(),
                     " takes no body; send the fields as query parameters"));
  }
  std::string request;
  if (route.body == "*") {
    if (has_body) {
      PRONGSAI_ASSIGN_OR_RETURN(request, JsonToBinary("body", body, input));
    }
  } else if (!route.body.empty() && has_body) {
    const FieldDescriptor* field = input->FindFieldByName(route.body);
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string part, JsonToBinary(absl::StrCat("body (", route.body, ")"),
                                       body, field->message_type()));
    request = LengthDelimited(field->number(), part);
  }
  if (!query.empty() && route.body == "*") {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter ", query.front().first,
                     ": this method takes its fields in the body"));
  }
  for (const auto& [name, value] : query) {
    const std::string top = name.substr(0, name.find('.'));
    if (!route.body.empty()) {
      const FieldDescriptor* top_field = FindField(input, top);
      if (top_field != nullptr && top_field->name() == route.body) {
        return absl::InvalidArgumentError(absl::StrCat("query parameter ", name,
                                                       ": ", route.body,
                                                       " comes from the body"));
      }
    }
    PRONGSAI_ASSIGN_OR_RETURN(std::string json, QueryJson(input, name, value));
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string part,
        JsonToBinary(absl::StrCat("query parameter ", name), json, input));
    request += part;
  }
  // The path has the last word: a body cannot aim the call elsewhere.
  PRONGSAI_ASSIGN_OR_RETURN(std::string path, PathBytes(match));
  return request + path;
}

absl::StatusOr<std::vector<std::string>> Transcoder::StreamRequests(
    const RouteMatch& match, absl::string_view body) const {
  std::vector<std::string> requests;
  PRONGSAI_ASSIGN_OR_RETURN(const std::string path, PathBytes(match));
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string request,
        JsonToBinary(absl::StrCat("body line ", line_number), line,
                     match.route->method->input_type()));
    requests.push_back(request + path);
  }
  return requests;
}

absl::StatusOr<std::string> Transcoder::Response(
    const Route& route, absl::string_view bytes) const {
  // The JSON writer would pass over bytes that are not a message; a walk
  // over the wire format (no message is built) refuses them.
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  if (!google::protobuf::internal::WireFormatLite::SkipMessage(&input) ||
      !input.ConsumedEntireMessage()) {
    return absl::InternalError("the service's answer does not parse");
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (auto status = google::protobuf::util::BinaryToJsonString(
          resolver_.get(), TypeUrl(route.method->output_type()),
          std::string(bytes), &json, options);
      !status.ok()) {
    return absl::InternalError(
        absl::StrCat("the service's answer cannot be written as JSON: ",
                     std::string(status.message())));
  }
  return json;
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}

std::string StatusBody(grpc::StatusCode code, absl::string_view message) {
  google::rpc::Status status;
  status.set_code(static_cast<int>(code));
  status.set_message(std::string(message));
  if (code == grpc::StatusCode::INVALID_ARGUMENT) {
    // The services write "field.path: reason"; a path has no spaces.
    const size_t colon = message.find(": ");
    if (colon != absl::string_view::npos && colon > 0 &&
        !absl::StrContains(message.substr(0, colon), " ")) {
      google::rpc::BadRequest bad_request;
      google::rpc::BadRequest::FieldViolation* violation =
          bad_request.add_field_violations();
      violation->set_field(std::string(message.substr(0, colon)));
      violation->set_description(std::string(message.substr(colon + 2)));
      status.add_details()->PackFrom(bad_request);
    }
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(status, &json, options)
           .ok()) {
    return absl::StrCat("{\"code\":", static_cast<int>(code), "}");
  }
  return json;
}

}  // namespace prongsai::gateway
