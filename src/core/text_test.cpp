#include "core/text.hpp"

#include <gtest/gtest.h>

namespace caredesk::core {
namespace {

TEST(Utf8, AcceptsKoreanAndAscii) {
  EXPECT_TRUE(IsValidUtf8("서교동 주민센터 abc"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // emoji, 4 bytes
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(
      IsValidUtf8("ab\x80"
                  "cd"));                 // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xEC\x84"));  // 3-byte lead, 2 bytes
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(CodePointCount("서교동"), 3U);
  EXPECT_EQ(CodePointCount("a서b"), 3U);
}

TEST(Trim, StripsAsciiWhitespace) {
  EXPECT_EQ(Trim("  망원1동\t\n"), "망원1동");
  EXPECT_EQ(Trim("   "), "");
}

}  // namespace
}  // namespace caredesk::core
