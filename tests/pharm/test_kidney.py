"""eGFR (CKD-EPI 2021) and CrCl (Cockcroft-Gault) against hand-computed values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gibon.pharm import kidney


def test_ckd_epi_2021_female_reference_value() -> None:
    # 142 x (1.0/0.7)^-1.2 x 0.9938^80 x 1.012 = 142 x 0.6518 x 0.6080 x 1.012 = 56.95
    assert kidney.egfr_ckd_epi_2021(1.0, 80, female=True) == pytest.approx(56.95, abs=0.05)


def test_ckd_epi_2021_male_below_kappa_uses_alpha() -> None:
    # 142 x (0.8/0.9)^-0.302 x 0.9938^70 = 142 x 1.0362 x 0.6470 = 95.2
    assert kidney.egfr_ckd_epi_2021(0.8, 70, female=False) == pytest.approx(95.2, abs=0.05)


def test_cockcroft_gault_reference_value() -> None:
    # (140-80) x 60 / (72 x 1.25) = 40.0
    assert kidney.crcl_cockcroft_gault(1.25, 80, 60, female=False) == pytest.approx(40.0)
    assert kidney.crcl_cockcroft_gault(1.25, 80, 60, female=True) == pytest.approx(34.0)


@given(st.floats(0.3, 10), st.floats(0.3, 10), st.integers(18, 100), st.booleans())
def test_higher_creatinine_never_raises_egfr(a: float, b: float, age: int, female: bool) -> None:
    lo, hi = sorted((a, b))
    assert (
        kidney.egfr_ckd_epi_2021(hi, age, female)
        <= kidney.egfr_ckd_epi_2021(lo, age, female) + 1e-9
    )
