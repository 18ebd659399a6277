#include "gateway/web_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gateway/transcode.h"

namespace prongsai::gateway {
namespace {

constexpr absl::string_view kNotFound =
    "no such page; the API is under /v1/ (see /openapi.json) and Open311 "
    "under /open311/v2/";

HttpResponse Error(int http_status, grpc::StatusCode code,
                   absl::string_view message) {
  HttpResponse response;
  response.status = http_status;
  response.body = StatusBody(code, message);
  return response;
}

// The path with every link resolved, or "" when it does not exist.
std::string Canonical(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) return "";
  return resolved;
}

// A URL path segment the root may answer for: no dot-files (so no "." or
// ".." either), and nothing a file system or a second decoding could read
// as something else.
bool AcceptableSegment(absl::string_view segment) {
  if (absl::StartsWith(segment, ".")) return false;
  for (char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == '\\' || c == '%') return false;
  }
  return true;
}

// A segment's extension: what follows its last '.', or "".
absl::string_view ExtensionOf(absl::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == absl::string_view::npos ? "" : name.substr(dot + 1);
}

// A strong validator from what changes when a file is rebuilt.
std::string EtagOf(const struct stat& info) {
  const int64_t mtime_ns =
      static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 +
      info.st_mtim.tv_nsec;
  return absl::StrCat("\"", absl::Hex(info.st_size), "-", absl::Hex(mtime_ns),
                      "\"");
}

}  // namespace

absl::StatusOr<WebFiles> WebFiles::Open(absl::string_view root,
                                        size_t max_file_bytes) {
  if (root.empty()) {
    return absl::InvalidArgumentError("web_root: must name a directory");
  }
  const std::string canonical = Canonical(std::string(root));
  struct stat info;
  if (canonical.empty() || stat(canonical.c_str(), &info) != 0 ||
      !S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("web_root: ", root, " is not a directory"));
  }
  const std::string index = absl::StrCat(canonical, "/index.html");
  if (stat(index.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
      access(index.c_str(), R_OK) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("web_root: ", root,
                     " holds no readable index.html (build the pages first)"));
  }
  return WebFiles(canonical, max_file_bytes);
}

absl::StatusOr<WebFile> WebFiles::Resolve(absl::string_view path) const {
  if (!absl::StartsWith(path, "/")) {
    return absl::NotFoundError("the path must start with /");
  }
  std::vector<absl::string_view> segments =
      absl::StrSplit(path.substr(1), '/', absl::SkipEmpty());
  for (absl::string_view segment : segments) {
    if (!AcceptableSegment(segment)) {
      return absl::NotFoundError("the path names no servable file");
    }
  }
  std::string relative;
  for (absl::string_view segment : segments) {
    absl::StrAppend(&relative, "/", segment);
  }
  if (!relative.empty()) {
    const std::string canonical = Canonical(absl::StrCat(root_, relative));
    absl::string_view inside = canonical;
    struct stat info;
    // The resolved file, links followed, must still be a regular file under
    // the root and no dot-file.
    if (absl::ConsumePrefix(&inside, root_ == "/" ? "/" : root_ + "/") &&
        !absl::StartsWith(inside, ".") && !absl::StrContains(inside, "/.") &&
        stat(canonical.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      return WebFile{.file_path = canonical, .app_route = false};
    }
  }
  if (segments.empty() || ExtensionOf(segments.back()).empty()) {
    return WebFile{.file_path = absl::StrCat(root_, "/index.html"),
                   .app_route = true};
  }
  return absl::NotFoundError("no such file");
}

HttpResponse WebFiles::Serve(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse response = Error(
        405, grpc::StatusCode::UNIMPLEMENTED,
        absl::StrCat("the pages answer GET and HEAD, not ", request.method));
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  absl::StatusOr<WebFile> file = Resolve(request.path);
  if (!file.ok()) return Error(404, grpc::StatusCode::NOT_FOUND, kNotFound);

  // O_NOFOLLOW: the path is canonical, so a link here is one made since.
  const int fd =
      open(file->file_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Error(404, grpc::StatusCode::NOT_FOUND, kNotFound);
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return Error(404, grpc::StatusCode::NOT_FOUND, kNotFound);
  }
  if (static_cast<size_t>(info.st_size) > max_file_bytes_) {
    close(fd);
    return Error(500, grpc::StatusCode::INTERNAL,
                 "the page's file is over the gateway's size limit");
  }
  HttpResponse response;
  const std::string etag = EtagOf(info);
  response.headers.emplace_back("Cache-Control",
                                CacheControlOf(request.path, file->app_route));
  response.headers.emplace_back("ETag", etag);
  if (IfNoneMatchMatches(request.Header("if-none-match"), etag)) {
    close(fd);
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.content_type = ContentTypeOf(file->file_path);
  std::string body(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < body.size()) {
    const ssize_t got = read(fd, body.data() + done, body.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<size_t>(got);
  }
  close(fd);
  // Shorter than fstat said: the file is being rewritten by a build.
  if (done != body.size()) {
    return Error(503, grpc::StatusCode::UNAVAILABLE,
                 "the page's file changed while it was read; try again");
  }
  response.body = std::move(body);
  return response;
}

std::string ContentTypeOf(absl::string_view file_name) {
  const size_t slash = file_name.rfind('/');
  if (slash != absl::string_view::npos) file_name.remove_prefix(slash + 1);
  const std::string extension = absl::AsciiStrToLower(ExtensionOf(file_name));
  struct Type {
    absl::string_view extension;
    absl::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},
  };
  for (const Type& type : kTypes) {
    if (type.extension == extension) return std::string(type.content_type);
  }
  return "application/octet-stream";
}

std::string CacheControlOf(absl::string_view url_path, bool app_route) {
  if (!app_route && absl::StartsWith(url_path, "/assets/")) {
    return "public, max-age=31536000, immutable";
  }
  return "no-cache";
}

bool IfNoneMatchMatches(absl::string_view if_none_match,
                        absl::string_view etag) {
  absl::ConsumePrefix(&etag, "W/");
  for (absl::string_view candidate : absl::StrSplit(if_none_match, ',')) {
    candidate = absl::StripAsciiWhitespace(candidate);
    if (candidate == "*") return true;
    absl::ConsumePrefix(&candidate, "W/");
    if (!candidate.empty() && candidate == etag) return true;
  }
  return false;
}

}  // namespace prongsai::gateway
