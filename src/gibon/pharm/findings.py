"""The finding every check returns, and the severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

SEVERITIES = ("high", "moderate", "low")
SEVERITY_KO = {"high": "높음", "moderate": "중간", "low": "낮음"}

CATEGORY_KO = {
    "dur_contraindicated": "DUR 병용금기",
    "dur_age": "DUR 연령금기",
    "dur_pregnancy": "DUR 임부금기",
    "dur_duplication": "DUR 효능군중복",
    "dur_dose": "DUR 용량주의",
    "dur_duration": "DUR 투여기간주의",
    "dur_elderly": "DUR 노인주의",
    "dur_split": "DUR 분할주의",
    "interaction": "상호작용",
    "duplicate": "중복 처방",
    "beers": "Beers 기준",
    "stopp": "STOPP",
    "start": "START(누락 약물)",
    "anticholinergic_burden": "항콜린 부담",
    "drug_burden_index": "약물부담지수(DBI)",
    "fall_risk": "낙상 위험 약물",
    "renal": "신기능",
    "dose": "용량",
    "duration": "투여기간",
    "adherence": "복약순응도",
    "polypharmacy": "다제약물",
    "mrci": "복약 복잡도(MRCI)",
    "multiple_prescribers": "여러 처방기관",
    "prescribing_cascade": "처방연쇄",
    "unknown_drug": "확인 안 된 약",
}


@dataclass
class Finding:
    category: str
    severity: str
    drugs: list[str]
    title: str
    criterion: dict[str, str]
    action: str
    prescriber_note: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "category_ko": CATEGORY_KO.get(self.category, self.category),
            "severity": self.severity,
            "drugs": self.drugs,
            "title": self.title,
            "evidence": self.evidence,
            "criterion": self.criterion,
            "action": self.action,
            "prescriber_note": self.prescriber_note,
        }


def periods_json(periods: list[tuple[date, date]]) -> list[dict[str, str | int]]:
    return [
        {"start": s.isoformat(), "end": e.isoformat(), "days": (e - s).days + 1} for s, e in periods
    ]
