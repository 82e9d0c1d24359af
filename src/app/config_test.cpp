#include "app/config.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <map>

#include "tests/support/temp_dir.hpp"

namespace caredesk::app {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  core::Result<Config> Load(std::vector<std::string> args) {
    CLI::App cli;
    ConfigLoader loader(cli);
    args.insert(args.begin(), "caredesk");
    std::vector<const char*> argv;
    for (const auto& a : args) {
      argv.push_back(a.c_str());
    }
    cli.parse(static_cast<int>(argv.size()), argv.data());
    return loader.Load([this](const char* name) -> const char* {
      const auto it = env_.find(name);
      return it == env_.end() ? nullptr : it->second.c_str();
    });
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const auto path = dir_.File(name);
    std::ofstream(path) << text;
    return path;
  }

  testing::TempDir dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, DefaultsAreSensible) {
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.address, "127.0.0.1");
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->storage.url, "sqlite://var/caredesk.db");
  EXPECT_EQ(c->server.max_body_bytes, 1U << 20);
}

TEST_F(ConfigTest, FlagsBeatEnvironmentWhichBeatsTheFile) {
  const auto file =
      WriteFile("c.toml",
                "[server]\nport = 1111\naddress = \"0.0.0.0\"\nmax_body_bytes = 4096\n"
                "[log]\nlevel = \"debug\"\n");
  env_["CAREDESK_PORT"] = "2222";
  env_["CAREDESK_ADDRESS"] = "127.0.0.2";
  auto c = Load({"--config", file, "--port", "3333"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.port, 3333);             // flag
  EXPECT_EQ(c->server.address, "127.0.0.2");   // env over file
  EXPECT_EQ(c->server.max_body_bytes, 4096U);  // file over default
  EXPECT_EQ(c->log.level, "debug");
}

TEST_F(ConfigTest, ConfigFileCanComeFromTheEnvironment) {
  env_["CAREDESK_CONFIG"] = WriteFile("c.toml", "[district]\ncode = \"seodaemun\"\n");
  auto c = Load({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->district.code, "seodaemun");
}

TEST_F(ConfigTest, RejectsUnknownKeysBadValuesAndBadUrls) {
  EXPECT_FALSE(Load({"--config", WriteFile("a.toml", "[server]\nprot = 1\n")}).ok());
  EXPECT_FALSE(Load({"--config", WriteFile("b.toml", "port = 1\n")}).ok());
  EXPECT_FALSE(Load({"--config", WriteFile("c.toml", "[server\n")}).ok());
  EXPECT_FALSE(Load({"--config", dir_.File("missing.toml")}).ok());
  EXPECT_FALSE(Load({"--port", "70000"}).ok());
  EXPECT_FALSE(Load({"--port", "80x"}).ok());
  EXPECT_FALSE(Load({"--log-level", "loud"}).ok());
  env_["CAREDESK_DATABASE_URL"] = "mysql://x";
  auto bad = Load({});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("sqlite://"), std::string::npos);
}

TEST_F(ConfigTest, SecretsAreReadFromFilesAndNeverDescribed) {
  env_["CAREDESK_DATABASE_PASSWORD_FILE"] = WriteFile("pw", "hunter2-secret\n");
  auto c = Load({"--database-url", "postgresql://care:inline-secret@db/caredesk"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->storage.password, "hunter2-secret");
  const auto text = Describe(*c);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_EQ(text.find("inline-secret"), std::string::npos);
  EXPECT_NE(text.find("database_password=***"), std::string::npos);
}

}  // namespace
}  // namespace caredesk::app
