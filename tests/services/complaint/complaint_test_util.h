// The complaint service as the tests run it: fresh protection keys and
// public limits high enough that only the tests about limits meet them.
//
//   StartService(ComplaintDefinitionForTest());
#ifndef PRONGSAI_TESTS_SERVICES_COMPLAINT_COMPLAINT_TEST_UTIL_H_
#define PRONGSAI_TESTS_SERVICES_COMPLAINT_COMPLAINT_TEST_UTIL_H_

#include "common/server/service_runtime.h"
#include "services/complaint/complaint_service.h"

namespace prongsai::testing {

complaint::ComplaintOptions ComplaintOptionsForTest();
server::ServiceDefinition ComplaintDefinitionForTest();

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_COMPLAINT_COMPLAINT_TEST_UTIL_H_
