"""The audit log in words: "신림동 주민센터 이도윤님이 사례 2002번을 조회함", with a link to it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from gibon.kit import korean

ACTIONS: dict[str, str] = {
    "read": "조회함",
    "list": "목록을 조회함",
    "create": "등록함",
    "update": "수정함",
    "delete": "삭제함",
    "denied": "열려고 했으나 권한이 없어 거부됨",
    "login": "로그인함",
    "logout": "로그아웃함",
    "export": "내려받음",
    "demo_load": "시범 자료로 적재함",
    "account_created": "계정을 만듦",
    "account_disabled": "계정 사용을 멈춤",
    "account_enabled": "계정을 다시 쓰게 함",
    "account_unlocked": "로그인 잠금을 풂",
    "password_reset": "비밀번호를 초기화함",
    "account_phone": "사무실 전화를 정함",
}
RESOURCES: dict[str, str] = {
    "care_case": "사례",
    "care_queue": "통합돌봄 업무 목록",
    "care_followup": "모니터링 일정",
    "care_followup_list": "모니터링 목록",
    "care_referral": "서비스 의뢰",
    "care_referral_list": "서비스 의뢰 목록",
    "care_provider": "서비스 제공기관",
    "care_consent": "동의 기록",
    "care_conference": "통합지원회의",
    "care_demo": "통합돌봄 시범 자료",
    "audit_log": "감사 기록",
    "pharm_visit": "방문약료 기록",
    "visit_plan": "의료드림 방문 계획",
    "visits.board": "의료드림 방문 일정판",
    "visits.plan": "의료드림 방문 계획",
    "visits.ical": "방문 일정 파일",
    "visits.schedule": "방문 일정 자료",
    "simulator_run": "정책 시뮬레이션 실행",
    "simulator_outreach": "사각지대 발굴 목록",
    "simulator_outreach_contact": "사각지대 발굴 상담 기록",
    "session": "gibon",
}
LINKS: dict[str, str] = {
    "care_case": "/care/cases/{id}",
    "visit_plan": "/visits/plans/{id}",
    "visits.plan": "/visits/plans/{id}",
    "pharm_visit": "/pharm/visits/{id}",
    "simulator_run": "/simulator/runs/{id}",
}
_DETAIL_KEYS: dict[str, str] = {
    "dong": "동",
    "officer": "담당자",
    "status": "상태",
    "due": "기한",
    "search": "검색어",
    "n": "건수",
    "rows": "건수",
    "cases": "사례",
    "seed": "난수 씨앗",
    "visits": "방문",
    "actor": "사용자",
    "resource": "대상",
    "format": "형식",
}
_VALUES: dict[str, str] = {
    "open": "진행 중",
    "overdue": "기한 초과",
    "due": "기한 임박",
    "xlsx": "엑셀",
    "csv": "CSV",
}


@dataclass(frozen=True)
class Line:
    """One audit row as people read it."""

    text: str
    target: str
    link: str | None
    note: str


def resource_label(resource: str) -> str:
    if resource.startswith("/"):
        return f"화면 {resource}"
    return RESOURCES.get(resource, "기록")


def line(
    actor: str,
    action: str,
    resource: str,
    resource_id: str | None,
    purpose: str,
    detail: str,
    person: Callable[[str | None], str],
) -> Line:
    target = resource_label(resource) + (f" {resource_id}번" if resource_id else "")
    verb = ACTIONS.get(action, "처리함")
    text = f"{person(actor)}님이 {korean.eul(target)} {verb}"
    if action == "login":
        text = f"{person(actor)}님이 로그인함"
    pattern = LINKS.get(resource)
    link = pattern.format(id=resource_id) if pattern and resource_id else None
    note = " · ".join(x for x in (_clean(purpose), words(detail)) if x)
    return Line(text, target, link, note)


def _clean(purpose: str) -> str:
    return re.sub(r"\s*\b[a-z_]+=\S*", "", purpose or "").strip()


def words(detail: str) -> str:
    """``dong=신림동 officer=None n=50`` -> ``동 신림동 · 건수 50`` (empty values left out)."""
    if "=" not in (detail or ""):
        return _english_free(detail)
    parts = []
    for token in detail.split():
        key, _, value = token.partition("=")
        if key in _DETAIL_KEYS and value not in ("", "None", "-"):
            parts.append(f"{_DETAIL_KEYS[key]} {_VALUES.get(value, value)}")
    return " · ".join(parts)


def _english_free(text: str) -> str:
    match = re.fullmatch(r"(\d+) (rows|plans|households)(?:, offset (\d+))?", (text or "").strip())
    if match:
        return f"{match.group(1)}건" + (
            f" (시작 {int(match.group(3)) + 1}번째)" if match.group(3) else ""
        )
    return _status_words(text or "")


def _status_words(text: str) -> str:
    """Care statuses named in a transition's detail (``in_service->in_service``) in Korean."""
    from gibon.care import labels as care_labels

    known = {**care_labels.ACTION, **care_labels.STATUS, "in": "·"}

    def one(word: str) -> str:
        return " → ".join(known.get(w, w) for w in word.split("->"))

    return " ".join(one(w) for w in text.split(" "))
