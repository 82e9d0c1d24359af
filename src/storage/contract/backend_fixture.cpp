#include "storage/contract/backend_fixture.hpp"

namespace caredesk::storage {

void StorageContract::SetUp() {
  config_ = testing::FreshStorageConfig(GetParam(), dir_);
  auto opened = Storage::Open(config_);
  ASSERT_TRUE(opened.ok()) << opened.error().internal_detail;
  storage_ = std::move(*opened);
  auto migrated = storage_->Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().internal_detail;
}

void StorageContract::TearDown() { storage_.reset(); }

std::unique_ptr<Storage> StorageContract::OpenAnother() const {
  auto opened = Storage::Open(config_);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().internal_detail;
    return nullptr;
  }
  return std::move(*opened);
}

std::string ContractName(const ::testing::TestParamInfo<Backend>& info) {
  return testing::BackendName(info.param);
}

}  // namespace caredesk::storage
