#include "common/auth/access_policy.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/plan/v1/accounts.pb.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "tests/support/test_env.h"

namespace prongsai::auth {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

// Referencing the generated code links its descriptors into this binary.
[[maybe_unused]] const google::protobuf::Descriptor* const kLinkedFiles[] = {
    plan::v1::ActionPlan::descriptor(), complaint::v1::Complaint::descriptor(),
    plan::v1::Account::descriptor()};

Principal WithRole(Role role, std::vector<std::string> orgs = {"6340101"}) {
  return Principal("someone", {role}, std::move(orgs), false);
}

TEST(AccessPolicyTest, ReadsRolesFromTheProtoOptions) {
  absl::StatusOr<AccessPolicy> policy =
      AccessPolicy::ForService("prongsai.plan.v1.PlanService");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->RolesOf("CreateActionPlan"),
            (std::vector<Role>{common::v1::SYSTEM, common::v1::OPERATOR}));
  EXPECT_THAT(policy->Check("CreateActionPlan", WithRole(common::v1::OPERATOR)),
              IsOk());
  EXPECT_THAT(policy->Check("CreateActionPlan", WithRole(common::v1::AUDITOR)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(policy->Check("CreateActionPlan", Principal::Public()),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(policy->Check("GetActionPlan", WithRole(common::v1::AUDITOR)),
              IsOk());
  EXPECT_FALSE(policy->IsPublic("GetActionPlan"));
}

TEST(AccessPolicyTest, PublicMethodsAdmitEveryone) {
  absl::StatusOr<AccessPolicy> policy =
      AccessPolicy::ForService("prongsai.complaint.v1.ComplaintService");
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->IsPublic("CreateComplaint"));
  EXPECT_THAT(policy->Check("CreateComplaint", Principal::Public()), IsOk());
  EXPECT_THAT(policy->Check("CreateComplaint", WithRole(common::v1::AUDITOR)),
              IsOk());
}

TEST(AccessPolicyTest, OneTimePasswordAdmitsOnlyItsChangeAndPublicMethods) {
  Principal person = WithRole(common::v1::OPERATOR);
  person.set_session_id("abcdefghijklmnop");
  person.set_password_must_change(true);
  absl::StatusOr<AccessPolicy> plans =
      AccessPolicy::ForService("prongsai.plan.v1.PlanService");
  absl::StatusOr<AccessPolicy> accounts =
      AccessPolicy::ForService("prongsai.plan.v1.AccountService");
  absl::StatusOr<AccessPolicy> complaints =
      AccessPolicy::ForService("prongsai.complaint.v1.ComplaintService");
  ASSERT_TRUE(plans.ok() && accounts.ok() && complaints.ok());
  const absl::Status refused = plans->Check("CreateActionPlan", person);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_TRUE(absl::StartsWith(refused.message(), "password_must_change: "))
      << refused;
  EXPECT_THAT(plans->Check("GetActionPlan", person),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(accounts->Check("EnrollTotp", person),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(accounts->Check("ChangePassword", person), IsOk());
  EXPECT_THAT(accounts->Check("GetAccount", person), IsOk());
  EXPECT_THAT(accounts->Check("RefreshSession", person), IsOk());
  EXPECT_THAT(complaints->Check("CreateComplaint", person), IsOk());
  // Once changed, the same roles admit again.
  person.set_password_must_change(false);
  EXPECT_THAT(plans->Check("CreateActionPlan", person), IsOk());
}

TEST(AccessPolicyTest, UndeclaredMethodsAreDenied) {
  absl::StatusOr<AccessPolicy> policy =
      AccessPolicy::ForService("prongsai.plan.v1.PlanService");
  ASSERT_TRUE(policy.ok());
  EXPECT_THAT(policy->Check("DeleteEverything", WithRole(common::v1::SYSTEM)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(AccessPolicy::ForService("prongsai.nope.v1.Nothing"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(AccessPolicyTest, OrganizationScope) {
  EXPECT_THAT(CheckOrganization(WithRole(common::v1::OPERATOR), "6340101"),
              IsOk());
  EXPECT_THAT(CheckOrganization(WithRole(common::v1::OPERATOR), "9999999"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckOrganization(
                  Principal("sys", {common::v1::SYSTEM}, {}, true), "9999999"),
              IsOk());
}

}  // namespace
}  // namespace prongsai::auth
