"""The wizard's one seam to ``gobuildgui.core.fixes``: symptoms, options, targets, plans.

Pages ask this module, never the core directly, so the shapes the pages use stay put
when the core's change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gobuildgui.core import fixes
from gobuildgui.core.fixes import FileChange, FixContext, FixPlan, FixSpec, Target
from gobuildgui.core.fixes.files import can_write
from gobuildgui.core.model import Applicability
from gobuildgui.core.secrets import redact

# Fixes whose daemon.json keys (or drop-in) only take effect after a daemon restart; the
# others are reloadable (registry-mirrors, features) or need no daemon at all.
RESTART_FIXES = frozenset({"daemon-dns", "daemon-mtu", "daemon-proxy"})

TARGET_LABELS: Mapping[Target, str] = {
    Target.DAEMON_JSON: "Docker daemon configuration (daemon.json)",
    Target.CLIENT_CONFIG: "Docker client configuration (config.json)",
    Target.GO_ENV: "Go environment file (go env -w)",
    Target.SYSTEMD_DROPIN: "systemd drop-in for the Docker service",
    Target.DOCKERFILE: "Dockerfile",
}


@dataclass(frozen=True, slots=True)
class SymptomChoice:
    """A symptom as the first page lists it."""

    symptom_id: str
    error_text: str  # what the user sees in the build output
    explanation: str  # in plain words
    fix_ids: tuple[str, ...]
    probes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OptionChoice:
    """One way to fix it, with its trade-off and badges.

    ``fix_id`` is the fix that is planned when this option is chosen (another fix for an
    option that points elsewhere); ``presets`` fill its fields.
    """

    fix_id: str
    option_id: str
    title: str
    tradeoff: str
    presets: Mapping[str, str]
    recommended: bool
    needs_root: bool
    needs_restart: bool


@dataclass(frozen=True, slots=True)
class ManualAlternative:
    """An option of the catalogue that writes no file (e.g. ``--network=host`` per build)."""

    title: str
    tradeoff: str
    command: str


@dataclass(frozen=True, slots=True)
class TargetChoice:
    """A file the fix edits: its kind, a label and the path used now (None: none here)."""

    target: Target
    label: str
    path: Path | None


def symptoms() -> tuple[SymptomChoice, ...]:
    """Every symptom the wizard offers on its first page."""
    return tuple(
        SymptomChoice(s.symptom_id, s.title, s.explanation, s.fix_ids, s.probes)
        for s in fixes.SYMPTOMS
    )


def spec(fix_id: str) -> FixSpec:
    """The fix called ``fix_id`` (KeyError when unknown)."""
    return fixes.FIXES[fix_id]


def known_fix(fix_id: str) -> bool:
    """Whether ``fix_id`` names a fix of the catalogue."""
    return fix_id in fixes.FIXES


def resolve_symptom(symptom: str) -> tuple[str, tuple[str, ...]]:
    """``(text to show, fix ids)`` for a symptom id, a log-finding category or a probe family."""
    for s in fixes.SYMPTOMS:
        if s.symptom_id == symptom:
            return f"{s.title}\n{s.explanation}", s.fix_ids
    if symptom in fixes.LOG_CATEGORIES:
        label = symptom.replace("_", " ")
        return f"Build log: {label}", fixes.fixes_for_log_category(symptom)
    probe_fixes = fixes.fixes_for_probe(symptom)
    if probe_fixes:
        return f"The {symptom} probe failed", probe_fixes
    return "", ()


def diagnostic_fixes(diagnostic: object) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """``(text, fix ids, presets for dockerfile-lint-fix)`` for a lint finding."""
    code = str(getattr(diagnostic, "code", ""))
    message = str(getattr(diagnostic, "message", ""))
    span = getattr(diagnostic, "span", None)
    line = getattr(span, "line", None)
    where = f" (line {line})" if line else ""
    return (
        f"{code}{where}: {message}",
        fixes.fixes_for_diagnostic(diagnostic),
        {"codes": code} if code else {},
    )


def make_context(
    base: FixContext | None, dockerfile: Path | None, paths: Mapping[Target, Path]
) -> FixContext:
    """The context plans are made in: ``base`` (or this machine's) plus the chosen files."""
    ctx = base if base is not None else FixContext.discover(dockerfile=dockerfile)
    overrides = {**ctx.overrides, **paths}
    return dataclasses.replace(ctx, overrides=overrides, dockerfile=dockerfile or ctx.dockerfile)


def targets(fix_id: str, ctx: FixContext) -> tuple[TargetChoice, ...]:
    """The files ``fix_id`` may edit, with the paths ``ctx`` gives them."""
    kinds = [spec(fix_id).target]
    if fix_id == "daemon-proxy":  # daemon.json for Engine 23+, else the systemd drop-in
        kinds.append(Target.SYSTEMD_DROPIN)
    return tuple(TargetChoice(k, TARGET_LABELS[k], ctx.path_for(k)) for k in kinds)


def needs_root(fix_id: str, ctx: FixContext) -> bool:
    """Whether writing the fix's file needs administrator rights here."""
    path = ctx.path_for(spec(fix_id).target)
    return path is not None and not can_write(path, euid=ctx.euid)


def options(fix_id: str, ctx: FixContext) -> tuple[OptionChoice, ...]:
    """The ways to apply ``fix_id`` that write files (at least one: the fix itself)."""
    s = spec(fix_id)
    out: list[OptionChoice] = []
    for o in s.options:
        target_fix = o.fix_id if o.fix_id and known_fix(o.fix_id) else fix_id
        if not _writes_files(o):
            continue
        out.append(
            OptionChoice(
                target_fix,
                o.option_id,
                o.title,
                o.tradeoff,
                dict(o.settings),
                o.recommended,
                needs_root(target_fix, ctx),
                target_fix in RESTART_FIXES,
            )
        )
    if not out:
        out.append(
            OptionChoice(
                fix_id,
                "apply",
                s.title,
                "Apply this fix as previewed.",
                {},
                True,
                needs_root(fix_id, ctx),
                fix_id in RESTART_FIXES,
            )
        )
    return tuple(out)


def manual_alternatives(fix_id: str) -> tuple[ManualAlternative, ...]:
    """Options of ``fix_id`` that the user carries out by hand (nothing to write)."""
    return tuple(
        ManualAlternative(o.title, o.tradeoff, o.manual)
        for o in spec(fix_id).options
        if not _writes_files(o)
    )


def _writes_files(option: fixes.FixOption) -> bool:
    # Options with a ``manual`` command (--network=host, DOCKER_BUILDKIT=1, --build-arg per
    # build) change no file: the user types them; the wizard carries out the others.
    return not option.manual


def fields(fix_id: str) -> tuple[fixes.Field, ...]:
    """The settings the user fills in for ``fix_id``."""
    return tuple(spec(fix_id).fields)


def initial_values(
    fix_id: str, ctx: FixContext, presets: Mapping[str, str], *, keep_current: bool = False
) -> dict[str, str]:
    """Values to start the form with: the files' current settings, then the option's presets.

    With ``keep_current`` (the option the wizard preselected, not one the user picked) a
    preset only fills a field that the files leave at its default.
    """
    s = spec(fix_id)
    values = s.defaults(ctx)
    static = {f.name: f.default for f in s.fields}
    for name, value in presets.items():
        if not keep_current or values.get(name, "") in {"", static.get(name, "")}:
            values[name] = value
    return values


def build_plan(fix_id: str, settings: Mapping[str, str], ctx: FixContext) -> FixPlan:
    """The plan for these settings; reads the target files, writes nothing."""
    return spec(fix_id).build(settings, ctx)


def combine_plans(plans: Sequence[FixPlan]) -> FixPlan:
    """Several fixes as one plan, applied (and undone) together.

    Two plans that change the same file cannot be combined: each was made from the file
    as it is, so the second would undo the first (ValueError).
    """
    if not plans:
        raise ValueError("no plan to combine")
    paths = [c.path for p in plans for c in p.changes]
    if len(set(paths)) != len(paths):
        raise ValueError("two of these fixes change the same file; apply them one after the other")
    if len(plans) == 1:
        return plans[0]
    order = [Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY]
    return FixPlan(
        fix_id="+".join(p.fix_id for p in plans),
        title=" + ".join(p.title for p in plans),
        summary="; ".join(p.summary for p in plans),
        changes=tuple(c for p in plans for c in p.changes),
        applicability=max((p.applicability for p in plans), key=order.index),
        followups=tuple(dict.fromkeys(f for p in plans for f in p.followups)),
        verify_probes=tuple(dict.fromkeys(v for p in plans for v in p.verify_probes)),
        warnings=tuple(dict.fromkeys(w for p in plans for w in p.warnings)),
        commands_to_copy=tuple(c for p in plans for c in p.commands_to_copy),
        secrets=tuple(dict.fromkeys(s for p in plans for s in p.secrets)),
    )


def show(text: str, plan: FixPlan | None) -> str:
    """``text`` as it may be shown: the plan's secrets and every credential masked."""
    return fixes.mask(text, plan.secrets if plan is not None else ())


def diff_text(change: FileChange, plan: FixPlan) -> str:
    """The core's unified diff of one change, secrets masked."""
    return fixes.unified_diff(change, secrets=plan.secrets)


def diff_rows(change: FileChange, plan: FixPlan) -> tuple[fixes.DiffRow, ...]:
    """The core's side-by-side rows of one change (with folds), secrets masked."""
    return fixes.side_by_side(change, secrets=plan.secrets)


def change_badges(change: FileChange) -> tuple[str, ...]:
    """Badges for a change: "new file", "needs root", "unchanged"."""
    badges = []
    if change.is_new:
        badges.append("new file")
    if change.needs_root:
        badges.append("needs root")
    if not change.changed:
        badges.append("unchanged")
    return tuple(badges)


def followup_lines(plan: FixPlan) -> tuple[tuple[str, str | None], ...]:
    """``(description, command)`` of each follow-up, masked."""
    return tuple(
        (show(f.description, plan), show(f.command, plan) if f.command else None)
        for f in plan.followups
    )


def default_history() -> fixes.History:
    """The user's undo history."""
    return fixes.History()


def apply(plan: FixPlan, history: fixes.History, ctx: FixContext) -> str | None:
    """Write ``plan`` through the core (backup, atomic replace); the history entry id."""
    return fixes.apply_plan(plan, history=history, euid=ctx.euid).entry_id


def apply_elevated(plan: FixPlan, history: fixes.History, runner: object | None) -> str | None:
    """Write ``plan`` with pkexec for the files that need root (blocking: call off the UI).

    When it fails, the pending history entry (backups, staged files) it made is removed:
    nothing was written, so there is nothing to undo.
    """
    known = {e.entry_id for e in history.entries()}
    try:
        if runner is None:
            return fixes.apply_with_elevation(plan, history=history).entry_id
        return fixes.apply_with_elevation(plan, history=history, runner=runner).entry_id  # type: ignore[arg-type]  # a Runner, checked by the core's call
    except fixes.FixError:
        for entry in history.entries():
            if entry.entry_id not in known and entry.state == "pending":
                history.discard(entry.entry_id)
                for staged in (history.root / "staged").glob(f"{entry.entry_id}-*.new"):
                    staged.unlink(missing_ok=True)
        raise


def discard_pending(history: fixes.History, exc: fixes.NeedsRootError) -> None:
    """Forget the pending entry and the staged files a refused apply left behind."""
    if exc.entry_id is not None:
        history.discard(exc.entry_id)
    for staged in exc.staged:
        staged.unlink(missing_ok=True)


def undo(history: fixes.History, entry_id: str, ctx: FixContext) -> None:
    """Restore every file of ``entry_id`` byte for byte."""
    history.undo(entry_id, euid=ctx.euid)


def describe_result(result: object) -> tuple[str, str, str]:
    """``(probe, status, detail)`` for a probe result of any shape, for the verify table."""
    name = _first_attr(result, ("family", "probe", "name"), "probe")
    status = _first_attr(result, ("status", "outcome", "verdict"), "")
    if not status:
        ok = result.get("ok") if isinstance(result, Mapping) else getattr(result, "ok", None)
        status = "" if ok is None else ("ok" if ok else "failed")
    detail = _first_attr(result, ("summary", "message", "detail"), "")
    if not status and not detail:
        detail = str(result)
    return redact(name), redact(status), redact(detail)


def _first_attr(obj: object, names: Sequence[str], default: str) -> str:
    for n in names:
        value = obj.get(n) if isinstance(obj, Mapping) else getattr(obj, n, None)
        if value:
            return str(getattr(value, "value", value))
    return default
