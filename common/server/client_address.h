// Who a call comes from, for per-client limits: the TCP peer, or, when the
// peer is a proxy the operator trusts, the client that proxy names in
// `x-forwarded-for`. Addresses are aggregated the way one subscriber holds
// them: an IPv4 address alone, an IPv6 address by its /64 (a home or phone
// is given a whole /64, so per-/128 buckets would be endless).
//
//   PRONGSAI_ASSIGN_OR_RETURN(TrustedProxies proxies,
//                             TrustedProxies::Parse("10.0.0.0/8,::1"));
//   std::string client = ClientOf("ipv4:10.1.2.3:5000", "203.0.113.9",
//                                 proxies);  // "203.0.113.9"
#ifndef PRONGSAI_COMMON_SERVER_CLIENT_ADDRESS_H_
#define PRONGSAI_COMMON_SERVER_CLIENT_ADDRESS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai::server {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d).
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4() const;
};

// "192.0.2.1", "2001:db8::1", "[2001:db8::1]", "::ffff:192.0.2.1".
std::optional<IpAddress> ParseIpAddress(absl::string_view text);

// Networks whose peers may say who their client is.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Comma-separated addresses or CIDR networks ("10.0.0.0/8, ::1, fd00::/8");
  // empty trusts nobody. INVALID_ARGUMENT naming the bad entry.
  static absl::StatusOr<TrustedProxies> Parse(absl::string_view list);

  bool Contains(const IpAddress& address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    IpAddress base;
    int prefix_bits;  // over the 16-byte form
  };
  std::vector<Network> networks_;
};

// The client of a call whose gRPC peer is `peer` ("ipv4:127.0.0.1:5000",
// "ipv6:%5B::1%5D:5000", "unix:/path") and whose `x-forwarded-for` headers
// are `forwarded_for` (nullopt when absent; several headers joined with
// commas, in order). The header counts only when the
// peer is trusted: then the right-most address in it that is not itself a
// trusted proxy is the client (what each proxy appended; whatever the client
// wrote to the left of it is ignored). A header that cannot be read leaves
// the proxy itself as the client. The result is "192.0.2.1", or
// "2001:db8:1:2::/64" for IPv6, or the peer text for other transports.
std::string ClientOf(absl::string_view peer,
                     std::optional<absl::string_view> forwarded_for,
                     const TrustedProxies& proxies);

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_CLIENT_ADDRESS_H_
