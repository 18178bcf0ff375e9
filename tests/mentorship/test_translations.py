"""The Spanish catalogues: every entry translated, none fuzzy, and none missing from them.

Each app keeps its catalogue in ``<app>/locale/es``; the project's own templates use
``locale/es`` at the root (``bin/make-messages`` refreshes them all).
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "matching", "sessions", "evaluation"]
CATALOGUES = [ROOT / app / "locale/es/LC_MESSAGES/django.po" for app in APPS] + [
    ROOT / "locale/es/LC_MESSAGES/django.po"
]


def entries(path: Path) -> list[dict]:
    """The catalogue's entries: msgctxt, msgid, msgid_plural, the msgstr values and flags."""
    found, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                found.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            word, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", word)
            key = ("msgstr", int(match.group(1))) if match else word
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] = ast.literal_eval(rest)
            elif key == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = ast.literal_eval(rest)
            else:
                entry[key] = ast.literal_eval(rest)
    return [e for e in found if e["msgid"]]  # the header has an empty msgid


def keys(path: Path) -> set[tuple]:
    return {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries(path)}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_spanish_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert catalogue.exists()
    untranslated = [e["msgid"] for e in entries(catalogue) if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries(catalogue) if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_plural_entry_has_each_plural_form(catalogue):
    missing = [
        e["msgid"] for e in entries(catalogue) if "msgid_plural" in e and len(e["msgstr"]) < 3
    ]
    assert missing == []


@pytest.mark.parametrize("app", APPS + [""], ids=lambda app: app or "project")
def test_the_catalogue_holds_every_text_marked_in_the_code(app, tmp_path):
    """makemessages run on a copy finds no text the catalogue lacks."""
    source = ROOT / app if app else ROOT
    copy = tmp_path / (app or "project")
    if app:
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        command = ["makemessages", "-l", "es", "--no-obsolete"]
    else:
        copy.mkdir()
        for part in ("templates", "mentorship", "locale"):
            shutil.copytree(
                source / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        command = ["makemessages", "-l", "es", "--no-obsolete"]
    env = {**os.environ, "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    subprocess.run(  # noqa: S603 - the project's own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *command, "-v0"],
        cwd=copy,
        env=env,
        check=True,
    )
    relative = Path("locale/es/LC_MESSAGES/django.po")
    missing = keys(copy / relative) - keys(source / relative)
    assert missing == set(), f"run bin/make-messages and translate: {sorted(missing)[:10]}"
