#include "web/config_file.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

namespace xiehui::web {
namespace {

namespace fs = std::filesystem;

// A JSON file in the temp directory with a name no other test (or process) uses; removed on
// destruction.
class TempConfigFile {
 public:
  explicit TempConfigFile(const std::string& content) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("xiehui_config_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter.fetch_add(1)) + "_" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".json");
    std::ofstream out(path_, std::ios::binary);
    out << content;
  }
  ~TempConfigFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  TempConfigFile(const TempConfigFile&) = delete;
  TempConfigFile& operator=(const TempConfigFile&) = delete;

  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

Status apply_text(AppConfig& config, const std::string& json) {
  const TempConfigFile file(json);
  return apply_config_file(config, file.path());
}

void expect_invalid(const std::string& json) {
  AppConfig config;
  const Status st = apply_text(config, json);
  ASSERT_FALSE(st.has_value()) << json << " was accepted";
  EXPECT_EQ(st.error().code, ErrorCode::invalid_argument) << json;
  EXPECT_FALSE(st.error().message.zh.empty());
  EXPECT_FALSE(st.error().message.en.empty());
}

TEST(ApplyConfigFile, AppliesEveryKey) {
  AppConfig config;
  const Status st = apply_text(config, R"({
    "db": "mysql://db=x user=u host=h",
    "listen": "[::1]:9090",
    "ui_dir": "/srv/ui",
    "log_level": "debug",
    "db_pool_size": 3,
    "io_threads": 5,
    "writer_threads": 7,
    "credential_cache_milliseconds": 0,
    "max_connections": 77,
    "max_connections_per_address": 9,
    "header_limit_bytes": 4096,
    "body_limit_bytes": 2048,
    "upload_limit_bytes": 999999,
    "read_timeout_seconds": 12,
    "header_timeout_seconds": 3,
    "shutdown_grace_seconds": 4
  })");
  ASSERT_TRUE(st.has_value()) << st.error().message.en;
  EXPECT_EQ(config.db, "mysql://db=x user=u host=h");
  EXPECT_EQ(config.listen.host, "::1");
  EXPECT_EQ(config.listen.port, 9090);
  EXPECT_EQ(config.ui_dir, "/srv/ui");
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.db_pool_size, 3u);
  EXPECT_EQ(config.io_threads, 5u);
  EXPECT_EQ(config.writer_threads, 7u);
  EXPECT_EQ(config.credential_cache, std::chrono::milliseconds(0));
  EXPECT_EQ(config.max_connections, 77u);
  EXPECT_EQ(config.max_connections_per_address, 9u);
  EXPECT_EQ(config.header_limit_bytes, 4096u);
  EXPECT_EQ(config.body_limit_bytes, 2048u);
  EXPECT_EQ(config.upload_limit_bytes, 999999u);
  EXPECT_EQ(config.read_timeout, std::chrono::seconds(12));
  EXPECT_EQ(config.header_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config.shutdown_grace, std::chrono::seconds(4));
}

TEST(ApplyConfigFile, EmptyObjectKeepsDefaults) {
  AppConfig config;
  ASSERT_TRUE(apply_text(config, "{}").has_value());
  const AppConfig defaults;
  EXPECT_EQ(config.db, defaults.db);
  EXPECT_EQ(config.listen.host, defaults.listen.host);
  EXPECT_EQ(config.listen.port, defaults.listen.port);
  EXPECT_EQ(config.db_pool_size, defaults.db_pool_size);
  EXPECT_EQ(config.read_timeout, defaults.read_timeout);
}

TEST(ApplyConfigFile, KeysNotGivenAreLeftAlone) {
  AppConfig config;
  config.ui_dir = "/custom";
  ASSERT_TRUE(apply_text(config, R"({"db_pool_size": 2})").has_value());
  EXPECT_EQ(config.db_pool_size, 2u);
  EXPECT_EQ(config.ui_dir, "/custom");
}

TEST(ApplyConfigFile, RejectsUnknownKey) {
  expect_invalid(R"({"db_pool": 8})");
  AppConfig config;
  const Status st = apply_text(config, R"({"colour": "blue"})");
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.en.find("colour"), std::string::npos) << st.error().message.en;
}

TEST(ApplyConfigFile, AppliesTheDeliveryKeys) {
  AppConfig config;
  const Status st = apply_text(config, R"({
    "mail_from": "协会 <noreply@example.org>",
    "smtp": {"host": "smtp.example.org", "port": 465, "tls": true, "username": "u",
             "password": "p", "timeout_seconds": 20},
    "sms": {"url": "https://sms.example.org/send", "headers": {"X-Key": "k"},
            "body_template": {"to": "{{mobile}}", "text": "{{text}}"}},
    "outbox": {"workers": 3, "max_attempts": 5, "lease_seconds": 60},
    "scheduler": false})");
  ASSERT_TRUE(st.has_value()) << st.error().message.en;
  EXPECT_EQ(config.mail.from, "协会 <noreply@example.org>");
  EXPECT_EQ(config.mail.port, 465);
  EXPECT_TRUE(config.mail.tls);
  EXPECT_EQ(config.mail.timeout_seconds, 20);
  ASSERT_EQ(config.sms.headers.size(), 1u);
  EXPECT_EQ(config.sms.headers[0].second, "k");
  EXPECT_NE(config.sms.body_template.find("{{mobile}}"), std::string::npos);
  EXPECT_EQ(config.outbox.workers, 3);
  EXPECT_EQ(config.outbox.lease_seconds, 60);
  EXPECT_FALSE(config.scheduler);
}

TEST(ApplyConfigFile, RefusesBadDeliveryKeys) {
  expect_invalid(R"({"smtp": {"hostname": "x"}})");
  expect_invalid(R"({"smtp": {"port": 0}})");
  expect_invalid(R"({"outbox": {"workers": "two"}})");
  expect_invalid(R"({"mail_from": "a@b.org\r\nBcc: c@d.org"})");
  // An SMS body that is not JSON once filled in, or names an unknown placeholder, stops the
  // server at start rather than every message at send time.
  expect_invalid(R"({"sms": {"url": "http://x", "body_template": "{\"to\":\"{{mobile}}\",}"}})");
  expect_invalid(R"({"sms": {"url": "http://x", "body_template": "{\"to\":\"{{mobile}}\""}})");
  expect_invalid(R"({"sms": {"url": "http://x", "body_template": "{\"to\":\"{{phone}}\"}"}})");
}

TEST(ApplyConfigFile, RejectsWrongTypes) {
  expect_invalid(R"({"db_pool_size": "8"})");
  expect_invalid(R"({"db_pool_size": -1})");
  expect_invalid(R"({"db_pool_size": 0})");
  expect_invalid(R"({"writer_threads": 0})");
  expect_invalid(R"({"credential_cache_milliseconds": -1})");
  expect_invalid(R"({"credential_cache_milliseconds": 60001})");
  expect_invalid(R"({"credential_cache_milliseconds": "1000"})");
  expect_invalid(R"({"db_pool_size": 1.5})");
  expect_invalid(R"({"db_pool_size": true})");
  expect_invalid(R"({"db_pool_size": null})");
  expect_invalid(R"({"db_pool_size": 18446744073709551615})");
  expect_invalid(R"({"read_timeout_seconds": "30"})");
  expect_invalid(R"({"shutdown_grace_seconds": -5})");
  expect_invalid(R"({"header_timeout_seconds": 0})");
  expect_invalid(R"({"max_connections_per_address": "64"})");
  expect_invalid(R"({"db": 5})");
  expect_invalid(R"({"listen": 8080})");
  expect_invalid(R"({"ui_dir": ["a"]})");
  expect_invalid(R"({"log_level": {}})");
}

TEST(ApplyConfigFile, MaxConcurrentImportsIsAPositiveCount) {
  AppConfig config;
  EXPECT_EQ(config.max_concurrent_imports, 2u);
  ASSERT_TRUE(apply_text(config, R"({"max_concurrent_imports": 1})").has_value());
  EXPECT_EQ(config.max_concurrent_imports, 1u);
  expect_invalid(R"({"max_concurrent_imports": 0})");
  expect_invalid(R"({"max_concurrent_imports": "2"})");
}

TEST(ApplyConfigFile, WrongTypeNamesTheKey) {
  AppConfig config;
  const Status st = apply_text(config, R"({"io_threads": "4"})");
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.en.find("io_threads"), std::string::npos) << st.error().message.en;
}

TEST(ApplyConfigFile, RejectsBadListenAddress) {
  expect_invalid(R"({"listen": "localhost"})");
  expect_invalid(R"({"listen": "host:99999"})");
}

TEST(ApplyConfigFile, RejectsInvalidJson) {
  expect_invalid("{");
  expect_invalid("{\"db\": }");
  expect_invalid("");
  expect_invalid("not json");
  expect_invalid(R"({"db": "a"} trailing)");
}

TEST(ApplyConfigFile, RejectsNonObjectJson) {
  expect_invalid("[]");
  expect_invalid("42");
  expect_invalid(R"("db")");
}

TEST(ApplyConfigFile, RejectsMissingFile) {
  AppConfig config;
  const std::string path =
      (fs::temp_directory_path() / "xiehui_config_test_does_not_exist.json").string();
  ASSERT_FALSE(fs::exists(path));
  const Status st = apply_config_file(config, path);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(st.error().message.en.find(path), std::string::npos) << st.error().message.en;
}

TEST(ApplyConfigFile, TempFileIsRemoved) {
  std::string path;
  {
    const TempConfigFile file("{}");
    path = file.path();
    ASSERT_TRUE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path));
}

// ---- apply_environment ----

struct FakeEnv {
  std::map<std::string, std::string> vars;
  const char* operator()(const char* name) const {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

TEST(ApplyEnvironment, AppliesDbAndListen) {
  AppConfig config;
  const FakeEnv env{{{"XIEHUI_DB", "mysql://db=prod user=u"}, {"XIEHUI_LISTEN", "0.0.0.0:80"}}};
  const Status st = apply_environment(config, env);
  ASSERT_TRUE(st.has_value()) << st.error().message.en;
  EXPECT_EQ(config.db, "mysql://db=prod user=u");
  EXPECT_EQ(config.listen.host, "0.0.0.0");
  EXPECT_EQ(config.listen.port, 80);
}

TEST(ApplyEnvironment, UnsetOrEmptyVariablesChangeNothing) {
  const AppConfig defaults;
  AppConfig config;
  ASSERT_TRUE(apply_environment(config, [](const char*) -> const char* { return nullptr; }));
  EXPECT_EQ(config.db, defaults.db);
  EXPECT_EQ(config.listen.host, defaults.listen.host);
  EXPECT_EQ(config.listen.port, defaults.listen.port);

  const FakeEnv empty{{{"XIEHUI_DB", ""}, {"XIEHUI_LISTEN", ""}}};
  ASSERT_TRUE(apply_environment(config, empty));
  EXPECT_EQ(config.db, defaults.db);
  EXPECT_EQ(config.listen.port, defaults.listen.port);
}

TEST(ApplyEnvironment, IgnoresOtherVariables) {
  AppConfig config;
  const FakeEnv env{{{"XIEHUI_UI_DIR", "/elsewhere"}, {"DB", "sqlite3://db=other.db"}}};
  ASSERT_TRUE(apply_environment(config, env));
  EXPECT_EQ(config.ui_dir, AppConfig{}.ui_dir);
  EXPECT_EQ(config.db, AppConfig{}.db);
}

TEST(ApplyEnvironment, RejectsBadListen) {
  AppConfig config;
  const FakeEnv env{{{"XIEHUI_LISTEN", "localhost"}}};
  const Status st = apply_environment(config, env);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(config.listen.host, AppConfig{}.listen.host);
  EXPECT_EQ(config.listen.port, AppConfig{}.listen.port);
}

TEST(ApplyEnvironment, OverridesTheConfigFile) {
  AppConfig config;
  ASSERT_TRUE(apply_text(config, R"({"listen": "127.0.0.1:7000", "db": "sqlite3://db=f.db"})"));
  const FakeEnv env{{{"XIEHUI_LISTEN", "[::1]:7001"}}};
  ASSERT_TRUE(apply_environment(config, env));
  EXPECT_EQ(config.listen.host, "::1");
  EXPECT_EQ(config.listen.port, 7001);
  EXPECT_EQ(config.db, "sqlite3://db=f.db");
}

}  // namespace
}  // namespace xiehui::web
