"""Append-only, hash-chained audit log of every read and write of personal data."""
