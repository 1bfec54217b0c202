from __future__ import annotations

import pytest
from pydantic import ValidationError

from tastemaker.kit.settings import PLACEHOLDER_SECRET, Settings, default_database_url


def test_production_refuses_the_placeholder_secret() -> None:
    with pytest.raises(ValidationError, match="TASTEMAKER_SECRET_KEY"):
        Settings(environment="production", secret_key=PLACEHOLDER_SECRET)
    Settings(environment="production", secret_key="x" * 40)


def test_default_database_is_sqlite_in_the_user_data_directory() -> None:
    url = default_database_url()
    assert url.startswith("sqlite:///") and url.endswith("tastemaker/tastemaker.db")


def test_cookies_are_secure_behind_https() -> None:
    assert Settings(base_url="https://tm.example.com").cookies_secure
    assert not Settings(base_url="http://127.0.0.1:8000").cookies_secure


def test_tier_bands_are_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASTEMAKER_TIER_BANDS", '{"nano": 1000, "micro": 5000}')
    assert Settings().tier_bands == {"nano": 1000, "micro": 5000}
