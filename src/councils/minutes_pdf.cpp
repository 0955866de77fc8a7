// The minutes on paper: the street's record of a meeting, in Chinese, laid
// out by print::Pdf (Pango and Cairo with Noto Sans CJK).
#include <boost/json.hpp>

#include "core/time.h"
#include "councils/minutes.h"
#include "print/pdf.h"

namespace xh::councils {

namespace json = boost::json;

namespace {

std::string str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : std::string(); }
std::string num(const json::value& v) { return v.is_int64() ? std::to_string(v.as_int64()) : std::string("—"); }

// "2026-12-07 19:00" in Beijing time from an ISO 8601 time.
std::string beijing(const json::value& v) {
  if (!v.is_string()) return "—";
  auto ms = parse_w3c(std::string(v.as_string()));
  if (!ms) return str(v);
  std::string w3c = w3c_beijing(*ms);  // 2026-12-07T19:00:00+08:00
  return w3c.substr(0, 10) + " " + w3c.substr(11, 5);
}

const char* side_zh(std::string_view s) { return s == "pro" ? "正方" : s == "con" ? "反方" : "中立"; }
const char* reply_zh(std::string_view r) {
  return r == "attending" ? "参加" : r == "absent" ? "请假" : r == "proxy" ? "委托他人" : "未答复";
}
const char* pass_zh(std::string_view p) {
  if (p == "two_thirds_present") return "出席人数三分之二以上同意";
  if (p == "more_than_half_cast") return "投票人数过半数同意（弃权不计）";
  if (p == "more_than_half_members") return "全体成员过半数同意";
  return "出席人数过半数同意";
}
std::string seconds(std::int64_t s) {
  if (s < 60) return std::to_string(s) + " 秒";
  if (s % 60 == 0) return std::to_string(s / 60) + " 分钟";
  return std::to_string(s / 60) + " 分 " + std::to_string(s % 60) + " 秒";
}

void votes(print::Pdf& doc, const json::array& list) {
  for (const auto& v : list) {
    const auto& o = v.as_object();
    std::string how = str(o.at("method")) == "hands" ? "举手表决" : o.at("secret").as_bool() ? "无记名表决" : "记名表决";
    std::string result = o.at("passed").is_bool() ? (o.at("passed").as_bool() ? "通过" : "未通过") : "未结束";
    doc.paragraph("表决（" + how + "，" + pass_zh(str(o.at("pass"))) + "）：赞成 " + num(o.at("for")) + "，反对 " +
                  num(o.at("against")) + "，弃权 " + num(o.at("abstain")) + "；出席 " + num(o.at("present")) +
                  "，成员 " + num(o.at("members")) + "。结果：" + result + "。");
    // A named vote's ballots; a secret one's voters only.
    std::vector<std::vector<std::string>> rows;
    for (const auto& b : o.at("ballots").as_array()) {
      const auto& bo = b.as_object();
      std::string choice = str(bo.at("choice"));
      rows.push_back({str(bo.at("name")), choice == "for"       ? "赞成"
                                          : choice == "against" ? "反对"
                                          : choice == "abstain" ? "弃权"
                                                                : "已投票"});
    }
    if (!rows.empty()) doc.table({"成员", "表决"}, {0.5, 0.5}, rows);
  }
}

void records(print::Pdf& doc, const json::array& list) {
  for (const auto& r : list) {
    const auto& o = r.as_object();
    std::string who = o.at("name").is_string() ? str(o.at("name")) : "—";
    if (str(o.at("kind")) == "violation") {
      std::string line = "违规记录：" + who + "，" + (o.at("rule_text").is_string() ? str(o.at("rule_text")) : str(o.at("rule")));
      if (o.at("note").is_string()) line += "（" + str(o.at("note")) + "）";
      doc.paragraph(line + "，" + beijing(o.at("at")) + "。");
    } else {
      std::string line = "秩序问题：" + who + "提出「" + str(o.at("note")) + "」";
      if (o.at("ruling").is_string()) line += "；主持人裁定：" + str(o.at("ruling"));
      doc.paragraph(line + "。");
    }
  }
}

}  // namespace

std::string minutes_pdf(const json::object& m) {
  std::string title = str(m.at("title"));
  print::Pdf doc(title + " 会议纪要");
  doc.title(title);
  std::string status = str(m.at("status")) == "signed" ? "已签发" : "草稿";
  doc.subtitle(str(m.at("council")) + " · 会议纪要 · 第 " + num(m.at("version")) + " 版（" + status + "）");
  doc.facts({{"议事组织", str(m.at("council"))},
             {"会议时间", beijing(m.at("starts_at"))},
             {"地点", m.at("location").is_string() ? str(m.at("location")) : "—"},
             {"开会", beijing(m.at("opened_at"))},
             {"散会", beijing(m.at("closed_at"))}});

  doc.heading("一、出席情况");
  const auto& q = m.at("quorum").as_object();
  doc.paragraph("应到 " + num(q.at("members")) + " 人，实到 " + num(q.at("present")) + " 人，委托出席 " +
                num(q.at("by_proxy")) + " 人；" + (q.at("quorate").as_bool() ? "达到法定人数。" : "未达到法定人数。"));
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : m.at("attendance").as_array()) {
    const auto& o = a.as_object();
    std::string note = o.at("reason").is_string() ? str(o.at("reason")) : "";
    if (o.at("proxy").is_string()) note += (note.empty() ? "" : "；") + std::string("委托 ") + str(o.at("proxy"));
    rows.push_back({str(o.at("name")), str(o.at("seat_label")), reply_zh(str(o.at("reply"))),
                    o.at("checked_in_at").is_string() ? beijing(o.at("checked_in_at")) : "未签到", note});
  }
  doc.table({"姓名", "席位", "答复", "签到", "说明"}, {0.2, 0.18, 0.14, 0.22, 0.26}, rows);

  doc.heading("二、议程与发言");
  for (const auto& i : m.at("items").as_array()) {
    const auto& o = i.as_object();
    std::string kind = str(o.at("kind")) == "motion" ? "动议" : "讨论";
    std::string head = num(o.at("ordinal")) + ". " + str(o.at("title")) + "（" + kind + "，" + num(o.at("minutes")) + " 分钟";
    if (o.at("presenter").is_string()) head += "，汇报人 " + str(o.at("presenter"));
    doc.need(90);  // the item's heading with the start of its speeches
    doc.paragraph(head + "）");
    std::vector<std::vector<std::string>> speeches;
    for (const auto& s : o.at("speeches").as_array()) {
      const auto& so = s.as_object();
      std::int64_t over = so.at("overtime_s").as_int64();
      std::string note = over > 0 ? "超时 " + seconds(over) : "";
      if (so.at("extensions").as_int64() > 0) note += (note.empty() ? "" : "；") + std::string("延时 ") + num(so.at("extensions")) + " 次";
      if (so.at("override_reason").is_string())
        note += (note.empty() ? "" : "；") + std::string("破例安排：") + str(so.at("override_reason"));
      speeches.push_back({str(so.at("name")), side_zh(str(so.at("side"))), beijing(so.at("started_at")),
                          seconds(so.at("duration_s").as_int64()), note});
    }
    if (speeches.empty())
      doc.note("无人发言。");
    else
      doc.table({"发言人", "立场", "开始", "时长", "备注"}, {0.2, 0.1, 0.24, 0.16, 0.3}, speeches);
    votes(doc, o.at("votes").as_array());
    records(doc, o.at("records").as_array());
  }
  records(doc, m.at("records").as_array());

  doc.heading("三、会议小结");
  std::string summary = str(m.at("summary"));
  doc.paragraph(summary.empty() ? "（未填写）" : summary);

  doc.heading("四、决定事项与跟进");
  std::vector<std::vector<std::string>> decisions;
  int n = 0;
  for (const auto& d : m.at("decisions").as_array())
    decisions.push_back({std::to_string(++n), str(d.at("text")), str(d.at("owner"))});
  if (decisions.empty())
    doc.note("无。");
  else
    doc.table({"序号", "决定事项", "跟进人"}, {0.1, 0.65, 0.25}, decisions);

  doc.space(12);
  if (m.at("signed_at").is_string())
    doc.paragraph("签发：" + (m.at("signed_by").is_string() ? str(m.at("signed_by")) : std::string("—")) + "，" +
                  beijing(m.at("signed_at")));
  else
    doc.note("本纪要尚未签发。");
  return doc.finish();
}

}  // namespace xh::councils
