// Browser sessions of staff accounts. A page signs in with a login and a
// password (and a TOTP code); the plan service's AccountService checks them
// and opens a session with two tokens, which the gateway keeps in HttpOnly
// cookies so that no script of the page (nor an injected one) can read them:
//
//   prongsai_session  the session's secret: refreshes and ends the session
//   prongsai_access   the short-lived signed access token every service
//                     verifies itself
//
// On `/v1` calls without an Authorization header the access cookie becomes
// the bearer token; when a service answers UNAUTHENTICATED (the access token
// expired) the gateway refreshes it once with the session cookie and repeats
// the call, which the services refused before doing anything. Every
// authorization decision stays with the services: the gateway holds no
// session state, so replicas need nothing shared.
//
// CSRF: cookies are SameSite=Strict, and a request that authenticates with
// them must carry `X-Prongsai-Csrf: 1`, a header a cross-site form cannot
// send and a cross-site script cannot add without a CORS preflight, which
// the gateway never grants.
//
//   POST /auth/signIn   {"login", "password", "totp_code"} -> {"account", ...}
//   GET  /auth/session  {"account", ...} of the signed-in person, or {}
//   POST /auth/signOut  ends the session, clears the cookies
#ifndef PRONGSAI_GATEWAY_WEB_SESSION_H_
#define PRONGSAI_GATEWAY_WEB_SESSION_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/backends.h"
#include "gateway/http_types.h"
#include "prongsai/plan/v1/accounts.pb.h"

namespace prongsai::gateway {

inline constexpr absl::string_view kCsrfHeader = "x-prongsai-csrf";

// The session cookies a request carries.
struct SessionCookies {
  std::string session_token;
  std::string access_token;

  bool empty() const { return session_token.empty() && access_token.empty(); }
};

SessionCookies SessionCookiesOf(const HttpRequest& request);

struct WebSessionOptions {
  // Adds `Secure` to the cookies: set when the pages are served over HTTPS
  // (by the gateway or a proxy in front of it).
  bool secure_cookies = false;
};

class WebSessions {
 public:
  // `backends` must outlive this and reach prongsai.plan.v1.AccountService.
  WebSessions(const Backends& backends, WebSessionOptions options);

  // `/auth/<subpath>`. `metadata` is the request's, without authorization.
  HttpResponse Handle(const HttpRequest& request, absl::string_view subpath,
                      CallMetadata metadata) const;

  // A new access token for the session behind `session_token`, with the
  // Set-Cookie header that stores it; nullopt when the session has ended.
  struct Refreshed {
    std::string access_token;
    std::pair<std::string, std::string> set_cookie;
  };
  std::optional<Refreshed> Refresh(const std::string& session_token,
                                   CallMetadata metadata) const;

  // The Set-Cookie headers that remove both cookies.
  std::vector<std::pair<std::string, std::string>> ClearCookies() const;

 private:
  HttpResponse SignIn(const HttpRequest& request, CallMetadata metadata) const;
  HttpResponse Current(const HttpRequest& request, CallMetadata metadata) const;
  HttpResponse SignOut(const HttpRequest& request,
                       const CallMetadata& metadata) const;
  // The account `session` is of, as the pages receive it, with the access
  // cookie of the session's (new) access token.
  HttpResponse AccountAnswer(const plan::v1::Session& session,
                             CallMetadata metadata) const;
  std::pair<std::string, std::string> Cookie(absl::string_view name,
                                             absl::string_view value,
                                             int64_t max_age_seconds) const;

  const Backends& backends_;
  const WebSessionOptions options_;
};

// Whether a request that authenticates with cookies proved it comes from
// the pages (the CSRF header above).
bool HasCsrfHeader(const HttpRequest& request);

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_WEB_SESSION_H_
