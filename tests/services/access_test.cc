// The access rules of every RPC of every service, read from the generated
// descriptors so that a new RPC is covered the day it is added: each method
// must declare its roles, and a real server must admit exactly the callers
// those roles name (UNAUTHENTICATED without a valid key, PERMISSION_DENIED
// for a key without the role).
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "prongsai/common/v1/access.pb.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "services/ita/ita_service.h"
#include "services/plan/plan_service.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/service_test_util.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::google::protobuf::MethodDescriptor;
using ::google::protobuf::ServiceDescriptor;
using ::prongsai::testing::AllCallers;
using ::prongsai::testing::Backend;
using ::prongsai::testing::Caller;
using ::prongsai::testing::CallerName;
using ::prongsai::testing::CallerRole;
using ::prongsai::testing::ComplaintDefinitionForTest;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::TestService;
using ::testing::AnyOf;
using ::testing::IsEmpty;
using ::testing::Not;

// Every service the project hosts. A service added to one of their .proto
// files without being added here fails EveryServiceOfTheFilesIsHosted.
struct HostedService {
  std::string name;
  std::function<server::ServiceDefinition()> definition;
};

// The plan host with its AccountService as the service under test (and
// PlanService beside it).
server::ServiceDefinition AccountHostDefinition() {
  server::ServiceDefinition definition = plan::PlanServiceDefinition();
  server::AdditionalService plan{definition.service_full_name,
                                 definition.make_service};
  server::AdditionalService accounts = definition.additional_services.at(0);
  definition.service_full_name = accounts.service_full_name;
  definition.make_service = accounts.make_service;
  definition.additional_services = {plan};
  return definition;
}

std::vector<HostedService> HostedServices() {
  return {{"plan", [] { return plan::PlanServiceDefinition(); }},
          {"accounts", AccountHostDefinition},
          {"complaint", ComplaintDefinitionForTest},
          {"ita", [] { return *ita::ItaServiceDefinition(); }}};
}

// Accounts are not resources of an organization: who may act on one (its
// own person or SYSTEM) is account_service_test's to check.
bool IsOrganizationScoped(const HostedService& service) {
  return service.name != "accounts";
}

std::string ServiceName(const ::testing::TestParamInfo<HostedService>& info) {
  return info.param.name;
}

const ServiceDescriptor* FindService(absl::string_view full_name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      std::string(full_name));
}

// Whether `caller` holds a role that `method` admits. A key the server does
// not know is never admitted, not even to PUBLIC methods: a wrong key is an
// error, not anonymity.
bool Admits(const MethodDescriptor& method, Caller caller) {
  if (caller == Caller::kUnknownKey) return false;
  const std::optional<auth::Role> role = CallerRole(caller);
  for (int admitted :
       method.options().GetExtension(common::v1::access).roles()) {
    if (admitted == common::v1::PUBLIC) return true;
    if (role.has_value() && admitted == *role) return true;
  }
  return false;
}

class AccessTest : public ::testing::TestWithParam<HostedService> {
 protected:
  void SetUp() override {
    server::ServiceDefinition definition = GetParam().definition();
    service_descriptor_ = FindService(definition.service_full_name);
    ASSERT_NE(service_descriptor_, nullptr)
        << definition.service_full_name << " is not in the generated pool";
    testing::TestServiceOptions options;
    options.backend = Backend::kSqlite;
    TestService::Start(std::move(definition), options, &service_);
  }

  // Calls `method` with `request` (its input type) through a generic stub.
  // On success the response must parse as the method's output type.
  grpc::Status Call(const MethodDescriptor& method,
                    const google::protobuf::Message& request,
                    std::unique_ptr<grpc::ClientContext> context) {
    return CallWithBytes(method, request.SerializeAsString(),
                         std::move(context));
  }

  // The same with the request's wire bytes as given, so that a test can send
  // what protobuf's serializer would not build.
  grpc::Status CallWithBytes(const MethodDescriptor& method,
                             const std::string& bytes,
                             std::unique_ptr<grpc::ClientContext> context) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request_buffer(&slice, 1);
    grpc::ByteBuffer response_buffer;
    grpc::GenericStub stub(service_->channel());
    const std::string path =
        absl::StrCat("/", method.service()->full_name(), "/", method.name());
    grpc::Status status;
    if (method.client_streaming()) {
      status =
          StreamCall(stub, path, *context, request_buffer, response_buffer);
    } else {
      absl::Notification done;
      stub.UnaryCall(context.get(), path, grpc::StubOptions(), &request_buffer,
                     &response_buffer, [&](grpc::Status result) {
                       status = std::move(result);
                       done.Notify();
                     });
      done.WaitForNotification();
    }
    if (status.ok()) {
      std::unique_ptr<google::protobuf::Message> response(
          NewMessage(method.output_type()));
      std::vector<grpc::Slice> slices;
      EXPECT_TRUE(response_buffer.Dump(&slices).ok());
      std::string response_bytes;
      for (const grpc::Slice& s : slices) {
        response_bytes.append(reinterpret_cast<const char*>(s.begin()),
                              s.size());
      }
      EXPECT_TRUE(response->ParseFromString(response_bytes))
          << method.full_name() << " answered something that is not a "
          << method.output_type()->full_name();
    }
    return status;
  }

  // A client-streaming call of one message through the generic async API:
  // the server may refuse before reading, so a failed write or read is not
  // an error here; Finish says what happened.
  static grpc::Status StreamCall(grpc::GenericStub& stub,
                                 const std::string& path,
                                 grpc::ClientContext& context,
                                 grpc::ByteBuffer& request,
                                 grpc::ByteBuffer& response) {
    grpc::CompletionQueue queue;
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
        stub.PrepareCall(&context, path, &queue);
    auto wait = [&queue] {
      void* tag;
      bool ok;
      return queue.Next(&tag, &ok) && ok;
    };
    call->StartCall(reinterpret_cast<void*>(1));
    if (wait()) {
      call->Write(request, reinterpret_cast<void*>(2));
      if (wait()) {
        call->WritesDone(reinterpret_cast<void*>(3));
        wait();
      }
      call->Read(&response, reinterpret_cast<void*>(4));
      wait();
    }
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(5));
    wait();
    queue.Shutdown();
    void* tag;
    bool ok;
    while (queue.Next(&tag, &ok)) {
    }
    return status;
  }

  static std::unique_ptr<google::protobuf::Message> NewMessage(
      const google::protobuf::Descriptor* type) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            type);
    return std::unique_ptr<google::protobuf::Message>(prototype->New());
  }

  std::vector<const MethodDescriptor*> Methods() const {
    std::vector<const MethodDescriptor*> methods;
    methods.reserve(service_descriptor_->method_count());
    for (int i = 0; i < service_descriptor_->method_count(); ++i) {
      methods.push_back(service_descriptor_->method(i));
    }
    return methods;
  }

  const ServiceDescriptor* service_descriptor_ = nullptr;
  std::unique_ptr<TestService> service_;
};

INSTANTIATE_TEST_SUITE_P(Services, AccessTest,
                         ::testing::ValuesIn(HostedServices()), ServiceName);

TEST_P(AccessTest, EveryMethodDeclaresItsRoles) {
  ASSERT_GT(service_descriptor_->method_count(), 0);
  for (const MethodDescriptor* method : Methods()) {
    SCOPED_TRACE(method->full_name());
    ASSERT_TRUE(method->options().HasExtension(common::v1::access))
        << "no (prongsai.common.v1.access) option: nobody may call it";
    const common::v1::AccessPolicy& policy =
        method->options().GetExtension(common::v1::access);
    EXPECT_GT(policy.roles_size(), 0);
    for (int role : policy.roles()) {
      EXPECT_TRUE(common::v1::Role_IsValid(role)) << role;
      EXPECT_NE(role, common::v1::ROLE_UNSPECIFIED);
    }
    // Client streams go through ServiceRuntime::ClientStream; the runtime
    // has no server-streaming path, so such a method would skip its checks.
    EXPECT_FALSE(method->server_streaming());
  }
}

TEST_P(AccessTest, EveryServiceOfTheFilesIsHosted) {
  const google::protobuf::FileDescriptor* file = service_descriptor_->file();
  for (int i = 0; i < file->service_count(); ++i) {
    bool hosted = false;
    for (const HostedService& service : HostedServices()) {
      hosted = hosted || service.definition().service_full_name ==
                             file->service(i)->full_name();
    }
    EXPECT_TRUE(hosted) << file->service(i)->full_name() << " has no test here";
  }
}

TEST_P(AccessTest, EveryCallerGetsWhatTheRolesSay) {
  for (const MethodDescriptor* method : Methods()) {
    std::unique_ptr<google::protobuf::Message> empty =
        NewMessage(method->input_type());
    for (Caller caller : AllCallers()) {
      SCOPED_TRACE(
          absl::StrCat(method->full_name(), " by ", CallerName(caller)));
      const grpc::Status status =
          Call(*method, *empty, service_->Context(caller));
      if (Admits(*method, caller)) {
        // Admitted; the empty request then fails validation, which is fine.
        EXPECT_THAT(status,
                    Not(AnyOf(GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED),
                              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED),
                              GrpcStatusIs(grpc::StatusCode::UNIMPLEMENTED))));
      } else if (caller == Caller::kAnonymous ||
                 caller == Caller::kUnknownKey) {
        EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
      } else {
        EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
      }
    }
  }
}

TEST_P(AccessTest, MalformedAuthorizationIsUnauthenticated) {
  for (const MethodDescriptor* method : Methods()) {
    std::unique_ptr<google::protobuf::Message> empty =
        NewMessage(method->input_type());
    for (absl::string_view header :
         {"Basic x", "Bearer", "Bearer ", "bearer psk_x", "psk_x",
          "Bearer pat_x", "Bearer pat_eA.eA"}) {
      SCOPED_TRACE(absl::StrCat(method->full_name(), " with \"", header, "\""));
      EXPECT_THAT(
          Call(*method, *empty, TestService::ContextWithAuthorization(header)),
          GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
    }
  }
}

// A chain of message fields from `type` to a message type that contains
// itself (Mission.sub_missions, say), followed by that cycle once; empty when
// `type` reaches no such cycle.
struct RecursivePath {
  std::vector<const google::protobuf::FieldDescriptor*> prefix;
  std::vector<const google::protobuf::FieldDescriptor*> cycle;
};

std::optional<RecursivePath> FindRecursivePath(
    const google::protobuf::Descriptor* type,
    std::vector<const google::protobuf::FieldDescriptor*>& path,
    std::vector<const google::protobuf::Descriptor*>& on_path) {
  for (size_t i = 0; i < on_path.size(); ++i) {
    if (on_path[i] == type) {
      return RecursivePath{{path.begin(), path.begin() + i},
                           {path.begin() + i, path.end()}};
    }
  }
  on_path.push_back(type);
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      continue;
    }
    path.push_back(field);
    std::optional<RecursivePath> found =
        FindRecursivePath(field->message_type(), path, on_path);
    path.pop_back();
    if (found.has_value()) return found;
  }
  on_path.pop_back();
  return std::nullopt;
}

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// The wire bytes of a request that follows `fields` from the outside in,
// each a length-delimited field holding the next, around `innermost`.
// Built from the outside in with precomputed lengths, not by wrapping, so
// that 20,000 levels cost one pass.
std::string NestedBytes(
    const std::vector<const google::protobuf::FieldDescriptor*>& fields,
    const std::string& innermost) {
  std::vector<uint64_t> lengths(fields.size() + 1);
  lengths[fields.size()] = innermost.size();
  std::string header;
  for (size_t i = fields.size(); i-- > 0;) {
    header.clear();
    AppendVarint((static_cast<uint64_t>(fields[i]->number()) << 3) | 2, header);
    AppendVarint(lengths[i + 1], header);
    lengths[i] = lengths[i + 1] + header.size();
  }
  std::string bytes;
  bytes.reserve(lengths[0]);
  for (size_t i = 0; i < fields.size(); ++i) {
    AppendVarint((static_cast<uint64_t>(fields[i]->number()) << 3) | 2, bytes);
    AppendVarint(lengths[i + 1], bytes);
  }
  return bytes + innermost;
}

// Issue 17 item 1: a request whose recursive messages nest 20,000 levels
// deep (74 KB) used to crash the plan service (stack overflow in the search
// for the invalid UTF-8 field) and 10,000 levels took 1.9 GB. Every request
// type of every service with a recursive field is refused with
// INVALID_ARGUMENT, in bounded memory, and the server keeps serving.
TEST_P(AccessTest, Issue17Item1_DeeplyNestedRequestsAreRefused) {
  constexpr int kLevels = 20'000;
  int recursive_methods = 0;
  for (const MethodDescriptor* method : Methods()) {
    std::vector<const google::protobuf::FieldDescriptor*> path;
    std::vector<const google::protobuf::Descriptor*> on_path;
    std::optional<RecursivePath> recursive =
        FindRecursivePath(method->input_type(), path, on_path);
    if (!recursive.has_value()) continue;
    ++recursive_methods;
    SCOPED_TRACE(method->full_name());
    std::vector<const google::protobuf::FieldDescriptor*> fields =
        recursive->prefix;
    while (fields.size() < kLevels) {
      fields.insert(fields.end(), recursive->cycle.begin(),
                    recursive->cycle.end());
    }
    // At the bottom a string that is not UTF-8, where the innermost type
    // has a string field: the parse fails and the search for the field runs.
    std::string innermost;
    const google::protobuf::Descriptor* bottom =
        recursive->cycle.back()->message_type();
    for (int i = 0; i < bottom->field_count(); ++i) {
      if (bottom->field(i)->type() ==
          google::protobuf::FieldDescriptor::TYPE_STRING) {
        AppendVarint(
            (static_cast<uint64_t>(bottom->field(i)->number()) << 3) | 2,
            innermost);
        AppendVarint(2, innermost);
        innermost += "\xff\xfe";
        break;
      }
    }
    const int64_t peak_before = testing::ProcessStatusKiB("VmHWM");
    for (Caller caller : {Caller::kSystem, Caller::kOtherOperator}) {
      if (!Admits(*method, caller)) continue;
      const grpc::Status status = CallWithBytes(
          *method, NestedBytes(fields, innermost), service_->Context(caller));
      EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
      EXPECT_THAT(status.error_message(),
                  ::testing::HasSubstr("nests messages deeper than"));
    }
    // The 10,000-level request took 1.9 GB before the fix.
    EXPECT_LT(testing::ProcessStatusKiB("VmHWM") - peak_before, 256 * 1024);
    // Still serving: an ordinary empty request gets an ordinary answer.
    std::unique_ptr<google::protobuf::Message> empty =
        NewMessage(method->input_type());
    EXPECT_THAT(Call(*method, *empty, service_->Context(Caller::kSystem)),
                Not(AnyOf(GrpcStatusIs(grpc::StatusCode::UNAVAILABLE),
                          GrpcStatusIs(grpc::StatusCode::UNIMPLEMENTED))));
  }
  // The plan service's Mission.sub_missions is the case that was found.
  if (GetParam().name == "plan") {
    EXPECT_GT(recursive_methods, 0);
  }
}

// Methods addressed by `parent` check the key's organization scope on top of
// its role: an operator of another organization is refused unless the
// method is open to the PUBLIC.
TEST_P(AccessTest, ParentMethodsCheckTheOrganizationScope) {
  if (!IsOrganizationScoped(GetParam())) GTEST_SKIP();
  for (const MethodDescriptor* method : Methods()) {
    const google::protobuf::FieldDescriptor* parent =
        method->input_type()->FindFieldByName("parent");
    if (parent == nullptr ||
        parent->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    // The parent is the organization, or for resources nested under another
    // resource (replies of a complaint, projects of a plan) a child of it
    // that does not exist.
    std::unique_ptr<google::protobuf::Message> request =
        NewMessage(method->input_type());
    for (const std::string& candidate :
         {std::string(testing::kParent),
          absl::StrCat(testing::kParent, "/complaints/nonexistent"),
          absl::StrCat(testing::kParent, "/actionPlans/nonexistent")}) {
      request->GetReflection()->SetString(request.get(), parent, candidate);
      const grpc::Status status =
          Call(*method, *request, service_->Context(Caller::kSystem));
      if (!absl::StartsWith(status.error_message(), "parent:")) break;
    }
    const bool is_public = Admits(*method, Caller::kAnonymous);
    for (Caller caller : {Caller::kOperator, Caller::kOtherOperator}) {
      SCOPED_TRACE(
          absl::StrCat(method->full_name(), " by ", CallerName(caller)));
      if (!Admits(*method, caller)) continue;
      const grpc::Status status =
          Call(*method, *request, service_->Context(caller));
      if (caller == Caller::kOtherOperator && !is_public) {
        EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
      } else {
        EXPECT_THAT(status,
                    Not(GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED)));
      }
    }
  }
}

// Methods addressed by a resource `name` check its organization the same way:
// an operator of another organization is refused before anything is looked
// up, so the answer does not tell whether the resource exists.
TEST_P(AccessTest, NameMethodsCheckTheOrganizationScope) {
  if (!IsOrganizationScoped(GetParam())) GTEST_SKIP();
  for (const MethodDescriptor* method : Methods()) {
    const google::protobuf::FieldDescriptor* name =
        method->input_type()->FindFieldByName("name");
    if (name == nullptr ||
        name->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    // Public methods (e.g. GetFramework) name nothing of an organization.
    if (Admits(*method, Caller::kAnonymous)) continue;
    // The first well-formed name of this method's collection: the
    // organization itself, a resource of it, or one nested in a plan or a
    // complaint.
    std::unique_ptr<google::protobuf::Message> request =
        NewMessage(method->input_type());
    std::vector<std::string> candidates = {std::string(testing::kParent)};
    for (absl::string_view id : {"aaaaaaaaaaaaaaaa", "2568"}) {
      for (absl::string_view collection :
           {"complaints", "actionPlans", "assessments", "integrityMeasures",
            "replyTemplates"}) {
        candidates.push_back(
            absl::StrCat(testing::kParent, "/", collection, "/", id));
      }
      for (absl::string_view collection :
           {"projects", "annualPlans", "risks"}) {
        candidates.push_back(absl::StrCat(testing::kParent,
                                          "/actionPlans/aaaaaaaaaaaaaaaa/",
                                          collection, "/", id));
      }
      candidates.push_back(absl::StrCat(
          testing::kParent, "/complaints/aaaaaaaaaaaaaaaa/attachments/", id));
    }
    bool well_formed = false;
    for (const std::string& candidate : candidates) {
      request->GetReflection()->SetString(request.get(), name, candidate);
      const grpc::Status status =
          Call(*method, *request, service_->Context(Caller::kSystem));
      // A client stream names the first message ("messages[0].name: ...").
      const std::string message = status.error_message();
      absl::string_view error = message;
      absl::ConsumePrefix(&error, "messages[0].");
      if (!absl::StartsWith(error, "name:")) {
        well_formed = true;
        break;
      }
    }
    SCOPED_TRACE(method->full_name());
    EXPECT_TRUE(well_formed) << "no candidate name was accepted";
    for (Caller caller : {Caller::kOperator, Caller::kOtherOperator}) {
      SCOPED_TRACE(CallerName(caller));
      if (!Admits(*method, caller)) continue;
      const grpc::Status status =
          Call(*method, *request, service_->Context(caller));
      if (caller == Caller::kOtherOperator) {
        EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
      } else {
        EXPECT_THAT(status,
                    Not(GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED)));
      }
    }
  }
}

// The complaint service with valid requests: categories are written within
// the key's organization (UpsertCategory names it in `category.name`), and
// the PUBLIC methods answer every caller alike, without organization scope.
class ComplaintAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestService::Start(ComplaintDefinitionForTest(), {}, &service_);
    ASSERT_NE(service_, nullptr);
    stub_ = complaint::v1::ComplaintService::NewStub(service_->channel());
  }
  std::unique_ptr<TestService> service_;
  std::unique_ptr<complaint::v1::ComplaintService::Stub> stub_;
};

TEST_F(ComplaintAccessTest, CategoriesAreWrittenWithinTheKeysOrganization) {
  complaint::v1::UpsertCategoryRequest request;
  request.mutable_category()->set_name(
      absl::StrCat(testing::kParent, "/categories/road"));
  request.mutable_category()->set_display_name("ถนน");
  complaint::v1::Category category;
  EXPECT_THAT(
      stub_->UpsertCategory(service_->Context(Caller::kOtherOperator).get(),
                            request, &category),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  for (Caller refused : {Caller::kIntegrityOfficer, Caller::kAuditor}) {
    EXPECT_THAT(stub_->UpsertCategory(service_->Context(refused).get(), request,
                                      &category),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED))
        << CallerName(refused);
  }
  complaint::v1::ListCategoriesRequest list;
  list.set_parent(std::string(testing::kParent));
  complaint::v1::ListCategoriesResponse listed;
  ASSERT_THAT(stub_->ListCategories(service_->Context(Caller::kAnonymous).get(),
                                    list, &listed),
              GrpcIsOk());
  EXPECT_THAT(listed.categories(), IsEmpty());

  for (Caller allowed : {Caller::kOperator, Caller::kSystem}) {
    EXPECT_THAT(stub_->UpsertCategory(service_->Context(allowed).get(), request,
                                      &category),
                GrpcIsOk())
        << CallerName(allowed);
  }
  request.mutable_category()->set_name(
      absl::StrCat(testing::kOtherParent, "/categories/road"));
  EXPECT_THAT(stub_->UpsertCategory(service_->Context(Caller::kOperator).get(),
                                    request, &category),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  ASSERT_THAT(stub_->ListCategories(service_->Context(Caller::kAnonymous).get(),
                                    list, &listed),
              GrpcIsOk());
  EXPECT_EQ(listed.categories_size(), 1);
  list.set_parent(std::string(testing::kOtherParent));
  ASSERT_THAT(stub_->ListCategories(service_->Context(Caller::kAnonymous).get(),
                                    list, &listed),
              GrpcIsOk());
  EXPECT_THAT(listed.categories(), IsEmpty());
}

TEST_F(ComplaintAccessTest, PublicMethodsAnswerEveryKeyHolderAlike) {
  using complaint::v1::Complaint;
  complaint::v1::CreateComplaintRequest create;
  create.set_parent(std::string(testing::kParent));
  create.mutable_complaint()->set_kind(Complaint::GENERAL);
  create.mutable_complaint()->set_channel(Complaint::WEBSITE);
  create.mutable_complaint()->set_subject("ถนนชำรุด");
  create.mutable_complaint()->set_description("ถนนหน้าวัดเป็นหลุมลึก");
  Complaint filed;
  ASSERT_THAT(stub_->CreateComplaint(
                  service_->Context(Caller::kAnonymous).get(), create, &filed),
              GrpcIsOk());
  for (Caller caller : AllCallers()) {
    if (caller == Caller::kUnknownKey) continue;
    SCOPED_TRACE(CallerName(caller));
    // Another organization's operator files like any citizen.
    Complaint created;
    EXPECT_THAT(stub_->CreateComplaint(service_->Context(caller).get(), create,
                                       &created),
                GrpcIsOk());
    complaint::v1::ListCategoriesRequest list;
    list.set_parent(std::string(testing::kParent));
    complaint::v1::ListCategoriesResponse categories;
    EXPECT_THAT(stub_->ListCategories(service_->Context(caller).get(), list,
                                      &categories),
                GrpcIsOk());
    complaint::v1::TrackComplaintRequest track;
    track.set_tracking_code(filed.tracking_code());
    complaint::v1::TrackedComplaint tracked;
    EXPECT_THAT(
        stub_->TrackComplaint(service_->Context(caller).get(), track, &tracked),
        GrpcIsOk());
    complaint::v1::AddComplainantInformationRequest add;
    add.set_tracking_code(filed.tracking_code());
    add.set_text("ข้อมูลเพิ่มเติม");
    EXPECT_THAT(stub_->AddComplainantInformation(
                    service_->Context(caller).get(), add, &tracked),
                GrpcIsOk());
    // Not resolved yet: refused for what the case is, not for who asks.
    complaint::v1::RespondToResolutionRequest rate;
    rate.set_tracking_code(filed.tracking_code());
    rate.set_satisfaction(5);
    EXPECT_THAT(stub_->RespondToResolution(service_->Context(caller).get(),
                                           rate, &tracked),
                GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
    complaint::v1::GetComplaintStatisticsRequest statistics_request;
    statistics_request.set_parent(std::string(testing::kParent));
    statistics_request.mutable_fiscal_year()->set_be_year(2569);
    complaint::v1::ComplaintStatistics statistics;
    EXPECT_THAT(
        stub_->GetPublicComplaintStatistics(service_->Context(caller).get(),
                                            statistics_request, &statistics),
        GrpcIsOk());
  }
}

// The PUBLIC method with a valid request: anonymous filing works, an unknown
// key is refused and stores nothing.
class PublicFilingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestService::Start(ComplaintDefinitionForTest(), {}, &service_);
  }
  std::unique_ptr<TestService> service_;
};

TEST_F(PublicFilingTest, UnknownKeyIsRefusedEvenWhereNoKeyIsNeeded) {
  auto stub = complaint::v1::ComplaintService::NewStub(service_->channel());
  complaint::v1::CreateComplaintRequest request;
  request.set_parent(std::string(testing::kParent));
  request.mutable_complaint()->set_kind(complaint::v1::Complaint::GENERAL);
  request.mutable_complaint()->set_channel(complaint::v1::Complaint::LINE);
  request.mutable_complaint()->set_subject("ไฟฟ้าส่องสว่างดับ");
  request.mutable_complaint()->set_description("ไฟถนนหน้าโรงเรียนดับมาสองสัปดาห์");
  complaint::v1::Complaint created;
  EXPECT_THAT(
      stub->CreateComplaint(service_->Context(Caller::kUnknownKey).get(),
                            request, &created),
      GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(stub->CreateComplaint(
                  TestService::ContextWithAuthorization("Basic x").get(),
                  request, &created),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  complaint::v1::ListComplaintsRequest list;
  list.set_parent(std::string(testing::kParent));
  complaint::v1::ListComplaintsResponse listed;
  ASSERT_THAT(stub->ListComplaints(service_->Context(Caller::kSystem).get(),
                                   list, &listed),
              GrpcIsOk());
  EXPECT_THAT(listed.complaints(), IsEmpty());

  ASSERT_THAT(stub->CreateComplaint(service_->Context(Caller::kAnonymous).get(),
                                    request, &created),
              GrpcIsOk());
  EXPECT_EQ(created.audit().creator(), "public");
}

}  // namespace
}  // namespace prongsai
