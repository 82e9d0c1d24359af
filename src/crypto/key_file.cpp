#include "crypto/key_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "crypto/internal.hpp"

namespace caredesk::crypto {
namespace {

constexpr std::size_t kKeyHexChars = 2 * SecretKey::kSize;
// A key file holds a few lines per rotation; anything this large is not one.
constexpr std::size_t kMaxKeyFileBytes = std::size_t{1024} * 1024;
// Room for one more `seal <id> <hex>` line when rotating, so the buffer that
// holds key material never reallocates (and leaves unwiped copies behind).
constexpr std::size_t kLineReserve = 128;
constexpr mode_t kKeyFileMode = S_IRUSR | S_IWUSR;
constexpr mode_t kGroupOtherBits = S_IRWXG | S_IRWXO;
constexpr mode_t kPermissionBits = 07777;
constexpr std::string_view kSealWord = "seal";
constexpr std::string_view kIndexWord = "index";
constexpr std::string_view kHeader =
    "# CareDesk master keys. Keep this file outside the database and its backups,\n"
    "# readable by the server's user only (mode 0600). Losing it loses all sealed data.\n"
    "#   seal <id> <64 hex>  sealing keys; the highest id seals new values (caredesk rotate-key)\n"
    "#   index <64 hex>      the blind-index key; it never changes\n";

core::Error KeyFileError(std::string en, std::string ko, std::string detail = {}) {
  return core::Error::Make(core::ErrorCode::kInternal, std::move(en), std::move(ko),
                           std::move(detail));
}

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// "Cannot <en_what> key file <path>: <reason>" for an operating-system failure;
// `ko_what` follows the path in Korean, particle first ("을(를) 읽", "의 디렉터리를 열").
core::Error IoError(const std::string& path, std::string_view en_what, std::string_view ko_what,
                    int err) {
  const std::string reason = ErrnoText(err);
  return KeyFileError("Cannot " + std::string(en_what) + " key file " + path + ": " + reason,
                      "키 파일 " + path + std::string(ko_what) + " 수 없습니다: " + reason);
}

core::Error OpenError(const std::string& path, int err) {
  if (err == ENOENT) {
    return KeyFileError("Key file " + path + " does not exist. Create one with `caredesk keygen`.",
                        "키 파일 " + path + "이(가) 없습니다. `caredesk keygen`으로 만드십시오.");
  }
  return IoError(path, "open", "을(를) 열", err);
}

// "Key file <path>, line <n>: <what>", for content errors. Never quotes the
// line itself: it may hold a key.
core::Error LineError(const std::string& path, std::size_t line, const std::string& what_en,
                      const std::string& what_ko) {
  const std::string n = std::to_string(line);
  return KeyFileError("Key file " + path + ", line " + n + ": " + what_en,
                      "키 파일 " + path + " " + n + "번째 줄: " + what_ko);
}

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes now and reports the error, which matters after writing.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Text that holds keys in hex: wiped when it goes out of scope. Callers
// reserve its capacity up front, so that appends do not reallocate.
class SecretText {
 public:
  SecretText() = default;
  SecretText(SecretText&& other) noexcept : text_(std::move(other.text_)) {}
  SecretText& operator=(SecretText&&) = delete;
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  ~SecretText() { sodium_memzero(text_.data(), text_.size()); }

  std::string& str() { return text_; }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

struct KeyFileContent {
  SecretText text;
  uid_t owner = 0;
  gid_t group = 0;
};

// Reads `path` after checking that it is a regular file that only its owner can access.
core::Result<KeyFileContent> ReadKeyFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return OpenError(path, errno);
  }
  // fstat on the open descriptor: the file checked is the file read.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return IoError(path, "inspect", "을(를) 확인할", errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return KeyFileError("Key file " + path + " is not a regular file.",
                        "키 파일 " + path + "이(가) 일반 파일이 아닙니다.");
  }
  if ((st.st_mode & kGroupOtherBits) != 0) {
    std::array<char, 8> mode{};
    std::snprintf(mode.data(), mode.size(), "%04o",
                  static_cast<unsigned>(st.st_mode & kPermissionBits));
    return KeyFileError(
        "Key file " + path + " is accessible by group or others (mode " + mode.data() +
            "). It protects all sensitive data, so only its owner may read it (mode 0600). "
            "Run: chmod 600 " +
            path,
        "키 파일 " + path + "을(를) 그룹 또는 다른 사용자가 읽을 수 있습니다(권한 " + mode.data() +
            "). 이 파일은 모든 민감정보를 보호하므로 소유자만 읽을 수 있어야 합니다(권한 0600). "
            "실행: chmod 600 " +
            path);
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxKeyFileBytes) {
    return KeyFileError("Key file " + path + " is too large to be a key file.",
                        "키 파일 " + path + "이(가) 키 파일이라고 보기에는 너무 큽니다.");
  }
  KeyFileContent content;
  content.owner = st.st_uid;
  content.group = st.st_gid;
  std::string& text = content.text.str();
  const auto size = static_cast<std::size_t>(st.st_size);
  text.reserve(size + kLineReserve);
  text.resize(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd.get(), text.data() + done, size - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return IoError(path, "read", "을(를) 읽을", errno);
    }
    if (n == 0) {
      break;  // Shrunk since fstat; parse what is there.
    }
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return content;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits a line at spaces and tabs. Returns false when it has more than `kMax` words.
constexpr std::size_t kMaxWords = 3;
bool SplitWords(std::string_view line, std::array<std::string_view, kMaxWords>* words,
                std::size_t* count) {
  *count = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) {
      ++i;
    }
    if (i == line.size()) {
      break;
    }
    const std::size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) {
      ++i;
    }
    if (*count == kMaxWords) {
      return false;
    }
    (*words)[(*count)++] = line.substr(start, i - start);
  }
  return true;
}

// Decodes exactly 64 hex characters into a key; nullopt for anything else.
std::optional<SecretKey> DecodeKey(std::string_view hex) {
  if (hex.size() != kKeyHexChars) {
    return std::nullopt;
  }
  for (const char c : hex) {
    const bool is_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!is_hex) {
      return std::nullopt;
    }
  }
  SecretKey key;
  std::size_t decoded = 0;
  if (sodium_hex2bin(key.data(), SecretKey::kSize, hex.data(), hex.size(), nullptr, &decoded,
                     nullptr) != 0 ||
      decoded != SecretKey::kSize) {
    return std::nullopt;
  }
  return key;
}

// A positive 32-bit decimal id without sign or leading zeros.
std::optional<std::uint32_t> ParseKeyId(std::string_view text) {
  if (text.empty() || text[0] == '0') {
    return std::nullopt;
  }
  std::uint32_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return id;
}

const std::string kBadLineEn =
    "expected `seal <id> <64 hex characters>` or `index <64 hex characters>`";
const std::string kBadLineKo =
    "`seal <번호> <16진수 64자>` 또는 `index <16진수 64자>` 형식이어야 합니다";
const std::string kBadHexEn = "the key must be exactly 64 hexadecimal characters (32 bytes)";
const std::string kBadHexKo = "키는 정확히 16진수 64자(32바이트)여야 합니다";

core::Result<KeyRing> ParseKeyFile(std::string_view text, const std::string& path) {
  std::map<std::uint32_t, SecretKey> seal_keys;
  std::map<std::uint32_t, std::size_t> seal_lines;
  std::optional<SecretKey> index_key;
  std::size_t index_line = 0;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

    const std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos || line[start] == '#') {
      continue;
    }
    std::array<std::string_view, kMaxWords> words;
    std::size_t count = 0;
    if (!SplitWords(line, &words, &count)) {
      return LineError(path, line_no, kBadLineEn, kBadLineKo);
    }
    if (words[0] == kSealWord && count == 3) {
      const auto id = ParseKeyId(words[1]);
      if (!id) {
        return LineError(path, line_no, "the seal key id must be an integer from 1 to 4294967295",
                         "seal 키 번호는 1부터 4294967295 사이의 정수여야 합니다");
      }
      auto key = DecodeKey(words[2]);
      if (!key) {
        return LineError(path, line_no, kBadHexEn, kBadHexKo);
      }
      if (const auto seen = seal_lines.find(*id); seen != seal_lines.end()) {
        const std::string first = std::to_string(seen->second);
        return LineError(
            path, line_no,
            "seal key id " + std::to_string(*id) + " already appears on line " + first,
            "seal 키 번호 " + std::to_string(*id) + "이(가) " + first + "번째 줄에 이미 있습니다");
      }
      seal_lines.emplace(*id, line_no);
      seal_keys.emplace(*id, std::move(*key));
      continue;
    }
    if (words[0] == kIndexWord && count == 2) {
      auto key = DecodeKey(words[1]);
      if (!key) {
        return LineError(path, line_no, kBadHexEn, kBadHexKo);
      }
      if (index_key) {
        const std::string first = std::to_string(index_line);
        return LineError(
            path, line_no,
            "a second index key (the first is on line " + first + "); there must be exactly one",
            "index 키가 두 번 있습니다(첫 번째는 " + first +
                "번째 줄). index 키는 하나뿐이어야 합니다");
      }
      index_key = std::move(*key);
      index_line = line_no;
      continue;
    }
    return LineError(path, line_no, kBadLineEn, kBadLineKo);
  }
  if (seal_keys.empty()) {
    return KeyFileError("Key file " + path + " has no seal key (`seal <id> <64 hex characters>`).",
                        "키 파일 " + path + "에 seal 키가 없습니다(`seal <번호> <16진수 64자>`).");
  }
  if (!index_key) {
    return KeyFileError(
        "Key file " + path + " has no index key (exactly one `index <64 hex characters>`).",
        "키 파일 " + path + "에 index 키가 없습니다(`index <16진수 64자>` 한 줄이 필요합니다).");
  }
  return KeyRing(std::move(seal_keys), std::move(*index_key));
}

void AppendKeyHex(std::string* out, const SecretKey& key) {
  std::array<char, kKeyHexChars + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), key.data(), SecretKey::kSize);
  out->append(hex.data(), kKeyHexChars);
  sodium_memzero(hex.data(), hex.size());
}

void AppendSealLine(std::string* out, std::uint32_t id, const SecretKey& key) {
  out->append(kSealWord).append(" ").append(std::to_string(id)).append(" ");
  AppendKeyHex(out, key);
  out->append("\n");
}

void AppendIndexLine(std::string* out, const SecretKey& key) {
  out->append(kIndexWord).append(" ");
  AppendKeyHex(out, key);
  out->append("\n");
}

// Writes all of `data` and flushes it to disk. Returns 0 or an errno value.
int WriteAndSync(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return errno;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return ::fsync(fd) == 0 ? 0 : errno;
}

std::filesystem::path DirectoryOf(const std::filesystem::path& file) {
  auto dir = file.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

// Flushes a directory, so that a file created or renamed in it survives a crash.
int SyncDirectory(int dir_fd) { return ::fsync(dir_fd) == 0 ? 0 : errno; }

}  // namespace

SecretKey::SecretKey() {
  internal::EnsureSodium();
  // sodium_malloc places the key on its own page between guard pages, locks
  // that page against swapping where RLIMIT_MEMLOCK allows (a failure to lock
  // is ignored), and keeps it out of core dumps.
  auto* p = static_cast<unsigned char*>(sodium_malloc(kSize));
  if (p == nullptr) {
    core::Panic("out of memory allocating a key");
  }
  sodium_memzero(p, kSize);
  bytes_.reset(p);
}

void SecretKey::Wipe::operator()(unsigned char* p) const {
  sodium_memzero(p, kSize);
  sodium_free(p);  // Unlocks the page (and wipes it again).
}

SecretKey SecretKey::Random() {
  SecretKey key;
  randombytes_buf(key.data(), kSize);
  return key;
}

KeyRing::KeyRing(std::map<std::uint32_t, SecretKey> seal_keys, SecretKey index_key)
    : seal_keys_(std::move(seal_keys)), index_key_(std::move(index_key)) {
  if (seal_keys_.empty() || seal_keys_.begin()->first == 0) {
    core::Panic("KeyRing needs at least one seal key, with ids from 1");
  }
}

const SecretKey* KeyRing::SealKey(std::uint32_t id) const {
  const auto it = seal_keys_.find(id);
  return it == seal_keys_.end() ? nullptr : &it->second;
}

core::Result<KeyRing> LoadKeyFile(const std::string& path) {
  internal::EnsureSodium();
  auto content = ReadKeyFile(path);
  if (!content.ok()) {
    return std::move(content).error();
  }
  return ParseKeyFile(content->text.str(), path);
}

core::Status GenerateKeyFile(const std::string& path) {
  internal::EnsureSodium();
  const SecretKey seal_key = SecretKey::Random();
  const SecretKey index_key = SecretKey::Random();
  SecretText text;
  text.str().reserve(kHeader.size() + 2 * kLineReserve);
  text.str().append(kHeader);
  AppendSealLine(&text.str(), 1, seal_key);
  AppendIndexLine(&text.str(), index_key);

  // O_EXCL refuses an existing file, and also a symlink, even a dangling one.
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kKeyFileMode));
  if (!fd.valid()) {
    const int err = errno;
    if (err == EEXIST) {
      return KeyFileError("Key file " + path +
                              " already exists; refusing to overwrite it, since its keys may "
                              "protect existing data.",
                          "키 파일 " + path +
                              "이(가) 이미 있습니다. 기존 데이터를 보호하는 키일 수 있으므로 "
                              "덮어쓰지 않습니다.");
    }
    return IoError(path, "create", "을(를) 만들", err);
  }
  // The umask may have cleared bits but never adds any; make the mode exact.
  int err = ::fchmod(fd.get(), kKeyFileMode) == 0 ? 0 : errno;
  if (err == 0) {
    err = WriteAndSync(fd.get(), text.str());
  }
  if (const int close_err = fd.Close(); err == 0) {
    err = close_err;
  }
  if (err != 0) {
    ::unlink(path.c_str());
    return IoError(path, "write", "을(를) 쓸", err);
  }
  Fd dir(::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid() || SyncDirectory(dir.get()) != 0) {
    return IoError(path, "flush the directory of", "의 디렉터리를 디스크에 기록할", errno);
  }
  return {};
}

core::Result<std::uint32_t> AddSealKey(const std::string& path) {
  internal::EnsureSodium();
  // Work next to the real file, so that a symlinked key file is updated, not replaced.
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(path, ec);
  if (ec) {
    return OpenError(path, ec.value());
  }
  Fd dir(::open(DirectoryOf(real).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    return IoError(path, "open the directory of", "의 디렉터리를 열", errno);
  }
  // Two rotations at once would each add "the next id" with different keys;
  // the lock makes the second one see the first one's key.
  if (::flock(dir.get(), LOCK_EX) != 0) {
    return IoError(path, "lock the directory of", "의 디렉터리를 잠글", errno);
  }

  auto content = ReadKeyFile(real.string());
  if (!content.ok()) {
    return std::move(content).error();
  }
  auto ring = ParseKeyFile(content->text.str(), path);
  if (!ring.ok()) {
    return std::move(ring).error();
  }
  const std::uint32_t current = ring->CurrentSealKeyId();
  if (current == std::numeric_limits<std::uint32_t>::max()) {
    return KeyFileError("Key file " + path + " has used up all seal key ids.",
                        "키 파일 " + path + "의 seal 키 번호를 모두 사용했습니다.");
  }
  const std::uint32_t new_id = current + 1;
  std::string& text = content->text.str();
  if (!text.empty() && text.back() != '\n') {
    text.push_back('\n');
  }
  AppendSealLine(&text, new_id, SecretKey::Random());

  std::string temp = real.string() + ".tmp-XXXXXX";
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (!fd.valid()) {
    return IoError(path, "create a temporary copy of", "의 임시 사본을 만들", errno);
  }
  int err = ::fchmod(fd.get(), kKeyFileMode) == 0 ? 0 : errno;
  // Keep the owner: a root-run rotation must not leave a file the server's user cannot read.
  if (err == 0 && content->owner != ::geteuid()) {
    err = ::fchown(fd.get(), content->owner, content->group) == 0 ? 0 : errno;
  }
  // The group has no access at mode 0600; keeping it is a courtesy, so a failure is ignored.
  if (err == 0 && content->owner == ::geteuid() && content->group != ::getegid()) {
    const int ignored = ::fchown(fd.get(), static_cast<uid_t>(-1), content->group);
    static_cast<void>(ignored);
  }
  if (err == 0) {
    err = WriteAndSync(fd.get(), text);
  }
  if (const int close_err = fd.Close(); err == 0) {
    err = close_err;
  }
  if (err == 0 && ::rename(temp.c_str(), real.c_str()) != 0) {
    err = errno;
  }
  if (err != 0) {
    ::unlink(temp.c_str());
    return IoError(path, "write", "을(를) 쓸", err);
  }
  if (SyncDirectory(dir.get()) != 0) {
    return IoError(path, "flush the directory of", "의 디렉터리를 디스크에 기록할", errno);
  }
  return new_id;
}

}  // namespace caredesk::crypto
