#include "services/dues/dues_text.hpp"

namespace xiehui::dues {

std::string format_yuan(long long fen) {
  const bool negative = fen < 0;
  const unsigned long long v =
      negative ? 0ULL - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
  const std::string digits = std::to_string(v / 100);
  std::string whole;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) whole += ',';
    whole += digits[i];
  }
  const unsigned cents = static_cast<unsigned>(v % 100);
  return (negative ? "-" : "") + whole + '.' + static_cast<char>('0' + cents / 10) +
         static_cast<char>('0' + cents % 10);
}

std::string invoice_status_label(std::string_view status) {
  if (status == "unpaid") return "未缴";
  if (status == "partial") return "部分缴纳";
  if (status == "paid") return "已缴清";
  if (status == "waived") return "已减免";
  if (status == "void") return "作废";
  if (status == "valid") return "有效";
  return std::string(status);
}

std::string method_label(std::string_view method) {
  if (method == "bank_transfer") return "银行转账";
  if (method == "cash") return "现金";
  if (method == "wechat") return "微信转账";
  if (method == "alipay") return "支付宝转账";
  if (method == "other") return "其他";
  return std::string(method);
}

std::string age_label(std::string_view age) {
  if (age == "current") return "当年";
  if (age == "1y") return "1年";
  if (age == "2y") return "2年";
  if (age == "3y+") return "3年以上";
  return std::string(age);
}

std::string proration_label(std::string_view proration) {
  if (proration == "full") return "全额";
  if (proration == "half") return "减半";
  if (proration.starts_with("quarters:")) {
    return "按季度（" + std::string(proration.substr(9)) + "/4）";
  }
  return std::string(proration);
}

}  // namespace xiehui::dues
