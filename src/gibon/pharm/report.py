"""The 약물안전리포트: HTML from Jinja2 templates, PDF through WeasyPrint (imported only when asked)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape

from gibon.pharm import calendar
from gibon.pharm.findings import CATEGORY_KO, SEVERITY_KO
from gibon.pharm.review import Review

Audience = Literal["pharmacist", "resident"]
_HANGUL = re.compile(r"[가-힣]")
TEMPLATES = Path(str(resources.files("gibon") / "web" / "templates" / "pharm"))

# Plain words for residents: what the pharmacist will talk about, without jargon.
PLAIN = {
    "dur_contraindicated": "함께 먹으면 안 되는 약이 같은 시기에 나왔어요.",
    "dur_duplication": "비슷한 일을 하는 약이 두 가지 나와 있어요.",
    "duplicate": "같은 약이나 비슷한 약이 겹쳐 나와 두 번 드시고 있을 수 있어요.",
    "dur_dose": "약의 양이 하루 최대량보다 많아요.",
    "dose": "약의 양이 어르신께 많거나 적을 수 있어요.",
    "dur_elderly": "어르신께 조심해서 써야 하는 약이 있어요.",
    "beers": "어르신께 부작용이 잘 생기는 약이 있어요.",
    "stopp": "다시 살펴볼 필요가 있는 약이 있어요.",
    "start": "병에 필요한 약이 빠져 있을 수 있어요.",
    "interaction": "함께 먹을 때 조심해야 하는 약이 있어요.",
    "fall_risk": "넘어지기 쉽게 만드는 약이 있어요. 일어설 때 천천히 일어나세요.",
    "anticholinergic_burden": "입마름·변비·깜빡함을 일으킬 수 있는 약이 여러 개예요.",
    "drug_burden_index": "졸리거나 몸이 처지게 하는 약이 여러 개예요.",
    "renal": "콩팥 기능에 맞게 약 양을 조절해야 할 수 있어요.",
    "adherence": "약이 떨어졌거나 빠뜨린 날이 있어요.",
    "polypharmacy": "드시는 약이 많아요. 꼭 필요한 약인지 함께 살펴봐요.",
    "mrci": "약 먹는 방법이 복잡해요. 더 쉽게 바꿀 수 있는지 알아볼게요.",
    "multiple_prescribers": "여러 병원에서 약을 받고 계세요. 모든 약을 약사에게 보여 주세요.",
    "prescribing_cascade": "어떤 약의 부작용 때문에 다른 약이 더해졌을 수 있어요.",
    "dur_duration": "정해진 기간보다 오래 드신 약이 있어요.",
    "duration": "짧게만 먹는 약을 오래 드시고 있어요.",
    "dur_split": "쪼개면 안 되는 약을 쪼개 드시고 있어요.",
    "dur_age": "나이 때문에 조심해야 하는 약이 있어요.",
    "dur_pregnancy": "임신 중에 조심해야 하는 약이 있어요.",
    "unknown_drug": "이름을 확인해야 하는 약이 있어요.",
}


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
    )
    env.globals.update(
        SEVERITY_KO=SEVERITY_KO,
        CATEGORY_KO=CATEGORY_KO,
        SLOT_KO=calendar.SLOT_KO,
        SLOTS=calendar.SLOTS,
    )
    return env


def korean(text: str) -> bool:
    return bool(_HANGUL.search(text))


def context(rv: Review) -> dict[str, Any]:
    data = rv.to_dict()
    kb = rv.ctx.kb
    worries: dict[str, list[str]] = {}
    for f in rv.findings:
        if f.severity in ("high", "moderate") and f.category in PLAIN:
            names = worries.setdefault(PLAIN[f.category], [])
            # a resident reads Korean names only; a drug without one is named in the unknown list
            names += [n for n in (kb.ko(d) for d in f.drugs) if n not in names and korean(n)]
    rows = calendar.rows(rv.ctx)
    return {
        "r": data,
        "patient": rv.ctx.patient,
        "age": rv.ctx.age,
        "calendar": rows,
        "calendar_empty_why": calendar.empty_reason(rv.ctx, rows),
        "worries": [(text, names[:3]) for text, names in list(worries.items())[:6]],
        "name_ko": lambda ing: kb.ko(ing) if korean(kb.ko(ing)) else ing,
        "pdc_rows": _pdc_rows(rv),
        "missing": _missing_measures(rv),
    }


def _pdc_rows(rv: Review) -> list[tuple[str, str]]:
    """(drug, PDC or why not) for every drug in the history, so the table is never silently empty."""
    m = rv.metrics
    kb = rv.ctx.kb
    shown = [(kb.ko(d), f"{round(v * 100)}%") for d, v in sorted(m["pdc"].items())]
    return shown + [(kb.ko(d), why) for d, why in sorted(m["pdc_not_computed"].items())]


def _missing_measures(rv: Review) -> dict[str, str]:
    """Why eGFR, CrCl or DBI could not be computed, in the words a pharmacist would fix it with."""
    p = rv.ctx.patient
    lacks = [
        label
        for label, value in (
            ("혈청 크레아티닌", p.scr_mg_dl),
            ("나이", rv.ctx.age),
            ("성별", p.sex),
        )
        if value is None
    ]
    egfr = f"평가 불가 — {', '.join(lacks)} 없음" if lacks else ""
    crcl_lacks = lacks + ([] if p.weight_kg else ["체중"])
    crcl = f"평가 불가 — {', '.join(crcl_lacks)} 없음" if crcl_lacks else ""
    return {"egfr": egfr, "crcl": crcl}


def html(rv: Review, audience: Audience = "pharmacist") -> str:
    return _env().get_template(f"report_{audience}.html").render(**context(rv))


def pdf(rv: Review, audience: Audience = "pharmacist") -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    out = HTML(string=html(rv, audience), base_url=str(TEMPLATES)).write_pdf()
    return bytes(out or b"")
