"""A crowd of residents acting at once through the fake Bot API: they register from their
group's join link and report in their groups, as people do after a notice in the building.
Used by the load test and by `bench.answers`; every step returns how long its answer took."""

import time
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Translator
from playground.fakeapi import BotMessage, FakeChat, FakeTelegram, FakeUser

BUILDING = "2号楼"


def crowd_structure(groups: int, *, first_chat: int, first_leader: int) -> str:
    """A community of `groups` micro-grids, each with its residents' group and leaders' chat."""
    lines = ["community: 负载社区", f"admins: [{first_leader - 1}]", "grids:",
             "  - name: 一网格", "    micro_grids:"]  # fmt: skip
    for n in range(groups):
        lines += [
            f"      - name: 小区{n + 1}",
            f"        chat: {first_chat - 2 * n}",
            f"        leaders_chat: {first_chat - 2 * n - 1}",
            f"        leaders: [{first_leader + n}]",
            f'        buildings: ["1号楼", "{BUILDING}"]',
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Resident:
    """One person of the crowd, with the time each answer took them to see."""

    telegram: FakeTelegram
    t: Translator  # the bot's catalog in the person's language, to find buttons by label
    user: FakeUser
    timeout: float
    waits: list[tuple[str, float]] = field(default_factory=list)

    async def _answer(self, step: str, started: float, predicate: Any) -> Any:
        found = await self.telegram.wait_for(predicate, self.timeout, f"{step} for {self.user.id}")
        self.waits.append((step, time.monotonic() - started))
        return found

    def _new_message_with(self, after: int, button: str) -> Any:
        def found() -> BotMessage | None:
            return next((m for m in self.telegram.messages_in(self.user.id)[after:]
                         if button in m.button_texts), None)  # fmt: skip

        return found

    async def register(self, micro_grid_id: int, room: str) -> None:
        telegram, t, me = self.telegram, self.t, self.user
        seen = len(telegram.messages_in(me.id))
        started = time.monotonic()
        await me.send(f"/start join-{micro_grid_id}", wait=False)
        buildings = await self._answer("start", started, self._new_message_with(seen, BUILDING))
        started = time.monotonic()
        await me.press(buildings, BUILDING, wait=False)
        await self._answer("pick building", started,
                           lambda: t("reg-skip-room") in buildings.button_texts)  # fmt: skip
        seen = len(telegram.messages_in(me.id))
        started = time.monotonic()
        await me.send(room, wait=False)
        asks = self._new_message_with(seen, t("reg-confirm"))
        confirm = await self._answer("room", started, asks)
        started = time.monotonic()
        await me.press(confirm, t("reg-confirm"), wait=False)
        await self._answer("confirm", started, lambda: t("reg-done") in confirm.text)

    async def report(self, group: FakeChat, text: str) -> str:
        """Report in the group; returns where the answer came: "group" (a reply to the
        report) or "private" (the receipt, or the question whether an open report is the
        same thing, sent privately because the group was busy)."""
        seen = len(self.telegram.messages_in(self.user.id))
        started = time.monotonic()
        post = await self.user.send(f"/report {text}", group, wait=False)

        def answered() -> str | None:
            if any(m.reply_to == post["message_id"] for m in self.telegram.messages_in(group.id)):
                return "group"
            for message in self.telegram.messages_in(self.user.id)[seen:]:
                if message.text.startswith("✅") or self.t("btn-dup-same") in message.button_texts:
                    return "private"
            return None

        return str(await self._answer("report", started, answered))
