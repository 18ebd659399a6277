#include "common/rpc/grpc_log.h"

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "grpc/support/log.h"

namespace prongsai::rpc {
namespace {

void GrpcLogFunction(gpr_log_func_args* args) {
  log::Level level = log::Level::kInfo;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) level = log::Level::kError;
  if (args->severity == GPR_LOG_SEVERITY_DEBUG) level = log::Level::kDebug;
  log::Write(level, "grpc",
             {{"file", args->file},
              {"line", absl::StrCat(args->line)},
              {"message", args->message}});
}

}  // namespace

void RouteGrpcLogsHere() { gpr_set_log_function(GrpcLogFunction); }

}  // namespace prongsai::rpc
