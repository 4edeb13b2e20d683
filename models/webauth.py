"""Workbench sign-in without passwords: single-use login links and browser sessions.

Only hashes of the tokens are stored, so a copy of the database opens no session. A login
link is good once and for 10 minutes; a session ends after 12 hours without use, or when its
owner logs out everywhere.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdType, UTCDateTime, utcnow
from models.errors import NotAllowed
from models.members import Member, User, load_member

LOGIN_LINK_LIFETIME = timedelta(minutes=10)
SESSION_IDLE_LIMIT = timedelta(hours=12)
TELEGRAM_LOGIN_LIFETIME = timedelta(days=1)


class LoginToken(Base):
    __tablename__ = "web_login_tokens"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_staff(member: Member) -> bool:
    """Admins, grid workers and micro-grid leaders may use the workbench; nobody else."""
    from models.requests.queries import scope_of  # the scope rule lives with the queries

    return not scope_of(member).empty


async def issue_login_link(
    session: AsyncSession, member: Member, now: datetime | None = None
) -> str:
    """A fresh single-use token for a staff member's login link."""
    if not is_staff(member):
        raise NotAllowed("web-staff-only")
    now = now or utcnow()
    await session.execute(delete(LoginToken).where(  # used or stale links are of no more use
        LoginToken.user_id == member.user.id,
        or_(LoginToken.used_at.is_not(None), LoginToken.expires_at < now)))  # fmt: skip
    token = secrets.token_urlsafe(32)
    session.add(LoginToken(token_hash=token_hash(token), user_id=member.user.id, created_at=now,
                           expires_at=now + LOGIN_LINK_LIFETIME))  # fmt: skip
    await session.flush()
    return token


async def _open_session(session: AsyncSession, user_id: int, now: datetime) -> str:
    await session.execute(delete(WebSession).where(  # the person's sessions that ran out
        WebSession.user_id == user_id, WebSession.last_seen_at < now - SESSION_IDLE_LIMIT))
    token = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=token_hash(token), user_id=user_id, created_at=now,
                           last_seen_at=now))  # fmt: skip
    await session.flush()
    return token


async def redeem_login_link(
    session: AsyncSession, token: str, now: datetime | None = None
) -> str | None:
    """Use a login token once: returns a new session token, or None when the link is unknown,
    used or expired. Taking it is one conditional UPDATE, so two tabs cannot both use it."""
    now = now or utcnow()
    taken = await session.execute(
        update(LoginToken)
        .where(LoginToken.token_hash == token_hash(token), LoginToken.used_at.is_(None),
               LoginToken.expires_at > now)
        .values(used_at=now)
        .returning(LoginToken.user_id)
    )  # fmt: skip
    user_id = taken.scalar_one_or_none()
    if user_id is None:
        return None
    return await _open_session(session, user_id, now)


@dataclass
class TelegramLogin:
    """What the Telegram Login Widget sends back (the query string of its redirect)."""

    fields: dict[str, str]

    def verified_id(self, bot_token: str, now: datetime) -> int | None:
        """The Telegram user id when the hash is Telegram's and the login is recent."""
        received = self.fields.get("hash", "")
        check = "\n".join(f"{k}={v}" for k, v in sorted(self.fields.items()) if k != "hash")
        secret = hashlib.sha256(bot_token.encode()).digest()
        expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
        if not received or not hmac.compare_digest(expected, received):
            return None
        try:
            auth_date = datetime.fromtimestamp(int(self.fields["auth_date"]), now.tzinfo)
            telegram_id = int(self.fields["id"])
        except (KeyError, ValueError):
            return None
        if now - auth_date > TELEGRAM_LOGIN_LIFETIME:
            return None
        return telegram_id


async def login_with_telegram(
    session: AsyncSession, telegram_id: int, super_admin: bool, now: datetime | None = None
) -> str | None:
    """A session for a verified Telegram login, if that person is staff."""
    user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if user is None or not is_staff(await load_member(session, user, super_admin)):
        return None
    return await _open_session(session, user.id, now or utcnow())


async def session_user(
    session: AsyncSession, token: str, now: datetime | None = None
) -> User | None:
    """The user of a live session, marking it used; None when unknown or idle too long."""
    now = now or utcnow()
    web_session = await session.scalar(
        select(WebSession).where(WebSession.token_hash == token_hash(token))
    )
    if web_session is None:
        return None
    if now - web_session.last_seen_at > SESSION_IDLE_LIMIT:
        await session.delete(web_session)
        return None
    if now - web_session.last_seen_at > timedelta(minutes=1):  # spare a write per page
        web_session.last_seen_at = now
    return await session.get(User, web_session.user_id)


async def logout_everywhere(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(WebSession).where(WebSession.user_id == user_id))
