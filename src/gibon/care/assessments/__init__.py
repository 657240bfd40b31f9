"""Screening, assessment, eligibility and income, and the 종합판정 decision."""
