// What a new complaint keeps protected, made before it reaches the store:
// its tracking code (handed to the filer once, stored only as a keyed hash
// and, for replies to a retried filing, sealed), and the complainant's and
// the accused's identities, each sealed against the complaint's name and
// its part so that a sealed value cannot be moved to another row or role;
// and the photos filed with it, without their identifying metadata
// (photo.h), sealed against their own name when the complaint is a
// corruption report (a photo may show who took it, or from where).
// Pure: randomness and libsodium only.
//
//   PRONGSAI_ASSIGN_OR_RETURN(
//       SealedFiling filing,
//       SealNewFiling(keys, complaint, organization, sla_days));
//   store.CreateComplaint(db, organization, complaint, filing.stored, ...);
//   response.set_tracking_code(filing.tracking_code);
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SEALING_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SEALING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/protection.h"

namespace prongsai::complaint {

// A photo as the store keeps it.
struct StoredPhoto {
  std::string id;  // organizations/.../complaints/{c}/attachments/{id}
  int index = 0;   // its place among the complaint's attachments
  std::string file_name;
  std::string media_type;
  int64_t size_bytes = 0;  // of the bytes stored, before sealing
  std::string sha256;      // of those bytes, lower-case hex
  // The bytes as text (the store holds text only): sealed (ASCII, see
  // ProtectionKeys::Seal) against the photo's name when `sealed`, base64
  // otherwise.
  bool sealed = false;
  std::string content;
};

// A complaint's sealed values as the store keeps them.
struct SealedValues {
  // The complaint's own key, wrapped (ComplaintKey::Wrap), which the values
  // below are sealed under. It is kept in complaint_keys, apart from the
  // row. "" once the identities are erased, and for a complaint filed
  // before complaints had keys, whose values are sealed under the
  // protection keys.
  std::string wrapped_key;
  // The tracking code, for the reply to a retried filing; "" once the
  // replay window is over.
  std::string tracking;
  // A v1::Person each; "" when no identity was given, and once erased.
  std::string complainant;
  std::string accused;
};

// What CreateComplaint writes besides the request's own fields.
struct NewComplaint {
  std::string id;  // chosen before the write so it can seal against the name
  int sla_days = kDefaultSlaDays;
  std::string tracking_hash;
  SealedValues sealed;
  std::vector<StoredPhoto> photos;
};

// A new filing, ready for the store.
struct SealedFiling {
  NewComplaint stored;
  // organizations/{organization}/complaints/{stored.id}
  std::string name;
  // The code as the filer gets it ("XXXX-XXXX-XXXX-XXXX-C").
  std::string tracking_code;
  // The complaint's attachments as the register describes them: photos with
  // their name, size and hash of the stored bytes, never their content.
  google::protobuf::RepeatedPtrField<v1::Attachment> attachments;
};

// Which identity of a complaint a sealed value holds.
enum class IdentityPart { kComplainant, kAccused };

// A new id, tracking code and key for `complaint` of `organization` with
// an SLA of `sla_days`: the code's hash keyed with the tracking key; the
// code, and the complainant and accused when any of their fields is given,
// sealed against the name under the complaint's own key (ComplaintKey),
// itself wrapped under the protection keys; and each photo (an attachment
// with content, as ValidateNewComplaint admits) stripped of its metadata,
// named, hashed and, for a CORRUPTION report, sealed under the protection
// keys. INVALID_ARGUMENT as ValidateNewComplaint for a photo it would
// refuse.
absl::StatusOr<SealedFiling> SealNewFiling(const ProtectionKeys& keys,
                                           const v1::Complaint& complaint,
                                           absl::string_view organization,
                                           int sla_days);

// Opens the part `part` of the complaint `name`'s `sealed` values into
// `*person`; nothing when that part is empty. DATA_LOSS when it does not
// open or parse, or when it is sealed under a key that is gone (erased, or
// a register restored without its complaint_keys).
absl::Status OpenIdentity(const ProtectionKeys& keys,
                          const SealedValues& sealed, absl::string_view name,
                          IdentityPart part, v1::Person* person);

// The tracking code in `sealed.tracking`; errors as OpenIdentity.
absl::StatusOr<std::string> OpenTrackingCode(const ProtectionKeys& keys,
                                             const SealedValues& sealed,
                                             absl::string_view name);

// The values of the complaint `name` sealed again, without the
// complainant's contact details, under a new key of its own: the old key
// is to be deleted with the old values, so that a copy of them in an older
// backup no longer opens. FAILED_PRECONDITION when the complainant has no
// contact details; as OpenIdentity when a value does not open.
absl::StatusOr<SealedValues> SealWithoutContact(const ProtectionKeys& keys,
                                                const SealedValues& sealed,
                                                absl::string_view name);

// The values of the complaint `name` sealed again, unchanged, under a new
// key of its own: for complaints filed before complaints had keys, whose
// values are sealed under the protection keys. As OpenIdentity when a
// value does not open.
absl::StatusOr<SealedValues> SealUnderNewKey(const ProtectionKeys& keys,
                                             const SealedValues& sealed,
                                             absl::string_view name);

// The bytes of `photo`, the attachment `name`: opened when sealed, decoded
// otherwise, and checked against its hash. DATA_LOSS when they do not open,
// decode or match; FAILED_PRECONDITION when its key is not loaded.
absl::StatusOr<std::string> OpenPhoto(const ProtectionKeys& keys,
                                      const StoredPhoto& photo,
                                      absl::string_view name);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SEALING_H_
