"""The built-in program ids, in display order (issue 3 contract)."""

PROGRAM_IDS = (
    "livelihood",
    "medical_aid",
    "housing_benefit",
    "education_benefit",
    "basic_pension",
    "disability_pension",
    "child_allowance",
    "parental_benefit",
    "first_meeting_voucher",
    "youth_rent_molit",
    "youth_rent_seoul",
    "youth_allowance_seoul",
    "emergency_livelihood",
    "ltc_home_care_limit",
    "integrated_care_screening",
)
