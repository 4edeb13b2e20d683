"""The people and chats of the demo community (playground/demo.yaml): who the page lets you
play, and which chats each of them sees."""

from dataclasses import dataclass

ADMIN_CHAT = -1009000000001
GRID_ONE_CHAT = -1009000000010
GRID_TWO_CHAT = -1009000000020
JIAMU_RESIDENTS = -1009000000011
JIAMU_LEADERS = -1009000000012
JINXIU_RESIDENTS = -1009000000013
JINXIU_LEADERS = -1009000000014
LIJING_RESIDENTS = -1009000000021
LIJING_LEADERS = -1009000000022
KANGLE_RESIDENTS = -1009000000023
KANGLE_LEADERS = -1009000000024

# Every group of the community: (kind of chat, the place it belongs to).
GROUPS: dict[int, tuple[str, str]] = {
    ADMIN_CHAT: ("admin", "南华社区"),
    GRID_ONE_CHAT: ("grid", "第一网格"),
    GRID_TWO_CHAT: ("grid", "第二网格"),
    JIAMU_RESIDENTS: ("residents", "嘉木花园"),
    JIAMU_LEADERS: ("leaders", "嘉木花园"),
    JINXIU_RESIDENTS: ("residents", "锦绣园"),
    JINXIU_LEADERS: ("leaders", "锦绣园"),
    LIJING_RESIDENTS: ("residents", "丽景苑"),
    LIJING_LEADERS: ("leaders", "丽景苑"),
    KANGLE_RESIDENTS: ("residents", "康乐里"),
    KANGLE_LEADERS: ("leaders", "康乐里"),
}


@dataclass(frozen=True)
class Persona:
    key: str  # names come from the catalog: playground-persona-<key>, playground-about-<key>
    id: int  # Telegram user id, as in demo.yaml
    role: str
    groups: tuple[int, ...]
    home: tuple[str, str] | None = None  # (building, room) of a resident


PERSONAS = (
    Persona("wang", 5001, "resident", (JIAMU_RESIDENTS,), ("2号楼", "302")),
    Persona("li", 5002, "resident", (JIAMU_RESIDENTS,), ("1号楼", "501")),
    Persona("zhao", 5003, "volunteer", (JIAMU_RESIDENTS,), ("1号楼", "101")),
    Persona("zhang", 3001, "leader", (JIAMU_LEADERS, JIAMU_RESIDENTS)),
    Persona("chen", 3002, "leader",
            (JIAMU_LEADERS, JINXIU_LEADERS, JIAMU_RESIDENTS, JINXIU_RESIDENTS)),
    Persona("liu", 2001, "worker", (GRID_ONE_CHAT,)),
    Persona("zhou", 4001, "merchant", ()),
    Persona("he", 1001, "admin", (ADMIN_CHAT, GRID_ONE_CHAT, GRID_TWO_CHAT)),
)  # fmt: skip

# Neighbours who appear only in the history: (Telegram id, building); and the leaders and
# the worker of the second grid, who have no page of their own (catalog key, Telegram id).
NEIGHBOURS = ((6001, "5号楼"), (6002, "8号楼"), (6003, "11号楼"))
OTHER_STAFF = (("sun", 3003), ("wu", 3004), ("zheng", 2002))
