"""The English translation is complete: every message of the interface has an English text
that is not a guess (no fuzzy entry), keeps the placeholders, and the compiled catalogue the
server loads says the same as the .po file. Then pages in English through the language cookie."""

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


@dataclass
class Entry:
    line: int
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> str:
        """The key gettext uses in a compiled catalogue."""
        return f"{self.context}\x04{self.msgid}" if self.context is not None else self.msgid


def unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted string: {text}"
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """The live entries of a .po file (obsolete `#~` ones left out), header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            entry, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#"):
            flags = [flag.strip() for flag in line[2:].split(",")]
            entry.fuzzy |= line.startswith("#,") and "fuzzy" in flags
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            target = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else keyword
            value = unquote(value)
        else:
            value = unquote(line)
            if target is None:
                raise AssertionError(f"line {number}: a string outside any keyword")
        if target == "msgctxt":
            entry.context = (entry.context if not match else "") + value
        elif target == "msgid":
            entry.msgid = (entry.msgid if not match else "") + value
        elif target == "msgid_plural":
            entry.plural = (entry.plural if not match else "") + value
        else:
            index = target[1]
            entry.msgstrs[index] = (entry.msgstrs.get(index, "") if not match else "") + value
    return entries


def messages() -> list[Entry]:
    entries = parse_po((LC_MESSAGES / "django.po").read_text(encoding="utf-8"))
    return [e for e in entries if e.msgid]  # the header has an empty msgid


def test_the_parser_sees_empty_fuzzy_multiline_and_plural_entries():
    # Given a small .po with the shapes the real one has
    text = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\nmsgid "Hồ sơ"\nmsgstr "Dossier"\n\n'
        '#: a.py:2\nmsgid ""\n"Dài "\n"hơn"\nmsgstr ""\n\n'
        '#: a.py:3\n#, fuzzy, python-format\nmsgid "Trang %(n)s"\nmsgstr "Page %(n)s"\n\n'
        'msgid "%(n)s hồ sơ"\nmsgid_plural "%(n)s hồ sơ"\nmsgstr[0] "%(n)s dossier"\n'
        'msgstr[1] ""\n\n'
        '#~ msgid "Cũ"\n#~ msgstr ""\n'
    )
    # When it is parsed
    entries = [e for e in parse_po(text) if e.msgid]
    # Then each entry is read as gettext would, obsolete ones left out
    assert [(e.msgid, e.msgstrs, e.fuzzy) for e in entries] == [
        ("Hồ sơ", {0: "Dossier"}, False),
        ("Dài hơn", {0: ""}, False),
        ("Trang %(n)s", {0: "Page %(n)s"}, True),
        ("%(n)s hồ sơ", {0: "%(n)s dossier", 1: ""}, False),
    ]
    assert entries[3].plural == "%(n)s hồ sơ"


def test_every_message_has_an_english_text():
    entries = messages()
    assert len(entries) > 700  # the whole interface, not an empty or truncated file

    untranslated = [f"line {e.line}: {e.msgid!r}" for e in entries if not all(e.msgstrs.values())]
    assert untranslated == []


def test_no_translation_is_left_fuzzy():
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages() if e.fuzzy]
    assert fuzzy == []


def test_every_translation_keeps_the_placeholders_and_markup():
    def marks(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    wrong = []
    for e in messages():
        for index, msgstr in e.msgstrs.items():
            source = e.msgid if index == 0 or e.plural is None else e.plural
            if marks(msgstr) != marks(source):
                wrong.append(f"line {e.line}: {e.msgid!r} -> {msgstr!r}")
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LC_MESSAGES / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog

    stale = []
    for e in messages():
        for index, msgstr in e.msgstrs.items():
            key = (e.key, index) if e.plural is not None else e.key
            if catalogue.get(key) != msgstr:
                stale.append(f"line {e.line}: {e.msgid!r}")
    assert stale == [], "django.mo is out of date: run `opendvc compilemessages -l en`"


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_tracking_page_reads_in_english_with_the_language_cookie(english):
    # Given a visitor who chose English
    # When they open the public tracking page
    response = english.get("/tra-cuu-ho-so/")

    # Then the page and its form read in English, with the glossary's words
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Track a dossier" in page
    assert "Dossier code" in page
    assert "Secret tracking code" in page
    assert "Tra cứu hồ sơ" not in page


@pytest.mark.django_db
def test_the_api_token_page_reads_in_english_then_in_vietnamese_without_the_cookie(
    english, citizen, settings
):
    # Given a signed-in citizen who chose English
    english.force_login(citizen)

    # When the citizen opens the API token page
    page = english.get("/tai-khoan/ma-truy-cap-api/").content.decode()

    # Then it is in English
    assert "API access tokens" in page
    assert "Create access token" in page
    assert "There are no access tokens yet." in page
    assert "Mã truy cập API" not in page

    # And without the cookie the same page is in Vietnamese again
    del english.cookies[settings.LANGUAGE_COOKIE_NAME]
    page = english.get("/tai-khoan/ma-truy-cap-api/").content.decode()
    assert "Mã truy cập API" in page
    assert "API access tokens" not in page
