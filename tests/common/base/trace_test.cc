#include "common/base/trace.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai {
namespace {

using ::testing::MatchesRegex;

constexpr char kHeader[] =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContextTest, ReadsAWellFormedHeaderAndWritesItBack) {
  std::optional<TraceContext> trace = TraceContext::FromHeader(kHeader);
  ASSERT_TRUE(trace.has_value());
  EXPECT_EQ(trace->trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(trace->span_id(), "00f067aa0ba902b7");
  EXPECT_EQ(trace->Header(), kHeader);
}

TEST(TraceContextTest, RefusesWhatTheSpecificationRefuses) {
  for (const char* bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // 3 fields
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zeros
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zeros
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // ff
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",   // short
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
           "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01",
       }) {
    EXPECT_FALSE(TraceContext::FromHeader(bad).has_value()) << bad;
  }
  // A later version may add fields; its first four are read.
  EXPECT_TRUE(TraceContext::FromHeader(
                  "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-ext")
                  .has_value());
}

TEST(TraceContextTest, AChildKeepsTheTraceWithANewSpan) {
  const TraceContext parent = *TraceContext::FromHeader(kHeader);
  const TraceContext child = parent.Child();
  EXPECT_EQ(child.trace_id(), parent.trace_id());
  EXPECT_NE(child.span_id(), parent.span_id());
  EXPECT_THAT(
      child.Header(),
      MatchesRegex("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01"));
}

TEST(TraceContextTest, NewTracesAreWellFormedAndDistinct) {
  const TraceContext a = TraceContext::New();
  const TraceContext b = TraceContext::New();
  EXPECT_NE(a.trace_id(), b.trace_id());
  EXPECT_TRUE(TraceContext::FromHeader(a.Header()).has_value()) << a.Header();
}

TEST(ScopedTraceTest, SetsAndRestoresTheThreadsCurrentTrace) {
  EXPECT_EQ(CurrentTrace(), nullptr);
  const TraceContext outer = TraceContext::New();
  {
    ScopedTrace outer_scope(outer);
    EXPECT_EQ(CurrentTrace(), &outer);
    const TraceContext inner = outer.Child();
    {
      ScopedTrace inner_scope(inner);
      EXPECT_EQ(CurrentTrace(), &inner);
    }
    EXPECT_EQ(CurrentTrace(), &outer);
  }
  EXPECT_EQ(CurrentTrace(), nullptr);
}

}  // namespace
}  // namespace prongsai
