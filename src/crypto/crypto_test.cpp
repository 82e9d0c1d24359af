#include "crypto/crypto.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "crypto/sodium_blind_indexer.hpp"
#include "crypto/sodium_digester.hpp"
#include "crypto/sodium_password_hasher.hpp"
#include "crypto/sodium_random.hpp"
#include "crypto/sodium_sealer.hpp"
#include "tests/support/temp_dir.hpp"

namespace caredesk::crypto {
namespace {

using core::Bytes;

constexpr mode_t kOwnerOnly = 0600;
constexpr mode_t kWorldReadable = 0644;
const std::string kKeyA(64, 'a');
const std::string kKeyB(64, 'b');
const std::string kKeyC(64, 'c');
const std::string kContext = "resident.phone:42";
const std::string kKorean = "홍길동, 서울특별시 종로구 — 상담 기록: 우울감 호소";

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return 0;
  }
  return st.st_mode & 07777;
}

class CryptoTest : public ::testing::Test {
 protected:
  // Writes a key file with the given content and mode.
  std::string WriteKeyFile(const std::string& name, const std::string& content,
                           mode_t mode = kOwnerOnly) {
    std::string path = dir_.File(name);
    {
      std::ofstream out(path);
      out << content;
    }
    ::chmod(path.c_str(), mode);
    return path;
  }

  std::shared_ptr<const KeyRing> Load(const std::string& path) {
    auto ring = LoadKeyFile(path);
    if (!ring.ok()) {
      ADD_FAILURE() << ring.error().message;
      return nullptr;
    }
    return std::make_shared<const KeyRing>(std::move(*ring));
  }

  // A fresh key file with one seal key, and its ring.
  std::shared_ptr<const KeyRing> Generated(const std::string& name = "keys") {
    const std::string path = dir_.File(name);
    auto made = GenerateKeyFile(path);
    EXPECT_TRUE(made.ok());
    return Load(path);
  }

  // Expects LoadKeyFile to fail with an English message containing every `needle`.
  void ExpectLoadFails(const std::string& path, std::initializer_list<std::string> needles) {
    auto ring = LoadKeyFile(path);
    ASSERT_FALSE(ring.ok());
    const auto& e = ring.error();
    EXPECT_FALSE(e.message_ko.empty());
    for (const auto& needle : needles) {
      EXPECT_TRUE(Contains(e.message, needle)) << e.message << " lacks " << needle;
    }
  }

  testing::TempDir dir_;
};

// --- Sealer -------------------------------------------------------------------

TEST_F(CryptoTest, SealOpenRoundTripsKoreanText) {
  SodiumSealer sealer(Generated());
  const Bytes sealed = sealer.Seal(kKorean, kContext);
  EXPECT_EQ(sealed.size(), kKorean.size() + kSealOverheadBytes);
  EXPECT_FALSE(Contains(std::string(sealed.begin(), sealed.end()), "홍길동"));
  auto opened = sealer.Open(sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.error().internal_detail;
  EXPECT_EQ(*opened, kKorean);
}

TEST_F(CryptoTest, EmptyPlaintextRoundTrips) {
  SodiumSealer sealer(Generated());
  auto opened = sealer.Open(sealer.Seal("", kContext), kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

TEST_F(CryptoTest, SealingTwiceGivesDifferentCiphertexts) {
  SodiumSealer sealer(Generated());
  EXPECT_NE(sealer.Seal(kKorean, kContext), sealer.Seal(kKorean, kContext));
}

TEST_F(CryptoTest, SealedFormHasVersionKeyIdAndNonce) {
  SodiumSealer sealer(Generated());
  const Bytes sealed = sealer.Seal("x", kContext);
  ASSERT_GE(sealed.size(), kSealHeaderBytes);
  EXPECT_EQ(sealed[0], 0x01);
  EXPECT_EQ(sealed[1], 0);
  EXPECT_EQ(sealed[2], 0);
  EXPECT_EQ(sealed[3], 0);
  EXPECT_EQ(sealed[4], 1);
  EXPECT_EQ(sealer.KeyIdOf(sealed), 1U);
}

TEST_F(CryptoTest, TamperingAnyByteFailsToOpen) {
  SodiumSealer sealer(Generated());
  const Bytes sealed = sealer.Seal(kKorean, kContext);
  // Every byte: version, key id, nonce, ciphertext and tag.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    Bytes tampered = sealed;
    tampered[i] ^= 0x01;
    auto opened = sealer.Open(tampered, kContext);
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.error().code, core::ErrorCode::kInternal);
    EXPECT_FALSE(Contains(opened.error().internal_detail, kKorean));
    EXPECT_FALSE(Contains(opened.error().message, kKorean));
  }
}

TEST_F(CryptoTest, KeyIdPointingAtAnotherKnownKeyFailsToOpen) {
  const std::string path = dir_.File("keys");
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  ASSERT_TRUE(AddSealKey(path).ok());
  SodiumSealer sealer(Load(path));
  Bytes sealed = sealer.Seal(kKorean, kContext);
  ASSERT_EQ(sealer.KeyIdOf(sealed), 2U);
  sealed[4] = 1;  // Claim key 1, which exists but did not seal it.
  EXPECT_FALSE(sealer.Open(sealed, kContext).ok());
}

TEST_F(CryptoTest, WrongContextFailsToOpen) {
  SodiumSealer sealer(Generated());
  const Bytes sealed = sealer.Seal(kKorean, "resident.phone:42");
  EXPECT_FALSE(sealer.Open(sealed, "resident.phone:43").ok());
  EXPECT_FALSE(sealer.Open(sealed, "resident.name:42").ok());
  EXPECT_FALSE(sealer.Open(sealed, "").ok());
}

TEST_F(CryptoTest, TooShortOrForeignInputFailsToOpen) {
  SodiumSealer sealer(Generated());
  EXPECT_FALSE(sealer.Open({}, kContext).ok());
  EXPECT_FALSE(sealer.Open(Bytes(kSealOverheadBytes - 1, 0x01), kContext).ok());
  Bytes sealed = sealer.Seal(kKorean, kContext);
  sealed.pop_back();
  EXPECT_FALSE(sealer.Open(sealed, kContext).ok());
  EXPECT_EQ(sealer.KeyIdOf({}), 0U);
}

TEST_F(CryptoTest, AnotherKeyFileCannotOpen) {
  SodiumSealer mine(Generated("mine"));
  SodiumSealer theirs(Generated("theirs"));
  EXPECT_FALSE(theirs.Open(mine.Seal(kKorean, kContext), kContext).ok());
}

TEST_F(CryptoTest, RotationKeepsOldValuesReadableAndSealsWithTheNewKey) {
  const std::string path = dir_.File("keys");
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  SodiumSealer before(Load(path));
  EXPECT_EQ(before.CurrentKeyId(), 1U);
  const Bytes old_value = before.Seal(kKorean, kContext);
  EXPECT_EQ(before.KeyIdOf(old_value), 1U);

  auto added = AddSealKey(path);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 2U);

  SodiumSealer after(Load(path));
  EXPECT_EQ(after.CurrentKeyId(), 2U);
  auto opened = after.Open(old_value, kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kKorean);
  const Bytes new_value = after.Seal(kKorean, kContext);
  EXPECT_EQ(after.KeyIdOf(new_value), 2U);
  EXPECT_TRUE(after.Open(new_value, kContext).ok());
  // A server still on the old key file does not know key 2.
  auto stale = before.Open(new_value, kContext);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(Contains(stale.error().internal_detail, "unknown key id 2"));
}

TEST_F(CryptoTest, DataKeySealOpensOnlyWithThatDataKey) {
  SodiumSealer sealer(Generated());
  const Bytes data_key = sealer.NewDataKey();
  ASSERT_EQ(data_key.size(), 32U);
  EXPECT_NE(data_key, sealer.NewDataKey());

  const Bytes sealed = sealer.SealWith(data_key, kKorean, kContext);
  EXPECT_EQ(sealer.KeyIdOf(sealed), 0U);
  auto opened = sealer.OpenWith(data_key, sealed, kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kKorean);

  EXPECT_FALSE(sealer.OpenWith(sealer.NewDataKey(), sealed, kContext).ok());
  EXPECT_FALSE(sealer.OpenWith(data_key, sealed, "resident.phone:43").ok());
  EXPECT_FALSE(sealer.OpenWith(Bytes(16, 0), sealed, kContext).ok());
  // The two kinds of seal do not mix.
  EXPECT_FALSE(sealer.Open(sealed, kContext).ok());
  EXPECT_FALSE(sealer.OpenWith(data_key, sealer.Seal(kKorean, kContext), kContext).ok());
}

TEST_F(CryptoTest, CryptoShreddingTheSealedDataKeyLosesTheData) {
  SodiumSealer sealer(Generated());
  const Bytes data_key = sealer.NewDataKey();
  const Bytes stored_key =
      sealer.Seal(std::string(data_key.begin(), data_key.end()), "resident.data_key:7");
  const Bytes record = sealer.SealWith(data_key, kKorean, "resident.note:7");
  auto recovered = sealer.Open(stored_key, "resident.data_key:7");
  ASSERT_TRUE(recovered.ok());
  const Bytes key_again(recovered->begin(), recovered->end());
  auto opened = sealer.OpenWith(key_again, record, "resident.note:7");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kKorean);
}

// --- Blind indexes ------------------------------------------------------------

TEST_F(CryptoTest, BlindIndexIsDeterministicLowerHexAndDomainSeparated) {
  auto keys = Generated();
  SodiumBlindIndexer indexer(keys);
  const std::string token = indexer.Token("phone", "01012345678");
  EXPECT_EQ(token.size(), 32U);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  EXPECT_EQ(token, indexer.Token("phone", "01012345678"));
  EXPECT_EQ(token, SodiumBlindIndexer(keys).Token("phone", "01012345678"));
  EXPECT_NE(token, indexer.Token("name", "01012345678"));
  EXPECT_NE(token, indexer.Token("phone", "01012345679"));
  // The separator keeps the boundary between domain and value.
  EXPECT_NE(indexer.Token("ab", "c"), indexer.Token("a", "bc"));
  EXPECT_NE(indexer.Token("ngram", "홍길"), indexer.Token("ngram", "길동"));
}

TEST_F(CryptoTest, BlindIndexDependsOnTheIndexKey) {
  SodiumBlindIndexer mine(Generated("mine"));
  SodiumBlindIndexer theirs(Generated("theirs"));
  EXPECT_NE(mine.Token("phone", "01012345678"), theirs.Token("phone", "01012345678"));
}

TEST_F(CryptoTest, BlindIndexSurvivesSealKeyRotation) {
  const std::string path = dir_.File("keys");
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  const std::string before = SodiumBlindIndexer(Load(path)).Token("phone", "01012345678");
  ASSERT_TRUE(AddSealKey(path).ok());
  EXPECT_EQ(SodiumBlindIndexer(Load(path)).Token("phone", "01012345678"), before);
}

// --- Password hashing ---------------------------------------------------------

TEST_F(CryptoTest, Argon2idVerifiesTheRightPasswordOnly) {
  SodiumPasswordHasher hasher(PasswordCost::Minimum());
  const std::string hash = hasher.Hash("correct horse 배터리 staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(hasher.Verify(hash, "correct horse 배터리 staple"));
  EXPECT_FALSE(hasher.Verify(hash, "correct horse 배터리 stapl"));
  EXPECT_FALSE(hasher.Verify(hash, ""));
  EXPECT_FALSE(hasher.Verify("", "correct horse 배터리 staple"));
  EXPECT_FALSE(hasher.Verify("not a hash", "correct horse 배터리 staple"));
}

TEST_F(CryptoTest, Argon2idHashesAreSalted) {
  SodiumPasswordHasher hasher(PasswordCost::Minimum());
  const std::string a = hasher.Hash("same password");
  const std::string b = hasher.Hash("same password");
  EXPECT_NE(a, b);
  EXPECT_TRUE(hasher.Verify(a, "same password"));
  EXPECT_TRUE(hasher.Verify(b, "same password"));
}

TEST_F(CryptoTest, NeedsRehashWhenMadeWithWeakerParameters) {
  SodiumPasswordHasher weak(PasswordCost::Minimum());
  SodiumPasswordHasher strong;  // The interactive default.
  const std::string hash = weak.Hash("password");
  EXPECT_FALSE(weak.NeedsRehash(hash));
  EXPECT_TRUE(strong.NeedsRehash(hash));
  EXPECT_TRUE(strong.NeedsRehash("not a hash"));
  EXPECT_TRUE(strong.NeedsRehash(""));
}

// --- Digests and randomness ---------------------------------------------------

TEST_F(CryptoTest, Sha256MatchesTheStandardVectors) {
  SodiumDigester digester;
  EXPECT_EQ(digester.Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digester.Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(CryptoTest, HmacSha1MatchesRfc2202) {
  SodiumDigester digester;
  const auto hex = [](const Bytes& b) {
    std::string out;
    for (const auto byte : b) {
      static constexpr char kDigits[] = "0123456789abcdef";
      out += kDigits[byte >> 4];
      out += kDigits[byte & 0x0f];
    }
    return out;
  };
  const std::string hi_there = "Hi There";
  EXPECT_EQ(hex(digester.HmacSha1(Bytes(20, 0x0b), Bytes(hi_there.begin(), hi_there.end()))),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  const std::string jefe = "Jefe";
  const std::string what = "what do ya want for nothing?";
  EXPECT_EQ(
      hex(digester.HmacSha1(Bytes(jefe.begin(), jefe.end()), Bytes(what.begin(), what.end()))),
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_F(CryptoTest, HmacSha256MatchesRfc4231AndComparesWholeMacs) {
  SodiumDigester digester;
  const std::string hi_there = "Hi There";
  EXPECT_EQ(digester.HmacSha256Hex(Bytes(20, 0x0b), hi_there),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  const std::string jefe = "Jefe";
  const std::string what = "what do ya want for nothing?";
  const std::string mac = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  EXPECT_EQ(digester.HmacSha256Hex(Bytes(jefe.begin(), jefe.end()), what), mac);
  EXPECT_TRUE(digester.HmacSha256Matches(Bytes(jefe.begin(), jefe.end()), what, mac));
  std::string wrong = mac;
  wrong.back() = '4';
  EXPECT_FALSE(digester.HmacSha256Matches(Bytes(jefe.begin(), jefe.end()), what, wrong));
  EXPECT_FALSE(digester.HmacSha256Matches(Bytes(jefe.begin(), jefe.end()), what, mac.substr(0, 63)));
  EXPECT_FALSE(digester.HmacSha256Matches(Bytes(jefe.begin(), jefe.end()), what, ""));
}

TEST_F(CryptoTest, RandomBytesHaveTheRequestedSizeAndDiffer) {
  SodiumRandom random;
  EXPECT_EQ(random.RandomBytes(32).size(), 32U);
  EXPECT_TRUE(random.RandomBytes(0).empty());
  EXPECT_NE(random.RandomBytes(32), random.RandomBytes(32));
  const std::string hex = random.RandomHex(16);
  EXPECT_EQ(hex.size(), 32U);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
  EXPECT_NE(hex, random.RandomHex(16));
}

// --- Key file -----------------------------------------------------------------

TEST_F(CryptoTest, GeneratedKeyFileLoadsWithModeOwnerOnly) {
  const std::string path = dir_.File("keys");
  auto made = GenerateKeyFile(path);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(ModeOf(path), kOwnerOnly);
  auto ring = LoadKeyFile(path);
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(ring->CurrentSealKeyId(), 1U);
  EXPECT_EQ(ring->SealKeyCount(), 1U);
  EXPECT_NE(ring->SealKey(1), nullptr);
  EXPECT_EQ(ring->SealKey(2), nullptr);
}

TEST_F(CryptoTest, GenerateRefusesToOverwrite) {
  const std::string path = dir_.File("keys");
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  const std::string original = Slurp(path);
  auto again = GenerateKeyFile(path);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(Contains(again.error().message, "already exists")) << again.error().message;
  EXPECT_EQ(Slurp(path), original);
}

TEST_F(CryptoTest, GenerateFailsInAMissingDirectory) {
  EXPECT_FALSE(GenerateKeyFile(dir_.File("no/such/dir/keys")).ok());
}

TEST_F(CryptoTest, LoadRefusesAKeyFileReadableByOthers) {
  const std::string path = dir_.File("keys");
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), kWorldReadable), 0);
  ExpectLoadFails(path, {path, "0644", "chmod 600"});
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ExpectLoadFails(path, {"0640"});
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(LoadKeyFile(path).ok());
}

TEST_F(CryptoTest, LoadReportsAMissingFile) {
  ExpectLoadFails(dir_.File("absent"), {"does not exist", "caredesk keygen"});
}

TEST_F(CryptoTest, LoadAcceptsCommentsBlankLinesAndAnyOrder) {
  const std::string path = WriteKeyFile("keys",
                                        "# master keys\n"
                                        "\n"
                                        "index " +
                                            kKeyA +
                                            "\n"
                                            "   # indented comment with many words in it\n"
                                            "seal 7 " +
                                            kKeyB +
                                            "\r\n"
                                            "seal\t3\t" +
                                            kKeyC);
  auto ring = LoadKeyFile(path);
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(ring->CurrentSealKeyId(), 7U);
  EXPECT_EQ(ring->SealKeyCount(), 2U);
  EXPECT_NE(ring->SealKey(3), nullptr);
}

TEST_F(CryptoTest, LoadNamesTheLineOfAMalformedEntry) {
  const std::string good = "seal 1 " + kKeyA + "\nindex " + kKeyB + "\n";
  ExpectLoadFails(WriteKeyFile("k1", "# keys\n" + good + "sael 2 " + kKeyC + "\n"), {"line 4"});
  ExpectLoadFails(WriteKeyFile("k2", good + "seal 2\n"), {"line 3"});
  ExpectLoadFails(WriteKeyFile("k3", good + "seal 2 " + kKeyC + " extra\n"), {"line 3"});
  ExpectLoadFails(WriteKeyFile("k4", good + "index\n"), {"line 3"});
  // Ids are positive 32-bit integers.
  ExpectLoadFails(WriteKeyFile("k5", good + "seal 0 " + kKeyC + "\n"), {"line 3", "id"});
  ExpectLoadFails(WriteKeyFile("k6", good + "seal -2 " + kKeyC + "\n"), {"line 3", "id"});
  ExpectLoadFails(WriteKeyFile("k7", good + "seal 4294967296 " + kKeyC + "\n"), {"line 3", "id"});
  ExpectLoadFails(WriteKeyFile("k8", good + "seal x " + kKeyC + "\n"), {"line 3", "id"});
}

TEST_F(CryptoTest, LoadRejectsBadHexWithoutQuotingIt) {
  const std::string index = "index " + kKeyB + "\n";
  const std::string short_key(62, 'a');
  const std::string not_hex = std::string(63, 'a') + "g";
  const std::string long_key(66, 'a');
  for (const auto& key : {short_key, not_hex, long_key}) {
    std::string content = index;
    content.append("seal 1 ").append(key).append("\n");
    const std::string path = WriteKeyFile("keys", content);
    ExpectLoadFails(path, {"line 2", "64 hexadecimal"});
    EXPECT_FALSE(Contains(LoadKeyFile(path).error().message, key));
  }
  ExpectLoadFails(WriteKeyFile("k2", "seal 1 " + kKeyA + "\nindex " + not_hex + "\n"),
                  {"line 2", "64 hexadecimal"});
}

TEST_F(CryptoTest, LoadRejectsDuplicateIdsAndIndexKeys) {
  ExpectLoadFails(WriteKeyFile("k1", "seal 1 " + kKeyA + "\nindex " + kKeyB + "\nseal 1 " + kKeyC),
                  {"line 3", "id 1", "line 1"});
  ExpectLoadFails(
      WriteKeyFile("k2", "seal 1 " + kKeyA + "\nindex " + kKeyB + "\nindex " + kKeyC + "\n"),
      {"line 3", "index"});
}

TEST_F(CryptoTest, LoadRequiresASealKeyAndAnIndexKey) {
  ExpectLoadFails(WriteKeyFile("k1", "index " + kKeyB + "\n"), {"no seal key"});
  ExpectLoadFails(WriteKeyFile("k2", "seal 1 " + kKeyA + "\n"), {"no index key"});
  ExpectLoadFails(WriteKeyFile("k3", ""), {"no seal key"});
}

TEST_F(CryptoTest, AddSealKeyIncrementsTheIdAndKeepsOldKeys) {
  const std::string path = WriteKeyFile("keys", "# mine\nseal 5 " + kKeyA + "\nindex " + kKeyB);
  SodiumSealer before(Load(path));
  const Bytes sealed = before.Seal(kKorean, kContext);

  auto added = AddSealKey(path);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 6U);
  EXPECT_EQ(ModeOf(path), kOwnerOnly);
  const std::string text = Slurp(path);
  EXPECT_TRUE(text.starts_with("# mine\nseal 5 " + kKeyA + "\nindex " + kKeyB + "\nseal 6 "))
      << text;

  auto again = AddSealKey(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 7U);

  auto ring = Load(path);
  ASSERT_NE(ring, nullptr);
  EXPECT_EQ(ring->SealKeyCount(), 3U);
  EXPECT_EQ(ring->CurrentSealKeyId(), 7U);
  auto opened = SodiumSealer(ring).Open(sealed, kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kKorean);
  // No temporary files are left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "keys");
  }
  EXPECT_EQ(files, 1);
}

TEST_F(CryptoTest, ARunningSealerPicksUpARotatedKeyByItself) {
  const std::string path = WriteKeyFile("keys", "seal 1 " + kKeyA + "\nindex " + kKeyB);
  SodiumSealer running(Load(path), path);  // a server started before the rotation
  const Bytes old_value = running.Seal(kKorean, kContext);
  ASSERT_TRUE(AddSealKey(path).ok());
  // Another server (or the rotate-key command) seals with the new key 2 ...
  SodiumSealer rotated(Load(path), path);
  const Bytes new_value = rotated.Seal(kKorean, kContext);
  EXPECT_EQ(rotated.KeyIdOf(new_value), 2U);
  // ... and the running server opens it without a restart, and keeps the old key.
  auto opened = running.Open(new_value, kContext);
  ASSERT_TRUE(opened.ok()) << opened.error().internal_detail;
  EXPECT_EQ(*opened, kKorean);
  EXPECT_EQ(running.CurrentKeyId(), 2U);
  EXPECT_TRUE(running.Open(old_value, kContext).ok());
}

TEST_F(CryptoTest, AddSealKeyLeavesAnInvalidFileAlone) {
  const std::string bad = "seal 1 " + kKeyA + "\n";
  const std::string path = WriteKeyFile("keys", bad);
  EXPECT_FALSE(AddSealKey(path).ok());
  EXPECT_EQ(Slurp(path), bad);
  const std::string open =
      WriteKeyFile("open", "seal 1 " + kKeyA + "\nindex " + kKeyB + "\n", kWorldReadable);
  EXPECT_FALSE(AddSealKey(open).ok());
  EXPECT_FALSE(AddSealKey(dir_.File("absent")).ok());
}

TEST_F(CryptoTest, AddSealKeyThroughASymlinkUpdatesTheTarget) {
  const std::string target = dir_.File("keys");
  ASSERT_TRUE(GenerateKeyFile(target).ok());
  const std::string link = dir_.File("link");
  std::filesystem::create_symlink(target, link);
  auto added = AddSealKey(link);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(Load(target)->SealKeyCount(), 2U);
}

// --- The suite ----------------------------------------------------------------

TEST_F(CryptoTest, OpenCryptoWiresEveryPort) {
  const std::string path = dir_.File("keys");
  ASSERT_TRUE(InitSodium().ok());
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  auto suite = OpenCrypto(path, PasswordCost::Minimum());
  ASSERT_TRUE(suite.ok()) << suite.error().message;
  ASSERT_NE(suite->sealer, nullptr);
  ASSERT_NE(suite->indexer, nullptr);
  ASSERT_NE(suite->hasher, nullptr);
  ASSERT_NE(suite->random, nullptr);
  ASSERT_NE(suite->digester, nullptr);
  auto opened = suite->sealer->Open(suite->sealer->Seal(kKorean, kContext), kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kKorean);
  EXPECT_EQ(suite->indexer->Token("phone", "1"), suite->indexer->Token("phone", "1"));
  EXPECT_TRUE(suite->hasher->Verify(suite->hasher->Hash("pw"), "pw"));
  EXPECT_EQ(suite->random->RandomHex(8).size(), 16U);
  EXPECT_EQ(suite->digester->Sha256Hex("abc").size(), 64U);
}

TEST_F(CryptoTest, OpenCryptoFailsOnAMissingKeyFile) {
  auto suite = OpenCrypto(dir_.File("absent"));
  ASSERT_FALSE(suite.ok());
  EXPECT_TRUE(Contains(suite.error().message, "does not exist"));
}

}  // namespace
}  // namespace caredesk::crypto
