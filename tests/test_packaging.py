"""The installers' recipes: desktop entry, AppStream, MIME type, icons, PyInstaller spec, Inno Setup, Info.plist.

Fast checks that need no bundle; tests/test_bundle.py builds one and runs it.
"""

from __future__ import annotations

import configparser
import importlib.util
import plistlib
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "org.memdiff.memdiff"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
SPEC = PACKAGING / "pyinstaller" / "memdiff.spec"
ISS = PACKAGING / "windows" / "memdiff.iss"
PLIST = PACKAGING / "macos" / "Info.plist"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def source_version() -> str:
    """The version as memdiff/__init__.py writes it (pyproject.toml reads it from there)."""
    import memdiff

    return memdiff.__version__


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def validator(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian package "
                    f"{'desktop-file-utils' if name == 'desktop-file-validate' else 'appstream'})")
    return found


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ Linux


def test_desktop_file_passes_desktop_file_validate():
    result = subprocess.run([validator("desktop-file-validate"), str(DESKTOP)],
                            check=False, capture_output=True, text=True)
    # The validator exits 0 on hints too; any "error:" or "warning:" line is a failure here.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout and "warning" not in result.stdout, result.stdout


def test_desktop_file_starts_the_window_and_opens_case_files():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "memdiff-gui"
    assert entry["Exec"].split()[1:] == ["%f"]  # the launcher turns a lone .memdiff file into --case
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["MimeType"].rstrip(";").split(";") == ["application/x-memdiff-case"]


def test_desktop_file_name_is_what_the_application_announces():
    # Wayland compositors and GNOME match a window to its launcher (icon, name) through
    # QGuiApplication.setDesktopFileName, which must name this file.
    source = (ROOT / "memdiff" / "gui" / "app.py").read_text(encoding="utf-8")
    assert f'setDesktopFileName("{APP_ID}")' in source


def test_metainfo_passes_appstreamcli_validate():
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", "--no-color", str(METAINFO)],
        check=False, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Errors and warnings both fail; infos (e.g. a tag newer than the installed appstream) are allowed.
    problems = [line for line in result.stdout.splitlines() if re.match(r"\s*[EW]:", line)]
    assert problems == [], result.stdout


def test_metainfo_names_the_desktop_file_and_the_current_release():
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("project_license") == project()["project"]["license"]
    releases = [r.get("version") for r in component.iter("release")]
    assert releases and releases[0] == source_version(), (
        "add a <release> for the version in memdiff/__init__.py to the metainfo file"
    )
    binaries = {b.text for b in component.iter("binary")}
    assert binaries == {"memdiff", "memdiff-gui"}


def test_mime_type_registers_the_case_file_extension(tmp_path):
    tool = shutil.which("update-mime-database")
    if tool is None:
        pytest.skip("update-mime-database is not installed (Debian package shared-mime-info)")
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copyfile(MIME, packages / MIME.name)
    subprocess.run([tool, str(tmp_path / "mime")], check=True, capture_output=True)
    globs = (tmp_path / "mime" / "globs").read_text(encoding="utf-8").splitlines()
    assert "application/x-memdiff-case:*.memdiff" in globs


@pytest.mark.parametrize("size", ICON_SIZES)
def test_hicolor_icon_exists_at_its_size(size):
    path = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    with Image.open(path) as image:
        assert image.size == (size, size)
        assert image.mode == "RGBA"
        alpha = image.getchannel("A")
        # Drawn, with transparent rounded corners: not blank, not a plain square.
        assert alpha.getextrema() == (0, 255)
        assert alpha.histogram()[255] > 0.6 * size * size


def test_scalable_icon_is_the_application_svg():
    scalable = LINUX / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ROOT / "resources" / "icons" / "memdiff.svg").read_bytes()


def test_windows_and_macos_icons_hold_every_size():
    with Image.open(PACKAGING / "windows" / "memdiff.ico") as ico:
        assert {s for s, _ in ico.info["sizes"]} == {16, 24, 32, 48, 64, 128, 256}
    with Image.open(PACKAGING / "macos" / "memdiff.icns") as icns:
        assert icns.size == (1024, 1024)
        assert {(16, 16, 2), (128, 128, 1), (512, 512, 2)} <= set(icns.info["sizes"])


def test_committed_icons_match_the_svg():
    # In a child process: the renderer creates a QGuiApplication, which must not be
    # the one pytest-qt's widgets later find in this process.
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "make_icons.py"), "--check"],
        check=False, capture_output=True, text=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ PyInstaller spec


@pytest.fixture(scope="module")
def spec_data():
    """The spec's data-file part, run as PyInstaller would run it (up to the build steps)."""
    pytest.importorskip("PyInstaller")
    source = SPEC.read_text(encoding="utf-8")
    compile(source, str(SPEC), "exec")  # the whole recipe is valid Python
    head = source.split("# ------------------------------------------------------------------ build")[0]
    namespace = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC)}
    try:
        exec(compile(head, str(SPEC), "exec"), namespace)  # noqa: S102 - our own recipe
    except SystemExit as refusal:  # the recipe refuses a build machine it cannot bundle from
        pytest.fail(f"the spec refuses to build here: {refusal}")
    return namespace


def bundled(datas) -> dict[str, str]:
    """Bundle path of each data file -> its source."""
    return {str(Path(dest, Path(src).name)).replace("\\", "/"): src for src, dest in datas}


def test_spec_bundles_every_resource(spec_data):
    files = bundled(spec_data["datas"])
    resources = ROOT / "resources"
    expected = {"__init__.py"}
    for sub in ("fonts", "icons", "samples"):
        expected |= {f"{sub}/{p.name}" for p in (resources / sub).iterdir() if p.is_file()}
    expected |= {p.name for p in resources.glob("*.json")} | {p.name for p in resources.glob("*.md")}
    assert {f"memdiff/resources/{name}" for name in expected} <= set(files)
    assert "memdiff/resources/samples/original.txt" in files
    assert "memdiff/resources/fonts/DejaVuSans.ttf" in files


def test_spec_bundles_a_frequency_table_for_every_language_memdiff_detects(spec_data):
    from memdiff.text import chance

    detectable = set(chance._MARKERS) | set(chance._SCRIPT_LANGUAGE.values()) | {"zh", "ja", "ko"}
    assert detectable <= set(spec_data["WORDFREQ_LANGUAGES"])
    files = bundled(spec_data["datas"])
    tables = {name.rsplit("/", 1)[1] for name in files if name.startswith("wordfreq/data/")}
    assert "_chinese_mapping.msgpack.gz" in tables
    for language in detectable:
        assert tables & {f"large_{language}.msgpack.gz", f"small_{language}.msgpack.gz"}, language
    # Only the table chance.py reads: never both sizes, never other languages.
    assert len(tables) == len(spec_data["WORDFREQ_LANGUAGES"]) + 1


def test_spec_copies_the_metadata_the_reports_and_version_read(spec_data):
    from memdiff.report.sections import LIBRARIES

    assert set(LIBRARIES) | {"memdiff"} <= set(spec_data["METADATA_OF"])
    from importlib.metadata import PathDistribution

    versions = {}
    for src, dest in spec_data["datas"]:
        if dest.endswith((".dist-info", ".egg-info")):
            distribution = PathDistribution(Path(src).resolve())
            versions[distribution.metadata["Name"].lower()] = distribution.version
    # The bundle's copy of memdiff's metadata must carry the version memdiff itself reports.
    assert versions["memdiff"] == source_version()
    assert "opencv-python-headless" in versions and "pikepdf" in versions


def test_spec_reads_the_version_from_the_source(spec_data):
    assert spec_data["VERSION"] == source_version()


def test_spec_leaves_out_unused_qt_but_keeps_what_the_window_uses(spec_data):
    excluded = set(spec_data["excludes"])
    for module in ("PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQuick", "PySide6.QtQml",
                   "PySide6.QtMultimedia", "PySide6.QtNetwork"):
        assert module in excluded
    used = set()
    for path in (ROOT / "memdiff" / "gui").glob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "the GUI imports no Qt module?"
    assert not {f"PySide6.{m}" for m in used} & excluded
    unused = spec_data["unused_qt_file"]
    assert unused("PySide6/Qt/plugins/imageformats/libqtiff.so")
    assert not unused("PySide6/Qt/plugins/imageformats/libqsvg.so")
    assert not unused("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not unused("PySide6/Qt/translations/qtbase_de.qm")
    assert unused("PySide6/Qt/translations/qtdeclarative_de.qm")


# ------------------------------------------------------------------ launcher


def test_launcher_opens_a_lone_case_file_as_a_case():
    launcher = load_module(PACKAGING / "pyinstaller" / "launcher.py", "memdiff_launcher")
    assert launcher.gui_arguments(["/x/Smith v Jones.MEMDIFF"]) == ["--case", "/x/Smith v Jones.MEMDIFF"]
    assert launcher.gui_arguments(["novel.pdf"]) == ["novel.pdf"]
    assert launcher.gui_arguments(["novel.pdf", "output.txt"]) == ["novel.pdf", "output.txt"]
    assert launcher.gui_arguments([]) == []


# ------------------------------------------------------------------ Windows and macOS recipes


def test_inno_setup_script_installs_the_bundle_with_association_and_choice_of_scope():
    text = ISS.read_text(encoding="utf-8")
    setup = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.MULTILINE))
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert "dialog" in setup["PrivilegesRequiredOverridesAllowed"]
    assert setup["ChangesAssociations"] == "yes"
    assert (ISS.parent / setup["SetupIconFile"]).is_file()
    assert r'"..\..\dist\memdiff"' in text  # the folder PyInstaller writes with --distpath dist
    assert r'"{app}\memdiff-gui.exe"" --case ""%1"""' in text
    assert r'Subkey: "Software\Classes\.memdiff"' in text
    assert r'Filename: "{app}\memdiff-gui.exe"' in text  # the Start menu entry


def test_info_plist_declares_bundle_and_case_documents():
    with open(PLIST, "rb") as handle:
        info = plistlib.load(handle)
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["NSHighResolutionCapable"] is True
    (exported,) = info["UTExportedTypeDeclarations"]
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["memdiff"]
    (document,) = info["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert (PACKAGING / "macos" / document["CFBundleTypeIconFile"]).is_file()
