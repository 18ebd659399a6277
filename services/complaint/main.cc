// prongsai-complaint: the complaint service binary. Wiring only; see
// complaint_service.h.
#include "common/server/server_main.h"
#include "services/complaint/complaint_service.h"

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv, prongsai::complaint::ComplaintServiceDefinition(),
      /*default_port=*/50052);
}
