// The gRPC face of the complaint service: translates requests into domain
// and store calls on a worker, and results back into responses. Access rules
// live in complaint.proto; ServiceRuntime enforces them before any handler.
// Complaints hold personal data, so they are never cached in Redis; only
// aggregate statistics are.
//
//   ComplaintOptions options{.keys = *LoadProtectionKeyFile(path)};
//   ServiceHost::Start(server_options, ComplaintServiceDefinition(options));
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SERVICE_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SERVICE_H_

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/cache/rate_limiter.h"
#include "common/client/peer.h"
#include "common/server/server_host.h"
#include "services/complaint/protection.h"

namespace prongsai::complaint {

// A per-client limit whose Redis buckets live under their own `name`.
inline cache::RateLimiter::Options PublicLimit(double tokens_per_second,
                                               int burst,
                                               absl::string_view name) {
  cache::RateLimiter::Options options;
  options.tokens_per_second = tokens_per_second;
  options.burst = burst;
  options.key_prefix = absl::StrCat("prongsai:complaint:", name, ":");
  options.name = std::string(name);
  return options;
}

struct ComplaintOptions {
  // Seals identities and keys the tracking-code hash.
  ProtectionKeys keys;
  // The plan service, whose organization registry names the organization a
  // complaint is filed with (unknown codes are NOT_FOUND). Without an
  // address, complaints carry the organization's code alone.
  client::PeerOptions plan = client::PeerOptions::Of("plan service", "", "");
  // Filing by anonymous callers (per client: an IPv4 address, an IPv6 /64,
  // or the client a trusted proxy names) and by key holders other than the
  // organization's own staff (per key): a burst of 5, then one every 5
  // seconds. SYSTEM keys are not limited.
  cache::RateLimiter::Options public_filing_limit =
      PublicLimit(0.2, 5, "filing");
  // Filing by the organization's own OPERATOR or INTEGRITY_OFFICER keys on
  // behalf of walk-ins and callers, per key.
  cache::RateLimiter::Options staff_filing_limit =
      PublicLimit(1, 60, "staff-filing");
  // Tracking lookups, per client or key as for filing.
  cache::RateLimiter::Options public_tracking_limit =
      PublicLimit(1, 30, "tracking");
  // Tracking lookups of every such caller together (one bucket, shared by
  // the replicas through Redis; each replica's own while Redis is down), so
  // that guessing from many addresses at once is capped too. A citizen
  // looks a code up a few times; a second of the whole country's normal
  // load is far below the burst.
  cache::RateLimiter::Options public_tracking_global_limit =
      PublicLimit(50, 500, "tracking-all");
  // Cells of the public statistics below this count are hidden.
  int public_statistics_threshold = 5;
  // How long cached statistics may be served; writes change the key sooner.
  absl::Duration statistics_cache_ttl = absl::Seconds(60);
  // How long a repeated create may still return the tracking code.
  absl::Duration tracking_code_replay_window = absl::Hours(24);
};

server::ServiceDefinition ComplaintServiceDefinition(ComplaintOptions options);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SERVICE_H_
