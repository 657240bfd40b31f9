"""Settings shared by the CLI and the web app (environment prefix ``GIBON_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GIBON_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{VAR_DIR / 'gibon.db'}",
        description="SQLAlchemy URL, e.g. sqlite:///var/gibon.db or postgresql+psycopg://postgres@127.0.0.1/gibon",
    )
    secret_key_file: Path = Field(
        default=VAR_DIR / "secret.key",
        description="32-byte key (base64) for encrypting resident numbers and signing sessions; created if missing",
    )
    data_dir: Path = Field(
        default=VAR_DIR / "data",
        description="Where generated data (the synthetic population, reports) is kept",
    )
    cookie_secure: Literal["auto", "true", "false"] = Field(
        default="auto",
        description="Mark the sign-in cookie Secure: auto = when the request came over HTTPS (the scheme uvicorn reports, which follows X-Forwarded-Proto only from FORWARDED_ALLOW_IPS)",
    )
    demo_scale: int | None = Field(
        default=None,
        description="Persons in the demo population; None means the whole district (about 478,000)",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
