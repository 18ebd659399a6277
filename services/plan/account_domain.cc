#include "services/plan/account_domain.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/base/random_text.h"
#include "common/base/resource_name.h"
#include "common/base/validation.h"

namespace prongsai::plan {
namespace {

constexpr absl::string_view kAccountsPrefix = "accounts/";
constexpr absl::string_view kBase32Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// Without 0/O, 1/l/I: a one-time password is read off a screen or paper.
constexpr absl::string_view kOneTimeAlphabet =
    "abcdefghjkmnpqrstuvwxyz23456789A";

void InitSodium() {
  if (sodium_init() < 0) std::abort();
}

// Percent-encodes everything but unreserved characters (RFC 3986).
std::string UriEscape(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return out;
}

}  // namespace

absl::Status ValidateLogin(absl::string_view field_path,
                           absl::string_view login) {
  if (login.size() < 3 || login.size() > 64) {
    return InvalidField(field_path, "must be 3-64 characters");
  }
  for (char c : login) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
          c == '_' || c == '-')) {
      return InvalidField(field_path,
                          "may hold only a-z, 0-9, '.', '_' and '-'");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseAccountName(absl::string_view field_path,
                                             absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kAccountsPrefix)) {
    return InvalidField(field_path, "must be accounts/{login}");
  }
  if (!ValidateLogin(field_path, name).ok()) {
    return InvalidField(field_path, "must be accounts/{login}");
  }
  return std::string(name);
}

std::string AccountName(absl::string_view login) {
  return absl::StrCat(kAccountsPrefix, login);
}

absl::StatusOr<SessionName> ParseSessionName(absl::string_view field_path,
                                             absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "accounts" || parts[2] != "sessions" ||
      !ValidateLogin(field_path, parts[1]).ok() || parts[3].empty() ||
      parts[3].size() > 64) {
    return InvalidField(field_path,
                        "must be accounts/{login}/sessions/{session}");
  }
  for (char c : parts[3]) {
    if (!absl::ascii_isalnum(c)) {
      return InvalidField(field_path,
                          "must be accounts/{login}/sessions/{session}");
    }
  }
  return SessionName{std::string(parts[1]), std::string(parts[3])};
}

std::string FormatSessionName(absl::string_view login, absl::string_view id) {
  return absl::StrCat(kAccountsPrefix, login, "/sessions/", id);
}

absl::Status ValidateAccountFields(absl::string_view field_path,
                                   const v1::Account& account) {
  if (absl::Status status =
          ValidateText(FieldPath(field_path, "display_name"),
                       account.display_name(), 200, /*required=*/true);
      !status.ok()) {
    return status;
  }
  const std::string roles = FieldPath(field_path, "roles");
  if (account.roles().empty()) return InvalidField(roles, "needs a role");
  std::set<int> seen;
  for (int i = 0; i < account.roles_size(); ++i) {
    const int role = account.roles(i);
    if (role == common::v1::ROLE_UNSPECIFIED || role == common::v1::PUBLIC ||
        !common::v1::Role_IsValid(role)) {
      return InvalidField(IndexedPath(roles, i),
                          "must be SYSTEM, OPERATOR, INTEGRITY_OFFICER, "
                          "AUDITOR or EXECUTIVE");
    }
    if (!seen.insert(role).second) {
      return InvalidField(IndexedPath(roles, i), "is given twice");
    }
  }
  const std::string organizations = FieldPath(field_path, "organizations");
  if (account.all_organizations() && !account.organizations().empty()) {
    return InvalidField(organizations,
                        "must be empty when all_organizations is set");
  }
  if (!account.all_organizations() && account.organizations().empty()) {
    return InvalidField(organizations,
                        "needs a code, or set all_organizations");
  }
  std::set<std::string> codes;
  for (int i = 0; i < account.organizations_size(); ++i) {
    const std::string path = IndexedPath(organizations, i);
    if (absl::Status status =
            ValidateOrganizationCode(path, account.organizations(i));
        !status.ok()) {
      return status;
    }
    if (!codes.insert(account.organizations(i)).second) {
      return InvalidField(path, "is given twice");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePassword(absl::string_view field_path,
                              absl::string_view login,
                              absl::string_view password) {
  const std::optional<int> length = Utf8Length(password);
  if (!length.has_value()) return InvalidField(field_path, "is not UTF-8");
  if (*length < kMinPasswordLength) {
    return InvalidField(
        field_path,
        absl::StrCat("must be at least ", kMinPasswordLength, " characters"));
  }
  if (*length > kMaxPasswordLength) {
    return InvalidField(
        field_path,
        absl::StrCat("must be at most ", kMaxPasswordLength, " characters"));
  }
  if (absl::EqualsIgnoreCase(password, login)) {
    return InvalidField(field_path, "must not be the login");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(absl::string_view password) {
  InitSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return absl::ResourceExhaustedError(
        "the server lacks memory to hash a password; retry with back-off");
  }
  return std::string(hash);
}

bool VerifyPassword(absl::string_view hash, absl::string_view password) {
  InitSodium();
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(),
                                  password.size()) == 0;
}

bool PasswordNeedsRehash(absl::string_view hash) {
  InitSodium();
  const std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(
             terminated.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const std::string& DummyPasswordHash() {
  static const std::string* const kHash = [] {
    absl::StatusOr<std::string> hash =
        HashPassword(RandomBase32(32, kLowerBase32));
    if (!hash.ok()) std::abort();
    return new std::string(*std::move(hash));
  }();
  return *kHash;
}

std::string GenerateOneTimePassword() {
  return RandomBase32(16, kOneTimeAlphabet);
}

absl::Duration LockoutRemaining(const FailureRecord& record, absl::Time now) {
  return std::max(absl::ZeroDuration(), record.locked_until - now);
}

FailureRecord AfterFailure(FailureRecord record, absl::Time now) {
  if (now - record.last_failure > kFailureWindow) record.failures = 0;
  ++record.failures;
  record.last_failure = now;
  if (record.failures >= kFailuresBeforeLockout) {
    const int64_t doublings =
        std::min<int64_t>(record.failures - kFailuresBeforeLockout, 10);
    record.locked_until =
        now + std::min(kFirstLockout * (int64_t{1} << doublings), kMaxLockout);
  }
  return record;
}

std::string Base32Encode(absl::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> Base32Decode(absl::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    const size_t value = kBase32Alphabet.find(absl::ascii_toupper(c));
    if (value == absl::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string GenerateTotpSecret() {
  InitSodium();
  unsigned char secret[kTotpSecretBytes];
  randombytes_buf(secret, sizeof(secret));
  return Base32Encode(
      absl::string_view(reinterpret_cast<const char*>(secret), sizeof(secret)));
}

std::string TotpUri(absl::string_view login, absl::string_view secret_base32) {
  return absl::StrCat("otpauth://totp/Prongsai:", UriEscape(login),
                      "?secret=", secret_base32,
                      "&issuer=Prongsai&algorithm=SHA1&digits=6&period=30");
}

int64_t TotpStepAt(absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  const int64_t step = absl::ToInt64Seconds(kTotpStep);
  return seconds >= 0 ? seconds / step : (seconds - step + 1) / step;
}

std::string TotpCode(absl::string_view secret, int64_t step, int digits) {
  unsigned char counter[8];
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(step & 0xFF);
    step >>= 8;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter,
       sizeof(counter), digest, &digest_length);
  const int offset = digest[digest_length - 1] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(digest[offset] & 0x7F) << 24) |
                          (static_cast<uint32_t>(digest[offset + 1]) << 16) |
                          (static_cast<uint32_t>(digest[offset + 2]) << 8) |
                          static_cast<uint32_t>(digest[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return absl::StrFormat("%0*u", digits, binary % modulus);
}

std::optional<int64_t> AcceptTotp(absl::string_view secret,
                                  absl::string_view code, absl::Time now,
                                  int64_t last_used_step) {
  if (code.size() != 6) return std::nullopt;
  const int64_t current = TotpStepAt(now);
  for (int64_t step : {current, current - 1, current + 1}) {
    if (step <= last_used_step) continue;
    const std::string expected = TotpCode(secret, step);
    if (sodium_memcmp(expected.data(), code.data(), expected.size()) == 0) {
      return step;
    }
  }
  return std::nullopt;
}

}  // namespace prongsai::plan
