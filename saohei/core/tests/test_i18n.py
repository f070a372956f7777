"""The zh_Hans catalog is complete and compiled: no English leaks into the Chinese UI."""

import gettext
import re
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}")


def entries():
    return [e for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete]


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_translations_keep_their_placeholders():
    for e in entries():
        for msgstr in [e.msgstr, *e.msgstr_plural.values()]:
            if msgstr:
                assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(
                    PLACEHOLDER.findall(e.msgid)
                ), e.msgid


def test_compiled_catalog_matches_the_source():
    with open(LOCALE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in entries():
        if e.msgctxt and e.msgid_plural:
            got = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
            assert got == e.msgstr_plural[0], e.msgid
        elif e.msgctxt:  # "Name" of a person (姓名) is not "Name" of a thing (名称)
            assert compiled.pgettext(e.msgctxt, e.msgid) == e.msgstr, e.msgid
        elif e.msgid_plural:
            assert compiled.ngettext(e.msgid, e.msgid_plural, 1) == e.msgstr_plural[0], e.msgid
        else:
            assert compiled.gettext(e.msgid) == e.msgstr, f"run `make messages`: {e.msgid}"
