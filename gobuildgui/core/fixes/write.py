"""Showing and applying plans: diffs, atomic writes with backups, elevation, undo.

Applying a plan (:func:`apply_plan`):

1. every file is read again; if its bytes differ from those the plan was made from,
   nothing is written and :class:`ChangedSincePreviewError` carries a diff of what
   changed on disk (plan again and show the new preview);
2. if a file can only be written as root, nothing is written and
   :class:`NeedsRootError` carries the staged new contents, the ``pkexec`` command
   line that installs them and the same steps as commands to copy;
3. the current bytes of every file go to the undo history (backup blobs, 0600);
4. each file is written to a temp file in its own folder, fsynced, given the old
   file's mode and owner, renamed over the target (``os.replace``, atomic), and the
   folder is fsynced. A symlink is followed: the real file is replaced and the link
   stays a link;
5. if any write fails, the files already written are restored from their backups
   (all-or-nothing) and :class:`WriteFailedError` says what happened and what to do.

A process killed between writing the temp file and the rename leaves the target
untouched and a ``.NAME.*.gbg-PID.tmp`` file beside it; the next apply in that folder
removes such files whose process is gone.

The history keeps the exact old bytes (to restore them byte for byte), so a backup
blob may hold a secret that was in the file (a proxy password in config.json). Blobs
are written 0600 in a 0700 folder of the user's data dir; the JSON index holds only
masked summaries. That is the trade-off: undo needs the bytes, nothing else sees them.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import errno
import json
import os
import re
import secrets as _secrets
import shlex
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gobuildgui.core.fixes.files import can_write, split_lines
from gobuildgui.core.fixes.model import FileChange, FixError, FixPlan, digest
from gobuildgui.core.secrets import MASK, redact

# -- display --------------------------------------------------------------------------


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secrets and every recognisable credential masked."""
    for s in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(s, MASK)
    return redact(text)


def unified_diff(change: FileChange, *, secrets: Iterable[str] = (), context: int = 3) -> str:
    """The unified diff of one change (secrets masked); "" when it changes nothing."""
    if not change.changed:
        return ""
    old = change.old_text or ""
    fromfile = "/dev/null" if change.is_new else str(change.path)
    lines = difflib.unified_diff(
        split_lines(old, keepends=True),
        split_lines(change.new_text, keepends=True),
        fromfile=fromfile,
        tofile=str(change.path),
        n=context,
    )
    out: list[str] = []
    for line in lines:
        if not line.endswith("\n"):
            line = line + "\n\\ No newline at end of file\n"
        out.append(line)
    return mask("".join(out), secrets)


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff (texts masked, without line endings).

    ``tag`` is ``equal``, ``replace``, ``delete``, ``insert``, or ``skip`` for a fold of
    unchanged lines between hunks (then only ``old_line``/``new_line`` of its first line).
    """

    tag: str
    old_line: int | None
    old_text: str | None
    new_line: int | None
    new_text: str | None


def side_by_side(
    change: FileChange, *, secrets: Iterable[str] = (), context: int = 3
) -> tuple[DiffRow, ...]:
    """The rows of a side-by-side view of ``change`` (for the wizard's preview page)."""
    secrets = tuple(secrets)
    old = split_lines(change.old_text or "")
    new = split_lines(change.new_text)
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for n, group in enumerate(matcher.get_grouped_opcodes(context)):
        if n or (group and (group[0][1] > 0 or group[0][3] > 0)):
            rows.append(DiffRow("skip", group[0][1] + 1, None, group[0][3] + 1, None))
        for tag, i1, i2, j1, j2 in group:
            for k in range(max(i2 - i1, j2 - j1)):
                oi, nj = i1 + k, j1 + k
                has_old, has_new = oi < i2, nj < j2
                rows.append(
                    DiffRow(
                        tag
                        if (has_old and has_new) or tag == "equal"
                        else ("delete" if has_old else "insert"),
                        oi + 1 if has_old else None,
                        mask(old[oi], secrets) if has_old else None,
                        nj + 1 if has_new else None,
                        mask(new[nj], secrets) if has_new else None,
                    )
                )
    return tuple(rows)


def plan_diff(plan: FixPlan) -> str:
    """Every file's diff of ``plan``, secrets masked."""
    return "".join(unified_diff(c, secrets=plan.secrets) for c in plan.changes)


def format_plan(plan: FixPlan) -> str:
    """The whole plan as text (what ``gobuildgui fix --dry-run`` prints), masked."""
    parts = [f"{plan.title} ({plan.fix_id})", f"  {plan.summary}", ""]
    for c in plan.changes:
        root = " (needs root)" if c.needs_root else ""
        state = "new file" if c.is_new else ("unchanged" if not c.changed else "changed")
        parts.append(f"{c.path}: {c.description} [{state}]{root}")
    parts.append("")
    diff = plan_diff(plan)
    parts.append(diff if diff else "(no changes: the files already say this)\n")
    for w in plan.warnings:
        parts.append(f"warning: {w}")
    if plan.followups:
        parts.append("Then:")
        for f in plan.followups:
            parts.append(f"  - {f.description}")
            if f.command:
                parts.append(f"      {f.command}")
    if plan.verify_probes:
        parts.append(f"Verify with: gobuildgui probe --only {','.join(plan.verify_probes)}")
    if plan.needs_root and plan.commands_to_copy:
        parts.append("")
        parts.append("Root is needed; the same change by hand:")
        parts += plan.commands_to_copy  # not indented: a heredoc ends only at column 1
    return mask("\n".join(parts).rstrip("\n") + "\n", plan.secrets)


def _heredoc_marker(text: str) -> str:
    marker = "GOBUILDGUI_EOF"
    while marker in text:
        marker += "_"
    return marker


def manual_commands(plan: FixPlan, platform: str = "linux") -> tuple[str, ...]:
    """Shell commands that make the same changes by hand (secrets masked).

    POSIX shell (sudo for files that need root) or, on Windows, PowerShell; every file
    is backed up first.
    """
    if platform.startswith("windows"):
        return _powershell_commands(plan)
    out: list[str] = []
    for c in plan.changes:
        if not c.changed:
            continue
        sudo = "sudo " if c.needs_root else ""
        p = shlex.quote(str(c.path))
        if not c.is_new:
            out.append(f"{sudo}cp -p {p} {p}.bak")
        else:
            out.append(f"{sudo}mkdir -p {shlex.quote(str(c.path.parent))}")
        text = mask(c.new_text, plan.secrets)
        marker = _heredoc_marker(text)
        body = text if text.endswith("\n") else text + "\n"
        out.append(f"{sudo}tee {p} > /dev/null <<'{marker}'\n{body}{marker}")
    return tuple(out)


def _powershell_commands(plan: FixPlan) -> tuple[str, ...]:
    out: list[str] = []
    if plan.needs_root:
        out.append("# in a PowerShell started with 'Run as administrator':")
    for c in plan.changes:
        if not c.changed:
            continue
        p = "'" + str(c.path).replace("'", "''") + "'"
        if c.is_new:
            out.append(f"New-Item -ItemType Directory -Force -Path (Split-Path {p}) | Out-Null")
        else:
            out.append(f"Copy-Item -Path {p} -Destination ({p} + '.bak')")
        text = mask(c.new_text, plan.secrets).replace("\r\n", "\n")
        # A single-quoted here-string takes the text literally; WriteAllText adds no BOM.
        out.append(f"[IO.File]::WriteAllText({p}, @'\n{text.rstrip(chr(10))}\n'@ + \"`n\")")
    return tuple(out)


# -- errors ---------------------------------------------------------------------------


class ChangedSincePreviewError(FixError):
    """A file changed on disk after the preview; ``diffs`` shows how (masked)."""

    def __init__(
        self, paths: Sequence[Path], diffs: str, fresh_plan: FixPlan | None = None
    ) -> None:
        self.paths = tuple(paths)
        self.diffs = diffs
        self.fresh_plan = fresh_plan  # the plan made again from the files as they are now
        names = ", ".join(str(p) for p in paths)
        tail = ""
        if fresh_plan is not None:
            tail = "\nThe fix planned again on the current files:\n" + plan_diff(fresh_plan)
        super().__init__(
            f"{names} changed on disk after the preview, so nothing was written."
            " Review the changes below, then preview the fix again.\n" + diffs + tail
        )


class NeedsRootError(FixError):
    """Some files can only be written as root; nothing was written.

    ``elevation_command`` installs the staged new contents (pkexec on Linux);
    ``commands`` are the same steps to copy into a terminal. ``entry_id`` is the
    pending history entry (with the backups) that :func:`apply_with_elevation`
    completes.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        elevation_command: tuple[str, ...],
        commands: tuple[str, ...],
        entry_id: str | None,
        staged: tuple[Path, ...],
    ) -> None:
        self.paths = tuple(paths)
        self.elevation_command = elevation_command
        self.commands = commands
        self.entry_id = entry_id
        self.staged = staged
        names = ", ".join(str(p) for p in paths)
        super().__init__(
            f"{names} can only be changed by root, so nothing was written. Apply with"
            " administrator rights (pkexec), or run these commands:\n" + "\n".join(commands)
        )


class WriteFailedError(FixError):
    """Writing failed; the files were restored (``restored``) unless ``left_changed``."""

    def __init__(
        self, path: Path, reason: str, hint: str, *, left_changed: Sequence[Path] = ()
    ) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        self.left_changed = tuple(left_changed)
        state = "Nothing was changed."
        if self.left_changed:
            state = (
                "Restoring failed for "
                + ", ".join(str(p) for p in self.left_changed)
                + "; their previous contents are in the undo history (gobuildgui fix --history)."
            )
        super().__init__(f"cannot write {path}: {reason}. {state} {hint}")


class UndoError(FixError):
    """An undo that cannot be done (unknown entry, file changed since, ...)."""


def _describe_os_error(exc: OSError, path: Path) -> tuple[str, str]:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (
            "no space left on the disk that holds it",
            f"Free some space on the file system of {path.parent} and apply again.",
        )
    if code == errno.EFBIG:
        return (
            "the file size limit was exceeded (ulimit -f)",
            "Raise the file size limit (ulimit -f unlimited) and apply again.",
        )
    if code == errno.EROFS:
        return (
            "the file system is read-only",
            "Remount it read-write (or edit the file where it is writable) and apply again.",
        )
    if code == errno.EPERM:
        return (
            "operation not permitted (the file or folder may be immutable)",
            f"Check with `lsattr {path}`; `chattr -i {path}` as root removes the flag.",
        )
    if code == errno.EACCES:
        return ("permission denied", "Apply with administrator rights.")
    return (exc.strerror or str(exc), "Check the path and apply again.")


# -- low-level writes -----------------------------------------------------------------

TEMP_SUFFIX_RE = re.compile(r"\.gbg-(\d+)\.tmp$")


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cleanup_stale_temps(folder: Path, name: str) -> list[Path]:
    """Remove temp files of ``name`` left by killed processes; return what was removed."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for p in folder.glob(f".{name}.*.gbg-*.tmp"):
            m = TEMP_SUFFIX_RE.search(p.name)
            if m and not _pid_alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    p.unlink()
                    removed.append(p)
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


Hook = Callable[[Path, Path], None]


def atomic_write(
    real: Path,
    data: bytes,
    *,
    mode: int | None,
    owner: tuple[int, int] | None,
    before_replace: Hook | None = None,
) -> None:
    """Write ``data`` to ``real`` via a temp file in the same folder and ``os.replace``.

    ``before_replace(temp, target)`` runs after the temp file is complete (tests use it
    to kill the process at that point). Raises OSError; the temp file is removed.
    """
    folder = real.parent
    cleanup_stale_temps(folder, real.name)
    tmp = folder / f".{real.name}.{_secrets.token_hex(4)}.gbg-{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            if owner is not None and hasattr(os, "fchown"):
                st = os.fstat(fd)
                if (st.st_uid, st.st_gid) != owner:
                    # A non-root user cannot give files away; can_write vetted it.
                    with contextlib.suppress(PermissionError):
                        os.fchown(fd, *owner)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace(tmp, real)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


# -- history --------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryFile:
    """One file of a history entry."""

    path: str  # as the plan named it
    real_path: str  # the file actually written (symlinks resolved)
    existed: bool
    blob: str | None  # backup file name inside the history folder
    old_digest: str
    new_digest: str
    summary: str  # masked description with line counts


@dataclass(frozen=True)
class HistoryEntry:
    """One applied (or pending, or undone) fix."""

    entry_id: str
    fix_id: str
    title: str
    created: str  # ISO 8601, UTC
    state: str  # "pending", "applied", "undone"
    files: tuple[HistoryFile, ...] = field(default=())


def default_history_dir() -> Path:
    """``$GOBUILDGUI_HISTORY_DIR`` or ``<user data dir>/gobuildgui/history``."""
    env = os.environ.get("GOBUILDGUI_HISTORY_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("gobuildgui")) / "history"


class History:
    """The undo history: a JSON index plus one backup blob per file (all 0600)."""

    def __init__(self, root: Path | None = None, *, max_entries: int = 200) -> None:
        self.root = root if root is not None else default_history_dir()
        self.max_entries = max_entries

    @property
    def index_path(self) -> Path:
        """The JSON index."""
        return self.root / "index.json"

    def _ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(self.root, 0o700)

    def entries(self) -> tuple[HistoryEntry, ...]:
        """Every entry, oldest first (an unreadable index reads as empty)."""
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ()
        out: list[HistoryEntry] = []
        for e in data.get("entries", []):
            try:
                files = tuple(HistoryFile(**f) for f in e["files"])
                out.append(HistoryEntry(**{**e, "files": files}))
            except (TypeError, KeyError):
                continue
        return tuple(out)

    def _save(self, entries: Sequence[HistoryEntry]) -> None:
        self._ensure()
        data: dict[str, Any] = {
            "version": 1,
            "entries": [{**e.__dict__, "files": [f.__dict__ for f in e.files]} for e in entries],
        }
        text = json.dumps(data, indent=2) + "\n"
        atomic_write(self.index_path, text.encode("utf-8"), mode=0o600, owner=None)

    def get(self, entry_id: str) -> HistoryEntry:
        """The entry ``entry_id``; UndoError when there is none."""
        for e in self.entries():
            if e.entry_id == entry_id:
                return e
        raise UndoError(f"no fix {entry_id!r} in the history (gobuildgui fix --history)")

    def last_applied(self) -> HistoryEntry | None:
        """The newest entry that is applied and not undone."""
        applied = [e for e in self.entries() if e.state == "applied"]
        return applied[-1] if applied else None

    def _write_blob(self, name: str, data: bytes) -> None:
        self._ensure()
        path = self.root / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def blob(self, name: str) -> bytes:
        """The bytes of a backup blob."""
        return (self.root / name).read_bytes()

    def record(self, plan: FixPlan, files: Sequence[tuple[FileChange, Path, bytes | None]]) -> str:
        """Save backups of ``files`` (change, real path, current bytes); a pending entry."""
        now = _dt.datetime.now(_dt.UTC)
        entry_id = now.strftime("%Y%m%d-%H%M%S-") + _secrets.token_hex(3)
        hfiles: list[HistoryFile] = []
        for n, (change, real, raw) in enumerate(files):
            blob = None
            if raw is not None:
                blob = f"{entry_id}-{n}.bak"
                self._write_blob(blob, raw)
            old_lines = (change.old_text or "").count("\n")
            summary = mask(
                f"{change.description} ({old_lines} -> {change.new_text.count(chr(10))} lines)",
                plan.secrets,
            )
            hfiles.append(
                HistoryFile(
                    str(change.path),
                    str(real),
                    raw is not None,
                    blob,
                    digest(raw),
                    digest(change.new_bytes),
                    summary,
                )
            )
        entry = HistoryEntry(
            entry_id,
            plan.fix_id,
            mask(plan.title, plan.secrets),
            now.isoformat(timespec="seconds"),
            "pending",
            tuple(hfiles),
        )
        entries = [*self.entries(), entry]
        for old in entries[: max(0, len(entries) - self.max_entries)]:
            for f in old.files:  # the oldest go, with their backups
                if f.blob:
                    with contextlib.suppress(OSError):
                        (self.root / f.blob).unlink()
        self._save(entries[-self.max_entries :])
        return entry_id

    def prune_pending(self) -> list[str]:
        """Forget entries left pending by an attempt that never completed; return their ids.

        A pending entry comes from a plan that needed root (and was not elevated) or a
        process that died while writing; its backups describe a state nobody confirmed.
        """
        pending = [e.entry_id for e in self.entries() if e.state == "pending"]
        for entry_id in pending:
            self.discard(entry_id)
        staged = self.root / "staged"
        if pending and staged.is_dir():
            for p in staged.iterdir():
                if any(p.name.startswith(i) for i in pending):
                    with contextlib.suppress(OSError):
                        p.unlink()
        return pending

    def set_state(self, entry_id: str, state: str) -> None:
        """Mark an entry applied/undone."""
        entries = [
            HistoryEntry(**{**e.__dict__, "state": state}) if e.entry_id == entry_id else e
            for e in self.entries()
        ]
        self._save(entries)

    def discard(self, entry_id: str) -> None:
        """Forget a pending entry and delete its blobs."""
        keep: list[HistoryEntry] = []
        for e in self.entries():
            if e.entry_id != entry_id:
                keep.append(e)
                continue
            for f in e.files:
                if f.blob:
                    with contextlib.suppress(OSError):
                        (self.root / f.blob).unlink()
        self._save(keep)

    def undo(
        self, entry_id: str | None = None, *, force: bool = False, euid: int | None = None
    ) -> HistoryEntry:
        """Restore every file of an entry (default: the last applied) byte for byte.

        Refuses (UndoError) when a file changed after the fix, unless ``force``;
        NeedsRootError when a file needs root. Nothing is written when it refuses.
        """
        entry = self.get(entry_id) if entry_id else self.last_applied()
        if entry is None:
            raise UndoError("nothing to undo: no applied fix in the history")
        if entry.state != "applied":
            raise UndoError(f"fix {entry.entry_id} is {entry.state}, not applied; nothing to undo")
        for f in entry.files:
            real = Path(f.real_path)
            try:
                now = digest(real.read_bytes())
            except FileNotFoundError:
                now = ""
            except OSError as exc:
                raise UndoError(f"cannot read {real}: {exc.strerror}") from None
            if now != f.new_digest and not force:
                raise UndoError(
                    f"{f.path} changed after fix {entry.entry_id} was applied; undoing would"
                    " throw those changes away, so nothing was restored. Undo with --force to"
                    " restore the old contents anyway."
                )
        blocked = [
            Path(f.real_path) for f in entry.files if not can_write(Path(f.real_path), euid=euid)
        ]
        if blocked:
            cmds: list[str] = []
            for f in entry.files:
                q = shlex.quote(f.real_path)
                if f.blob:
                    blob = shlex.quote(str(self.root / f.blob))
                    try:
                        st = Path(f.real_path).stat()
                        mode, uid, gid = st.st_mode & 0o7777, st.st_uid, st.st_gid
                    except OSError:
                        mode, uid, gid = 0o644, 0, 0
                    cmds += [
                        f"sudo install -m {mode:04o} -o {uid} -g {gid} {blob} {q}.gbg-new",
                        f"sudo mv -f {q}.gbg-new {q}",
                    ]
                else:
                    cmds.append(f"sudo rm -f {q}")
            raise NeedsRootError(blocked, _pkexec(cmds), tuple(cmds), entry.entry_id, ())
        for f in reversed(entry.files):
            real = Path(f.real_path)
            if f.blob is None:
                with contextlib.suppress(FileNotFoundError):
                    real.unlink()
                _fsync_dir(real.parent)
                continue
            data = self.blob(f.blob)
            try:
                st = real.stat()
                mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
            except OSError:
                mode, owner = 0o644, None
            try:
                atomic_write(real, data, mode=mode, owner=owner)
            except OSError as exc:
                reason, hint = _describe_os_error(exc, real)
                raise WriteFailedError(real, reason, hint) from None
        self.set_state(entry.entry_id, "undone")
        return entry

    def undo_with_elevation(
        self,
        entry_id: str | None = None,
        *,
        force: bool = False,
        euid: int | None = None,
        runner: Runner | None = None,
        timeout: float = 120.0,
    ) -> HistoryEntry:
        """:meth:`undo`; files that need root are restored through ``pkexec``."""
        try:
            return self.undo(entry_id, force=force, euid=euid)
        except NeedsRootError as need:
            elevated = need
        _run_elevated(elevated, runner or subprocess.run, timeout)
        entry = self.get(elevated.entry_id or "")
        for f in entry.files:
            now = _read_now(Path(f.real_path))
            if digest(now) != f.old_digest:
                raise WriteFailedError(
                    Path(f.path),
                    "the elevated restore did not leave the old contents",
                    "Check the file by hand; the backup is in the undo history.",
                )
        self.set_state(entry.entry_id, "undone")
        return entry


def _pkexec(commands: Sequence[str]) -> tuple[str, ...]:
    script = " && ".join(c.removeprefix("sudo ") for c in commands)
    return ("pkexec", "/bin/sh", "-c", script)


# -- apply ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyResult:
    """What :func:`apply_plan` wrote."""

    entry_id: str | None  # None when nothing needed writing
    written: tuple[Path, ...]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _read_now(real: Path) -> bytes | None:
    try:
        return real.read_bytes()
    except FileNotFoundError:
        return None


def _check_unchanged(
    changes: Sequence[FileChange], secrets: Sequence[str] = ()
) -> list[tuple[FileChange, Path, bytes | None]]:
    current: list[tuple[FileChange, Path, bytes | None]] = []
    stale: list[Path] = []
    diffs: list[str] = []
    for c in changes:
        real = _real(c.path)
        try:
            raw = _read_now(real)
        except OSError as exc:
            reason, hint = _describe_os_error(exc, real)
            raise WriteFailedError(c.path, f"cannot read it again: {reason}", hint) from None
        if digest(raw) != c.old_digest:
            stale.append(c.path)
            now_text = raw.decode("utf-8", errors="replace") if raw is not None else ""
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        split_lines((c.old_text or ""), keepends=True),
                        split_lines(now_text, keepends=True),
                        fromfile=f"{c.path} (previewed)",
                        tofile=f"{c.path} (on disk now)",
                    )
                )
            )
        current.append((c, real, raw))
    if stale:
        raise ChangedSincePreviewError(stale, mask("".join(diffs), secrets))
    return current


def _stage_for_root(
    files: Sequence[tuple[FileChange, Path, bytes | None]],
    blocked: Sequence[Path],
    history: History,
    entry_id: str,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Path, ...]]:
    """Stage the new contents; the pkexec command and the commands to copy.

    Every file of the plan is installed by the elevated command (all-or-nothing); a
    new file that this user could have written is given to this user, not to root.
    """
    staged_dir = history.root / "staged"
    staged_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    staged: list[Path] = []
    cmds: list[str] = []
    for n, (c, real, raw) in enumerate(files):
        s = staged_dir / f"{entry_id}-{n}.new"
        fd = os.open(s, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, c.new_bytes)
        finally:
            os.close(fd)
        staged.append(s)
        q, qs = shlex.quote(str(real)), shlex.quote(str(s))
        mode = f"{(c.mode if c.mode is not None else 0o644):04o}"
        if c.owner is not None:
            uid, gid = c.owner
        elif c.path in blocked or not hasattr(os, "getegid"):
            uid, gid = 0, 0
        else:
            uid, gid = os.geteuid(), os.getegid()
        if raw is None:
            cmds.append(f"sudo mkdir -p {shlex.quote(str(real.parent))}")
        else:
            cmds.append(f"sudo cp -p {q} {q}.bak")
        cmds += [
            f"sudo install -m {mode} -o {uid} -g {gid} {qs} {q}.gbg-new",
            f"sudo mv -f {q}.gbg-new {q}",
        ]
    return _pkexec([c for c in cmds if " cp -p " not in c]), tuple(cmds), tuple(staged)


def apply_plan(
    plan: FixPlan,
    *,
    history: History,
    euid: int | None = None,
    before_replace: Hook | None = None,
    rebuild: Callable[[], FixPlan] | None = None,
) -> ApplyResult:
    """Write every file of ``plan`` (see the module docstring for the guarantees).

    ``rebuild`` (e.g. ``lambda: spec.build(settings, ctx)``) plans the fix again when a
    file changed since the preview; the error then carries that ``fresh_plan``.
    """
    changes = [c for c in plan.changes if c.changed]
    if not changes:
        return ApplyResult(None, ())
    try:
        files = _check_unchanged(changes, plan.secrets)
    except ChangedSincePreviewError as stale:
        if rebuild is None:
            raise
        try:
            fresh = rebuild()
        except FixError:
            raise stale from None
        raise ChangedSincePreviewError(stale.paths, stale.diffs, fresh) from None
    with contextlib.suppress(OSError):
        history.prune_pending()
    blocked = [c.path for c, real, _ in files if not can_write(real, euid=euid)]
    try:
        entry_id = history.record(plan, files)
    except OSError as exc:
        reason, hint = _describe_os_error(exc, history.root)
        raise WriteFailedError(
            changes[0].path,
            f"cannot save the backup in the undo history {history.root}: {reason}",
            hint,
        ) from None
    if blocked:
        elevation, cmds, staged = _stage_for_root(files, blocked, history, entry_id)
        raise NeedsRootError(blocked, elevation, cmds, entry_id, staged)
    written: list[tuple[Path, bytes | None, FileChange]] = []
    for c, real, raw in files:
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(
                real, c.new_bytes, mode=c.mode, owner=c.owner, before_replace=before_replace
            )
        except OSError as exc:
            left = _rollback(written)
            if not left:
                history.discard(entry_id)
            reason, hint = _describe_os_error(exc, real)
            if exc.errno in (errno.EACCES,) and (euid if euid is not None else os.geteuid()) != 0:
                hint = "Apply with administrator rights (pkexec), or use the commands to copy."
            raise WriteFailedError(c.path, reason, hint, left_changed=left) from None
        written.append((real, raw, c))
    history.set_state(entry_id, "applied")
    return ApplyResult(entry_id, tuple(c.path for c in changes))


def _rollback(written: Sequence[tuple[Path, bytes | None, FileChange]]) -> list[Path]:
    left: list[Path] = []
    for real, raw, c in reversed(written):
        try:
            if raw is None:
                real.unlink()
            else:
                atomic_write(real, raw, mode=c.mode, owner=c.owner)
        except OSError:
            left.append(c.path)
    return left


Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]


def apply_with_elevation(
    plan: FixPlan,
    *,
    history: History,
    runner: Runner | None = None,
    timeout: float = 120.0,
    euid: int | None = None,
) -> ApplyResult:
    """Apply ``plan``; files that need root are installed through ``pkexec``.

    ``runner`` is called as ``runner(argv, timeout=..., capture_output=True)``. After it
    returns, every target must hold the new bytes, else WriteFailedError (the history
    entry stays pending so its backups are kept). On Linux without a polkit agent
    pkexec fails; the error then gives the commands to copy.
    """
    try:
        return apply_plan(plan, history=history, euid=euid)
    except NeedsRootError as exc:
        need = exc
    return _elevate(plan, need, history=history, runner=runner or subprocess.run, timeout=timeout)


def _run_elevated(need: NeedsRootError, runner: Runner, timeout: float) -> None:
    """Run ``need.elevation_command``; WriteFailedError (with the commands) if it fails."""
    try:
        proc = runner(list(need.elevation_command), timeout=timeout, capture_output=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WriteFailedError(
            need.paths[0],
            f"could not run pkexec ({exc})",
            "Run the commands to copy instead:\n" + "\n".join(need.commands),
        ) from None
    if proc.returncode != 0:
        err = redact((proc.stderr or b"").decode("utf-8", errors="replace").strip())
        raise WriteFailedError(
            need.paths[0],
            f"pkexec exited with status {proc.returncode}: {err or 'cancelled'}",
            "Run the commands to copy instead:\n" + "\n".join(need.commands),
        )


def _elevate(
    plan: FixPlan, need: NeedsRootError, *, history: History, runner: Runner, timeout: float
) -> ApplyResult:
    _run_elevated(need, runner, timeout)
    for c in plan.changes:
        if c.changed and digest(_read_now(_real(c.path))) != digest(c.new_bytes):
            raise WriteFailedError(
                c.path,
                "the elevated copy did not leave the new contents",
                "Check the file by hand.",
            )
    for s in need.staged:
        with contextlib.suppress(OSError):
            s.unlink()
    if need.entry_id is not None:
        history.set_state(need.entry_id, "applied")
    return ApplyResult(need.entry_id, tuple(c.path for c in plan.changes if c.changed))
