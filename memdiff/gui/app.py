"""Starting the desktop application: ``memdiff gui``, ``memdiff demo`` and the ``memdiff-gui`` launcher."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from memdiff import __version__

log = logging.getLogger(__name__)


def _application():  # noqa: ANN202 - returns QApplication; Qt is imported only here
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from memdiff.gui.icons import app_icon
    from memdiff.gui.settings import APPLICATION, ORGANIZATION

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName("org.memdiff.memdiff")
    app.setWindowIcon(app_icon())
    _install_translations(app)
    return app


def _install_translations(app) -> None:  # noqa: ANN001
    """Translations for the user's language: memdiff's own (resources/translations) and Qt's dialogs."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from memdiff.resources import path as resource_path

    locale = QLocale()
    for name, folder in (
        ("memdiff", str(resource_path("translations"))),
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)


def create_window(original: str | None = None, suspect: str | None = None, *, case: str | None = None):  # noqa: ANN201
    """The main window, themed, with the given files or case loading in the background."""
    from PySide6.QtWidgets import QApplication

    from memdiff.gui.main_window import MainWindow
    from memdiff.gui.settings import Settings
    from memdiff.gui.theme import apply_theme

    app = QApplication.instance()
    settings = Settings()
    if isinstance(app, QApplication):
        apply_theme(app, settings.theme)
    window = MainWindow(settings)
    if case:
        window.open_case(case)
    else:
        if original:
            window.load_file("original", original)
        if suspect:
            window.load_file("suspect", suspect)
    return window


def run(original: str | None = None, suspect: str | None = None, *, case: str | None = None) -> int:
    """Open the window (optionally with inputs or a case), run until it closes, return the exit code."""
    from memdiff.gui.crash import install_excepthook, setup_logging

    log_path = setup_logging()
    app = _application()
    install_excepthook()
    log.info("memdiff %s starting; log at %s", __version__, log_path)
    window = create_window(original, suspect, case=case)
    window.show()
    code = app.exec()
    # closeEvent already waited; this catches jobs started by the very last events.
    window.jobs.cancel_all()
    window.jobs.wait(15_000)
    return int(code)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``memdiff-gui`` launcher: ``memdiff-gui [ORIGINAL [OUTPUT]]`` or ``memdiff-gui --case FILE``."""
    parser = argparse.ArgumentParser(prog="memdiff-gui", description="memdiff's desktop application")
    parser.add_argument("original", nargs="?", help="the original work")
    parser.add_argument("suspect", nargs="?", metavar="output", help="the model output")
    parser.add_argument("--case", help="open a saved .memdiff case")
    parser.add_argument("--version", action="version", version=f"memdiff {__version__}")
    args = parser.parse_args(list(argv) if argv is not None else None)
    from memdiff.gui.preflight import display_problem

    problem = display_problem()
    if problem:
        print(f"memdiff: {problem}", file=sys.stderr)
        return 2
    return run(args.original, args.suspect, case=args.case)


if __name__ == "__main__":
    sys.exit(main())
