"""Everything the desktop application remembers between sessions, typed, in one place.

All reads and writes of ``QSettings`` go through :class:`Settings`; no other
module names a settings key. The stored layout carries a version number and
:meth:`Settings.upgrade` moves older layouts forward (as Picard's config does),
so a key can be renamed without losing what users entered.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QStandardPaths

ORGANIZATION = "memdiff"
APPLICATION = "memdiff"

#: Version of the stored layout; bump it and add a step to ``upgrade`` when keys change.
LAYOUT_VERSION = 3

#: How many recently used files each side's menu lists.
RECENT_LIMIT = 10

THEMES = ("system", "light", "dark")

PAGE_SIZES = ("letter", "a4")


def _installation_folders() -> list[Path]:
    """Folders that belong to the installed program: read-only, or wiped when it is updated or quits."""
    from memdiff.resources import path as resource_path

    folders = [resource_path().resolve(), Path(__file__).resolve().parents[1]]
    frozen = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle unpacks itself here
    if frozen:
        folders.append(Path(frozen).resolve())
    return folders


def usable_folder(folder: str | os.PathLike[str] | None) -> str | None:
    """``folder`` when the user's files may be saved there; None for the program's own or a read-only folder.

    The demo opens the sample files bundled with memdiff; their folder must never be offered for
    reports and cases (in an installed or frozen copy it is read-only or temporary).
    """
    if not folder:
        return None
    try:
        resolved = Path(folder).expanduser().resolve()
    except (OSError, RuntimeError):
        return None
    if not resolved.is_dir() or not os.access(resolved, os.W_OK):
        return None
    for own in _installation_folders():
        if resolved == own or own in resolved.parents:
            return None
    return str(resolved)


def documents_folder() -> str:
    """The user's Documents folder (the home folder where there is none)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return usable_folder(documents) or usable_folder(Path.home()) or str(Path.home())


class Settings:
    """Typed access to the application's stored settings (INI format in the user's config folder)."""

    def __init__(self, store: QSettings | None = None) -> None:
        if store is None:
            organization = QCoreApplication.organizationName() or ORGANIZATION
            application = QCoreApplication.applicationName() or APPLICATION
            store = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, organization, application)
        self._store = store
        self.upgrade()

    @property
    def file_name(self) -> str:
        return self._store.fileName()

    def sync(self) -> None:
        self._store.sync()

    # ---- versioned layout

    def upgrade(self) -> None:
        version = self._int("layout_version", 0)
        if version < 2 and self._store.contains("report/front_matter"):
            # Layout 1 kept the last report's whole caption and the model output's provenance,
            # and offered them for the next, unrelated case. Layout 2 keeps them in the case;
            # only the examiner's own name and the paper size stay as preferences.
            old = self._json("report/front_matter", {})
            if isinstance(old, dict):
                if isinstance(old.get("examiner"), str) and old["examiner"].strip():
                    self.examiner = old["examiner"]
                if old.get("page_size") in PAGE_SIZES:
                    self.page_size = old["page_size"]
        if version < 2:
            self._store.remove("report/front_matter")
            self._store.remove("report/provenance")
        if version < 3:
            # Layout 2 kept the last matching settings and started every window with them; they belong
            # to the case (its file), and a new case starts from the defaults.
            self._store.remove("analysis/parameters")
        if version < LAYOUT_VERSION:
            self._store.setValue("layout_version", LAYOUT_VERSION)

    # ---- raw typed reads (QSettings returns strings from INI files)

    def _int(self, key: str, default: int) -> int:
        value = self._store.value(key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            return default

    def _str(self, key: str, default: str = "") -> str:
        value = self._store.value(key, default)
        return value if isinstance(value, str) else default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _json(self, key: str, default: Any) -> Any:
        raw = self._str(key)
        if not raw:
            return default
        try:
            return json.loads(raw)
        except ValueError:
            return default

    def _set_json(self, key: str, value: Any) -> None:
        self._store.setValue(key, json.dumps(value, sort_keys=True, ensure_ascii=False))

    # ---- window layout

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/splitter_{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._store.setValue(f"window/splitter_{name}", value)

    @property
    def theme(self) -> str:
        value = self._str("appearance/theme", "system")
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        if value not in THEMES:
            raise ValueError(f"unknown theme {value!r}")
        self._store.setValue("appearance/theme", value)

    # ---- files

    def recent_files(self, side: str) -> list[str]:
        value = self._json(f"recent/{side}", [])
        return [p for p in value if isinstance(p, str)][:RECENT_LIMIT] if isinstance(value, list) else []

    def add_recent_file(self, side: str, path: str) -> None:
        entries = [path] + [p for p in self.recent_files(side) if p != path]
        self._set_json(f"recent/{side}", entries[:RECENT_LIMIT])

    def clear_recent_files(self) -> None:
        for side in ("original", "output"):
            self._store.remove(f"recent/{side}")

    @property
    def last_folder(self) -> str:
        """The folder of the last file opened, if files may be saved there; else the user's Documents."""
        return usable_folder(self._str("files/last_folder")) or documents_folder()

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        # The bundled samples' folder (or any folder one cannot write to) is never remembered.
        if usable_folder(value):
            self._store.setValue("files/last_folder", value)

    # ---- the report: only the user's own preferences. A case's caption and the model output's
    # provenance belong to the case (its .memdiff file), never to the next case.

    @property
    def examiner(self) -> str:
        """The name and role the user gave as examiner last time (the user's own, the same in every case)."""
        return self._str("report/examiner")

    @examiner.setter
    def examiner(self, value: str) -> None:
        self._store.setValue("report/examiner", value)

    @property
    def page_size(self) -> str:
        value = self._str("report/page_size", "letter")
        return value if value in PAGE_SIZES else "letter"

    @page_size.setter
    def page_size(self, value: str) -> None:
        if value in PAGE_SIZES:
            self._store.setValue("report/page_size", value)

    @property
    def report_folder(self) -> str:
        """Where the last report went, if still usable; else the last folder (see ``last_folder``)."""
        return usable_folder(self._str("report/folder")) or self.last_folder

    @report_folder.setter
    def report_folder(self, value: str) -> None:
        self._store.setValue("report/folder", value)

