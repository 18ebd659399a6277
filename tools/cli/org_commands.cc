#include "tools/cli/org_commands.h"

#include <iostream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace cv1 = ::prongsai::common::v1;
namespace pv1 = ::prongsai::plan::v1;

using PlanClient = Client<pv1::PlanService>;
using Stub = PlanClient::Stub;

cv1::OrganizationKind OrganizationKind(const CliOptions& options) {
  static const auto* kinds = new std::map<std::string, cv1::OrganizationKind>{
      {"sao", cv1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
      {"municipality", cv1::MUNICIPALITY},
      {"pao", cv1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
      {"special", cv1::SPECIAL_LOCAL_GOVERNMENT}};
  auto kind = kinds->find(Require(options.org_kind, "org_kind"));
  if (kind == kinds->end()) {
    UsageError("--org_kind: sao | municipality | pao | special");
  }
  return kind->second;
}

void PrintOrganization(const pv1::Organization& organization) {
  const cv1::OrganizationRef& ref = organization.organization();
  PrintFields({{"name", organization.name()},
               {"thai name", ref.name()},
               {"kind", cv1::OrganizationKind_Name(ref.kind())},
               {"province", ref.province()},
               {"district", ref.district()}});
}

void PrintOrganizations(const pv1::ListOrganizationsResponse& list) {
  Table table({"CODE", "KIND", "PROVINCE", "NAME"});
  for (const pv1::Organization& organization : list.organizations()) {
    const cv1::OrganizationRef& ref = organization.organization();
    table.AddRow({ref.code(), cv1::OrganizationKind_Name(ref.kind()),
                  ref.province(), ref.name()});
  }
  std::cout << table.Render();
  PrintNextPage(list.next_page_token());
}

void PrintFound(const pv1::SearchOrganizationsResponse& found) {
  Table table({"CODE", "KIND", "PROVINCE", "DISTRICT", "NAME"});
  for (const cv1::OrganizationRef& ref : found.organizations()) {
    table.AddRow({ref.code(), cv1::OrganizationKind_Name(ref.kind()),
                  ref.province(), ref.district(), ref.name()});
  }
  std::cout << table.Render();
  PrintNextPage(found.next_page_token());
}

}  // namespace

int OrgCreate(const CliOptions& options, const Args& /*args*/) {
  PlanClient client(options, kPlanPort);
  const cv1::OrganizationKind kind = OrganizationKind(options);
  pv1::CreateOrganizationRequest request;
  cv1::OrganizationRef* ref =
      request.mutable_organization()->mutable_organization();
  *ref = OrganizationFromOptions(options);
  ref->set_code(Require(options.org, "org"));
  ref->set_kind(kind);
  return client.CallAndPrint(&Stub::CreateOrganization, request,
                             PrintOrganization);
}

int OrgGet(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::GetOrganizationRequest request;
  request.set_name(
      absl::StrCat("organizations/", Argument(args, "org get CODE")));
  return client.CallAndPrint(&Stub::GetOrganization, request,
                             PrintOrganization);
}

int OrgList(const CliOptions& options, const Args& /*args*/) {
  PlanClient client(options, kPlanPort);
  pv1::ListOrganizationsRequest request;
  request.set_province(options.province);
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::ListOrganizations, request,
                             PrintOrganizations);
}

// The public directory: works without --api_key.
int OrgSearch(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::SearchOrganizationsRequest request;
  request.set_query(Argument(args, "org search QUERY"));
  request.set_province(options.province);
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::SearchOrganizations, request, PrintFound);
}

}  // namespace prongsai::cli
