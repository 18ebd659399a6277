#include "gateway/api_routes.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"
#include "google/protobuf/descriptor.pb.h"

namespace prongsai::gateway {

extern const std::string_view kApiDescriptorSet;

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// Collects the first error the pool reports while building.
class CollectErrors : public google::protobuf::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& filename, const std::string& element_name,
                const google::protobuf::Message*, ErrorLocation,
                const std::string& message) override {
    if (first.empty())
      first = absl::StrCat(filename, " ", element_name, ": ", message);
  }
  std::string first;
};

absl::StatusOr<Route> RouteOf(const MethodDescriptor* method,
                              const google::api::HttpRule& rule) {
  Route route;
  route.method = method;
  route.grpc_path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  std::string pattern;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      route.http_method = "GET";
      pattern = rule.get();
      break;
    case google::api::HttpRule::kPost:
      route.http_method = "POST";
      pattern = rule.post();
      break;
    case google::api::HttpRule::kPatch:
      route.http_method = "PATCH";
      pattern = rule.patch();
      break;
    case google::api::HttpRule::kPut:
      route.http_method = "PUT";
      pattern = rule.put();
      break;
    case google::api::HttpRule::kDelete:
      route.http_method = "DELETE";
      pattern = rule.delete_();
      break;
    case google::api::HttpRule::kCustom:
      route.http_method = rule.custom().kind();
      pattern = rule.custom().path();
      break;
    case google::api::HttpRule::PATTERN_NOT_SET:
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": http rule without a path"));
  }
  PRONGSAI_ASSIGN_OR_RETURN(route.path, PathTemplate::Parse(pattern));
  for (const std::string& variable : route.path.variables()) {
    const FieldDescriptor* field = FieldAt(method->input_type(), variable);
    if (field == nullptr || field->is_repeated() ||
        field->type() != FieldDescriptor::TYPE_STRING) {
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": path variable ", variable,
                       " is not a string field of the request"));
    }
  }
  route.body = rule.body();
  if (!route.body.empty() && route.body != "*") {
    const FieldDescriptor* body =
        method->input_type()->FindFieldByName(route.body);
    // The transcoder fills one message field from the body.
    if (body == nullptr || body->is_repeated() ||
        body->type() != FieldDescriptor::TYPE_MESSAGE) {
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": body field ", route.body,
                       " is not a message field of the request"));
    }
  }
  if (method->client_streaming() && route.body != "*") {
    return absl::InvalidArgumentError(absl::StrCat(
        method->full_name(), ": a client stream takes the whole body"));
  }
  return route;
}

}  // namespace

const FieldDescriptor* FieldAt(const Descriptor* message,
                               absl::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

absl::StatusOr<std::unique_ptr<google::protobuf::DescriptorPool>>
LoadApiDescriptors() {
  google::protobuf::FileDescriptorSet files;
  if (!files.ParseFromArray(kApiDescriptorSet.data(),
                            static_cast<int>(kApiDescriptorSet.size()))) {
    return absl::InternalError("the embedded API descriptors do not parse");
  }
  auto pool = std::make_unique<google::protobuf::DescriptorPool>();
  CollectErrors errors;
  // --include_imports writes dependencies first, so each file can be built
  // in order.
  for (const google::protobuf::FileDescriptorProto& file : files.file()) {
    if (pool->BuildFileCollectingErrors(file, &errors) == nullptr) {
      return absl::InternalError(absl::StrCat(
          "the embedded API descriptors do not build: ", errors.first));
    }
  }
  return pool;
}

absl::StatusOr<ApiRoutes> ApiRoutes::FromPool(
    const google::protobuf::DescriptorPool& pool) {
  ApiRoutes table;
  // The pool has no list of its files; the embedded set names them.
  google::protobuf::FileDescriptorSet files;
  files.ParseFromArray(kApiDescriptorSet.data(),
                       static_cast<int>(kApiDescriptorSet.size()));
  for (const google::protobuf::FileDescriptorProto& proto : files.file()) {
    const google::protobuf::FileDescriptor* file =
        pool.FindFileByName(proto.name());
    if (file == nullptr || !absl::StartsWith(file->package(), "prongsai.")) {
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const MethodDescriptor* method = service->method(m);
        if (!method->options().HasExtension(google::api::http)) continue;
        const google::api::HttpRule& rule =
            method->options().GetExtension(google::api::http);
        PRONGSAI_ASSIGN_OR_RETURN(Route route, RouteOf(method, rule));
        table.routes_.push_back(std::move(route));
        for (const google::api::HttpRule& more : rule.additional_bindings()) {
          PRONGSAI_ASSIGN_OR_RETURN(Route extra, RouteOf(method, more));
          table.routes_.push_back(std::move(extra));
        }
      }
    }
  }
  return table;
}

absl::StatusOr<RouteMatch> ApiRoutes::Match(absl::string_view http_method,
                                            absl::string_view path) const {
  bool path_matched = false;
  for (const Route& route : routes_) {
    std::optional<PathBindings> bindings = route.path.Match(path);
    if (!bindings.has_value()) continue;
    if (route.http_method != http_method) {
      path_matched = true;
      continue;
    }
    return RouteMatch{&route, *std::move(bindings)};
  }
  if (path_matched) {
    return absl::UnimplementedError(
        absl::StrCat("method ", http_method, " is not allowed on ", path));
  }
  return absl::NotFoundError(absl::StrCat("no API route matches ", path));
}

}  // namespace prongsai::gateway
