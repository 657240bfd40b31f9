"""Domain-free helpers (crypto, dates, the Gwanak reference data, files)."""
