#include "tests/common/server/survey_service.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/server/method_list.h"
#include "survey.grpc.pb.h"

namespace prongsai::testing {
namespace {

using ::prongsai::server::CallContext;
using ::prongsai::server::RawCallbackService;
using ::prongsai::server::ServiceRuntime;
using ::prongsai::server::StreamCaller;
using GrpcService = v1::SurveyService;

// As the ITA upload allows.
constexpr size_t kMaxStreamBytes = 32 << 20;

constexpr storage::Migration kMigration = {
    1, "assessments",
    "CREATE TABLE assessments (name TEXT NOT NULL PRIMARY KEY, "
    "respondents BIGINT NOT NULL)"};

// The organization code of "organizations/{code}/assessments/{year}".
absl::StatusOr<std::string> OrganizationOf(absl::string_view field_path,
                                           absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "organizations" || parts[1].empty() ||
      parts[2] != "assessments" || parts[3].empty()) {
    return InvalidField(field_path,
                        "must be organizations/{code}/assessments/{year}");
  }
  return std::string(parts[1]);
}

// What a stream has brought so far.
struct Upload {
  std::string name;
  int64_t respondents = 0;
};

// The first message names the assessment, and a caller who may not write it
// is refused there, before the rest of the stream is read.
absl::Status TakeMessage(const StreamCaller& caller, int64_t index,
                         v1::IngestRawAnswersRequest& message, Upload& upload) {
  const std::string path = FieldPath(IndexedPath("messages", index), "name");
  if (index == 0) {
    PRONGSAI_ASSIGN_OR_RETURN(std::string code,
                              OrganizationOf(path, message.name()));
    PRONGSAI_RETURN_IF_ERROR(caller.CheckOrganization(code));
    upload.name = message.name();
  } else if (!message.name().empty() && message.name() != upload.name) {
    return InvalidField(path, "names another assessment than the first");
  }
  upload.respondents += message.respondents_size();
  return absl::OkStatus();
}

#define PRONGSAI_SURVEY_METHODS(UNARY, STREAM)           \
  UNARY(GetAssessment, GetAssessmentRequest, Assessment) \
  STREAM(IngestRawAnswers, IngestRawAnswersRequest, Assessment)

using SurveyRawService =
    RawCallbackService<GrpcService::Service PRONGSAI_SURVEY_METHODS(
        PRONGSAI_RAW_METHOD, PRONGSAI_RAW_METHOD)>;

class SurveyGrpcService final : public SurveyRawService {
 public:
  explicit SurveyGrpcService(ServiceRuntime& runtime) : runtime_(runtime) {}

  PRONGSAI_SURVEY_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)

 private:
  absl::Status DoGetAssessment(CallContext& call,
                               const v1::GetAssessmentRequest& request,
                               v1::Assessment& response) {
    PRONGSAI_ASSIGN_OR_RETURN(std::string code,
                              OrganizationOf("name", request.name()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        storage::Result result,
        db->Execute("SELECT respondents FROM assessments WHERE name = ?",
                    {request.name()}));
    if (result.rows.empty()) return absl::NotFoundError("no such assessment");
    response.set_name(request.name());
    response.set_respondents(static_cast<int32_t>(result.rows[0].GetInt(0)));
    return absl::OkStatus();
  }

  grpc::ServerReadReactor<grpc::ByteBuffer>* OpenIngestRawAnswers(
      grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
    auto upload = std::make_shared<Upload>();
    return runtime_.ClientStream<v1::IngestRawAnswersRequest, v1::Assessment>(
        context, "IngestRawAnswers", kMaxStreamBytes, response,
        [upload](const StreamCaller& caller, int64_t index,
                 v1::IngestRawAnswersRequest& message) {
          return TakeMessage(caller, index, message, *upload);
        },
        [upload](CallContext& call, int64_t, v1::Assessment& out) {
          return Store(call, *upload, out);
        });
  }

  static absl::Status Store(CallContext& call, const Upload& upload,
                            v1::Assessment& out) {
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_RETURN_IF_ERROR(
        db->Execute("DELETE FROM assessments WHERE name = ?", {upload.name})
            .status());
    PRONGSAI_RETURN_IF_ERROR(
        db->Execute("INSERT INTO assessments (name, respondents) "
                    "VALUES (?, ?)",
                    {upload.name, upload.respondents})
            .status());
    out.set_name(upload.name);
    out.set_respondents(static_cast<int32_t>(upload.respondents));
    return absl::OkStatus();
  }

  ServiceRuntime& runtime_;
};

}  // namespace

server::ServiceDefinition SurveyServiceDefinition() {
  server::ServiceDefinition definition;
  definition.name = "survey";
  definition.service_full_name = GrpcService::service_full_name();
  definition.migrations = {kMigration};
  definition.make_service = [](ServiceRuntime& runtime) {
    return std::make_unique<SurveyGrpcService>(runtime);
  };
  return definition;
}

}  // namespace prongsai::testing
