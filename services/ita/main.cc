// prongsai-ita: the ITA service binary. Wiring only; see ita_service.h.
#include <string>

#include "absl/flags/flag.h"
#include "common/server/server_main.h"
#include "services/ita/ita_service.h"

ABSL_FLAG(std::string, plan_address, "",
          "host:port of the plan service, asked for ITA targets");
ABSL_FLAG(std::string, plan_api_key, "",
          "a SYSTEM API key of the plan service");

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv,
      {.name = "ita",
       .default_port = 50053,
       .extra_env_flags = {"plan_address", "plan_api_key"}},
      [] {
        return prongsai::ita::ItaServiceDefinition(
            {.plan_address = absl::GetFlag(FLAGS_plan_address),
             .plan_api_key = absl::GetFlag(FLAGS_plan_api_key)});
      });
}
