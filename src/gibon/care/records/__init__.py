"""Discharge notices, information requests and document checks."""
