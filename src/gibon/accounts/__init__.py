"""Staff accounts, roles and area scope."""
