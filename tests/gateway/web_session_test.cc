// The gateway's side of staff sessions that needs no service: reading the
// cookies, the CSRF rule, the methods, the cookies' attributes. Signing in
// through the real services is in tests/web/staff.test.mjs.
#include "gateway/web_session.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::gateway {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

HttpRequest Request(std::string method, bool csrf = true) {
  HttpRequest request;
  request.method = std::move(method);
  if (csrf) request.headers.emplace("x-prongsai-csrf", "1");
  return request;
}

std::vector<std::string> SetCookies(const HttpResponse& response) {
  std::vector<std::string> cookies;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") cookies.push_back(value);
  }
  return cookies;
}

TEST(SessionCookiesTest, ReadsBothCookiesAmongOthers) {
  HttpRequest request;
  request.headers.emplace("cookie", "theme=dark; prongsai_session=s3cr3t ;x=1");
  request.headers.emplace("cookie", "prongsai_access=pat_a.b");
  const SessionCookies cookies = SessionCookiesOf(request);
  EXPECT_EQ(cookies.session_token, "s3cr3t");
  EXPECT_EQ(cookies.access_token, "pat_a.b");
  EXPECT_FALSE(cookies.empty());
  EXPECT_TRUE(SessionCookiesOf(HttpRequest()).empty());
  // A look-alike name is not the cookie.
  HttpRequest look_alike;
  look_alike.headers.emplace("cookie",
                             "xprongsai_session=1; prongsai_sessionx=2");
  EXPECT_TRUE(SessionCookiesOf(look_alike).empty());
}

TEST(CsrfHeaderTest, OnlyTheExactValueCounts) {
  EXPECT_TRUE(HasCsrfHeader(Request("POST")));
  EXPECT_FALSE(HasCsrfHeader(Request("POST", /*csrf=*/false)));
  HttpRequest other = Request("POST", /*csrf=*/false);
  other.headers.emplace("x-prongsai-csrf", "true");
  EXPECT_FALSE(HasCsrfHeader(other));
}

class WebSessionsTest : public ::testing::Test {
 protected:
  // No service behind: every call that reaches one fails, so what passes
  // here was decided by the gateway alone.
  Backends backends_{
      absl::flat_hash_map<std::string,
                          std::vector<std::shared_ptr<grpc::Channel>>>()};
};

TEST_F(WebSessionsTest, WithoutTheCsrfHeaderNothingIsAsked) {
  WebSessions sessions(backends_, {});
  HttpRequest request = Request("POST", /*csrf=*/false);
  request.headers.emplace("content-type", "application/json");
  request.body = R"({"login":"somchai","password":"x"})";
  const HttpResponse response = sessions.Handle(request, "signIn", {});
  EXPECT_EQ(response.status, 403);
  EXPECT_THAT(response.body, HasSubstr("x-prongsai-csrf"));
  EXPECT_THAT(SetCookies(response), IsEmpty());
}

TEST_F(WebSessionsTest, SignInIsAPostOfJson) {
  WebSessions sessions(backends_, {});
  const HttpResponse get = sessions.Handle(Request("GET"), "signIn", {});
  EXPECT_EQ(get.status, 405);
  EXPECT_THAT(get.headers, Contains(Pair("Allow", "POST")));

  HttpRequest form = Request("POST");
  form.headers.emplace("content-type", "application/x-www-form-urlencoded");
  form.body = "login=somchai&password=x";
  EXPECT_EQ(sessions.Handle(form, "signIn", {}).status, 400);

  HttpRequest unknown_field = Request("POST");
  unknown_field.body = R"({"login":"somchai","pasword":"x"})";
  EXPECT_EQ(sessions.Handle(unknown_field, "signIn", {}).status, 400);

  EXPECT_EQ(sessions.Handle(Request("GET"), "elsewhere", {}).status, 404);
}

TEST_F(WebSessionsTest, NobodySignedInIsAnAnswer) {
  WebSessions sessions(backends_, {});
  const HttpResponse response = sessions.Handle(Request("GET"), "session", {});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{}");
}

TEST_F(WebSessionsTest, SigningOutClearsBothCookies) {
  WebSessions sessions(backends_, {});
  const HttpResponse response = sessions.Handle(Request("POST"), "signOut", {});
  EXPECT_EQ(response.status, 200);
  const std::vector<std::string> cookies = SetCookies(response);
  ASSERT_EQ(cookies.size(), 2);
  for (const std::string& cookie : cookies) {
    EXPECT_THAT(cookie,
                AllOf(HasSubstr("=; Path=/; Max-Age=0"), HasSubstr("HttpOnly"),
                      HasSubstr("SameSite=Strict"), Not(HasSubstr("Secure"))));
  }
}

TEST_F(WebSessionsTest, SecureCookiesWhenServedOverHttps) {
  WebSessions sessions(backends_, {.secure_cookies = true});
  for (const auto& [name, cookie] : sessions.ClearCookies()) {
    EXPECT_EQ(name, "Set-Cookie");
    EXPECT_TRUE(absl::EndsWith(cookie, "; Secure")) << cookie;
  }
}

TEST_F(WebSessionsTest, AnEndedSessionDoesNotRefresh) {
  WebSessions sessions(backends_, {});
  EXPECT_FALSE(sessions.Refresh("", {}).has_value());
  // The plan service cannot be reached: no new token either.
  EXPECT_FALSE(sessions.Refresh("some-session", {}).has_value());
}

}  // namespace
}  // namespace prongsai::gateway
