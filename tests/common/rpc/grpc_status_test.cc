#include "common/rpc/grpc_status.h"

#include "gtest/gtest.h"

namespace prongsai {
namespace {

TEST(GrpcStatusTest, EveryCanonicalCodeRoundTrips) {
  for (int code = 0; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), "why");
    grpc::Status wire = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<int>(wire.error_code()), code);
    if (code != 0) {
      EXPECT_EQ(wire.error_message(), "why");
    }
    EXPECT_EQ(FromGrpcStatus(wire), status);
  }
}

TEST(GrpcStatusTest, NonCanonicalCodeBecomesUnknown) {
  absl::Status odd(static_cast<absl::StatusCode>(42), "odd");
  EXPECT_EQ(ToGrpcStatus(odd).error_code(), grpc::StatusCode::UNKNOWN);
  // 20: not a code, but inside the enum's range (0-31), so no UB to load.
  EXPECT_EQ(FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(20), "x"))
                .code(),
            absl::StatusCode::kUnknown);
}

}  // namespace
}  // namespace prongsai
