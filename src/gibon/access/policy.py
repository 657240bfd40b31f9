"""Who may do what to which resource, in which scope: one table, asked by pages, API and services.

Each entry of ``POLICY`` names a resource and an action and, for every role allowed at all, the
scope it is allowed in. A role missing from an entry is refused outright (403, audited); a role
allowed in a narrower scope is refused for records outside it (``check`` with a ``Target``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from gibon.accounts.models import Role, User
from gibon.errors import Forbidden, NotFound


class Action(StrEnum):
    list = "list"  # a list of records
    view = "view"  # one record
    create = "create"
    change = "change"
    search = "search"  # find people by name or resident number
    compute = "compute"  # CPU work on posted data, nothing stored
    export = "export"  # a file that leaves gibon (calendar, report)


class Scope(StrEnum):
    district = "district"  # every record in the district
    own_dong = "own_dong"  # records of the user's own dong
    own_org = "own_org"  # referrals sent to the user's own organisation
    assigned = "assigned"  # visits and follow-ups assigned to the user
    aggregate = "aggregate"  # counts and sums only, never a person
    own = "own"  # a resident's own person and household, nobody else's


SCOPE_LABELS_KO = {
    Scope.district: "구 전체",
    Scope.own_dong: "담당 동",
    Scope.own_org: "자기 기관에 온 의뢰",
    Scope.assigned: "본인에게 배정된 방문",
    Scope.aggregate: "집계만 (개인 없음)",
    Scope.own: "본인과 본인 가구",
}

_DISTRICT = {Role.admin: Scope.district, Role.district_team: Scope.district}
_CASEWORK = {**_DISTRICT, Role.dong_officer: Scope.own_dong}
_AGGREGATES = {role: Scope.aggregate for role in (*_CASEWORK, Role.policy_analyst)}
_EVERYONE: dict[Role, Scope] = {r: Scope.district for r in Role if r is not Role.resident}
_RESIDENT = {Role.resident: Scope.own}
_VISITORS = {Role.visiting_professional: Scope.assigned, Role.pharmacist: Scope.assigned}

POLICY: dict[tuple[str, Action], dict[Role, Scope]] = {
    ("person", Action.search): _CASEWORK,
    ("care_case", Action.list): _CASEWORK,
    ("care_case", Action.view): _CASEWORK,
    ("care_case", Action.create): _CASEWORK,
    ("care_case", Action.change): _CASEWORK,
    ("care_statistics", Action.view): _AGGREGATES,
    ("care_conference", Action.create): _CASEWORK,
    ("care_conference", Action.view): _CASEWORK,
    ("care_conference", Action.change): _CASEWORK,
    ("care_provider", Action.list): _EVERYONE,
    ("care_provider", Action.create): _DISTRICT,
    ("care_referral", Action.create): _CASEWORK,
    ("care_referral", Action.list): {Role.provider: Scope.own_org},
    ("care_referral", Action.view): {**_CASEWORK, Role.provider: Scope.own_org},
    ("care_referral", Action.change): {**_CASEWORK, Role.provider: Scope.own_org},
    ("care_followup", Action.create): _CASEWORK,
    ("care_followup", Action.list): {**_CASEWORK, **_VISITORS},
    ("care_followup", Action.change): {**_CASEWORK, **_VISITORS},
    ("audit_log", Action.view): {Role.admin: Scope.district},
    ("benefits_batch", Action.compute): {**_CASEWORK, Role.policy_analyst: Scope.aggregate},
    ("simulation", Action.view): {**_DISTRICT, Role.policy_analyst: Scope.aggregate},
    ("simulation", Action.create): {**_DISTRICT, Role.policy_analyst: Scope.aggregate},
    ("outreach", Action.list): _CASEWORK,
    ("outreach", Action.change): _CASEWORK,
    ("pharm_review", Action.compute): {**_DISTRICT, Role.pharmacist: Scope.assigned},
    ("pharm_visit", Action.list): {**_DISTRICT, Role.pharmacist: Scope.assigned},
    ("pharm_visit", Action.view): {**_DISTRICT, Role.pharmacist: Scope.assigned},
    ("pharm_visit", Action.create): {**_DISTRICT, Role.pharmacist: Scope.assigned},
    ("pharm_visit", Action.change): {**_DISTRICT, Role.pharmacist: Scope.assigned},
    ("visit_route", Action.compute): {**_DISTRICT, Role.visiting_professional: Scope.assigned},
    ("visit_plan", Action.list): {**_DISTRICT, Role.visiting_professional: Scope.assigned},
    ("visit_plan", Action.view): {**_DISTRICT, Role.visiting_professional: Scope.assigned},
    ("visit_plan", Action.create): _DISTRICT,
    ("visit_plan", Action.change): _DISTRICT,
    ("visit_calendar", Action.export): {**_DISTRICT, Role.visiting_professional: Scope.assigned},
    ("access_policy", Action.view): _DISTRICT,
    # lists taken away as CSV/xlsx: the same people who may list them
    ("care_case", Action.export): _CASEWORK,
    ("care_followup", Action.export): {**_CASEWORK, **_VISITORS},
    ("care_referral", Action.export): {Role.provider: Scope.own_org},  # the provider's inbox
    ("outreach", Action.export): _CASEWORK,
    ("visit_plan", Action.export): {**_DISTRICT, Role.visiting_professional: Scope.assigned},
    ("pharm_visit", Action.export): {**_DISTRICT, Role.pharmacist: Scope.assigned},
    # the pharmacist finds the resident a visit is for (name, birth date or number, by POST)
    ("pharm_resident", Action.search): {**_DISTRICT, Role.pharmacist: Scope.district},
    # the day in the field: a professional's own stops and what they record at each
    ("visit_day", Action.view): _VISITORS,
    ("visit_day", Action.change): _VISITORS,
    ("account", Action.change): {Role.admin: Scope.district},
    # 위기가구 발굴: signals in, the dong worklist, weights, and quality (aggregates)
    ("crisis_signal", Action.create): _CASEWORK,
    ("crisis_item", Action.list): _CASEWORK,
    ("crisis_item", Action.view): _CASEWORK,
    ("crisis_item", Action.change): _CASEWORK,
    ("crisis_weights", Action.view): _CASEWORK,
    ("crisis_weights", Action.change): _DISTRICT,
    ("crisis_quality", Action.view): _AGGREGATES,
    ("crisis_device", Action.change): _CASEWORK,  # enrol with consent, withdraw at once
    ("my_household", Action.view): _RESIDENT,
    ("my_records", Action.view): _RESIDENT,
    ("care_application", Action.create): _RESIDENT,
    ("my_consent", Action.change): _RESIDENT,  # withdraw a consent, at once
    ("my_request", Action.create): _RESIDENT,  # ask for an explanation, a correction
    ("my_documents", Action.export): _RESIDENT,
    ("my_whatif", Action.compute): _RESIDENT,  # life events recomputed, nothing stored
    # what residents ask of the officers: the dong sees its own, the district team all
    ("resident_request", Action.list): _CASEWORK,
    ("resident_request", Action.change): _CASEWORK,
    # a guardian or 대리인 recorded by an officer, acting for a resident until an end date
    ("guardianship", Action.list): _CASEWORK,
    ("guardianship", Action.create): _CASEWORK,
    ("guardianship", Action.change): _CASEWORK,
}

# Routes that ask no policy entry, and why: everything else names one (``access.deps``).
OPEN_ROUTES: dict[str, str] = {
    "GET /health": "누구나: 서버 상태 (개인정보 없음)",
    "GET /openapi.json": "누구나: API 문서",
    "GET /docs": "누구나: API 문서",
    "GET /docs/oauth2-redirect": "누구나: API 문서",
    "GET /redoc": "누구나: API 문서",
    "GET /login": "누구나: 로그인 화면",
    "POST /login": "누구나: 로그인",
    "POST /logout": "누구나: 로그아웃",
    "POST /api/auth/token": "누구나: 토큰 발급",
    "GET /api/me": "로그인한 사람: 본인 계정",
    "GET /": "누구나: 구 전체 집계 (개인정보 없음)",
    "GET /api/district": "누구나: 동별 집계 (개인정보 없음)",
    "GET /benefits": "누구나: 급여 계산기 (한 가구, 저장 없음)",
    "POST /benefits": "누구나: 급여 계산기 (한 가구, 저장 없음)",
    "POST /api/benefits/calculate": "누구나: 몇 가구까지 (그 이상은 benefits_batch 권한), 접속지별 횟수 제한",
    "GET /api/benefits/programs": "누구나: 급여 목록과 법적 근거",
    "GET /api/benefits/example": "누구나: 입력 예시",
    "POST /api/auth/token/renew": "로그인한 사람: 본인 토큰 갱신",
    "POST /api/auth/logout": "로그인한 사람: 본인 토큰 폐기",
    "POST /api/me/password": "로그인한 사람: 본인 비밀번호 변경",
    "GET /account/password": "로그인한 사람: 본인 비밀번호 변경 화면",
    "POST /account/password": "로그인한 사람: 본인 비밀번호 변경",
    "GET /visits/sw.js": "누구나: 현장 화면의 오프라인 스크립트 (개인정보 없음)",
    "GET /my/login": "누구나: 주민 본인확인 화면",
    "POST /my/login": "누구나: 주민 본인확인 (로그인과 같은 횟수 제한·감사)",
    "POST /my/display": "누구나: 주민 창구의 큰 글씨·언어 (쿠키만, 개인정보 없음)",
}

RESOURCE_LABELS_KO = {
    "person": "주민",
    "care_case": "통합돌봄 사례",
    "care_statistics": "통합돌봄 현황(집계)",
    "care_conference": "통합지원회의",
    "care_provider": "서비스 제공기관",
    "care_referral": "서비스 연계 의뢰",
    "care_followup": "모니터링 방문",
    "audit_log": "감사 기록",
    "benefits_batch": "급여 일괄 계산",
    "simulation": "정책 시뮬레이션",
    "outreach": "사각지대 발굴 목록",
    "pharm_review": "약물 검토(저장 없음)",
    "pharm_visit": "방문약료",
    "visit_route": "방문 경로 계산",
    "visit_plan": "의료드림 방문 계획",
    "visit_calendar": "방문 일정 내려받기",
    "access_policy": "접근 권한표",
    "pharm_resident": "방문약료 대상자 찾기",
    "visit_day": "오늘의 방문 (현장)",
    "account": "직원 계정",
    "crisis_signal": "위기 신호·제보",
    "crisis_item": "위기가구 확인 목록",
    "crisis_weights": "위기 점수 가중치",
    "crisis_quality": "신호별 성과 (집계)",
    "crisis_device": "안부 확인 기기 등록",
    "my_household": "내 가구와 받을 수 있는 급여",
    "my_records": "내 정보 열람 기록",
    "care_application": "주민 본인의 통합돌봄 신청",
    "my_consent": "내 동의 철회",
    "my_request": "주민의 설명·정정 요청",
    "my_documents": "내 문서 내려받기",
    "my_whatif": "생활 변화 모의 계산",
    "resident_request": "주민 요청함",
    "guardianship": "대리인 등록",
}
ACTION_LABELS_KO = {
    Action.list: "목록",
    Action.view: "조회",
    Action.create: "등록",
    Action.change: "변경",
    Action.search: "검색",
    Action.compute: "계산",
    Action.export: "내려받기",
}


@dataclass(frozen=True)
class Target:
    """What a scope is checked against: the record's dong, organisation or assignee."""

    dong: str | None = None
    org: str | None = None  # a referral's provider or a follow-up's assignee organisation
    user_id: int | None = None  # the account a visit is assigned to
    person_id: str | None = None  # the resident the record is about


class Refused(Forbidden):
    """A refusal: answered as 403 (or as the resource's 404) and audited apart from the request.

    Raising it writes nothing; the edge that owns the transaction (``web.deps.get_db``; a future
    command acting as a user would do the same) rolls its own work back and records the refusal on
    a session of its own (``access.audit.record_refusal``): no service commits, and the refusal
    survives the rollback.
    """

    def __init__(
        self,
        user: User,
        action: Action,
        resource: str,
        resource_id: str | None = None,
        *,
        message: str = "이 작업을 할 권한이 없습니다 (역할이나 담당 지역 밖의 일입니다)",
        status: int = 403,
        where: str | None = None,
    ) -> None:
        super().__init__(
            message, where=where or RESOURCE_LABELS_KO.get(resource, resource), status=status
        )
        self.actor, self.role = user.username, user.role
        self.action, self.resource, self.resource_id = action, resource, resource_id

    def to_dict(self) -> dict[str, Any]:
        # A hidden record answers exactly as an unknown one, error name included.
        return {**super().to_dict(), "error": "NotFound" if self.status == 404 else "Forbidden"}


def scope_of(user: User, action: Action, resource: str) -> Scope | None:
    """The scope ``user`` may do ``action`` on ``resource`` in, or None."""
    return POLICY[(resource, action)].get(user.role_enum)


def permits(user: User, action: Action, resource: str, target: Target | None = None) -> bool:
    scope = scope_of(user, action, resource)
    if scope is None or target is None:
        return scope is not None
    return within(user, scope, target)


def within(user: User, scope: Scope, target: Target) -> bool:
    if scope is Scope.district:
        return True
    if scope is Scope.own_dong:
        return user.dong is not None and target.dong == user.dong
    if scope is Scope.own_org:
        return user.organization_id is not None and target.org == user.organization_id
    if scope is Scope.assigned:
        own_org = user.organization_id is not None and target.org == user.organization_id
        return own_org or (target.user_id is not None and target.user_id == user.id)
    if scope is Scope.own:  # one's own person, or one a guardianship in force names
        own = user.person_id is not None and target.person_id == user.person_id
        return own or (target.person_id is not None and target.person_id in user.authorised_for)
    return False  # aggregates: never a single record


def check(
    user: User,
    action: Action,
    resource: str,
    target: Target | None = None,
    resource_id: object = None,
) -> Scope:
    """The user's scope for ``action`` on ``resource`` (and ``target``), or raise ``Refused``."""
    scope = scope_of(user, action, resource)
    if scope is None or (target is not None and not within(user, scope, target)):
        refuse(user, action, resource, resource_id)
    return scope


def refuse(
    user: User, action: Action, resource: str, resource_id: object = None, message: str = ""
) -> NoReturn:
    """Refuse (403) with ``message`` saying why, or the general one."""
    rid = None if resource_id is None else str(resource_id)
    if message:
        raise Refused(user, action, resource, rid, message=message)
    raise Refused(user, action, resource, rid)


def check_hidden(
    user: User,
    action: Action,
    resource: str,
    target: Target | None,
    resource_id: object,
    not_found: str,
    where: str,
) -> None:
    """``check`` for records whose existence is itself personal (a resident): a record outside the
    user's scope answers exactly as an unknown one (404, ``not_found``), and is audited as refused.
    ``target`` None means the record does not exist."""
    if target is None:
        raise NotFound(not_found, where=where)
    scope = scope_of(user, action, resource)
    if scope is not None and within(user, scope, target):
        return
    raise Refused(
        user,
        action,
        resource,
        str(resource_id),
        message=not_found,
        status=404,
        where=where,
    )


def allowed_roles(action: Action, resource: str) -> frozenset[Role]:
    return frozenset(POLICY[(resource, action)])
