"""Message catalogs: both languages complete, every id the code uses defined."""

import re
from pathlib import Path

from bot.i18n import LANGUAGES, LOCALES_DIR, Catalog

ROOT = Path(__file__).parent.parent
USED = re.compile(
    r"""\bt\(\s*f?["']([a-z0-9-]+)["']"""
    r"""|\b(?:NotFound|NotAllowed|InvalidInput|InvalidState)\(\s*["']([a-z0-9-]+)["']"""
    r"""|message_id = ["']([a-z0-9-]+)["']"""
)


def test_languages_define_the_same_messages() -> None:
    catalog = Catalog()
    assert catalog.message_ids("zh") == catalog.message_ids("en")


def test_every_language_has_the_same_files_and_each_id_once() -> None:
    files = {language: sorted(p.name for p in (LOCALES_DIR / language).glob("*.ftl"))
             for language in LANGUAGES}  # fmt: skip
    assert all(names == files["zh"] for names in files.values())
    for language in LANGUAGES:
        ids = Catalog().message_definitions(language)
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], language


def test_every_message_id_in_code_exists() -> None:
    defined = Catalog().message_ids("zh")
    used: set[str] = set()
    for folder in ("bot", "handlers", "models", "scheduler", "web", "playground"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for match in USED.finditer(path.read_text(encoding="utf-8")):
                used.add(next(group for group in match.groups() if group))
    missing = {key for key in used if key not in defined and not key.endswith("-")}
    assert not missing
    assert len(used) > 20


def test_arguments_are_escaped_for_html() -> None:
    t = Catalog().translator("zh")
    assert "&lt;b&gt;" in t("bind-not-found", name="<b>")
