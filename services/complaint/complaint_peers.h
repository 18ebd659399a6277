// What the complaint service asks of the plan service: the organization
// registry. A complaint names its organization by code only; its name,
// kind, province and district are the registry's, never the caller's (a
// caller could otherwise file under an organization that does not exist,
// or have its own words shown back as the organization's name).
//
//   OrganizationRegistry registry(
//       client::PeerOptions::Of("plan service", "plan:50051", key));
//   PRONGSAI_ASSIGN_OR_RETURN(common::v1::OrganizationRef organization,
//                             registry.Lookup(peers, "6340101", now));
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_PEERS_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_PEERS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/client/peer.h"
#include "prongsai/common/v1/common.pb.h"

namespace prongsai::complaint {

class OrganizationRegistry {
 public:
  // `plan` without an address: no registry (development and tests of this
  // service alone); see Lookup.
  explicit OrganizationRegistry(client::PeerOptions plan,
                                absl::Duration refresh = absl::Minutes(10));

  bool configured() const { return plan_.configured(); }

  // The registered organization `code`. NOT_FOUND ("parent: ...") when the
  // registry does not know it. Answers are remembered for `refresh`; when
  // the plan service cannot answer, a remembered answer of any age is used,
  // and without one the call is UNAVAILABLE (retry). Without a registry
  // configured: the code alone.
  absl::StatusOr<common::v1::OrganizationRef> Lookup(client::PeerCall& peers,
                                                     absl::string_view code,
                                                     absl::Time now);

 private:
  struct Known {
    common::v1::OrganizationRef organization;
    absl::Time fetched;
  };

  const client::Peer plan_;
  const absl::Duration refresh_;
  absl::Mutex mu_;
  // Registered organizations only (a few thousand), so a flood of unknown
  // codes cannot grow it.
  absl::flat_hash_map<std::string, Known> known_ ABSL_GUARDED_BY(mu_);
};

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_PEERS_H_
