"""Gridbot without Telegram: a fake Bot API server over real HTTP (the tests' harness) and a
local playground in the browser built on it (`make demo`).

The bot talks to the fake server through `TELEGRAM_API_URL` exactly as it talks to Telegram.
A test acts as people (`FakeTelegram.user`, `.group`) and reads back what the bot sent.
"""

from playground.fakeapi import BotMessage, FakeChat, FakeTelegram, FakeUser, TelegramFault

__all__ = ["BotMessage", "FakeChat", "FakeTelegram", "FakeUser", "TelegramFault"]
