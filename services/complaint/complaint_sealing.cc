#include "services/complaint/complaint_sealing.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/photo.h"
#include "services/complaint/tracking_code.h"

namespace prongsai::complaint {
namespace {

// The part of a Person worth sealing, or "" when nothing was given.
std::string PersonBytes(const v1::Person& person) {
  if (person.name().empty() && person.contact().empty() &&
      person.position().empty()) {
    return "";
  }
  return person.SerializeAsString();
}

std::string SealContext(absl::string_view name, IdentityPart part) {
  return absl::StrCat(
      name, "#",
      part == IdentityPart::kComplainant ? "complainant" : "accused");
}

std::string SealPerson(const ComplaintKey& key, const v1::Person& person,
                       absl::string_view name, IdentityPart part) {
  const std::string bytes = PersonBytes(person);
  return bytes.empty() ? "" : key.Seal(bytes, SealContext(name, part));
}

// `value` of the complaint `name` opened: under the complaint's own key
// when it was sealed under it, under the protection keys otherwise.
absl::StatusOr<std::string> OpenValue(const ProtectionKeys& keys,
                                      absl::string_view wrapped_key,
                                      absl::string_view value,
                                      absl::string_view name,
                                      absl::string_view context) {
  if (!ComplaintKey::SealsUnderOwnKey(value)) return keys.Open(value, context);
  if (wrapped_key.empty()) {
    return absl::DataLossError(
        "the complaint's own key is gone (its identities were erased, or the "
        "register was restored without its keys)");
  }
  PRONGSAI_ASSIGN_OR_RETURN(ComplaintKey key,
                            ComplaintKey::Unwrap(keys, wrapped_key, name));
  return key.Open(value, context);
}

absl::StatusOr<v1::Person> OpenPerson(const ProtectionKeys& keys,
                                      const SealedValues& sealed,
                                      absl::string_view name,
                                      IdentityPart part) {
  v1::Person person;
  const std::string& value =
      part == IdentityPart::kComplainant ? sealed.complainant : sealed.accused;
  if (value.empty()) return person;
  PRONGSAI_ASSIGN_OR_RETURN(std::string bytes,
                            OpenValue(keys, sealed.wrapped_key, value, name,
                                      SealContext(name, part)));
  if (!person.ParseFromString(bytes)) {
    return absl::DataLossError("a protected identity cannot be decoded");
  }
  return person;
}

// Every value of `sealed` opened and sealed again under a new key, the
// complainant's contact details left out when `without_contact`
// (FAILED_PRECONDITION when there are none to leave out).
absl::StatusOr<SealedValues> SealAgain(const ProtectionKeys& keys,
                                       const SealedValues& sealed,
                                       absl::string_view name,
                                       bool without_contact) {
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::Person complainant,
      OpenPerson(keys, sealed, name, IdentityPart::kComplainant));
  if (without_contact) {
    if (complainant.contact().empty()) {
      return absl::FailedPreconditionError(
          "the complaint holds no contact details of the complainant");
    }
    complainant.clear_contact();
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::Person accused,
      OpenPerson(keys, sealed, name, IdentityPart::kAccused));
  const ComplaintKey key = ComplaintKey::Generate();
  SealedValues again;
  again.wrapped_key = key.Wrap(keys, name);
  if (!sealed.tracking.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string code,
        OpenValue(keys, sealed.wrapped_key, sealed.tracking, name, name));
    again.tracking = key.Seal(code, name);
  }
  again.complainant =
      SealPerson(key, complainant, name, IdentityPart::kComplainant);
  again.accused = SealPerson(key, accused, name, IdentityPart::kAccused);
  return again;
}

}  // namespace

absl::StatusOr<SealedFiling> SealNewFiling(const ProtectionKeys& keys,
                                           const v1::Complaint& complaint,
                                           absl::string_view organization,
                                           int sla_days) {
  SealedFiling filing;
  NewComplaint& stored = filing.stored;
  stored.id = NewResourceId();
  stored.sla_days = sla_days;
  filing.name = FormatChildName(organization, kComplaints, stored.id);
  filing.tracking_code = NewTrackingCode();
  PRONGSAI_ASSIGN_OR_RETURN(std::string canonical,
                            NormalizeTrackingCode(filing.tracking_code));
  stored.tracking_hash = TrackingCodeHash(canonical, keys.tracking_key());
  const ComplaintKey key = ComplaintKey::Generate();
  stored.sealed.wrapped_key = key.Wrap(keys, filing.name);
  stored.sealed.tracking = key.Seal(filing.tracking_code, filing.name);
  stored.sealed.complainant = SealPerson(
      key, complaint.complainant(), filing.name, IdentityPart::kComplainant);
  stored.sealed.accused =
      SealPerson(key, complaint.accused(), filing.name, IdentityPart::kAccused);
  const bool seal_photos = complaint.kind() == v1::Complaint::CORRUPTION;
  for (int i = 0; i < complaint.attachments_size(); ++i) {
    v1::Attachment& described = *filing.attachments.Add();
    described = complaint.attachments(i);
    described.clear_name();
    if (described.content().empty()) continue;
    StoredPhoto& photo = stored.photos.emplace_back();
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string bytes,
        StripPhotoMetadata(
            absl::StrCat("complaint.attachments[", i, "].content"),
            described.media_type(), described.content()));
    described.clear_content();
    photo.id = NewResourceId();
    photo.index = i;
    photo.file_name = described.file_name();
    photo.media_type = described.media_type();
    photo.size_bytes = static_cast<int64_t>(bytes.size());
    photo.sha256 = Sha256Hex(bytes);
    const std::string name = FormatAttachmentName(filing.name, photo.id);
    photo.sealed = seal_photos;
    photo.content =
        seal_photos ? keys.Seal(bytes, name) : absl::Base64Escape(bytes);
    described.set_name(name);
    described.set_size_bytes(photo.size_bytes);
    described.set_sha256(photo.sha256);
  }
  return filing;
}

absl::Status OpenIdentity(const ProtectionKeys& keys,
                          const SealedValues& sealed, absl::string_view name,
                          IdentityPart part, v1::Person* person) {
  PRONGSAI_ASSIGN_OR_RETURN(*person, OpenPerson(keys, sealed, name, part));
  return absl::OkStatus();
}

absl::StatusOr<std::string> OpenTrackingCode(const ProtectionKeys& keys,
                                             const SealedValues& sealed,
                                             absl::string_view name) {
  return OpenValue(keys, sealed.wrapped_key, sealed.tracking, name, name);
}

absl::StatusOr<SealedValues> SealWithoutContact(const ProtectionKeys& keys,
                                                const SealedValues& sealed,
                                                absl::string_view name) {
  return SealAgain(keys, sealed, name, /*without_contact=*/true);
}

absl::StatusOr<SealedValues> SealUnderNewKey(const ProtectionKeys& keys,
                                             const SealedValues& sealed,
                                             absl::string_view name) {
  return SealAgain(keys, sealed, name, /*without_contact=*/false);
}

absl::StatusOr<std::string> OpenPhoto(const ProtectionKeys& keys,
                                      const StoredPhoto& photo,
                                      absl::string_view name) {
  std::string bytes;
  if (photo.sealed) {
    PRONGSAI_ASSIGN_OR_RETURN(bytes, keys.Open(photo.content, name));
  } else if (!absl::Base64Unescape(photo.content, &bytes)) {
    return absl::DataLossError("a stored photo cannot be decoded");
  }
  if (static_cast<int64_t>(bytes.size()) != photo.size_bytes ||
      Sha256Hex(bytes) != photo.sha256) {
    return absl::DataLossError("a stored photo does not match its hash");
  }
  return bytes;
}

}  // namespace prongsai::complaint
