// Issue 17 item 7: who a call comes from, for per-client rate limits.
#include "common/server/client_address.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::server {
namespace {

TrustedProxies Proxies(absl::string_view list) {
  absl::StatusOr<TrustedProxies> proxies = TrustedProxies::Parse(list);
  EXPECT_TRUE(proxies.ok()) << proxies.status();
  return proxies.ok() ? *proxies : TrustedProxies();
}

TEST(ClientAddressTest, PeersOfEveryFormGRpcReports) {
  const TrustedProxies none;
  EXPECT_EQ(ClientOf("ipv4:192.0.2.7:5000", std::nullopt, none), "192.0.2.7");
  // gRPC 1.48+ percent-encodes the brackets; older versions did not.
  EXPECT_EQ(ClientOf("ipv6:%5B2001:db8:1:2::7%5D:5000", std::nullopt, none),
            "2001:db8:1:2::/64");
  EXPECT_EQ(ClientOf("ipv6:[2001:db8:1:2::7]:5000", std::nullopt, none),
            "2001:db8:1:2::/64");
  EXPECT_EQ(ClientOf("ipv6:%5B::ffff:192.0.2.7%5D:5000", std::nullopt, none),
            "192.0.2.7");
  EXPECT_EQ(ClientOf("unix:/run/prongsai.sock", std::nullopt, none),
            "unix:/run/prongsai.sock");
}

TEST(ClientAddressTest, OneIpv6SubscriberIsOneClient) {
  const TrustedProxies none;
  EXPECT_EQ(ClientOf("ipv6:%5B2001:db8:1:2:aaaa:bbbb:cccc:dddd%5D:1",
                     std::nullopt, none),
            ClientOf("ipv6:%5B2001:db8:1:2::1%5D:1", std::nullopt, none));
  EXPECT_NE(ClientOf("ipv6:%5B2001:db8:1:3::1%5D:1", std::nullopt, none),
            ClientOf("ipv6:%5B2001:db8:1:2::1%5D:1", std::nullopt, none));
}

TEST(ClientAddressTest, OnlyTrustedProxiesNameTheClient) {
  const TrustedProxies proxies = Proxies("10.0.0.0/8, fd00::/8");
  // Not a trusted peer: its header is the client's own words.
  EXPECT_EQ(ClientOf("ipv4:198.51.100.1:1", "203.0.113.9", proxies),
            "198.51.100.1");
  // A trusted proxy, over IPv4 and over IPv6.
  EXPECT_EQ(ClientOf("ipv4:10.1.2.3:1", "203.0.113.9", proxies), "203.0.113.9");
  EXPECT_EQ(ClientOf("ipv6:%5Bfd00::5%5D:1", "203.0.113.9", proxies),
            "203.0.113.9");
  // The right-most entry that is not a proxy; what the client wrote to the
  // left of it does not count.
  EXPECT_EQ(
      ClientOf("ipv4:10.1.2.3:1", "1.1.1.1, 203.0.113.9, 10.9.9.9", proxies),
      "203.0.113.9");
  // Entries with ports, and several headers joined by the runtime.
  EXPECT_EQ(ClientOf("ipv4:10.1.2.3:1", "203.0.113.9:443", proxies),
            "203.0.113.9");
  EXPECT_EQ(ClientOf("ipv4:10.1.2.3:1", "[2001:db8:5:6::1]:443", proxies),
            "2001:db8:5:6::/64");
  EXPECT_EQ(ClientOf("ipv4:10.1.2.3:1", "6.6.6.6,203.0.113.9", proxies),
            "203.0.113.9");
  // Unreadable: the proxy itself, never a client-chosen bucket.
  EXPECT_EQ(ClientOf("ipv4:10.1.2.3:1", "junk", proxies), "10.1.2.3");
}

TEST(ClientAddressTest, TrustedProxiesAreValidated) {
  EXPECT_TRUE(TrustedProxies::Parse("").ok());
  EXPECT_TRUE(TrustedProxies::Parse("127.0.0.1, ::1, 10.0.0.0/8").ok());
  EXPECT_THAT(TrustedProxies::Parse("10.0.0.0/33").status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TrustedProxies::Parse("10.0.0.0/8, proxy.local").status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(TrustedProxies::Parse("10.0.0.0/8, proxy.local").status().message(),
            "trusted_proxies[1]: is not an IP address or CIDR network");
  EXPECT_THAT(TrustedProxies::Parse("fd00::/129").status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace prongsai::server
