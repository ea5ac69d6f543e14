#pragma once
// Real local receivers for what xiehui sends: an SMTP server (Python aiosmtpd, optionally with
// STARTTLS and AUTH) and an HTTP server standing in for an SMS gateway. Each runs as a child
// process on 127.0.0.1 port 0 and appends what it receives, parsed, to a JSON-lines file the
// test reads.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace xiehui::testing {

/// One e-mail as the sink received it, parsed by Python's email package.
struct ReceivedMail {
  std::string mail_from;                       ///< SMTP envelope sender
  std::vector<std::string> rcpt_to;            ///< SMTP envelope recipients
  std::map<std::string, std::string> headers;  ///< raw header values, names lower-cased
  std::string message_id;                      ///< Message-ID header
  std::string subject;                         ///< decoded (RFC 2047) subject
  std::string from_name;                       ///< From display name, decoded
  std::string from_address;                    ///< From address
  std::string to_name;                         ///< To display name, decoded
  std::string to_address;                      ///< To address
  std::string list_unsubscribe;                ///< List-Unsubscribe header, raw
  std::string content_type;                    ///< top-level, e.g. multipart/alternative
  std::string text;                            ///< decoded text/plain part, line ends "\n"
  std::string html;                            ///< decoded text/html part, line ends "\n"
  std::vector<std::string> defects;            ///< what the parser found wrong; empty if clean
  bool tls = false;                            ///< the session had done STARTTLS
  std::string auth_user;                       ///< the user that authenticated, or empty
  std::string raw;                             ///< the message as received (after DATA)
};

struct SmtpSinkOptions {
  bool tls = false;       ///< offer STARTTLS (a self-signed certificate made for the sink)
  std::string auth_user;  ///< when set, require AUTH PLAIN/LOGIN with this user …
  std::string auth_password;
  int refuse_first = 0;     ///< answer 451 (temporary) to the first N messages' DATA
  bool reject_all = false;  ///< answer 550 (permanent) to every RCPT
  int delay_ms = 0;         ///< wait this long before accepting each message
};

class SmtpSink {
 public:
  explicit SmtpSink(SmtpSinkOptions options = {});
  ~SmtpSink();  ///< stops the child (SIGTERM, then SIGKILL) and removes its files
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  /// The PEM certificate a client must trust to talk TLS to the sink (tls only).
  std::filesystem::path ca_file() const { return dir_ / "cert.pem"; }
  /// Every message accepted so far, in arrival order.
  std::vector<ReceivedMail> messages() const;
  /// Messages refused so far (451 or 550 answers).
  int refused() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int stdout_ = -1;  ///< the child's stdout: the port line, then end of file when it exits
  int port_ = 0;
};

/// One request as the HTTP sink received it.
struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  ///< names lower-cased
  std::string body;
};

struct HttpSinkOptions {
  int fail_first = 0;  ///< answer the first N requests with fail_status
  int fail_status = 503;
  int delay_ms = 0;
};

class HttpSink {
 public:
  explicit HttpSink(HttpSinkOptions options = {});
  ~HttpSink();
  HttpSink(const HttpSink&) = delete;
  HttpSink& operator=(const HttpSink&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "/sms") const;
  /// Requests answered 2xx so far, in arrival order.
  std::vector<ReceivedRequest> requests() const;
  /// Requests answered with fail_status so far.
  int failed() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int stdout_ = -1;  ///< the child's stdout: the port line, then end of file when it exits
  int port_ = 0;
};

}  // namespace xiehui::testing
