"""Providers, referrals and the 점검 follow-ups that come with them."""
