// The gateway's own view of an HTTP exchange, apart from the server library:
// the routing, transcoding and Open311 code work on these, so they are tested
// without a socket, and only gateway_server.cc knows cpp-httplib.
#ifndef PRONGSAI_GATEWAY_HTTP_TYPES_H_
#define PRONGSAI_GATEWAY_HTTP_TYPES_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace prongsai::gateway {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, without the query
  // Query parameters in order, decoded; a name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  // Header names in lower case.
  std::multimap<std::string, std::string> headers;
  std::string body;
  // The caller as the gateway sees it: the TCP peer, or the client a
  // trusted proxy names ("192.0.2.1", "2001:db8::/64").
  std::string client_address;

  // The first value of a header (lower-case name), or "".
  std::string Header(absl::string_view name) const;
  // Every value of a query parameter, in order.
  std::vector<std::string> QueryValues(absl::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// "application/x-www-form-urlencoded" decoding: name=value pairs split on
// '&', '+' as space, %XX escapes; a malformed escape is kept as written.
std::vector<std::pair<std::string, std::string>> ParseFormEncoded(
    absl::string_view text);

// Whether a body of this Content-Type is JSON: "application/json" with any
// parameters, or no Content-Type at all.
bool IsJson(absl::string_view content_type);

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_HTTP_TYPES_H_
