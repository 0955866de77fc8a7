#include "volunteers/rules.h"

namespace xh::volunteers {

const std::vector<Label>& volunteer_statuses() {
  static const std::vector<Label> all = {{"applied", "待确认", "To confirm"},
                                         {"confirmed", "已确认", "Confirmed"},
                                         {"declined", "未通过", "Declined"}};
  return all;
}

const std::vector<Label>& team_services() {
  static const std::vector<Label> all = {
      {"patrol", "巡河巡逻", "Patrols"},     {"school_safety", "护学", "School-gate safety"},
      {"repair", "便民维修", "Repairs"},     {"home_care", "上门服务", "Home services"},
      {"wishes", "微心愿", "Micro-wishes"},  {"hygiene", "卫生监督", "Hygiene checks"},
      {"education", "教育辅导", "Tutoring"}, {"other", "其他", "Other"}};
  return all;
}

const std::vector<Label>& signup_statuses() {
  static const std::vector<Label> all = {{"signed", "已报名", "Signed up"},
                                         {"waiting", "候补", "Waiting"},
                                         {"cancelled", "已取消", "Cancelled"}};
  return all;
}

const std::vector<Label>& activity_statuses() {
  static const std::vector<Label> all = {{"active", "进行中", "Active"},
                                         {"cancelled", "已取消", "Cancelled"}};
  return all;
}

const std::vector<Label>& wish_statuses() {
  static const std::vector<Label> all = {{"submitted", "待审核", "To review"},
                                         {"rejected", "未通过", "Rejected"},
                                         {"published", "待认领", "Open"},
                                         {"claimed", "已认领", "Claimed"},
                                         {"fulfilled", "待确认", "Fulfilled, to confirm"},
                                         {"confirmed", "已圆梦", "Done"}};
  return all;
}

const std::vector<Label>& home_service_kinds() {
  static const std::vector<Label> all = {{"haircut", "上门理发", "Haircut"},
                                         {"visit", "探访", "Visit"},
                                         {"delivery", "代购送餐", "Delivery"},
                                         {"accompaniment", "陪同就医", "Accompaniment"},
                                         {"other", "其他", "Other"}};
  return all;
}

const std::vector<Label>& home_service_statuses() {
  static const std::vector<Label> all = {{"requested", "待派单", "To assign"},
                                         {"assigned", "待上门", "Assigned"},
                                         {"done", "已完成", "Done"},
                                         {"cancelled", "已取消", "Cancelled"}};
  return all;
}

}  // namespace xh::volunteers
