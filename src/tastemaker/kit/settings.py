"""One settings class for the whole platform, read from TASTEMAKER_* variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "dev-insecure-secret-change-me"


def default_database_url() -> str:
    data_dir = Path(user_data_dir("tastemaker", appauthor=False))
    return f"sqlite:///{data_dir / 'tastemaker.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TASTEMAKER_", env_file=".env", extra="ignore")

    environment: str = Field(default="development", pattern="^(development|test|production)$")
    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = PLACEHOLDER_SECRET
    base_url: str = "http://127.0.0.1:8000"
    postgres_random_page_cost: float = Field(default=1.1, gt=0, le=100)
    # Cookies are marked Secure whenever the public URL is HTTPS.
    login_attempts_per_window: int = 10
    login_window_seconds: int = 300
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "tastemaker@localhost"
    # Tier bands by follower count (domain.md §2); vendors differ, so this is configuration.
    tier_bands: dict[str, int] = Field(
        default_factory=lambda: {
            "nano": 1_000,
            "micro": 10_000,
            "mid": 100_000,
            "macro": 500_000,
            "mega": 1_000_000,
        }
    )
    # How a description ranks accounts (discovery.ranking): similarity of meaning and of
    # words. Only their ratio matters; both zero is refused.
    search_semantic_weight: float = Field(default=0.8, ge=0, le=1)
    search_lexical_weight: float = Field(default=0.2, ge=0, le=1)

    @model_validator(mode="after")
    def _refuse_placeholder_secret_in_production(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "TASTEMAKER_SECRET_KEY must be set to a random value of 32+ characters "
                "in production"
            )
        return self

    @model_validator(mode="after")
    def _refuse_zero_search_weights(self) -> Settings:
        if self.search_semantic_weight + self.search_lexical_weight <= 0:
            raise ValueError(
                "TASTEMAKER_SEARCH_SEMANTIC_WEIGHT and TASTEMAKER_SEARCH_LEXICAL_WEIGHT "
                "cannot both be 0"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cookies_secure(self) -> bool:
        return self.base_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
