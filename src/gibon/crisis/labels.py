"""Korean labels of the crisis domain, once: pages, exports, the CLI and the API read these."""

from __future__ import annotations

from gibon.crisis.lifecycle import Action, Status

STATUS = {
    Status.checking: "확인 중",
    Status.linked: "지원 연계",
    Status.not_needed: "비대상",
    Status.unreachable: "소재 불명",
    Status.recheck: "재확인 예정",
    Status.done: "연계 사례 종결",
}
ACTION = {
    Action.link: "지원 연계 (통합돌봄 사례 열기)",
    Action.not_needed: "비대상으로 닫기",
    Action.unreachable: "소재 불명으로 닫기",
    Action.recheck: "재확인 예정으로 두기",
    Action.reopen: "다시 확인 중으로",
    Action.case_closed: "연계 사례 종결",
    Action.benefit_refused: "급여 신청 기각 — 다시 확인 중",
}
SOURCE = {
    "national_list": "복지 사각지대 발굴 명단",
    "device": "IoT 기기",
    "call": "AI 안부전화·안부 문자",
    "report": "신고·제보·방문",
    "registry": "주민등록 생애 사건",
}
METHOD = {"phone": "전화", "visit": "방문", "letter": "우편·안내문"}
OUTCOME = {
    "reached": "본인·가족과 연락됨",
    "no_answer": "받지 않음",
    "not_home": "부재",
    "wrong_number": "없는 번호·다른 사람",
    "letter_sent": "안내문 발송",
    "returned": "반송됨",
    "refused": "상담 거부",
}
REACHED = frozenset({"reached", "refused"})
NOT_NEEDED_REASONS = {
    "no_need": "확인 결과 도움이 필요하지 않음",
    "already_supported": "이미 지원받고 있음",
    "moved_out": "관외 전출",
    "deceased": "사망",
    "declined": "본인이 지원을 원하지 않음",
}
REPORTER = {
    "neighbour_report": "이웃",
    "honorary_official_report": "명예사회복지공무원",
    "duty_reporter_report": "신고의무자(통장·집배원·검침원 등)",
    "walk_in": "방문 상담(본인·가족)",
}
REJECT = {
    "unknown_device": "등록되지 않은 기기",
    "inactive_device": "모니터링이 중단된 기기",
    "no_alert_method": "알림을 보내지 않는 방법 (정기 방문)",
    "below_household_hours": "이 가구의 무활동 기준 시간 미만",
}
REFERRAL = {
    "single_centre": "작은 1인가구지원센터",
    "youth_rent_molit": "청년월세 특별지원 (국토교통부) 신청 안내",
    "youth_rent_seoul": "서울시 청년월세 지원 신청 안내",
    "youth_allowance_seoul": "서울시 청년수당 신청 안내",
    "housing_benefit": "주거급여 신청 안내",
    "youth_centre": "청년센터 (청년 상담·활동)",
    "mental_health_centre": "정신건강복지센터",
    "other": "그 밖의 지역 프로그램",
}
NOTE_EVENTS = {"screen": "고립 선별 (UCLA 3문항)", "refer": "지역 프로그램 연계"}
APPLICATION = {
    "submitted": "신청 접수 (조사 중)",
    "granted": "지급 결정",
    "refused": "기각",
    "withdrawn": "신청 취하",
}
LINK_TARGET = {"care": "통합돌봄 사례", "benefit": "급여 신청"}
