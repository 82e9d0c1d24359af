// Shared by the case benchmarks: a fixed-seed generator of realistic Korean case texts, a
// pass-through Sealer (the "no encryption" side of the encryption-cost comparison), and a bulk
// loader that stores generated cases through the real repository (SqlCaseRepository::CreateCase:
// the same sealing, blind-index and search-posting code as the service uses).
//
// Loading speed: the loader's connections skip the per-commit flush (SQLite synchronous=OFF,
// PostgreSQL synchronous_commit=off), and on SQLite the loader has the file to itself and writes
// without the WAL (journal_mode=MEMORY, temp_store=MEMORY). That changes how and when commits
// reach the disk, not what is stored, and only for the loader's own connections: the database is
// back in WAL mode, and every measurement runs on the backends' durable settings.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/ports/case_repository.hpp"
#include "core/ports/crypto.hpp"
#include "storage/sql/database.hpp"
#include "storage/storage.hpp"

namespace caredesk::bench {

// --- Generated cases ---------------------------------------------------------------------------

// Mapo-gu's sixteen dongs (name, short name), in the order GeneratedCase::dong_index uses.
struct DongName {
  std::string_view name;
  std::string_view short_name;
};
const std::vector<DongName>& MapoDongs();

struct GeneratedCase {
  int dong_index = 0;
  std::string primary_category;
  std::vector<std::string> secondary_categories;
  core::Channel channel = core::Channel::kVisit;
  core::Urgency urgency = core::Urgency::kNormal;
  core::ConsultationKind consultation_kind = core::ConsultationKind::kVisit;
  std::string summary;         // 6..12 words and an ending
  std::string notes;           // 10..24 words and an ending
  std::string outcome;         // empty for about 70% of the cases
  std::string follow_up_note;  // 3..6 words
  // A resident the case may be about (unique phone per index).
  std::string name;
  std::string birth_date;
  std::string phone;
  std::string address;
  bool living_alone = false;
  int members = 1;
};

// Deterministic: Make(i) is the same on every run, machine and thread partition. The vocabulary
// is about 300 words (ten topics of complaint, general words, endings) plus particles attached to
// nouns with the right form (이/가, 을/를, ...), so the bigram index sees realistic text.
class CaseTextGenerator {
 public:
  // Bump when the generated text changes: it is part of the search cache's key.
  static constexpr int kVersion = 2;

  GeneratedCase Make(std::uint64_t index) const;
  // Distinct words of the vocabulary (without particles and numbers).
  static std::size_t VocabularySize();
};

// --- A Sealer that does not encrypt ------------------------------------------------------------

// Stores the plaintext as it is ("sealed" = the UTF-8 bytes) and ignores keys and contexts. For the
// bench only: the baseline of what reading a case costs without field encryption.
class PlaintextSealer final : public core::Sealer {
 public:
  core::Bytes Seal(std::string_view plaintext, std::string_view context) const override;
  core::Result<std::string> Open(const core::Bytes& sealed,
                                 std::string_view context) const override;
  std::uint32_t CurrentKeyId() const override { return 1; }
  std::uint32_t KeyIdOf(const core::Bytes& /*sealed*/) const override { return 1; }
  core::Bytes NewDataKey() const override;
  core::Bytes SealWith(const core::Bytes& data_key, std::string_view plaintext,
                       std::string_view context) const override;
  core::Result<std::string> OpenWith(const core::Bytes& data_key, const core::Bytes& sealed,
                                     std::string_view context) const override;
};

// --- Bulk loading ------------------------------------------------------------------------------

// A connection pool for loading only: the backend's usual connections, with the per-commit
// flush switched off on each (see above). `target` is a SQLite file path or a PostgreSQL URL.
// SQLite: no other connection may have the file open while this pool exists.
std::unique_ptr<storage::sql::Database> OpenLoaderDatabase(storage::Backend backend,
                                                           const std::string& target,
                                                           std::size_t connections);

struct LoadPlan {
  std::uint64_t first_index = 0;  // generator indexes first_index .. first_index + count - 1
  std::int64_t count = 0;
  int threads = 1;  // PostgreSQL: parallel writers; SQLite has one writer anyway
  // Every second case is about a resident (a new one for half of them, the previous one's for
  // the other half), like walk-ins by people already known to the desk.
  bool residents = true;
  // Also write id, dong and the plain text (summary, notes, outcome) to bench_plain, the
  // table the LIKE baseline scans.
  bool plaintext_copy = false;
  // opened_at years: kYears years ending with last_year. Each thread gets its own years, so
  // that parallel writers do not queue on the same case-number sequence row.
  int last_year = 2026;
  std::function<void(std::int64_t done)> progress;  // called from time to time (any thread)
};

struct LoadTarget {
  core::CaseRepository& repo;  // built over the loader database
  storage::sql::Database& db;  // for bench_plain
  core::DistrictId district = 0;
  std::vector<core::DongId> dongs;     // indexed like MapoDongs()
  std::vector<core::CaseId>* created;  // optional: ids of the created cases, in no order
};

// Creates the bench_plain table (id, dong_id, body) if it does not exist.
core::Status CreatePlaintextTable(storage::sql::Database& db);

// Stores plan.count generated cases; the first failure stops every thread and is returned.
core::Status LoadCases(const LoadTarget& target, const LoadPlan& plan);

// The counselor id the generator gives to cases of `dong_index` (no user row exists for it).
core::UserId CounselorOf(int dong_index, std::uint64_t case_index);

// Sets up the directory rows the loader needs: Mapo's dongs. Returns their ids.
core::Result<std::vector<core::DongId>> EnsureMapoDongs(core::DirectoryRepository& directory,
                                                        core::DistrictId district);

// Refuses memory file systems (fsync there measures nothing): throws std::runtime_error.
// Returns a name for the file system ("ext2/3/4", "xfs", ...).
std::string RequireDiskFileSystem(const std::string& dir);

}  // namespace caredesk::bench
