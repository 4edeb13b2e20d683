"""The staff workbench (工作台): server-rendered pages for community staff in a browser.

Mounted under /workbench on the bot's own web server. Each page is one module in
`web/pages/` (its routes and its navigation entry) plus one template in `web/templates/`;
modules there are found at start-up, so adding a page needs nothing else. Pages call the
same domain functions as the chat handlers; what they change is committed here with its
notices, so chats see it at once.
"""

import importlib
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp_jinja2
import jinja2
from aiohttp import web

from web import context
from web.context import APP_KEY, NAV_KEY, NavEntry
from web.figures import FIGURES_KEY

if TYPE_CHECKING:
    from bot.app import App

HERE = Path(__file__).parent


def _page_modules() -> list[object]:
    from web import pages

    return [importlib.import_module(f"web.pages.{info.name}")
            for info in pkgutil.iter_modules(pages.__path__)]  # fmt: skip


def workbench_app(gridbot: "App") -> web.Application:
    app = web.Application(middlewares=[context.middleware])
    app[APP_KEY] = gridbot
    app[FIGURES_KEY] = {}
    nav: list[NavEntry] = []
    for module in _page_modules():
        app.router.add_routes(module.routes)  # type: ignore[attr-defined]
        entry = getattr(module, "NAV", None)
        if entry is not None:
            nav.append(entry)
    app[NAV_KEY] = sorted(nav, key=lambda entry: entry.order)
    app.router.add_static("/static", HERE / "static", name="static")
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        context_processors=[context.template_context],
    )
    return app
