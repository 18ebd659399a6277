#include "services/ita/ita_service.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/fields.h"
#include "common/api/row_fields.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/cache/single_flight.h"
#include "common/server/list_scope.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_analytics.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_framework.h"
#include "services/ita/ita_peers.h"
#include "services/ita/ita_scoring.h"
#include "services/ita/ita_store.h"

namespace prongsai::ita {
namespace {

using server::CallContext;
using storage::Connection;

constexpr absl::Duration kCacheTtl = absl::Minutes(10);
// A raw-answer stream may carry a whole agency's survey (a few thousand
// respondents); 32 MiB of parsed answers (about 4 MB sent, some 15,000
// respondents of 30 answers) bounds what one call can make the server hold.
// No more than the default per-caller budget, which bounds it anyway.
constexpr size_t kMaxStreamBytes = 32 << 20;
constexpr double kDefaultStrengthThreshold = 90;
constexpr double kDefaultPassThreshold = 85;
constexpr int kDefaultItemsPerTool = 3;

Writer WriterOf(const CallContext& call) {
  return {call.principal.name(), call.now};
}

// `organizations/{o}/assessments/{be_year}` the caller may act on.
struct AssessmentName {
  std::string organization;
  int be_year = 0;
};
// The name without the scope check, for callers that check it themselves.
absl::StatusOr<AssessmentName> ParseAnyAssessmentName(absl::string_view field,
                                                      absl::string_view name) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName child,
                            ParseChildName(field, name, "assessments"));
  AssessmentName out{child.organization, 0};
  // Exactly four digits: "02568" or "+2568" would name the same assessment
  // under another spelling (and split caches and derived request ids).
  if (child.id.size() != 4 ||
      !std::all_of(child.id.begin(), child.id.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(child.id, &out.be_year)) {
    return InvalidField(field, "must end in a fiscal year, e.g. .../2565");
  }
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(field, out.be_year));
  return out;
}
absl::StatusOr<AssessmentName> ParseAssessmentName(const CallContext& call,
                                                   absl::string_view field,
                                                   absl::string_view name) {
  PRONGSAI_ASSIGN_OR_RETURN(AssessmentName out,
                            ParseAnyAssessmentName(field, name));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(out.organization));
  return out;
}

// What an IngestRawAnswers stream has brought so far: the first message's
// assessment and organization, and each message's answers as parsed.
struct RawStream {
  std::string name;
  AssessmentName assessment;
  common::v1::OrganizationRef organization;
  // The first message's replace_computed.
  bool replace_computed = false;
  std::vector<v1::IngestRawAnswersRequest> messages;
};

// Takes message `index` of a raw-answer stream as it arrives. The first one
// names the assessment, and a caller who may not write it is refused there,
// before the rest of the stream is read.
absl::Status TakeRawMessage(const server::StreamCaller& caller, int64_t index,
                            v1::IngestRawAnswersRequest& message,
                            RawStream& stream) {
  const std::string path = IndexedPath("messages", index);
  if (index == 0) {
    PRONGSAI_ASSIGN_OR_RETURN(
        stream.assessment,
        ParseAnyAssessmentName(FieldPath(path, "name"), message.name()));
    PRONGSAI_RETURN_IF_ERROR(
        caller.CheckOrganization(stream.assessment.organization));
    PRONGSAI_RETURN_IF_ERROR(api::ValidateOrganizationRef(
        FieldPath(path, "organization"), message.organization()));
    stream.name = message.name();
    stream.organization = message.organization();
    stream.replace_computed = message.replace_computed();
  } else if (!message.name().empty() && message.name() != stream.name) {
    return InvalidField(FieldPath(path, "name"),
                        "names another assessment than the first message");
  } else if (message.replace_computed()) {
    // A later message cannot change what the stream was opened to do.
    return InvalidField(FieldPath(path, "replace_computed"),
                        "is set in the first message only");
  }
  message.clear_name();
  message.clear_organization();
  stream.messages.push_back(std::move(message));
  return absl::OkStatus();
}

// A double written so that two different values never print alike (cache
// keys; StrCat keeps only 6 significant digits).
std::string ExactNumber(double value) {
  return absl::StrFormat("%.17g", value);
}

absl::Status ValidateScoreParameter(absl::string_view field, double value) {
  if (!std::isfinite(value) || value < 0 || value > 100) {
    return InvalidField(field, "must be a number from 0 to 100");
  }
  return absl::OkStatus();
}

// The framework a year's scores are checked or computed with; a year with
// none is the caller's mistake, so it names the field.
absl::StatusOr<v1::Framework> FrameworkFor(Connection& db,
                                           const DefaultFrameworkMap& defaults,
                                           absl::string_view field,
                                           int be_year) {
  absl::StatusOr<v1::Framework> framework =
      CurrentFramework(db, defaults, be_year);
  if (absl::IsNotFound(framework.status())) {
    return InvalidField(field, framework.status().message());
  }
  return framework;
}

// FAILED_PRECONDITION when `computed` has no score for a tool that the
// assessment's stored computed result has: a stream of a few answers (one
// OIT check, one respondent) would otherwise replace a whole survey's
// published figures. The request's replace_computed says it means to.
absl::Status CheckKeepsTools(Connection& db, const AssessmentName& name,
                             absl::string_view name_text,
                             const v1::ScoreSet& computed) {
  absl::StatusOr<v1::Assessment> stored =
      GetAssessment(db, name.organization, name.be_year);
  if (absl::IsNotFound(stored.status())) return absl::OkStatus();
  PRONGSAI_RETURN_IF_ERROR(stored.status());
  std::vector<std::string> dropped;
  for (const v1::Score& tool : stored->computed().tools()) {
    const bool kept = std::any_of(
        computed.tools().begin(), computed.tools().end(),
        [&](const v1::Score& score) { return score.code() == tool.code(); });
    if (!kept) dropped.push_back(tool.code());
  }
  if (dropped.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      name_text, " has a computed result with ", absl::StrJoin(dropped, ", "),
      " scores that these answers would drop; send answers for every tool "
      "it has, or set replace_computed in the first message to replace the "
      "whole result"));
}

// The service's shared state: shipped frameworks, the plan client and the
// single-flight table of analytics computations.
class ItaGrpcService;

using ItaRawService = server::RawCallbackService<
    v1::AssessmentService::Service,
    v1::AssessmentService::WithRawCallbackMethod_LoadFramework,
    v1::AssessmentService::WithRawCallbackMethod_GetFramework,
    v1::AssessmentService::WithRawCallbackMethod_ListFrameworks,
    v1::AssessmentService::WithRawCallbackMethod_CreateAssessment,
    v1::AssessmentService::WithRawCallbackMethod_GetAssessment,
    v1::AssessmentService::WithRawCallbackMethod_ListAssessments,
    v1::AssessmentService::WithRawCallbackMethod_IngestPublishedScores,
    v1::AssessmentService::WithRawCallbackMethod_IngestRawAnswers,
    v1::AssessmentService::WithRawCallbackMethod_AnalyzeAssessment,
    v1::AssessmentService::WithRawCallbackMethod_RecommendMeasures,
    v1::AssessmentService::WithRawCallbackMethod_AdoptRecommendedMeasures,
    v1::AssessmentService::WithRawCallbackMethod_GetPeerAnalytics,
    v1::AssessmentService::WithRawCallbackMethod_GetTrend,
    v1::AssessmentService::WithRawCallbackMethod_RenderReport>;

// Translation only: each method hands its request to the Do* member of the
// same name on a worker.
#define PRONGSAI_ITA_METHOD(method, Request, Response)                        \
  grpc::ServerUnaryReactor* method(grpc::CallbackServerContext* context,      \
                                   const grpc::ByteBuffer* request,           \
                                   grpc::ByteBuffer* response) override {     \
    return runtime_.Unary<v1::Request, v1::Response>(                         \
        context, #method, request, response,                                  \
        [this](CallContext& call, const v1::Request& in, v1::Response& out) { \
          return Do##method(call, in, out);                                   \
        });                                                                   \
  }

class ItaGrpcService final : public ItaRawService {
 public:
  ItaGrpcService(server::ServiceRuntime& runtime,
                 std::shared_ptr<const DefaultFrameworkMap> defaults,
                 const ItaOptions& options)
      : runtime_(runtime),
        defaults_(std::move(defaults)),
        peers_{client::Peer(client::PeerOptions::Of(
                   "plan service", options.plan_address, options.peer_api_key)),
               client::Peer(client::PeerOptions::Of("complaint service",
                                                    options.complaint_address,
                                                    options.peer_api_key))} {}

  PRONGSAI_ITA_METHOD(LoadFramework, LoadFrameworkRequest, Framework)
  PRONGSAI_ITA_METHOD(GetFramework, GetFrameworkRequest, Framework)
  PRONGSAI_ITA_METHOD(ListFrameworks, ListFrameworksRequest,
                      ListFrameworksResponse)
  PRONGSAI_ITA_METHOD(CreateAssessment, CreateAssessmentRequest, Assessment)
  PRONGSAI_ITA_METHOD(GetAssessment, GetAssessmentRequest, Assessment)
  PRONGSAI_ITA_METHOD(ListAssessments, ListAssessmentsRequest,
                      ListAssessmentsResponse)
  PRONGSAI_ITA_METHOD(IngestPublishedScores, IngestPublishedScoresRequest,
                      Assessment)
  PRONGSAI_ITA_METHOD(AnalyzeAssessment, AnalyzeAssessmentRequest,
                      AgencyAnalysis)
  PRONGSAI_ITA_METHOD(RecommendMeasures, RecommendMeasuresRequest,
                      RecommendMeasuresResponse)
  PRONGSAI_ITA_METHOD(AdoptRecommendedMeasures, AdoptRecommendedMeasuresRequest,
                      AdoptRecommendedMeasuresResponse)
  PRONGSAI_ITA_METHOD(GetPeerAnalytics, GetPeerAnalyticsRequest, PeerAnalytics)
  PRONGSAI_ITA_METHOD(GetTrend, GetTrendRequest, Trend)
  PRONGSAI_ITA_METHOD(RenderReport, RenderReportRequest, RenderedReport)

  grpc::ServerReadReactor<grpc::ByteBuffer>* IngestRawAnswers(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override {
    auto stream = std::make_shared<RawStream>();
    return runtime_.ClientStream<v1::IngestRawAnswersRequest, v1::Assessment>(
        context, "IngestRawAnswers", kMaxStreamBytes, response,
        [stream](const server::StreamCaller& caller, int64_t index,
                 v1::IngestRawAnswersRequest& message) {
          return TakeRawMessage(caller, index, message, *stream);
        },
        [this, stream](CallContext& call, int64_t, v1::Assessment& out) {
          return DoIngestRawAnswers(call, *stream, out);
        });
  }

 private:
  // ----------------------------------------------------------- frameworks

  absl::Status DoLoadFramework(CallContext& call,
                               const v1::LoadFrameworkRequest& request,
                               v1::Framework& response) {
    PRONGSAI_RETURN_IF_ERROR(
        ValidateFramework("framework", request.framework()));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response,
        StoreFramework(*db, *defaults_, request.framework(), WriterOf(call)));
    return absl::OkStatus();
  }

  absl::Status DoGetFramework(CallContext& call,
                              const v1::GetFrameworkRequest& request,
                              v1::Framework& response) {
    std::vector<absl::string_view> parts = absl::StrSplit(request.name(), '/');
    int year = 0, version = 0;
    const bool ok = (parts.size() == 2 ||
                     (parts.size() == 4 && parts[2] == "versions" &&
                      absl::SimpleAtoi(parts[3], &version) && version > 0)) &&
                    parts[0] == "frameworks" &&
                    absl::SimpleAtoi(parts[1], &year);
    if (!ok) {
      return InvalidField("name",
                          "must be frameworks/{be_year} or "
                          "frameworks/{be_year}/versions/{version}");
    }
    PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear("name", year));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response, version == 0
                      ? CurrentFramework(*db, *defaults_, year)
                      : FrameworkVersion(*db, *defaults_, year, version));
    return absl::OkStatus();
  }

  absl::Status DoListFrameworks(CallContext& call,
                                const v1::ListFrameworksRequest&,
                                v1::ListFrameworksResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Framework> frameworks,
                              CurrentFrameworks(*db, *defaults_));
    for (v1::Framework& framework : frameworks) {
      *response.add_frameworks() = std::move(framework);
    }
    return absl::OkStatus();
  }

  // ----------------------------------------------------------- assessments

  absl::Status DoCreateAssessment(CallContext& call,
                                  const v1::CreateAssessmentRequest& request,
                                  v1::Assessment& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateRequestId("request_id", request.request_id()));
    PRONGSAI_RETURN_IF_ERROR(ValidateNewAssessment(request.assessment()));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response, ita::CreateAssessment(*db, organization, request.assessment(),
                                        request.request_id(), WriterOf(call)));
    return absl::OkStatus();
  }

  absl::Status DoGetAssessment(CallContext& call,
                               const v1::GetAssessmentRequest& request,
                               v1::Assessment& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AssessmentName name, ParseAssessmentName(call, "name", request.name()));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response, ita::GetAssessment(*db, name.organization, name.be_year));
    return absl::OkStatus();
  }

  absl::Status DoListAssessments(CallContext& call,
                                 const v1::ListAssessmentsRequest& request,
                                 v1::ListAssessmentsResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                              server::StartList(call, request));
    PRONGSAI_ASSIGN_OR_RETURN(
        AssessmentPage page,
        ita::ListAssessments(*scope.db, scope.organization, scope.page));
    server::FinishList(page.assessments, page.next_cursor, request,
                       response.mutable_assessments(), response);
    return absl::OkStatus();
  }

  absl::Status DoIngestPublishedScores(
      CallContext& call, const v1::IngestPublishedScoresRequest& request,
      v1::Assessment& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AssessmentName name, ParseAssessmentName(call, "name", request.name()));
    PRONGSAI_RETURN_IF_ERROR(
        api::ValidateOrganizationRef("organization", request.organization()));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework framework,
        FrameworkFor(*db, *defaults_, "name", name.be_year));
    v1::ScoreSet published = request.published();
    PRONGSAI_RETURN_IF_ERROR(
        ValidatePublished("published", framework, published));
    common::v1::OrganizationRef organization = request.organization();
    organization.set_code(name.organization);
    ScoreUpdate update;
    update.findings = CheckPublished(framework, published);
    update.published = std::move(published);
    PRONGSAI_ASSIGN_OR_RETURN(
        response, SaveScores(*db, organization, name.be_year, framework, update,
                             WriterOf(call)));
    return absl::OkStatus();
  }

  absl::Status DoIngestRawAnswers(CallContext& call, RawStream& stream,
                                  v1::Assessment& response) {
    if (stream.messages.empty()) {
      return InvalidField("messages", "the stream sent nothing");
    }
    const AssessmentName& name = stream.assessment;
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework framework,
        FrameworkFor(*db, *defaults_, "messages[0].name", name.be_year));
    RawAnswers answers;
    for (size_t i = 0; i < stream.messages.size(); ++i) {
      v1::IngestRawAnswersRequest& message = stream.messages[i];
      const std::string path = IndexedPath("messages", static_cast<int64_t>(i));
      PRONGSAI_RETURN_IF_ERROR(ValidateRawAnswers(path, framework, message));
      for (v1::Respondent& respondent : *message.mutable_respondents()) {
        answers.respondents.push_back(std::move(respondent));
      }
      // Codes are case-insensitive; a later message's check replaces an
      // earlier one, whatever case either was sent in.
      for (const auto& [item, present] : message.oit_checks()) {
        answers.oit_checks[absl::AsciiStrToLower(item)] = present;
      }
    }
    stream.messages.clear();
    // Nothing to compute from: storing the figures of no answers would
    // replace a computed result with zeros.
    if (answers.respondents.empty() && answers.oit_checks.empty()) {
      return InvalidField("messages",
                          "carry no respondents and no OIT checks; nothing "
                          "to compute scores from");
    }
    ScoreUpdate update;
    for (const v1::Respondent& respondent : answers.respondents) {
      const std::string tool = absl::AsciiStrToUpper(respondent.tool());
      if (tool == "IIT") ++update.iit_respondents;
      if (tool == "EIT") ++update.eit_respondents;
    }
    update.computed = ComputeScores(framework, answers);
    if (!stream.replace_computed) {
      PRONGSAI_RETURN_IF_ERROR(
          CheckKeepsTools(*db, name, stream.name, *update.computed));
    }
    common::v1::OrganizationRef organization = stream.organization;
    organization.set_code(name.organization);
    PRONGSAI_ASSIGN_OR_RETURN(
        response, SaveScores(*db, organization, name.be_year, framework, update,
                             WriterOf(call)));
    return absl::OkStatus();
  }

  // ------------------------------------------------------------- analytics

  // Reads `M` through Redis under `version`, computing it at most once per
  // key at a time in this process; correct (and uncached) with Redis down.
  template <typename M>
  absl::Status Cached(CallContext& call, absl::string_view what,
                      absl::string_view version, M& out,
                      absl::FunctionRef<absl::StatusOr<M>()> compute) {
    const std::string key = cache::VersionedKey(
        "ita", kCacheVersion, absl::StrCat(what, "@", version));
    auto serialized = [&]() -> absl::StatusOr<std::string> {
      PRONGSAI_ASSIGN_OR_RETURN(M value, compute());
      return value.SerializeAsString();
    };
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string bytes,
        cache::GetOrLoad(call.worker.Redis(), key, kCacheTtl,
                         [&]() -> absl::StatusOr<std::string> {
                           return flight_.Do(key, call.deadline, serialized);
                         }));
    if (!out.ParseFromString(bytes)) {
      return absl::InternalError("corrupt cached analytics");
    }
    return absl::OkStatus();
  }

  // The analysis without the plan target (which lives in another service
  // and is asked for on every call).
  absl::StatusOr<v1::AgencyAnalysis> CoreAnalysis(
      CallContext& call, absl::string_view field, absl::string_view name_text,
      std::optional<double> threshold_in, int items_in) {
    PRONGSAI_ASSIGN_OR_RETURN(AssessmentName name,
                              ParseAssessmentName(call, field, name_text));
    const double threshold = threshold_in.value_or(kDefaultStrengthThreshold);
    PRONGSAI_RETURN_IF_ERROR(
        ValidateScoreParameter("strength_threshold", threshold));
    if (items_in < 0 || items_in > 50) {
      return InvalidField("items_per_tool", "must be 0-50 (0 = 3)");
    }
    const int items = items_in == 0 ? kDefaultItemsPerTool : items_in;
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    // The analysis reads this organization's assessments (this year and the
    // previous one) and their pinned frameworks only: key on its version.
    ChildName child = *ParseChildName(field, name_text, "assessments");
    PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                              OrganizationVersion(*db, child.organization));
    v1::AgencyAnalysis analysis;
    PRONGSAI_RETURN_IF_ERROR(Cached<v1::AgencyAnalysis>(
        call,
        absl::StrCat("analysis/", name_text, "/", ExactNumber(threshold), "/",
                     items),
        version, analysis, [&]() -> absl::StatusOr<v1::AgencyAnalysis> {
          PRONGSAI_ASSIGN_OR_RETURN(
              v1::Assessment current,
              ita::GetAssessment(*db, name.organization, name.be_year));
          std::string basis;
          if (!EffectiveScores(current, &basis).has_overall()) {
            return absl::FailedPreconditionError(
                absl::StrCat(name_text,
                             " has no scores yet; ingest the published "
                             "summary or raw answers first"));
          }
          PRONGSAI_ASSIGN_OR_RETURN(
              v1::Framework framework,
              current.framework_version() > 0
                  ? FrameworkVersion(*db, *defaults_, name.be_year,
                                     current.framework_version())
                  : CurrentFramework(*db, *defaults_, name.be_year));
          PRONGSAI_ASSIGN_OR_RETURN(
              std::optional<v1::Assessment> previous,
              PreviousAssessment(*db, name.organization, name.be_year));
          return Analyze(framework, current,
                         previous.has_value() ? &*previous : nullptr, threshold,
                         items);
        }));
    return analysis;
  }

  // The analysis with what the plan and complaint services say (asked on
  // every call: their data is not versioned here).
  absl::StatusOr<v1::AgencyAnalysis> FullAnalysis(
      CallContext& call, absl::string_view name,
      std::optional<double> threshold, int items) {
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::AgencyAnalysis analysis,
        CoreAnalysis(call, "name", name, threshold, items));
    ChildName child = *ParseChildName("name", name, "assessments");
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    // The framework the figures were computed with, as in the analysis.
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Assessment assessment,
        ita::GetAssessment(*db, child.organization, analysis.be_year()));
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework framework,
        assessment.framework_version() > 0
            ? FrameworkVersion(*db, *defaults_, analysis.be_year(),
                               assessment.framework_version())
            : CurrentFramework(*db, *defaults_, analysis.be_year()));
    AddPeerFigures(peers_, child.organization, framework, call.now,
                   call.deadline, call.principal, analysis);
    return analysis;
  }

  absl::Status DoAdoptRecommendedMeasures(
      CallContext& call, const v1::AdoptRecommendedMeasuresRequest& request,
      v1::AdoptRecommendedMeasuresResponse& response) {
    std::optional<double> threshold;
    if (request.has_strength_threshold()) {
      threshold = request.strength_threshold();
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::AgencyAnalysis analysis,
        CoreAnalysis(call, "name", request.name(), threshold, 0));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
                              Recommend(analysis));
    ChildName child = *ParseChildName("name", request.name(), "assessments");
    // The analysis' own (canonical) name derives the request ids.
    response = AdoptMeasures(peers_, child.organization, analysis.assessment(),
                             measures, call.deadline);
    return absl::OkStatus();
  }

  absl::Status DoAnalyzeAssessment(CallContext& call,
                                   const v1::AnalyzeAssessmentRequest& request,
                                   v1::AgencyAnalysis& response) {
    std::optional<double> threshold;
    if (request.has_strength_threshold()) {
      threshold = request.strength_threshold();
    }
    PRONGSAI_ASSIGN_OR_RETURN(response,
                              FullAnalysis(call, request.name(), threshold,
                                           request.items_per_tool()));
    return absl::OkStatus();
  }

  absl::Status DoRecommendMeasures(CallContext& call,
                                   const v1::RecommendMeasuresRequest& request,
                                   v1::RecommendMeasuresResponse& response) {
    std::optional<double> threshold;
    if (request.has_strength_threshold()) {
      threshold = request.strength_threshold();
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::AgencyAnalysis analysis,
        CoreAnalysis(call, "name", request.name(), threshold, 0));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
                              Recommend(analysis));
    for (v1::RecommendedMeasure& measure : measures) {
      *response.add_measures() = std::move(measure);
    }
    return absl::OkStatus();
  }

  absl::Status DoGetPeerAnalytics(CallContext& call,
                                  const v1::GetPeerAnalyticsRequest& request,
                                  v1::PeerAnalytics& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AssessmentName name, ParseAssessmentName(call, "name", request.name()));
    if (!v1::PeerGroup_IsValid(request.group())) {
      return InvalidField("group", "is not a known peer group");
    }
    const v1::PeerGroup group = request.group() == v1::PEER_GROUP_UNSPECIFIED
                                    ? v1::NATIONAL
                                    : request.group();
    const double threshold = request.has_what_if_threshold()
                                 ? request.what_if_threshold()
                                 : kDefaultPassThreshold;
    PRONGSAI_RETURN_IF_ERROR(
        ValidateScoreParameter("what_if_threshold", threshold));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                              YearVersion(*db, name.be_year));
    return Cached<v1::PeerAnalytics>(
        call,
        absl::StrCat("peers/", request.name(), "/", group, "/",
                     ExactNumber(threshold)),
        version, response, [&]() -> absl::StatusOr<v1::PeerAnalytics> {
          PRONGSAI_ASSIGN_OR_RETURN(
              v1::Framework framework,
              CurrentFramework(*db, *defaults_, name.be_year));
          // The whole year in one query; everything else in memory.
          PRONGSAI_ASSIGN_OR_RETURN(std::vector<PeerRow> rows,
                                    YearRows(*db, name.be_year));
          absl::StatusOr<v1::PeerAnalytics> peers = ComputePeerAnalytics(
              rows, name.organization, group, framework, threshold);
          if (absl::IsNotFound(peers.status())) {
            return absl::FailedPreconditionError(absl::StrCat(
                request.name(), " has no scores yet; ingest them first"));
          }
          if (peers.ok()) peers->set_assessment(request.name());
          return peers;
        });
  }

  absl::Status DoGetTrend(CallContext& call, const v1::GetTrendRequest& request,
                          v1::Trend& response) {
    std::string organization;
    if (!request.parent().empty()) {
      PRONGSAI_ASSIGN_OR_RETURN(
          organization, ParseOrganizationParent("parent", request.parent()));
      PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    } else if (request.group() == v1::PEER_GROUP_UNSPECIFIED ||
               !v1::PeerGroup_IsValid(request.group())) {
      return InvalidField("group", "is required without a parent");
    }
    if (request.group() == v1::SAME_PROVINCE && request.province().empty()) {
      return InvalidField("province", "is required for SAME_PROVINCE");
    }
    if (request.group() == v1::SAME_KIND &&
        request.kind() == common::v1::ORGANIZATION_KIND_UNSPECIFIED) {
      return InvalidField("kind", "is required for SAME_KIND");
    }
    PRONGSAI_RETURN_IF_ERROR(
        ValidateText("province", request.province(), 100, false));
    for (auto [field, year] :
         {std::pair{"first_be_year", request.first_be_year()},
          std::pair{"last_be_year", request.last_be_year()}}) {
      if (year != 0)
        PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(field, year));
    }
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::string version, YearVersion(*db, 0));
    return Cached<v1::Trend>(
        call,
        organization.empty()
            ? absl::StrCat(
                  "trend/group/", request.group(), "/",
                  request.group() == v1::SAME_PROVINCE ? request.province()
                                                       : "",
                  "/", request.group() == v1::SAME_KIND ? request.kind() : 0,
                  "/", request.first_be_year(), "-", request.last_be_year())
            : absl::StrCat("trend/", organization, "/", request.first_be_year(),
                           "-", request.last_be_year()),
        version, response, [&]() -> absl::StatusOr<v1::Trend> {
          PRONGSAI_ASSIGN_OR_RETURN(std::vector<int> years, ScoredYears(*db));
          std::vector<TrendYear> series;
          std::optional<v1::Framework> previous;
          for (int year : years) {
            if ((request.first_be_year() != 0 &&
                 year < request.first_be_year()) ||
                (request.last_be_year() != 0 &&
                 year > request.last_be_year())) {
              continue;
            }
            PRONGSAI_ASSIGN_OR_RETURN(v1::Framework framework,
                                      CurrentFramework(*db, *defaults_, year));
            PRONGSAI_ASSIGN_OR_RETURN(std::vector<PeerRow> rows,
                                      YearRows(*db, year));
            std::erase_if(rows, [&](const PeerRow& row) {
              if (!organization.empty())
                return row.organization != organization;
              switch (request.group()) {
                case v1::SAME_PROVINCE:
                  return row.province != request.province();
                case v1::SAME_KIND:
                  return row.kind != request.kind();
                default:
                  return false;
              }
            });
            if (rows.empty()) continue;
            TrendYear& point = series.emplace_back();
            point.be_year = year;
            point.rows = std::move(rows);
            if (previous.has_value()) {
              point.method_difference = MethodDifference(*previous, framework);
            }
            previous = std::move(framework);
          }
          // An organization's own trend is its own figures; a group's
          // hides what few members would give away.
          return ComputeTrend(series,
                              organization.empty() ? kMinimumGroupSize : 1);
        });
  }

  absl::Status DoRenderReport(CallContext& call,
                              const v1::RenderReportRequest& request,
                              v1::RenderedReport& response) {
    if (!v1::ReportFormat_IsValid(request.format())) {
      return InvalidField("format", "is not a known format");
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::AgencyAnalysis analysis,
        FullAnalysis(call, request.name(), std::nullopt, 0));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
                              Recommend(analysis));
    ChildName child = *ParseChildName("name", request.name(), "assessments");
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Assessment assessment,
        ita::GetAssessment(*db, child.organization, analysis.be_year()));
    response = ita::RenderReport(
        assessment, analysis, measures,
        request.format() == v1::REPORT_FORMAT_UNSPECIFIED ? v1::MARKDOWN
                                                          : request.format());
    return absl::OkStatus();
  }

  server::ServiceRuntime& runtime_;
  const std::shared_ptr<const DefaultFrameworkMap> defaults_;
  const Peers peers_;
  cache::SingleFlight flight_;
};

#undef PRONGSAI_ITA_METHOD

}  // namespace

absl::StatusOr<server::ServiceDefinition> ItaServiceDefinition(
    ItaOptions options) {
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Framework> shipped,
                            DefaultFrameworks());
  auto defaults = std::make_shared<DefaultFrameworkMap>();
  for (v1::Framework& framework : shipped) {
    const int year = framework.be_year();
    (*defaults)[year] = std::move(framework);
  }
  server::ServiceDefinition definition;
  definition.name = "ita";
  definition.service_full_name = v1::AssessmentService::service_full_name();
  definition.migrations = Migrations();
  definition.make_service =
      [defaults = std::move(defaults),
       options = std::move(options)](server::ServiceRuntime& runtime) {
        return std::make_unique<ItaGrpcService>(runtime, defaults, options);
      };
  return definition;
}

}  // namespace prongsai::ita
