#include "services/ita/ita_service.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/fields.h"
#include "common/base/organization_codes.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/cache/single_flight.h"
#include "common/server/list_scope.h"
#include "common/server/method_list.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_analysis.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_framework.h"
#include "services/ita/ita_import.h"
#include "services/ita/ita_peer_stats.h"
#include "services/ita/ita_peers.h"
#include "services/ita/ita_recommend.h"
#include "services/ita/ita_report.h"
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
  const std::vector<std::string> dropped =
      DroppedTools(stored->computed(), computed);
  if (dropped.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      name_text, " has a computed result with ", absl::StrJoin(dropped, ", "),
      " scores that these answers would drop; send answers for every tool "
      "it has, or set replace_computed in the first message to replace the "
      "whole result"));
}

std::optional<double> OptionalThreshold(bool has, double value) {
  if (!has) return std::nullopt;
  return value;
}

// GetTrendRequest checked, as the filter of the trend's rows.
absl::StatusOr<TrendFilter> TrendFilterOf(const CallContext& call,
                                          const v1::GetTrendRequest& request) {
  TrendFilter filter;
  if (!request.parent().empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(
        filter.organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(filter.organization));
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
    if (year != 0) {
      PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(field, year));
    }
  }
  filter.group = request.group();
  filter.province = request.province();
  filter.kind = request.kind();
  filter.first_be_year = request.first_be_year();
  filter.last_be_year = request.last_be_year();
  return filter;
}

// What a trend is cached under: only the fields its filter uses.
std::string TrendKey(const TrendFilter& filter) {
  if (!filter.organization.empty()) {
    return absl::StrCat("trend/", filter.organization, "/",
                        filter.first_be_year, "-", filter.last_be_year);
  }
  return absl::StrCat("trend/group/", filter.group, "/",
                      filter.group == v1::SAME_PROVINCE ? filter.province : "",
                      "/", filter.group == v1::SAME_KIND ? filter.kind : 0, "/",
                      filter.first_be_year, "-", filter.last_be_year);
}

// An assessment's analysis and the name it was asked by.
struct AnalyzedAssessment {
  AssessmentName name;
  v1::AgencyAnalysis analysis;
  // FullAnalysis only: the assessment analysed.
  v1::Assessment assessment;
};

using GrpcService = v1::AssessmentService;

// Every RPC of the service, in the order of ita.proto; the stream's
// messages are taken by TakeRawMessage as they arrive.
#define PRONGSAI_ITA_METHODS(UNARY, STREAM)                               \
  UNARY(LoadFramework, LoadFrameworkRequest, Framework)                   \
  UNARY(GetFramework, GetFrameworkRequest, Framework)                     \
  UNARY(ListFrameworks, ListFrameworksRequest, ListFrameworksResponse)    \
  UNARY(CreateAssessment, CreateAssessmentRequest, Assessment)            \
  UNARY(GetAssessment, GetAssessmentRequest, Assessment)                  \
  UNARY(ListAssessments, ListAssessmentsRequest, ListAssessmentsResponse) \
  UNARY(IngestPublishedScores, IngestPublishedScoresRequest, Assessment)  \
  UNARY(MigrateAssessment, MigrateAssessmentRequest,                      \
        MigrateAssessmentResponse)                                        \
  STREAM(IngestRawAnswers, IngestRawAnswersRequest, Assessment)           \
  UNARY(AnalyzeAssessment, AnalyzeAssessmentRequest, AgencyAnalysis)      \
  UNARY(RecommendMeasures, RecommendMeasuresRequest,                      \
        RecommendMeasuresResponse)                                        \
  UNARY(AdoptRecommendedMeasures, AdoptRecommendedMeasuresRequest,        \
        AdoptRecommendedMeasuresResponse)                                 \
  UNARY(GetPeerAnalytics, GetPeerAnalyticsRequest, PeerAnalytics)         \
  UNARY(GetTrend, GetTrendRequest, Trend)                                 \
  UNARY(RenderReport, RenderReportRequest, RenderedReport)                \
  UNARY(BatchGetAssessmentResults, BatchGetAssessmentResultsRequest,      \
        BatchGetAssessmentResultsResponse)                                \
  UNARY(ImportPublishedResults, ImportPublishedResultsRequest,            \
        ImportPublishedResultsResponse)

using ItaRawService =
    server::RawCallbackService<GrpcService::Service PRONGSAI_ITA_METHODS(
        PRONGSAI_RAW_METHOD, PRONGSAI_RAW_METHOD)>;

// Translation only: each method hands its request to the Do* member of the
// same name on a worker. Holds the shipped frameworks, the plan and
// complaint peers and the single-flight table of analytics computations.
class ItaGrpcService final : public ItaRawService {
 public:
  ItaGrpcService(server::ServiceRuntime& runtime,
                 std::shared_ptr<const DefaultFrameworkMap> defaults,
                 const ItaOptions& options)
      : runtime_(runtime),
        defaults_(std::move(defaults)),
        peers_{client::Peer(client::PeerOptions::Of(
                   "plan service", options.plan_address, options.peer_api_key,
                   options.peer_credentials)),
               client::Peer(client::PeerOptions::Of(
                   "complaint service", options.complaint_address,
                   options.peer_api_key, options.peer_credentials))} {}

  PRONGSAI_ITA_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)

 private:
  grpc::ServerReadReactor<grpc::ByteBuffer>* OpenIngestRawAnswers(
      grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
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

  // ----------------------------------------------------------- frameworks

  absl::Status DoLoadFramework(CallContext& call,
                               const v1::LoadFrameworkRequest& request,
                               v1::Framework& response) {
    PRONGSAI_RETURN_IF_ERROR(
        ValidateFramework("framework", request.framework()));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response,
        StoreFramework(*db, *defaults_, request.framework(), call.writer()));
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
                                        request.request_id(), call.writer()));
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
        api::Page<v1::Assessment> page,
        ita::ListAssessments(*scope.db, scope.organization, scope.page));
    server::FinishList(page.items, page.next_cursor, request,
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
    common::v1::OrganizationRef organization = request.organization();
    organization.set_code(name.organization);
    PRONGSAI_ASSIGN_OR_RETURN(
        PublishedIngest done,
        IngestPublished(*db, framework, organization, name.be_year,
                        request.published(), "published", call.writer(),
                        IngestMode::kWrite));
    response = std::move(done.assessment);
    return absl::OkStatus();
  }

  absl::Status DoMigrateAssessment(CallContext& call,
                                   const v1::MigrateAssessmentRequest& request,
                                   v1::MigrateAssessmentResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AssessmentName name, ParseAssessmentName(call, "name", request.name()));
    if (request.framework_version() < 0) {
      return InvalidField("framework_version",
                          "must be a version number, or 0 for the current");
    }
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Assessment assessment,
        ita::GetAssessment(*db, name.organization, name.be_year));
    if (assessment.has_computed()) {
      return absl::FailedPreconditionError(absl::StrCat(
          request.name(),
          " was computed from raw answers, which are not kept: ingest them "
          "again to compute it with another framework version"));
    }
    if (!assessment.has_published()) {
      return absl::FailedPreconditionError(
          absl::StrCat(request.name(), " has no published summary to move"));
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework to, request.framework_version() == 0
                              ? CurrentFramework(*db, *defaults_, name.be_year)
                              : FrameworkVersion(*db, *defaults_, name.be_year,
                                                 request.framework_version()));
    if (to.version() <= assessment.framework_version()) {
      return absl::FailedPreconditionError(absl::StrCat(
          request.name(), " is checked with version ",
          assessment.framework_version(), "; ", to.name(), " is not newer"));
    }
    PRONGSAI_ASSIGN_OR_RETURN(v1::Framework from,
                              PinnedFramework(*db, *defaults_, assessment));
    MigratedScores migrated = MigrateScores(from, to, assessment.published());
    // What is left is in the new version by construction; the check also
    // normalizes it as an ingest would.
    PRONGSAI_RETURN_IF_ERROR(
        ValidatePublished("published", to, migrated.scores));
    ScoreUpdate update;
    update.findings = CheckPublished(to, migrated.scores);
    update.published = std::move(migrated.scores);
    update.expected_framework_version = assessment.framework_version();
    response.set_from_version(assessment.framework_version());
    for (v1::CodeMove& move : migrated.moved) {
      *response.add_moved() = std::move(move);
    }
    for (std::string& code : migrated.dropped) {
      response.add_dropped(std::move(code));
    }
    if (request.validate_only()) {
      ApplyScoreUpdate(update, assessment);
      assessment.set_framework_version(to.version());
      SetEffectiveOverallScore(assessment);
      *response.mutable_assessment() = std::move(assessment);
      return absl::OkStatus();
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        *response.mutable_assessment(),
        SaveScores(*db, assessment.organization(), name.be_year, to, update,
                   call.writer()));
    return absl::OkStatus();
  }

  absl::Status DoImportPublishedResults(
      CallContext& call, const v1::ImportPublishedResultsRequest& request,
      v1::ImportPublishedResultsResponse& response) {
    PRONGSAI_RETURN_IF_ERROR(
        api::ValidateFiscalYear("be_year", request.be_year()));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework framework,
        FrameworkFor(*db, *defaults_, "be_year", request.be_year()));
    PRONGSAI_ASSIGN_OR_RETURN(response,
                              ita::ImportPublishedResults(
                                  *db, framework, request,
                                  [&call](absl::string_view code) {
                                    return call.CheckOrganization(code);
                                  },
                                  call.writer()));
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
    PRONGSAI_ASSIGN_OR_RETURN(RawAnswers answers,
                              MergeRawMessages(framework, stream.messages));
    ScoreUpdate update;
    const RespondentCounts counts = CountRespondents(answers.respondents);
    update.iit_respondents = counts.iit;
    update.eit_respondents = counts.eit;
    update.computed = ComputeScores(framework, answers);
    if (!stream.replace_computed) {
      PRONGSAI_RETURN_IF_ERROR(
          CheckKeepsTools(*db, name, stream.name, *update.computed));
    }
    common::v1::OrganizationRef organization = stream.organization;
    organization.set_code(name.organization);
    PRONGSAI_ASSIGN_OR_RETURN(
        response, SaveScores(*db, organization, name.be_year, framework, update,
                             call.writer()));
    return absl::OkStatus();
  }

  // ------------------------------------------------------- batch results

  // One query for the batch's assessments; each one's score, grade and
  // weaknesses as Analyze (AnalyzeAssessment) decides them. Cached under
  // the year's data version, which every write of the year replaces.
  absl::Status DoBatchGetAssessmentResults(
      CallContext& call, const v1::BatchGetAssessmentResultsRequest& request,
      v1::BatchGetAssessmentResultsResponse& response) {
    const int be_year = request.fiscal_year().be_year();
    PRONGSAI_RETURN_IF_ERROR(
        api::ValidateFiscalYear("fiscal_year.be_year", be_year));
    PRONGSAI_ASSIGN_OR_RETURN(
        std::vector<std::string> codes,
        ParseOrganizationCodes(
            "organizations",
            {request.organizations().begin(), request.organizations().end()}));
    for (const std::string& code : codes) {
      PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
    }
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::string version, YearVersion(*db, be_year));
    PRONGSAI_ASSIGN_OR_RETURN(
        response,
        Cached<v1::BatchGetAssessmentResultsResponse>(
            call,
            absl::StrCat("assessment-results/", be_year, "/",
                         CodesDigest(codes)),
            version,
            [&]() -> absl::StatusOr<v1::BatchGetAssessmentResultsResponse> {
              return ComputeResults(*db, codes, be_year);
            }));
    return absl::OkStatus();
  }

  // FNV-1a of the codes, as hex: stable across processes (a cache key).
  static std::string CodesDigest(const std::vector<std::string>& codes) {
    uint64_t hash = 14695981039346656037ull;
    for (const std::string& code : codes) {
      for (unsigned char c : code + "\n") {
        hash ^= c;
        hash *= 1099511628211ull;
      }
    }
    return absl::StrCat(codes.size(), "-", absl::Hex(hash, absl::kZeroPad16));
  }

  absl::StatusOr<v1::BatchGetAssessmentResultsResponse> ComputeResults(
      Connection& db, const std::vector<std::string>& codes, int be_year) {
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Assessment> assessments,
                              AssessmentsOf(db, codes, be_year));
    // The assessments of a year share a few framework versions.
    absl::flat_hash_map<int, v1::Framework> frameworks;
    v1::BatchGetAssessmentResultsResponse out;
    for (const v1::Assessment& assessment : assessments) {
      v1::AssessmentResult& result = *out.add_results();
      result.set_organization(assessment.organization().code());
      result.set_assessment(assessment.name());
      if (!EffectiveScores(assessment).has_overall()) continue;
      auto found = frameworks.find(assessment.framework_version());
      if (found == frameworks.end()) {
        PRONGSAI_ASSIGN_OR_RETURN(v1::Framework framework,
                                  PinnedFramework(db, *defaults_, assessment));
        found =
            frameworks
                .emplace(assessment.framework_version(), std::move(framework))
                .first;
      }
      SetResult(found->second, assessment, result);
    }
    return out;
  }

  static void SetResult(const v1::Framework& framework,
                        const v1::Assessment& assessment,
                        v1::AssessmentResult& result) {
    const v1::AgencyAnalysis analysis =
        Analyze(framework, assessment, nullptr, kDefaultStrengthThreshold,
                kDefaultItemsPerTool);
    if (assessment.has_effective_overall_score()) {
      result.set_score(assessment.effective_overall_score());
    }
    result.set_grade(analysis.grade());
    result.set_passed(analysis.passed());
    for (const v1::IndicatorResult& weakness : analysis.weaknesses()) {
      result.add_weaknesses(absl::StrCat(weakness.number()));
      for (const v1::Item& item : framework.items()) {
        if (item.indicator() == weakness.number()) {
          result.add_weaknesses(item.code());
        }
      }
    }
  }

  // ------------------------------------------------------------- analytics

  // Reads `M` through Redis under `version`, computing it at most once per
  // key at a time in this process; correct (and uncached) with Redis down.
  template <typename M>
  absl::StatusOr<M> Cached(CallContext& call, absl::string_view what,
                           absl::string_view version,
                           absl::FunctionRef<absl::StatusOr<M>()> compute) {
    return cache::GetOrLoadVersionedMessage<M>(
        call.worker.NearCache(), call.worker.Redis(),
        cache::VersionedKey("ita", kCacheVersion,
                            absl::StrCat(what, "@", version)),
        kCacheTtl, compute, &flight_, call.deadline);
  }

  // The analysis of an assessment that has scores, from the store.
  absl::StatusOr<v1::AgencyAnalysis> ComputeAnalysis(
      Connection& db, const AssessmentName& name, absl::string_view name_text,
      double threshold, int items) {
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Assessment current,
        ita::GetAssessment(db, name.organization, name.be_year));
    if (!EffectiveScores(current).has_overall()) {
      return absl::FailedPreconditionError(
          absl::StrCat(name_text,
                       " has no scores yet; ingest the published "
                       "summary or raw answers first"));
    }
    PRONGSAI_ASSIGN_OR_RETURN(v1::Framework framework,
                              PinnedFramework(db, *defaults_, current));
    PRONGSAI_ASSIGN_OR_RETURN(
        std::optional<v1::Assessment> previous,
        PreviousAssessment(db, name.organization, name.be_year));
    return Analyze(framework, current,
                   previous.has_value() ? &*previous : nullptr, threshold,
                   items);
  }

  // The analysis without the plan target (which lives in another service
  // and is asked for on every call).
  absl::StatusOr<AnalyzedAssessment> CoreAnalysis(
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
    PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                              OrganizationVersion(*db, name.organization));
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::AgencyAnalysis analysis,
        Cached<v1::AgencyAnalysis>(
            call,
            absl::StrCat("analysis/", name_text, "/", ExactNumber(threshold),
                         "/", items),
            version, [&]() -> absl::StatusOr<v1::AgencyAnalysis> {
              return ComputeAnalysis(*db, name, name_text, threshold, items);
            }));
    return AnalyzedAssessment{.name = std::move(name),
                              .analysis = std::move(analysis),
                              .assessment = {}};
  }

  // The analysis with what the plan and complaint services say (asked on
  // every call: their data is not versioned here).
  absl::StatusOr<AnalyzedAssessment> FullAnalysis(
      CallContext& call, absl::string_view name,
      std::optional<double> threshold, int items) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AnalyzedAssessment analyzed,
        CoreAnalysis(call, "name", name, threshold, items));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    // The framework the figures were computed with, as in the analysis.
    PRONGSAI_ASSIGN_OR_RETURN(
        analyzed.assessment, ita::GetAssessment(*db, analyzed.name.organization,
                                                analyzed.analysis.be_year()));
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework framework,
        PinnedFramework(*db, *defaults_, analyzed.assessment));
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Framework current,
        CurrentFramework(*db, *defaults_, analyzed.analysis.be_year()));
    if (current.version() > framework.version()) {
      analyzed.analysis.set_newer_framework(current.name());
    }
    AddPeerFigures(peers_, analyzed.name.organization, framework, call.now,
                   call.deadline, call.principal, analyzed.analysis);
    return analyzed;
  }

  absl::Status DoAdoptRecommendedMeasures(
      CallContext& call, const v1::AdoptRecommendedMeasuresRequest& request,
      v1::AdoptRecommendedMeasuresResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AnalyzedAssessment analyzed,
        CoreAnalysis(call, "name", request.name(),
                     OptionalThreshold(request.has_strength_threshold(),
                                       request.strength_threshold()),
                     0));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
                              Recommend(analyzed.analysis));
    // The analysis' own (canonical) name derives the request ids.
    response =
        AdoptMeasures(peers_, analyzed.name.organization,
                      analyzed.analysis.assessment(), measures, call.deadline);
    return absl::OkStatus();
  }

  absl::Status DoAnalyzeAssessment(CallContext& call,
                                   const v1::AnalyzeAssessmentRequest& request,
                                   v1::AgencyAnalysis& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AnalyzedAssessment analyzed,
        FullAnalysis(call, request.name(),
                     OptionalThreshold(request.has_strength_threshold(),
                                       request.strength_threshold()),
                     request.items_per_tool()));
    response = std::move(analyzed.analysis);
    return absl::OkStatus();
  }

  absl::Status DoRecommendMeasures(CallContext& call,
                                   const v1::RecommendMeasuresRequest& request,
                                   v1::RecommendMeasuresResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        AnalyzedAssessment analyzed,
        CoreAnalysis(call, "name", request.name(),
                     OptionalThreshold(request.has_strength_threshold(),
                                       request.strength_threshold()),
                     0));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
                              Recommend(analyzed.analysis));
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
    PRONGSAI_ASSIGN_OR_RETURN(
        response, Cached<v1::PeerAnalytics>(
                      call,
                      absl::StrCat("peers/", request.name(), "/", group, "/",
                                   ExactNumber(threshold)),
                      version, [&]() -> absl::StatusOr<v1::PeerAnalytics> {
                        return ComputePeers(*db, name, request.name(), group,
                                            threshold);
                      }));
    return absl::OkStatus();
  }

  // The year's rows in one query; everything else in memory.
  absl::StatusOr<v1::PeerAnalytics> ComputePeers(Connection& db,
                                                 const AssessmentName& name,
                                                 absl::string_view name_text,
                                                 v1::PeerGroup group,
                                                 double threshold) {
    PRONGSAI_ASSIGN_OR_RETURN(v1::Framework framework,
                              CurrentFramework(db, *defaults_, name.be_year));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<PeerRow> rows,
                              YearRows(db, name.be_year));
    absl::StatusOr<v1::PeerAnalytics> peers = ComputePeerAnalytics(
        rows, name.organization, group, framework, threshold);
    if (absl::IsNotFound(peers.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat(name_text, " has no scores yet; ingest them first"));
    }
    if (peers.ok()) peers->set_assessment(std::string(name_text));
    return peers;
  }

  absl::Status DoGetTrend(CallContext& call, const v1::GetTrendRequest& request,
                          v1::Trend& response) {
    PRONGSAI_ASSIGN_OR_RETURN(TrendFilter filter, TrendFilterOf(call, request));
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::string version, YearVersion(*db, 0));
    PRONGSAI_ASSIGN_OR_RETURN(
        response, Cached<v1::Trend>(call, TrendKey(filter), version,
                                    [&]() -> absl::StatusOr<v1::Trend> {
                                      return ComputeTrendOf(*db, filter);
                                    }));
    return absl::OkStatus();
  }

  // Each scored year of the filter's span, read one year at a time.
  absl::StatusOr<v1::Trend> ComputeTrendOf(Connection& db,
                                           const TrendFilter& filter) {
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<int> years, ScoredYears(db));
    TrendSeries series(filter);
    for (int year : years) {
      if (!series.Wants(year)) continue;
      PRONGSAI_ASSIGN_OR_RETURN(v1::Framework framework,
                                CurrentFramework(db, *defaults_, year));
      PRONGSAI_ASSIGN_OR_RETURN(std::vector<PeerRow> rows, YearRows(db, year));
      series.Add(year, framework, std::move(rows));
    }
    return series.Compute();
  }

  absl::Status DoRenderReport(CallContext& call,
                              const v1::RenderReportRequest& request,
                              v1::RenderedReport& response) {
    if (!v1::ReportFormat_IsValid(request.format())) {
      return InvalidField("format", "is not a known format");
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        AnalyzedAssessment analyzed,
        FullAnalysis(call, request.name(), std::nullopt, 0));
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
                              Recommend(analyzed.analysis));
    response = ita::RenderReport(
        analyzed.assessment, analyzed.analysis, measures,
        request.format() == v1::REPORT_FORMAT_UNSPECIFIED ? v1::MARKDOWN
                                                          : request.format());
    return absl::OkStatus();
  }

  server::ServiceRuntime& runtime_;
  const std::shared_ptr<const DefaultFrameworkMap> defaults_;
  const Peers peers_;
  cache::SingleFlight flight_;
};

#undef PRONGSAI_ITA_METHODS

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
