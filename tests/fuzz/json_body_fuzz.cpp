// libFuzzer: http::ParseJsonObject and ObjectReader's field readers on arbitrary request bodies
// (the decoding every route starts with). Invariants: no crash or sanitizer report; a body is
// either an object or one of ParseJsonObject's documented errors; the readers hand out only what
// they promise (ids positive, ints in range, arrays within their bound); every error has the one
// error shape; any accepted document goes back out as JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/text.hpp"
#include "http/json_io.hpp"
#include "tests/fuzz/fuzz_checks.hpp"

namespace caredesk::fuzz {
namespace {

constexpr std::string_view kRequestId = "fuzz";
constexpr int kMinCount = -3;
constexpr int kMaxCount = 1000;
constexpr int kMaxLevel = 5;
constexpr std::size_t kMaxTags = 5;
constexpr std::size_t kMaxLabels = 3;
constexpr std::size_t kMaxIds = 4;

void CheckError(const core::Error& error) {
  Require(!error.message.empty() && !error.message_ko.empty(), "error without its messages",
          core::ErrorCodeName(error.code));
  CheckErrorShape(http::ErrorResponse(error, kRequestId), kRequestId);
}

void ReadFields(const http::Json& object) {
  http::ObjectReader r(object,
                       {"name", "id", "count", "level", "tags", "labels", "ids", "flag", "nested"});
  const auto name = r.RequiredString("name");
  Require(core::IsValidUtf8(name), "a string read from the body is not UTF-8", name);
  if (const auto id = r.OptionalId("id")) {
    Require(*id > 0, "OptionalId handed out a non-positive id", std::to_string(*id));
  }
  const int count = r.RequiredInt("count", kMinCount, kMaxCount);
  Require(count >= kMinCount && count <= kMaxCount, "RequiredInt out of its range",
          std::to_string(count));
  if (const auto level = r.OptionalInt("level", 0, kMaxLevel)) {
    Require(*level >= 0 && *level <= kMaxLevel, "OptionalInt out of its range",
            std::to_string(*level));
  }
  Require(r.RequiredStringArray("tags", kMaxTags).size() <= kMaxTags, "too many tags");
  if (const auto labels = r.OptionalStringArray("labels", kMaxLabels)) {
    Require(labels->size() <= kMaxLabels, "too many labels");
  }
  if (const auto ids = r.OptionalIdArray("ids", kMaxIds)) {
    Require(ids->size() <= kMaxIds, "too many ids");
    for (const auto id : *ids) {
      Require(id > 0, "OptionalIdArray handed out a non-positive id", std::to_string(id));
    }
  }
  r.OptionalBool("flag");
  if (const auto* nested = r.OptionalObject("nested")) {
    Require(nested->is_object(), "OptionalObject handed out a non-object");
    http::ObjectReader n(*nested, {"kind", "note", "at"}, r.Path("nested"));
    n.RequiredString("kind");
    n.OptionalString("note");
    n.OptionalInt("at", 0, kMaxCount);
    r.Adopt(n);
    Require(n.Finish().ok(), "Adopt left violations behind");
  }
  if (auto finished = r.Finish(); !finished.ok()) {
    Require(finished.error().code == core::ErrorCode::kValidationFailed &&
                !finished.error().details.empty(),
            "Finish failed without violations");
    CheckError(finished.error());
  }
}

}  // namespace
}  // namespace caredesk::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caredesk;
  http::Request request;
  request.method = "POST";
  request.headers["content-type"] = "application/json; charset=utf-8";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto parsed = http::ParseJsonObject(request);
  if (!parsed.ok()) {
    const auto code = parsed.error().code;
    fuzz::Require(code == core::ErrorCode::kInvalidUtf8 ||
                      code == core::ErrorCode::kMalformedJson ||
                      code == core::ErrorCode::kValidationFailed,
                  "ParseJsonObject failed with an undocumented code", core::ErrorCodeName(code));
    fuzz::Require(code != core::ErrorCode::kInvalidUtf8 || !core::IsValidUtf8(request.body),
                  "valid UTF-8 refused as invalid");
    fuzz::CheckError(parsed.error());
    return 0;
  }
  fuzz::Require(parsed->is_object(), "ParseJsonObject accepted a non-object");
  fuzz::ReadFields(*parsed);
  // Whatever was accepted can be sent back (routes echo names, notes, tags).
  const auto echoed = http::JsonResponse(200, *parsed);
  fuzz::Require(http::Json::parse(echoed.body, nullptr, false) == *parsed,
                "an accepted body does not survive a round trip", echoed.body);
  return 0;
}
