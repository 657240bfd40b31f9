"""Integrated care case management under the 돌봄통합지원법 (Integrated Community Care Act)."""
