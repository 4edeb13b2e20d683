"""What every scheduled job gets: the database, the catalog, and a way to wake the sender."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Catalog
from bot.notifier import Notifier
from models.schedule import Due
from models.structure import Community


@dataclass
class JobContext:
    sessionmaker: async_sessionmaker[AsyncSession]
    catalog: Catalog
    notifier: Notifier
    wake: Callable[[], None] | None = None
    owner: str = "gridbot"


@dataclass
class JobCall:
    """One run: which community, which period, and the clock it runs at."""

    community: Community
    due: Due
    now: datetime
