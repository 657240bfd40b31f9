"""Korean labels for every code shown to people (templates read them from here)."""

from __future__ import annotations

from gibon.care import assessment
from gibon.care.assessment import LEVEL_LABELS, SCREEN_LABELS, Caregiver
from gibon.care.referrals import REFERRAL_LABELS
from gibon.care.schemas import (
    CHANNEL_LABELS,
    CLOSE_LABELS,
    CONSENT_LABELS,
    SERVICE_LABELS,
    Agency,
    FollowUpKind,
)
from gibon.care.transitions import ACTION_LABELS, STATUS_LABELS

STATUS = {k.value: v for k, v in STATUS_LABELS.items()}
CHANNEL = {k.value: v for k, v in CHANNEL_LABELS.items()}
CONSENT = {k.value: v for k, v in CONSENT_LABELS.items()}
SERVICE = {k.value: v for k, v in SERVICE_LABELS.items()}
CLOSE = {k.value: v for k, v in CLOSE_LABELS.items()}
LEVEL = {k.value: v for k, v in LEVEL_LABELS.items()}
SCREEN = {k.value: v for k, v in SCREEN_LABELS.items()}
REFERRAL = REFERRAL_LABELS
ACTION = {**ACTION_LABELS, "open": "신청 접수", "consent": "동의 기록", "withdraw": "동의 철회"}
AGENCY = {
    Agency.district.value: "구청(통합돌봄과)",
    Agency.health_centre.value: "보건소",
    Agency.dong.value: "동 주민센터",
    Agency.nhis.value: "국민건강보험공단",
    Agency.provider.value: "서비스 제공기관",
    Agency.other.value: "기타",
}
FOLLOWUP = {
    FollowUpKind.phone.value: "전화 점검",
    FollowUpKind.visit.value: "방문",
    FollowUpKind.reassessment.value: "재조사",
}
CAREGIVER = {
    Caregiver.none.value: "없음",
    Caregiver.family.value: "가족",
    Caregiver.paid.value: "유급 돌봄",
    Caregiver.other.value: "기타",
}
PRESCREEN = {
    name: f.description or name for name, f in assessment.PreScreenItems.model_fields.items()
}
KADL = {name: f.description or name for name, f in assessment.KADL.model_fields.items()}
KIADL = {name: f.description or name for name, f in assessment.KIADL.model_fields.items()}
ADL_LEVELS = {1: "1 자립", 2: "2 부분 도움", 3: "3 완전 도움"}
