// E-mail over SMTP with libcurl: one connection per message, the outcome classified by the SMTP
// reply code so the dispatcher knows whether a retry can help.

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "services/notifications/channels.hpp"

namespace xiehui::notifications {
namespace {

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// libcurl reports only the code of a refusal ("RCPT failed: 550"); the server's own words
// ("550 5.1.1 mailbox unavailable") are what an administrator needs, so the last 4xx/5xx line
// the server sent is kept (later lines, such as QUIT's 221, do not replace it).
int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN || size == 0) return 0;
  std::string_view line(data, size);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (!line.empty() && (line.front() == '4' || line.front() == '5')) {
    *static_cast<std::string*>(user) = std::string(line.substr(0, 300));
  }
  return 0;
}

// The bare address of "名字 <a@b>" or "a@b", for MAIL FROM.
std::string envelope_address(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    mailbox = mailbox.substr(open + 1, close - open - 1);
  }
  std::string out = "<";
  for (const char c : mailbox) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u != 0x7F && c != '<' && c != '>') out += c;
  }
  out += '>';
  return out;
}

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

}  // namespace

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SendOutcome SmtpSender::send(const OutgoingEmail& email) const {
  using Kind = SendOutcome::Kind;
  if (!configured()) return {Kind::permanent, "SMTP is not configured (no host)"};
  init_curl_once();
  CurlHandle curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {Kind::temporary, "curl_easy_init failed"};
  CURL* h = curl.get();

  const std::string message = build_mime(email);
  Upload upload{message};
  std::string url = settings_.tls ? "smtps://" : "smtp://";
  const bool ipv6 = settings_.host.find(':') != std::string::npos && settings_.host[0] != '[';
  if (ipv6) url += '[';
  url += settings_.host;
  if (ipv6) url += ']';
  url += ':';
  url += std::to_string(settings_.port);
  const std::string from = envelope_address(email.from);
  CurlList recipients(curl_slist_append(nullptr, envelope_address(email.to).c_str()),
                      curl_slist_free_all);
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  std::string server_refusal;
  const long timeout = static_cast<long>(settings_.timeout.count());

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, settings_.tls ? "smtps" : "smtp");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::min(timeout, 10L));
  // Closing the connection after a failure still sends QUIT and waits for its answer, bounded
  // only by this (120 s by default): a hung server would hold the thread long after `timeout`.
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
  if (settings_.starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  // VERBOSE only routes the protocol lines to on_debug; nothing is printed.
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &server_refusal);

  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return {Kind::sent, {}};
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);

  std::string error = "SMTP ";
  error += settings_.host;
  error += ':';
  error += std::to_string(settings_.port);
  error += ": ";
  if (!server_refusal.empty()) {
    error += server_refusal;
    error += "; ";
  }
  error += "curl ";
  error += std::to_string(static_cast<int>(rc));
  error += ": ";
  error += error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(rc);
  // 5xx: the server will say the same next time (unknown mailbox, bad credentials, policy).
  // Everything else (4xx, no connection, timeout, TLS) may pass.
  const bool permanent = code >= 500 && code < 600;
  return {permanent ? Kind::permanent : Kind::temporary, std::move(error)};
}

}  // namespace xiehui::notifications
