#pragma once
// Chinese words of dues for exports, notifications and receipts: money in 元, and the labels of
// invoice statuses, payment methods and ages of arrears.

#include <string>
#include <string_view>

namespace xiehui::dues {

/// "12,000.00" from 1200000 分 ("-5.00" for a negative amount).
std::string format_yuan(long long fen);
/// 未缴, 部分缴纳, 已缴清, 已减免, 作废.
std::string invoice_status_label(std::string_view status);
/// 银行转账, 现金, 微信转账, 支付宝转账, 其他.
std::string method_label(std::string_view method);
/// 当年, 1年, 2年, 3年以上.
std::string age_label(std::string_view age);
/// 全额, 减半, 按季度（3/4）.
std::string proration_label(std::string_view proration);

}  // namespace xiehui::dues
