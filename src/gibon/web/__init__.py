"""The web adapter: shared layout, sign-in, permissions, error pages and the district home page."""
