// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the
// complaint service, for the reporting apps and CRMs that speak it. It maps;
// it decides nothing the complaint service does not already decide.
//
// Mapping:
//   jurisdiction_id      an organization's code (organizations/{code});
//                        required, as the endpoint serves every organization
//   service_code         a complaint category's id (…/categories/{id});
//                        every category is a "realtime" service
//   service_request_id   the complaint's resource id (…/complaints/{id}): a
//                        random public identifier, never the tracking code
//   status               open (RECEIVED…IN_PROGRESS) or closed (RESOLVED,
//                        CLOSED, REFERRED, REJECTED, WITHDRAWN); the finer
//                        state is in status_notes
//   expected_datetime    the complaint's due time (its category's SLA, or
//                        the date an explanation to the complainant set)
//   email, first_name, last_name, phone
//                        the complainant (stored sealed; never shown again)
//   attribute[...]       the complaint's fields GeoReport has none for
//                        (see kAttributes in open311.cc)
//
// What it never shows: corruption reports (Open311 files general complaints
// only, and every lookup filters on kind, whatever the lookup key may read),
// any identity, internal notes and workflow notes, the complainant's own
// additions, tracking codes (except once, to the filer, see PostRequest).
//
// Lookups (GET requests, requests/{id}, servicerequestupdates, and the
// jurisdiction check) are staff RPCs in the complaint API, so the gateway
// makes them with a key of its own, `lookup_api_key`: give it an AUDITOR key
// covering every organization ("*"), which reads and never writes. Without
// one those paths answer 503. Filing uses the caller's key (`api_key` in the
// form, or an Authorization header), or none: filing is public.
#ifndef PRONGSAI_GATEWAY_OPEN311_H_
#define PRONGSAI_GATEWAY_OPEN311_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/backends.h"
#include "gateway/http_types.h"

namespace prongsai::gateway {

struct Open311Options {
  // The gateway's own key for public lookups (see above); never the
  // caller's. Empty: lookups are unavailable.
  std::string lookup_api_key;
  // For discovery.{xml,json}: the endpoint's public URL
  // ("https://gateway.example.go.th/open311/v2"), how to reach the
  // operators, and how to get a key.
  std::string endpoint_url = "/open311/v2";
  std::string contact;
  std::string key_service;
  // Each backend call's deadline.
  absl::Duration call_timeout = absl::Seconds(10);
  // The clock for the search's default window; absl::Now when unset.
  std::function<absl::Time()> now;
};

class Open311 {
 public:
  explicit Open311(const Backends& backends, Open311Options options = {});

  // `subpath` is what follows "/open311/v2/" ("services.xml",
  // "requests/abc.json"). Never fails: errors are GeoReport error documents
  // with the HTTP status the spec gives (400 bad input, 403 key refused,
  // 404 unknown jurisdiction, service or request; 429 and 503 when the
  // service asks to retry).
  HttpResponse Handle(const HttpRequest& request,
                      absl::string_view subpath) const;

 private:
  const Backends& backends_;
  Open311Options options_;
};

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_OPEN311_H_
