// The complaint store on its own, on SQLite and on PostgreSQL: idempotent
// creates, keyset paging and filters, transitions stored with their
// workflow reply in one transaction, the data-version token every write
// replaces, tracking-code lookups, the erasure of sealed codes after the
// replay window, photos written with their complaint (once, and all or
// nothing), and the upgrade of a database made before migration 4.
#include "services/complaint/complaint_store.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using C = v1::Complaint;

constexpr absl::string_view kOrg = "6340101";
const absl::Time kStart = absl::FromUnixSeconds(1759300000);

class ComplaintStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url;
    testing::NewScratchDatabase(GetParam(), "c", &url);
    if (url.empty()) return;  // skipped, or failed
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(url);
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
  }

  void Migrate(int up_to = 1000) {
    std::vector<storage::Migration> migrations;
    for (const storage::Migration& migration : Migrations()) {
      if (migration.version <= up_to) migrations.push_back(migration);
    }
    ASSERT_THAT(storage::Migrate(*db_, "complaint", migrations), IsOk());
  }

  // A general complaint received at `now`, with a fresh id and a tracking
  // hash and sealed code named after its id.
  StoredComplaint Create(absl::string_view request_id, absl::Time now,
                         C::Kind kind = C::GENERAL,
                         absl::string_view subject = "ถนนชำรุด") {
    C complaint;
    complaint.set_kind(kind);
    complaint.set_channel(C::PHONE);
    complaint.set_subject(std::string(subject));
    complaint.set_description("ถนนหมู่ ๓ เป็นหลุม");
    complaint.mutable_organization()->set_code(std::string(kOrg));
    NewComplaint extra;
    extra.id = NewResourceId();
    extra.tracking_hash = absl::StrCat("hash-", extra.id);
    extra.sealed.tracking = absl::StrCat("sealed-", extra.id);
    extra.sealed.wrapped_key = absl::StrCat("key-", extra.id);
    absl::StatusOr<StoredComplaint> stored = CreateComplaint(
        *db_, kOrg, complaint, extra, request_id, {"operator-6340101", now});
    EXPECT_THAT(stored, IsOk());
    return stored.ok() ? *stored : StoredComplaint{};
  }

  std::string Version() { return DataVersion(*db_, kOrg).value_or("(error)"); }

  int64_t Count(absl::string_view sql) {
    absl::StatusOr<storage::Result> result = db_->Execute(sql);
    EXPECT_THAT(result, IsOk());
    return result.ok() ? result->rows.at(0).GetInt(0) : -1;
  }

  std::unique_ptr<storage::Connection> db_;
};

TEST_P(ComplaintStoreTest, ARequestIdCreatesOneComplaint) {
  Migrate();
  const StoredComplaint first = Create("r-1", kStart);
  EXPECT_EQ(first.complaint.state(), C::RECEIVED);
  EXPECT_EQ(first.complaint.audit().creator(), "operator-6340101");
  EXPECT_EQ(api::FromProtoTime(first.complaint.due_time()),
            kStart + absl::Hours(24 * kDefaultSlaDays));
  // The same request id again (another id and code offered): the first
  // complaint, unchanged, and nothing new written.
  const StoredComplaint again = Create("r-1", kStart + absl::Minutes(1));
  EXPECT_EQ(again.complaint.name(), first.complaint.name());
  EXPECT_EQ(again.sealed.tracking, first.sealed.tracking);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaints"), 1);
  // Its key, apart from the row, stored once.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaint_keys"), 1);
  const ChildName name =
      *ParseChildName("name", first.complaint.name(), kComplaints);
  EXPECT_EQ(ReadComplaintKey(*db_, kOrg, name.id).value_or("(error)"),
            absl::StrCat("key-", name.id));
  // Another id, or none, is another complaint.
  EXPECT_NE(Create("r-2", kStart).complaint.name(), first.complaint.name());
  Create("", kStart);
  Create("", kStart);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaints"), 4);
}

// A filing with two photos: a large one in base64, and a sealed one.
struct PhotoFiling {
  C complaint;
  NewComplaint extra;
};

PhotoFiling WithPhotos() {
  PhotoFiling filing;
  C& complaint = filing.complaint;
  complaint.set_kind(C::GENERAL);
  complaint.set_channel(C::WEBSITE);
  complaint.set_subject("ถนนชำรุด");
  complaint.set_description("ถนนหมู่ ๓ เป็นหลุม");
  complaint.mutable_organization()->set_code(std::string(kOrg));
  NewComplaint& extra = filing.extra;
  extra.id = NewResourceId();
  extra.tracking_hash = absl::StrCat("hash-", extra.id);
  std::string large;
  for (int i = 0; i < (1 << 20); ++i) large.push_back(static_cast<char>(i * 7));
  for (int i = 0; i < 2; ++i) {
    StoredPhoto& photo = extra.photos.emplace_back();
    photo.id = NewResourceId();
    photo.index = i * 2;
    photo.file_name = i == 0 ? "ภาพ.jpg" : "b.png";
    photo.media_type = i == 0 ? "image/jpeg" : "image/png";
    photo.size_bytes = i == 0 ? (1 << 20) : 3;
    photo.sha256 = std::string(64, i == 0 ? 'a' : 'b');
    photo.sealed = i == 1;
    photo.content = i == 0 ? absl::Base64Escape(large) : "v1.k1.c2VhbGVk";
    v1::Attachment* described = complaint.add_attachments();
    described->set_file_name(photo.file_name);
    described->set_name(absl::StrCat("organizations/", kOrg, "/complaints/",
                                     extra.id, "/attachments/", photo.id));
    // Bytes left in the description are never stored with it.
    described->set_content("stray bytes");
    if (i == 0) complaint.add_attachments()->set_storage_uri("s3://b/k");
  }
  return filing;
}

TEST_P(ComplaintStoreTest, PhotosAreStoredWithTheirComplaintOnce) {
  Migrate();
  const PhotoFiling filing = WithPhotos();
  absl::StatusOr<StoredComplaint> stored =
      CreateComplaint(*db_, kOrg, filing.complaint, filing.extra, "r-photos",
                      {"public", kStart});
  ASSERT_THAT(stored, IsOk());
  ASSERT_THAT(stored->complaint.attachments(), SizeIs(3));
  for (const v1::Attachment& described : stored->complaint.attachments()) {
    EXPECT_THAT(described.content(), IsEmpty());
  }
  const std::string id = filing.extra.id;
  for (const StoredPhoto& photo : filing.extra.photos) {
    absl::StatusOr<StoredPhoto> read = GetPhoto(*db_, kOrg, id, photo.id);
    ASSERT_THAT(read, IsOk());
    EXPECT_EQ(read->id, photo.id);
    EXPECT_EQ(read->index, photo.index);
    EXPECT_EQ(read->file_name, photo.file_name);
    EXPECT_EQ(read->media_type, photo.media_type);
    EXPECT_EQ(read->size_bytes, photo.size_bytes);
    EXPECT_EQ(read->sha256, photo.sha256);
    EXPECT_EQ(read->sealed, photo.sealed);
    EXPECT_TRUE(read->content == photo.content) << photo.file_name;
    // Only under its own complaint and organization.
    EXPECT_THAT(GetPhoto(*db_, "9999999", id, photo.id),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(GetPhoto(*db_, kOrg, NewResourceId(), photo.id),
                StatusIs(absl::StatusCode::kNotFound));
  }
  // A retry with the same request id (new ids offered) stores nothing.
  PhotoFiling retry = WithPhotos();
  absl::StatusOr<StoredComplaint> again =
      CreateComplaint(*db_, kOrg, retry.complaint, retry.extra, "r-photos",
                      {"public", kStart + absl::Minutes(1)});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->complaint.name(), stored->complaint.name());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaint_attachments"), 2);
  EXPECT_THAT(GetPhoto(*db_, kOrg, retry.extra.id, retry.extra.photos[0].id),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(ComplaintStoreTest, APhotoThatCannotBeWrittenLeavesNoComplaint) {
  Migrate();
  PhotoFiling filing = WithPhotos();
  // Two photos under one id: the second insert fails, and with it the
  // complaint and the first photo.
  filing.extra.photos[1].id = filing.extra.photos[0].id;
  EXPECT_THAT(CreateComplaint(*db_, kOrg, filing.complaint, filing.extra,
                              "r-broken", {"public", kStart}),
              Not(IsOk()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaints"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaint_attachments"), 0);
  // The same request id then files normally.
  const PhotoFiling fixed = WithPhotos();
  EXPECT_THAT(CreateComplaint(*db_, kOrg, fixed.complaint, fixed.extra,
                              "r-broken", {"public", kStart}),
              IsOk());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaint_attachments"), 2);
}

TEST_P(ComplaintStoreTest, PagesRunOldestFirstAndFiltersApply) {
  Migrate();
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    names.push_back(
        Create("", kStart + absl::Hours(i), i == 3 ? C::CORRUPTION : C::GENERAL)
            .complaint.name());
  }
  ComplaintFilter everything;
  PageRequest page;
  page.limit = 2;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 5; ++pages) {
    absl::StatusOr<api::Page<C>> listed =
        ListComplaints(*db_, kOrg, everything, page, kStart);
    ASSERT_THAT(listed, IsOk());
    EXPECT_LE(listed->items.size(), 2u);
    for (const C& complaint : listed->items) seen.push_back(complaint.name());
    if (listed->next_cursor.empty()) break;
    page.cursor = listed->next_cursor;
  }
  EXPECT_EQ(seen, names);

  ComplaintFilter general_only;
  general_only.include_corruption = false;
  page = PageRequest{};
  absl::StatusOr<api::Page<C>> general =
      ListComplaints(*db_, kOrg, general_only, page, kStart);
  ASSERT_THAT(general, IsOk());
  EXPECT_THAT(general->items, SizeIs(4));
  EXPECT_THAT(general->next_cursor, IsEmpty());
  // Another organization's listing is empty.
  absl::StatusOr<api::Page<C>> other =
      ListComplaints(*db_, "9999999", everything, page, kStart);
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(other->items, IsEmpty());
}

TEST_P(ComplaintStoreTest, ATransitionAndItsNoteAreOneWrite) {
  Migrate();
  const StoredComplaint filed = Create("", kStart);
  ChildName name = *ParseChildName("name", filed.complaint.name(), kComplaints);
  v1::TransitionComplaintRequest acknowledge;
  acknowledge.set_target_state(C::ACKNOWLEDGED);
  acknowledge.set_note("รับเรื่อง");
  const std::string before = Version();
  absl::StatusOr<StoredComplaint> moved =
      ApplyTransition(*db_, kOrg, name.id, C::RECEIVED, acknowledge,
                      {"officer", kStart + absl::Hours(1)});
  ASSERT_THAT(moved, IsOk());
  EXPECT_EQ(moved->complaint.state(), C::ACKNOWLEDGED);
  EXPECT_EQ(api::FromProtoTime(moved->complaint.acknowledge_time()),
            kStart + absl::Hours(1));
  EXPECT_EQ(moved->complaint.audit().updater(), "officer");
  EXPECT_NE(Version(), before);
  absl::StatusOr<api::Page<v1::Reply>> replies =
      ListReplies(*db_, kOrg, name.id, /*public_only=*/false, PageRequest{});
  ASSERT_THAT(replies, IsOk());
  ASSERT_THAT(replies->items, SizeIs(1));
  EXPECT_EQ(replies->items[0].author(), v1::Reply::WORKFLOW);
  EXPECT_EQ(replies->items[0].text(), "RECEIVED -> ACKNOWLEDGED: รับเรื่อง");

  // A move from a state the complaint has left: ABORTED, and neither the
  // state, nor a note, nor the version is written.
  const std::string after = Version();
  v1::TransitionComplaintRequest reject;
  reject.set_target_state(C::REJECTED);
  reject.set_note("ซ้ำ");
  reject.set_rejection_reason(v1::OUTSIDE_AUTHORITY);
  EXPECT_THAT(ApplyTransition(*db_, kOrg, name.id, C::RECEIVED, reject,
                              {"officer", kStart + absl::Hours(2)}),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(GetComplaint(*db_, kOrg, name.id, kStart)->complaint.state(),
            C::ACKNOWLEDGED);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM complaint_replies"), 1);
  EXPECT_EQ(Version(), after);
}

TEST_P(ComplaintStoreTest, EveryWriteReplacesTheDataVersion) {
  Migrate();
  std::set<std::string> versions = {Version()};
  EXPECT_EQ(Version(), "0");
  const StoredComplaint filed = Create("", kStart);
  versions.insert(Version());
  ChildName name = *ParseChildName("name", filed.complaint.name(), kComplaints);
  v1::Reply reply;
  reply.set_visibility(v1::Reply::PUBLIC);
  reply.set_text("กำลังดำเนินการ");
  ASSERT_THAT(AddReply(*db_, kOrg, name.id, reply, v1::Reply::STAFF,
                       {"officer", kStart}),
              IsOk());
  versions.insert(Version());
  v1::Category category;
  category.set_display_name("ถนน");
  ASSERT_THAT(UpsertCategory(*db_, kOrg, "roads", category, kStart), IsOk());
  versions.insert(Version());
  v1::TransitionComplaintRequest acknowledge;
  acknowledge.set_target_state(C::ACKNOWLEDGED);
  acknowledge.set_note("รับเรื่อง");
  ASSERT_THAT(ApplyTransition(*db_, kOrg, name.id, C::RECEIVED, acknowledge,
                              {"officer", kStart}),
              IsOk());
  versions.insert(Version());
  // Five distinct tokens: "0" and one per write.
  EXPECT_THAT(versions, SizeIs(5));
  // Reads change nothing, and another organization keeps its own.
  const std::string last = Version();
  ASSERT_THAT(GetComplaint(*db_, kOrg, name.id, kStart), IsOk());
  ASSERT_THAT(LoadStatisticsRows(*db_, kOrg, kStart, kStart + absl::Hours(1)),
              IsOk());
  EXPECT_EQ(Version(), last);
  EXPECT_EQ(DataVersion(*db_, "9999999").value_or(""), "0");
}

TEST_P(ComplaintStoreTest, TrackingHashesFindTheirComplaintOnly) {
  Migrate();
  const StoredComplaint filed = Create("", kStart);
  ChildName name = *ParseChildName("name", filed.complaint.name(), kComplaints);
  absl::StatusOr<StoredComplaint> found =
      GetComplaintByTrackingHash(*db_, absl::StrCat("hash-", name.id), kStart);
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(found->complaint.name(), filed.complaint.name());
  EXPECT_EQ(found->sealed.tracking, absl::StrCat("sealed-", name.id));
  // An unknown hash is NOT_FOUND, and the message does not echo it.
  absl::StatusOr<StoredComplaint> missing =
      GetComplaintByTrackingHash(*db_, "hash-unknown-0123", kStart);
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(missing.status().message(), Not(HasSubstr("unknown-0123")));
}

TEST_P(ComplaintStoreTest, SealedCodesAreErasedAfterTheWindowOnly) {
  Migrate();
  const StoredComplaint old_one = Create("", kStart);
  const StoredComplaint new_one = Create("", kStart + absl::Hours(10));
  absl::StatusOr<int64_t> erased =
      EraseSealedTrackingCodes(*db_, kStart + absl::Hours(5));
  ASSERT_THAT(erased, IsOk());
  EXPECT_EQ(*erased, 1);
  auto sealed_of = [&](const StoredComplaint& stored) {
    ChildName name =
        *ParseChildName("name", stored.complaint.name(), kComplaints);
    return GetComplaint(*db_, kOrg, name.id, kStart)->sealed.tracking;
  };
  EXPECT_THAT(sealed_of(old_one), IsEmpty());
  EXPECT_EQ(sealed_of(new_one), new_one.sealed.tracking);
  // The hash stays: the code still finds its complaint.
  ChildName old_name =
      *ParseChildName("name", old_one.complaint.name(), kComplaints);
  EXPECT_THAT(GetComplaintByTrackingHash(
                  *db_, absl::StrCat("hash-", old_name.id), kStart),
              IsOk());
  EXPECT_EQ(
      EraseSealedTrackingCodes(*db_, kStart + absl::Hours(5)).value_or(-1), 0);
}

// Migration 4 turns complaint_versions' integer into a token; a database
// made before it keeps its complaints and its version, as text.
TEST_P(ComplaintStoreTest, UpgradesADatabaseWithIntegerVersions) {
  Migrate(/*up_to=*/3);
  ASSERT_THAT(db_->Execute("INSERT INTO complaint_versions (organization_code, "
                           "version) VALUES (?, ?), (?, ?)",
                           {std::string(kOrg), int64_t{4611686018427387904},
                            std::string("9999999"), int64_t{7}}),
              IsOk());
  // A complaint as the previous schema stored it (columns of migration 2
  // left at their defaults).
  ASSERT_THAT(
      db_->Execute(
          "INSERT INTO complaints (id, organization_code, organization_name, "
          "organization_kind, province, district, kind, channel, subject, "
          "description, state, receive_time_us, due_time_us, create_time_us, "
          "creator, update_time_us, updater, request_id) VALUES (?, ?, '', "
          "0, '', '', ?, ?, 'ถนนชำรุด', 'หลุม', ?, ?, ?, ?, 'public', ?, "
          "'public', 'r-old')",
          {std::string("old"), std::string(kOrg), int64_t{C::GENERAL},
           int64_t{C::PHONE}, int64_t{C::RECEIVED}, absl::ToUnixMicros(kStart),
           absl::ToUnixMicros(kStart), absl::ToUnixMicros(kStart),
           absl::ToUnixMicros(kStart)}),
      IsOk());
  ASSERT_THAT(db_->Execute("UPDATE complaint_versions SET version = 12345 "
                           "WHERE organization_code = ?",
                           {std::string(kOrg)}),
              IsOk());

  Migrate();
  EXPECT_EQ(Version(), "12345");
  EXPECT_EQ(DataVersion(*db_, "9999999").value_or(""), "7");
  absl::StatusOr<StoredComplaint> old = GetComplaint(*db_, kOrg, "old", kStart);
  ASSERT_THAT(old, IsOk());
  EXPECT_EQ(old->complaint.subject(), "ถนนชำรุด");
  // Writes now replace the token; the old request id still replays.
  EXPECT_EQ(Create("r-old", kStart).complaint.name(), old->complaint.name());
  EXPECT_EQ(Version(), "12345");
  Create("r-new", kStart);
  EXPECT_NE(Version(), "12345");
  EXPECT_EQ(DataVersion(*db_, "9999999").value_or(""), "7");
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintStoreTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace prongsai::complaint
