import os
import stat

from webapp import config


def test_a_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.load(str(tmp_path))["SECRET_KEY"]
    second = config.load(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/parley")
    cfg = config.load(str(tmp_path))
    assert cfg["SECRET_KEY"] == "from-env"
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/parley"
    assert not (tmp_path / "secret_key").exists()


def test_the_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    uri = config.load(str(tmp_path))["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{tmp_path}/parley.sqlite"


def test_session_cookies_are_httponly_and_lax_by_default(tmp_path):
    cfg = config.load(str(tmp_path))
    assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_letters_are_dated_where_the_borrower_lives():
    from datetime import UTC, date, datetime

    from webapp.models.types import local_date

    early_in_china = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)  # 07:30 on 2 March in Beijing
    assert local_date(early_in_china, "CN") == date(2027, 3, 2)
    assert local_date(early_in_china, "GB") == date(2027, 3, 1)
    assert local_date(datetime(2027, 3, 2, 3, 0, tzinfo=UTC), "US") == date(2027, 3, 1)


def test_session_and_proxy_settings_come_from_the_environment(tmp_path, monkeypatch):
    import pytest

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("SESSION_MAX_HOURS", "2")
    monkeypatch.setenv("PROXY_COUNT", "1")
    cfg = config.load(str(tmp_path))
    assert (cfg["SESSION_IDLE_MINUTES"], cfg["SESSION_MAX_HOURS"], cfg["PROXY_COUNT"]) == (15, 2, 1)
    assert cfg["PERMANENT_SESSION_LIFETIME"] == 2 * 3600
    monkeypatch.setenv("PROXY_COUNT", "-1")
    with pytest.raises(ValueError, match="PROXY_COUNT must be at least 0"):
        config.load(str(tmp_path))
    monkeypatch.setenv("PROXY_COUNT", "one")
    with pytest.raises(ValueError, match="PROXY_COUNT must be a whole number"):
        config.load(str(tmp_path))
