// What every List handler of a collection under an organization starts and
// ends with (https://google.aip.dev/132): the organization of `parent`, the
// caller's right to it, the validated page, the worker's database, and at
// the end the items moved into the response with its next page token.
//
//   PRONGSAI_ASSIGN_OR_RETURN(ListScope scope, StartList(call, request));
//   PRONGSAI_ASSIGN_OR_RETURN(api::Page<v1::ActionPlan> plans,
//       ListActionPlans(*scope.db, scope.organization, scope.page));
//   FinishList(plans.items, plans.next_cursor, request,
//              response.mutable_action_plans(), response);
#ifndef PRONGSAI_COMMON_SERVER_LIST_SCOPE_H_
#define PRONGSAI_COMMON_SERVER_LIST_SCOPE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/server/service_runtime.h"
#include "common/storage/storage.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace prongsai::server {

struct ListScope {
  std::string organization;
  PageRequest page;
  storage::Connection* db = nullptr;
};

// `Request` has AIP's parent, page_size and page_token fields.
template <typename Request>
absl::StatusOr<ListScope> StartList(CallContext& call, const Request& request) {
  ListScope scope;
  PRONGSAI_ASSIGN_OR_RETURN(
      scope.organization, ParseOrganizationParent("parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(scope.organization));
  PRONGSAI_ASSIGN_OR_RETURN(
      scope.page, ParsePageRequest(request.page_size(), request.page_token(),
                                   request.parent()));
  PRONGSAI_ASSIGN_OR_RETURN(scope.db, call.worker.Db());
  return scope;
}

// Moves `items` into `out` and, when `next_cursor` is set, gives `response`
// the token that resumes after it, bound to `scope` (the parent and any
// filter, so that it cannot resume another listing).
template <typename Item, typename Response>
void FinishPage(std::vector<Item>& items, absl::string_view next_cursor,
                absl::string_view scope,
                google::protobuf::RepeatedPtrField<Item>* out,
                Response& response) {
  for (Item& item : items) *out->Add() = std::move(item);
  if (!next_cursor.empty()) {
    response.set_next_page_token(MakePageToken(scope, next_cursor));
  }
}

// FinishPage for a listing scoped by the request's parent alone.
template <typename Item, typename Request, typename Response>
void FinishList(std::vector<Item>& items, absl::string_view next_cursor,
                const Request& request,
                google::protobuf::RepeatedPtrField<Item>* out,
                Response& response) {
  FinishPage(items, next_cursor, request.parent(), out, response);
}

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_LIST_SCOPE_H_
