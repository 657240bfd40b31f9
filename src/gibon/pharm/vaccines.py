"""Vaccination records (START v3 section L): which vaccine and when, from JSON, CSV or FHIR.

``vaccinations`` absent means "not known" (the START vaccine criteria are then not assessable);
an empty list means "known: none given".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

Vaccine = Literal["influenza", "pneumococcal", "zoster", "covid19"]

# Names a record may use for each vaccine (English, Korean, common abbreviations).
_NAMES: dict[str, Vaccine] = {
    "influenza": "influenza", "flu": "influenza", "인플루엔자": "influenza", "독감": "influenza",
    "pneumococcal": "pneumococcal", "pcv": "pneumococcal", "ppsv": "pneumococcal",
    "ppsv23": "pneumococcal", "pcv13": "pneumococcal", "pcv15": "pneumococcal",
    "pcv20": "pneumococcal", "폐렴구균": "pneumococcal",
    "zoster": "zoster", "herpes zoster": "zoster", "shingles": "zoster", "rzv": "zoster",
    "대상포진": "zoster",
    "covid19": "covid19", "covid-19": "covid19", "covid": "covid19", "sars-cov-2": "covid19",
    "코로나": "covid19", "코로나19": "covid19",
}  # fmt: skip
# CVX codes (CDC vaccine administered) that name one of the four.
CVX: dict[str, Vaccine] = {
    **dict.fromkeys(["88", "140", "141", "150", "153", "155", "158", "161", "166", "168", "171",
                     "185", "186", "197", "205"], "influenza"),
    **dict.fromkeys(["33", "100", "109", "133", "152", "215", "216"], "pneumococcal"),
    **dict.fromkeys(["121", "187", "188"], "zoster"),
    **dict.fromkeys(["207", "208", "210", "211", "212", "213", "217", "218", "219", "221", "228",
                     "229", "230", "300", "301", "302", "309", "310", "311", "312", "313"],
                    "covid19"),
}  # fmt: skip
EXAMPLE = '[{"vaccine": "influenza", "date": "2025-10-20"}, {"vaccine": "pneumococcal"}]'


def vaccine_of(text: str) -> Vaccine | None:
    """The vaccine a free-text name stands for, by the longest known name it contains."""
    t = text.strip().lower()
    for name in sorted(_NAMES, key=len, reverse=True):
        if name in t:
            return _NAMES[name]
    return None


class Vaccination(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    vaccine: Vaccine
    date: dt.date | None = None  # unknown date: counts as "ever given", not as "this season"

    @field_validator("vaccine", mode="before")
    @classmethod
    def _name(cls, v: object) -> object:
        return vaccine_of(v) or v if isinstance(v, str) else v


def parse(value: Any) -> Any:
    """CSV form ``influenza@2025-10-20;pneumococcal`` (or a list of such strings or objects)."""
    if isinstance(value, str):
        value = [p for p in re.split(r"[;,]", value) if p.strip()]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str):
                name, _, when = item.partition("@")
                out.append({"vaccine": name.strip(), "date": when.strip() or None})
            else:
                out.append(item)
        return out
    return value
