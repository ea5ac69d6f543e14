#pragma once
// What leaves the building: an e-mail over SMTP (libcurl) or an SMS through an HTTP gateway.
// Senders only send and classify the outcome; the dispatcher decides about retries.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace xiehui::notifications {

/// One e-mail as the outbox holds it. All text is UTF-8.
struct OutgoingEmail {
  std::string message_id;       ///< "<outbox-17@xiehui.example.org>", stable across retries
  std::string from;             ///< mail_from: "noreply@example.org" or "名字 <noreply@…>"
  std::string to;               ///< the recipient's address
  std::string to_name;          ///< shown in To: (RFC 2047 encoded when not ASCII); may be empty
  std::string subject;          ///< UTF-8; RFC 2047 encoded in the header
  std::string text;             ///< text/plain part
  std::string html;             ///< text/html part
  std::string unsubscribe_url;  ///< List-Unsubscribe: the preferences page; empty: no header
  Timestamp date;               ///< Date: header
};

/// One SMS as the outbox holds it.
struct OutgoingSms {
  std::string message_id;  ///< stable across retries; {{id}} in the gateway's body template
  std::string mobile;      ///< 11-digit mainland mobile
  std::string text;        ///< UTF-8
  std::string kind;        ///< notification kind, {{kind}} in the body template
};

/// How a send ended: the dispatcher retries `temporary` with backoff and dead-letters
/// `permanent` at once.
struct SendOutcome {
  enum class Kind { sent, temporary, permanent };
  Kind kind = Kind::sent;
  std::string error;  ///< the server's answer or libcurl's message; empty when sent
};

struct SmtpSettings {
  std::string host;  ///< empty: e-mail is not configured and is not sent
  int port = 25;
  bool starttls = false;  ///< require STARTTLS (CURLUSESSL_ALL)
  std::string username;   ///< empty: no AUTH
  std::string password;
  std::string ca_file;  ///< PEM bundle to verify the server's certificate; empty: system store
  /// Bounds the transfer and each wait for an answer; closing after a failure (QUIT) may take as
  /// long again, so a send returns within twice this.
  std::chrono::seconds timeout{30};
  bool tls = false;  ///< implicit TLS from the first byte (smtps, port 465: QQ, 163 mail)
};

struct SmsSettings {
  std::string url;  ///< empty: SMS is not configured and is not sent
  std::vector<std::pair<std::string, std::string>> headers;
  /// The gateway's JSON body with {{mobile}}, {{text}}, {{id}}, {{kind}} inside JSON strings;
  /// each is replaced by its JSON-escaped value.
  std::string body_template;
  std::chrono::seconds timeout{15};
};

/// The RFC 5322 message (CRLF line ends): Message-ID, Date, From, To, Subject (RFC 2047
/// B-encoded UTF-8 when not ASCII, folded), MIME-Version, List-Unsubscribe (+ -Post one-click),
/// Auto-Submitted: auto-generated, and a multipart/alternative body with base64 UTF-8
/// text/plain and text/html parts.
std::string build_mime(const OutgoingEmail& email);

/// `s` without the spaces and tabs at either end (header values, SMS template placeholders).
std::string_view trim_blanks(std::string_view s);

/// The gateway body for `sms`: the template with its placeholders replaced. Fails (naming the
/// problem) when the template names an unknown placeholder or one outside a JSON string. Values
/// are escaped inside strings, so a template that is valid JSON stays valid whatever they hold:
/// the config loader checks that once, at start-up.
Result<std::string> render_sms_body(std::string_view body_template, const OutgoingSms& sms);

/// SMS segments the gateway bills: all GSM-7 characters: 160 per single, 153 per part;
/// otherwise (Chinese) 70 characters per single, 67 per part. 0 for an empty text.
int sms_segments(std::string_view utf8);

/// Characters (code points) of `utf8`, as the SMS segment rule counts them: GSM-7 septets when
/// every character is GSM-7 (the extension characters ^{}[]~|\€ count 2), otherwise UTF-16
/// units (a character outside the BMP, an emoji, counts 2).
int sms_characters(std::string_view utf8);

/// Initialises libcurl once per process, thread-safely; the senders call it before their first
/// transfer, a program may call it early (before starting threads).
void init_curl_once();

/// Sends e-mail through one SMTP server with libcurl (a new connection per message; thread
/// compatible: one sender per dispatching thread).
class SmtpSender {
 public:
  explicit SmtpSender(SmtpSettings settings) : settings_(std::move(settings)) {}
  bool configured() const { return !settings_.host.empty(); }
  SendOutcome send(const OutgoingEmail& email) const;

 private:
  SmtpSettings settings_;
};

/// Posts SMS to the HTTP gateway with libcurl. 2xx: sent; 408, 429, 5xx or no answer:
/// temporary; other 4xx: permanent.
class SmsSender {
 public:
  explicit SmsSender(SmsSettings settings) : settings_(std::move(settings)) {}
  bool configured() const { return !settings_.url.empty(); }
  SendOutcome send(const OutgoingSms& sms) const;

 private:
  SmsSettings settings_;
};

}  // namespace xiehui::notifications
