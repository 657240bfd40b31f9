"""Reforms without YAML: the form writes the same reform YAML, which runs and downloads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from gibon.accounts.models import Role
from gibon.errors import InvalidInput
from gibon.simulator import builder, reform

FLAT = {
    "change": "flat",
    "name": "신림동 홀로 사는 청년 수당",
    "amount": "100000",
    "age_min": "19",
    "age_max": "34",
    "household": "living_alone",
    "dong": "신림동",
    "income_limit": "150",
    "kind": "cash",
    "take_up": "80",
}


def test_a_flat_benefit_form_writes_a_reform_the_parser_accepts() -> None:
    text, spec = builder.build(FLAT)
    assert reform.parse_text(text).name == spec.name == "신림동 홀로 사는 청년 수당"
    program = spec.programs[0]
    assert program["entity"] == "person" and program["amount"] == "100000"
    assert "age >= 19 and age <= 34 and living_alone" in program["eligible"]
    assert "dong_code == " in program["eligible"]
    assert spec.take_up[program["id"]].rate == pytest.approx(0.8)


def test_a_parameter_change_form_writes_one_dated_override() -> None:
    text, spec = builder.build(
        {
            "change": "parameter",
            "parameter": "nbls.selection_rate.livelihood",
            "start": "2026-07-01",
            "value": "0.35",
        }
    )
    assert yaml.safe_load(text)["overrides"] == {
        "nbls.selection_rate.livelihood": {"2026-07-01": 0.35}
    }
    assert spec.overrides == {"nbls.selection_rate.livelihood": {"2026-07-01": 0.35}}


def test_a_bad_form_names_the_field_in_korean() -> None:
    with pytest.raises(InvalidInput) as info:
        builder.build({**FLAT, "age_min": "40", "age_max": "30"})
    assert info.value.where == "age_min" and "시작이 끝보다" in info.value.message
    with pytest.raises(InvalidInput) as info:
        builder.build({**FLAT, "amount": "십만원"})
    assert info.value.where == "amount"


def test_a_planner_downloads_the_yaml_and_runs_the_form_built_reform(
    client: TestClient, login: Any
) -> None:
    login(Role.district_team)
    download = client.post("/simulator/reforms/build", data={**FLAT, "action": "yaml"})
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert yaml.safe_load(download.text)["name"] == FLAT["name"]
    run = client.post(
        "/simulator/reforms/build",
        data={**FLAT, "action": "run", "month": "2026-06"},
        follow_redirects=False,
    )
    assert run.status_code == 303, run.text
    page = client.get(run.headers["location"])
    assert page.status_code == 200 and FLAT["name"] in page.text


def test_a_bad_form_comes_back_with_the_error_next_to_the_field(
    client: TestClient, login: Any
) -> None:
    login(Role.district_team)
    page = client.post("/simulator/reforms/build", data={**FLAT, "amount": "", "action": "run"})
    assert page.status_code == 422
    assert 'id="err-f-amount"' in page.text and "월 금액" in page.text
    assert 'value="신림동 홀로 사는 청년 수당"' in page.text  # what was typed is kept


def test_every_parameter_choice_reads_as_its_own_korean_label_without_its_internal_name() -> None:
    choices = builder.parameter_choices(dt.date(2026, 6, 1))
    labels = [c.label for c in choices]
    assert len(labels) == len(set(labels))
    assert not [c.label for c in choices if re.search(r"[a-z]+[_.][a-z0-9_]+", c.label)]
    grade2 = next(c for c in choices if c.name == "long_term_care.home_care_monthly_cap.grade2")
    assert grade2.label.endswith("· 2등급")
