"""The dong worklist: one item per household whatever the sources, each move of the lifecycle,
contact attempts, 지원 연계 opening an integrated-care case that the item then follows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.care.cases import closing as care_closing
from gibon.care.cases import schemas as case_schemas
from gibon.care.models import Case
from gibon.crisis import intake, service, work
from gibon.crisis.lifecycle import Action, Status
from gibon.crisis.models import Device, Item, Signal
from gibon.crisis.schemas import ActionIn, AlertBatch, AlertIn, ContactIn, ReportIn
from gibon.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from gibon.residents.models import Person
from tests import factories
from tests.crisis.conftest import DONG, heads, list_signal


def _officer(session: Session, dong: str = DONG) -> User:
    return factories.make_user(session, Role.dong_officer, dong=dong)


def _item_for(session: Session, person: Person) -> Item:
    list_signal(session, person, "power_cut", service.today(), f"t-{person.id}-1")
    list_signal(session, person, "health_premium_arrears", service.today(), f"t-{person.id}-3")
    opened = datetime.now(UTC) - timedelta(days=12)  # listed twelve days ago
    service.score_households(session, "test", household_ids=[person.household_id], now=opened)
    return session.scalars(select(Item).where(Item.household_id == person.household_id)).one()


def _act(session: Session, user: User, item: Item, action: Action, **extra: object) -> Item:
    body = ActionIn.model_validate({"action": action, "version": item.version_id, **extra})
    return work.act(session, user, item.id, body)


def test_signals_from_the_list_a_device_and_a_neighbour_collapse_into_one_item(
    session: Session,
) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    team = factories.make_user(session, Role.district_team)
    list_signal(session, p, "power_cut", service.today(), "t-dedup-1")
    list_signal(session, p, "gas_cut", service.today(), "t-dedup-2")
    service.score_households(session, "test", household_ids=[p.household_id])
    session.add(Device(id="PLUG-T1", household_id=p.household_id,
                       indicator="smart_plug_no_activity", registered_by="t"))  # fmt: skip
    now = datetime.now(UTC)
    intake.receive_alerts(session, team, AlertBatch(alerts=[AlertIn(alert_id="a-0001", device_id="PLUG-T1", observed_at=now)]))  # fmt: skip
    report = ReportIn(kind="neighbour_report", reporter_name="이웃", name=p.name,  # type: ignore[arg-type]
                      birth_date=p.birth_date, concern="며칠째 인기척이 없음")  # fmt: skip
    item_id = intake.receive_report(session, officer, report)
    items = session.scalars(select(Item).where(Item.household_id == p.household_id)).all()
    assert [it.id for it in items] == [item_id]
    sources = {s.source for s in session.scalars(select(Signal).where(Signal.item_id == item_id))}
    assert sources == {"national_list", "device", "report"}
    detail = work.detail(session, officer, item_id)
    assert {s.source_label for s in detail.signals} == {
        "복지 사각지대 발굴 명단",
        "IoT 기기",
        "신고·제보·방문",
    }


def test_linking_opens_a_prefilled_integrated_care_case_and_the_item_follows_it(
    session: Session,
) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    _act(session, officer, item, Action.link, consent=True)
    assert item.status == Status.linked.value and item.care_case_id
    case = session.get(Case, item.care_case_id)
    assert case is not None
    assert (case.person_id, case.channel, case.applicant_name) == (p.id, "self", p.name)
    care_closing.close_case(  # 규칙 제11조: moving away is no ending; 입원·입소 is
        session,
        officer,
        case.id,
        case_schemas.CaseClose(version=case.version_id, reason="admitted", note="요양병원 입원"),
    )
    detail = work.detail(session, officer, item.id)
    assert detail.item.status == "done" and detail.item.status_label == "연계 사례 종결"


def test_without_consent_the_case_is_opened_ex_officio_by_the_officer(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    _act(session, officer, item, Action.link)
    case = session.get(Case, item.care_case_id)
    assert case is not None and case.channel == "ex_officio"
    assert case.applicant_relation == "담당 공무원(직권)"


def test_not_needed_needs_a_reason_and_keeps_it(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    with pytest.raises(InvalidInput, match="비대상 사유"):
        _act(session, officer, item, Action.not_needed)
    _act(session, officer, item, Action.not_needed, reason="already_supported")
    assert (item.status, item.close_reason, item.open_key) == (
        "not_needed",
        "already_supported",
        None,
    )


def test_unreachable_is_refused_until_the_required_attempts_are_logged(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    start = datetime.now(UTC) - timedelta(days=10)
    work.add_contact(
        session, officer, item.id, ContactIn(method="phone", outcome="no_answer", at=start)
    )  # type: ignore[arg-type]
    with pytest.raises(InvalidTransition, match="지금까지 1회"):
        _act(session, officer, item, Action.unreachable)
    work.add_contact(
        session,
        officer,
        item.id,
        ContactIn(method="phone", outcome="no_answer", at=start + timedelta(days=3)),
    )  # type: ignore[arg-type]
    work.add_contact(
        session,
        officer,
        item.id,
        ContactIn(method="visit", outcome="not_home", at=start + timedelta(days=8)),
    )  # type: ignore[arg-type]
    _act(session, officer, item, Action.unreachable)
    assert item.status == "unreachable" and item.first_reached_at is None
    assert item.first_contact_at is not None


def test_a_contact_before_the_item_was_opened_is_refused(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    before = datetime.now(UTC) - timedelta(days=20)
    with pytest.raises(InvalidInput, match="열리기 전"):
        work.add_contact(
            session, officer, item.id, ContactIn(method="phone", outcome="reached", at=before)
        )  # type: ignore[arg-type]


def test_an_item_reached_once_cannot_be_closed_as_unreachable(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    work.add_contact(session, officer, item.id, ContactIn(method="phone", outcome="reached"))  # type: ignore[arg-type]
    with pytest.raises(InvalidTransition, match="연락이 닿은 적"):
        _act(session, officer, item, Action.unreachable)


def test_recheck_needs_a_future_date_and_comes_back_on_that_date(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    with pytest.raises(InvalidInput, match="재확인 날짜"):
        _act(session, officer, item, Action.recheck, recheck_on=service.today())
    later = service.today() + timedelta(days=30)
    _act(session, officer, item, Action.recheck, recheck_on=later)
    assert item.status == "recheck" and item.open_key == p.household_id
    run = service.score_households(session, "test", as_of=later, household_ids=[p.household_id])
    assert run.reopened == 1 and item.status == "checking" and item.recheck_on is None


def test_an_officer_can_reopen_a_recheck_item_before_its_date(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    _act(session, officer, item, Action.recheck, recheck_on=service.today() + timedelta(days=9))
    _act(session, officer, item, Action.reopen)
    assert item.status == "checking"


def test_a_closed_item_refuses_further_moves_with_what_is_allowed(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    _act(session, officer, item, Action.not_needed, reason="no_need")
    with pytest.raises(InvalidTransition):
        _act(session, officer, item, Action.link)


def test_a_move_on_a_stale_version_is_refused(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    stale = item.version_id
    _act(session, officer, item, Action.recheck, recheck_on=service.today() + timedelta(days=9))
    with pytest.raises(Conflict):
        work.act(session, officer, item.id, ActionIn(action=Action.reopen, version=stale))


def test_a_new_signal_after_closing_opens_a_new_item_and_history_stays(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    _act(session, officer, item, Action.not_needed, reason="no_need")
    list_signal(session, p, "water_cut", service.today(), f"t-{p.id}-2")
    list_signal(session, p, "gas_cut", service.today(), f"t-{p.id}-4")
    service.score_households(session, "test", household_ids=[p.household_id])
    items = session.scalars(select(Item).where(Item.household_id == p.household_id)).all()
    assert sorted(it.status for it in items) == ["checking", "not_needed"]


def test_the_worklist_ranks_by_due_date_then_score_and_shows_korean_reasons(
    session: Session,
) -> None:
    a, b = heads(session, n=2)
    officer = _officer(session)
    list_signal(session, a, "power_cut", service.today(), "t-rank-a")
    list_signal(session, a, "gas_cut", service.today(), "t-rank-a2")
    list_signal(session, b, "suicide_risk_household", service.today(), "t-rank-b")
    service.score_households(session, "test", household_ids=[a.household_id, b.household_id])
    listed = service.worklist(session, officer, None).items
    ids = [it.household_id for it in listed]
    assert ids.index(b.household_id) < ids.index(a.household_id)
    urgent = listed[ids.index(b.household_id)]
    assert urgent.urgent and urgent.due_on == service.today() + timedelta(days=3)
    assert "자살" in urgent.reasons[0]


def test_a_dong_officer_sees_only_their_dong_and_the_analyst_no_household(session: Session) -> None:
    (p,) = heads(session, n=1)
    item = _item_for(session, p)
    other = _officer(session, dong="청림동")
    with pytest.raises(Forbidden):
        work.detail(session, other, item.id)
    with pytest.raises(Forbidden):
        service.worklist(session, other, DONG)
    analyst = factories.make_user(session, Role.policy_analyst)
    with pytest.raises(Forbidden):
        service.worklist(session, analyst, None)
    assert service.quality_report(session, analyst)["by_source"] is not None


def test_the_district_team_sees_every_dong(session: Session) -> None:
    a = heads(session, n=1)[0]
    b = heads(session, dong="청림동", n=1)[0]
    for p in (a, b):
        _item_for(session, p)
    team = factories.make_user(session, Role.district_team)
    dongs = {it.dong for it in service.worklist(session, team, None).items}
    assert {DONG, "청림동"} <= dongs


def test_the_entitlement_check_comes_from_the_benefits_engine(session: Session) -> None:
    (p,) = heads(session, n=1)
    item = _item_for(session, p)
    programs = work.likely_entitled(session, item.household_id, "2026-06")
    from gibon import benefits

    assert all(prog.id in benefits.PROGRAM_IDS for prog in programs)


def test_weights_change_only_by_the_district_team_as_a_new_audited_version(
    session: Session,
) -> None:
    officer = _officer(session)
    team = factories.make_user(session, Role.district_team)
    current = service.weights_in_force(session).as_data()
    raw = current | {"threshold": 55}
    with pytest.raises(Forbidden):
        service.set_weights(session, officer, raw, "임계값 상향")
    new = service.set_weights(session, team, raw, "임계값 상향")
    assert (new.version, new.threshold) == (current["version"] + 1, 55)
    assert service.weights_in_force(session).threshold == 55


def test_a_contact_in_the_future_is_refused(session: Session) -> None:
    (p,) = heads(session, n=1)
    officer = _officer(session)
    item = _item_for(session, p)
    later = datetime.now(UTC) + timedelta(days=2)
    with pytest.raises(InvalidInput, match="미래 시각"):
        work.add_contact(
            session, officer, item.id, ContactIn(method="phone", outcome="reached", at=later)
        )  # type: ignore[arg-type]


def test_every_day_date_in_the_list_is_a_date(session: Session) -> None:
    (p,) = heads(session, n=1)
    _item_for(session, p)
    team = factories.make_user(session, Role.district_team)
    assert all(isinstance(it.due_on, date) for it in service.worklist(session, team, None).items)
