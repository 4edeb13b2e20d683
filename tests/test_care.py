"""Care ledgers in chat: a leader adds a household step by step and edits it; only the
area's staff see it, everyone else is answered as if it did not exist; every access is in
the log, which admins read in chat; notes and phones are stored encrypted."""

import pytest
from sqlalchemy import select, text

from bot.app import App
from bot.commands import personal_commands
from models.care.tables import AccessEntry, ColourChange
from models.members import Role
from playground import FakeTelegram
from tests.care_helpers import add_household, add_other_area, data_key, household_at
from tests.helpers import World, build_world

__all__ = ["data_key"]


@pytest.fixture
async def world(telegram: FakeTelegram, structure: App) -> World:
    return await build_world(telegram, structure)


async def access_actions(app: App, household_id: int) -> list[tuple[int | None, str]]:
    async with app.sessionmaker() as session:
        entries = await session.scalars(
            select(AccessEntry)
            .where(AccessEntry.household_id == household_id)
            .order_by(AccessEntry.id)
        )
        return [(e.user_id, e.action) for e in entries]


async def test_leader_adds_a_household_step_by_step_and_edits_it(world: World) -> None:
    tg, leader = world.telegram, world.leader
    await leader.send("/care")
    listing = tg.last_message(leader.id)
    assert "还没有台账住户" in listing.text
    await leader.press(listing, "新增住户")
    picker = tg.last_message(leader.id)
    assert picker.button_texts == ["嘉木花园 1号楼", "嘉木花园 2号楼"]
    await leader.press(picker, "2号楼")
    assert "门牌号" in tg.last_message(leader.id).text
    await leader.send("=1+1")
    assert "门牌号请控制" in tg.last_message(leader.id).text  # a formula is no room number
    await leader.send("302")
    colours = tg.last_message(leader.id)
    await leader.press(colours, "红色")
    await leader.send("独居老人，腿脚不便")
    await leader.send("王奶奶")
    await leader.send("138 0000 1111 转 2")
    assert "只能包含数字" in tg.last_message(leader.id).text  # asked again, nothing lost
    await leader.send("13800001111")
    shown = tg.last_message(leader.id)
    assert "2号楼 302" in shown.text and "王奶奶" in shown.text and "13800001111" in shown.text
    assert "🔴 红色" in shown.text and "独居老人，腿脚不便" in shown.text

    await leader.press(shown, "加备注")
    await leader.send("女儿每周六来看望")
    await leader.press(tg.last_message(leader.id), "标签")
    await leader.send("独居，残疾、独居")
    await leader.press(tg.last_message(leader.id), "改颜色")
    await leader.press(tg.last_message(leader.id), "蓝色")
    assert "改为 🔵 蓝色 的原因" in tg.last_message(leader.id).text
    await leader.send("困难已解决，转为常规关爱")
    final = tg.last_message(leader.id)
    assert "🔵 蓝色" in final.text and "女儿每周六来看望" in final.text
    assert "标签：独居、残疾" in final.text
    assert "困难已解决" in final.text and "独居老人，腿脚不便" in final.text  # colour history

    household = await household_at(world.app, "302")
    async with world.app.sessionmaker() as session:
        changes = (
            await session.scalars(
                select(ColourChange.colour)
                .where(ColourChange.household_id == household.id)
                .order_by(ColourChange.id)
            )
        ).all()
        assert [c.value for c in changes] == ["red", "blue"]
        note = await session.scalar(text("SELECT body_secret FROM care_notes"))
        phone = await session.scalar(text("SELECT phone_secret FROM care_households"))
    assert note.startswith("gAAAA") and "看望" not in note  # Fernet ciphertext
    assert phone.startswith("gAAAA") and "1380000" not in phone
    actions = [action for _user, action in await access_actions(world.app, household.id)]
    assert actions[0] == "create"
    assert {"read", "note", "tags", "colour"} <= set(actions)


async def test_nobody_outside_the_area_learns_a_household_exists(world: World) -> None:
    tg = world.telegram
    household_id = await add_household(world.app)
    other = await add_other_area(world.app, tg)
    carol = tg.user(5003, "Carol")  # a volunteer of 嘉木花园
    await carol.send("/help")
    async with world.app.sessionmaker() as session:
        from models.members import Role, grant_role, touch_user
        from models.structure import MicroGrid

        micro_grid = await session.scalar(select(MicroGrid).where(MicroGrid.name == "嘉木花园"))
        assert micro_grid is not None
        user = await touch_user(session, carol.id, "Carol", None, "zh", True)
        await grant_role(
            session,
            user,
            Role.VOLUNTEER,
            micro_grid.community_id,
            grid_id=micro_grid.grid_id,
            micro_grid_id=micro_grid.id,
        )
        await session.commit()

    for person in (other, carol, world.alice):
        await person.send("/care")
        listing = tg.last_message(person.id)
        assert "302" not in listing.text and not any("302" in b for b in listing.button_texts)
        some_message = tg.last_message(person.id)
        answers = []
        for forged in (
            f"ca:open:{household_id}:",
            "ca:open:99999:",
            f"ca:colour:{household_id}:",
            f"ca:setcolour:{household_id}:red",
        ):
            query = await person.press(some_message, data=forged)
            answers.append(tg.answer_to(query)["text"])
        # The same answer whether the household exists or not.
        assert len(set(answers)) == 1 and "没有找到这户" in answers[0]
        await person.send("/visits")
        assert "302" not in tg.last_message(person.id).text
    assert "只对社区工作人员开放" in tg.last_message(world.alice.id).text

    # The worker of the grid and the admin see it; each look is logged.
    for staff in (world.worker, world.admin):
        await staff.send("/help")
        await staff.send("/care")
        listing = tg.last_message(staff.id)
        assert any("2号楼 302" in b for b in listing.button_texts)
        await staff.press(listing, "2号楼 302")
        assert "13800001111" in tg.last_message(staff.id).text
    log = await access_actions(world.app, household_id)
    assert [a for _u, a in log].count("refused") == 3 * 3  # three strangers, three real ids
    assert [a for _u, a in log].count("read") == 2


async def test_forged_and_stale_ledger_buttons(world: World) -> None:
    tg, leader = world.telegram, world.leader
    household_id = await add_household(world.app)
    await leader.send("/care")
    listing = tg.last_message(leader.id)
    for forged in (
        "ca:explode:1:",
        f"ca:outcome:{household_id}:party",
        "ca:newcolour:0:red",
        "ca:building:99999:",
        "ca:" + "9" * 60,
    ):
        query = await leader.press(listing, data=forged)
        assert tg.answer_to(query)["text"], forged
    query = await leader.press(listing, data=f"ca:setcolour:{household_id}:purple")
    assert "颜色只能是" in tg.answer_to(query)["text"]
    await leader.send("/help")  # the bot is still answering
    assert "/care" in tg.last_message(leader.id).text


async def test_admin_reads_the_access_log_in_chat(world: World) -> None:
    tg = world.telegram
    household_id = await add_household(world.app)
    await world.leader.send("/care")
    await world.leader.press(tg.last_message(world.leader.id), "2号楼 302")
    await world.admin.send("/help")
    await world.admin.send("/audit")
    log = tg.last_message(world.admin.id).text
    assert "台账访问记录" in log and f"#{household_id}" in log
    assert "网格长甲 read" in log and "网格长甲 create" in log
    await world.leader.send("/audit")
    assert "只有社区管理员" in tg.last_message(world.leader.id).text
    async with world.app.sessionmaker() as session:
        audits = await session.scalar(
            select(AccessEntry.action).where(AccessEntry.action == "audit")
        )
    assert audits == "audit"  # reading the log is logged too


async def test_help_and_menus_show_the_ledgers_to_staff_only(world: World) -> None:
    tg = world.telegram
    await world.leader.send("/help")
    assert "/care" in tg.last_message(world.leader.id).text
    await world.alice.send("/help")
    assert "/care" not in tg.last_message(world.alice.id).text
    assert {"care", "visits"} <= set(personal_commands([Role.LEADER]))
    assert "audit" not in personal_commands([Role.LEADER, Role.GRID_WORKER])
    assert "audit" in personal_commands([Role.ADMIN])
    assert "care" not in personal_commands([Role.VOLUNTEER])


@pytest.fixture
def no_key(data_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRIDBOT_DATA_KEY")


async def test_without_a_data_key_notes_and_phones_are_not_stored(
    no_key: None, caplog: pytest.LogCaptureFixture, world: World
) -> None:
    tg, leader = world.telegram, world.leader
    warnings = [
        r for r in caplog.get_records("setup") if "GRIDBOT_DATA_KEY is not set" in r.getMessage()
    ]
    assert len(warnings) == 1  # said once, at start-up
    household_id = await add_household(world.app, phone=None)
    await leader.send("/care")
    await leader.press(tg.last_message(leader.id), "2号楼 302")
    await leader.press(tg.last_message(leader.id), "加备注")
    await leader.send("女儿每周六来看望")
    assert "还没有配置数据加密密钥" in tg.last_message(leader.id).text
    await leader.send("/care")
    await leader.press(tg.last_message(leader.id), "2号楼 302")
    await leader.press(tg.last_message(leader.id), "电话")
    await leader.send("13800001111")
    assert "还没有配置数据加密密钥" in tg.last_message(leader.id).text
    async with world.app.sessionmaker() as session:
        assert await session.scalar(text("SELECT count(*) FROM care_notes")) == 0
        assert (
            await session.scalar(
                text(
                    f"SELECT count(*) FROM care_households WHERE id = {household_id} "
                    "AND phone_secret IS NULL"
                )
            )
            == 1
        )


async def test_over_long_and_odd_text_is_asked_again_without_losing_anything(
    world: World,
) -> None:
    tg, leader = world.telegram, world.leader
    await add_household(world.app)
    await leader.send("/care")
    await leader.press(tg.last_message(leader.id), "2号楼 302")
    await leader.press(tg.last_message(leader.id), "加备注")
    await leader.send("很" * 1001)
    assert "不超过 1000 个字" in tg.last_message(leader.id).text
    await leader.send("=cmd|' /C calc'!A0")
    assert "不要以“=”开头" in tg.last_message(leader.id).text
    await leader.send("女儿每周六来看望")  # still asked for the note: it is saved now
    assert "女儿每周六来看望" in tg.last_message(leader.id).text
    await leader.press(tg.last_message(leader.id), "标签")
    await leader.send(", ".join(f"标签{n}" for n in range(11)))
    assert "最多 10 个" in tg.last_message(leader.id).text
    await leader.send("独居")
    assert "标签：独居" in tg.last_message(leader.id).text
