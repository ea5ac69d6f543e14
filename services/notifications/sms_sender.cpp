// SMS through the gateway's HTTP API with libcurl: one POST per message, the outcome classified
// by the HTTP status.

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "services/notifications/channels.hpp"

namespace xiehui::notifications {
namespace {

constexpr std::size_t kReplyKept = 200;        // bytes of the reply quoted in the error
constexpr std::size_t kReplyRead = 64 * 1024;  // bytes of the reply held at all

std::size_t collect_reply(char* data, std::size_t size, std::size_t count, void* user) {
  auto* reply = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  reply->append(data, std::min(n, kReplyRead - std::min(kReplyRead, reply->size())));
  return n;  // the rest is read and dropped: a short count would abort the transfer
}

// At most `max` bytes, not cutting a UTF-8 character, line breaks flattened for one log line.
std::string excerpt(std::string_view text, std::size_t max) {
  if (text.size() > max) {
    std::size_t cut = max;
    while (cut > max - 3 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

std::string header_line(std::string_view name, std::string_view value) {
  std::string line;
  for (const char c : name) {
    if (c != '\r' && c != '\n' && c != ':') line += c;
  }
  line += ": ";
  for (const char c : value) {
    if (c != '\r' && c != '\n') line += c;
  }
  return line;
}

bool is_temporary_status(long status) { return status == 408 || status == 429 || status >= 500; }

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

}  // namespace

SendOutcome SmsSender::send(const OutgoingSms& sms) const {
  using Kind = SendOutcome::Kind;
  if (!configured()) return {Kind::permanent, "the SMS gateway is not configured (no url)"};
  // A template that does not render will not render on a retry either.
  const Result<std::string> body = render_sms_body(settings_.body_template, sms);
  if (!body) return {Kind::permanent, body.error().message.en};
  init_curl_once();
  CurlHandle curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {Kind::temporary, "curl_easy_init failed"};
  CURL* h = curl.get();

  CurlList headers(nullptr, curl_slist_free_all);
  const auto add_header = [&headers](const std::string& line) {
    if (curl_slist* grown = curl_slist_append(headers.get(), line.c_str())) {
      (void)headers.release();
      headers.reset(grown);
    }
  };
  add_header("Content-Type: application/json; charset=utf-8");
  // No "Expect: 100-continue" round trip: gateways answer the whole request anyway.
  add_header("Expect:");
  for (const auto& [name, value] : settings_.headers) add_header(header_line(name, value));

  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  std::string reply;
  const long timeout = static_cast<long>(settings_.timeout.count());
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, std::min(timeout, 10L));
  curl_easy_setopt(h, CURLOPT_USERAGENT, "xiehui");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_reply);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    std::string error = "SMS gateway: curl ";
    error += std::to_string(static_cast<int>(rc));
    error += ": ";
    error += error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(rc);
    return {Kind::temporary, std::move(error)};
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return {Kind::sent, {}};
  std::string error = "SMS gateway: HTTP ";
  error += std::to_string(status);
  error += ": ";
  error += excerpt(reply, kReplyKept);
  // Other 4xx: the gateway refuses this request as it is (bad number, signature, template).
  // Anything unexpected (3xx, 1xx) is left to the retries, as a configuration may be fixed.
  const bool permanent = status >= 400 && status < 500 && !is_temporary_status(status);
  return {permanent ? Kind::permanent : Kind::temporary, std::move(error)};
}

}  // namespace xiehui::notifications
