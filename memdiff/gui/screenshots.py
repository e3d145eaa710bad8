"""Screenshots of the main states for the documentation: ``python -m memdiff.gui.screenshots OUT_DIR``.

Runs off screen on the bundled sample case (and on a PDF and two pictures it
makes from the samples), so the pictures in docs/screenshots can be made again
after any change to the window.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1500, 950)


def _wait(app, condition, seconds: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not finish in time")
        app.processEvents()
        time.sleep(0.005)
    for _ in range(10):
        app.processEvents()


def _sample_pdf(folder: Path) -> Path:
    """The sample original typeset as a PDF (reportlab), so page markers show in the gutter."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from memdiff.resources import path as resource_path

    text = resource_path("samples", "original.txt").read_text(encoding="utf-8")
    style = getSampleStyleSheet()["BodyText"]
    story = []
    for paragraph in text.split("\n\n"):
        clean = " ".join(paragraph.split()).replace("&", "&amp;").replace("<", "&lt;")
        if clean:
            story.append(Paragraph(clean, style))
    target = folder / "Alice - Chapter I.pdf"
    SimpleDocTemplate(str(target), pagesize=A5, title="Alice's Adventures in Wonderland, Chapter I").build(story)
    return target


def _pictures(folder: Path) -> tuple[Path, Path]:
    from PIL import Image

    source = Path(__file__).resolve().parents[2] / "tests" / "data" / "images" / "chelsea.jpg"
    photo = Image.open(source).convert("RGB")
    w, h = photo.size
    original = folder / "cat-photograph.png"
    photo.save(original)
    copy = photo.crop((w // 5, h // 6, w * 4 // 5, h * 5 // 6)).resize((int(w * 0.48), int(h * 0.53)))
    output = folder / "model-image.png"
    copy.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(output)
    return original, output


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)

    import memdiff.gui  # noqa: F401
    from PySide6.QtCore import QSettings

    settings_folder = tempfile.mkdtemp(prefix="memdiff-shots-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_folder)
    from PySide6.QtWidgets import QMessageBox

    from memdiff.gui import app as application
    from memdiff.gui.main_window import MainWindow
    from memdiff.gui.settings import Settings
    from memdiff.gui.theme import apply_theme
    from memdiff.resources import path as resource_path

    app = application._application()
    app.setOrganizationName("memdiff-screenshots")
    work = Path(tempfile.mkdtemp(prefix="memdiff-shot-inputs-"))

    def window(theme: str = "light") -> MainWindow:
        apply_theme(app, theme)
        w = MainWindow(Settings())
        # Screenshots never stop for a question; the windows' cases are thrown away when closed.
        w.tell = lambda *a, **k: QMessageBox.StandardButton.Discard
        w.resize(*SIZE)
        w.show()
        _wait(app, lambda: True)
        return w

    def compare(w: MainWindow, original: Path, output: Path) -> None:
        done: list[object] = []
        w.comparisonFinished.connect(done.append)
        w.load_file("original", original)
        w.load_file("suspect", output)
        _wait(app, lambda: bool(done))

    w = window()
    w.grab().save(str(out / "01-empty.png"))
    w.close()

    w = window()
    compare(w, resource_path("samples", "original.txt"), resource_path("samples", "model-output.txt"))
    w.next_span()
    w.next_span()
    w.next_span()
    w.next_span()
    _wait(app, lambda: True)
    w.grab().save(str(out / "02-text-comparison.png"))
    w.close()

    w = window()
    compare(w, _sample_pdf(work), resource_path("samples", "model-output.txt"))
    w.next_span()
    _wait(app, lambda: True)
    w.grab().save(str(out / "03-pdf-original-with-pages.png"))
    dialog = w.export_report()
    if dialog is not None:
        dialog.court.setText("United States District Court, Southern District of New York")
        dialog.case_title.setText("Doe v. ExampleAI, Inc.")
        dialog.case_number.setText("1:26-cv-01234")
        dialog.exhibit.setText("J")
        dialog.examiner.setText("A. Expert, forensic linguist")
        dialog.confidentiality.setCurrentText("CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER")
        dialog.bates_prefix.setText("PLTF-")
        dialog.bates_start.setValue(1201)
        dialog.model.setText("ExampleLM 4 (API, 2026-10-01 snapshot)")
        dialog.prompt.setPlainText("Tell me the beginning of Alice's Adventures in Wonderland, chapter one.")
        dialog.generated_on.setText("2026-11-20")
        dialog.attempts.setValue(5)
        dialog.sampling.setText("temperature 0.7, top-p 1.0")
        # The whole form in view (the dialog scrolls on a short screen; the picture shows all of it).
        form = dialog.form_area.widget().sizeHint()
        dialog.resize(max(dialog.width(), form.width() + 40),
                      form.height() + dialog.buttons.sizeHint().height() + 50)
        _wait(app, lambda: True)
        dialog.grab().save(str(out / "05-export-dialog.png"))
        dialog.reject()
    w.close()

    w = window()
    compare(w, *_pictures(work))
    w.overlay_box.setChecked(True)
    w.heatmap_box.setChecked(True)
    w.opacity.setValue(60)
    _wait(app, lambda: True)
    w.grab().save(str(out / "04-image-comparison.png"))
    w.close()

    w = window("dark")
    compare(w, resource_path("samples", "original.txt"), resource_path("samples", "model-output.txt"))
    w.next_span()
    w.next_span()
    _wait(app, lambda: True)
    w.grab().save(str(out / "06-dark-palette.png"))
    w.close()
    apply_theme(app, "light")
    return 0


if __name__ == "__main__":
    sys.exit(main())
