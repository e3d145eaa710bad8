"""The bad-input corpus in the desktop application: each file gives an error dialog with its sentence, never a crash.

One window takes the whole corpus in turn (as a clerk trying file after file
would), then still compares two sound files; encrypted PDFs go through the
password prompt (replaced here, as the GUI's own tests do).
"""

from __future__ import annotations

from hostile_corpus import CORPUS, PASSWORD, PROSE

# The 5,001-page PDF costs seconds to build and read and adds nothing the CLI tests do not show.
BAD = [h for h in CORPUS if h.error is not None and h.key != "pdf-5001-pages"]


def test_every_bad_file_is_an_error_dialog_naming_it(tmp_path, gui_window, gui_wait):
    window = gui_window
    window.ask_password = lambda name, retry: None  # the user cancels the prompt
    for n, hostile in enumerate(BAD):
        folder = tmp_path / f"{n}"
        folder.mkdir()
        path = folder / hostile.file_name
        hostile.make(path)
        before = len(window.told.messages)
        message = gui_wait(window.loadFailed, lambda: window.load_file("suspect", path), timeout=60_000)
        assert hostile.file_name in message, (hostile.key, message)
        assert hostile.phrase in message, (hostile.key, message)
        told = window.told.messages[before:]
        assert [m[0] for m in told] == ["error"], (hostile.key, told)
        assert hostile.file_name in told[0][2]
    # After all that, the window still does its job.
    original = tmp_path / "original.txt"
    original.write_text(PROSE * 3, encoding="utf-8")
    output = tmp_path / "output.txt"
    output.write_text("The model wrote: " + PROSE, encoding="utf-8")
    comparison = gui_wait(window.comparisonFinished, lambda: (window.load_file("original", original),
                                                             window.load_file("suspect", output)))
    assert comparison.spans and comparison.summary.suspect_coverage > 0.9
    assert "bug" not in [m[0] for m in window.told.messages]


def test_an_encrypted_pdf_asks_again_after_a_wrong_password_and_opens(tmp_path, gui_window, gui_wait):
    from hostile_corpus import BY_KEY

    window = gui_window
    path = tmp_path / "locked.pdf"
    BY_KEY["pdf-encrypted-with-password"].make(path)
    asked = []
    answers = ["wrong", PASSWORD]

    def ask(name, retry):
        asked.append((name, retry))
        return answers.pop(0)

    window.ask_password = ask
    gui_wait(window.documentLoaded, lambda: window.load_file("original", path), timeout=60_000)
    assert asked == [("locked.pdf", False), ("locked.pdf", True)]
    assert window.documents["original"] is not None and "bright cold day" in window.documents["original"].text
    assert window.told.messages == []
