"""Kidney function from serum creatinine: eGFR (CKD-EPI 2021) and CrCl (Cockcroft-Gault)."""

from __future__ import annotations


def egfr_ckd_epi_2021(scr_mg_dl: float, age: int, female: bool) -> float:
    """Race-free CKD-EPI 2021 creatinine equation, mL/min/1.73 m² (Inker LA et al., NEJM 2021)."""
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = scr_mg_dl / kappa
    value: float = 142 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age
    return value * 1.012 if female else value


def crcl_cockcroft_gault(scr_mg_dl: float, age: int, weight_kg: float, female: bool) -> float:
    """Cockcroft-Gault creatinine clearance with actual body weight, mL/min (Nephron 1976)."""
    value = (140 - age) * weight_kg / (72 * scr_mg_dl)
    return value * 0.85 if female else value
