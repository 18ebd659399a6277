// The command table of the `prongsai` CLI seen from outside: the built binary
// run as a process with every server flag pointing at a closed port, so no
// call can reach a service. The usage text, the list of verbs an unknown verb
// prints and the dispatch all come from one table in tools/cli/main.cc; these
// tests hold them to each other: every verb shown is dispatched, and every
// group lists each of its verbs once, in the usage text's order.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/run_binary.h"

namespace prongsai {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using CliRun = testing::BinaryRun;

// Runs the built CLI with `args`, no PRONGSAI_* variable, and every server
// (the demo's too) on a closed port; a demo finds no seeds.
CliRun RunOffline(std::vector<std::string> args) {
  for (const char* flag :
       {"--server=127.0.0.1:1", "--plan_server=127.0.0.1:1",
        "--complaint_server=127.0.0.1:1", "--ita_server=127.0.0.1:1",
        "--seeds=/nonexistent", "--timeout=5s"}) {
    args.push_back(flag);
  }
  return testing::RunBinary(PRONGSAI_CLI_BINARY, args, {}, "PRONGSAI_");
}

// The usage text printed after a usage error's message.
std::string UsageAfter(const CliRun& run, absl::string_view message) {
  absl::string_view text = run.stderr_text;
  const std::string prefix = absl::StrCat("usage error: ", message, "\n\n");
  if (!absl::ConsumePrefix(&text, prefix)) return "<no " + prefix + ">";
  absl::ConsumeSuffix(&text, "\n");
  return std::string(text);
}

std::string UsageText() {
  CliRun run = RunOffline({"no-such-command"});
  EXPECT_EQ(run.exit_code, 2);
  return UsageAfter(run, "unknown command \"no-such-command\"");
}

struct Verb {
  std::string group;
  std::string verb;  // empty for a group that takes none
};

// The verbs of the usage text's lines "  group verb ... | [group] verb ...",
// in order. Continuation lines are indented further.
std::vector<Verb> UsageVerbs(const std::string& usage) {
  std::vector<Verb> verbs;
  for (absl::string_view line : absl::StrSplit(usage, '\n')) {
    if (!absl::ConsumePrefix(&line, "  ") || absl::StartsWith(line, " ")) {
      continue;
    }
    std::string group;
    for (absl::string_view segment : absl::StrSplit(line, " | ")) {
      std::vector<std::string> words =
          absl::StrSplit(segment, ' ', absl::SkipEmpty());
      if (group.empty()) group = words[0];
      if (words[0] == group) words.erase(words.begin());
      const bool has_verb =
          !words.empty() && words[0][0] != '[' && words[0][0] != '-';
      verbs.push_back({group, has_verb ? words[0] : ""});
    }
  }
  return verbs;
}

// The verbs a usage error about `group` lists: "usage error: plan verbs:
// create, import, ...".
std::vector<std::string> ListedVerbs(const CliRun& run,
                                     const std::string& group) {
  absl::string_view text = run.stderr_text;
  if (!absl::ConsumePrefix(&text, "usage error: " + group + " verbs: ")) {
    return {"<no list of verbs>"};
  }
  text = text.substr(0, text.find('\n'));
  return absl::StrSplit(text, ", ");
}

TEST(CliCommandTableTest, MissingOrUnknownCommandIsAUsageError) {
  const std::string usage = UsageText();
  EXPECT_THAT(usage, StartsWith("prongsai <command> <verb> [flags]\n\n"));
  CliRun run = RunOffline({});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(UsageAfter(run, "missing command"), usage);
}

TEST(CliCommandTableTest, HelpShowsTheUsageTextAndTheFlags) {
  CliRun run = RunOffline({"--help"});
  EXPECT_THAT(run.stdout_text, StartsWith("prongsai: " + UsageText() + "\n"));
  // The CLI's own flags, with their help text.
  EXPECT_THAT(run.stdout_text,
              HasSubstr("--org (organization code, e.g. 6340101)"));
  EXPECT_THAT(run.stdout_text, HasSubstr("--api_key (API key (env "
                                         "PRONGSAI_API_KEY)); default: \"\";"));
}

TEST(CliCommandTableTest, UsageShowsEveryGroup) {
  std::vector<std::string> groups;
  for (const Verb& verb : UsageVerbs(UsageText())) {
    if (groups.empty() || groups.back() != verb.group) {
      groups.push_back(verb.group);
    }
  }
  EXPECT_THAT(groups,
              ElementsAre("org", "plan", "complaint", "ita", "oversight",
                          "demo", "health", "keys", "accounts", "sessions"));
}

// An unknown or missing verb lists the group's verbs, each once, in the
// order of the usage text, and is followed by the usage text.
TEST(CliCommandTableTest, UnknownVerbListsEachVerbOfItsGroupOnce) {
  const std::string usage = UsageText();
  const std::vector<Verb> verbs = UsageVerbs(usage);
  ASSERT_GT(verbs.size(), 40u) << "the usage lines were not parsed";
  for (const std::string group : {"org", "plan", "complaint", "ita", "demo",
                                  "keys", "accounts", "sessions"}) {
    std::vector<std::string> shown;
    for (const Verb& verb : verbs) {
      if (verb.group == group) shown.push_back(verb.verb);
    }
    EXPECT_EQ(std::set<std::string>(shown.begin(), shown.end()).size(),
              shown.size())
        << group << ": a verb shown twice";
    for (const std::string& word :
         {std::string("no-such-verb"), std::string("")}) {
      std::vector<std::string> args = {group};
      if (!word.empty()) args.push_back(word);
      CliRun run = RunOffline(args);
      EXPECT_EQ(run.exit_code, 2) << group << " '" << word << "'";
      EXPECT_EQ(ListedVerbs(run, group), shown) << group << " '" << word << "'";
      EXPECT_THAT(run.stderr_text, HasSubstr("\n\n" + usage + "\n"));
    }
  }
}

// Each verb shown reaches its own code: it fails for want of a flag or an
// argument (2) or of a server (1), never with the list of verbs.
TEST(CliCommandTableTest, EveryVerbInTheUsageIsDispatched) {
  for (const Verb& verb : UsageVerbs(UsageText())) {
    std::vector<std::string> args = {verb.group};
    if (!verb.verb.empty()) args.push_back(verb.verb);
    CliRun run = RunOffline(args);
    const std::string what = verb.group + " " + verb.verb;
    EXPECT_TRUE(run.exit_code == 1 || run.exit_code == 2)
        << what << ": exit " << run.exit_code;
    EXPECT_THAT(run.stderr_text, Not(HasSubstr(" verbs: "))) << what;
    EXPECT_THAT(run.stderr_text, Not(HasSubstr("unknown command"))) << what;
    // `demo load` reports each step it could not do on stdout ("FAILED
    // ..."), as its summary; every other verb fails with an error line.
    if (verb.group == "demo") {
      EXPECT_THAT(run.stdout_text, HasSubstr("FAILED")) << what;
    } else {
      EXPECT_THAT(run.stderr_text, ::testing::AnyOf(StartsWith("usage error: "),
                                                    HasSubstr("error: ")))
          << what;
    }
  }
}

// `health` takes no verb: whatever follows it, it asks the server.
TEST(CliCommandTableTest, GroupWithoutVerbsIgnoresTheWordAfterIt) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"health"},
        std::vector<std::string>{"health", "anything"}}) {
    CliRun run = RunOffline(args);
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_THAT(run.stderr_text, StartsWith("error: UNAVAILABLE: "));
  }
}

}  // namespace
}  // namespace prongsai
