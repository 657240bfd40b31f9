"""`gibon pharm review` and `gibon pharm screen` through the CLI runner."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gibon.cli

CASE = Path(__file__).parent / "cases" / "29_falls_sedatives.yaml"


@pytest.fixture
def patient_json(tmp_path: Path) -> Path:
    import yaml

    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    path = tmp_path / "patient.json"
    data = {k: case[k] for k in ("patient", "review_date", "dispensings")}
    path.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    return path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_review_prints_json_with_findings_metrics_and_priority(patient_json: Path) -> None:
    result = CliRunner().invoke(gibon.cli.app, ["pharm", "review", str(patient_json)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out["metrics"]) >= {
        "n_ingredients",
        "n_prescribers",
        "n_pharmacies",
        "acb",
        "dbi",
        "mrci",
        "pdc",
        "egfr",
        "crcl",
    }
    assert out["priority"]["score"] > 0 and out["priority"]["drivers"]
    f = out["findings"][0]
    assert set(f) >= {
        "category",
        "severity",
        "drugs",
        "evidence",
        "criterion",
        "action",
        "prescriber_note",
    }


def test_pharmacist_html_report_lists_each_finding_in_korean(patient_json: Path) -> None:
    result = CliRunner().invoke(
        gibon.cli.app, ["pharm", "review", str(patient_json), "--format", "html"]
    )
    assert result.exit_code == 0, result.output
    page = _Text()
    page.feed(result.stdout)
    text = "".join(page.text)
    assert "약물안전리포트" in text and "낙상" in text and "처방의 전달" in text


def test_resident_html_has_a_medicine_calendar_of_current_medicines_only(
    patient_json: Path,
) -> None:
    result = CliRunner().invoke(
        gibon.cli.app,
        ["pharm", "review", str(patient_json), "-f", "html", "--audience", "resident"],
    )
    page = _Text()
    page.feed(result.stdout)
    text = "".join(page.text)
    calendar = text.split("약 먹는 시간표")[1].split("약사와 이야기할 것")[0]
    assert "자기 전" in calendar and "설트랄린" in calendar and "table" in page.tags
    assert "졸피뎀" not in calendar  # its last supply ran out weeks before the review date
    assert "졸피뎀" in text.split("약사와 이야기할 것")[1]  # but it is still worth talking about


def test_pdf_report_is_written(patient_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(
        gibon.cli.app, ["pharm", "review", str(patient_json), "-f", "pdf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_bad_input_is_one_line_and_exit_code_two(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '{"patient": {}, "dispensings": [{"date": "2025-13-01", "drug": "x", "days_supply": 3}]}'
    )
    result = CliRunner().invoke(gibon.cli.app, ["pharm", "review", str(path)])
    assert result.exit_code == 2
    assert "dispensings[0].date" in result.output


def test_screen_ranks_synthetic_people_by_priority(tmp_path: Path) -> None:
    out = tmp_path / "rank.csv"
    result = CliRunner().invoke(
        gibon.cli.app, ["pharm", "screen", "--persons", "600", "--top", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    scores = [float(r.split(",")[6]) for r in rows]
    assert rows and scores == sorted(scores, reverse=True)


def test_screen_on_two_worker_processes_ranks_exactly_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gibon.pharm import screen

    monkeypatch.setattr(screen, "CHUNK", 40)  # many tasks, so both workers take several
    outs = {}
    for workers in ("1", "2"):
        outs[workers] = tmp_path / f"rank{workers}.csv"
        args = ["pharm", "screen", "--persons", "2000", "--workers", workers]
        result = CliRunner().invoke(gibon.cli.app, [*args, "--out", str(outs[workers])])
        assert result.exit_code == 0, result.output
    serial = outs["1"].read_text(encoding="utf-8")
    assert len(serial.splitlines()) > 5 * 40
    assert outs["2"].read_text(encoding="utf-8") == serial


def test_screen_can_keep_only_medical_aid_households_taking_ten_or_more(tmp_path: Path) -> None:
    out = tmp_path / "rank.csv"
    args = [
        "pharm",
        "screen",
        "--persons",
        "3000",
        "--medical-aid",
        "--min-ingredients",
        "10",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(gibon.cli.app, args)
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    assert all(int(r.split(",")[3]) >= 10 for r in rows)


def test_the_package_api_reviews_a_file_and_renders_the_report(patient_json: Path) -> None:
    from gibon import pharm

    rv = pharm.review_patient(pharm.load(patient_json))
    assert rv.findings and "약 먹는 시간표" in pharm.report_html(rv, "resident")
    assert pharm.review_patient(pharm.load(patient_json)).to_dict()["priority"]["score"] > 0
