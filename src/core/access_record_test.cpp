#include "core/access_record.hpp"

#include <gtest/gtest.h>

#include "core/fake_digester.hpp"

namespace caredesk::core {
namespace {

std::vector<AccessRecord> Chain(const Digester& d, int n) {
  std::vector<AccessRecord> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AccessRecord r;
    r.id = i;
    r.at = TimePoint(std::chrono::seconds(1000 + i));
    r.user_id = 7;
    r.role = "counselor";
    r.ip = "10.1.2.3";
    r.action = "read";
    r.target_type = "resident";
    r.target_id = std::to_string(100 + i);
    r.outcome = "allowed";
    r.prev_hash = prev;
    r.hash = ChainHash(d, r);
    prev = r.hash;
    out.push_back(r);
  }
  return out;
}

TEST(AccessChain, AnIntactChainVerifiesAcrossPages) {
  FakeDigester d;
  auto records = Chain(d, 10);
  ChainVerifier v(d);
  EXPECT_TRUE(v.Feed({records.begin(), records.begin() + 4}));
  EXPECT_TRUE(v.Feed({records.begin() + 4, records.end()}));
  EXPECT_TRUE(v.report().intact);
  EXPECT_EQ(v.report().checked, 10);
}

TEST(AccessChain, DetectsAnEditedRecord) {
  FakeDigester d;
  auto records = Chain(d, 5);
  records[2].target_id = "999";  // someone hides which resident was read
  ChainVerifier v(d);
  EXPECT_FALSE(v.Feed(records));
  EXPECT_EQ(v.report().first_bad_id, 3);
}

TEST(AccessChain, DetectsADeletedRecord) {
  FakeDigester d;
  auto records = Chain(d, 5);
  records.erase(records.begin() + 1);
  ChainVerifier v(d);
  EXPECT_FALSE(v.Feed(records));
  EXPECT_EQ(v.report().first_bad_id, 3);
}

TEST(AccessChain, DetectsSwappedRecordsEvenWithIdsRenumbered) {
  FakeDigester d;
  auto records = Chain(d, 5);
  std::swap(records[1], records[2]);
  std::swap(records[1].id, records[2].id);
  ChainVerifier v(d);
  EXPECT_FALSE(v.Feed(records));
  EXPECT_EQ(v.report().first_bad_id, 2);
}

TEST(AccessChain, FieldsCannotBleedIntoEachOther) {
  FakeDigester d;
  auto a = Chain(d, 1)[0];
  auto b = a;
  a.target_type = "resident";
  a.target_id = "12";
  b.target_type = "resident1";
  b.target_id = "2";
  EXPECT_NE(ChainHash(d, a), ChainHash(d, b));
}

}  // namespace
}  // namespace caredesk::core
