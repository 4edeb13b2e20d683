"""Runtime settings, read from the environment and an optional `.env` file."""

import re
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from models.base import database_url

PUBLIC_TELEGRAM_API = "https://api.telegram.org"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: str = Field(default="", alias="BOT_TOKEN")
    telegram_api_url: str = Field(default=PUBLIC_TELEGRAM_API, alias="TELEGRAM_API_URL")
    database_url: str = Field(default="sqlite+aiosqlite:///gridbot.db", alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    timezone: str = Field(default="Asia/Shanghai", alias="GRIDBOT_TIMEZONE")
    language: str = Field(default="zh", alias="GRIDBOT_LANGUAGE")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="GRIDBOT_ADMIN_IDS"
    )
    flood_limit: str = Field(default="5/second;30/minute", alias="GRIDBOT_FLOOD_LIMIT")
    # How often the rhythm jobs are looked at (a run missed is done at the next look).
    scheduler_tick_seconds: int = Field(default=60, ge=1, alias="GRIDBOT_SCHEDULER_TICK")
    # Webhook mode (instead of long polling) when WEBHOOK_URL is set: the public HTTPS address
    # Telegram posts to; the server listens on WEBHOOK_HOST:WEBHOOK_PORT behind a proxy.
    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: str = Field(default="", alias="WEBHOOK_SECRET")
    webhook_host: str = Field(default="127.0.0.1", alias="WEBHOOK_HOST")
    webhook_port: int = Field(default=8080, alias="WEBHOOK_PORT")
    # The staff workbench's public base address (e.g. https://bot.example.org), used in login
    # links; when set, the web server runs in polling mode too.
    web_url: str | None = Field(default=None, alias="GRIDBOT_WEB_URL")
    # Offer the Telegram Login Widget on the workbench's login page (needs the domain of
    # GRIDBOT_WEB_URL set for the bot in BotFather with /setdomain).
    web_login_widget: bool = Field(default=False, alias="GRIDBOT_WEB_LOGIN_WIDGET")
    # The key care ledger notes and phone numbers are encrypted with (`gridbot keys new`).
    data_key: str | None = Field(default=None, alias="GRIDBOT_DATA_KEY")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("zh", "en"):
            raise ValueError("GRIDBOT_LANGUAGE must be zh or en")
        return value

    @field_validator("redis_url", "webhook_url", "web_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("data_key")
    @classmethod
    def _usable_key(cls, value: str | None) -> str | None:
        from models.care.crypto import valid_key

        if value and not valid_key(value):
            raise ValueError("GRIDBOT_DATA_KEY is not a key: make one with `gridbot keys new`")
        return value or None

    @field_validator("database_url")
    @classmethod
    def _usable_database(cls, value: str) -> str:
        return database_url(value)

    @field_validator("webhook_url")
    @classmethod
    def _webhook_address(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"https?://[^/\s]+/\S*", value):
            raise ValueError("WEBHOOK_URL must be a full address, e.g. https://bot.example.org/hook")
        return value

    @field_validator("web_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
            raise ValueError("GRIDBOT_WEB_URL must be a full address, e.g. https://bot.example.org")
        return value.rstrip("/") if value else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: str) -> str:
        # Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("WEBHOOK_SECRET may hold only letters, digits, _ and - (1-256)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> "Settings":
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET, so forged updates are refused")
        return self
