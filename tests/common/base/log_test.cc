#include "common/base/log.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::log {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::MatchesRegex;
using ::testing::SizeIs;
using ::testing::StartsWith;

// What `write` puts on stderr, as lines without their '\n'.
template <typename Write>
std::vector<std::string> LinesOf(Write write) {
  ::testing::internal::CaptureStderr();
  write();
  const std::string text = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(text, ::testing::AnyOf(::testing::IsEmpty(), EndsWith("\n")));
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  lines.pop_back();  // after the last '\n'
  return lines;
}

// The one line `fields` make, from the event on (the time stripped).
std::string EventOf(std::initializer_list<Field> fields) {
  std::vector<std::string> lines = LinesOf([&] { Info("event", fields); });
  EXPECT_THAT(lines, SizeIs(1));
  if (lines.size() != 1) return "";
  const size_t event = lines[0].find(" INFO ");
  return event == std::string::npos ? lines[0] : lines[0].substr(event + 6);
}

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override {
    SetMinLevel(Level::kInfo);
    ASSERT_TRUE(Configure("text", 1).ok());
  }
};

TEST_F(LogTest, OneLineOfTimeLevelEventAndFields) {
  const std::vector<std::string> lines = LinesOf([] {
    Info("rpc",
         {{"method", "GetActionPlan"}, {"code", "OK"}, {"latency_ms", "1.2"}});
  });
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(lines[0],
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                           "[0-9]{2}\\.[0-9]{3}Z INFO rpc "
                           "method=GetActionPlan code=OK latency_ms=1\\.2"));
}

TEST_F(LogTest, PlainValuesStayBareAndOthersAreQuotedAndEscaped) {
  EXPECT_EQ(EventOf({{"key", "organizations/6340101"}}),
            "event key=organizations/6340101");
  // Thai text has no space: bare.
  EXPECT_EQ(EventOf({{"name", "แผนปฏิบัติการ"}}), "event name=แผนปฏิบัติการ");
  EXPECT_EQ(EventOf({{"empty", ""}}), "event empty=\"\"");
  EXPECT_EQ(EventOf({{"why", "two words"}}), "event why=\"two words\"");
  EXPECT_EQ(EventOf({{"kv", "a=b"}}), "event kv=\"a=b\"");
  EXPECT_EQ(EventOf({{"tab", "a\tb"}}), "event tab=\"a\tb\"");
  EXPECT_EQ(EventOf({{"quote", "say \"hi\""}}),
            "event quote=\"say \\\"hi\\\"\"");
  // A backslash is escaped only inside quotes, where it could end one.
  EXPECT_EQ(EventOf({{"path", "a\\b"}}), "event path=a\\b");
  EXPECT_EQ(EventOf({{"path", "a b\\"}}), "event path=\"a b\\\\\"");
}

TEST_F(LogTest, ANewlineInAValueCannotStartAnotherLine) {
  EXPECT_EQ(EventOf({{"error", "first\nINFO forged=1"}}),
            "event error=\"first\\nINFO forged=1\"");
}

TEST_F(LogTest, LinesBelowTheMinimumLevelAreDropped) {
  // The default is INFO.
  EXPECT_THAT(LinesOf([] { Write(Level::kDebug, "debug", {}); }), SizeIs(0));

  SetMinLevel(Level::kWarning);
  const std::vector<std::string> warned = LinesOf([] {
    Info("info", {});
    Warning("warning", {{"n", "1"}});
    Error("error", {});
  });
  ASSERT_THAT(warned, SizeIs(2));
  EXPECT_THAT(warned[0], EndsWith(" WARN warning n=1"));
  EXPECT_THAT(warned[1], EndsWith(" ERROR error"));

  SetMinLevel(Level::kDebug);
  EXPECT_THAT(LinesOf([] { Write(Level::kDebug, "debug", {}); }),
              ElementsAre(EndsWith(" DEBUG debug")));
}

TEST_F(LogTest, ConcurrentEventsStayOneWholeLineEach) {
  constexpr int kThreads = 8;
  constexpr int kLinesEach = 200;
  // Long enough that a line written in pieces would show.
  const std::string payload(600, 'x');
  const std::vector<std::string> lines = LinesOf([&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kLinesEach; ++i) {
          Info("load", {{"thread", absl::StrCat(t)}, {"payload", payload}});
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  });
  ASSERT_THAT(lines, SizeIs(kThreads * kLinesEach));
  for (const std::string& line : lines) {
    EXPECT_THAT(line, MatchesRegex(".*Z INFO load thread=[0-9] payload=x+"));
    EXPECT_THAT(line, EndsWith(payload));
    EXPECT_THAT(line, StartsWith("20"));
  }
}

TEST_F(LogTest, JsonLinesAreOneObjectWithEveryValueAString) {
  ASSERT_TRUE(Configure("json", 1).ok());
  const std::vector<std::string> lines = LinesOf([] {
    Info("rpc", {{"method", "GetActionPlan"},
                 {"note", "a \"quote\", a \\ and\na line\tend"},
                 {"thai", "อบต.อีสานเขต"}});
  });
  ASSERT_THAT(lines, SizeIs(1));
  EXPECT_THAT(
      lines[0],
      MatchesRegex("\\{\"time\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\","
                   "\"level\":\"INFO\",\"event\":\"rpc\",.*\\}"));
  EXPECT_THAT(lines[0], EndsWith(",\"method\":\"GetActionPlan\",\"note\":\"a "
                                 "\\\"quote\\\", a \\\\ and\\u000aa "
                                 "line\\u0009end\",\"thai\":\"อบต.อีสานเขต\"}"));
}

TEST_F(LogTest, ConfigureRefusesAnUnknownFormatOrSamplingAndChangesNothing) {
  EXPECT_EQ(Configure("yaml", 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Configure("json", 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(EventOf({{"k", "v"}}), "event k=v");  // still text
}

TEST_F(LogTest, OkSamplingKeepsOneCallInN) {
  ASSERT_TRUE(Configure("text", 4).ok());
  int sampled = 0;
  for (int i = 0; i < 400; ++i) sampled += SampleOk() ? 1 : 0;
  EXPECT_EQ(sampled, 100);
  ASSERT_TRUE(Configure("text", 1).ok());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(SampleOk());
}

}  // namespace
}  // namespace prongsai::log
