#include "web/config_file.hpp"

#include "web/config_delivery.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace xiehui::web {
namespace {

Error config_error(const std::string& path, const std::string& zh, const std::string& en) {
  return make_error(ErrorCode::invalid_argument,
                    {"配置文件 " + path + "：" + zh, "config file " + path + ": " + en});
}

// "backup": {"dir": "var/backups", "keep": 7, "hour": 3}
Status apply_backup(AppConfig& config, const std::string& path, const boost::json::value& value) {
  if (!value.is_object()) {
    return std::unexpected(config_error(path, "backup 应为对象", "backup must be an object"));
  }
  for (const auto& [k, v] : value.as_object()) {
    const std::string key = "backup." + std::string(k);
    if (k == "dir" && v.is_string() && !v.as_string().empty()) {
      config.backup.dir = std::string(v.as_string());
    } else if (k == "keep" && v.is_int64() && v.as_int64() >= 1 && v.as_int64() <= 3650) {
      config.backup.keep = static_cast<int>(v.as_int64());
    } else if (k == "hour" && v.is_int64() && v.as_int64() >= 0 && v.as_int64() <= 23) {
      config.backup.hour = static_cast<int>(v.as_int64());
    } else if (k == "dir" || k == "keep" || k == "hour") {
      return std::unexpected(
          config_error(path, key + " 无效（dir 非空字符串，keep 1–3650，hour 0–23）",
                       key + " is invalid (dir: a non-empty string, keep: 1-3650, hour: 0-23)"));
    } else {
      return std::unexpected(config_error(path, "未知的配置项 " + key, "unknown key " + key));
    }
  }
  return {};
}

}  // namespace

Status apply_config_file(AppConfig& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::unexpected(config_error(path, "无法读取", "cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(text.str(), ec);
  if (ec || !doc.is_object()) {
    return std::unexpected(config_error(path, "不是有效的 JSON 对象", "is not a JSON object"));
  }
  for (const auto& [key_sv, value] : doc.as_object()) {
    const std::string key(key_sv);
    const auto want_string = [&](std::string& out) -> Status {
      if (!value.is_string()) {
        return std::unexpected(config_error(path, key + " 应为字符串", key + " must be a string"));
      }
      out = std::string(value.as_string());
      return {};
    };
    const auto want_count = [&](auto& out) -> Status {
      if (!value.is_int64() || value.as_int64() <= 0) {
        return std::unexpected(
            config_error(path, key + " 应为正整数", key + " must be a positive integer"));
      }
      out = static_cast<std::remove_reference_t<decltype(out)>>(value.as_int64());
      return {};
    };
    Status st;
    std::size_t seconds = 0;
    if (key == "db") {
      st = want_string(config.db);
    } else if (key == "listen") {
      std::string listen;
      st = want_string(listen);
      if (st) {
        auto parsed = parse_listen_address(listen);
        if (!parsed) return std::unexpected(parsed.error());
        config.listen = *parsed;
      }
    } else if (key == "trusted_proxies") {
      const bool strings =
          value.is_array() &&
          std::ranges::all_of(value.as_array(), [](const auto& v) { return v.is_string(); });
      if (!strings) {
        return std::unexpected(config_error(path, key + " 应为字符串数组（代理的 IP 地址）",
                                            key + " must be an array of IP address strings"));
      }
      config.trusted_proxies.clear();
      for (const auto& v : value.as_array()) config.trusted_proxies.emplace_back(v.as_string());
    } else if (key == "public_url") {
      st = want_string(config.public_url);
      while (st && config.public_url.ends_with('/')) config.public_url.pop_back();
    } else if (key == "data_dir") {
      st = want_string(config.data_dir);
    } else if (key == "ui_dir") {
      st = want_string(config.ui_dir);
    } else if (key == "log_level") {
      st = want_string(config.log_level);
    } else if (key == "db_pool_size") {
      st = want_count(config.db_pool_size);
    } else if (key == "writer_threads") {
      st = want_count(config.writer_threads);
    } else if (key == "credential_cache_milliseconds") {
      if (!value.is_int64() || value.as_int64() < 0 || value.as_int64() > 60000) {
        return std::unexpected(config_error(path, key + " 应为 0 到 60000 的整数",
                                            key + " must be an integer from 0 to 60000"));
      }
      config.credential_cache = std::chrono::milliseconds(value.as_int64());
    } else if (key == "io_threads") {
      st = want_count(config.io_threads);
    } else if (key == "max_connections") {
      st = want_count(config.max_connections);
    } else if (key == "max_connections_per_address") {
      st = want_count(config.max_connections_per_address);
    } else if (key == "header_limit_bytes") {
      st = want_count(config.header_limit_bytes);
    } else if (key == "body_limit_bytes") {
      st = want_count(config.body_limit_bytes);
    } else if (key == "upload_limit_bytes") {
      st = want_count(config.upload_limit_bytes);
    } else if (key == "read_timeout_seconds") {
      st = want_count(seconds);
      config.read_timeout = std::chrono::seconds(seconds);
    } else if (key == "header_timeout_seconds") {
      st = want_count(seconds);
      config.header_timeout = std::chrono::seconds(seconds);
    } else if (key == "shutdown_grace_seconds") {
      st = want_count(seconds);
      config.shutdown_grace = std::chrono::seconds(seconds);
    } else if (key == "secure_cookies") {
      if (!value.is_bool()) {
        return std::unexpected(
            config_error(path, key + " 应为 true 或 false", key + " must be a boolean"));
      }
      config.secure_cookies = value.as_bool();
    } else if (key == "dues_daily_run") {
      if (!value.is_bool()) {
        return std::unexpected(
            config_error(path, key + " 应为 true 或 false", key + " must be a boolean"));
      }
      config.dues_daily_run = value.as_bool();
    } else if (key == "scheduler") {
      if (!value.is_bool()) {
        return std::unexpected(
            config_error(path, key + " 应为 true 或 false", key + " must be a boolean"));
      }
      config.scheduler = value.as_bool();
    } else if (key == "backup") {
      st = apply_backup(config, path, value);
    } else if (auto delivery = apply_delivery_key(config, path, key, value)) {
      st = *delivery;
    } else if (key == "session_idle_minutes") {
      st = want_count(seconds);
      config.session_idle = std::chrono::minutes(seconds);
    } else if (key == "session_absolute_minutes") {
      st = want_count(seconds);
      config.session_absolute = std::chrono::minutes(seconds);
    } else if (key == "login_max_failures") {
      st = want_count(config.login_max_failures);
    } else if (key == "login_lockout_minutes") {
      st = want_count(seconds);
      config.login_lockout = std::chrono::minutes(seconds);
    } else if (key == "applications_per_address_per_hour") {
      st = want_count(config.applications_per_address_per_hour);
    } else if (key == "max_concurrent_imports") {
      st = want_count(config.max_concurrent_imports);
    } else if (key == "min_password_length") {
      st = want_count(config.min_password_length);
    } else {
      return std::unexpected(config_error(path, "未知的配置项 " + key, "unknown key " + key));
    }
    if (!st) return st;
  }
  return {};
}

Status apply_environment(AppConfig& config, const std::function<const char*(const char*)>& getenv) {
  if (const char* db = getenv("XIEHUI_DB"); db && *db) config.db = db;
  if (const char* listen = getenv("XIEHUI_LISTEN"); listen && *listen) {
    auto parsed = parse_listen_address(listen);
    if (!parsed) return std::unexpected(parsed.error());
    config.listen = *parsed;
  }
  return {};
}

}  // namespace xiehui::web
