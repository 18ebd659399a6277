// Pure rules of the ITA service: what a valid assessment record is. No I/O,
// so they are unit-tested on their own.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateNewAssessment(request.assessment()));
#ifndef PRONGSAI_SERVICES_ITA_ITA_DOMAIN_H_
#define PRONGSAI_SERVICES_ITA_ITA_DOMAIN_H_

#include "absl/status/status.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Checks the caller-settable fields; errors name `assessment.<path>`.
absl::Status ValidateNewAssessment(const v1::Assessment& assessment);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_DOMAIN_H_
