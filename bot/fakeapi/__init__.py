"""A fake Telegram Bot API server over real HTTP, for tests and a local playground.

The bot talks to it through `TELEGRAM_API_URL` exactly as it talks to Telegram. A test acts as
people (`FakeTelegram.user`, `.group`) and reads back what the bot sent.
"""

from bot.fakeapi.server import BotMessage, FakeChat, FakeTelegram, FakeUser, TelegramFault

__all__ = ["BotMessage", "FakeChat", "FakeTelegram", "FakeUser", "TelegramFault"]
