// JSON <-> protobuf for one matched route, with protobuf's own JSON
// utilities, following google.api.http's rules: path variables set their
// fields, the body fills the request ("*") or one field of it, and for a
// route without a "*" body every other field may come from the query
// (`?page_size=10&states=RECEIVED&states=ACCEPTED`, nested as
// `?organization.province=...`). Field names are accepted in proto and
// lowerCamel spelling; answers use proto names.
#ifndef PRONGSAI_GATEWAY_TRANSCODE_H_
#define PRONGSAI_GATEWAY_TRANSCODE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/api_routes.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/type_resolver.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::gateway {

class Transcoder {
 public:
  // `pool` must outlive the transcoder (the routes' descriptors are in it).
  explicit Transcoder(const google::protobuf::DescriptorPool* pool);
  ~Transcoder();

  // The request message of `match`, serialized. INVALID_ARGUMENT naming the
  // field or the JSON position: malformed JSON, an unknown field, a value of
  // the wrong type, a query parameter the method does not take, a body on a
  // route without one.
  absl::StatusOr<std::string> Request(
      const RouteMatch& match,
      const std::vector<std::pair<std::string, std::string>>& query,
      absl::string_view body) const;

  // A client stream's messages from newline-delimited JSON, one request per
  // line (blank lines skipped), each with the path variables set.
  absl::StatusOr<std::vector<std::string>> StreamRequests(
      const RouteMatch& match, absl::string_view body) const;

  // The response message `bytes` of `route` as JSON with proto field names.
  absl::StatusOr<std::string> Response(const Route& route,
                                       absl::string_view bytes) const;

 private:
  // Strict JSON (RFC 8259, then proto3's mapping) as the wire bytes of
  // `type`: unknown fields are errors. `where` names the part ("body").
  absl::StatusOr<std::string> JsonToBinary(
      absl::string_view where, absl::string_view json,
      const google::protobuf::Descriptor* type) const;
  // The path variables' fields as wire bytes; INVALID_ARGUMENT naming the
  // field when its text (after %-decoding) is not UTF-8.
  absl::StatusOr<std::string> PathBytes(const RouteMatch& match) const;

  // GetPrototype is thread-safe; the messages it makes share its data, so
  // they never outlive the transcoder.
  mutable google::protobuf::DynamicMessageFactory factory_;
  // Stateless over the pool, so shared by every thread.
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

// The HTTP status of a gRPC code, by the mapping google.rpc.Code documents
// (and grpc-gateway uses): INVALID_ARGUMENT 400, NOT_FOUND 404, ...
int HttpStatusOf(grpc::StatusCode code);

// A google.rpc.Status JSON body {code, message, details}. An
// INVALID_ARGUMENT message of the services' form "field.path: reason" also
// carries a google.rpc.BadRequest detail naming the field.
std::string StatusBody(grpc::StatusCode code, absl::string_view message);

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_TRANSCODE_H_
