#include "gateway/openapi.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "prongsai/common/v1/access.pb.h"

namespace prongsai::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// A JSON value whose objects keep their members in insertion order, so the
// document reads top-down (openapi, info, paths, components) and the same
// routes give the same bytes. Protobuf's Struct is not used: its map has no
// order to promise.
class Json {
 public:
  static Json Str(std::string text) {
    Json json(Kind::kString);
    json.string_ = std::move(text);
    return json;
  }
  static Json Int(int64_t number) {
    Json json(Kind::kInt);
    json.int_ = number;
    return json;
  }
  static Json Bool(bool value) {
    Json json(Kind::kBool);
    json.bool_ = value;
    return json;
  }
  // null
  Json() = default;
  static Json Obj() { return Json(Kind::kObject); }
  static Json Arr() { return Json(Kind::kArray); }
  static Json Arr(const std::vector<std::string>& texts) {
    Json json(Kind::kArray);
    for (const std::string& text : texts) json.Push(Str(text));
    return json;
  }

  // An object's member, added (null) at the end when missing.
  Json& operator[](absl::string_view key) {
    for (auto& [name, value] : members_) {
      if (name == key) return value;
    }
    members_.emplace_back(std::string(key), Json(Kind::kNull));
    return members_.back().second;
  }
  bool Has(absl::string_view key) const {
    for (const auto& member : members_) {
      if (member.first == key) return true;
    }
    return false;
  }
  bool empty() const { return members_.empty() && items_.empty(); }
  Json& Push(Json value) {
    items_.push_back(std::move(value));
    return *this;
  }

  std::string Text() const {
    std::string out;
    Write(&out, 0);
    out.push_back('\n');
    return out;
  }

 private:
  enum class Kind { kNull, kBool, kInt, kString, kArray, kObject };
  explicit Json(Kind kind) : kind_(kind) {}

  static void WriteString(absl::string_view text, std::string* out) {
    out->push_back('"');
    for (char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      switch (c) {
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\r':
          out->append("\\r");
          break;
        default:
          if (byte < 0x20) {
            absl::StrAppendFormat(out, "\\u%04x", byte);
          } else {
            out->push_back(c);  // UTF-8 (Thai text) as it is
          }
      }
    }
    out->push_back('"');
  }

  void Write(std::string* out, int depth) const {
    const std::string inner(2 * static_cast<size_t>(depth + 1), ' ');
    switch (kind_) {
      case Kind::kNull:
        out->append("null");
        return;
      case Kind::kBool:
        out->append(bool_ ? "true" : "false");
        return;
      case Kind::kInt:
        absl::StrAppend(out, int_);
        return;
      case Kind::kString:
        WriteString(string_, out);
        return;
      case Kind::kArray:
        if (items_.empty()) {
          out->append("[]");
          return;
        }
        out->append("[\n");
        for (size_t i = 0; i < items_.size(); ++i) {
          out->append(inner);
          items_[i].Write(out, depth + 1);
          out->append(i + 1 < items_.size() ? ",\n" : "\n");
        }
        absl::StrAppend(out, std::string(2 * static_cast<size_t>(depth), ' '),
                        "]");
        return;
      case Kind::kObject:
        if (members_.empty()) {
          out->append("{}");
          return;
        }
        out->append("{\n");
        for (size_t i = 0; i < members_.size(); ++i) {
          out->append(inner);
          WriteString(members_[i].first, out);
          out->append(": ");
          members_[i].second.Write(out, depth + 1);
          out->append(i + 1 < members_.size() ? ",\n" : "\n");
        }
        absl::StrAppend(out, std::string(2 * static_cast<size_t>(depth), ' '),
                        "}");
        return;
    }
  }

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

constexpr absl::string_view kSchemas = "#/components/schemas/";
constexpr absl::string_view kStatus = "google.rpc.Status";
constexpr absl::string_view kAny = "google.protobuf.Any";
constexpr absl::string_view kBearer = "bearerAuth";

// A proto comment as text: the common indentation (the space after "//")
// and trailing blanks removed, relative indentation (lists) kept.
std::string CleanComment(absl::string_view raw) {
  std::vector<std::string> lines = absl::StrSplit(raw, '\n');
  size_t indent = std::string::npos;
  for (std::string& line : lines) {
    absl::StripTrailingAsciiWhitespace(&line);
    if (line.empty()) continue;
    indent = std::min(indent, line.find_first_not_of(' '));
  }
  if (indent == std::string::npos) return "";
  for (std::string& line : lines) {
    if (!line.empty()) line = line.substr(indent);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  return absl::StrJoin(lines.begin() + first, lines.end(), "\n");
}

template <typename D>
std::string CommentOf(const D* descriptor) {
  google::protobuf::SourceLocation location;
  if (!descriptor->GetSourceLocation(&location)) return "";
  return CleanComment(location.leading_comments);
}

// The comment above `syntax = ...`: the file's own description.
std::string FileComment(const google::protobuf::FileDescriptor* file) {
  google::protobuf::FileDescriptorProto proto;
  file->CopySourceCodeInfoTo(&proto);
  for (const auto& location : proto.source_code_info().location()) {
    if (location.path_size() == 1 &&
        location.path(0) ==
            google::protobuf::FileDescriptorProto::kSyntaxFieldNumber) {
      return CleanComment(location.leading_comments());
    }
  }
  return "";
}

// The first sentence of a comment, on one line.
std::string FirstSentence(absl::string_view comment) {
  const size_t paragraph_end = comment.find("\n\n");
  std::string text = absl::StrJoin(
      absl::StrSplit(comment.substr(0, paragraph_end), '\n'), " ");
  size_t from = 0;
  while (true) {
    const size_t dot = text.find(". ", from);
    if (dot == std::string::npos) return text;
    const absl::string_view before = absl::string_view(text).substr(0, dot);
    if (absl::EndsWith(before, "e.g") || absl::EndsWith(before, "i.e") ||
        absl::EndsWith(before, "etc")) {
      from = dot + 2;
      continue;
    }
    return text.substr(0, dot + 1);
  }
}

// "complaints" -> "complaint": the parameter a collection's id becomes.
std::string Singular(absl::string_view collection) {
  if (absl::EndsWith(collection, "ies")) {
    return absl::StrCat(collection.substr(0, collection.size() - 3), "y");
  }
  for (absl::string_view ending : {"sses", "ches", "shes", "xes"}) {
    if (absl::EndsWith(collection, ending)) {
      return std::string(collection.substr(0, collection.size() - 2));
    }
  }
  if (absl::EndsWith(collection, "s") && collection.size() > 1) {
    return std::string(collection.substr(0, collection.size() - 1));
  }
  return absl::StrCat(collection, "Id");
}

// Well-known types with a JSON form of their own (proto3 JSON mapping).
bool IsWellKnown(const Descriptor* message) {
  return message->file()->package() == "google.protobuf" &&
         message->full_name() != kAny;
}

// What a query value can set: the gateway reads these as JSON strings.
bool IsStringLike(const Descriptor* message) {
  const std::string& name = message->full_name();
  return name == "google.protobuf.Timestamp" ||
         name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

Json Ref(absl::string_view name) {
  Json json = Json::Obj();
  json["$ref"] = Json::Str(absl::StrCat(kSchemas, name));
  return json;
}

Json Typed(absl::string_view type, absl::string_view format = "") {
  Json json = Json::Obj();
  json["type"] = Json::Str(std::string(type));
  if (!format.empty()) json["format"] = Json::Str(std::string(format));
  return json;
}

// A well-known type's schema, inline.
Json WellKnownSchema(const Descriptor* message) {
  const std::string& name = message->full_name();
  if (name == "google.protobuf.Timestamp") {
    Json json = Typed("string", "date-time");
    json["description"] =
        Json::Str("RFC 3339, e.g. \"2026-01-31T17:00:00Z\" (UTC).");
    return json;
  }
  if (name == "google.protobuf.Duration") {
    Json json = Typed("string");
    json["pattern"] = Json::Str("^-?[0-9]+(\\.[0-9]{1,9})?s$");
    json["description"] = Json::Str("Seconds with an \"s\", e.g. \"3.5s\".");
    return json;
  }
  if (name == "google.protobuf.FieldMask") {
    Json json = Typed("string");
    json["description"] = Json::Str(
        "Comma-separated field paths in lowerCamelCase, as proto3 JSON "
        "writes a FieldMask, e.g. \"displayName,slaDays\".");
    return json;
  }
  if (name == "google.protobuf.Struct") {
    Json json = Typed("object");
    json["additionalProperties"] = Json::Bool(true);
    return json;
  }
  if (name == "google.protobuf.Value") return Json::Obj();  // any JSON
  if (name == "google.protobuf.ListValue") {
    Json json = Typed("array");
    json["items"] = Json::Obj();
    return json;
  }
  if (name == "google.protobuf.Empty") return Typed("object");
  // Wrappers: the wrapped value, or null.
  const FieldDescriptor* value = message->FindFieldByName("value");
  Json json = Typed("object");
  if (value != nullptr) {
    switch (value->type()) {
      case FieldDescriptor::TYPE_INT64:
        json = Typed("string", "int64");
        break;
      case FieldDescriptor::TYPE_UINT64:
        json = Typed("string", "uint64");
        break;
      case FieldDescriptor::TYPE_INT32:
        json = Typed("integer", "int32");
        break;
      case FieldDescriptor::TYPE_UINT32:
        json = Typed("integer", "int64");
        break;
      case FieldDescriptor::TYPE_DOUBLE:
        json = Typed("number", "double");
        break;
      case FieldDescriptor::TYPE_FLOAT:
        json = Typed("number", "float");
        break;
      case FieldDescriptor::TYPE_BOOL:
        json = Typed("boolean");
        break;
      case FieldDescriptor::TYPE_BYTES:
        json = Typed("string", "byte");
        break;
      default:
        json = Typed("string");
    }
    json["nullable"] = Json::Bool(true);
  }
  return json;
}

// The path of one route in OpenAPI form, with its parameters.
struct PathLayout {
  std::string path;
  Json parameters = Json::Arr();
  // Request field path -> the template of its value with the parameters
  // ("organizations/{organization}/complaints/{complaint}").
  Json fields = Json::Obj();
};

// A path parameter's name, numbered when the path already has it
// ("organization", then "organization2").
std::string UniqueName(const std::string& name, std::set<std::string>* taken) {
  std::string candidate = name;
  for (int n = 2; !taken->insert(candidate).second; ++n) {
    candidate = absl::StrCat(name, n);
  }
  return candidate;
}

// The parameter a `*` of `field_path`'s pattern becomes (one segment), or,
// when `rest`, its `**` (the rest of the path); the description is added
// once the value's whole template is known.
Json PathParameter(const std::string& name, const std::string& field_path,
                   const std::string& pattern, bool rest) {
  Json parameter = Json::Obj();
  parameter["name"] = Json::Str(name);
  parameter["in"] = Json::Str("path");
  parameter["required"] = Json::Bool(true);
  Json schema = Typed("string");
  schema["pattern"] = Json::Str(rest ? "^.+$" : "^[^/]+$");
  parameter["schema"] = std::move(schema);
  parameter["x-prongsai-field"] = Json::Str(field_path);
  if (rest) parameter["x-prongsai-pattern"] = Json::Str(pattern);
  return parameter;
}

// What a path parameter is: the whole field, one segment of its `value`
// template, or the rest of it; then the field's own comment.
std::string PathParameterDescription(bool rest, const std::string& field_path,
                                     const std::string& pattern,
                                     const std::string& value,
                                     const std::string& comment) {
  std::string description =
      rest ? absl::StrCat("The rest of `", field_path, "` (`", value,
                          "`): it may hold '/', sent as it is, not "
                          "percent-encoded.")
      : pattern == "*"
          ? absl::StrCat("`", field_path, "`.")
          : absl::StrCat("One segment of `", field_path, "` (`", value, "`).");
  if (!comment.empty()) absl::StrAppend(&description, " ", comment);
  return description;
}

// One `{field_path=pattern}` variable of a template (`inside` the braces),
// added to `layout`: its parameters, its part of the path and the template
// of the field's value. `taken` holds the path's parameter names so far.
void AddPathVariable(const Descriptor* input, const std::string& inside,
                     std::set<std::string>* taken, PathLayout* layout) {
  std::pair<std::string, std::string> field_and_pattern =
      absl::StrSplit(inside, absl::MaxSplits('=', 1));
  const std::string& field_path = field_and_pattern.first;
  const std::string pattern =
      field_and_pattern.second.empty() ? "*" : field_and_pattern.second;
  const FieldDescriptor* field = FieldAt(input, field_path);
  const std::string comment = field ? CommentOf(field) : "";
  std::vector<std::string> value_template;
  std::vector<Json> parameters;
  std::string previous_literal;
  for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
    if (segment != "*" && segment != "**") {
      value_template.emplace_back(segment);
      previous_literal = std::string(segment);
      continue;
    }
    const bool rest = segment == "**";
    const std::string name = UniqueName(
        previous_literal.empty() ? field_path : Singular(previous_literal),
        taken);
    value_template.push_back(absl::StrCat("{", name, "}"));
    parameters.push_back(PathParameter(name, field_path, pattern, rest));
  }
  const std::string value = absl::StrJoin(value_template, "/");
  for (Json& parameter : parameters) {
    parameter["description"] = Json::Str(
        PathParameterDescription(parameter.Has("x-prongsai-pattern"),
                                 field_path, pattern, value, comment));
    layout->parameters.Push(std::move(parameter));
  }
  layout->path += value;
  layout->fields[field_path] = Json::Str(value);
}

PathLayout LayoutOf(const Route& route) {
  PathLayout layout;
  std::set<std::string> taken;
  const std::string& text = route.path.text();
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('{', at);
    if (open == std::string::npos) {
      layout.path += text.substr(at);
      break;
    }
    layout.path += text.substr(at, open - at);
    const size_t close = text.find('}', open);
    AddPathVariable(route.method->input_type(),
                    text.substr(open + 1, close - open - 1), &taken, &layout);
    at = close + 1;
  }
  return layout;
}

// The names of the roles the method's prongsai.common.v1.access option
// admits.
std::vector<std::string> RolesOf(const MethodDescriptor* method) {
  std::vector<std::string> roles;
  if (method->options().HasExtension(prongsai::common::v1::access)) {
    const prongsai::common::v1::AccessPolicy& policy =
        method->options().GetExtension(prongsai::common::v1::access);
    for (int role : policy.roles()) {
      roles.push_back(prongsai::common::v1::Role_Name(
          static_cast<prongsai::common::v1::Role>(role)));
    }
  }
  return roles;
}

// The method's comment, then who may call it.
std::string OperationDescription(const std::string& comment,
                                 const std::vector<std::string>& roles,
                                 bool open_to_public) {
  std::string description = comment;
  absl::StrAppend(
      &description, description.empty() ? "" : "\n\n",
      roles.empty() ? std::string("No role is admitted: every call is refused.")
      : open_to_public
          ? std::string("Roles: PUBLIC (no API key needed).")
          : absl::StrCat("Roles: ", absl::StrJoin(roles, ", "), "."));
  return description;
}

// A bearer API key; or, when PUBLIC may call (`open_to_public`), no key at
// all as well.
Json SecurityOf(bool open_to_public) {
  Json security = Json::Arr();
  if (open_to_public) security.Push(Json::Obj());  // no key at all
  Json bearer = Json::Obj();
  bearer[kBearer] = Json::Arr();
  security.Push(std::move(bearer));
  return security;
}
class Generator {
 public:
  Generator(const ApiRoutes& routes, const OpenApiOptions& options)
      : routes_(routes), options_(options) {}

  std::string Document() {
    Json document = Json::Obj();
    document["openapi"] = Json::Str("3.0.3");
    Json& info = document["info"];
    info = Json::Obj();
    info["title"] = Json::Str(options_.title);
    info["version"] = Json::Str(options_.version);
    info["description"] = Json::Str(
        "The HTTP/JSON interface of the Prongsai services (plan, complaint, "
        "ITA), generated from their protos' google.api.http options.\n\n"
        "- JSON follows the proto3 JSON mapping: field names as in the protos "
        "(lowerCamelCase is accepted too), 64-bit integers as strings, enums "
        "as their names, timestamps in RFC 3339, bytes in base64.\n"
        "- Resource names (`organizations/6340101/complaints/...`) go in the "
        "path one segment per parameter; `x-prongsai-path-fields` on each "
        "operation says which request field the parameters make up.\n"
        "- Authenticate with an API key: `Authorization: Bearer <key>`. An "
        "operation PUBLIC may call takes no key; `x-prongsai-roles` lists "
        "the roles each operation admits.\n"
        "- Errors are a google.rpc.Status body with the HTTP status of its "
        "code (INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED "
        "403, NOT_FOUND 404, ALREADY_EXISTS and ABORTED 409, "
        "FAILED_PRECONDITION 400, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503).");
    if (!options_.server_urls.empty()) {
      Json& servers = document["servers"];
      servers = Json::Arr();
      for (const std::string& url : options_.server_urls) {
        Json server = Json::Obj();
        server["url"] = Json::Str(url);
        servers.Push(std::move(server));
      }
    }
    Json paths = Json::Obj();
    Json tags = Json::Arr();
    std::set<std::string> tagged;
    std::map<const MethodDescriptor*, int> bindings;
    for (const Route& route : routes_.routes()) {
      const MethodDescriptor* method = route.method;
      const ServiceDescriptor* service = method->service();
      if (tagged.insert(service->full_name()).second) {
        Json tag = Json::Obj();
        tag["name"] = Json::Str(service->name());
        std::string about = CommentOf(service);
        if (about.empty()) about = FileComment(service->file());
        if (!about.empty()) tag["description"] = Json::Str(about);
        tags.Push(std::move(tag));
      }
      const int binding = ++bindings[method];
      std::string operation_id =
          absl::StrCat(service->name(), "_", method->name());
      if (binding > 1) absl::StrAppend(&operation_id, "_", binding);
      PathLayout layout = LayoutOf(route);
      Json& item = paths[layout.path];
      if (item.empty()) item = Json::Obj();
      const std::string verb = absl::AsciiStrToLower(route.http_method);
      // Two templates that read the same would be one route to the
      // gateway too (the earliest wins); so here.
      if (item.Has(verb)) continue;
      item[verb] = Operation(route, operation_id, std::move(layout));
    }
    document["tags"] = std::move(tags);
    document["security"] = SecurityOf(/*open_to_public=*/false);
    document["paths"] = std::move(paths);
    document["components"] = Components();
    return document.Text();
  }

 private:
  Json& Remember(absl::string_view name) {
    return document_schemas_[std::string(name)];
  }

  Json RefTo(const Descriptor* message) {
    if (message->full_name() == kAny) return Ref(kAny);  // written by hand
    if (seen_.insert(message->full_name()).second) pending_.push_back(message);
    return Ref(message->full_name());
  }

  Json RefTo(const EnumDescriptor* enumeration) {
    if (seen_.insert(enumeration->full_name()).second) {
      Remember(enumeration->full_name()) = EnumSchema(enumeration);
    }
    return Ref(enumeration->full_name());
  }

  // One value of `field` (an element when repeated, the value of a map).
  Json ValueSchema(const FieldDescriptor* field) {
    switch (field->type()) {
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        return Typed("integer", "int32");
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32: {
        Json json = Typed("integer", "int64");
        json["minimum"] = Json::Int(0);
        json["maximum"] = Json::Int(4294967295);
        return json;
      }
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
        return Typed("string", "int64");
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        return Typed("string", "uint64");
      case FieldDescriptor::TYPE_DOUBLE:
        return Typed("number", "double");
      case FieldDescriptor::TYPE_FLOAT:
        return Typed("number", "float");
      case FieldDescriptor::TYPE_BOOL:
        return Typed("boolean");
      case FieldDescriptor::TYPE_STRING:
        return Typed("string");
      case FieldDescriptor::TYPE_BYTES:
        return Typed("string", "byte");
      case FieldDescriptor::TYPE_ENUM:
        return RefTo(field->enum_type());
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        if (IsWellKnown(field->message_type())) {
          return WellKnownSchema(field->message_type());
        }
        return RefTo(field->message_type());
    }
    return Json::Obj();
  }

  // The schema of `field` as a property: arrays, maps, and what its comment
  // says (a $ref has no siblings in OpenAPI 3.0, so it is wrapped in allOf).
  Json FieldSchema(const FieldDescriptor* field) {
    Json schema;
    if (field->is_map()) {
      schema = Typed("object");
      schema["additionalProperties"] =
          ValueSchema(field->message_type()->map_value());
    } else if (field->is_repeated()) {
      schema = Typed("array");
      schema["items"] = ValueSchema(field);
    } else {
      schema = ValueSchema(field);
    }
    std::string description = CommentOf(field);
    if (field->is_map() && field->message_type()->map_key()->type() !=
                               FieldDescriptor::TYPE_STRING) {
      absl::StrAppend(&description, description.empty() ? "" : "\n\n",
                      "Keys are numbers written as strings.");
    }
    if (const auto* oneof = field->real_containing_oneof()) {
      std::vector<std::string> members;
      members.reserve(oneof->field_count());
      for (int i = 0; i < oneof->field_count(); ++i) {
        members.push_back(absl::StrCat("`", oneof->field(i)->name(), "`"));
      }
      absl::StrAppend(&description, description.empty() ? "" : "\n\n",
                      "One of `", oneof->name(), "`: set at most one of ",
                      absl::StrJoin(members, ", "), ".");
    } else if (field->has_presence() &&
               field->type() != FieldDescriptor::TYPE_MESSAGE) {
      absl::StrAppend(&description, description.empty() ? "" : "\n\n",
                      "Absent when not set (absent is not 0).");
    }
    // AIP-203's wording, which the protos follow.
    const bool read_only = absl::StrContains(description, "Output only");
    const bool write_only = absl::StrContains(description, "Input only");
    const bool deprecated = field->options().deprecated();
    if (description.empty() && !read_only && !write_only && !deprecated) {
      return schema;
    }
    if (schema.Has("$ref")) {
      Json wrapped = Json::Obj();
      wrapped["allOf"] = Json::Arr().Push(std::move(schema));
      schema = std::move(wrapped);
    }
    if (!description.empty()) schema["description"] = Json::Str(description);
    if (read_only) schema["readOnly"] = Json::Bool(true);
    if (write_only) schema["writeOnly"] = Json::Bool(true);
    if (deprecated) schema["deprecated"] = Json::Bool(true);
    return schema;
  }

  // An object schema of `message`'s fields, but those named in `skip`.
  Json MessageSchema(const Descriptor* message,
                     const std::set<std::string>& skip = {}) {
    Json schema = Typed("object");
    const std::string description = CommentOf(message);
    if (!description.empty()) schema["description"] = Json::Str(description);
    Json properties = Json::Obj();
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      if (skip.count(field->name()) > 0) continue;
      properties[field->name()] = FieldSchema(field);
    }
    schema["properties"] = std::move(properties);
    return schema;
  }

  Json EnumSchema(const EnumDescriptor* enumeration) {
    Json schema = Typed("string");
    std::string description = CommentOf(enumeration);
    std::vector<std::string> names, notes;
    for (int i = 0; i < enumeration->value_count(); ++i) {
      const auto* value = enumeration->value(i);
      names.push_back(value->name());
      const std::string note = CommentOf(value);
      if (!note.empty()) {
        notes.push_back(absl::StrCat("- `", value->name(), "`: ",
                                     absl::StrReplaceAll(note, {{"\n", " "}})));
      }
    }
    if (!notes.empty()) {
      absl::StrAppend(&description, description.empty() ? "" : "\n\n",
                      absl::StrJoin(notes, "\n"));
    }
    if (!description.empty()) schema["description"] = Json::Str(description);
    schema["enum"] = Json::Arr(names);
    return schema;
  }

  // Query parameters for every field of `message` (under `prefix`) that
  // neither the path nor the body sets: scalars, enums, repeated ones,
  // and the fields of message fields, flattened ("fiscal_year.be_year") as
  // the gateway reads them.
  void QueryParameters(const Descriptor* message, const std::string& prefix,
                       const std::set<std::string>& bound, int depth,
                       std::vector<const Descriptor*>* on_the_way,
                       Json* parameters) {
    on_the_way->push_back(message);
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      const std::string name = absl::StrCat(prefix, field->name());
      if (bound.count(name) > 0 || field->is_map()) continue;
      if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
          !IsStringLike(field->message_type())) {
        const Descriptor* type = field->message_type();
        if (field->is_repeated() || IsWellKnown(type) || depth >= 3 ||
            std::find(on_the_way->begin(), on_the_way->end(), type) !=
                on_the_way->end()) {
          continue;
        }
        QueryParameters(type, absl::StrCat(name, "."), bound, depth + 1,
                        on_the_way, parameters);
        continue;
      }
      Json parameter = Json::Obj();
      parameter["name"] = Json::Str(name);
      parameter["in"] = Json::Str("query");
      const std::string comment = CommentOf(field);
      if (!comment.empty()) parameter["description"] = Json::Str(comment);
      if (field->is_repeated()) {
        parameter["style"] = Json::Str("form");
        parameter["explode"] = Json::Bool(true);
        Json schema = Typed("array");
        schema["items"] = ValueSchema(field);
        parameter["schema"] = std::move(schema);
      } else {
        parameter["schema"] = ValueSchema(field);
      }
      parameters->Push(std::move(parameter));
    }
    on_the_way->pop_back();
  }

  // The path's parameters, then the query's: every field neither the path
  // nor the body sets (none when the body is the whole request).
  Json Parameters(const Route& route, Json path_parameters) {
    Json parameters = std::move(path_parameters);
    if (route.body != "*") {
      std::set<std::string> bound;
      for (const std::string& variable : route.path.variables()) {
        bound.insert(variable);
      }
      if (!route.body.empty()) bound.insert(route.body);
      std::vector<const Descriptor*> on_the_way;
      QueryParameters(route.method->input_type(), "", bound, 0, &on_the_way,
                      &parameters);
    }
    return parameters;
  }

  // The body's schema when it is the whole request ("*"): the request less
  // the top-level fields the path sets; `about` says so.
  Json WholeRequestSchema(const Route& route, std::string* about) {
    const Descriptor* input = route.method->input_type();
    std::set<std::string> in_path;
    for (const std::string& variable : route.path.variables()) {
      if (!absl::StrContains(variable, ".")) in_path.insert(variable);
    }
    Json schema =
        in_path.empty() ? RefTo(input) : MessageSchema(input, in_path);
    *about = absl::StrCat("The ", input->name(),
                          in_path.empty()
                              ? ""
                              : absl::StrCat(" without what the path sets (",
                                             absl::StrJoin(in_path, ", "), ")"),
                          ".");
    return schema;
  }

  // The body's schema when it is one field of the request (route.body);
  // `about` says which, with the field's comment.
  Json FieldRequestSchema(const Route& route, std::string* about) {
    const FieldDescriptor* field =
        route.method->input_type()->FindFieldByName(route.body);
    Json schema = ValueSchema(field);
    if (field->is_repeated()) {
      Json array = Typed("array");
      array["items"] = std::move(schema);
      schema = std::move(array);
    }
    *about = absl::StrCat("The request's `", route.body, "`.");
    const std::string field_comment = CommentOf(field);
    if (!field_comment.empty()) absl::StrAppend(about, " ", field_comment);
    return schema;
  }

  // The requestBody of a route with a body: JSON, or newline-delimited
  // JSON messages for a client stream.
  Json RequestBody(const Route& route) {
    const MethodDescriptor* method = route.method;
    std::string about;
    Json media = Json::Obj();
    media["schema"] = route.body == "*" ? WholeRequestSchema(route, &about)
                                        : FieldRequestSchema(route, &about);
    Json content = Json::Obj();
    if (method->client_streaming()) {
      about = absl::StrCat(
          "Newline-delimited JSON (Content-Type: application/x-ndjson): one ",
          method->input_type()->name(),
          " per line, in order, each a JSON object on one line; blank "
          "lines are skipped. The path's fields are set on every message. "
          "The call is answered once the whole body has been read.");
      content["application/x-ndjson"] = std::move(media);
    } else {
      content["application/json"] = std::move(media);
    }
    Json body = Json::Obj();
    body["description"] = Json::Str(about);
    body["required"] = Json::Bool(true);
    body["content"] = std::move(content);
    return body;
  }

  // 200 with the method's `output`, and every error as a google.rpc.Status.
  Json Responses(const Descriptor* output) {
    Json responses = Json::Obj();
    Json ok = Json::Obj();
    const std::string output_comment = CommentOf(output);
    ok["description"] = Json::Str(
        output_comment.empty() ? absl::StrCat("The ", output->name(), ".")
                               : absl::StrCat("The ", output->name(), ": ",
                                              FirstSentence(output_comment)));
    Json ok_content = Json::Obj();
    Json ok_media = Json::Obj();
    ok_media["schema"] =
        IsWellKnown(output) ? WellKnownSchema(output) : RefTo(output);
    ok_content["application/json"] = std::move(ok_media);
    ok["content"] = std::move(ok_content);
    responses["200"] = std::move(ok);
    Json error = Json::Obj();
    error["description"] = Json::Str(
        "An error: the gRPC status as a google.rpc.Status, with the HTTP "
        "status of its code.");
    Json error_content = Json::Obj();
    Json error_media = Json::Obj();
    error_media["schema"] = Ref(kStatus);
    error_content["application/json"] = std::move(error_media);
    error["content"] = std::move(error_content);
    responses["default"] = std::move(error);
    return responses;
  }

  Json Operation(const Route& route, const std::string& operation_id,
                 PathLayout layout) {
    const MethodDescriptor* method = route.method;
    Json operation = Json::Obj();
    operation["tags"] = Json::Arr({method->service()->name()});
    const std::string comment = CommentOf(method);
    if (!comment.empty()) {
      operation["summary"] = Json::Str(FirstSentence(comment));
    }
    const std::vector<std::string> roles = RolesOf(method);
    const bool open_to_public =
        std::find(roles.begin(), roles.end(), "PUBLIC") != roles.end();
    operation["description"] =
        Json::Str(OperationDescription(comment, roles, open_to_public));
    operation["operationId"] = Json::Str(operation_id);

    Json parameters = Parameters(route, std::move(layout.parameters));
    if (!parameters.empty()) operation["parameters"] = std::move(parameters);
    if (!route.body.empty()) operation["requestBody"] = RequestBody(route);
    operation["responses"] = Responses(method->output_type());
    operation["security"] = SecurityOf(open_to_public);
    if (method->options().deprecated()) {
      operation["deprecated"] = Json::Bool(true);
    }
    operation["x-prongsai-roles"] = Json::Arr(roles);
    operation["x-prongsai-grpc-method"] = Json::Str(route.grpc_path);
    // google.api.http's body rule: "*" (the request less the path's
    // fields), a field's name (that field; the rest from the query), or
    // absent (everything but the path from the query).
    if (!route.body.empty()) {
      operation["x-prongsai-body"] = Json::Str(route.body);
    }
    if (!layout.fields.empty()) {
      operation["x-prongsai-path-fields"] = std::move(layout.fields);
    }
    if (method->client_streaming()) {
      operation["x-prongsai-client-streaming"] = Json::Bool(true);
    }
    return operation;
  }

  Json Components() {
    // Every message a schema names, and the ones those name.
    while (!pending_.empty()) {
      const Descriptor* message = pending_.front();
      pending_.pop_front();
      Json schema = MessageSchema(message);
      Remember(message->full_name()) = std::move(schema);
    }
    Json& status = Remember(kStatus);
    status = Typed("object");
    status["description"] = Json::Str(
        "Every error's body: the gRPC status code (google.rpc.Code), a "
        "message (for INVALID_ARGUMENT it starts with the field path, "
        "\"field.path: reason\"), and details such as a "
        "google.rpc.BadRequest naming the field.");
    Json properties = Json::Obj();
    properties["code"] = Typed("integer", "int32");
    properties["message"] = Typed("string");
    Json details = Typed("array");
    details["items"] = Ref(kAny);
    properties["details"] = std::move(details);
    status["properties"] = std::move(properties);
    Json& any = Remember(kAny);
    any = Typed("object");
    any["description"] = Json::Str(
        "A message of any type: `@type` names it "
        "(\"type.googleapis.com/google.rpc.BadRequest\"), its fields follow.");
    Json any_properties = Json::Obj();
    any_properties["@type"] = Typed("string");
    any["properties"] = std::move(any_properties);
    any["additionalProperties"] = Json::Bool(true);

    Json components = Json::Obj();
    Json schemas = Json::Obj();
    for (auto& [name, schema] : document_schemas_) {
      schemas[name] = std::move(schema);
    }
    components["schemas"] = std::move(schemas);
    Json schemes = Json::Obj();
    Json bearer = Json::Obj();
    bearer["type"] = Json::Str("http");
    bearer["scheme"] = Json::Str("bearer");
    bearer["description"] = Json::Str(
        "A Prongsai API key: `Authorization: Bearer <key>`. Its roles and "
        "organizations decide what it may call; keys never go in URLs.");
    schemes[kBearer] = std::move(bearer);
    components["securitySchemes"] = std::move(schemes);
    return components;
  }

  const ApiRoutes& routes_;
  const OpenApiOptions& options_;
  std::map<std::string, Json> document_schemas_;
  std::set<std::string> seen_;
  std::deque<const Descriptor*> pending_;
};

}  // namespace

std::string OpenApiDocument(const ApiRoutes& routes,
                            const OpenApiOptions& options) {
  return Generator(routes, options).Document();
}

}  // namespace prongsai::gateway
