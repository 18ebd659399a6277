// The protection key file on disk: read, created once (owner-only) at the
// default path, never created at an explicit path, and the environment's
// text taking precedence over any file.
#include "services/complaint/key_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(KeyFileTest, LoadsAFileAndReportsAMissingOne) {
  const std::string path =
      absl::StrCat(testing::MakeScratchDir(), "/complaint.keys");
  std::ofstream(path) << ProtectionKeys::GenerateFileText("k3");
  absl::StatusOr<ProtectionKeys> keys = LoadProtectionKeyFile(path);
  ASSERT_THAT(keys, IsOk());
  EXPECT_EQ(keys->current_key_id(), "k3");
  EXPECT_THAT(LoadProtectionKeyFile(path + ".missing"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(KeyFileTest, CreatesAnOwnerOnlyFileOnceAndKeepsIt) {
  const std::string path =
      absl::StrCat(testing::MakeScratchDir(), "/var/nested/complaint.keys");
  ASSERT_THAT(CreateProtectionKeyFileIfMissing(path), IsOk());
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  const std::string first = ReadText(path);
  ASSERT_THAT(ProtectionKeys::Parse(first), IsOk());

  // A second start finds the file and leaves it as it is: replacing it
  // would lose every identity sealed with the first keys.
  ASSERT_THAT(CreateProtectionKeyFileIfMissing(path), IsOk());
  EXPECT_EQ(ReadText(path), first);
}

TEST(KeyFileTest, TheDefaultPathIsCreatedOnFirstStartAnExplicitOneNever) {
  const std::string dir = testing::MakeScratchDir();
  const std::string default_path = absl::StrCat(dir, "/var/complaint.keys");
  absl::StatusOr<ProtectionKeys> keys =
      LoadProtectionKeys(nullptr, "", default_path);
  ASSERT_THAT(keys, IsOk());
  ASSERT_TRUE(std::filesystem::exists(default_path));
  // The next start loads the same keys.
  absl::StatusOr<ProtectionKeys> again =
      LoadProtectionKeys(nullptr, "", default_path);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->tracking_key(), keys->tracking_key());

  const std::string explicit_path = absl::StrCat(dir, "/production.keys");
  EXPECT_THAT(LoadProtectionKeys(nullptr, explicit_path, default_path),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(explicit_path));
}

TEST(KeyFileTest, TheEnvironmentsTextComesBeforeAnyFile) {
  const std::string dir = testing::MakeScratchDir();
  const std::string text = ProtectionKeys::GenerateFileText("env");
  absl::StatusOr<ProtectionKeys> keys =
      LoadProtectionKeys(text.c_str(), absl::StrCat(dir, "/absent.keys"),
                         absl::StrCat(dir, "/default.keys"));
  ASSERT_THAT(keys, IsOk());
  EXPECT_EQ(keys->current_key_id(), "env");
  EXPECT_FALSE(std::filesystem::exists(absl::StrCat(dir, "/default.keys")));
  // Text that is not a key file is refused, not replaced by a file.
  EXPECT_THAT(LoadProtectionKeys("seal", "", absl::StrCat(dir, "/d.keys")),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace prongsai::complaint
