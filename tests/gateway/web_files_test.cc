// The web application's files against a real directory: which path names
// which file, what is refused (traversal, dot-files, links out of the root),
// the single-page app's fallback to index.html, content types, caching and
// conditional requests.
#include "gateway/web_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace std::string_literals;  // NOLINT(build/namespaces)

constexpr absl::string_view kIndex = "<!doctype html><html lang=\"th\"></html>";
constexpr absl::string_view kImmutable = "public, max-age=31536000, immutable";

void WriteFile(const std::string& path, absl::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string HeaderOf(const HttpResponse& response, absl::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

HttpRequest Request(absl::string_view method, absl::string_view path) {
  HttpRequest request;
  request.method = std::string(method);
  request.path = std::string(path);
  return request;
}

// A built app: <scratch>/web/{index.html, favicon.ico, robots.txt,
// assets/app-1a2b.js, assets/app-1a2b.css, .env}, and next to it (outside
// the root) <scratch>/secret.txt, with links to both inside the root.
class WebFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeScratchDir();
    root_ = absl::StrCat(scratch_, "/web");
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir(absl::StrCat(root_, "/assets").c_str(), 0755), 0);
    ASSERT_NO_FATAL_FAILURE(
        WriteFile(absl::StrCat(root_, "/index.html"), kIndex));
    ASSERT_NO_FATAL_FAILURE(
        WriteFile(absl::StrCat(root_, "/assets/app-1a2b.js"), "export {};\n"));
    ASSERT_NO_FATAL_FAILURE(
        WriteFile(absl::StrCat(root_, "/assets/app-1a2b.css"), "body{}\n"));
    ASSERT_NO_FATAL_FAILURE(
        WriteFile(absl::StrCat(root_, "/robots.txt"), "User-agent: *\n"));
    ASSERT_NO_FATAL_FAILURE(
        WriteFile(absl::StrCat(root_, "/.env"), "SECRET=inside\n"));
    ASSERT_NO_FATAL_FAILURE(
        WriteFile(absl::StrCat(scratch_, "/secret.txt"), "outside\n"));
    ASSERT_EQ(
        symlink("../secret.txt", absl::StrCat(root_, "/leak.txt").c_str()), 0);
    ASSERT_EQ(symlink(scratch_.c_str(), absl::StrCat(root_, "/up").c_str()), 0);
    ASSERT_EQ(symlink(".env", absl::StrCat(root_, "/env.txt").c_str()), 0);
    ASSERT_EQ(symlink("assets/app-1a2b.js",
                      absl::StrCat(root_, "/latest.js").c_str()),
              0);
    absl::StatusOr<WebFiles> files = WebFiles::Open(root_, 1024);
    ASSERT_TRUE(files.ok()) << files.status();
    files_.emplace(*std::move(files));
  }

  const WebFiles& files() const { return *files_; }

  // The file `path` resolves to, relative to the root, or "(refused)".
  std::string ResolvedFile(absl::string_view path) const {
    absl::StatusOr<WebFile> file = files().Resolve(path);
    if (!file.ok()) {
      EXPECT_EQ(file.status().code(), absl::StatusCode::kNotFound);
      return "(refused)";
    }
    absl::string_view relative = file->file_path;
    EXPECT_TRUE(absl::ConsumePrefix(&relative, files().root()))
        << file->file_path;
    return absl::StrCat(relative, file->app_route ? " (app route)" : "");
  }

  std::string scratch_;
  std::string root_;
  std::optional<WebFiles> files_;
};

TEST_F(WebFilesTest, OpenNeedsADirectoryWithIndexHtml) {
  EXPECT_FALSE(WebFiles::Open("").ok());
  const absl::StatusOr<WebFiles> missing =
      WebFiles::Open(absl::StrCat(scratch_, "/nothing-here"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("not a directory"));
  const absl::StatusOr<WebFiles> a_file =
      WebFiles::Open(absl::StrCat(scratch_, "/secret.txt"));
  EXPECT_FALSE(a_file.ok());
  const absl::StatusOr<WebFiles> no_index =
      WebFiles::Open(absl::StrCat(root_, "/assets"));
  ASSERT_FALSE(no_index.ok());
  EXPECT_THAT(no_index.status().message(), HasSubstr("index.html"));
  // The root is kept canonical.
  const absl::StatusOr<WebFiles> through_link =
      WebFiles::Open(absl::StrCat(scratch_, "/web/assets/../"));
  ASSERT_TRUE(through_link.ok()) << through_link.status();
  EXPECT_EQ(through_link->root(), files().root());
}

TEST_F(WebFilesTest, FilesUnderTheRootAreServedAndAppRoutesGetIndexHtml) {
  EXPECT_EQ(ResolvedFile("/"), "/index.html (app route)");
  EXPECT_EQ(ResolvedFile("/index.html"), "/index.html");
  EXPECT_EQ(ResolvedFile("/robots.txt"), "/robots.txt");
  EXPECT_EQ(ResolvedFile("/assets/app-1a2b.js"), "/assets/app-1a2b.js");
  EXPECT_EQ(ResolvedFile("//assets//app-1a2b.js"), "/assets/app-1a2b.js");
  // A link that stays inside the root is its target.
  EXPECT_EQ(ResolvedFile("/latest.js"), "/assets/app-1a2b.js");
  // Routes of the single-page app: no extension, no such file.
  EXPECT_EQ(ResolvedFile("/track"), "/index.html (app route)");
  EXPECT_EQ(ResolvedFile("/complaints/new"), "/index.html (app route)");
  EXPECT_EQ(ResolvedFile("/statistics/"), "/index.html (app route)");
  // A directory is no file.
  EXPECT_EQ(ResolvedFile("/assets"), "/index.html (app route)");
  EXPECT_EQ(ResolvedFile("/assets/"), "/index.html (app route)");
  // A missing file with an extension is missing, not the app.
  EXPECT_EQ(ResolvedFile("/missing.js"), "(refused)");
  EXPECT_EQ(ResolvedFile("/assets/app-0000.js"), "(refused)");
}

TEST_F(WebFilesTest, TraversalDotFilesAndLinksOutOfTheRootAreRefused) {
  for (const std::string& path :
       {"/../secret.txt"s, "/assets/../../secret.txt"s, "/.."s,
        "/./index.html"s, "/assets/./app-1a2b.js"s, "/.env"s,
        "/assets/.hidden"s,
        // Still encoded after the server's decoding: a second decoding
        // must not be able to turn it into a traversal.
        "/%2e%2e/secret.txt"s, "/%2E%2E/secret.txt"s, "/assets/%2e%2e"s,
        "/index%2ehtml"s, "/..%2fsecret.txt"s, "/%252e%252e/secret.txt"s,
        // Windows separators, NUL and control characters.
        "/..\\secret.txt"s, "/assets\\app-1a2b.js"s, "/index.html\0.png"s,
        "/track\0"s, "/tr\nack"s, "/track\x7f"s,
        // Links out of the root, and to a dot-file inside it.
        "/leak.txt"s, "/up/secret.txt"s, "/env.txt"s,
        // Not a path at all.
        ""s, "index.html"s}) {
    EXPECT_EQ(ResolvedFile(path), "(refused)")
        << "path " << absl::CHexEscape(path);
  }
  // Links are judged by where they lead: back into the root is fine.
  EXPECT_EQ(ResolvedFile("/up/web/robots.txt"), "/robots.txt");
  // A link out of the root names no file here, so an extension-less one is
  // just a route of the app.
  EXPECT_EQ(ResolvedFile("/up"), "/index.html (app route)");
}

TEST_F(WebFilesTest, ContentTypesByExtension) {
  const std::pair<absl::string_view, absl::string_view> cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"a/b/INDEX.HTML", "text/html; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"app.mjs", "text/javascript; charset=utf-8"},
      {"app.css", "text/css; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"logo.png", "image/png"},
      {"photo.jpg", "image/jpeg"},
      {"photo.webp", "image/webp"},
      {"favicon.ico", "image/x-icon"},
      {"data.json", "application/json"},
      {"app.js.map", "application/json"},
      {"font.woff2", "font/woff2"},
      {"robots.txt", "text/plain; charset=utf-8"},
      {"archive.tar.gz", "application/octet-stream"},
      {"README", "application/octet-stream"},
  };
  for (const auto& [name, type] : cases) {
    EXPECT_EQ(ContentTypeOf(name), type) << name;
  }
}

TEST_F(WebFilesTest, OnlyHashedAssetsAreCachedForAYear) {
  EXPECT_EQ(CacheControlOf("/assets/app-1a2b.js", false), kImmutable);
  EXPECT_EQ(CacheControlOf("/assets/app-1a2b.js", true), "no-cache");
  EXPECT_EQ(CacheControlOf("/assets/route", true), "no-cache");
  EXPECT_EQ(CacheControlOf("/index.html", false), "no-cache");
  EXPECT_EQ(CacheControlOf("/", true), "no-cache");
  EXPECT_EQ(CacheControlOf("/robots.txt", false), "no-cache");
  EXPECT_EQ(CacheControlOf("/assetsx/a.js", false), "no-cache");
}

TEST_F(WebFilesTest, ServeAnswersWithTypeCacheControlAndEtag) {
  const HttpResponse index = files().Serve(Request("GET", "/track"));
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, kIndex);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  const std::string index_etag = HeaderOf(index, "ETag");
  EXPECT_FALSE(index_etag.empty());

  const HttpResponse script =
      files().Serve(Request("GET", "/assets/app-1a2b.js"));
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, "export {};\n");
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(script, "Cache-Control"), kImmutable);
  EXPECT_NE(HeaderOf(script, "ETag"), index_etag);

  // HEAD: the same answer; the server sends the body's length only.
  const HttpResponse head = files().Serve(Request("HEAD", "/"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, kIndex);

  const HttpResponse missing = files().Serve(Request("GET", "/missing.js"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/json");
  EXPECT_THAT(missing.body, HasSubstr("\"code\":5"));
  EXPECT_THAT(files().Serve(Request("GET", "/leak.txt")).body,
              Not(HasSubstr("outside")));
  EXPECT_EQ(files().Serve(Request("GET", "/leak.txt")).status, 404);
  EXPECT_EQ(files().Serve(Request("GET", "/.env")).status, 404);
}

TEST_F(WebFilesTest, OtherMethodsAre405WithAllow) {
  for (absl::string_view method :
       {"POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    const HttpResponse response = files().Serve(Request(method, "/track"));
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(HeaderOf(response, "Allow"), "GET, HEAD") << method;
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_THAT(response.body, HasSubstr("\"code\":12")) << response.body;
  }
}

TEST_F(WebFilesTest, MatchingIfNoneMatchIs304UntilTheFileChanges) {
  const std::string path = absl::StrCat(root_, "/assets/app-1a2b.css");
  const HttpResponse first =
      files().Serve(Request("GET", "/assets/app-1a2b.css"));
  const std::string etag = HeaderOf(first, "ETag");
  ASSERT_FALSE(etag.empty());
  HttpRequest again = Request("GET", "/assets/app-1a2b.css");
  again.headers.emplace("if-none-match", absl::StrCat("\"other\", ", etag));
  const HttpResponse not_modified = files().Serve(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_THAT(not_modified.body, IsEmpty());
  EXPECT_EQ(HeaderOf(not_modified, "ETag"), etag);
  EXPECT_EQ(HeaderOf(not_modified, "Cache-Control"), kImmutable);

  // A rebuild writes other bytes: the old ETag no longer matches, and the
  // new content is served without a restart.
  ASSERT_NO_FATAL_FAILURE(WriteFile(path, "body{color:red}\n"));
  const HttpResponse changed = files().Serve(again);
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "body{color:red}\n");
  EXPECT_NE(HeaderOf(changed, "ETag"), etag);
}

TEST_F(WebFilesTest, IfNoneMatchForms) {
  EXPECT_TRUE(IfNoneMatchMatches("\"a-1\"", "\"a-1\""));
  EXPECT_TRUE(IfNoneMatchMatches("W/\"a-1\"", "\"a-1\""));
  EXPECT_TRUE(IfNoneMatchMatches("\"x\" , \"a-1\"", "\"a-1\""));
  EXPECT_TRUE(IfNoneMatchMatches("*", "\"a-1\""));
  EXPECT_FALSE(IfNoneMatchMatches("", "\"a-1\""));
  EXPECT_FALSE(IfNoneMatchMatches("\"a-2\"", "\"a-1\""));
  EXPECT_FALSE(IfNoneMatchMatches("a-1", "\"a-1\""));
}

TEST_F(WebFilesTest, AFileOverTheLimitIsNotServed) {
  ASSERT_NO_FATAL_FAILURE(
      WriteFile(absl::StrCat(root_, "/big.json"), std::string(1025, ' ')));
  const HttpResponse big = files().Serve(Request("GET", "/big.json"));
  EXPECT_EQ(big.status, 500);
  EXPECT_THAT(big.body, Not(HasSubstr("     ")));
  ASSERT_NO_FATAL_FAILURE(
      WriteFile(absl::StrCat(root_, "/big.json"), std::string(1024, ' ')));
  EXPECT_EQ(files().Serve(Request("GET", "/big.json")).status, 200);
}

}  // namespace
}  // namespace prongsai::gateway
