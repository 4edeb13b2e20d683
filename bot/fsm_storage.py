"""aiogram FSM storage in gridbot's own database: the embedded default needs no Redis, and a
half-finished flow survives a restart."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.chat_state import ChatState, remember_state, state_row

# The session of the update being handled: state changes join its transaction, so a flow
# step and the change it made commit together (and SQLite never waits on itself).
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


def state_key_of(fsm: FSMContextMiddleware, bot: Bot, data: dict[str, Any]) -> str | None:
    """The state row key of the update being handled (as its handlers' FSM context has it)."""
    context = fsm.resolve_event_context(bot, data)
    return _key(context.key) if context is not None else None


def _key(key: StorageKey) -> str:
    return ":".join(
        str(part or "")
        for part in (
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.business_connection_id,
            key.destiny,
        )
    )


class DatabaseStorage(BaseStorage):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        shared = update_session.get()
        if shared is not None:
            yield shared
            return
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def _change(self, key: StorageKey, **values: Any) -> None:
        """Set state and/or data; nothing is written when they are unchanged, and the write
        goes out with the session's next flush (so a step that sets both writes once)."""
        name = _key(key)
        async with self._session() as session:
            row = await state_row(session, name)
            state = values.get("state", row.state if row else None)
            data = values.get("data", row.data if row else {})
            if row is not None and (row.state, row.data) == (state, data):
                return
            if state is None and not data:  # a finished flow leaves no row behind
                if row is not None:
                    await session.delete(row)
                    await session.flush()
                    remember_state(session, name, None, locked=True)
                return
            if row is None:
                row = ChatState(key=name, state=state, data=data)
                session.add(row)
                remember_state(session, name, row, locked=True)
            else:
                row.state, row.data = state, data

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._change(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            row = await state_row(session, _key(key))
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._change(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            row = await state_row(session, _key(key))
            return dict(row.data) if row else {}

    async def close(self) -> None:
        """The engine belongs to the app, which disposes of it."""
