#include "storage/contract/backend_fixture.hpp"

namespace caredesk::storage {
namespace {

class DirectoryContract : public StorageContract {
 protected:
  void SetUp() override {
    StorageContract::SetUp();
    auto d = storage_->directory().EnsureDistrict("mapo", "마포구");
    ASSERT_TRUE(d.ok());
    district_ = *d;
  }

  core::Agency NewAgency(std::string name, std::vector<std::string> categories) {
    core::Agency a;
    a.district_id = district_.id;
    a.name = std::move(name);
    a.kind = core::AgencyKind::kExternal;
    a.categories = std::move(categories);
    a.contact = "1397";
    a.response_hours = 48;
    return a;
  }

  core::District district_;
};

TEST_P(DirectoryContract, EnsureDistrictIsIdempotent) {
  auto again = storage_->directory().EnsureDistrict("mapo", "다른 이름");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, district_.id);
  EXPECT_EQ(again->name, "마포구");  // the first name stays
  auto missing = storage_->directory().FindDistrict("seocho");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_P(DirectoryContract, DongsAreUniquePerDistrictAndListedInOrder) {
  auto& dir = storage_->directory();
  auto seogyo = dir.EnsureDong(district_.id, "서교동", "서교");
  auto mangwon = dir.EnsureDong(district_.id, "망원1동", "망원1");
  auto seogyo2 = dir.EnsureDong(district_.id, "서교동", "서교");
  ASSERT_TRUE(seogyo.ok() && mangwon.ok() && seogyo2.ok());
  EXPECT_EQ(seogyo->id, seogyo2->id);
  auto list = dir.ListDongs(district_.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0].name, "서교동");
  EXPECT_EQ((*list)[0].short_name, "서교");
  EXPECT_EQ((*list)[1].name, "망원1동");
}

TEST_P(DirectoryContract, DesksKeepTheirDongOrNone) {
  auto& dir = storage_->directory();
  auto dong = dir.EnsureDong(district_.id, "연남동", "연남");
  ASSERT_TRUE(dong.ok());
  core::Desk center{0, district_.id, dong->id, "연남동 주민센터", core::DeskKind::kDongCenter};
  core::Desk central{0, district_.id, std::nullopt, "무엇이든 상담창구",
                     core::DeskKind::kDistrictDesk};
  ASSERT_TRUE(dir.EnsureDesk(center).ok());
  ASSERT_TRUE(dir.EnsureDesk(central).ok());
  ASSERT_TRUE(dir.EnsureDesk(center).ok());
  auto desks = dir.ListDesks(district_.id);
  ASSERT_TRUE(desks.ok());
  ASSERT_EQ(desks->size(), 2U);
  EXPECT_EQ((*desks)[0].dong_id, dong->id);
  EXPECT_EQ((*desks)[0].kind, core::DeskKind::kDongCenter);
  EXPECT_FALSE((*desks)[1].dong_id.has_value());
  EXPECT_EQ((*desks)[1].kind, core::DeskKind::kDistrictDesk);
}

TEST_P(DirectoryContract, CreatesReadsAndListsAgenciesWithCategories) {
  auto& dir = storage_->directory();
  auto created = dir.CreateAgency(NewAgency("서민금융통합지원센터", {"finance", "jobs"}));
  ASSERT_TRUE(created.ok()) << created.error().internal_detail;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->version, 1);
  ASSERT_TRUE(dir.CreateAgency(NewAgency("치매안심센터", {"health"})).ok());

  auto got = dir.GetAgency(district_.id, created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "서민금융통합지원센터");
  EXPECT_EQ(got->categories, (std::vector<std::string>{"finance", "jobs"}));
  EXPECT_EQ(got->response_hours, 48);
  EXPECT_EQ(got->contact, "1397");

  auto list = dir.ListAgencies(district_.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[1].categories, std::vector<std::string>{"health"});
}

TEST_P(DirectoryContract, DuplicateAgencyNameIsAConflictAndWritesNothing) {
  auto& dir = storage_->directory();
  ASSERT_TRUE(dir.CreateAgency(NewAgency("법률홈닥터", {"legal"})).ok());
  auto dup = dir.CreateAgency(NewAgency("법률홈닥터", {"finance"}));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
  auto list = dir.ListAgencies(district_.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].categories, std::vector<std::string>{"legal"});
}

TEST_P(DirectoryContract, AgenciesOfAnotherDistrictAreNotFound) {
  auto& dir = storage_->directory();
  auto other = dir.EnsureDistrict("seodaemun", "서대문구");
  ASSERT_TRUE(other.ok());
  auto theirs = NewAgency("서대문 해바라기센터", {"crime_victim"});
  theirs.district_id = other->id;
  auto created = dir.CreateAgency(theirs);
  ASSERT_TRUE(created.ok());
  auto got = dir.GetAgency(district_.id, created->id);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(dir.ListAgencies(district_.id)->empty());
}

TEST_P(DirectoryContract, UpdatesAnAgencyWithOptimisticConcurrency) {
  auto& dir = storage_->directory();
  auto created = dir.CreateAgency(NewAgency("서민금융통합지원센터", {"finance", "jobs"}));
  ASSERT_TRUE(created.ok());
  auto changed = *created;
  changed.name = "마포 서민금융통합지원센터";
  changed.kind = core::AgencyKind::kInternal;
  changed.categories = {"welfare", "finance"};
  changed.contact = "02-3153-0000";
  changed.response_hours = 24;
  auto saved = dir.UpdateAgency(changed);
  ASSERT_TRUE(saved.ok()) << saved.error().internal_detail;
  EXPECT_EQ(saved->version, created->version + 1);
  auto got = dir.GetAgency(district_.id, created->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "마포 서민금융통합지원센터");
  EXPECT_EQ(got->kind, core::AgencyKind::kInternal);
  EXPECT_EQ(got->categories, (std::vector<std::string>{"finance", "welfare"}));
  EXPECT_EQ(got->contact, "02-3153-0000");
  EXPECT_EQ(got->response_hours, 24);
  EXPECT_EQ(got->version, saved->version);
  EXPECT_EQ(saved->categories, got->categories);

  // Written from the old version: refused, nothing changes.
  auto stale = *created;
  stale.response_hours = 72;
  stale.categories = {"legal"};
  auto refused = dir.UpdateAgency(stale);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kPreconditionFailed);
  EXPECT_EQ(dir.GetAgency(district_.id, created->id)->response_hours, 24);
  EXPECT_EQ(dir.GetAgency(district_.id, created->id)->categories,
            (std::vector<std::string>{"finance", "welfare"}));
}

TEST_P(DirectoryContract, AnUpdatedAgencyKeepsItsNameUniqueAndItsDistrict) {
  auto& dir = storage_->directory();
  auto first = dir.CreateAgency(NewAgency("법률홈닥터", {"legal"}));
  auto second = dir.CreateAgency(NewAgency("치매안심센터", {"health"}));
  ASSERT_TRUE(first.ok() && second.ok());
  auto renamed = *second;
  renamed.name = "법률홈닥터";
  renamed.categories = {"legal"};
  auto dup = dir.UpdateAgency(renamed);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
  ASSERT_EQ(dup.error().details.size(), 1U);
  EXPECT_EQ(dup.error().details[0].field, "name");
  EXPECT_EQ(dir.GetAgency(district_.id, second->id)->name, "치매안심센터");
  EXPECT_EQ(dir.GetAgency(district_.id, second->id)->categories,
            std::vector<std::string>{"health"});
  // Keeping its own name is no conflict.
  auto same_name = *first;
  same_name.response_hours = 12;
  ASSERT_TRUE(dir.UpdateAgency(same_name).ok());

  auto other = dir.EnsureDistrict("seodaemun", "서대문구");
  ASSERT_TRUE(other.ok());
  auto foreign = *first;
  foreign.district_id = other->id;  // the agency is not theirs
  auto refused = dir.UpdateAgency(foreign);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kNotFound);
  auto missing = *first;
  missing.id = 424242;
  EXPECT_EQ(dir.UpdateAgency(missing).error().code, core::ErrorCode::kNotFound);
}

CAREDESK_STORAGE_CONTRACT(DirectoryContract);

}  // namespace
}  // namespace caredesk::storage
