// Users, sessions and access records on both backends.
#include <atomic>
#include <thread>

#include "core/fake_digester.hpp"
#include "storage/contract/backend_fixture.hpp"

namespace caredesk::storage {
namespace {

using namespace std::chrono_literals;

class IdentityContract : public StorageContract {
 protected:
  void SetUp() override {
    StorageContract::SetUp();
    auto d = storage_->directory().EnsureDistrict("mapo", "마포구");
    ASSERT_TRUE(d.ok());
    district_ = d->id;
    auto dong = storage_->directory().EnsureDong(district_, "서교동", "서교");
    ASSERT_TRUE(dong.ok());
    dong_ = dong->id;
  }

  core::User NewUser(const std::string& login) {
    core::User u;
    u.district_id = district_;
    u.login = login;
    u.display_name = "김상담";
    u.role = core::Role::kCounselor;
    u.dong_id = dong_;
    u.password_hash = "$argon2id$fake";
    return u;
  }

  core::DistrictId district_ = 0;
  core::DongId dong_ = 0;
  const core::TimePoint t0_{std::chrono::hours(490000)};
};

TEST_P(IdentityContract, UsersAreCreatedFoundAndUniquePerDistrict) {
  auto& users = storage_->users();
  auto created = users.Create(NewUser("kim.sangdam"));
  ASSERT_TRUE(created.ok()) << created.error().internal_detail;
  EXPECT_TRUE(created->must_change_password);
  EXPECT_EQ(created->dong_id, dong_);
  auto found = users.FindByLogin(district_, "kim.sangdam");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(found->display_name, "김상담");
  EXPECT_EQ(found->role, core::Role::kCounselor);
  auto dup = users.Create(NewUser("kim.sangdam"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(users.FindByLogin(district_, "nobody").error().code, core::ErrorCode::kNotFound);
}

TEST_P(IdentityContract, UpdateUsesOptimisticConcurrency) {
  auto& users = storage_->users();
  auto u = users.Create(NewUser("lee"));
  ASSERT_TRUE(u.ok());
  auto first = *u;
  first.display_name = "이상담";
  first.totp_secret_sealed = {1, 2, 3};
  auto saved = users.Update(first);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->version, u->version + 1);
  EXPECT_EQ(saved->totp_secret_sealed, (core::Bytes{1, 2, 3}));
  auto stale = *u;  // still the old version
  stale.display_name = "덮어쓰기";
  auto conflict = users.Update(stale);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, core::ErrorCode::kPreconditionFailed);
  EXPECT_EQ(users.Get(u->id)->display_name, "이상담");
}

TEST_P(IdentityContract, UsersBelongToDongsAndAgenciesOfTheirOwnDistrict) {
  auto& users = storage_->users();
  auto other = storage_->directory().EnsureDistrict("seodaemun", "서대문구");
  ASSERT_TRUE(other.ok());
  auto foreign = storage_->directory().EnsureDong(other->id, "신촌동", "신촌");
  ASSERT_TRUE(foreign.ok());
  auto elsewhere = NewUser("jung");
  elsewhere.dong_id = foreign->id;
  auto refused = users.Create(elsewhere);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(refused.error().details[0].field, "dong_id");
  auto u = users.Create(NewUser("jung"));
  ASSERT_TRUE(u.ok());
  auto moved = *u;
  moved.agency_id = 424242;
  auto missing = users.Update(moved);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(missing.error().details[0].field, "agency_id");
  EXPECT_EQ(users.Get(u->id)->agency_id, std::nullopt);
}

TEST_P(IdentityContract, TheStaffDirectoryListsActiveUsersByNameAndFiltersByRoleAndDong) {
  auto& users = storage_->users();
  auto mangwon = storage_->directory().EnsureDong(district_, "망원1동", "망원1");
  ASSERT_TRUE(mangwon.ok());
  auto add = [&](const std::string& login, const std::string& name, core::Role role,
                 std::optional<core::DongId> dong, bool active = true) {
    auto u = NewUser(login);
    u.display_name = name;
    u.role = role;
    u.dong_id = dong;
    u.active = active;
    auto created = users.Create(u);
    EXPECT_TRUE(created.ok()) << login;
    return created.ok() ? created->id : 0;
  };
  // Inserted out of order, and with a Latin name: the order is the names' code points.
  const auto ha = add("ha", "하사례", core::Role::kCaseManager, dong_);
  const auto ga = add("ga", "가상담", core::Role::kCounselor, dong_);
  const auto latin = add("latin", "Kim Admin", core::Role::kAdmin, std::nullopt);
  const auto na = add("na", "나사례", core::Role::kCaseManager, mangwon->id);
  const auto gone = add("gone", "다퇴직", core::Role::kCaseManager, dong_, false);
  auto other = storage_->directory().EnsureDistrict("seodaemun", "서대문구");
  ASSERT_TRUE(other.ok());
  auto foreign = NewUser("foreign");
  foreign.district_id = other->id;
  foreign.dong_id = std::nullopt;
  foreign.role = core::Role::kSupervisor;
  ASSERT_TRUE(users.Create(foreign).ok());

  auto ids = [&](const core::StaffFilter& f) {
    std::vector<core::UserId> out;
    auto listed = users.ListActive(district_, f);
    EXPECT_TRUE(listed.ok());
    for (const auto& u : listed.ok() ? *listed : std::vector<core::User>{}) {
      out.push_back(u.id);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<core::UserId>{latin, ga, na, ha}));
  EXPECT_EQ(ids({core::Role::kCaseManager, std::nullopt}), (std::vector<core::UserId>{na, ha}));
  EXPECT_EQ(ids({core::Role::kCaseManager, dong_}), std::vector<core::UserId>{ha});
  EXPECT_EQ(ids({std::nullopt, mangwon->id}), std::vector<core::UserId>{na});
  EXPECT_TRUE(ids({core::Role::kAgencyOfficer, std::nullopt}).empty());
  // Reactivated, the user is listed again.
  auto back = users.Get(gone);
  ASSERT_TRUE(back.ok());
  back->active = true;
  ASSERT_TRUE(users.Update(*back).ok());
  EXPECT_EQ(ids({core::Role::kCaseManager, dong_}), (std::vector<core::UserId>{gone, ha}));
}

TEST_P(IdentityContract, PreferencesDefaultToKoreanAndAreStored) {
  auto& users = storage_->users();
  auto u = users.Create(NewUser("choi"));
  ASSERT_TRUE(u.ok()) << u.error().internal_detail;
  EXPECT_EQ(u->locale, "ko");
  EXPECT_FALSE(u->large_text);
  auto changed = *u;
  changed.locale = "en";
  changed.large_text = true;
  ASSERT_TRUE(users.Update(changed).ok());
  const auto read = users.Get(u->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->locale, "en");
  EXPECT_TRUE(read->large_text);
  // The schema refuses a language the interface does not have.
  auto bad = *read;
  bad.locale = "fr";
  EXPECT_FALSE(users.Update(bad).ok());
}

TEST_P(IdentityContract, ConcurrentFailedLoginsAreAllCountedAndLock) {
  auto& users = storage_->users();
  auto u = users.Create(NewUser("park"));
  ASSERT_TRUE(u.ok());
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] { (void)users.RecordFailedLogin(u->id, 5, t0_ + 30min); });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto after = users.Get(u->id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->failed_logins, 6);
  ASSERT_TRUE(after->locked_until.has_value());
  EXPECT_EQ(*after->locked_until, t0_ + 30min);
  ASSERT_TRUE(users.ResetFailedLogins(u->id).ok());
  EXPECT_EQ(users.Get(u->id)->failed_logins, 0);
  EXPECT_FALSE(users.Get(u->id)->locked_until.has_value());
}

TEST_P(IdentityContract, SessionsAreStoredTouchedAndRevoked) {
  auto u = storage_->users().Create(NewUser("choi"));
  ASSERT_TRUE(u.ok());
  auto& sessions = storage_->sessions();
  core::Session s;
  s.token_hash = "hash-a";
  s.user_id = u->id;
  s.csrf_token = "csrf";
  s.created_at = t0_;
  s.last_seen_at = t0_;
  s.expires_at = t0_ + 12h;
  s.ip = "127.0.0.1";
  s.user_agent = "Chromium";
  ASSERT_TRUE(sessions.Create(s).ok());
  auto other = s;
  other.token_hash = "hash-b";
  ASSERT_TRUE(sessions.Create(other).ok());

  ASSERT_TRUE(sessions.Touch("hash-a", t0_ + 5min).ok());
  auto found = sessions.Find("hash-a");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->last_seen_at, t0_ + 5min);
  EXPECT_EQ(found->csrf_token, "csrf");
  EXPECT_EQ(sessions.ListActive(u->id, t0_ + 6min)->size(), 2U);

  ASSERT_TRUE(sessions.RevokeAllForUser(u->id, t0_ + 7min, "hash-a").ok());
  EXPECT_TRUE(sessions.Find("hash-b")->revoked_at.has_value());
  EXPECT_FALSE(sessions.Find("hash-a")->revoked_at.has_value());
  ASSERT_TRUE(sessions.Revoke("hash-a", t0_ + 8min).ok());
  EXPECT_TRUE(sessions.ListActive(u->id, t0_ + 9min)->empty());
  EXPECT_EQ(sessions.Find("missing").error().code, core::ErrorCode::kNotFound);
}

TEST_P(IdentityContract, ConcurrentAppendsFormOneUnbrokenChain) {
  core::FakeDigester digester;
  auto log = storage_->NewAccessLog(digester);
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        core::AccessRecord r;
        r.at = t0_ + std::chrono::seconds(i);
        r.user_id = t + 1;
        r.role = "counselor";
        r.ip = "127.0.0.1";
        r.action = "read";
        r.target_type = "resident";
        r.target_id = std::to_string(i);
        r.outcome = "allowed";
        if (!log->Append(r).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  core::ChainVerifier verifier(digester);
  std::int64_t after = 0;
  while (true) {
    auto page = log->ReadAfter(after, 7);
    ASSERT_TRUE(page.ok());
    if (page->empty()) {
      break;
    }
    verifier.Feed(*page);
    after = page->back().id;
  }
  EXPECT_TRUE(verifier.report().intact) << verifier.report().problem;
  EXPECT_EQ(verifier.report().checked, kThreads * kEach);

  core::AccessRecordFilter filter;
  filter.user_id = 2;
  filter.limit = 5;
  auto mine = log->Search(filter);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 5U);
  EXPECT_GT((*mine)[0].id, (*mine)[1].id);  // newest first
  filter.before_id = mine->back().id;
  filter.limit = 100;
  EXPECT_EQ(log->Search(filter)->size(), static_cast<std::size_t>(kEach - 5));
}

TEST_P(IdentityContract, VerifierCatchesTamperingInTheDatabase) {
  core::FakeDigester digester;
  auto log = storage_->NewAccessLog(digester);
  for (int i = 0; i < 6; ++i) {
    core::AccessRecord r;
    r.at = t0_;
    r.user_id = 1;
    r.action = "read";
    r.target_type = "resident";
    r.target_id = std::to_string(i);
    ASSERT_TRUE(log->Append(r).ok());
  }
  auto exec = [&](const std::string& sql) {
    auto r = storage_->database().Transact(sql::TxMode::kWrite, [&](sql::Connection& c) {
      c.ExecuteScript(sql);
      return core::Result<bool>(true);
    });
    ASSERT_TRUE(r.ok());
  };
  auto verify = [&] {
    core::ChainVerifier v(digester);
    v.Feed(*log->ReadAfter(0, 100));
    return v.report();
  };
  EXPECT_TRUE(verify().intact);
  exec("UPDATE access_records SET target_id = '999' WHERE id = 4");
  EXPECT_EQ(verify().first_bad_id, 4);
  exec("UPDATE access_records SET target_id = '3' WHERE id = 4");
  EXPECT_TRUE(verify().intact);
  exec("DELETE FROM access_records WHERE id = 2");
  EXPECT_EQ(verify().first_bad_id, 3);
}

CAREDESK_STORAGE_CONTRACT(IdentityContract);

}  // namespace
}  // namespace caredesk::storage
