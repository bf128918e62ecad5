"""Safe writes: backups, atomic replace, all-or-nothing, undo, and injected faults.

Every fault test proves the original bytes survive and the message says what happened
and what to do. Faults are real: a SIGKILLed process, a full tmpfs, a file size limit,
a read-only mount, an immutable file, a root-owned file seen by ``nobody``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gobuildgui.core.fixes import (
    FIXES,
    ChangedSincePreviewError,
    FixContext,
    FixPlan,
    History,
    NeedsRootError,
    Target,
    UndoError,
    WriteFailedError,
    apply_plan,
    apply_with_elevation,
)
from gobuildgui.core.fixes.write import unified_diff

REPO = Path(__file__).resolve().parents[4]
ORIGINAL = b'{\n  "debug": true,\n  "dns": ["1.1.1.1"]\n}\n'


def _require_root(what: str) -> None:
    if os.geteuid() != 0:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail(f"{what} needs root")
        pytest.skip(f"{what} needs root")


def _plan(path: Path, dns: str = "10.0.0.2") -> FixPlan:
    ctx = FixContext(
        platform="linux",
        env={"HOME": "/nonexistent"},
        overrides={Target.DAEMON_JSON: path},
        service_files=(),
    )
    return FIXES["daemon-dns"].build({"dns": dns}, ctx)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "history")


def test_apply_then_undo_is_byte_for_byte_and_keeps_mode_and_owner(
    tmp_path: Path, history: History
) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    os.chmod(f, 0o640)
    if os.geteuid() == 0:
        os.chown(f, 1234, 4321)
    before = f.stat()
    result = apply_plan(_plan(f), history=history)
    after = f.stat()
    assert b'"dns": ["10.0.0.2"]' in f.read_bytes()
    assert (after.st_mode, after.st_uid, after.st_gid) == (
        before.st_mode,
        before.st_uid,
        before.st_gid,
    )
    assert after.st_ino != before.st_ino  # replaced, not rewritten in place
    assert _leftovers(tmp_path) == []
    (entry,) = history.entries()
    assert entry.state == "applied"
    assert entry.entry_id == result.entry_id
    blob = history.root / (entry.files[0].blob or "")
    assert blob.stat().st_mode & 0o777 == 0o600
    assert history.root.stat().st_mode & 0o777 == 0o700
    history.undo(result.entry_id)
    assert f.read_bytes() == ORIGINAL
    assert history.entries()[0].state == "undone"
    with pytest.raises(UndoError, match="not applied"):
        history.undo(result.entry_id)


def test_new_file_undo_removes_it(tmp_path: Path, history: History) -> None:
    f = tmp_path / "etc" / "docker" / "daemon.json"
    result = apply_plan(_plan(f), history=history)
    assert json.loads(f.read_text()) == {"dns": ["10.0.0.2"]}
    assert f.stat().st_mode & 0o777 == 0o644
    history.undo(result.entry_id)
    assert not f.exists()


def test_undo_refuses_when_the_file_changed_since_unless_forced(
    tmp_path: Path, history: History
) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    result = apply_plan(_plan(f), history=history)
    f.write_text('{"dns": ["9.9.9.9"]}\n')
    with pytest.raises(UndoError, match=r"changed after fix .* --force"):
        history.undo()
    assert f.read_text() == '{"dns": ["9.9.9.9"]}\n'
    history.undo(result.entry_id, force=True)
    assert f.read_bytes() == ORIGINAL


def test_history_index_holds_no_secret(tmp_path: Path, history: History) -> None:
    f = tmp_path / "config.json"
    ctx = FixContext(
        platform="linux", env={"HOME": str(tmp_path)}, overrides={Target.CLIENT_CONFIG: f}
    )
    plan = FIXES["client-proxy"].build(
        {"http-proxy": "http://alice:Tr0ub4dor-pw@proxy.corp:3128"}, ctx
    )
    apply_plan(plan, history=history)
    assert "Tr0ub4dor-pw" in f.read_text()
    assert "Tr0ub4dor-pw" not in history.index_path.read_text()
    assert "Tr0ub4dor-pw" not in unified_diff(plan.changes[0], secrets=plan.secrets)


def test_symlinked_config_writes_the_real_file_and_keeps_the_link(
    tmp_path: Path, history: History
) -> None:
    real_dir = tmp_path / "dotfiles"
    real_dir.mkdir()
    real = real_dir / "daemon.json"
    real.write_bytes(ORIGINAL)
    link = tmp_path / "daemon.json"
    link.symlink_to(real)
    result = apply_plan(_plan(link), history=history)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert b"10.0.0.2" in real.read_bytes()
    history.undo(result.entry_id)
    assert link.is_symlink()
    assert real.read_bytes() == ORIGINAL


def test_file_changed_between_preview_and_apply(tmp_path: Path, history: History) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    plan = _plan(f)
    edited = ORIGINAL.replace(b'"debug": true', b'"debug": false')
    f.write_bytes(edited)
    with pytest.raises(ChangedSincePreviewError) as info:
        apply_plan(plan, history=history)
    assert f.read_bytes() == edited
    assert '-  "debug": true,' in info.value.diffs
    assert '+  "debug": false,' in info.value.diffs
    assert "nothing was written" in str(info.value)
    assert "preview the fix again" in str(info.value)
    assert history.entries() == ()
    apply_plan(_plan(f), history=history)  # a fresh plan applies
    assert b'"debug": false' in f.read_bytes()
    assert b"10.0.0.2" in f.read_bytes()


_KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from gobuildgui.core.fixes import FIXES, FixContext, History, Target, apply_plan
target, hist = Path(sys.argv[1]), Path(sys.argv[2])
ctx = FixContext(platform="linux", env={}, overrides={Target.DAEMON_JSON: target}, service_files=())
plan = FIXES["daemon-dns"].build({"dns": "10.0.0.2"}, ctx)
def die(tmp, real):
    assert tmp.read_bytes() == plan.changes[0].new_bytes  # the temp file is complete
    os.kill(os.getpid(), signal.SIGKILL)
apply_plan(plan, history=History(hist), before_replace=die)
"""


def test_process_killed_between_write_and_rename(tmp_path: Path, history: History) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_SCRIPT, str(f), str(history.root)],
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert f.read_bytes() == ORIGINAL
    (stale,) = _leftovers(tmp_path)
    assert stale.startswith(".daemon.json.")
    assert stale.endswith(".tmp")
    # the next apply in that folder removes the dead process's temp file
    apply_plan(_plan(f), history=history)
    assert _leftovers(tmp_path) == []
    assert b"10.0.0.2" in f.read_bytes()
    assert [e.state for e in history.entries()] == ["applied"]  # the dead attempt is pruned


@pytest.fixture
def small_tmpfs() -> Iterator[Path]:
    _require_root("mounting a tmpfs")
    mnt = Path(tempfile.mkdtemp(prefix=f"gbg-{os.getpid()}-full-", dir="/var/tmp"))
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], check=True, timeout=30
    )
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False, timeout=30)
        shutil.rmtree(mnt, ignore_errors=True)


def test_full_disk(small_tmpfs: Path, history: History) -> None:
    f = small_tmpfs / "daemon.json"
    f.write_bytes(ORIGINAL)
    filler = small_tmpfs / "filler"
    with filler.open("wb", buffering=0) as fh:  # fill the file system to the last block
        try:
            while True:
                fh.write(b"x" * 1024)
        except OSError:
            pass
    many = ", ".join(f"10.0.{i // 250}.{i % 250 + 1}" for i in range(600))
    with pytest.raises(WriteFailedError) as info:
        apply_plan(_plan(f, dns=many), history=history)
    assert "no space left" in str(info.value)
    assert "Nothing was changed" in str(info.value)
    assert "Free some space" in str(info.value)
    assert f.read_bytes() == ORIGINAL
    assert _leftovers(small_tmpfs) == []
    assert history.entries() == ()


_FSIZE_SCRIPT = """
import resource, sys
from pathlib import Path
from gobuildgui.core.fixes import FIXES, FixContext, History, Target, WriteFailedError, apply_plan
target, hist = Path(sys.argv[1]), Path(sys.argv[2])
ctx = FixContext(platform="linux", env={}, overrides={Target.DAEMON_JSON: target}, service_files=())
many = ", ".join(f"10.0.{i // 250}.{i % 250 + 1}" for i in range(600))
plan = FIXES["daemon-dns"].build({"dns": many}, ctx)
History(hist).entries()
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    apply_plan(plan, history=History(hist))
except WriteFailedError as exc:
    print(exc)
    sys.exit(3)
"""


def test_file_size_limit(tmp_path: Path, history: History) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    proc = subprocess.run(
        [sys.executable, "-c", _FSIZE_SCRIPT, str(f), str(history.root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 3, proc.stderr
    assert "file size limit was exceeded" in proc.stdout
    assert "Nothing was changed" in proc.stdout
    assert f.read_bytes() == ORIGINAL
    assert _leftovers(tmp_path) == []


def test_read_only_file_system(small_tmpfs: Path, history: History) -> None:
    f = small_tmpfs / "daemon.json"
    f.write_bytes(ORIGINAL)
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True, timeout=30)
    with pytest.raises(WriteFailedError) as info:
        apply_plan(_plan(f), history=history)
    assert "read-only" in info.value.reason
    assert "Remount it read-write" in info.value.hint
    assert f.read_bytes() == ORIGINAL


def test_immutable_file(tmp_path: Path, history: History) -> None:
    _require_root("chattr +i")
    if shutil.which("chattr") is None:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail("chattr not found (Debian package e2fsprogs)")
        pytest.skip("chattr not found (Debian package e2fsprogs)")
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    if subprocess.run(["chattr", "+i", str(f)], capture_output=True, check=False).returncode != 0:
        pytest.skip("the file system of the temp dir has no immutable flag")
    try:
        with pytest.raises(WriteFailedError) as info:
            apply_plan(_plan(f), history=history)
        assert "operation not permitted" in info.value.reason
        assert "chattr -i" in info.value.hint
        assert f.read_bytes() == ORIGINAL
        assert _leftovers(tmp_path) == []
    finally:
        subprocess.run(["chattr", "-i", str(f)], check=False)


def test_multi_file_plan_is_all_or_nothing(
    small_tmpfs: Path, tmp_path: Path, history: History
) -> None:
    first = tmp_path / "daemon.json"
    first.write_bytes(ORIGINAL)
    second = small_tmpfs / "daemon.json"
    second.write_bytes(ORIGINAL)
    a, b = _plan(first), _plan(second)
    both = FixPlan(**{**a.__dict__, "changes": (a.changes[0], b.changes[0])})
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True, timeout=30)
    with pytest.raises(WriteFailedError) as info:
        apply_plan(both, history=history)
    assert info.value.path == second
    assert "Nothing was changed" in str(info.value)
    assert first.read_bytes() == ORIGINAL  # rolled back
    assert second.read_bytes() == ORIGINAL


_NOBODY_SCRIPT = """
import json, sys
from pathlib import Path
from gobuildgui.core.fixes import FIXES, FixContext, History, NeedsRootError, Target
from gobuildgui.core.fixes import apply_plan, apply_with_elevation
target, hist = Path(sys.argv[1]), Path(sys.argv[2])
ctx = FixContext(platform="linux", env={}, overrides={Target.DAEMON_JSON: target}, service_files=())
plan = FIXES["daemon-dns"].build({"dns": "10.0.0.2"}, ctx)
out = {"needs_root": plan.needs_root, "copy": list(plan.commands_to_copy)}
try:
    apply_plan(plan, history=History(hist))
except NeedsRootError as exc:
    out.update(message=str(exc), elevation=list(exc.elevation_command), commands=list(exc.commands),
               new=plan.changes[0].new_text)
calls = []
class Denied:
    returncode, stderr = 126, b"Error executing command as another user: Not authorized"
def runner(argv, **kw):
    calls.append([argv, kw])
    return Denied()
try:
    apply_with_elevation(plan, history=History(hist), runner=runner, timeout=5)
except Exception as exc:
    out.update(elevation_error=str(exc), runner_calls=calls)
print(json.dumps(out))
"""


def test_root_owned_target_seen_by_nobody(history: History) -> None:
    _require_root("switching to nobody")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv not found (util-linux)")
    shared = Path(tempfile.mkdtemp(prefix=f"gbg-{os.getpid()}-nobody-", dir="/var/tmp"))
    try:
        os.chmod(shared, 0o755)
        etc = shared / "etc-docker"
        etc.mkdir(mode=0o755)
        f = etc / "daemon.json"
        f.write_bytes(ORIGINAL)
        os.chmod(f, 0o644)
        hist = shared / "nobody-history"
        hist.mkdir()
        shutil.chown(hist, "nobody", "nogroup")
        proc = subprocess.run(
            [
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                sys.executable,
                "-c",
                _NOBODY_SCRIPT,
                str(f),
                str(hist),
            ],
            cwd=shared,
            env={"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), "HOME": str(hist)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert f.read_bytes() == ORIGINAL
        assert out["needs_root"] is True
        assert "can only be changed by root, so nothing was written" in out["message"]
        assert out["copy"][0] == f"sudo cp -p {f} {f}.bak"
        assert out["elevation"][:3] == ["pkexec", "/bin/sh", "-c"]
        assert "install -m 0644 -o 0 -g 0 " in out["elevation"][3]
        assert any(c == f"sudo mv -f {f}.gbg-new {f}" for c in out["commands"])
        # pkexec cannot run here (no polkit agent); the runner got exactly that command
        (call,) = out["runner_calls"]
        assert call[0][:3] == ["pkexec", "/bin/sh", "-c"]
        assert call[0][3].endswith(f"mv -f {f}.gbg-new {f}")
        assert call[1] == {"timeout": 5, "capture_output": True}
        assert (
            "pkexec exited with status 126: Error executing command as another user"
            in out["elevation_error"]
        )
        assert "sudo install" in out["elevation_error"]  # the commands to copy
        # What pkexec would run, run as root here: it installs exactly the new text.
        # (the runner's call: the first attempt's pending entry was pruned by the second)
        subprocess.run(call[0][1:], check=True, timeout=30)
        assert f.read_text() == out["new"]
        st = f.stat()
        assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (0, 0, 0o644)
        assert not Path(f"{f}.gbg-new").exists()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_side_by_side_rows_fold_unchanged_lines_and_mask() -> None:
    from gobuildgui.core.fixes import FileChange, side_by_side

    old = "".join(f"line{i}\n" for i in range(20))
    new = old.replace("line3\n", "LINE3\nproxy=http://u:Sh0uldNotShow@p:1\n").replace(
        "line15\n", ""
    )
    rows = side_by_side(FileChange(Path("x"), old, new, "", "d"), secrets=("Sh0uldNotShow",))
    tags = [r.tag for r in rows]
    assert tags.count("skip") == 1
    assert (
        rows[3].tag,
        rows[3].old_line,
        rows[3].old_text,
        rows[3].new_line,
        rows[3].new_text,
    ) == ("replace", 4, "line3", 4, "LINE3")
    assert rows[4].tag == "insert"
    assert rows[4].old_line is None
    assert "Sh0uldNotShow" not in repr(rows)
    assert [r.old_text for r in rows if r.tag == "delete"] == ["line15"]
    new_file = side_by_side(FileChange(Path("x"), None, "a\nb\n", "", "d"))
    assert [(r.tag, r.new_line) for r in new_file] == [("insert", 1), ("insert", 2)]


def _without_pkexec(argv: list[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    """What pkexec would run, run directly: this process is root (pkexec needs a polkit
    agent, which a test machine does not have)."""
    assert argv[0] == "pkexec"
    return subprocess.run(argv[1:], check=False, **kw)  # type: ignore[call-overload,no-any-return]


def test_elevated_apply_and_undo_end_to_end(tmp_path: Path, history: History) -> None:
    _require_root("running the elevation command")
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    os.chmod(f, 0o640)
    os.chown(f, 0, 4321)
    nobody = 65534
    ctx = FixContext(
        platform="linux", env={}, overrides={Target.DAEMON_JSON: f}, service_files=(), euid=nobody
    )
    plan = FIXES["daemon-dns"].build({"dns": "10.0.0.2"}, ctx)
    assert plan.needs_root
    result = apply_with_elevation(plan, history=history, euid=nobody, runner=_without_pkexec)
    assert f.read_bytes() == plan.changes[0].new_bytes
    st = f.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (0, 4321, 0o640)
    assert not Path(f"{f}.gbg-new").exists()
    assert [e.state for e in history.entries()] == ["applied"]
    assert list((history.root / "staged").iterdir()) == []
    with pytest.raises(NeedsRootError) as info:
        history.undo(result.entry_id, euid=nobody)
    assert info.value.commands[0].startswith("sudo install -m 0640 -o 0 -g 4321 ")
    history.undo_with_elevation(result.entry_id, euid=nobody, runner=_without_pkexec)
    assert f.read_bytes() == ORIGINAL
    assert history.entries()[0].state == "undone"


def test_can_write_as_another_user_reads_the_permission_bits(tmp_path: Path) -> None:
    from gobuildgui.core.fixes.files import can_write

    _require_root("files owned by another user")
    folder = tmp_path / "home"
    folder.mkdir()
    os.chown(folder, 1000, 1000)
    mine = folder / "config.json"
    mine.write_text("{}")
    os.chown(mine, 1000, 1000)
    assert can_write(mine, euid=1000)
    assert can_write(folder / "new.json", euid=1000)
    assert not can_write(mine, euid=1001)  # not the owner: the owner could not be kept
    os.chmod(mine, 0o444)
    assert not can_write(mine, euid=1000)
    assert can_write(mine, euid=0)


def test_format_plan_shows_the_commands_when_root_is_needed(tmp_path: Path) -> None:
    import dataclasses

    from gobuildgui.core.fixes.write import format_plan, manual_commands

    plan = _plan(tmp_path / "daemon.json")
    change = dataclasses.replace(plan.changes[0], needs_root=True)
    plan = dataclasses.replace(plan, changes=(change,))
    plan = dataclasses.replace(plan, commands_to_copy=manual_commands(plan))
    text = format_plan(plan)
    assert "(needs root)" in text
    assert "Root is needed; the same change by hand:" in text
    assert f"\nsudo tee {tmp_path / 'daemon.json'} > /dev/null <<'GOBUILDGUI_EOF'\n" in text
    assert "\nGOBUILDGUI_EOF\n" in text  # the heredoc's end marker at column 1


def test_history_keeps_the_newest_entries_and_their_blobs(tmp_path: Path) -> None:
    history = History(tmp_path / "history", max_entries=3)
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    ids = [apply_plan(_plan(f, dns=f"10.0.0.{n}"), history=history).entry_id for n in range(2, 7)]
    assert [e.entry_id for e in history.entries()] == ids[-3:]
    blobs = sorted(p.name for p in history.root.glob("*.bak"))
    assert blobs == sorted(f"{i}-0.bak" for i in ids[-3:])


def test_changed_since_preview_carries_the_fresh_plan(tmp_path: Path, history: History) -> None:
    f = tmp_path / "daemon.json"
    f.write_bytes(ORIGINAL)
    plan = _plan(f)
    f.write_bytes(ORIGINAL.replace(b'"debug": true', b'"debug": false'))
    with pytest.raises(ChangedSincePreviewError) as info:
        apply_plan(plan, history=history, rebuild=lambda: _plan(f))
    fresh = info.value.fresh_plan
    assert fresh is not None
    assert b'"debug": false' in fresh.changes[0].new_bytes
    assert "The fix planned again on the current files" in str(info.value)
    apply_plan(fresh, history=history)
    assert b'"dns": ["10.0.0.2"]' in f.read_bytes()


@pytest.mark.parametrize("existing", [True, False])
def test_commands_to_copy_make_the_same_file(tmp_path: Path, existing: bool) -> None:
    f = tmp_path / "etc" / "daemon.json"
    if existing:
        f.parent.mkdir()
        f.write_bytes(ORIGINAL)
    plan = _plan(f)
    script = "set -e\n" + "\n".join(c.removeprefix("sudo ") for c in plan.commands_to_copy)
    proc = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert f.read_bytes() == plan.changes[0].new_bytes
    if existing:
        assert Path(f"{f}.bak").read_bytes() == ORIGINAL
