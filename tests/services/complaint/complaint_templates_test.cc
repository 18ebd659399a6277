// Reply templates through gRPC on SQLite and PostgreSQL: idempotent
// upserts, refusal of unknown placeholders (nothing stored), listing the
// templates that fit a complaint's category and state, who may edit and
// read them, and CreateReply filling placeholders from the complaint and the
// sender's values.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/service_test_util.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::kParent;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using C = v1::Complaint;

class ComplaintTemplatesTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    StartService(
        ComplaintServiceDefinition(testing::ComplaintOptionsForTest()));
    if (IsSkipped()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::ComplaintService::NewStub(service().channel());
    v1::UpsertCategoryRequest category;
    category.mutable_category()->set_name(Category("road"));
    category.mutable_category()->set_display_name("ถนนและทางเท้า");
    category.mutable_category()->set_sla_days(10);
    v1::Category ignored;
    ASSERT_THAT(
        stub_->UpsertCategory(service().Context(Caller::kOperator).get(),
                              category, &ignored),
        GrpcIsOk());
  }

  static std::string Category(absl::string_view id) {
    return absl::StrCat(kParent, "/categories/", id);
  }
  static std::string TemplateName(absl::string_view id) {
    return absl::StrCat(kParent, "/replyTemplates/", id);
  }

  static v1::ReplyTemplate Template(absl::string_view id,
                                    absl::string_view text) {
    v1::ReplyTemplate reply_template;
    reply_template.set_name(TemplateName(id));
    reply_template.set_display_name(absl::StrCat("แบบ ", id));
    reply_template.set_text(std::string(text));
    return reply_template;
  }

  grpc::Status Upsert(const v1::ReplyTemplate& reply_template,
                      Caller caller = Caller::kOperator,
                      v1::ReplyTemplate* out = nullptr) {
    v1::UpsertReplyTemplateRequest request;
    *request.mutable_reply_template() = reply_template;
    v1::ReplyTemplate ignored;
    return stub_->UpsertReplyTemplate(service().Context(caller).get(), request,
                                      out != nullptr ? out : &ignored);
  }

  std::vector<std::string> Listed(absl::string_view category = "",
                                  C::State state = C::STATE_UNSPECIFIED,
                                  Caller caller = Caller::kOperator) {
    v1::ListReplyTemplatesRequest request;
    request.set_parent(std::string(kParent));
    request.set_category(std::string(category));
    request.set_state(state);
    std::vector<std::string> ids;
    do {
      request.set_page_size(2);  // so that paging is exercised
      v1::ListReplyTemplatesResponse response;
      EXPECT_THAT(stub_->ListReplyTemplates(service().Context(caller).get(),
                                            request, &response),
                  GrpcIsOk());
      for (const auto& reply_template : response.reply_templates()) {
        ids.push_back(
            reply_template.name().substr(reply_template.name().rfind('/') + 1));
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return ids;
  }

  C File(absl::string_view category = "") {
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    C* complaint = request.mutable_complaint();
    complaint->set_kind(C::GENERAL);
    complaint->set_channel(C::PHONE);
    complaint->set_subject("ถนนหน้าวัดเป็นหลุม");
    complaint->set_description("รถจักรยานยนต์ล้ม");
    complaint->set_category(std::string(category));
    C created;
    EXPECT_THAT(
        stub_->CreateComplaint(service().Context(Caller::kOperator).get(),
                               request, &created),
        GrpcIsOk());
    return created;
  }

  grpc::Status Reply(const std::string& complaint, v1::Reply reply,
                     v1::Reply* out) {
    v1::CreateReplyRequest request;
    request.set_parent(complaint);
    *request.mutable_reply() = std::move(reply);
    return stub_->CreateReply(service().Context(Caller::kOperator).get(),
                              request, out);
  }

  std::vector<std::string> ReplyTexts(const std::string& complaint) {
    v1::ListRepliesRequest request;
    request.set_parent(complaint);
    v1::ListRepliesResponse response;
    EXPECT_THAT(stub_->ListReplies(service().Context(Caller::kSystem).get(),
                                   request, &response),
                GrpcIsOk());
    std::vector<std::string> texts;
    for (const auto& reply : response.replies()) texts.push_back(reply.text());
    return texts;
  }

  std::unique_ptr<v1::ComplaintService::Stub> stub_;
};

TEST_P(ComplaintTemplatesTest,
       UpsertIsIdempotentAndRefusesUnknownPlaceholders) {
  v1::ReplyTemplate acknowledge =
      Template("acknowledge", "รับเรื่องแล้ว กำหนดเสร็จ {due_date}");
  v1::ReplyTemplate first;
  ASSERT_THAT(Upsert(acknowledge, Caller::kOperator, &first), GrpcIsOk());
  EXPECT_EQ(first.visibility(), v1::Reply::PUBLIC);  // the default
  v1::ReplyTemplate again;
  ASSERT_THAT(Upsert(acknowledge, Caller::kOperator, &again), GrpcIsOk());
  EXPECT_EQ(again.text(), acknowledge.text());
  EXPECT_THAT(Listed(), ElementsAre("acknowledge"));

  // An unknown placeholder, a lone brace, a parameter shadowing a known
  // name: refused with the field, and nothing stored or changed.
  v1::ReplyTemplate unknown = Template("unknown", "นัดวันที่ {meeting_date}");
  EXPECT_THAT(Upsert(unknown), IsInvalidField("reply_template.text"));
  v1::ReplyTemplate changed = acknowledge;
  changed.set_text("เสร็จ {due_date} {oops}");
  EXPECT_THAT(Upsert(changed), IsInvalidField("reply_template.text"));
  changed.set_text("ราคา {100");
  EXPECT_THAT(Upsert(changed), IsInvalidField("reply_template.text"));
  changed.set_text("{due_date}");
  changed.add_parameters("state");
  EXPECT_THAT(Upsert(changed), IsInvalidField("reply_template.parameters[0]"));
  changed.clear_parameters();
  changed.set_category(Category("water"));  // no such category
  EXPECT_THAT(Upsert(changed), IsInvalidField("reply_template.category"));
  EXPECT_THAT(Listed(), ElementsAre("acknowledge"));
  v1::ReplyTemplate kept;
  ASSERT_THAT(Upsert(acknowledge, Caller::kOperator, &kept), GrpcIsOk());
  EXPECT_EQ(kept.text(), acknowledge.text());

  // Declared as a parameter, the same placeholder is accepted.
  unknown.add_parameters("meeting_date");
  EXPECT_THAT(Upsert(unknown), GrpcIsOk());
  EXPECT_THAT(Listed(), ElementsAre("acknowledge", "unknown"));
}

TEST_P(ComplaintTemplatesTest, ListsTheTemplatesThatFitACategoryAndState) {
  v1::ReplyTemplate any = Template("any", "ขอบคุณที่แจ้ง");
  v1::ReplyTemplate road = Template("road", "กองช่างรับเรื่อง{category}แล้ว");
  road.set_category(Category("road"));
  v1::ReplyTemplate progress = Template("progress", "อยู่ระหว่างซ่อม");
  progress.set_category(Category("road"));
  progress.add_states(C::IN_PROGRESS);
  progress.add_states(C::ASSIGNED);
  v1::ReplyTemplate received = Template("received", "รับเรื่อง {received_date}");
  received.add_states(C::RECEIVED);
  for (const auto& reply_template : {any, road, progress, received}) {
    ASSERT_THAT(Upsert(reply_template), GrpcIsOk());
    clock_.Advance(absl::Seconds(1));  // listed oldest first
  }
  EXPECT_THAT(Listed(), ElementsAre("any", "road", "progress", "received"));
  EXPECT_THAT(Listed(Category("road")),
              ElementsAre("any", "road", "progress", "received"));
  EXPECT_THAT(Listed(Category("other")), ElementsAre("any", "received"));
  EXPECT_THAT(Listed(Category("road"), C::IN_PROGRESS),
              ElementsAre("any", "road", "progress"));
  EXPECT_THAT(Listed(Category("other"), C::RECEIVED),
              ElementsAre("any", "received"));
  EXPECT_THAT(Listed("", C::ASSIGNED), ElementsAre("any", "road", "progress"));
  // Integrity officers read them too.
  EXPECT_THAT(Listed("", C::CLOSED, Caller::kIntegrityOfficer),
              ElementsAre("any", "road"));

  v1::DeleteReplyTemplateRequest remove;
  remove.set_name(TemplateName("road"));
  v1::DeleteReplyTemplateResponse removed;
  ASSERT_THAT(stub_->DeleteReplyTemplate(
                  service().Context(Caller::kOperator).get(), remove, &removed),
              GrpcIsOk());
  EXPECT_THAT(stub_->DeleteReplyTemplate(
                  service().Context(Caller::kOperator).get(), remove, &removed),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Listed(Category("road")),
              ElementsAre("any", "progress", "received"));
}

TEST_P(ComplaintTemplatesTest, OnlyStaffEditAndRead) {
  ASSERT_THAT(Upsert(Template("any", "ขอบคุณ")), GrpcIsOk());
  for (Caller caller : {Caller::kAuditor, Caller::kExecutive,
                        Caller::kIntegrityOfficer, Caller::kOtherOperator}) {
    EXPECT_THAT(Upsert(Template("other", "ข้อความ"), caller),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED))
        << testing::CallerName(caller);
    v1::DeleteReplyTemplateRequest remove;
    remove.set_name(TemplateName("any"));
    v1::DeleteReplyTemplateResponse removed;
    EXPECT_THAT(stub_->DeleteReplyTemplate(service().Context(caller).get(),
                                           remove, &removed),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
  for (Caller caller :
       {Caller::kAuditor, Caller::kExecutive, Caller::kOtherOperator}) {
    v1::ListReplyTemplatesRequest request;
    request.set_parent(std::string(kParent));
    v1::ListReplyTemplatesResponse response;
    EXPECT_THAT(stub_->ListReplyTemplates(service().Context(caller).get(),
                                          request, &response),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED))
        << testing::CallerName(caller);
  }
  EXPECT_THAT(Listed(), ElementsAre("any"));
}

TEST_P(ComplaintTemplatesTest, RepliesFillPlaceholdersFromTheComplaint) {
  v1::ReplyTemplate meeting =
      Template("meeting",
               "{organization} ได้รับเรื่อง{category} \"{subject}\" เมื่อ "
               "{received_date} สถานะ {state} จะแล้วเสร็จภายใน {due_date} "
               "นัดตรวจพื้นที่ {meeting_date} {{ห้ามแก้}}");
  meeting.add_parameters("meeting_date");
  meeting.set_visibility(v1::Reply::INTERNAL);
  ASSERT_THAT(Upsert(meeting), GrpcIsOk());
  const C complaint = File(Category("road"));

  v1::Reply reply;
  reply.set_reply_template(TemplateName("meeting"));
  (*reply.mutable_template_values())["meeting_date"] = "๕ ต.ค. ๒๕๖๘";
  v1::Reply created;
  ASSERT_THAT(Reply(complaint.name(), reply, &created), GrpcIsOk());
  // Filed 1 October 2025 (B.E. 2568) with the road category's 10 days; no
  // registry in this test, so the organization is its code.
  EXPECT_EQ(created.text(),
            "6340101 ได้รับเรื่องถนนและทางเท้า \"ถนนหน้าวัดเป็นหลุม\" เมื่อ "
            "1 ต.ค. 2568 สถานะ รับเรื่องแล้ว จะแล้วเสร็จภายใน 11 ต.ค. 2568 "
            "นัดตรวจพื้นที่ ๕ ต.ค. ๒๕๖๘ {ห้ามแก้}");
  EXPECT_EQ(created.visibility(), v1::Reply::INTERNAL);  // the template's

  // A missing value, a value for no parameter, text beside a template, an
  // unknown template: refused, and no reply is stored.
  v1::Reply missing;
  missing.set_reply_template(TemplateName("meeting"));
  EXPECT_THAT(Reply(complaint.name(), missing, &created),
              IsInvalidField("reply.template_values"));
  v1::Reply extra = reply;
  (*extra.mutable_template_values())["budget"] = "5000";
  EXPECT_THAT(Reply(complaint.name(), extra, &created),
              IsInvalidField("reply.template_values"));
  v1::Reply with_text = reply;
  with_text.set_text("ข้อความเอง");
  EXPECT_THAT(Reply(complaint.name(), with_text, &created),
              IsInvalidField("reply.text"));
  v1::Reply no_such = reply;
  no_such.set_reply_template(TemplateName("nothing"));
  EXPECT_THAT(Reply(complaint.name(), no_such, &created),
              IsInvalidField("reply.reply_template"));
  EXPECT_EQ(ReplyTexts(complaint.name()).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintTemplatesTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace prongsai::complaint
