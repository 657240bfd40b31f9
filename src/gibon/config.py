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
    audit_key_file: Path | None = Field(
        default=None,
        description="Key (base64) signing the audit checkpoints, kept apart from the database; default: audit.key beside the secret key",
    )
    audit_checkpoint_file: Path | None = Field(
        default=None,
        description="Append-only file of signed audit checkpoints; default: audit-checkpoints.log beside the secret key",
    )
    audit_checkpoint_copy: Path | None = Field(
        default=None,
        description="A second append-only copy of the checkpoints (another disk or a mounted share)",
    )
    audit_checkpoint_seconds: int = Field(
        default=300,
        ge=0,
        description="How often the server signs a checkpoint of the audit chain's head; 0 turns it off",
    )
    data_dir: Path = Field(
        default=VAR_DIR / "data",
        description="Where generated data (the synthetic population, reports) is kept",
    )
    workers: int = Field(
        default=1,
        ge=1,
        description="Web server worker processes sharing the database (set by gibon serve); sizes each one's PostgreSQL pool",
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
