"""Configuration read from the environment, with embedded defaults for the one-machine install."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from engine import webhooks
from engine.runtime import Runtime
from engine.scheduler import TimerScheduler
from engine.settings import load_working_hours, movable_clock
from engine.studio.settings import CheckSettings

ROOT = Path(__file__).resolve().parent.parent


def default_database_url() -> str:
    data_dir = Path(os.environ.get("YIZHAN_DATA_DIR", ROOT / "instance"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'yizhan.db'}"


def instance_secret_key() -> str:
    """A secret kept in the instance folder, so sign-ins survive a restart without configuring SECRET_KEY."""
    data_dir = Path(os.environ.get("YIZHAN_DATA_DIR", ROOT / "instance"))
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def configure_runtime(rt: Runtime, settings: Mapping) -> None:
    """What the settings decide about an engine runtime, for the app and the CLI alike."""
    if settings.get("MOVABLE_CLOCK") and not settings.get("CLOCK"):
        rt.clock = movable_clock(rt)
    rt.webhook_enabled = bool(settings.get("WEBHOOK_URL"))
    if settings.get("CASE_DATA_LIMIT"):
        rt.case_data_limit = int(settings["CASE_DATA_LIMIT"])
    if settings.get("CHECKS_FILE"):
        rt.checks = CheckSettings.load(Path(settings["CHECKS_FILE"]))
    load_working_hours(rt)


def timer_scheduler(rt: Runtime, settings: Mapping, interval: float | None = None,
                    lease_seconds: float | None = None) -> TimerScheduler:
    """The timer scheduler as the settings configure it (beat, lease, webhook delivery after each beat)."""
    return TimerScheduler(rt, interval_seconds=interval or settings["SCHEDULER_INTERVAL_SECONDS"],
                          lease_ttl=timedelta(seconds=lease_seconds or settings["SCHEDULER_LEASE_SECONDS"]),
                          after_beat=webhooks.sender(rt, settings["WEBHOOK_URL"], settings["WEBHOOK_SECRET"]))


def trusted_proxies(text: str) -> int:
    """YIZHAN_TRUSTED_PROXIES: a whole number of proxies, 0 to 5."""
    if not text.strip().isdigit() or not 0 <= int(text) <= 5:
        raise ValueError(f"YIZHAN_TRUSTED_PROXIES must be a number of proxies from 0 to 5, not {text!r}")
    return int(text)


def from_environment() -> dict:
    """Settings for a real run; tests pass their own mapping to create_app instead."""
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_database_url(),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret_key(),
        "SESSION_COOKIE_SECURE": os.environ.get("YIZHAN_SECURE_COOKIES", "0") == "1",
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none, the client's address
        # is the connection's). Sign-in rate limits count per client address, so set this behind nginx & co.
        "TRUSTED_PROXIES": trusted_proxies(os.environ.get("YIZHAN_TRUSTED_PROXIES", "0")),
        "SCHEDULER_ENABLED": os.environ.get("YIZHAN_SCHEDULER", "1") != "0",
        "WORKERS": int(os.environ.get("YIZHAN_WORKERS", "1")),
        "THREADS": int(os.environ.get("YIZHAN_THREADS", "8")),
        "CASE_DATA_LIMIT": int(os.environ.get("YIZHAN_CASE_DATA_LIMIT", "1000000")),
        "SCHEDULER_INTERVAL_SECONDS": float(os.environ.get("YIZHAN_SCHEDULER_INTERVAL", "5")),
        "SCHEDULER_LEASE_SECONDS": float(os.environ.get("YIZHAN_SCHEDULER_LEASE", "30")),
        "MOVABLE_CLOCK": os.environ.get("YIZHAN_MOVABLE_CLOCK", "0") == "1",
        "WEBHOOK_URL": os.environ.get("YIZHAN_WEBHOOK_URL", ""),
        "WEBHOOK_SECRET": os.environ.get("YIZHAN_WEBHOOK_SECRET", ""),
        "WORKFLOWS_DIR": os.environ.get("YIZHAN_WORKFLOWS", str(ROOT / "workflows")),
        "CHECKS_FILE": os.environ.get("YIZHAN_CHECKS_FILE", str(ROOT / "workflows" / "checks.toml")),
    }
