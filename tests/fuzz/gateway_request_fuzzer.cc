// The gateway's reading of an HTTP request, on any bytes: the first line is
// "METHOD /path", the second the query string, the rest the body (seeds in
// corpus/gateway_request). Route matching (ApiRoutes::Match), form and
// query decoding (ParseFormEncoded), JSON syntax (CheckJsonSyntax) and
// transcoding (Transcoder::Request) never crash; a transcoded request
// parses as the method's request message; a body that is not JSON is never
// transcoded into a request for a route that takes a body.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "gateway/api_routes.h"
#include "gateway/http_types.h"
#include "gateway/json_syntax.h"
#include "gateway/transcode.h"
#include "google/protobuf/dynamic_message.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace gw = ::prongsai::gateway;

namespace {

struct Api {
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  std::unique_ptr<gw::ApiRoutes> routes;
  std::unique_ptr<gw::Transcoder> transcoder;
  google::protobuf::DynamicMessageFactory factory;
};

// Built once: the embedded descriptors, as the gateway loads them.
Api& TheApi() {
  static Api* api = [] {
    auto* made = new Api;
    absl::StatusOr<std::unique_ptr<google::protobuf::DescriptorPool>> pool =
        gw::LoadApiDescriptors();
    FUZZ_CHECK(pool.ok(), "the embedded descriptors load");
    made->pool = *std::move(pool);
    absl::StatusOr<gw::ApiRoutes> routes = gw::ApiRoutes::FromPool(*made->pool);
    FUZZ_CHECK(routes.ok(), "the routes load");
    made->routes = std::make_unique<gw::ApiRoutes>(*std::move(routes));
    made->transcoder = std::make_unique<gw::Transcoder>(made->pool.get());
    return made;
  }();
  return *api;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Api& api = TheApi();
  const std::vector<absl::string_view> parts = absl::StrSplit(
      prongsai::fuzz::Text(data, size), absl::MaxSplits('\n', 2));
  const absl::string_view request_line = parts[0];
  const absl::string_view query = parts.size() > 1 ? parts[1] : "";
  const absl::string_view body = parts.size() > 2 ? parts[2] : "";
  const std::vector<std::pair<std::string, std::string>> fields =
      gw::ParseFormEncoded(query);
  const bool json = gw::CheckJsonSyntax(body).ok();

  const std::vector<absl::string_view> words =
      absl::StrSplit(request_line, absl::MaxSplits(' ', 1));
  if (words.size() != 2) return 0;
  const absl::StatusOr<gw::RouteMatch> match =
      api.routes->Match(words[0], words[1]);
  if (!match.ok()) return 0;
  const absl::StatusOr<std::string> bytes =
      api.transcoder->Request(*match, fields, body);
  if (!bytes.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(bytes.status()),
               "a request that does not transcode is INVALID_ARGUMENT");
    return 0;
  }
  FUZZ_CHECK(json || match->route->body.empty() ||
                 absl::StripAsciiWhitespace(body).empty(),
             "a body that is not JSON is refused");
  const google::protobuf::Message* prototype =
      api.factory.GetPrototype(match->route->method->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  FUZZ_CHECK(request->ParseFromString(*bytes),
             "the request parses as the method's");
  return 0;
}
