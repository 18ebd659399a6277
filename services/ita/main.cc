// prongsai-ita: the ITA service binary. Wiring only; see ita_service.h.
#include "common/server/server_main.h"
#include "services/ita/ita_service.h"

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv, {.name = "ita", .default_port = 50053, .extra_env_flags = {}},
      [] { return prongsai::ita::ItaServiceDefinition(); });
}
