// The built web application (a single-page app) that the gateway serves from
// --web_root: which file a URL path names, with what Content-Type and
// Cache-Control. Files are read on each request, so a rebuild of the pages
// shows without restarting the gateway.
#ifndef PRONGSAI_GATEWAY_WEB_FILES_H_
#define PRONGSAI_GATEWAY_WEB_FILES_H_

#include <cstddef>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/http_types.h"

namespace prongsai::gateway {

// What a URL path resolves to under the root.
struct WebFile {
  // Absolute, with every symbolic link resolved; inside the root.
  std::string file_path;
  // True when the path named no file and is a route of the app, which
  // index.html handles in the browser (history-API routing).
  bool app_route = false;
};

class WebFiles {
 public:
  static constexpr size_t kDefaultMaxFileBytes = 10 << 20;

  // `root` must be a directory holding index.html. A file over
  // `max_file_bytes` is never served.
  static absl::StatusOr<WebFiles> Open(
      absl::string_view root, size_t max_file_bytes = kDefaultMaxFileBytes);

  // The root, canonical.
  const std::string& root() const { return root_; }

  // The file the decoded URL `path` names: a regular file under the root;
  // else, for "/" or a path whose last segment has no extension, index.html.
  // NOT_FOUND for anything else, and for a path with a segment that starts
  // with '.' (dot-files, "." and ".."), holds '\\', '%', NUL or another
  // control character, or whose file is a link leading out of the root or
  // to a dot-file.
  absl::StatusOr<WebFile> Resolve(absl::string_view path) const;

  // The answer to a request for `request.path`: GET and HEAD only (405 with
  // Allow otherwise), 404 with a google.rpc.Status body when Resolve finds
  // nothing, 304 when If-None-Match names the file's current ETag. The body
  // is there for HEAD too; the server sends only its length.
  HttpResponse Serve(const HttpRequest& request) const;

 private:
  WebFiles(std::string root, size_t max_file_bytes)
      : root_(std::move(root)), max_file_bytes_(max_file_bytes) {}

  std::string root_;
  size_t max_file_bytes_;
};

// The Content-Type of a file by its extension (case-insensitive);
// "application/octet-stream" for one not listed.
std::string ContentTypeOf(absl::string_view file_name);

// The Cache-Control of an answer for `url_path`: the content-hashed files
// under /assets/ never change, so browsers may keep them for a year; all
// else (index.html above all, which names the current assets) is checked
// with the gateway each time.
std::string CacheControlOf(absl::string_view url_path, bool app_route);

// Whether an If-None-Match header value matches `etag`: "*", or a
// comma-separated list naming it (weak "W/" forms compare equal).
bool IfNoneMatchMatches(absl::string_view if_none_match,
                        absl::string_view etag);

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_WEB_FILES_H_
