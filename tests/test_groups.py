"""Groups: binding a chat to a micro-grid, /help by role and place, command menus."""

from sqlalchemy import select

from bot.app import App
from models.structure import Chat, MicroGrid
from playground import FakeTelegram

NEW_GROUP = -1009999


async def micro_grid_chat(app: App) -> int | None:
    async with app.sessionmaker() as session:
        micro = await session.scalar(select(MicroGrid).where(MicroGrid.name == "嘉木花园"))
        return micro.chat_id if micro else None


async def test_admin_binds_group_and_is_warned_about_privacy_mode(
    telegram: FakeTelegram, structure: App
) -> None:
    group = telegram.group(NEW_GROUP, "新居民群")
    admin = telegram.user(1001, "书记")
    await admin.send("/bind 嘉木花园", chat=group)
    reply = telegram.last_message(NEW_GROUP)
    assert "已绑定到「南华社区 · 嘉木花园」" in reply.text
    assert "/setprivacy" in reply.text and "@gridbot_test_bot" in reply.text
    assert await micro_grid_chat(structure) == NEW_GROUP
    async with structure.sessionmaker() as session:
        chat = await session.get(Chat, NEW_GROUP)
        assert chat is not None and chat.can_read_all is False


async def test_no_privacy_warning_when_bot_is_group_admin(
    telegram: FakeTelegram, structure: App
) -> None:
    group = telegram.group(NEW_GROUP, "新居民群", bot_admin=True)
    await telegram.user(1001, "书记").send("/bind 嘉木花园", chat=group)
    reply = telegram.last_message(NEW_GROUP)
    assert "已绑定" in reply.text and "/setprivacy" not in reply.text


async def test_bind_refusals(telegram: FakeTelegram, structure: App) -> None:
    group = telegram.group(NEW_GROUP, "新居民群")
    leader = telegram.user(3001, "网格长")
    await leader.send("/bind 嘉木花园", chat=group)
    assert "只有该社区的管理员" in telegram.last_message(NEW_GROUP).text
    admin = telegram.user(1001, "书记")
    await admin.send("/bind 不存在的苑", chat=group)
    assert "没有找到名为「不存在的苑」" in telegram.last_message(NEW_GROUP).text
    await admin.send("/bind", chat=group)
    assert "用法" in telegram.last_message(NEW_GROUP).text
    assert await micro_grid_chat(structure) == -1001000000003  # unchanged


async def test_bind_in_private_is_not_a_group_command(
    telegram: FakeTelegram, structure: App
) -> None:
    admin = telegram.user(1001, "书记")
    await admin.send("/bind 嘉木花园")
    assert "/help" in telegram.last_message(admin.id).text


async def test_help_depends_on_role_and_place(telegram: FakeTelegram, structure: App) -> None:
    resident = telegram.user(7001, "居民")
    await resident.send("/help")
    text = telegram.last_message(resident.id).text
    assert "/start" in text and "还没有登记" in text and "/bind" not in text
    assert "/web" not in text  # the workbench is for staff

    admin = telegram.user(1001, "书记")
    await admin.send("/help")
    text = telegram.last_message(admin.id).text
    assert "/bind" in text and "还没有登记" not in text
    assert "/web" in text

    leader = telegram.user(3001, "网格长", language_code="en")
    group = telegram.group(-1001000000004, "网格长群")
    await leader.send("/help", chat=group)
    text = telegram.last_message(group.id).text
    assert "group commands" in text and "Micro-grid leaders" in text


async def test_language_switch(telegram: FakeTelegram, structure: App) -> None:
    lee = telegram.user(7002, "Lee")
    await lee.send("/language")
    query_id = await lee.press(telegram.last_message(lee.id), "English")
    assert telegram.answer_to(query_id)["text"] == "Language set to English."
    await lee.send("/help")
    assert "Residents" in telegram.last_message(lee.id).text


async def test_command_menus_per_scope_and_language(telegram: FakeTelegram, app: App) -> None:
    private_zh = telegram.commands[("all_private_chats", "zh")]
    assert {c["command"] for c in private_zh} >= {"start", "help", "language"}
    assert next(c for c in private_zh if c["command"] == "help")["description"] == "使用帮助"
    private_en = telegram.commands[("all_private_chats", "en")]
    assert next(c for c in private_en if c["command"] == "help")["description"] == "Help"
    admins = telegram.commands[("all_chat_administrators", "zh")]
    assert "bind" in {c["command"] for c in admins}
    assert "bind" not in {c["command"] for c in telegram.commands[("all_group_chats", "zh")]}
    assert ("all_private_chats", "") in telegram.commands  # users of other languages
