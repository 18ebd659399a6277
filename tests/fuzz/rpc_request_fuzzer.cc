// Every unary RPC of the three services, called over gRPC with any request
// bytes by any of three callers, against real servers on SQLite files in
// this process (seeds in corpus/rpc_request). An input is
// "<Service>/<Method>\0<caller byte><request bytes>"; a method name that is
// not one of theirs picks one by its hash, so mutations of the name still
// reach a method. For every call:
// - the status is a clean one: never UNKNOWN, INTERNAL, DATA_LOSS or
//   UNIMPLEMENTED (a method the descriptors list is served), and its
//   message is short (an error never echoes its input);
// - INVALID_ARGUMENT names a field ("path: reason") and changes nothing in
//   the service's database (its SQLite data_version, read from a
//   connection of its own, stays the same).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/key_ring.h"
#include "common/base/log.h"
#include "common/server/server_host.h"
#include "common/storage/storage.h"
#include "gateway/backends.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/create_channel.h"
#include "services/complaint/complaint_service.h"
#include "services/ita/ita_service.h"
#include "services/plan/plan_service.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using ::google::protobuf::MethodDescriptor;
using ::google::protobuf::ServiceDescriptor;
namespace server = ::prongsai::server;
namespace storage = ::prongsai::storage;

// The organization the OPERATOR key covers (and the seeds name).
constexpr char kOrganization[] = "6340101";

struct Method {
  const MethodDescriptor* descriptor;
  std::string path;              // "/<package>.<Service>/<Method>"
  storage::Connection* monitor;  // the database of the host serving it
};

struct Stack {
  std::vector<std::unique_ptr<server::ServiceHost>> hosts;
  std::vector<std::unique_ptr<storage::Connection>> monitors;
  std::unique_ptr<prongsai::gateway::Backends> backends;
  std::vector<Method> methods;
  absl::flat_hash_map<std::string, size_t> by_name;  // "Service/Method"
  std::vector<std::string> authorizations;           // one per caller
};

// Serves `definition` on its own SQLite file, without housekeeping (its
// writes would look like a failed call's), and lists its unary methods.
void Host(Stack& stack, const std::string& dir, const std::string& keys_path,
          server::ServiceDefinition definition,
          absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>>&
              channels) {
  definition.housekeeping = nullptr;
  std::vector<std::string> services = {definition.service_full_name};
  for (const server::AdditionalService& more : definition.additional_services) {
    services.push_back(more.service_full_name);
  }
  server::ServerOptions options;
  options.db_url = absl::StrCat("sqlite://", dir, "/", definition.name, ".db");
  options.api_keys_path = keys_path;
  options.workers = 2;
  options.drain_deadline = absl::Milliseconds(100);
  const std::string db_url = options.db_url;
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> host =
      server::ServiceHost::Start(std::move(options), std::move(definition));
  FUZZ_CHECK(host.ok(), "a service starts");
  FUZZ_CHECK((*host)->CheckHealthNow(), "a service is SERVING");
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
      (*host)->address(), grpc::InsecureChannelCredentials());
  absl::StatusOr<std::unique_ptr<storage::Connection>> monitor =
      storage::Connect(db_url);
  FUZZ_CHECK(monitor.ok(), "the database opens");
  for (const std::string& name : services) {
    channels[name] = channel;
    const ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            name);
    FUZZ_CHECK(service != nullptr, "a served service has descriptors");
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (method->client_streaming() || method->server_streaming()) continue;
      stack.by_name[absl::StrCat(service->name(), "/", method->name())] =
          stack.methods.size();
      stack.methods.push_back({method,
                               absl::StrCat("/", name, "/", method->name()),
                               monitor->get()});
    }
  }
  stack.monitors.push_back(*std::move(monitor));
  stack.hosts.push_back(*std::move(host));
}

Stack& TheStack() {
  static Stack* stack = [] {
    prongsai::log::SetMinLevel(prongsai::log::Level::kError);
    auto* made = new Stack;
    char dir_template[] = "/tmp/prongsai-rpc-fuzz-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    FUZZ_CHECK(dir != nullptr, "a scratch directory");
    const std::string keys_path = absl::StrCat(dir, "/api_keys");
    const std::string system = prongsai::auth::GenerateKey();
    const std::string operator_key = prongsai::auth::GenerateKey();
    {
      std::ofstream keys(keys_path);
      keys << prongsai::auth::FormatKeyLine(prongsai::auth::HashKey(system),
                                            "system", "SYSTEM", "*")
           << prongsai::auth::FormatKeyLine(
                  prongsai::auth::HashKey(operator_key), "operator",
                  "OPERATOR,INTEGRITY_OFFICER,EXECUTIVE", kOrganization);
      FUZZ_CHECK(keys.good(), "the key file is written");
    }
    made->authorizations = {absl::StrCat("Bearer ", system),
                            absl::StrCat("Bearer ", operator_key), ""};
    prongsai::complaint::ComplaintOptions complaint;
    absl::StatusOr<prongsai::complaint::ProtectionKeys> protection =
        prongsai::complaint::ProtectionKeys::Parse(
            prongsai::complaint::ProtectionKeys::GenerateFileText());
    FUZZ_CHECK(protection.ok(), "protection keys");
    complaint.keys = *std::move(protection);
    absl::StatusOr<server::ServiceDefinition> ita =
        prongsai::ita::ItaServiceDefinition();
    FUZZ_CHECK(ita.ok(), "the ITA frameworks load");
    absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> channels;
    Host(*made, dir, keys_path, prongsai::plan::PlanServiceDefinition(),
         channels);
    Host(*made, dir, keys_path,
         prongsai::complaint::ComplaintServiceDefinition(std::move(complaint)),
         channels);
    Host(*made, dir, keys_path, *std::move(ita), channels);
    made->backends = std::make_unique<prongsai::gateway::Backends>(channels);
    return made;
  }();
  return *stack;
}

int64_t DataVersion(storage::Connection& db) {
  absl::StatusOr<storage::Result> result = db.Execute("PRAGMA data_version");
  FUZZ_CHECK(result.ok() && result->rows.size() == 1, "the data version reads");
  return result->rows[0].GetInt(0);
}

bool IsClean(grpc::StatusCode code) {
  return code != grpc::StatusCode::UNKNOWN &&
         code != grpc::StatusCode::INTERNAL &&
         code != grpc::StatusCode::DATA_LOSS &&
         code != grpc::StatusCode::UNIMPLEMENTED;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Stack& stack = TheStack();
  const absl::string_view input = prongsai::fuzz::Text(data, size);
  const size_t end_of_name = input.find('\0');
  if (end_of_name == absl::string_view::npos || end_of_name + 1 >= size) {
    return 0;
  }
  const absl::string_view name = input.substr(0, end_of_name);
  const auto found = stack.by_name.find(name);
  const Method& method =
      stack.methods[found != stack.by_name.end()
                        ? found->second
                        : absl::HashOf(name) % stack.methods.size()];
  const uint8_t caller = data[end_of_name + 1] % stack.authorizations.size();
  const std::string request(input.substr(end_of_name + 2));

  prongsai::gateway::CallMetadata metadata;
  metadata.authorization = stack.authorizations[caller];
  metadata.request_id = "fuzz";
  metadata.client_address = "127.0.0.1";
  const int64_t before = DataVersion(*method.monitor);
  const prongsai::gateway::BackendAnswer answer =
      stack.backends->Unary(method.path, request, metadata);
  const grpc::StatusCode code = answer.status.error_code();
  const std::string& message = answer.status.error_message();
  const std::string what = absl::StrCat(method.path, " answered ", code, ": ",
                                        message.substr(0, 200));
  FUZZ_CHECK(IsClean(code), what.c_str());
  FUZZ_CHECK(message.size() <= 1000, what.c_str());
  if (code == grpc::StatusCode::INVALID_ARGUMENT) {
    FUZZ_CHECK(absl::StrContains(message, ": "), what.c_str());
    FUZZ_CHECK(DataVersion(*method.monitor) == before,
               ("a refused request changed the database: " + what).c_str());
  }
  return 0;
}
