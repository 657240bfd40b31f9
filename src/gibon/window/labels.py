"""Korean labels of the resident's window: request kinds and states, correction fields, guardians."""

from __future__ import annotations

REQUEST_KINDS = {
    "explanation": "열람 기록 설명 요청",
    "correction": "가구 정보 정정 요청",
    "consent_withdrawn": "동의 철회 알림",
    "application": "급여 신청 요청",
}
REQUEST_STATUS = {"open": "처리 중", "answered": "답변 완료"}
# Which queue each kind is for: the district team answers for the whole audit chain; the dong
# holds the registry and the case.
REQUEST_QUEUE = {
    "explanation": "관악구청 통합돌봄과",
    "correction": "동 주민센터",
    "consent_withdrawn": "동 주민센터",
    "application": "동 주민센터",
}

CORRECTION_FIELDS = {
    "income": "한 달 소득",
    "rent": "월세와 보증금",
    "assets": "재산 (집, 예금, 자동차, 빚)",
    "disability": "장애",
}
CORRECTION_EXAMPLES = {
    "income": "1200000",
    "rent": "월세 350000, 보증금 5000000",
    "assets": "예금 3000000",
    "disability": "심한 장애 (2024년 판정)",
}

GUARDIAN_SCOPES = {"view": "정보 보기만", "act": "보기와 신청·동의·정정"}
GUARDIAN_BASES = {
    "power_of_attorney": "위임장",
    "guardianship_order": "성년후견 심판",
    "family": "가족관계 확인 (위임장 함께)",
}
