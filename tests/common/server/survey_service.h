// The server tests' own service (survey.proto): a real ServiceDefinition
// for ServiceHost, built from method_list.h like the services, with a
// SQLite or PostgreSQL table of its own, so that common/server is tested
// without linking any Prongsai service.
//
//   absl::StatusOr<std::unique_ptr<ServiceHost>> host =
//       ServiceHost::Start(options, SurveyServiceDefinition());
#ifndef PRONGSAI_TESTS_COMMON_SERVER_SURVEY_SERVICE_H_
#define PRONGSAI_TESTS_COMMON_SERVER_SURVEY_SERVICE_H_

#include "common/server/server_host.h"

namespace prongsai::testing {

server::ServiceDefinition SurveyServiceDefinition();

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_COMMON_SERVER_SURVEY_SERVICE_H_
