"""The legal basis of the care workflow, as data: every step, list and deadline names its rule.

Each rule says where it comes from: the Act and its decrees (``law``, with the article, checked
against the excerpts shipped in ``gibon/data/care/statute/``), 보건복지부's 사업안내 (``guide``),
or a choice the district makes (``district``). docs/care.md quotes the same sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

STATUTE_DIR = Path(__file__).resolve().parent.parent / "data" / "care" / "statute"
STATUTE_FILES = {"법": "법률.md", "영": "시행령.md", "규칙": "시행규칙.md"}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_REF = re.compile(r"^(법|영|규칙) 제(\d+)조(?:제(\d+)항)?(?:제(\d+)호)?$")


class Source(StrEnum):
    law = "law"
    guide = "guide"
    district = "district"


SOURCE_LABELS = {
    Source.law: "법령",
    Source.guide: "사업안내",
    Source.district: "구 자체 결정",
}


@dataclass(frozen=True)
class Basis:
    source: Source
    ref: str = ""  # "법 제10조제2항" when source is law
    quote: str = ""  # the sentence relied on, verbatim from the statute

    @property
    def label(self) -> str:
        return self.ref if self.source is Source.law else SOURCE_LABELS[self.source]


def law(ref: str, quote: str = "") -> Basis:
    return Basis(Source.law, ref, quote)


DISTRICT = Basis(Source.district)


# -- Who is covered: 법 제2조제2호, 영 제2조제1항 ------------------------------------------------
class TargetGroup(StrEnum):
    age_65 = "age_65"
    severe_disability = "severe_disability"
    agreed = "agreed"


TARGET_GROUPS: dict[TargetGroup, tuple[str, Basis]] = {
    TargetGroup.age_65: ("65세 이상", law("영 제2조제1항제1호", "65세 이상인 사람")),
    TargetGroup.severe_disability: (
        "심한 장애인 (장관 인정)",
        law("영 제2조제1항제2호", "장애의 정도가 심한 장애인으로 등록된 장애인"),
    ),
    TargetGroup.agreed: (
        "그 밖의 취약계층 (장관과 협의하여 인정)",
        law("영 제2조제1항제3호", "보건복지부장관과 협의하여 인정하는 사람"),
    ),
}


# -- 직권신청 grounds: 영 제4조 ---------------------------------------------------------------------
class ExOfficioGround(StrEnum):
    ltc_denied = "ltc_denied"
    activity_support_denied = "activity_support_denied"
    discharged = "discharged"
    crisis = "crisis"
    disaster = "disaster"
    no_carer = "no_carer"


EX_OFFICIO_GROUNDS: dict[ExOfficioGround, tuple[str, Basis]] = {
    ExOfficioGround.ltc_denied: (
        "장기요양급여 신청 기각",
        law("영 제4조제1호", "장기요양급여 신청이 기각된 사람"),
    ),
    ExOfficioGround.activity_support_denied: (
        "활동지원급여 신청 기각",
        law("영 제4조제2호", "활동지원급여 신청이 기각된 사람"),
    ),
    ExOfficioGround.discharged: (
        "의료기관 퇴원 직후",
        law("영 제4조제3호", "의료기관에서 퇴원한 직후의 사람"),
    ),
    ExOfficioGround.crisis: (
        "위기상황 (긴급복지지원법)",
        law("영 제4조제4호", "위기상황에 처한 사람으로서 다른 지원을 기다리기 어려운 사람"),
    ),
    ExOfficioGround.disaster: (
        "재난 등으로 긴급돌봄 필요",
        law("영 제4조제5호", "긴급돌봄서비스의 제공이 필요한 사람"),
    ),
    ExOfficioGround.no_carer: (
        "독립생활 불가·보호자 돌봄 곤란",
        law("영 제4조제6호", "가족 등 보호자의 돌봄이 현저히 곤란한 사람"),
    ),
}


# -- 전문기관: 규칙 제14조제1항 (영 제5조제2항: part of the survey is entrusted to one) ----------
class ExpertAgency(StrEnum):
    nhis = "nhis"
    nps = "nps"
    social_service = "social_service"
    disability_dev = "disability_dev"


AGENCIES: dict[ExpertAgency, tuple[str, Basis]] = {
    ExpertAgency.nhis: ("국민건강보험공단", law("규칙 제14조제1항제1호", "국민건강보험공단")),
    ExpertAgency.nps: ("국민연금공단", law("규칙 제14조제1항제2호", "국민연금공단")),
    ExpertAgency.social_service: (
        "사회서비스원",
        law("규칙 제14조제1항제3호", "중앙 및 시ㆍ도 사회서비스원"),
    ),
    ExpertAgency.disability_dev: (
        "한국장애인개발원",
        law("규칙 제14조제1항제4호", "한국장애인개발원"),
    ),
}


# -- Ending support: 규칙 제11조 ---------------------------------------------------------------------
class EndReason(StrEnum):
    death = "death"
    admitted = "admitted"
    no_complex_need = "no_complex_need"
    refused_explicitly = "refused_explicitly"
    minister = "minister"


END_REASONS: dict[EndReason, tuple[str, Basis]] = {
    EndReason.death: ("사망", law("규칙 제11조제1호", "통합지원 대상자의 사망")),
    EndReason.admitted: (
        "의료기관 입원·시설 입소",
        law("규칙 제11조제2호", "의료기관에 입원하거나 시설에 입소하여"),
    ),
    EndReason.no_complex_need: (
        "복합적인 지원 불필요",
        law("규칙 제11조제3호", "복합적인 지원이 불필요하게 된 경우"),
    ),
    EndReason.refused_explicitly: (
        "본인의 명시적 거부",
        law("규칙 제11조제4호", "명시적으로 거부 의사를 표시한 경우"),
    ),
    EndReason.minister: (
        "보건복지부장관 인정",
        law("규칙 제11조제5호", "보건복지부장관이 통합지원이 불필요하다고 인정하는 경우"),
    ),
}
# Reasons stored before care_0003; shown for old cases, never accepted for a new closure.
LEGACY_CLOSE_LABELS = {
    "goals_met": "목표 달성 (이전 기록)",
    "moved": "전출 (이전 기록)",
    "facility": "시설 입소 (이전 기록)",
    "refused": "서비스 거부 (이전 기록, 명시 여부 미기록)",
    "not_eligible": "비대상",
}


# -- Records the law asks for: 퇴원·퇴소 notices, information requests, documents checked ---------
class InstitutionKind(StrEnum):
    hospital = "hospital"
    ltc_facility = "ltc_facility"
    disability_residence = "disability_residence"


INSTITUTION_KINDS: dict[InstitutionKind, tuple[str, Basis]] = {
    InstitutionKind.hospital: ("의료기관", law("법 제11조제1항제1호", "의료기관")),
    InstitutionKind.ltc_facility: (
        "시설급여 장기요양기관",
        law("법 제11조제1항제2호", "시설급여를 제공하는 장기요양기관"),
    ),
    InstitutionKind.disability_residence: (
        "장애인 거주시설",
        law("규칙 제8조제1항", "장애인 거주시설을 말한다."),
    ),
}


class InfoItem(StrEnum):
    contact = "contact"
    services = "services"
    survey = "survey"
    provision = "provision"
    discharge = "discharge"
    change = "change"


INFO_ITEMS: dict[InfoItem, tuple[str, Basis]] = {
    InfoItem.contact: (
        "성명·주거지·연락처",
        law("규칙 제13조제1항제1호", "통합지원 대상자의 성명, 주거지, 연락처"),
    ),
    InfoItem.services: (
        "서비스의 내용 및 제공 주체",
        law("규칙 제13조제1항제1호", "서비스의 내용 및 제공 주체"),
    ),
    InfoItem.survey: ("조사결과", law("규칙 제13조제1항제1호", "법 제10조에 따른 조사결과")),
    InfoItem.provision: (
        "서비스 제공 현황·기간·기관",
        law("규칙 제13조제1항제2호", "통합지원 관련기관의 서비스 제공 현황"),
    ),
    InfoItem.discharge: ("퇴원·퇴소 사실", law("규칙 제13조제1항제3호", "퇴원 또는 퇴소 사실")),
    InfoItem.change: (
        "상태 및 서비스 요구 변화",
        law("규칙 제13조제1항제4호", "통합지원 대상자의 상태 및 서비스 요구사항 변화"),
    ),
}


class Document(StrEnum):
    resident_register = "resident_register"
    disability_certificate = "disability_certificate"
    family_relation = "family_relation"


DOCUMENTS: dict[Document, tuple[str, Basis]] = {
    Document.resident_register: (
        "주민등록표 등본",
        law("규칙 제7조제5항제1호", "주민등록표 등본"),
    ),
    Document.disability_certificate: (
        "장애인증명서",
        law("규칙 제7조제5항제2호", "장애인증명서"),
    ),
    Document.family_relation: (
        "가족관계기록사항에 관한 증명서",
        law("규칙 제7조제5항제3호", "가족관계기록사항에 관한 증명서"),
    ),
}
SHARED_CHECK_RULE = law("규칙 제7조제5항", "행정정보 공동이용을 통하여")
INFO_REQUEST_RULE = law("법 제23조제3항", "정보의 제공을 상호 요청할 수 있다.")
DISCHARGE_RULE = law("법 제11조제1항", "퇴원 또는 퇴소의 여부 등을 통보하고")


# -- Steps of a case: (action) -> its basis ------------------------------------------------------
CONSENT_RULE = law(
    "법 제10조제2항",
    "통합지원 대상자를 발굴하려는 경우 해당 대상자에게 통합지원의 내용을 설명하고 사전 동의를 받아야 한다.",
)
STEP_BASIS: dict[str, Basis] = {
    "open": law(
        "법 제10조제1항", "주소지 관할 시장ㆍ군수ㆍ구청장 등에게 통합지원을 신청할 수 있다."
    ),
    "open_ex_officio": law("법 제10조제2항", "통합지원 신청을 직권으로 할 수 있다."),
    "screen": law("법 제10조제3항", "다음 각 호의 사항을 조사하게 하거나"),
    "assess": law("법 제10조제3항", "다음 각 호의 사항을 조사하게 하거나"),
    "decide": law(
        "법 제12조제1항",
        "의료적 필요도와 요양ㆍ돌봄 필요도 등 대통령령으로 정하는 바에 따라 종합적으로 판정하고",
    ),
    "decide_out": law("법 제12조제1항", "판정 결과를 통합지원 대상자에게 안내하여야 한다."),
    "notify_decision": law("법 제12조제1항", "판정 결과를 통합지원 대상자에게 안내하여야 한다."),
    "plan": law("법 제13조제1항", "개인별지원계획을 수립하고 이를 안내하여야 한다."),
    "approve": law("규칙 제9조제2항", "통합지원회의를 운영할 수 있다."),
    "notify": law("규칙 제9조제1항", "별지 제2호서식에 따라 수립하고 이를 신청인"),
    "refer": law(
        "법 제14조제1항",
        "통합지원 관련기관에 의뢰하여 통합지원이 제공될 수 있도록 노력하여야 한다.",
    ),
    "link": law("법 제14조제3항", "시장ㆍ군수ㆍ구청장에게 그 결정을 통보하여야 한다."),
    "follow_up": law(
        "규칙 제10조제1항", "개인별지원계획이 최초로 수립된 후 3개월 이내에 점검하여야 하고"
    ),
    "close": law("규칙 제11조", "통합지원을 종료할 수 있다."),
    "reopen": DISTRICT,
    "intake": law("법 제10조제2항", "대통령령으로 정하는 긴급한 지원이 필요한 자"),
}
REVIEW_RULE = law(
    "규칙 제10조제1항",
    "그 이후에는 6개월 이내의 범위에서 시장ㆍ군수ㆍ구청장이 정하는 바에 따라 정기적으로 점검하여야 한다.",
)
REASSESS_RULE = law("법 제12조제2항", "판정된 통합지원 대상자의 상태를 정기적으로 평가하여야 한다.")
PLAN_CONTENT_RULE = law(
    "법 제13조제1항제1호", "통합지원의 내용, 방법, 수량, 제공 기간 및 제공 주체"
)
LINKAGE_RULE = law("법 제13조제1항제2호", "둘 이상인 경우 상호 간 연계 방법")
VIEWS_RULE = law(
    "법 제13조제2항", "해당 당사자 및 가족에게 의견 진술의 기회를 충분히 제공하여야 하고"
)
AGENCY_RULE = law(
    "영 제5조제2항", "조사 업무의 일부를 법 제25조에 따라 보건복지부장관이 지정하는 전문기관"
)
NEEDS_RULE = law("법 제10조제3항제4호", "통합지원에 대한 욕구")


def every_basis() -> list[tuple[str, Basis]]:
    """Every rule gibon names, for the test that checks them against the statute excerpts."""
    named: list[tuple[str, Basis]] = [(f"step {k}", b) for k, b in STEP_BASIS.items()]
    tables: list[dict[Any, tuple[str, Basis]]] = [
        TARGET_GROUPS,
        EX_OFFICIO_GROUNDS,
        AGENCIES,
        END_REASONS,
        INSTITUTION_KINDS,
        INFO_ITEMS,
        DOCUMENTS,
    ]
    for table in tables:
        named += [(str(k), b) for k, (_label, b) in table.items()]
    named += [
        ("consent", CONSENT_RULE),
        ("review", REVIEW_RULE),
        ("reassess", REASSESS_RULE),
        ("plan content", PLAN_CONTENT_RULE),
        ("linkage", LINKAGE_RULE),
        ("views", VIEWS_RULE),
        ("agency", AGENCY_RULE),
        ("needs", NEEDS_RULE),
        ("shared check", SHARED_CHECK_RULE),
        ("info request", INFO_REQUEST_RULE),
        ("discharge", DISCHARGE_RULE),
    ]
    return named


@lru_cache(maxsize=4)
def _statute(kind: str) -> str:
    return (STATUTE_DIR / STATUTE_FILES[kind]).read_text(encoding="utf-8")


def article_text(ref: str) -> str | None:
    """The text of ``ref`` (article, paragraph or item) in the shipped excerpts, or None."""
    match = _REF.match(ref)
    if match is None:
        return None
    kind, article, para, item = match.groups()
    text = _section(_statute(kind), f"##### 제{article}조 ")
    if text is not None and para:
        text = _section(text, f"**{CIRCLED[int(para) - 1]}**")
    if text is not None and item:
        text = _item(text, int(item))
    return text


def _section(text: str, start: str) -> str | None:
    at = text.find(start)
    if at < 0:
        return None
    rest = text[at + len(start) :]
    ends = [i for i in (rest.find("\n##### "), rest.find("\n**")) if i >= 0]
    if start.startswith("**"):
        return rest[: min(ends)] if ends else rest
    end = rest.find("\n##### ")
    return rest if end < 0 else rest[:end]


def _item(text: str, number: int) -> str | None:
    """Item ``number`` with its 목 (가., 나., ...) lines, up to the next item."""
    found = re.search(rf"^  {number}\. ", text, flags=re.MULTILINE)
    if found is None:
        return None
    rest = text[found.end() :]
    nxt = re.search(r"^  \d+\. ", rest, flags=re.MULTILINE)
    return rest if nxt is None else rest[: nxt.start()]
