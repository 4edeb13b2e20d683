"""Message catalogs (Fluent `.ftl` files under `bot/locales/<lang>/`).

Every user-facing text is looked up here by message id; handlers never hold literals. Each
feature keeps its messages in a file of its own; a message id is unique across all of them.
"""

import functools
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fluent.runtime import FluentLocalization, FluentResourceLoader

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("zh", "en")
# One file per feature; every language has the same files.
RESOURCES = sorted(path.name for path in (LOCALES_DIR / "zh").glob("*.ftl"))


def language_for(language_code: str | None, default: str) -> str:
    """Map a Telegram `language_code` (e.g. `en-GB`, `zh-hans`) to a catalog language."""
    if not language_code:
        return default
    prefix = language_code.split("-")[0].lower()
    return prefix if prefix in LANGUAGES else default


class Markup(str):
    """Catalog argument that is already HTML (a mention link) and must not be escaped."""


class Translator:
    """Formats catalog messages for one language, falling back to the other one."""

    def __init__(self, language: str, localization: FluentLocalization) -> None:
        self.language = language
        self._localization = localization
        # Fluent takes tens of microseconds for a message, and an update asks for a dozen,
        # most of them asked before (button labels, status lines): each is formatted once.
        self._formatted = functools.lru_cache(maxsize=4096)(self._format)

    def __call__(self, message_id: str, **args: Any) -> str:
        key = (message_id, *((k, type(v), v) for k, v in args.items()))
        try:
            hash(key)
        except TypeError:  # an argument that cannot be part of a key (a list)
            return self._format(key)
        return self._formatted(key)

    def _format(self, key: tuple[Any, ...]) -> str:
        message_id, *items = key
        # Messages are sent as HTML: catalog text is markup, arguments are escaped text
        # (except `Markup`, which is HTML already).
        safe = {
            k: html.escape(v, quote=False) if isinstance(v, str) and kind is not Markup else v
            for k, kind, v in items
        }  # fmt: skip
        return self._localization.format_value(message_id, safe)


class Catalog:
    def __init__(self, default_language: str = "zh") -> None:
        loader = FluentResourceLoader(str(LOCALES_DIR / "{locale}"))
        self.default_language = default_language
        self._translators = {
            lang: Translator(
                lang,
                FluentLocalization(
                    [lang, *[other for other in LANGUAGES if other != lang]], RESOURCES, loader
                ),
            )
            for lang in LANGUAGES
        }

    def translator(self, language: str | None) -> Translator:
        return self._translators.get(language or "", self._translators[self.default_language])

    def message_ids(self, language: str) -> set[str]:
        """All message ids defined in one language's catalog (used to check completeness)."""
        return set(self.message_definitions(language))

    def message_definitions(self, language: str) -> list[str]:
        """Every message id as defined, file by file: an id twice means two files clash."""
        from fluent.syntax import FluentParser
        from fluent.syntax.ast import Message

        ids: list[str] = []
        for resource in RESOURCES:
            text = (LOCALES_DIR / language / resource).read_text(encoding="utf-8")
            ids += [
                entry.id.name
                for entry in FluentParser().parse(text).body
                if isinstance(entry, Message)
            ]
        return ids

    def render(self, language: str | None, message_id: str, args: Mapping[str, Any]) -> str:
        return self.translator(language)(message_id, **args)
