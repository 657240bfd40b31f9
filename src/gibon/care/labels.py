"""Korean labels for every code shown to people (templates read them from here)."""

from __future__ import annotations

from gibon.care import rules
from gibon.care.assessments import scoring as assessment
from gibon.care.assessments.schemas import NOTICE_LABELS
from gibon.care.assessments.scoring import LEVEL_LABELS, SCREEN_LABELS, Caregiver
from gibon.care.cases.schemas import (
    CHANNEL_LABELS,
    CLOSE_CHOICES,
    CLOSE_LABELS,
    CONSENT_LABELS,
    NEW_CHANNELS,
)
from gibon.care.cases.transitions import ACTION_LABELS, STATUS_LABELS
from gibon.care.plans.schemas import SERVICE_LABELS, Agency
from gibon.care.referrals.schemas import FollowUpKind
from gibon.care.referrals.service import ACTION_LABELS as REFERRAL_ACTIONS
from gibon.care.referrals.service import REFERRAL_LABELS
from gibon.kit import problems

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
INFO_ITEM = {k.value: label for k, (label, _b) in rules.INFO_ITEMS.items()}
INSTITUTION = {k.value: label for k, (label, _b) in rules.INSTITUTION_KINDS.items()}
INFO_DIRECTION = {
    "to": "우리 구가 다른 기관에 요청",
    "from": "다른 기관이 우리 구에 요청",
}
DOCUMENT_VIA = {
    "shared": "행정정보 공동이용으로 확인",
    "submitted": "본인이 제출 (공동이용에 동의하지 않음)",
}
# Field labels of the record forms, where the shared FIELDS name differs (e.g. purpose).
RECORD_FIELDS = {
    "direction": "요청 방향",
    "counterpart": "상대 기관",
    "items": "요청 정보",
    "purpose": "요청 목적",
    "requested_on": "요청일",
    "answered_on": "회신일",
    "document": "서류",
    "via": "확인 방법",
    "checked_on": "확인일",
    "person_id": "주민",
    "institution_kind": "기관 종류",
    "institution_name": "기관 이름",
    "leaving_on": "퇴원·퇴소(예정)일",
    "consent_by": "통보 동의자",
    "contact": "기관 연락처",
}
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
FOLLOWUP_STATUS = {"scheduled": "예정", "missed": "미방문", "done": "완료", "cancelled": "취소"}
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

# On-screen labels of form fields, so an error names the field as the officer sees it.
FIELDS: dict[str, str] = {
    "person_id": "대상 주민",
    "channel": "신청 경로",
    "applicant_name": "신청인 이름",
    "applicant_relation": "대상자와의 관계",
    "version": "사례 버전",
    "note": "메모",
    "purpose": "동의 목적",
    "given_by": "동의자",
    "level": "지원 필요도",
    "reasons": "판정 사유",
    "reassess_in_months": "재조사 주기",
    "goals": "목표",
    "change_note": "변경 사유",
    "based_on": "고친 계획 판",
    "services": "서비스",
    "services.*.service_type": "서비스 {n}의 종류",
    "services.*.frequency": "서비스 {n}의 횟수",
    "services.*.start": "서비스 {n}의 시작일",
    "services.*.end": "서비스 {n}의 종료일",
    "services.*.provider_id": "서비스 {n}의 제공기관",
    "held_on": "회의일",
    "agenda": "안건",
    "minutes": "회의록",
    "participants": "참석자",
    "participants.*.name": "참석자 {n}의 이름",
    "participants.*.agency": "참석자 {n}의 기관",
    "plan_id": "계획",
    "approve_plan": "계획 승인",
    "provider_id": "제공기관",
    "service_type": "서비스",
    "kind": "종류",
    "due_on": "예정일",
    "assignee_org": "방문 담당",
    "reason": "사유",
    "action": "처리",
    "outcome": "결과",
    "notes": "점검 내용",
    "data.cognition.mmse_k": "MMSE-K 점수",
    "data.nutrition.mna_sf": "MNA-SF 점수",
    "data.falls.falls_past_year": "지난 1년 낙상 횟수",
    "data.medical.conditions": "질환",
    "data.medical.medications": "복용 약 가짓수",
    "data.medical.admissions_past_year": "지난 1년 입원",
    "data.medical.er_visits_past_year": "지난 1년 응급실",
    "data.housing.hazards": "안전 위험",
    "data.social.contacts_per_week": "주당 교류 횟수",
    "data.social.caregiver": "주 돌봄자",
    "data.income.monthly_income_won": "월 소득",
    "data.income.benefits": "받는 급여",
    **{f"data.adl.{k}": f"K-ADL {v}" for k, v in KADL.items()},
    **{f"data.iadl.{k}": f"K-IADL {v}" for k, v in KIADL.items()},
    **{f"items.{k}": v for k, v in PRESCREEN.items()},
}
problems.register(FIELDS)

# The stored case as a conflict screen shows it (gibon.kit.diff) and the codes it translates.
CONFLICT: dict[str, str] = {
    "status_label": "현재 단계",
    "officer_id": "담당자",
    "need_level": "지원 필요도",
    "due_on": "현 단계 기한",
    "modified_at": "마지막 저장",
    "minutes": "회의록",
    "notes": "점검 내용",
}
CODES: dict[str, dict[str, str]] = {
    "need_level": LEVEL,
    "level": LEVEL,
    "purpose": CONSENT,
    "reason": CLOSE,
    "service_type": SERVICE,
    "kind": FOLLOWUP,
    "channel": CHANNEL,
    "action": {"accept": "수락", "decline": "거절", "start": "제공 시작", "end": "제공 종료"},
}
