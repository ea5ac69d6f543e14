#include "services/notifications/dispatcher.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/notifications/notification_rules.hpp"
#include "services/notifications/outbox_repository.hpp"

namespace xiehui::notifications {
namespace {

namespace nr = notification_repository;
namespace ob = outbox_repository;

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "xiehui";
  return buf;
}

// The domain of the Message-IDs: the sender's, so receivers see ids of the sending domain.
std::string id_domain(const std::string& mail_from) {
  const std::size_t at = mail_from.rfind('@');
  if (at == std::string::npos) return "xiehui.local";
  std::string domain = mail_from.substr(at + 1);
  while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
  return domain.empty() ? "xiehui.local" : domain;
}

std::string absolute(const std::string& base, const std::string& path) {
  if (path.empty()) return base.empty() ? std::string() : base + "/";
  if (path.starts_with("http://") || path.starts_with("https://")) return path;
  return base + path;
}

// Who gets a notice and by which channels: each account by its own switches, a unit's contacts
// by the switches of the unit's accounts (any account asking for a channel turns it on).
struct Delivery {
  Recipient to;
  ChannelChoice channels;
};

ChannelChoice with_stored(const KindInfo& k, const std::map<std::string, bool>& stored) {
  ChannelChoice c{k.email_default, k.sms_allowed && k.sms_default};
  if (auto it = stored.find("email"); it != stored.end() && !k.locked) c.email = it->second;
  if (auto it = stored.find("sms"); it != stored.end() && k.sms_allowed) c.sms = it->second;
  return c;
}

std::vector<Delivery> deliveries(soci::session& s, const NoticeRow& n, const KindInfo& k) {
  std::vector<Delivery> out;
  if (n.user_id) {
    if (auto r = ob::user_recipient(s, *n.user_id)) {
      out.push_back({*r, with_stored(k, ob::user_choices(s, *n.user_id, n.kind))});
    }
    return out;
  }
  if (!n.member_id) return out;
  std::vector<Recipient> people = ob::unit_recipients(s, *n.member_id);
  ChannelChoice unit{false, false};
  bool any_account = false;
  for (const Recipient& p : people) {
    if (!p.user_id) continue;
    any_account = true;
    const ChannelChoice c = with_stored(k, ob::user_choices(s, *p.user_id, n.kind));
    unit.email = unit.email || c.email;
    unit.sms = unit.sms || c.sms;
  }
  if (!any_account) unit = with_stored(k, {});
  for (Recipient& p : people) {
    ChannelChoice c = p.user_id ? with_stored(k, ob::user_choices(s, *p.user_id, n.kind)) : unit;
    out.push_back({std::move(p), c});
  }
  return out;
}

}  // namespace

Dispatcher::Dispatcher(db::Database& db, const Clock& clock, DeliverySettings settings)
    : db_(db),
      clock_(clock),
      settings_(std::move(settings)),
      smtp_(settings_.smtp),
      sms_(settings_.sms),
      owner_(host_name() + ":" + std::to_string(getpid()) + ":" + random_token(6)) {
  std::random_device seed;
  for (int i = 0; i < std::max(1, settings_.workers); ++i) jitter_.emplace_back(seed());
}

Dispatcher::~Dispatcher() {
  for (auto& t : threads_) t.request_stop();
  wake_.notify_all();
  threads_.clear();
}

void Dispatcher::start() {
  for (int i = 0; i < std::max(1, settings_.workers); ++i) {
    threads_.emplace_back([this, i](std::stop_token stop) { loop(stop, i); });
  }
}

void Dispatcher::wake() { wake_.notify_all(); }

Result<int> Dispatcher::fan_out(int limit) {
  const Timestamp now = clock_.now();
  const bool email_on = smtp_.configured() && !settings_.mail_from.empty();
  const bool sms_on = sms_.configured();
  const std::string domain = id_domain(settings_.mail_from);
  // A look first: an idle poll takes no write transaction. (On Galera every write transaction
  // writes the cluster's write token: idle processes polling that way conflicted with every
  // real write, and a long one, 200 notices in one transaction, never got through.)
  auto waiting =
      db_.with_session([](soci::session& s) -> Result<bool> { return ob::any_undelivered(s); });
  if (!waiting) return std::unexpected(waiting.error());
  if (!*waiting) return 0;
  return db_.with_transaction([&](soci::session& s) -> Result<int> {
    const std::vector<NoticeRow> notices = ob::claim_undelivered(s, limit);
    if (notices.empty()) return 0;
    const std::string association = nr::association_name(s);
    std::map<std::pair<std::string, std::string>, Template> templates;
    const auto template_of = [&](const std::string& kind, const std::string& locale) {
      auto key = std::pair{kind, locale};
      auto it = templates.find(key);
      if (it == templates.end()) {
        auto stored = nr::stored_template(s, kind, locale);
        it = templates.emplace(key, stored ? *stored : default_template(kind, locale)).first;
      }
      return it->second;
    };
    for (const NoticeRow& n : notices) {
      const KindInfo& k = kind_info(n.kind);
      const std::string unit = n.member_id ? ob::unit_name(s, *n.member_id) : std::string();
      const std::string link =
          absolute(settings_.public_url,
                   n.link.value_or(default_link(n.entity_type, n.entity_id).value_or("")));
      std::set<std::string> seen;  // one message per channel and address
      for (const Delivery& d : deliveries(s, n, k)) {
        const std::string locale = normalize_locale(d.to.locale);
        const bool en = locale == "en";
        Variables vars{
            {"recipient_name", d.to.name},
            {"unit_name", unit},
            {"message", en && !n.message_en.empty() ? n.message_en : n.message},
            {"title", std::string(kind_label(k, locale))},
            {"link", link},
            {"association", en && association == "湖南省开发区协会"
                                ? std::string("Hunan Development Zones Association")
                                : association},
            {"date", format_date(shanghai_date(n.created_at))},
            {"preferences_url", absolute(settings_.public_url, "/notifications/preferences")},
            {"action_url", n.action_url}};
        const Template t = template_of(n.kind, locale);
        const auto add = [&](const std::string& channel, const std::string& address) {
          if (!seen.insert(channel + ":" + lower(address)).second) return;
          OutboxMessage m;
          m.notification_id = n.id;
          m.kind = n.kind;
          m.channel = channel;
          m.recipient = address;
          m.recipient_name = d.to.name.substr(0, 100);
          m.secret = !n.action_url.empty();
          m.message_id = "<n" + std::to_string(n.id) + "." + channel + "." +
                         sha256_hex(lower(address)).substr(0, 12) + "@" + domain + ">";
          if (channel == "email") {
            m.subject = render(t.subject, vars);
            m.body_text = render(t.body, vars);
            m.body_html = text_to_html(m.body_text, vars["preferences_url"], locale);
          } else {
            m.subject = std::string(kind_label(k, locale));
            m.body_text = render(t.sms, vars);
          }
          ob::insert_message(s, m, now);
        };
        if (email_on && d.channels.email && !d.to.email.empty()) add("email", d.to.email);
        if (sms_on && d.channels.sms && k.sms_allowed && !d.to.mobile.empty()) {
          add("sms", d.to.mobile);
        }
      }
      ob::mark_delivered(s, n.id, !n.action_url.empty(), now);
    }
    return static_cast<int>(notices.size());
  });
}

SendOutcome Dispatcher::send(const OutboxMessage& m) const {
  if (m.channel == "email") {
    if (!smtp_.configured()) return {SendOutcome::Kind::temporary, "SMTP is not configured"};
    return smtp_.send({m.message_id, settings_.mail_from, m.recipient, m.recipient_name, m.subject,
                       m.body_text, m.body_html,
                       absolute(settings_.public_url, "/notifications/preferences"), clock_.now()});
  }
  if (m.channel == "sms") {
    if (!sms_.configured()) return {SendOutcome::Kind::temporary, "SMS is not configured"};
    return sms_.send({m.message_id, m.recipient, m.body_text, m.kind});
  }
  return {SendOutcome::Kind::permanent, "unknown channel " + m.channel};
}

Result<int> Dispatcher::deliver(int worker) {
  const Timestamp now = clock_.now();
  auto due =
      db_.with_session([&](soci::session& s) -> Result<bool> { return ob::any_due(s, now); });
  if (!due) return std::unexpected(due.error());
  if (!*due) return 0;  // an idle poll takes no write transaction (see fan_out)
  auto claimed = db_.with_transaction([&](soci::session& s) -> Result<std::vector<OutboxMessage>> {
    return ob::claim_due(s, owner_, settings_.batch, now, now + settings_.lease);
  });
  if (!claimed) return std::unexpected(claimed.error());
  auto& rng = jitter_[static_cast<std::size_t>(worker) % jitter_.size()];
  for (const OutboxMessage& m : *claimed) {
    const SendOutcome outcome = send(m);
    const Timestamp done = clock_.now();
    std::optional<Timestamp> retry_at;
    if (outcome.kind == SendOutcome::Kind::temporary && m.attempts < settings_.max_attempts) {
      const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      retry_at = done + retry_delay(m.attempts, settings_.retry_base, settings_.retry_cap, unit);
    }
    auto recorded = db_.with_transaction([&](soci::session& s) -> Result<bool> {
      if (outcome.kind == SendOutcome::Kind::sent) return ob::finish_sent(s, m.id, owner_, done);
      return ob::finish_failed(s, m.id, owner_, outcome.error, retry_at, done);
    });
    if (!recorded) {
      spdlog::warn("outbox {}: could not record the outcome: {}", m.id,
                   recorded.error().message.en);
    } else if (outcome.kind != SendOutcome::Kind::sent) {
      spdlog::info("outbox {} ({} to {}): attempt {} failed: {}", m.id, m.channel, m.recipient,
                   m.attempts, outcome.error);
    }
  }
  return static_cast<int>(claimed->size());
}

Result<int> Dispatcher::run_until_idle() {
  int total = 0;
  for (;;) {
    auto fanned = fan_out();
    if (!fanned) return std::unexpected(fanned.error());
    auto sent = deliver();
    if (!sent) return std::unexpected(sent.error());
    total += *sent;
    if (*fanned == 0 && *sent == 0) return total;
  }
}

void Dispatcher::loop(std::stop_token stop, int worker) {
  while (!stop.stop_requested()) {
    int work = 0;
    if (worker == 0) {
      if (auto n = fan_out(); n) {
        work += *n;
      } else {
        spdlog::warn("notification fan-out failed: {}", n.error().message.en);
      }
    }
    if (auto n = deliver(worker); n) {
      work += *n;
    } else {
      spdlog::warn("notification delivery failed: {}", n.error().message.en);
    }
    if (work > 0) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, settings_.poll, [] { return false; });
  }
}

}  // namespace xiehui::notifications
