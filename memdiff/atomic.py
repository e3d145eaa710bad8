"""Atomic output: a written file appears whole under its name or not at all, and a kill leaves no debris.

On Linux the bytes go into an anonymous file (``O_TMPFILE``) in the
destination folder. It has no name while it is written, so a crash, a kill or
a full disk leaves nothing behind: the kernel frees a nameless file when its
last descriptor closes. Once complete and flushed to disk it is linked under a
temporary name and renamed over the target in one step.

Where that is not possible (macOS, Windows, or a Linux filesystem that refuses
``O_TMPFILE``, such as some network and FUSE mounts) the bytes go into a named
temporary file in the same folder, ``.<target name>.memdiff-<pid>-<8 hex
digits>.part``, which is renamed over the target when complete. A kill leaves
that file; the next write into the same folder removes every such file whose
writer is gone. Only names of exactly that form are ever removed, and only
when their writer is provably not at work: on POSIX the writer holds an
exclusive ``flock`` on its temporary file until it is renamed (the kernel
drops it when the process dies, even by SIGKILL) and the process named in it
no longer exists; on Windows, where a file open in its writer cannot be
deleted, when the file is also over a minute old.

Either way the file's bytes are flushed to disk before the rename and the
folder's entry after it, and the new file gets the permissions of any newly
created file (0666 less the umask), not the 0600 of a private temporary file.

Several outputs of one run (a report, the JSON beside it, a separate JSON
result) can be made to appear together: inside :func:`written_together`,
each completed file waits, still nameless where possible, and all are renamed
into place in one step when the block ends, with Ctrl+C and SIGTERM held off
for those few renames (in the main thread); an exception or an interrupt anywhere in the block
leaves every target as it was.

The target must be a regular file or not exist yet, and not a write-protected
one (see :func:`is_write_protected`). A symbolic link to a
regular file is written through: the file it points to is replaced, and the
link stays (the least surprising for a link to a shared folder). A device, a
pipe, a folder or a link to nothing is refused with one sentence, so that
``/dev/stdout`` or ``/dev/null`` is never replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import re
import signal
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from memdiff.errors import OutputError

#: The names memdiff gives its temporary files: what the clean-up may remove, and nothing else.
TEMPORARY_NAME = re.compile(r"\..+\.memdiff-(?P<pid>[0-9]+)-[0-9a-f]{8}\.part")

#: On Windows, how old a temporary file must be before it counts as abandoned (see the module docstring).
_WINDOWS_GRACE_SECONDS = 60.0

#: Room left in a file name for the temporary's additions (".", ".memdiff-", pid, "-", 8 digits, ".part").
_LONGEST_NAME = 255 - 40

_FOLDER_NOT_USABLE = "check that the folder is writable"


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a file for binary writing that takes ``path``'s place only when the block ends without an exception.

    On any exception nothing is left behind (no temporary file) and the
    exception goes on; an OSError becomes an :class:`OutputError` whose
    sentence names ``path``.
    """
    group = _GROUP.get()
    if group is None:  # a group of one: the rename, the flags and the clean-up are the group's
        with written_together(), atomic_output(path) as handle:
            yield handle
        return
    target = destination(path)
    folder = target.parent if str(target.parent) else Path(".")
    remove_abandoned_temporaries(folder)
    fd, temporary = _create_for(target, folder)
    handed_over = False  # to the group, which renames or removes the temporary from then on
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            # A duplicate keeps the (anonymous) file and its lock alive after this block closes its descriptor.
            group.waiting.append(_Waiting(os.dup(handle.fileno()), temporary, target, folder))
            handed_over = True
    except BaseException as err:
        if temporary is not None and not handed_over:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(err, OSError):
            raise OutputError(
                f"Cannot write {target}: {err.strerror or err}; nothing was written."
            ) from err
        raise


def destination(path: str | os.PathLike[str], *, called: str | None = None) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the regular file a symbolic link names.

    Raises :class:`OutputError` (one sentence naming ``path``, or ``called``
    where the caller names it otherwise, as a dialog naming the file it
    shows) for a device, a pipe, a socket, a folder, a symbolic link to
    nothing, a loop of links, a name too long for the system and a
    write-protected file.
    """
    target = Path(path)
    shown = called if called is not None else str(target)
    try:
        info = os.stat(target)  # follows links: what a write would reach
    except FileNotFoundError:
        if os.path.islink(target):
            raise OutputError(
                f"Cannot write {shown}: it is a symbolic link to {os.readlink(target)}, which does not exist; "
                "give the path of a file."
            ) from None
        return target
    except OSError as err:
        # A name the system cannot take, or links that never reach a file: no write could ever succeed, and
        # with an anonymous temporary file it would fail only at the rename, after all the work.
        if err.errno == errno.ENAMETOOLONG:
            raise OutputError(
                f"Cannot write {shown}: the file name is too long for this system (most allow 255 bytes a "
                "name); choose a shorter name."
            ) from None
        if err.errno == errno.ELOOP:
            raise OutputError(
                f"Cannot write {shown}: it is a loop of symbolic links that never reaches a file; give the path "
                "of a file."
            ) from None
        return target  # an unreachable folder and the like: the write itself says what is wrong
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"Cannot write {shown}: it is {_kind_of(info.st_mode)}, not a regular file, and memdiff "
            "never replaces one; give the path of a file."
        )
    real = Path(os.path.realpath(target)) if os.path.islink(target) else target
    if is_write_protected(real, info):
        raise OutputError(
            f"Cannot write {shown}: it is write-protected, and memdiff does not replace a write-protected file; "
            "remove the protection or choose another name."
        )
    return real


def is_write_protected(path: str | os.PathLike[str], info: os.stat_result | None = None) -> bool:
    """Whether an existing file is protected against writing: by its permissions for this user, or for everyone.

    The rename that puts a new file in place needs only the folder's
    permission, so it would replace a file its owner (or an examiner filing an
    exhibit) made read-only without a word; ``cp`` and editors refuse
    instead. The second test covers the administrator (root), whom
    permissions do not stop: a file no one may write (mode 0444, or the
    read-only attribute on Windows) is protected for them too.
    """
    if info is None:
        info = os.stat(path)
    return not os.access(path, os.W_OK) or not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def check_can_write(path: str | os.PathLike[str]) -> None:
    """Make sure, before any work, that ``path`` could be written: its folder takes a new file there.

    Raises :class:`OutputError` with the sentence the write itself would
    give. Nothing is left behind.
    """
    target = destination(path)
    fd, temporary = _create_for(target, target.parent if str(target.parent) else Path("."))
    if temporary is None:
        os.close(fd)
    else:
        _discard(fd, temporary)


# --------------------------------------------------------------------------- several outputs at once


@dataclass
class _Waiting:
    """A complete file waiting for its rename: its descriptor (held open), temporary name (None: nameless yet), target."""

    fd: int
    temporary: str | None
    target: Path
    folder: Path
    copy_fd: int | None = None
    renamed: bool = False


@dataclass
class Together:
    """The files written inside one :func:`written_together` block; ``committed`` once all are in place."""

    waiting: list[_Waiting] = field(default_factory=list)
    committed: bool = False


_GROUP: contextvars.ContextVar[Together | None] = contextvars.ContextVar(
    "memdiff_atomic_group", default=None
)


@contextlib.contextmanager
def written_together() -> Iterator[Together]:
    """Make every :func:`atomic_output` completed in the block take its place only when the block ends, all together.

    If the block raises (an error, Ctrl+C, a SIGTERM turned into an
    exception), no target changes and no temporary file remains. Otherwise
    every file is first given its temporary name (any failure there changes
    nothing), then all are renamed with SIGINT and SIGTERM held, so that an
    interrupt comes only once all are in place; ``committed`` then says so.

    A block inside another joins it: its files take their place with the
    enclosing block's, when that one ends.
    """
    enclosing = _GROUP.get()
    if enclosing is not None:
        yield enclosing
        return
    group = Together()
    token = _GROUP.set(group)
    try:
        yield group
    except BaseException:
        _GROUP.reset(token)
        _abandon(group.waiting)
        raise
    _GROUP.reset(token)
    try:
        for item in group.waiting:
            if item.temporary is None:
                item.temporary, item.copy_fd = _name_anonymous(
                    item.fd, item.folder, item.target.name
                )
    except BaseException as err:
        _abandon(group.waiting)
        if isinstance(err, OSError):
            raise OutputError(
                f"Cannot write {item.target}: {err.strerror or err}; nothing was written."
            ) from err
        raise
    with _interrupts_held():
        try:
            for item in group.waiting:
                if os.name == "nt":  # Windows renames only closed files
                    _close(item)
                os.replace(item.temporary, item.target)
                item.renamed = True
        except OSError as err:
            written = [str(w.target) for w in group.waiting if w.renamed]
            _abandon(group.waiting)
            done = (
                f"; only {', '.join(written)} was written" if written else "; nothing was written"
            )
            raise OutputError(f"Cannot write {item.target}: {err.strerror or err}{done}.") from err
        group.committed = True
        for item in group.waiting:
            _close(item)
        for folder in sorted({str(item.folder) for item in group.waiting}):
            _sync_folder(Path(folder))


def _close(item: _Waiting) -> None:
    for attribute in ("fd", "copy_fd"):
        fd = getattr(item, attribute)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
            setattr(item, attribute, None)


def _abandon(waiting: list[_Waiting]) -> None:
    """Close and remove every temporary that was not renamed (a nameless one vanishes when closed)."""
    for item in waiting:
        _close(item)
        if item.temporary is not None and not item.renamed:
            with contextlib.suppress(OSError):
                os.unlink(item.temporary)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the block; one that arrives meanwhile goes to its handler after it.

    Python runs signal handlers in the main thread whichever thread the
    signal reaches, so the handlers themselves are swapped (blocking the
    signal in this thread alone would not do). Elsewhere than in the main
    thread, where handlers cannot be set and no interrupt is raised, nothing
    is needed.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def hold(signum: int, frame: object) -> None:
        arrived.append(signum)

    previous = {}
    for name in ("SIGINT", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, hold)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in arrived:
            handler = previous[number]
            if callable(handler):
                handler(number, None)  # Ctrl+C's KeyboardInterrupt, now that every file is in place
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def remove_abandoned_temporaries(folder: str | os.PathLike[str]) -> list[str]:
    """Remove memdiff's temporary files in ``folder`` whose writer is gone; return their names, sorted.

    Never raises: a folder that cannot be listed, or a file that cannot be
    checked or removed, is left as it is.
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    removed = []
    for name in names:
        match = TEMPORARY_NAME.fullmatch(name)
        if match and _remove_if_abandoned(os.path.join(folder, name), int(match["pid"])):
            removed.append(name)
    return removed


def leaves_nothing_when_killed(folder: str | os.PathLike[str]) -> bool:
    """Whether writes into ``folder`` use an anonymous file here, so that even SIGKILL leaves no temporary file.

    False where the named temporary file is used instead (see the module docstring).
    """
    fd = _open_anonymous(Path(folder))
    if fd is None:
        return False
    os.close(fd)
    return True


# --------------------------------------------------------------------------- creating the file


def _create_for(target: Path, folder: Path) -> tuple[int, str | None]:
    """A new file in ``folder`` to become ``target`` (see :func:`_create`), or the sentence why there can be none."""
    try:
        return _create(folder, target.name)
    except OSError as err:
        if not folder.is_dir():
            what = "is a file, not a folder" if folder.exists() else "does not exist"
            sentence = f"the folder {folder.absolute()} {what}; create the folder or choose another"
        else:
            sentence = f"{err.strerror or err} ({_FOLDER_NOT_USABLE})"
        raise OutputError(f"Cannot write {target}: {sentence}.") from err


def _create(folder: Path, name: str) -> tuple[int, str | None]:
    """A descriptor open for writing in ``folder``, and the temporary's path (None: anonymous, no name yet)."""
    fd = _open_anonymous(folder)
    if fd is not None:
        return fd, None
    return _create_named(folder, name)


def _create_named(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file with memdiff's name for it, open for writing and locked."""
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    for _ in range(100):
        temporary = _temporary_path(folder, name)
        try:
            fd = os.open(temporary, flags, 0o666)  # less the umask, like any new file
        except FileExistsError:
            continue
        try:
            if _lock(fd) and os.fstat(fd).st_nlink == 0:
                # Removed by a clean-up between its creation and the lock: start again under another name.
                os.close(fd)
                continue
        except BaseException:
            _discard(fd, temporary)
            raise
        return fd, temporary
    raise OSError(errno.EEXIST, "no free temporary file name")


def _discard(fd: int, temporary: str) -> None:
    """Close and remove a named temporary that will not be completed (its removal may fail: it goes anyway)."""
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def _open_anonymous(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux O_TMPFILE), locked; None where the system or filesystem has none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):  # it is linked into place through /proc
        return None
    try:
        # Readable too, so that it can be copied should linking it be refused.
        fd = os.open(folder, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        # EOPNOTSUPP/EINVAL: a filesystem without O_TMPFILE; EISDIR: a kernel without it. Any other
        # error (a missing or read-only folder) comes again, with its own words, from the named file.
        return None
    try:
        # Held through the link, so the named moment before the rename is safe from clean-ups.
        _lock(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _name_anonymous(fd: int, folder: Path, name: str) -> tuple[str, int | None]:
    """Give the complete anonymous file a temporary name beside the target.

    Returns that name and, where the system refused to link the file (a
    sandbox forbidding it), the descriptor of the named copy made instead,
    which the caller closes after the rename.
    """
    try:
        linked = _link_anonymous(fd, folder, name)
    except OSError:
        linked = None
    if linked is not None:
        return linked, None
    copy_fd, temporary = _create_named(folder, name)
    try:
        offset = 0
        while chunk := os.pread(fd, 1 << 20, offset):
            written = 0
            while written < len(chunk):
                written += os.write(copy_fd, chunk[written:])
            offset += len(chunk)
        os.fsync(copy_fd)
    except BaseException:
        _discard(copy_fd, temporary)
        raise
    return temporary, copy_fd


def _link_anonymous(fd: int, folder: Path, name: str) -> str:
    """Link the anonymous file under a new temporary name in ``folder``; return that name.

    linkat() must follow /proc's symbolic link to the open file; Python calls
    plain link(), which would link the symbolic link itself and fail, unless
    a folder descriptor is given, so the folder is opened for it.
    """
    folder_fd = os.open(
        folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        for _ in range(100):
            temporary = _temporary_path(folder, name)
            try:
                os.link(
                    f"/proc/self/fd/{fd}",
                    os.path.basename(temporary),
                    dst_dir_fd=folder_fd,
                    follow_symlinks=True,
                )
            except FileExistsError:
                continue
            return temporary
    finally:
        os.close(folder_fd)
    raise OSError(errno.EEXIST, "no free temporary file name")


def _temporary_path(folder: Path, name: str) -> str:
    if len(name.encode("utf-8", "surrogateescape")) > _LONGEST_NAME:
        name = name.encode("utf-8", "surrogateescape")[:_LONGEST_NAME].decode("utf-8", "ignore")
    return os.path.join(folder, f".{name}.memdiff-{os.getpid()}-{os.urandom(4).hex()}.part")


def _lock(fd: int) -> bool:
    """Take an exclusive lock on the file for as long as ``fd`` is open; False where there are no such locks."""
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be deleted, which protects it instead
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as err:
        if err.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            return (
                False  # a filesystem without locks: no clean-up can ever take this file (see below)
            )
        raise
    return True


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries to disk, so the rename survives a power cut (POSIX; a no-op elsewhere)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(
            folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot sync a folder; the file itself is on disk already
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- cleaning up after a kill


def _remove_if_abandoned(path: str, pid: int) -> bool:
    if os.name == "nt":
        return _remove_if_abandoned_on_windows(path)
    if pid == os.getpid() or _process_exists(pid):
        return False
    try:
        import fcntl

        fd = os.open(
            path,
            os.O_RDONLY
            | os.O_NONBLOCK
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0),
        )
    except (ImportError, OSError):
        return False
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer still holds it, or the filesystem cannot tell: leave it
        now = os.stat(path, follow_symlinks=False)
        if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
            return False
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _process_exists(pid: int) -> bool:
    """Whether a process with this id runs on this machine (POSIX: signal 0 checks without signalling)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or an id no process can have: leave it be
    except OSError:
        return True
    return True


def _remove_if_abandoned_on_windows(path: str) -> bool:
    try:
        if time.time() - os.stat(path).st_mtime < _WINDOWS_GRACE_SECONDS:
            return False
        os.unlink(path)  # refused while the writer still has it open
    except OSError:
        return False
    return True
