// The OpenAPI document of the real embedded descriptors, read back as JSON
// and checked against the descriptors themselves: what is expected is
// computed from the protos here, never written down.
#include "gateway/openapi.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gateway/api_routes.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "prongsai/common/v1/access.pb.h"
#include "tests/gateway/embedded_api.h"

namespace prongsai::gateway {

extern const std::string_view kApiDescriptorSet;

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::ListValue;
using google::protobuf::MethodDescriptor;
using google::protobuf::Struct;
using google::protobuf::Value;

const Value& At(const Struct& object, const std::string& key) {
  static const Value* const kNull = new Value();
  auto it = object.fields().find(key);
  return it == object.fields().end() ? *kNull : it->second;
}

bool Has(const Struct& object, const std::string& key) {
  return object.fields().contains(key);
}

// The first line of a descriptor's leading comment, without the space
// after "//".
template <typename D>
std::string FirstCommentLine(const D* descriptor) {
  google::protobuf::SourceLocation location;
  if (!descriptor->GetSourceLocation(&location)) return "";
  std::vector<std::string> lines =
      absl::StrSplit(location.leading_comments, '\n');
  return std::string(absl::StripAsciiWhitespace(lines.front()));
}

// "{organization}" names in an OpenAPI path.
std::set<std::string> Placeholders(const std::string& path) {
  std::set<std::string> names;
  static const std::regex kPlaceholder("\\{([^}]+)\\}");
  for (std::sregex_iterator it(path.begin(), path.end(), kPlaceholder), end;
       it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

std::string Fill(std::string text,
                 const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = absl::StrCat("{", name, "}");
    for (size_t at; (at = text.find(placeholder)) != std::string::npos;) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

class OpenApiTest : public testing::Test {
 protected:
  void SetUp() override {
    EmbeddedApi api;
    LoadEmbeddedApi(&api);
    if (HasFatalFailure()) return;
    pool_ = std::move(api.pool);
    routes_ = std::move(api.routes);
    text_ = OpenApiDocument(*routes_);
    if (const char* dump = getenv("OPENAPI_DUMP")) {  // TEMP
      OpenApiOptions o;
      o.server_urls = {"https://a.example", "http://b"};
      FILE* f = fopen(dump, "w");
      fputs(text_.c_str(), f);
      fputs(OpenApiDocument(*routes_, o).c_str(), f);
      fclose(f);
    }
    google::protobuf::util::JsonParseOptions strict;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(text_, &document_, strict)
            .ok())
        << text_.substr(0, 2000);
    ASSERT_TRUE(Has(document_, "paths"));
    for (const auto& [path, item] : Paths().fields()) {
      for (const auto& [verb, operation] : item.struct_value().fields()) {
        operations_.push_back({path, verb, &operation.struct_value()});
      }
    }
  }

  const Struct& Paths() const { return At(document_, "paths").struct_value(); }
  const Struct& Schemas() const {
    return At(At(document_, "components").struct_value(), "schemas")
        .struct_value();
  }

  // Every method of every service of the API's own ("prongsai.") files,
  // read from the embedded set.
  std::vector<const MethodDescriptor*> AllMethods() const {
    google::protobuf::FileDescriptorSet files;
    EXPECT_TRUE(files.ParseFromArray(
        kApiDescriptorSet.data(), static_cast<int>(kApiDescriptorSet.size())));
    std::vector<const MethodDescriptor*> methods;
    for (const auto& proto : files.file()) {
      if (!absl::StartsWith(proto.package(), "prongsai.")) continue;
      const auto* file = pool_->FindFileByName(proto.name());
      for (int s = 0; s < file->service_count(); ++s) {
        for (int m = 0; m < file->service(s)->method_count(); ++m) {
          methods.push_back(file->service(s)->method(m));
        }
      }
    }
    return methods;
  }

  struct Operation {
    std::string path;
    std::string verb;
    const Struct* body;
  };

  std::vector<const Operation*> OperationsOf(
      const MethodDescriptor* method) const {
    const std::string grpc_path =
        absl::StrCat("/", method->service()->full_name(), "/", method->name());
    std::vector<const Operation*> found;
    for (const Operation& operation : operations_) {
      if (At(*operation.body, "x-prongsai-grpc-method").string_value() ==
          grpc_path) {
        found.push_back(&operation);
      }
    }
    return found;
  }

  // The operation of `route`: under its verb, of its method, and at an
  // OpenAPI path that, its parameters filled with sample segments, the route
  // matches.
  const Operation* OperationOf(const Route& route) const {
    const std::string verb = absl::AsciiStrToLower(route.http_method);
    for (const Operation* operation : OperationsOf(route.method)) {
      if (operation->verb == verb &&
          route.path.Match(Fill(operation->path, Samples(operation->path)))
              .has_value()) {
        return operation;
      }
    }
    return nullptr;
  }

  static std::map<std::string, std::string> Samples(const std::string& path) {
    std::map<std::string, std::string> samples;
    int n = 0;
    for (const std::string& name : Placeholders(path)) {
      samples[name] = absl::StrCat("s", ++n);
    }
    return samples;
  }

  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::unique_ptr<ApiRoutes> routes_;
  std::string text_;
  Struct document_;
  std::vector<Operation> operations_;
};

TEST_F(OpenApiTest, IsOpenApi303AndDeterministic) {
  EXPECT_EQ(At(document_, "openapi").string_value(), "3.0.3");
  EXPECT_FALSE(
      At(At(document_, "info").struct_value(), "title").string_value().empty());
  EXPECT_EQ(OpenApiDocument(*routes_), text_);
  OpenApiOptions options;
  options.server_urls = {"https://gateway.example"};
  Struct with_server;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  OpenApiDocument(*routes_, options), &with_server)
                  .ok());
  EXPECT_EQ(At(At(with_server, "servers").list_value().values(0).struct_value(),
               "url")
                .string_value(),
            "https://gateway.example");
}

TEST_F(OpenApiTest, EveryRouteIsAnOperationUnderItsVerbAndPath) {
  ASSERT_FALSE(routes_->routes().empty());
  EXPECT_EQ(operations_.size(), routes_->routes().size());
  std::set<std::string> operation_ids;
  for (const Operation& operation : operations_) {
    EXPECT_TRUE(
        operation_ids.insert(At(*operation.body, "operationId").string_value())
            .second)
        << "operationId repeated: " << operation.path;
  }
  for (const Route& route : routes_->routes()) {
    SCOPED_TRACE(route.path.text());
    const Operation* operation = OperationOf(route);
    ASSERT_NE(operation, nullptr) << "no operation for the route";
    // The field templates give the values the route binds.
    const std::map<std::string, std::string> samples = Samples(operation->path);
    std::optional<PathBindings> bindings =
        route.path.Match(Fill(operation->path, samples));
    const Struct& fields =
        At(*operation->body, "x-prongsai-path-fields").struct_value();
    for (const auto& [field, value] : *bindings) {
      EXPECT_EQ(Fill(At(fields, field).string_value(), samples), value)
          << field;
    }
    EXPECT_TRUE(
        absl::StartsWith(At(*operation->body, "operationId").string_value(),
                         absl::StrCat(route.method->service()->name(), "_",
                                      route.method->name())));
  }
}

TEST_F(OpenApiTest, EveryRpcOfTheServicesHasAnOperation) {
  const std::vector<const MethodDescriptor*> methods = AllMethods();
  std::set<std::string> services;
  for (const MethodDescriptor* method : methods) {
    services.insert(method->service()->full_name());
    EXPECT_FALSE(OperationsOf(method).empty()) << method->full_name();
  }
  // AccountService and OversightService beside PlanService.
  EXPECT_EQ(services.size(), 5u);
  // Additional bindings give a method more than one operation.
  size_t bindings = 0;
  for (const MethodDescriptor* method : methods) {
    bindings += OperationsOf(method).size();
  }
  EXPECT_EQ(bindings, operations_.size());
  EXPECT_GT(bindings, methods.size());
}

TEST_F(OpenApiTest, DescriptionsComeFromTheProtoComments) {
  const MethodDescriptor* method = pool_->FindMethodByName(
      "prongsai.complaint.v1.ComplaintService.GetComplaint");
  ASSERT_NE(method, nullptr);
  const std::string line = FirstCommentLine(method);
  ASSERT_FALSE(line.empty());
  const std::vector<const Operation*> found = OperationsOf(method);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(absl::StrContains(
      At(*found[0]->body, "description").string_value(), line))
      << line;
  EXPECT_TRUE(absl::StartsWith(At(*found[0]->body, "summary").string_value(),
                               line.substr(0, 20)));

  // A message's comment and a field's, in components.schemas.
  const Descriptor* complaint =
      pool_->FindMessageTypeByName("prongsai.complaint.v1.Complaint");
  const Struct& schema = At(Schemas(), complaint->full_name()).struct_value();
  EXPECT_TRUE(absl::StrContains(At(schema, "description").string_value(),
                                FirstCommentLine(complaint)));
  const FieldDescriptor* subject = complaint->FindFieldByName("subject");
  EXPECT_TRUE(absl::StrContains(
      At(At(At(schema, "properties").struct_value(), "subject").struct_value(),
         "description")
          .string_value(),
      FirstCommentLine(subject)));

  // An enum value's comment, Thai text intact.
  const auto* kind =
      pool_->FindEnumTypeByName("prongsai.common.v1.OrganizationKind");
  ASSERT_NE(kind, nullptr);
  const std::string thai = FirstCommentLine(kind->value(1));
  ASSERT_FALSE(thai.empty());
  const Struct& kinds = At(Schemas(), kind->full_name()).struct_value();
  EXPECT_TRUE(absl::StrContains(At(kinds, "description").string_value(), thai))
      << thai;
  std::vector<std::string> names;
  for (const Value& value : At(kinds, "enum").list_value().values()) {
    names.push_back(value.string_value());
  }
  ASSERT_EQ(names.size(), static_cast<size_t>(kind->value_count()));
  for (int i = 0; i < kind->value_count(); ++i) {
    EXPECT_EQ(names[i], kind->value(i)->name());
  }
}

TEST_F(OpenApiTest, EveryRefResolves) {
  int refs = 0;
  std::function<void(const Value&)> walk = [&](const Value& value) {
    if (value.has_struct_value()) {
      for (const auto& [key, member] : value.struct_value().fields()) {
        if (key == "$ref") {
          ++refs;
          absl::string_view target = member.string_value();
          ASSERT_TRUE(absl::ConsumePrefix(&target, "#/components/schemas/"))
              << target;
          EXPECT_TRUE(Has(Schemas(), std::string(target))) << target;
        } else {
          walk(member);
        }
      }
    } else if (value.has_list_value()) {
      for (const Value& item : value.list_value().values()) walk(item);
    }
  };
  Value root;
  *root.mutable_struct_value() = document_;
  walk(root);
  EXPECT_GT(refs, 100);
  EXPECT_TRUE(Has(Schemas(), "google.rpc.Status"));
}

TEST_F(OpenApiTest, PathParametersAreListed) {
  for (const Operation& operation : operations_) {
    SCOPED_TRACE(absl::StrCat(operation.verb, " ", operation.path));
    const std::set<std::string> expected = Placeholders(operation.path);
    std::set<std::string> listed;
    for (const Value& parameter :
         At(*operation.body, "parameters").list_value().values()) {
      const Struct& p = parameter.struct_value();
      if (At(p, "in").string_value() != "path") continue;
      listed.insert(At(p, "name").string_value());
      EXPECT_TRUE(At(p, "required").bool_value());
      EXPECT_FALSE(At(p, "x-prongsai-field").string_value().empty());
    }
    EXPECT_EQ(listed, expected);
  }
}

TEST_F(OpenApiTest, QueryParametersAreTheFieldsThePathDoesNotSet) {
  int checked = 0;
  for (const Route& route : routes_->routes()) {
    if (route.http_method != "GET") continue;
    SCOPED_TRACE(route.path.text());
    const std::vector<std::string> variables = route.path.variables();
    for (const Operation* operation : {OperationOf(route)}) {
      ASSERT_NE(operation, nullptr);
      std::set<std::string> query;
      for (const Value& parameter :
           At(*operation->body, "parameters").list_value().values()) {
        const Struct& p = parameter.struct_value();
        if (At(p, "in").string_value() == "query") {
          query.insert(At(p, "name").string_value());
        }
      }
      for (const std::string& variable : variables) {
        EXPECT_EQ(query.count(variable), 0u) << variable;
      }
      const Descriptor* input = route.method->input_type();
      for (int i = 0; i < input->field_count(); ++i) {
        const FieldDescriptor* field = input->field(i);
        const bool bound = std::find(variables.begin(), variables.end(),
                                     field->name()) != variables.end();
        if (bound || field->is_map() ||
            field->type() == FieldDescriptor::TYPE_MESSAGE) {
          continue;
        }
        EXPECT_EQ(query.count(field->name()), 1u) << field->name();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10);
}

TEST_F(OpenApiTest, ClientStreamTakesNewlineDelimitedJson) {
  int streams = 0;
  for (const MethodDescriptor* method : AllMethods()) {
    if (!method->client_streaming()) continue;
    ++streams;
    for (const Operation* operation : OperationsOf(method)) {
      const Struct& content =
          At(At(*operation->body, "requestBody").struct_value(), "content")
              .struct_value();
      EXPECT_TRUE(Has(content, "application/x-ndjson")) << method->name();
      EXPECT_FALSE(Has(content, "application/json")) << method->name();
    }
  }
  EXPECT_GE(streams, 1);
}

TEST_F(OpenApiTest, RolesAndSecurityComeFromTheAccessOption) {
  for (const MethodDescriptor* method : AllMethods()) {
    std::vector<std::string> roles;
    for (int role :
         method->options().GetExtension(prongsai::common::v1::access).roles()) {
      roles.push_back(prongsai::common::v1::Role_Name(
          static_cast<prongsai::common::v1::Role>(role)));
    }
    const bool open =
        std::find(roles.begin(), roles.end(), "PUBLIC") != roles.end();
    for (const Operation* operation : OperationsOf(method)) {
      std::vector<std::string> listed;
      for (const Value& role :
           At(*operation->body, "x-prongsai-roles").list_value().values()) {
        listed.push_back(role.string_value());
      }
      EXPECT_EQ(listed, roles) << method->name();
      bool anonymous = false;
      for (const Value& requirement :
           At(*operation->body, "security").list_value().values()) {
        if (requirement.struct_value().fields().empty()) anonymous = true;
      }
      EXPECT_EQ(anonymous, open) << method->name();
    }
  }
}

TEST_F(OpenApiTest, SchemasFollowTheProto3JsonMapping) {
  int int64s = 0, timestamps = 0, enums = 0;
  for (const auto& [name, schema] : Schemas().fields()) {
    const Descriptor* message = pool_->FindMessageTypeByName(name);
    if (message == nullptr) continue;
    const Struct& properties =
        At(schema.struct_value(), "properties").struct_value();
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      SCOPED_TRACE(field->full_name());
      ASSERT_TRUE(Has(properties, field->name()));
      if (field->is_repeated()) continue;
      const Struct& property = At(properties, field->name()).struct_value();
      if (field->type() == FieldDescriptor::TYPE_INT64) {
        EXPECT_EQ(At(property, "type").string_value(), "string");
        ++int64s;
      } else if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
                 field->message_type()->full_name() ==
                     "google.protobuf.Timestamp") {
        EXPECT_EQ(At(property, "format").string_value(), "date-time");
        ++timestamps;
      } else if (field->type() == FieldDescriptor::TYPE_ENUM) {
        const std::string ref = absl::StrCat("#/components/schemas/",
                                             field->enum_type()->full_name());
        const bool direct = At(property, "$ref").string_value() == ref;
        const bool wrapped =
            Has(property, "allOf") &&
            At(At(property, "allOf").list_value().values(0).struct_value(),
               "$ref")
                    .string_value() == ref;
        EXPECT_TRUE(direct || wrapped);
        ++enums;
      }
    }
  }
  EXPECT_GT(int64s, 0);
  EXPECT_GT(timestamps, 0);
  EXPECT_GT(enums, 0);
}

}  // namespace
}  // namespace prongsai::gateway
