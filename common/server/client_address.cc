#include "common/server/client_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/validation.h"

namespace prongsai::server {
namespace {

constexpr uint8_t kV4Mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

// The address part of a gRPC peer: "ipv4:1.2.3.4:5" -> "1.2.3.4",
// "ipv6:[::1]:5" or, as gRPC 1.48 and later percent-encode it,
// "ipv6:%5B::1%5D:5" -> "::1"; nullopt for other transports.
std::optional<std::string> PeerHost(absl::string_view peer) {
  if (!absl::ConsumePrefix(&peer, "ipv4:") &&
      !absl::ConsumePrefix(&peer, "ipv6:")) {
    return std::nullopt;
  }
  std::string host = absl::StrReplaceAll(
      peer,
      {{"%5B", "["}, {"%5b", "["}, {"%5D", "]"}, {"%5d", "]"}, {"%25", "%"}});
  if (size_t port = host.rfind(':'); port != host.npos) host.resize(port);
  return host;
}

// One entry of x-forwarded-for: "203.0.113.7", "[2001:db8::1]", or with a
// port, "203.0.113.7:443" / "[2001:db8::1]:443" (some proxies add one).
std::optional<IpAddress> ParseForwardedHop(absl::string_view hop) {
  hop = absl::StripAsciiWhitespace(hop);
  if (std::optional<IpAddress> address = ParseIpAddress(hop)) return address;
  if (size_t colon = hop.rfind(':'); colon != hop.npos) {
    absl::string_view host = hop.substr(0, colon);
    // IPv4 with a port, or a bracketed IPv6 with one (a bare IPv6 address
    // has colons of its own and parsed above).
    if (host.find(':') == host.npos || absl::EndsWith(host, "]")) {
      return ParseIpAddress(host);
    }
  }
  return std::nullopt;
}

std::string Format(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN];
  if (address.is_v4()) {
    inet_ntop(AF_INET, address.bytes.data() + 12, text, sizeof(text));
    return text;
  }
  // One subscriber's /64: the interface half is zeroed.
  IpAddress network = address;
  std::memset(network.bytes.data() + 8, 0, 8);
  inet_ntop(AF_INET6, network.bytes.data(), text, sizeof(text));
  return absl::StrCat(text, "/64");
}

}  // namespace

bool IpAddress::is_v4() const {
  return std::memcmp(bytes.data(), kV4Mapped, sizeof(kV4Mapped)) == 0;
}

std::optional<IpAddress> ParseIpAddress(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string copy(text);  // inet_pton needs a terminated string
  IpAddress address;
  if (inet_pton(AF_INET, copy.c_str(), address.bytes.data() + 12) == 1) {
    std::memcpy(address.bytes.data(), kV4Mapped, sizeof(kV4Mapped));
    return address;
  }
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) == 1) {
    return address;
  }
  return std::nullopt;
}

absl::StatusOr<TrustedProxies> TrustedProxies::Parse(absl::string_view list) {
  TrustedProxies proxies;
  int index = 0;
  for (absl::string_view entry :
       absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    const std::string path = IndexedPath("trusted_proxies", index++);
    absl::string_view host = entry;
    std::optional<int> bits;
    if (size_t slash = entry.find('/'); slash != entry.npos) {
      host = entry.substr(0, slash);
      int value;
      if (!absl::SimpleAtoi(entry.substr(slash + 1), &value)) {
        return InvalidField(path, "has a prefix length that is not a number");
      }
      bits = value;
    }
    std::optional<IpAddress> base = ParseIpAddress(host);
    if (!base.has_value()) {
      return InvalidField(path, "is not an IP address or CIDR network");
    }
    const int max_bits = base->is_v4() ? 32 : 128;
    if (bits.value_or(max_bits) < 0 || bits.value_or(max_bits) > max_bits) {
      return InvalidField(
          path, absl::StrCat("has a prefix length outside 0-", max_bits));
    }
    proxies.networks_.push_back(
        {*base, bits.value_or(max_bits) + (base->is_v4() ? 96 : 0)});
  }
  return proxies;
}

bool TrustedProxies::Contains(const IpAddress& address) const {
  for (const Network& network : networks_) {
    const int whole = network.prefix_bits / 8;
    const int rest = network.prefix_bits % 8;
    if (std::memcmp(address.bytes.data(), network.base.bytes.data(), whole) !=
        0) {
      continue;
    }
    const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
    if (rest == 0 ||
        (address.bytes[whole] & mask) == (network.base.bytes[whole] & mask)) {
      return true;
    }
  }
  return false;
}

std::string ClientOf(absl::string_view peer,
                     std::optional<absl::string_view> forwarded_for,
                     const TrustedProxies& proxies) {
  const std::optional<std::string> host = PeerHost(peer);
  if (!host.has_value()) return std::string(peer);
  std::optional<IpAddress> client = ParseIpAddress(*host);
  if (!client.has_value()) return *host;
  if (forwarded_for.has_value() && proxies.Contains(*client)) {
    std::vector<absl::string_view> hops = absl::StrSplit(*forwarded_for, ',');
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
      std::optional<IpAddress> address = ParseForwardedHop(*hop);
      if (!address.has_value()) break;  // unreadable: keep the last good one
      client = address;
      if (!proxies.Contains(*address)) break;
    }
  }
  return Format(*client);
}

}  // namespace prongsai::server
