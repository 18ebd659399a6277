#include "gateway/web_session.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gateway/gateway_handler.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "prongsai/plan/v1/accounts.pb.h"

namespace prongsai::gateway {
namespace {

namespace v1 = ::prongsai::plan::v1;

constexpr absl::string_view kSessionCookie = "prongsai_session";
constexpr absl::string_view kAccessCookie = "prongsai_access";
constexpr absl::string_view kAccountService =
    "/prongsai.plan.v1.AccountService/";

std::string MethodPath(absl::string_view method) {
  return absl::StrCat(kAccountService, method);
}

// `accounts/{login}` of a session named `accounts/{login}/sessions/{id}`.
std::string AccountOf(absl::string_view session_name) {
  const size_t sessions = session_name.find("/sessions/");
  return std::string(session_name.substr(0, sessions));
}

int64_t SecondsUntil(const google::protobuf::Timestamp& when) {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  return std::max<int64_t>(0, when.seconds() - now);
}

std::string JsonOf(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options)
           .ok()) {
    return "{}";
  }
  return json;
}

HttpResponse StatusResponse(const grpc::Status& status) {
  return ErrorResponse(status.error_code(), status.error_message());
}

}  // namespace

SessionCookies SessionCookiesOf(const HttpRequest& request) {
  SessionCookies cookies;
  for (auto [it, end] = request.headers.equal_range("cookie"); it != end;
       ++it) {
    for (absl::string_view pair : absl::StrSplit(it->second, ';')) {
      pair = absl::StripAsciiWhitespace(pair);
      const size_t equals = pair.find('=');
      if (equals == absl::string_view::npos) continue;
      const absl::string_view name = pair.substr(0, equals);
      const absl::string_view value = pair.substr(equals + 1);
      if (name == kSessionCookie) cookies.session_token = std::string(value);
      if (name == kAccessCookie) cookies.access_token = std::string(value);
    }
  }
  return cookies;
}

bool HasCsrfHeader(const HttpRequest& request) {
  return request.Header(kCsrfHeader) == "1";
}

WebSessions::WebSessions(const Backends& backends, WebSessionOptions options)
    : backends_(backends), options_(options) {}

std::pair<std::string, std::string> WebSessions::Cookie(
    absl::string_view name, absl::string_view value,
    int64_t max_age_seconds) const {
  return {"Set-Cookie",
          absl::StrCat(name, "=", value, "; Path=/; Max-Age=", max_age_seconds,
                       "; HttpOnly; SameSite=Strict",
                       options_.secure_cookies ? "; Secure" : "")};
}

std::vector<std::pair<std::string, std::string>> WebSessions::ClearCookies()
    const {
  return {Cookie(kSessionCookie, "", 0), Cookie(kAccessCookie, "", 0)};
}

HttpResponse WebSessions::Handle(const HttpRequest& request,
                                 absl::string_view subpath,
                                 CallMetadata metadata) const {
  metadata.authorization.clear();
  const bool post = request.method == "POST";
  if ((subpath == "signIn" || subpath == "signOut") && !post) {
    HttpResponse response =
        ErrorResponse(grpc::StatusCode::UNIMPLEMENTED, "use POST");
    response.status = 405;
    response.headers.emplace_back("Allow", "POST");
    return response;
  }
  // Even signing in needs the header: otherwise another site could sign a
  // visitor in to an account of its choosing (login CSRF).
  if (!HasCsrfHeader(request)) {
    HttpResponse response = ErrorResponse(
        grpc::StatusCode::PERMISSION_DENIED,
        "x-prongsai-csrf: requests of the web pages must send the header "
        "\"X-Prongsai-Csrf: 1\"");
    return response;
  }
  if (subpath == "signIn") return SignIn(request, std::move(metadata));
  if (subpath == "signOut") return SignOut(request, metadata);
  if (subpath == "session" && request.method == "GET") {
    return Current(request, std::move(metadata));
  }
  return ErrorResponse(grpc::StatusCode::NOT_FOUND,
                       "no such page under /auth/ (signIn, session, signOut)");
}

HttpResponse WebSessions::SignIn(const HttpRequest& request,
                                 CallMetadata metadata) const {
  v1::SignInRequest sign_in;
  google::protobuf::util::JsonParseOptions parse;
  if (!IsJson(request.Header("content-type")) ||
      !google::protobuf::util::JsonStringToMessage(request.body, &sign_in,
                                                   parse)
           .ok()) {
    return ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                         "body: send {\"login\", \"password\", \"totp_code\"} "
                         "as application/json");
  }
  v1::Session session;
  if (grpc::Status status =
          backends_.Call(MethodPath("SignIn"), sign_in, &session, metadata);
      !status.ok()) {
    return StatusResponse(status);
  }
  HttpResponse response = AccountAnswer(session, std::move(metadata));
  if (response.status == 200) {
    response.headers.push_back(Cookie(kSessionCookie, session.session_token(),
                                      SecondsUntil(session.expire_time())));
  }
  return response;
}

HttpResponse WebSessions::AccountAnswer(const v1::Session& session,
                                        CallMetadata metadata) const {
  metadata.authorization = absl::StrCat("Bearer ", session.access_token());
  v1::GetAccountRequest get;
  get.set_name(AccountOf(session.name()));
  v1::Account account;
  if (grpc::Status status =
          backends_.Call(MethodPath("GetAccount"), get, &account, metadata);
      !status.ok()) {
    return StatusResponse(status);
  }
  HttpResponse response;
  response.body = absl::StrCat(
      "{\"account\":", JsonOf(account), ",\"password_must_change\":",
      session.password_must_change() ? "true" : "false", ",\"expire_time\":\"",
      google::protobuf::util::TimeUtil::ToString(session.expire_time()), "\"}");
  response.headers.push_back(Cookie(kAccessCookie, session.access_token(),
                                    SecondsUntil(session.expire_time())));
  return response;
}

std::optional<WebSessions::Refreshed> WebSessions::Refresh(
    const std::string& session_token, CallMetadata metadata) const {
  if (session_token.empty()) return std::nullopt;
  metadata.authorization.clear();
  v1::RefreshSessionRequest refresh;
  refresh.set_session_token(session_token);
  v1::Session session;
  if (!backends_.Call(MethodPath("RefreshSession"), refresh, &session, metadata)
           .ok()) {
    return std::nullopt;
  }
  return Refreshed{session.access_token(),
                   Cookie(kAccessCookie, session.access_token(),
                          SecondsUntil(session.expire_time()))};
}

HttpResponse WebSessions::Current(const HttpRequest& request,
                                  CallMetadata metadata) const {
  // Nobody signed in is an answer, not an error: `{}`.
  HttpResponse nobody;
  nobody.body = "{}";
  const SessionCookies cookies = SessionCookiesOf(request);
  if (cookies.session_token.empty()) return nobody;
  // Refreshing also says which account the session is of.
  v1::RefreshSessionRequest refresh;
  refresh.set_session_token(cookies.session_token);
  v1::Session session;
  if (!backends_.Call(MethodPath("RefreshSession"), refresh, &session, metadata)
           .ok()) {
    for (auto& header : ClearCookies()) nobody.headers.push_back(header);
    return nobody;
  }
  return AccountAnswer(session, std::move(metadata));
}

HttpResponse WebSessions::SignOut(const HttpRequest& request,
                                  const CallMetadata& metadata) const {
  const SessionCookies cookies = SessionCookiesOf(request);
  if (!cookies.session_token.empty()) {
    v1::EndSessionRequest end;
    end.set_session_token(cookies.session_token);
    v1::EndSessionResponse ended;
    // An unknown or ended session is signed out already.
    if (grpc::Status status =
            backends_.Call(MethodPath("EndSession"), end, &ended, metadata);
        !status.ok() &&
        status.error_code() != grpc::StatusCode::UNAUTHENTICATED) {
      return StatusResponse(status);
    }
  }
  HttpResponse response;
  response.body = "{}";
  for (auto& header : ClearCookies()) response.headers.push_back(header);
  return response;
}

}  // namespace prongsai::gateway
