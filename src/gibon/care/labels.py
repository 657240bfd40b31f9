"""Korean labels for every code shown to people (templates read them from here)."""

from __future__ import annotations

from gibon.care import assessment, rules
from gibon.care.assessment import LEVEL_LABELS, SCREEN_LABELS, Caregiver
from gibon.care.referrals import ACTION_LABELS as REFERRAL_ACTIONS
from gibon.care.referrals import REFERRAL_LABELS
from gibon.care.schemas import (
    CHANNEL_LABELS,
    CLOSE_CHOICES,
    CLOSE_LABELS,
    CONSENT_LABELS,
    NEW_CHANNELS,
    NOTICE_LABELS,
    SERVICE_LABELS,
    Agency,
    FollowUpKind,
)
from gibon.care.transitions import ACTION_LABELS, STATUS_LABELS

STATUS = {k.value: v for k, v in STATUS_LABELS.items()}
CHANNEL = {k.value: v for k, v in CHANNEL_LABELS.items()}
CHANNEL_NEW = NEW_CHANNELS
CONSENT = {k.value: v for k, v in CONSENT_LABELS.items()}
SERVICE = {k.value: v for k, v in SERVICE_LABELS.items()}
CLOSE = dict(CLOSE_LABELS)
CLOSE_NEW = dict(CLOSE_CHOICES)  # the 규칙 제11조 reasons a closing form offers
TARGET = {k.value: label for k, (label, _b) in rules.TARGET_GROUPS.items()}
GROUND = {k.value: label for k, (label, _b) in rules.EX_OFFICIO_GROUNDS.items()}
EXPERT = {k.value: label for k, (label, _b) in rules.AGENCIES.items()}
NOTICE = {k.value: v for k, v in NOTICE_LABELS.items()}
DOCUMENT = {k.value: label for k, (label, _b) in rules.DOCUMENTS.items()}
FLAG = {
    "ex_officio_ground_missing": "직권 신청인데 직권신청 사유(영 제4조)가 기록되지 않았습니다",
    "target_group_missing": "대상자 구분(영 제2조제1항)이 기록되지 않았습니다",
}
BASIS = {action: basis.label for action, basis in rules.STEP_BASIS.items()}
LEVEL = {k.value: v for k, v in LEVEL_LABELS.items()}
SCREEN = {k.value: v for k, v in SCREEN_LABELS.items()}
REFERRAL = REFERRAL_LABELS
REFERRAL_ACTION = {k.value: v for k, v in REFERRAL_ACTIONS.items()}
ACTION = {**ACTION_LABELS, "open": "신청 접수", "consent": "동의 기록", "withdraw": "동의 철회"}
SETTLE = {"end": "종료", "carry": "이관(사례 종료 후에도 계속)"}
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
    FollowUpKind.visit.value: "방문 점검",
    FollowUpKind.reassessment.value: "재평가",
}
FOLLOWUP_STATUS = {"scheduled": "예정", "done": "완료", "cancelled": "취소"}
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
