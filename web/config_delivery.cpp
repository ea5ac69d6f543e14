#include "web/config_delivery.hpp"

#include <boost/json.hpp>

#include "services/notifications/channels.hpp"

namespace xiehui::web {
namespace {

Error bad(const std::string& path, const std::string& key, const std::string& zh,
          const std::string& en) {
  return make_error(ErrorCode::invalid_argument, {"配置文件 " + path + "：" + key + " " + zh,
                                                  "config file " + path + ": " + key + " " + en});
}

// Reads the members of one section, refusing unknown names and wrong types.
class Section {
 public:
  Section(const std::string& path, std::string name, const boost::json::value& v)
      : path_(path), name_(std::move(name)) {
    if (!v.is_object()) {
      error_ = bad(path_, name_, "应为对象", "must be an object");
      return;
    }
    obj_ = &v.as_object();
  }
  bool ok() const { return !error_; }
  Error error() const { return *error_; }

  void string(const char* key, std::string& out) {
    if (const auto* v = take(key)) {
      if (v->is_string()) {
        out = std::string(v->as_string());
      } else {
        fail(key, "应为字符串", "must be a string");
      }
    }
  }
  void boolean(const char* key, bool& out) {
    if (const auto* v = take(key)) {
      if (v->is_bool()) {
        out = v->as_bool();
      } else {
        fail(key, "应为 true 或 false", "must be a boolean");
      }
    }
  }
  void count(const char* key, int& out, int max) {
    if (const auto* v = take(key)) {
      if (v->is_int64() && v->as_int64() > 0 && v->as_int64() <= max) {
        out = static_cast<int>(v->as_int64());
      } else {
        fail(key, "应为 1 到 " + std::to_string(max) + " 的整数",
             "must be an integer from 1 to " + std::to_string(max));
      }
    }
  }
  const boost::json::value* take(const char* key) {
    if (!obj_ || error_) return nullptr;
    seen_.emplace_back(key);
    return obj_->if_contains(key);
  }
  void fail(const std::string& key, const std::string& zh, const std::string& en) {
    if (!error_) error_ = bad(path_, name_ + "." + key, zh, en);
  }
  /// Refuses members no reader took.
  void finish() {
    if (!obj_ || error_) return;
    for (const auto& [k, v] : *obj_) {
      const std::string key(k);
      if (std::ranges::find(seen_, key) == seen_.end()) {
        error_ = bad(path_, name_ + "." + key, "是未知的配置项", "is an unknown key");
        return;
      }
    }
  }

 private:
  const std::string& path_;
  std::string name_;
  const boost::json::object* obj_ = nullptr;
  std::vector<std::string> seen_;
  std::optional<Error> error_;
};

Status apply_smtp(AppConfig& c, const std::string& path, const boost::json::value& v) {
  Section s(path, "smtp", v);
  s.string("host", c.mail.host);
  s.count("port", c.mail.port, 65535);
  s.boolean("starttls", c.mail.starttls);
  s.boolean("tls", c.mail.tls);
  s.string("username", c.mail.username);
  s.string("password", c.mail.password);
  s.string("ca_file", c.mail.ca_file);
  s.count("timeout_seconds", c.mail.timeout_seconds, 600);
  s.finish();
  if (!s.ok()) return std::unexpected(s.error());
  return {};
}

Status apply_sms(AppConfig& c, const std::string& path, const boost::json::value& v) {
  Section s(path, "sms", v);
  s.string("url", c.sms.url);
  if (const auto* headers = s.take("headers")) {
    if (!headers->is_object()) {
      s.fail("headers", "应为对象（名称→值）", "must be an object of name → value");
    } else {
      c.sms.headers.clear();
      for (const auto& [name, value] : headers->as_object()) {
        if (!value.is_string()) {
          s.fail("headers." + std::string(name), "应为字符串", "must be a string");
          break;
        }
        c.sms.headers.emplace_back(std::string(name), std::string(value.as_string()));
      }
    }
  }
  // The body may be given as the JSON object itself or as its text.
  if (const auto* body = s.take("body_template")) {
    c.sms.body_template =
        body->is_string() ? std::string(body->as_string()) : boost::json::serialize(*body);
  }
  s.count("timeout_seconds", c.sms.timeout_seconds, 600);
  s.finish();
  if (!s.ok()) return std::unexpected(s.error());
  if (!c.sms.url.empty()) {
    if (c.sms.body_template.empty())
      c.sms.body_template = R"({"mobile":"{{mobile}}","text":"{{text}}"})";
    auto rendered = notifications::render_sms_body(
        c.sms.body_template,
        {"<n1.sms.x@xiehui>", "13800000000", "测试 \"quoted\"", "system.test"});
    if (!rendered) {
      return std::unexpected(
          bad(path, "sms.body_template", rendered.error().message.zh, rendered.error().message.en));
    }
    boost::system::error_code ec;
    (void)boost::json::parse(*rendered, ec);
    if (ec) {
      return std::unexpected(bad(path, "sms.body_template", "填入内容后不是有效的 JSON",
                                 "is not valid JSON once filled in: " + ec.message()));
    }
  }
  return {};
}

Status apply_outbox(AppConfig& c, const std::string& path, const boost::json::value& v) {
  Section s(path, "outbox", v);
  s.boolean("dispatch", c.outbox.dispatch);
  s.count("workers", c.outbox.workers, 32);
  s.count("batch", c.outbox.batch, 500);
  s.count("max_attempts", c.outbox.max_attempts, 100);
  s.count("retry_base_seconds", c.outbox.retry_base_seconds, 86400);
  s.count("retry_cap_seconds", c.outbox.retry_cap_seconds, 7 * 86400);
  s.count("lease_seconds", c.outbox.lease_seconds, 86400);
  s.count("poll_milliseconds", c.outbox.poll_milliseconds, 600000);
  s.finish();
  if (!s.ok()) return std::unexpected(s.error());
  return {};
}

}  // namespace

std::optional<Status> apply_delivery_key(AppConfig& config, const std::string& path,
                                         const std::string& key, const boost::json::value& value) {
  if (key == "mail_from") {
    if (!value.is_string()) {
      return Status(std::unexpected(bad(path, key, "应为字符串", "must be a string")));
    }
    config.mail.from = std::string(value.as_string());
    if (config.mail.from.find_first_of("\r\n") != std::string::npos) {
      return Status(std::unexpected(bad(path, key, "不能换行", "must be one line")));
    }
    return Status{};
  }
  if (key == "smtp") return apply_smtp(config, path, value);
  if (key == "sms") return apply_sms(config, path, value);
  if (key == "outbox") return apply_outbox(config, path, value);
  return std::nullopt;
}

}  // namespace xiehui::web
