// prongsai-plan: the plan service binary. Wiring only; see plan_service.h.
#include "common/server/server_main.h"
#include "services/plan/plan_service.h"

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv,
      {.name = "plan", .default_port = 50051, .extra_env_flags = {}},
      [] { return prongsai::plan::PlanServiceDefinition(); });
}
