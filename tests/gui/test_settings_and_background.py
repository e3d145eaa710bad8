"""The typed settings module and the one background-job helper."""

from __future__ import annotations

import threading

import pytest

from memdiff.errors import Cancelled, InputError
from memdiff.evidence import Parameters
from memdiff.gui.background import BackgroundJobs
from memdiff.gui.settings import RECENT_LIMIT, Settings


def test_settings_live_in_the_test_folder(private_settings):
    settings = Settings()
    settings.theme = "dark"
    settings.sync()
    assert str(private_settings) in settings.file_name
    assert Settings().theme == "dark"


def test_recent_files_newest_first_without_duplicates():
    settings = Settings()
    for i in range(RECENT_LIMIT + 3):
        settings.add_recent_file("original", f"/cases/{i}.pdf")
    settings.add_recent_file("original", "/cases/5.pdf")
    recent = settings.recent_files("original")
    assert recent[0] == "/cases/5.pdf"
    assert len(recent) == RECENT_LIMIT
    assert len(set(recent)) == len(recent)
    assert settings.recent_files("output") == []
    settings.clear_recent_files()
    assert settings.recent_files("original") == []


def test_the_matching_settings_are_not_user_preferences(qtbot):
    # They belong to the case (its file): layout 2 kept the last ones and started every window with
    # them; the upgrade drops them, and a new window starts from the defaults.
    from memdiff.gui.main_window import MainWindow

    store = Settings()._store
    store.setValue("layout_version", 2)
    store.setValue("analysis/parameters", '{"min_words": 15, "near": false}')
    settings = Settings(store)
    assert not store.contains("analysis/parameters")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.parameters_panel.parameters() == Parameters()


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError):
        Settings().theme = "purple"


def test_job_result_and_progress_come_back_on_the_main_thread(qtbot):
    jobs = BackgroundJobs()
    main = threading.get_ident()
    seen = []

    def work(progress):
        progress.report(0.5, "half way")
        return threading.get_ident()

    # Callbacks given to run() are connected before the job starts: a signal awaited only after
    # run() returned could be emitted (and lost) before the wait began.
    results = []
    jobs.run(work, description="test", on_success=results.append,
             on_progress=lambda f, m: seen.append((f, m, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0] != main  # the work ran in a pool thread
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] == (0.5, "half way", main)  # the report arrived in the main thread
    assert jobs.wait(5000)


def test_job_errors_are_delivered_not_lost(qtbot):
    jobs = BackgroundJobs()

    def work(progress):
        raise InputError("draft.txt is empty; there is nothing to compare.")

    errors = []
    jobs.run(work, description="failing", on_error=errors.append)  # connected before the job starts
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], InputError)
    assert str(errors[0]).startswith("draft.txt is empty")


def test_cancel_ends_a_job_quietly(qtbot):
    jobs = BackgroundJobs()
    started = threading.Event()

    def work(progress):
        started.set()
        while True:
            progress.check()  # raises Cancelled once the user asked to stop
            threading.Event().wait(0.01)

    job = jobs.run(work, description="endless")
    assert started.wait(5)
    with qtbot.waitSignal(job.signals.cancelled, timeout=5000):
        job.cancel()
    assert jobs.wait(5000)
    assert not jobs.busy
    assert issubclass(Cancelled, Exception)


def test_an_old_layout_keeps_only_the_examiner_and_the_paper_size():
    # Layout 1 kept the last report's caption and prompt and offered them to the next case.
    settings = Settings()
    store = settings._store
    store.setValue("layout_version", 1)
    store.setValue("report/front_matter", '{"case_number": "1:26-cv-AAAA", "examiner": "Dr. E", "page_size": "a4"}')
    store.setValue("report/provenance", '{"prompt": "Prompt for case A"}')
    upgraded = Settings(store)
    assert upgraded.examiner == "Dr. E" and upgraded.page_size == "a4"
    assert not store.contains("report/front_matter") and not store.contains("report/provenance")
    assert int(store.value("layout_version")) == 3
