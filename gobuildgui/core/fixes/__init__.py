"""Fixes as data: plans of file changes, the editors that make them, safe writes, undo.

Nothing in this package writes a file except :mod:`~gobuildgui.core.fixes.write`, and
that only when asked to apply a plan. Qt-free; the wizard and ``gobuildgui fix`` share it.

Public API (what the wizard and the CLI use)::

    from gobuildgui.core.fixes import (
        FIXES, FixSpec, Field, FieldKind, FixOption,        # the catalogue
        FixContext, Target, FixPlan, FileChange, Followup,  # planning
        SYMPTOMS, Symptom, fixes_for_symptom, fixes_for_probe, fixes_for_probe_result,
        fixes_for_diagnostic, fixes_for_log_category,       # where plans come from
        lint_fix_settings,                                  # settings for one finding
        History, apply_plan, apply_with_elevation,          # writing and undo
        unified_diff, plan_diff, format_plan, mask,         # display (secrets masked)
        side_by_side, DiffRow,                              # rows for a two-column preview
        FixError, InvalidSettingsError, RefusedError, ChangedSincePreviewError,
        NeedsRootError, WriteFailedError, UndoError,
    )

    spec = FIXES["daemon-dns"]                  # or get_fix(id): near-match suggestions
    ctx = FixContext.discover(dockerfile=path)  # platform, env, default file locations;
                                                # ask_daemon=True (off the UI thread) asks
                                                # the daemon's version (daemon-proxy needs it)
    values = spec.defaults(ctx)                 # current settings, to prefill the fields
    errors = spec.validate({"dns": "10.0.0.2"}) # {name: message}; per field: Field.validate
    plan = spec.build({"dns": "10.0.0.2"}, ctx) # FixPlan; raises InvalidSettingsError,
                                                # RefusedError (bad JSON, UTF-16...), FixError
    print(plan_diff(plan))                      # unified diffs, secrets masked
    result = apply_plan(plan, history=History())   # or apply_with_elevation(...)
    History().undo(result.entry_id)             # or undo_with_elevation(...)

Elevation: ``apply_with_elevation(plan, history=h, runner=subprocess.run)`` catches
NeedsRootError and runs its ``pkexec /bin/sh -c 'install ... && mv -f ...'`` command
with a timeout, then checks that every file holds the new bytes. pkexec itself cannot
run on a test machine without a polkit agent: the tests check the command line it is
given and run that same command as root without pkexec.

A lint finding's own fix: ``FIXES["dockerfile-lint-fix"].build(lint_fix_settings(diag),
ctx)`` (the file is linted again, so the offsets match the text on disk).

Settings are strings keyed by ``Field.name``: lists comma (or newline) separated,
booleans ``true``/``false``. A setting given as "" removes that key; a setting not
given at all leaves it untouched. ``spec.options`` are the alternatives with their
trade-offs; an option with ``fix_id`` points to another fix, otherwise its
``settings`` are presets for this one's fields.

``FixPlan`` fields: ``fix_id``, ``title``, ``summary``, ``changes`` (FileChange: ``path``,
``old_text`` (None = new file), ``new_text``, ``old_digest``, ``description``,
``needs_root``, ``encoding``, ``mode``, ``owner``), ``applicability``, ``followups``
(Followup: ``description``, ``command``), ``verify_probes`` (probe family names),
``warnings``, ``commands_to_copy`` (masked shell commands doing the same by hand),
``secrets`` (values every display must mask: use :func:`mask` / :func:`plan_diff`).

Errors when applying: ChangedSincePreviewError (``.diffs`` shows what changed on disk:
rebuild the plan and preview again), NeedsRootError (``.elevation_command`` for pkexec,
``.commands`` to copy), WriteFailedError (disk full, read-only, immutable: the
originals were restored; ``.reason`` and ``.hint``), UndoError.

Module map: ``model`` (data), ``catalogue`` (FIXES, symptoms), ``locations`` (paths per
platform), ``jsonedit`` (minimal-diff JSON), ``daemon`` (daemon.json, service flag
clashes, systemd drop-in), ``client`` (config.json proxies), ``goenv`` (Go's env file),
``dockerfile`` (Dockerfile edits), ``validate`` (value checks), ``files`` (reading
targets), ``write`` (diff, atomic apply, history).
"""

from __future__ import annotations

from gobuildgui.core.fixes.catalogue import (
    FIX_IDS,
    FIXES,
    LOG_CATEGORIES,
    SYMPTOMS,
    FixSpec,
    Symptom,
    fixes_for_diagnostic,
    fixes_for_log_category,
    fixes_for_probe,
    fixes_for_probe_result,
    fixes_for_symptom,
    get_fix,
    lint_fix_settings,
)
from gobuildgui.core.fixes.model import (
    Field,
    FieldKind,
    FileChange,
    FixContext,
    FixError,
    FixOption,
    FixPlan,
    Followup,
    InvalidSettingsError,
    RefusedError,
    Target,
    UnknownFixError,
)
from gobuildgui.core.fixes.write import (
    ApplyResult,
    ChangedSincePreviewError,
    DiffRow,
    History,
    HistoryEntry,
    NeedsRootError,
    UndoError,
    WriteFailedError,
    apply_plan,
    apply_with_elevation,
    format_plan,
    mask,
    plan_diff,
    side_by_side,
    unified_diff,
)

__all__ = [
    "FIXES",
    "FIX_IDS",
    "LOG_CATEGORIES",
    "SYMPTOMS",
    "ApplyResult",
    "ChangedSincePreviewError",
    "DiffRow",
    "Field",
    "FieldKind",
    "FileChange",
    "FixContext",
    "FixError",
    "FixOption",
    "FixPlan",
    "FixSpec",
    "Followup",
    "History",
    "HistoryEntry",
    "InvalidSettingsError",
    "NeedsRootError",
    "RefusedError",
    "Symptom",
    "Target",
    "UndoError",
    "UnknownFixError",
    "WriteFailedError",
    "apply_plan",
    "apply_with_elevation",
    "fixes_for_diagnostic",
    "fixes_for_log_category",
    "fixes_for_probe",
    "fixes_for_probe_result",
    "fixes_for_symptom",
    "format_plan",
    "get_fix",
    "lint_fix_settings",
    "mask",
    "plan_diff",
    "side_by_side",
    "unified_diff",
]
