// The account rules without I/O: logins and account fields, the password
// policy and hashing, the lockout schedule, base32 and TOTP against the RFC
// test vectors.
#include "services/plan/account_domain.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::StatusIs;

TEST(AccountDomainTest, LoginsAreShortLowerCaseNames) {
  for (const std::string& good :
       {std::string("abc"), std::string("somchai.j"), std::string("a_b-c.9"),
        std::string(64, 'a')}) {
    EXPECT_TRUE(ValidateLogin("account_id", good).ok()) << good;
  }
  for (const char* bad :
       {"ab", "Somchai", "สมชาย", "a b", "a/b", "a@b.c", ""}) {
    absl::Status status = ValidateLogin("account_id", bad);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    EXPECT_TRUE(absl::StartsWith(status.message(), "account_id: ")) << bad;
  }
  EXPECT_FALSE(ValidateLogin("account_id", std::string(65, 'a')).ok());
}

TEST(AccountDomainTest, NamesParseAndFormat) {
  EXPECT_EQ(*ParseAccountName("name", "accounts/somchai"), "somchai");
  EXPECT_EQ(AccountName("somchai"), "accounts/somchai");
  EXPECT_FALSE(ParseAccountName("name", "accounts/").ok());
  EXPECT_FALSE(ParseAccountName("name", "organizations/somchai").ok());
  absl::StatusOr<SessionName> session =
      ParseSessionName("name", "accounts/somchai/sessions/abc123");
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->login, "somchai");
  EXPECT_EQ(session->id, "abc123");
  EXPECT_EQ(FormatSessionName("somchai", "abc123"),
            "accounts/somchai/sessions/abc123");
  EXPECT_FALSE(ParseSessionName("name", "accounts/somchai/sessions/").ok());
  EXPECT_FALSE(ParseSessionName("name", "accounts/somchai/other/x").ok());
}

v1::Account ValidAccount() {
  v1::Account account;
  account.set_display_name("สมชาย ใจดี");
  account.add_roles(common::v1::OPERATOR);
  account.add_organizations("6340101");
  return account;
}

TEST(AccountDomainTest, AccountFieldsAreChecked) {
  EXPECT_TRUE(ValidateAccountFields("account", ValidAccount()).ok());
  auto field_of = [](const v1::Account& account) {
    absl::Status status = ValidateAccountFields("account", account);
    std::string message(status.message());
    return message.substr(0, message.find(':'));
  };
  v1::Account account = ValidAccount();
  account.clear_display_name();
  EXPECT_EQ(field_of(account), "account.display_name");
  account = ValidAccount();
  account.set_display_name(std::string(201, 'x'));
  EXPECT_EQ(field_of(account), "account.display_name");
  account = ValidAccount();
  account.clear_roles();
  EXPECT_EQ(field_of(account), "account.roles");
  account = ValidAccount();
  account.add_roles(common::v1::PUBLIC);
  EXPECT_EQ(field_of(account), "account.roles[1]");
  account = ValidAccount();
  account.add_roles(common::v1::OPERATOR);
  EXPECT_EQ(field_of(account), "account.roles[1]");
  account = ValidAccount();
  account.clear_organizations();
  EXPECT_EQ(field_of(account), "account.organizations");
  account.set_all_organizations(true);
  EXPECT_TRUE(ValidateAccountFields("account", account).ok());
  account.add_organizations("6340101");
  EXPECT_EQ(field_of(account), "account.organizations");
  account = ValidAccount();
  account.add_organizations("bad code!");
  EXPECT_EQ(field_of(account), "account.organizations[1]");
}

TEST(AccountDomainTest, PasswordPolicy) {
  EXPECT_TRUE(
      ValidatePassword("new_password", "somchai", "correct horse b").ok());
  // Thai counts per character: 12 Thai letters are 36 bytes but 12 long.
  EXPECT_TRUE(ValidatePassword("new_password", "somchai", "กขคงจฉชซฌญฎฏ").ok());
  EXPECT_FALSE(ValidatePassword("new_password", "somchai", "กขคงจฉชซฌญฎ").ok());
  absl::Status short_one =
      ValidatePassword("new_password", "somchai", "elevenchars");
  EXPECT_THAT(short_one, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(short_one.message(),
            "new_password: must be at least 12 characters");
  EXPECT_TRUE(ValidatePassword("new_password", "somchai", "twelve chars").ok());
  absl::Status login =
      ValidatePassword("new_password", "somchai.jaidee", "SOMCHAI.JAIDEE");
  EXPECT_EQ(login.message(), "new_password: must not be the login");
  EXPECT_FALSE(
      ValidatePassword("new_password", "somchai", std::string(1025, 'x')).ok());
}

TEST(AccountDomainTest, PasswordHashesVerifyOnlyTheirPassword) {
  absl::StatusOr<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(absl::StartsWith(*hash, "$argon2id$"));
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
  // A hash made with the cheaper minimum parameters is upgraded.
  EXPECT_TRUE(
      PasswordNeedsRehash("$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$"
                          "ZGVhZGJlZWZkZWFkYmVlZmRlYWRiZWVmZGVhZGJlZWY"));
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), ""));
  EXPECT_EQ(&DummyPasswordHash(), &DummyPasswordHash());
}

TEST(AccountDomainTest, OneTimePasswordsAreRandomAndReadable) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string password = GenerateOneTimePassword();
    EXPECT_EQ(password.size(), 16u);
    EXPECT_EQ(password.find_first_of("0O1lI"), std::string::npos) << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(AccountDomainTest, LockoutStartsAtTheFifthFailureAndDoubles) {
  const absl::Time start = absl::FromUnixSeconds(1760000000);
  FailureRecord record;
  for (int i = 1; i <= 4; ++i) {
    record = AfterFailure(record, start + absl::Seconds(i));
    EXPECT_EQ(LockoutRemaining(record, start + absl::Seconds(i)),
              absl::ZeroDuration())
        << i;
  }
  absl::Time now = start + absl::Seconds(5);
  record = AfterFailure(record, now);
  EXPECT_EQ(LockoutRemaining(record, now), absl::Seconds(30));
  EXPECT_EQ(LockoutRemaining(record, now + absl::Seconds(29)),
            absl::Seconds(1));
  EXPECT_EQ(LockoutRemaining(record, now + absl::Seconds(30)),
            absl::ZeroDuration());
  // Each further failure (once the lock ends) doubles, up to 15 minutes.
  const absl::Duration expected[] = {absl::Seconds(60),  absl::Seconds(120),
                                     absl::Seconds(240), absl::Seconds(480),
                                     absl::Minutes(15),  absl::Minutes(15)};
  for (absl::Duration lock : expected) {
    now = record.locked_until;
    record = AfterFailure(record, now);
    EXPECT_EQ(LockoutRemaining(record, now), lock);
  }
}

TEST(AccountDomainTest, FailuresOutsideTheWindowStartAgain) {
  const absl::Time start = absl::FromUnixSeconds(1760000000);
  FailureRecord record;
  for (int i = 0; i < 4; ++i) {
    record = AfterFailure(record, start + absl::Minutes(i));
  }
  // The fifth comes more than 15 minutes after the fourth: a new count.
  const absl::Time later = start + absl::Minutes(3) + absl::Minutes(16);
  record = AfterFailure(record, later);
  EXPECT_EQ(record.failures, 1);
  EXPECT_EQ(LockoutRemaining(record, later), absl::ZeroDuration());
}

TEST(AccountDomainTest, Base32FollowsRfc4648) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded);
    EXPECT_EQ(Base32Decode(encoded), plain);
  }
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi======"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW1"), std::nullopt);
  const std::string secret = GenerateTotpSecret();
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(Base32Decode(secret)->size(), 20u);
}

// RFC 4226 appendix D: HOTP of "12345678901234567890" for counters 0-9.
TEST(AccountDomainTest, HotpMatchesRfc4226) {
  const char* const codes[] = {"755224", "287082", "359152", "969429",
                               "338314", "254676", "287922", "162583",
                               "399871", "520489"};
  for (int counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(TotpCode("12345678901234567890", counter), codes[counter])
        << counter;
  }
}

// RFC 6238 appendix B, SHA-1, 8 digits.
TEST(AccountDomainTest, TotpMatchesRfc6238) {
  const std::pair<int64_t, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"},
      {1111111111, "14050471"}, {1234567890, "89005924"},
      {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [seconds, code] : vectors) {
    EXPECT_EQ(TotpCode("12345678901234567890",
                       TotpStepAt(absl::FromUnixSeconds(seconds)), 8),
              code)
        << seconds;
  }
}

TEST(AccountDomainTest, TotpAcceptsOneStepOfDriftAndEachStepOnce) {
  const std::string secret = "12345678901234567890";
  const absl::Time now = absl::FromUnixSeconds(1111111111);
  const int64_t step = TotpStepAt(now);
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step), now, 0), step);
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step - 1), now, 0), step - 1);
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step + 1), now, 0), step + 1);
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step - 2), now, 0),
            std::nullopt);
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step + 2), now, 0),
            std::nullopt);
  // Used already: this step and any before the last accepted are refused.
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step), now, step),
            std::nullopt);
  EXPECT_EQ(AcceptTotp(secret, TotpCode(secret, step - 1), now, step),
            std::nullopt);
  EXPECT_EQ(AcceptTotp(secret, "12345", now, 0), std::nullopt);
  EXPECT_EQ(AcceptTotp(secret, "abcdef", now, 0), std::nullopt);
}

TEST(AccountDomainTest, TotpUriNamesTheIssuerAndLogin) {
  EXPECT_EQ(TotpUri("somchai.j", "MZXW6YTBOI"),
            "otpauth://totp/Prongsai:somchai.j?secret=MZXW6YTBOI&issuer="
            "Prongsai&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace prongsai::plan
