#include "services/plan/oversight_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/client/peer.h"
#include "common/render/csv.h"
#include "common/server/method_list.h"
#include "common/thai/thai.h"
#include "prongsai/plan/v1/oversight.grpc.pb.h"
#include "services/plan/oversight_domain.h"
#include "services/plan/oversight_store.h"
#include "services/plan/plan_peers.h"
#include "services/plan/plan_store.h"

namespace prongsai::plan {
namespace {

using server::CallContext;
using storage::Connection;

constexpr absl::Duration kCacheTtl = absl::Minutes(10);
constexpr int kMaxStandingsPage = 500;
// A batch of 1,000 organizations is one query in the peer, but more work
// than a single read: more than the default 2 s per attempt.
constexpr absl::Duration kBatchTimeout = absl::Seconds(10);

// FNV-1a over `parts`, as hex: stable across processes and builds, which a
// cache key needs.
class StableDigest {
 public:
  void Add(absl::string_view text) {
    for (unsigned char c : text) {
      hash_ ^= c;
      hash_ *= 1099511628211ull;
    }
    hash_ ^= 0xff;  // a separator no UTF-8 text holds
    hash_ *= 1099511628211ull;
  }
  std::string Hex() const {
    return absl::StrCat(absl::Hex(hash_, absl::kZeroPad16));
  }

 private:
  uint64_t hash_ = 14695981039346656037ull;
};

// A validated StandingQuery and the caller's share of it.
struct ParsedQuery {
  StandingGroup group;
  std::vector<StandingOrder> order;
  // Corruption reports count only for callers who may read them.
  bool general_only = true;
  // What a page token is bound to.
  std::string scope;
};

bool MayReadCorruptionReports(const auth::Principal& caller) {
  return caller.HasRole(common::v1::SYSTEM) ||
         caller.HasRole(common::v1::AUDITOR);
}

absl::StatusOr<ParsedQuery> ParseQuery(const CallContext& call,
                                       const v1::StandingQuery& query) {
  ParsedQuery parsed;
  StandingGroup& group = parsed.group;
  group.be_year = query.fiscal_year().be_year();
  PRONGSAI_RETURN_IF_ERROR(
      api::ValidateFiscalYear("query.fiscal_year.be_year", group.be_year));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("query.province", query.province(), 100, false));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("query.district", query.district(), 100, false));
  if (!query.district().empty() && query.province().empty()) {
    return InvalidField("query.district",
                        "needs query.province (district names repeat across "
                        "provinces)");
  }
  if (!common::v1::OrganizationKind_IsValid(query.kind())) {
    return InvalidField("query.kind", "is not a known kind");
  }
  group.province = query.province();
  group.district = query.district();
  group.kind = query.kind();
  PRONGSAI_ASSIGN_OR_RETURN(parsed.order, ParseStandingOrder(query.order_by()));
  // A key or account that names organizations sees only those.
  group.all_organizations = call.principal.all_organizations();
  if (!group.all_organizations) {
    group.organizations = call.principal.organizations();
    std::sort(group.organizations.begin(), group.organizations.end());
  }
  parsed.general_only = !MayReadCorruptionReports(call.principal);
  parsed.scope = absl::StrCat(
      "standings?", group.be_year, "&", group.province, "&", group.district,
      "&", group.kind, "&", FormatStandingOrder(parsed.order), "&",
      group.all_organizations ? "*" : call.principal.name());
  return parsed;
}

// The whole group, ordered, with its totals and what is missing.
struct Standings {
  std::vector<v1::OrganizationStanding> standings;
  v1::StandingTotals totals;
  std::vector<std::string> missing;
};

v1::ItaStanding ItaOf(const ita::v1::AssessmentResult* result) {
  v1::ItaStanding ita;
  if (result == nullptr) return ita;
  ita.set_assessment(result->assessment());
  if (result->has_score()) ita.set_score(result->score());
  ita.set_grade(result->grade());
  return ita;
}

v1::ComplaintStanding ComplaintsOf(
    const complaint::v1::OrganizationComplaintHandling* handling,
    bool general_only) {
  v1::ComplaintStanding out;
  out.set_general_only(general_only);
  if (handling == nullptr) return out;
  out.set_received(handling->received());
  out.set_open(handling->open());
  out.set_overdue(handling->overdue());
  if (handling->has_percent_resolved_within_sla()) {
    out.set_percent_resolved_within_sla(
        handling->percent_resolved_within_sla());
  }
  if (handling->has_percent_satisfied()) {
    out.set_percent_satisfied(handling->percent_satisfied());
  }
  return out;
}

template <typename M>
const M* Find(const absl::flat_hash_map<std::string, M>& map,
              const std::string& key) {
  auto found = map.find(key);
  return found == map.end() ? nullptr : &found->second;
}

using GrpcService = v1::OversightService;
#define PRONGSAI_OVERSIGHT_METHODS(UNARY, STREAM)                        \
  UNARY(ListOrganizationStandings, ListOrganizationStandingsRequest,     \
        ListOrganizationStandingsResponse)                               \
  UNARY(ExportOrganizationStandings, ExportOrganizationStandingsRequest, \
        ExportedDocument)

using OversightRawService =
    server::RawCallbackService<GrpcService::Service PRONGSAI_OVERSIGHT_METHODS(
        PRONGSAI_RAW_METHOD, PRONGSAI_RAW_METHOD)>;

class OversightGrpcService final : public OversightRawService {
 public:
  OversightGrpcService(server::ServiceRuntime& runtime,
                       const OversightOptions& options)
      : runtime_(runtime),
        complaints_(PeerOptions("complaint service", options.complaint_address,
                                options.complaint_api_key,
                                options.peer_credentials)),
        ita_(PeerOptions("ITA service", options.ita_address,
                         options.ita_api_key, options.peer_credentials)) {}

  PRONGSAI_OVERSIGHT_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)

 private:
  static client::PeerOptions PeerOptions(
      std::string name, std::string address, std::string key,
      std::shared_ptr<grpc::ChannelCredentials> credentials) {
    client::PeerOptions options =
        client::PeerOptions::Of(std::move(name), std::move(address),
                                std::move(key), std::move(credentials));
    options.timeout = kBatchTimeout;
    return options;
  }

  absl::Status DoListOrganizationStandings(
      CallContext& call, const v1::ListOrganizationStandingsRequest& request,
      v1::ListOrganizationStandingsResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(ParsedQuery query,
                              ParseQuery(call, request.query()));
    if (request.page_size() < 0) {
      return InvalidField("page_size", "must not be negative");
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        PageRequest page,
        ParsePageRequest(std::min(request.page_size(), kMaxStandingsPage),
                         request.page_token(), query.scope));
    size_t offset = 0;
    if (!page.cursor.empty() && !absl::SimpleAtoi(page.cursor, &offset)) {
      return InvalidField("page_token", "is not a token this service issued");
    }
    PRONGSAI_ASSIGN_OR_RETURN(Standings all, Build(call, query));
    response.set_total_size(static_cast<int32_t>(all.standings.size()));
    const size_t end = std::min(all.standings.size(),
                                offset + static_cast<size_t>(page.limit));
    for (size_t i = std::min(offset, end); i < end; ++i) {
      *response.add_standings() = std::move(all.standings[i]);
    }
    if (end < all.standings.size()) {
      response.set_next_page_token(
          MakePageToken(query.scope, absl::StrCat(end)));
    }
    *response.mutable_totals() = std::move(all.totals);
    for (std::string& sentence : all.missing) {
      response.add_missing(std::move(sentence));
    }
    return absl::OkStatus();
  }

  absl::Status DoExportOrganizationStandings(
      CallContext& call, const v1::ExportOrganizationStandingsRequest& request,
      v1::ExportedDocument& response) {
    PRONGSAI_ASSIGN_OR_RETURN(ParsedQuery query,
                              ParseQuery(call, request.query()));
    PRONGSAI_ASSIGN_OR_RETURN(Standings all, Build(call, query));
    response.set_content_type("text/csv; charset=utf-8");
    response.set_content(render::RenderCsv(
        StandingsDocument(query.group.be_year, all.standings, all.totals)));
    return absl::OkStatus();
  }

  // The ITA part and the previous year's weaknesses; `missing` says when
  // the ITA service did not answer.
  struct ItaParts {
    std::optional<absl::flat_hash_map<std::string, ita::v1::AssessmentResult>>
        year;
    absl::flat_hash_map<std::string, ita::v1::AssessmentResult> previous;
  };

  ItaParts AskIta(client::PeerCall& peers,
                  const std::vector<std::string>& codes, int be_year,
                  std::vector<std::string>& missing) const {
    ItaParts parts;
    auto year = BatchAssessmentResults(ita_, peers, codes, be_year);
    if (!year.ok()) {
      missing.push_back(absl::StrCat(
          "ita: ", year.status().message(),
          "; ITA figures and the previous year's weaknesses are absent"));
      return parts;
    }
    parts.year = *std::move(year);
    auto previous = BatchAssessmentResults(ita_, peers, codes, be_year - 1);
    if (!previous.ok()) {
      missing.push_back(
          absl::StrCat("ita: ", previous.status().message(),
                       "; measures_answering_weaknesses counts none"));
    } else {
      parts.previous = *std::move(previous);
    }
    return parts;
  }

  // The plan part of every member, cached under the members' plan data
  // versions, the quarter (lateness moves with it) and the weaknesses the
  // measures were matched against.
  absl::StatusOr<v1::ListOrganizationStandingsResponse> PlanPart(
      CallContext& call, Connection& db, const ParsedQuery& query,
      const std::vector<GroupMember>& members,
      const absl::flat_hash_map<std::string, ita::v1::AssessmentResult>&
          previous) {
    const thai::FiscalQuarter quarter = thai::FiscalQuarterOf(call.now);
    StableDigest versions;
    StableDigest weaknesses;
    for (const GroupMember& member : members) {
      versions.Add(member.organization.code());
      versions.Add(member.version);
      const ita::v1::AssessmentResult* result =
          Find(previous, member.organization.code());
      if (result == nullptr) continue;
      weaknesses.Add(member.organization.code());
      for (const std::string& weakness : result->weaknesses()) {
        weaknesses.Add(weakness);
      }
    }
    const std::string key = cache::VersionedKey(
        "plan", kCacheVersion,
        absl::StrCat("standings/", query.group.be_year, "/", quarter.be_year,
                     "q", quarter.quarter, "/", members.size(), "-",
                     versions.Hex(), "/", weaknesses.Hex()));
    return cache::GetOrLoadVersionedMessage<
        v1::ListOrganizationStandingsResponse>(
        call.worker.NearCache(), call.worker.Redis(), key, kCacheTtl,
        [&]() -> absl::StatusOr<v1::ListOrganizationStandingsResponse> {
          PRONGSAI_ASSIGN_OR_RETURN(auto facts,
                                    LoadPlanFacts(db, query.group, call.now));
          v1::ListOrganizationStandingsResponse part;
          const PlanFacts none;
          for (const GroupMember& member : members) {
            const std::string& code = member.organization.code();
            const PlanFacts* found = Find(facts, code);
            const ita::v1::AssessmentResult* result = Find(previous, code);
            std::vector<std::string> weak;
            if (result != nullptr) {
              weak.assign(result->weaknesses().begin(),
                          result->weaknesses().end());
            }
            v1::OrganizationStanding& standing = *part.add_standings();
            standing.mutable_organization()->set_code(code);
            *standing.mutable_plan() =
                FinishPlanStanding(found == nullptr ? none : *found, weak);
          }
          return part;
        });
  }

  absl::StatusOr<Standings> Build(CallContext& call, const ParsedQuery& query) {
    PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<GroupMember> members,
                              LoadGroup(*db, query.group));
    std::vector<std::string> codes;
    codes.reserve(members.size());
    for (const GroupMember& member : members) {
      codes.push_back(member.organization.code());
    }
    Standings out;
    // One per incoming call: each batch gets a share of the deadline, and
    // a peer that failed one batch is not asked for the others.
    client::PeerCall peers(call.deadline);
    ItaParts ita = AskIta(peers, codes, query.group.be_year, out.missing);
    auto complaints = BatchComplaintHandling(
        complaints_, peers, codes, query.group.be_year, query.general_only);
    if (!complaints.ok()) {
      out.missing.push_back(
          absl::StrCat("complaints: ", complaints.status().message(),
                       "; complaint figures are absent"));
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::ListOrganizationStandingsResponse plan_part,
        PlanPart(call, *db, query, members, ita.previous));
    out.standings.reserve(members.size());
    for (size_t i = 0; i < members.size(); ++i) {
      v1::OrganizationStanding& standing = out.standings.emplace_back();
      const std::string& code = members[i].organization.code();
      *standing.mutable_organization() = members[i].organization;
      if (i < static_cast<size_t>(plan_part.standings_size()) &&
          plan_part.standings(static_cast<int>(i)).organization().code() ==
              code) {
        *standing.mutable_plan() = std::move(
            *plan_part.mutable_standings(static_cast<int>(i))->mutable_plan());
      }
      if (ita.year.has_value()) {
        *standing.mutable_ita() = ItaOf(Find(*ita.year, code));
      }
      if (complaints.ok()) {
        *standing.mutable_complaints() =
            ComplaintsOf(Find(*complaints, code), query.general_only);
      }
    }
    RankByItaScore(out.standings);
    SortStandings(query.order, out.standings);
    out.totals = ComputeStandingTotals(out.standings);
    return out;
  }

  server::ServiceRuntime& runtime_;
  const client::Peer complaints_;
  const client::Peer ita_;
};

#undef PRONGSAI_OVERSIGHT_METHODS

}  // namespace

server::AdditionalService OversightServiceDefinition(OversightOptions options) {
  return {std::string(v1::OversightService::service_full_name()),
          [options = std::move(options)](server::ServiceRuntime& runtime) {
            return std::make_unique<OversightGrpcService>(runtime, options);
          }};
}

}  // namespace prongsai::plan
