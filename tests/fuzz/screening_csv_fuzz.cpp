// libFuzzer: the blind-spot screening import (app::ImportScreeningFiles, what
// `caredesk screen import` runs) on a real SQLite database. The input is two
// files, households.csv and indicators.csv, split at the first "\n--\n"; its
// first byte picks the encoding (bit 0: cp949) and a dry run (bit 1).
// Invariants: no crash or sanitizer report; a refusal leaves the database as it
// was, and so does a dry run; an accepted import counts what it stored, reports
// each skipped row with its file, a line number and both messages, and stores
// only well-formed households (a dong of the district, 1-30 members, living alone
// means one member) and signals of stored households with known indicators.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <spdlog/spdlog.h>

#include "app/screening_import.hpp"
#include "core/screening.hpp"
#include "core/screening_csv.hpp"
#include "storage/storage.hpp"
#include "tests/fuzz/fuzz_checks.hpp"

namespace caredesk::fuzz {
namespace {

namespace fs = std::filesystem;

constexpr core::Date kToday{2026, 12, 1};

fs::path ScratchBase() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::temp_directory_path();
}

struct Stored {
  std::size_t households = 0;
  std::size_t signals = 0;
  std::size_t imports = 0;
  bool operator==(const Stored&) const = default;
};

class Harness {
 public:
  Harness() {
    spdlog::set_level(spdlog::level::off);
    std::string tmpl = (ScratchBase() / "caredesk-screen-fuzz-XXXXXX").string();
    Require(::mkdtemp(tmpl.data()) != nullptr, "cannot make the scratch directory", tmpl);
    dir_ = tmpl;
    BeforeAbort() = [dir = dir_] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    };
    OpenDatabase();
  }

  ~Harness() {
    storage_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void Run(std::string_view input) {
    const auto flags = input.empty() ? 0 : static_cast<unsigned char>(input.front());
    if (!input.empty()) {
      input.remove_prefix(1);
    }
    const auto split = input.find("\n--\n");
    const auto households = input.substr(0, split);
    const auto indicators = split == std::string_view::npos ? std::string_view() : input.substr(split + 4);
    std::ofstream(dir_ / "households.csv", std::ios::binary | std::ios::trunc) << households;
    std::ofstream(dir_ / "indicators.csv", std::ios::binary | std::ios::trunc) << indicators;

    app::ScreeningImportOptions options;
    options.households_path = (dir_ / "households.csv").string();
    options.indicators_path = (dir_ / "indicators.csv").string();
    options.encoding = (flags & 1U) != 0 ? "cp949" : "utf-8";
    options.dry_run = (flags & 2U) != 0;
    options.imported_by = "fuzz";
    const auto model = core::DefaultScreeningModel();
    const Stored before = Check(model);
    auto report = app::ImportScreeningFiles(storage_->screening(), storage_->directory(), district_,
                                            model, kToday, options);
    const Stored after = Check(model);
    if (!report.ok()) {
      Require(after == before, "a refused import changed the database", report.error().message);
      Require(!report.error().message.empty() && !report.error().message_ko.empty(),
              "a refusal without its messages");
    } else if (options.dry_run) {
      Require(after == before, "a dry run changed the database");
    } else {
      const auto& r = report->record;
      Require(after.imports == before.imports + 1, "an import was not recorded");
      Require(r.skipped == report->problem_count, "skipped rows and reported problems differ");
      Require(after.households <= before.households + static_cast<std::size_t>(r.households),
              "more households stored than imported");
      Require(after.signals <= before.signals + static_cast<std::size_t>(r.signals),
              "more signals stored than imported");
    }
    if (report.ok()) {
      for (const auto& p : report->problems) {
        Require(p.line >= 1 && (p.file == "households.csv" || p.file == "indicators.csv"),
                "a problem without its file and line", p.file);
        Require(!p.reason.empty() && !p.reason_ko.empty(), "a problem without its messages");
      }
    }
    // Each input on its own: start again from an empty screening.
    if (after.households > kResetAt) {
      Reset();
    }
  }

 private:
  static constexpr std::size_t kResetAt = 2000;

  // What is stored, and that it is well-formed.
  Stored Check(const core::ScreeningModel& model) {
    Stored s;
    std::set<std::string> ids;
    auto scanned = storage_->screening().ScanHouseholds(
        district_, core::Date{1900, 1, 1},
        [&](const core::StoredHousehold& h, std::span<const core::RiskSignal> signals,
            const core::HouseholdHistory&) {
          ++s.households;
          const auto& x = h.household;
          Require(dongs_.contains(h.dong_id), "a household in no dong of the district",
                  x.household_id);
          Require(!x.household_id.empty() && x.household_id.size() <= core::kMaxHouseholdIdChars,
                  "a household id out of bounds", x.household_id);
          Require(x.members >= 1 && x.members <= core::kMaxHouseholdMembers &&
                      (!x.living_alone || x.members == 1),
                  "household facts out of bounds", x.household_id);
          Require(x.housing != core::HousingType::kUnknown, "a household of unknown housing");
          Require(ids.insert(x.household_id).second, "a household stored twice", x.household_id);
          for (const auto& sig : signals) {
            ++s.signals;
            Require(sig.household_id == x.household_id, "a signal under another household");
            Require(core::FindIndicator(model, sig.indicator) != nullptr,
                    "a signal of an unknown indicator", sig.indicator);
            Require(sig.months >= 0 && sig.months <= core::kMaxSignalMonths &&
                        sig.amount_krw >= 0 && sig.reported_on <= kToday,
                    "a signal out of bounds", sig.indicator);
          }
        });
    Require(scanned.ok(), "cannot read the screening back",
            scanned.ok() ? "" : scanned.error().internal_detail);
    auto imports = storage_->screening().ListImports(district_);
    Require(imports.ok(), "cannot list the imports");
    s.imports = imports->size();
    return s;
  }

  // A fresh database: the district and its two dongs.
  void OpenDatabase() {
    storage::StorageConfig config;
    config.url = "sqlite://" + (dir_ / "fuzz.db").string();
    config.pool_size = 1;
    auto opened = storage::Storage::Open(config);
    Require(opened.ok(), "cannot open the database", opened.ok() ? "" : opened.error().message);
    storage_ = std::move(*opened);
    Require(storage_->Migrate().ok(), "cannot migrate");
    auto district = storage_->directory().EnsureDistrict("fuzz", "퍼즈구");
    Require(district.ok(), "cannot make the district");
    district_ = district->id;
    dongs_.clear();
    for (const auto& [name, short_name] :
         {std::pair{"서교동", "서교"}, std::pair{"망원1동", "망원1"}}) {
      auto d = storage_->directory().EnsureDong(district_, name, short_name);
      Require(d.ok(), "cannot make a dong");
      dongs_.insert(d->id);
    }
  }

  void Reset() {
    storage_.reset();
    std::error_code ec;
    for (const char* f : {"fuzz.db", "fuzz.db-wal", "fuzz.db-shm"}) {
      fs::remove(dir_ / f, ec);
    }
    OpenDatabase();
  }

  fs::path dir_;
  std::unique_ptr<storage::Storage> storage_;
  core::DistrictId district_ = 0;
  std::set<core::DongId> dongs_;
};

}  // namespace
}  // namespace caredesk::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static caredesk::fuzz::Harness harness;
  harness.Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
