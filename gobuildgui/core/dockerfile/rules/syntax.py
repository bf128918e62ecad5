"""Syntax rules: what BuildKit rejects, or reads differently from how it looks.

GB001 (parse problems) comes from the parser and GB003 (pragmas) from the engine;
these rules report what parses but then fails or surprises: unknown instructions and
flags, bad ``--mount`` options, JSON that is not JSON, empty continuation lines,
instruction casing and the legacy ``ENV key value`` form.  Suggestions use the same
edit-distance limit as BuildKit's "did you mean" (``util/suggest``).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gobuildgui.core.dockerfile.nodes import (
    KNOWN_INSTRUCTIONS,
    Dockerfile,
    Flag,
    Instruction,
    Mount,
    MountOption,
)
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.rules.buildcontext import all_instructions
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

# ---------------------------------------------------------------------------------
# Helpers


def edit_distance(a: str, b: str) -> int:
    """Edits between two strings: insertions, deletions, substitutions and swaps of
    two neighbouring characters (optimal string alignment distance)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def suggest(value: str, options: Iterable[str]) -> str | None:
    """The option closest to ``value`` (ignoring case) within 2 edits, as BuildKit suggests.

    Ties go to the option that :mod:`difflib` finds more similar.
    """
    return _suggest(value, tuple(sorted(options)))


@functools.lru_cache(maxsize=1024)
def _suggest(value: str, options: tuple[str, ...]) -> str | None:
    # Cached: a generated or pasted file can repeat one unknown name thousands of times.
    low = value.lower()
    best: tuple[int, float, str] | None = None
    for opt in options:
        if opt == value or abs(len(opt) - len(value)) >= 3:
            continue  # the length difference alone is 3 edits or more
        dist = edit_distance(low, opt.lower())
        if dist >= 3:
            continue
        ratio = difflib.SequenceMatcher(None, low, opt.lower()).ratio()
        key = (dist, -ratio, opt)
        if best is None or key < best:
            best = key
    return best[2] if best is not None else None


def is_close(value: str, match: str) -> bool:
    """Whether ``match`` is surely what ``value`` meant: one typo, or two in a long word."""
    dist = edit_distance(value.lower(), match.lower())
    return dist <= 1 or (dist == 2 and min(len(value), len(match)) >= 6)


def _confidence(value: str, match: str) -> Applicability:
    return Applicability.SAFE if is_close(value, match) else Applicability.UNSAFE


def _exact_source(doc: Dockerfile, span: Span, text: str) -> bool:
    """Whether ``text`` appears verbatim at ``span`` (no continuation inside it)."""
    return doc.text[span.start : span.end] == text


# ---------------------------------------------------------------------------------
# GB002


_OPERATOR_START = ("&&", "||", "|", ";", "&")


@rule(
    code="GB002",
    name="unknown-instruction",
    severity=Severity.ERROR,
    category="syntax",
    summary="the line starts with a word that is not a Dockerfile instruction",
    fix=Applicability.SAFE,
)
def unknown_instruction(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a line whose first word is not a Dockerfile instruction, with a "did you
    mean" when a known instruction is within two typing mistakes. A line that starts
    with `&&`, `||`, `|` or `;`, or an indented line that matches no instruction, is
    reported as the continuation of the instruction above whose trailing `\\` is
    missing.

    ## Why is this bad?
    BuildKit stops before building anything with `unknown instruction: CPOY (did you
    mean COPY?)`. A forgotten `\\` at the end of a RUN line is the most common cause:
    the next line (`&& go mod download`) becomes an "instruction" of its own.

    ## Example
    ```dockerfile
    RUN apt-get update
        && apt-get install -y git
    CPOY . .
    ```

    Use instead:
    ```dockerfile
    RUN apt-get update \\
        && apt-get install -y git
    COPY . .
    ```

    ## Fix safety
    Replacing a misspelt keyword with the only close instruction is safe: the file
    could not build before. Adding the missing `\\` is safe for a line that starts
    with a shell operator, and unsafe for an indented line (it may have been meant
    as an instruction of its own).

    ## References
    - https://docs.docker.com/reference/dockerfile/#overview
    """
    doc = ctx.doc
    prev: Instruction | None = None
    for top in doc.instructions:
        if not top.is_known:
            yield _unknown(doc, top, prev)
        trigger = top.onbuild_trigger
        if trigger is not None and not trigger.is_known:
            yield _unknown(doc, trigger, None)
        prev = top


def _unknown(doc: Dockerfile, ins: Instruction, prev: Instruction | None) -> Finding:
    raw = ins.keyword_raw
    match = suggest(raw, KNOWN_INSTRUCTIONS)
    operator = raw.startswith(_OPERATOR_START)
    indented = ins.keyword_span.column > 1
    if prev is not None and not prev.heredocs and (operator or (indented and match is None)):
        esc = doc.escape
        at = doc.index.line_end(prev.end_line)
        safe, unsafe = Applicability.SAFE, Applicability.UNSAFE
        return Finding(
            span=ins.keyword_span,
            message=(
                f"`{raw}` is not an instruction: line {ins.line} looks like the continuation"
                f" of the {prev.keyword} on line {prev.line}, whose last line lacks a"
                f" trailing `{esc}`"
            ),
            fix=Fix(
                f"Continue the {prev.keyword} on line {prev.line} with `{esc}`",
                (Edit(at, at, f" {esc}"),),
                safe if operator and prev.keyword == "RUN" and not prev.is_exec_form else unsafe,
            ),
        )
    if match is not None:
        return Finding(
            span=ins.keyword_span,
            message=f"unknown instruction `{raw}` (did you mean {match}?): BuildKit stops here",
            fix=Fix(
                f"Replace `{raw}` with {match}",
                (Edit(ins.keyword_span.start, ins.keyword_span.end, match),),
                _confidence(raw, match),
            ),
        )
    known = ", ".join(sorted(KNOWN_INSTRUCTIONS))
    return Finding(
        span=ins.keyword_span,
        message=(
            f"unknown instruction `{raw}`: BuildKit fails with 'unknown instruction: {raw}'"
            f" (instructions are {known})"
        ),
    )


# ---------------------------------------------------------------------------------
# GB004


@rule(
    code="GB004",
    name="instruction-casing",
    severity=Severity.STYLE,
    category="syntax",
    summary="an instruction keyword is not written in upper case",
    fix=Applicability.SAFE,
)
def instruction_casing(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags instruction keywords that are not upper case (`run`, `Copy`), and an `as`
    in `FROM image as name` that is not upper case while `FROM` is.

    ## Why is this bad?
    Keywords are case-insensitive, but upper case is the convention every example
    and tool uses, and it keeps keywords apart from their arguments. BuildKit's
    `ConsistentInstructionCasing` and `FromAsCasing` checks warn when a file mixes
    cases.

    ## Example
    ```dockerfile
    from golang:1.24 as build
    run go build ./...
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    RUN go build ./...
    ```

    ## Fix safety
    Safe: BuildKit reads keywords case-insensitively, so only the spelling changes.

    ## References
    - https://docs.docker.com/reference/build-checks/consistent-instruction-casing/
    - https://docs.docker.com/reference/build-checks/from-as-casing/
    """
    doc = ctx.doc
    for ins in all_instructions(doc):
        if not ins.is_known:
            continue
        as_word = None
        if ins.keyword == "FROM":
            words = ins.words
            if len(words) >= 3 and words[1].value.lower() == "as" and words[1].value != "AS":
                as_word = words[1]
        raw = ins.keyword_raw
        if raw != ins.keyword:
            edits = [Edit(ins.keyword_span.start, ins.keyword_span.end, ins.keyword)]
            if as_word is not None and _exact_source(doc, as_word.span, as_word.value):
                edits.append(Edit(as_word.span.start, as_word.span.end, "AS"))
            yield Finding(
                span=ins.keyword_span,
                message=(
                    f"instruction `{raw}` is not upper case: write {ins.keyword}"
                    " (BuildKit warns when a file mixes cases)"
                ),
                fix=Fix(f"Write {ins.keyword}", tuple(edits), Applicability.SAFE),
            )
        elif as_word is not None:
            fix = None
            if _exact_source(doc, as_word.span, as_word.value):
                fix = Fix("Write AS", (Edit(as_word.span.start, as_word.span.end, "AS"),))
            yield Finding(
                span=as_word.span,
                message=f"`{as_word.value}` does not match the casing of FROM: write AS",
                fix=fix,
            )


# ---------------------------------------------------------------------------------
# GB005


@rule(
    code="GB005",
    name="empty-continuation-line",
    severity=Severity.WARNING,
    category="syntax",
    summary="an empty line inside a multi-line instruction",
    fix=Applicability.SAFE,
)
def empty_continuation_line(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags empty lines between the lines of an instruction continued with `\\`.

    ## Why is this bad?
    BuildKit skips them today but warns (`NoEmptyContinuation`) that they will become
    an error. They also hide mistakes: a `\\` left at the end of the last line of a
    RUN silently joins the next instruction, across any number of empty lines.

    ## Example
    ```dockerfile
    RUN go mod download && \\

        go build ./...
    ```

    Use instead:
    ```dockerfile
    RUN go mod download && \\
        go build ./...
    ```

    ## Fix safety
    Safe: the fix deletes the empty lines, which BuildKit ignores.

    ## References
    - https://docs.docker.com/reference/build-checks/no-empty-continuation/
    """
    doc = ctx.doc
    index = doc.index
    for ins in doc.instructions:
        lines = ins.blank_continuation_lines
        if not lines:
            continue
        edits = []
        for n in lines:
            end = index.line_start(n + 1) if n < index.line_count else len(doc.text)
            edits.append(Edit(index.line_start(n), end, ""))
        first = lines[0]
        where = f"line {first}" if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
        yield Finding(
            span=doc.span(index.line_start(first), index.line_end(first)),
            message=(
                f"empty continuation {where} in the {ins.keyword} on line {ins.line}: BuildKit"
                " warns that this will become an error; delete the empty line"
                + ("s" if len(lines) > 1 else "")
            ),
            fix=Fix("Delete the empty continuation lines", tuple(edits), Applicability.SAFE),
        )


# ---------------------------------------------------------------------------------
# GB006

_QUOTED = r"(?:\"(?:[^\"\\]|\\.)*\"?|'[^']*'?)"
# A JSON-ish list: quoted items separated by commas, or a quote right after "[".
_JSONISH_RE = re.compile(rf"^\[\s*(?:{_QUOTED}\s*,|[^\s\"',\]]+\s*,|{_QUOTED}\s*\]\s*$)|^\[[\"']")


def _looks_like_json(text: str) -> bool:
    """Whether text that starts with ``[`` was meant as JSON (not a shell ``[ test ]``)."""
    return _JSONISH_RE.match(text.strip()) is not None


def _json_problem(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError as exc:
        return str(exc).split(":", 1)[0].lower()
    if not isinstance(value, list):
        return "not an array"
    return "every item must be a string"


def _single_quote_fix(ins: Instruction) -> Fix | None:
    text = ins.args
    if "'" not in text or '"' in text or "\\" in text or ins.escape in text:
        return None
    try:
        value = json.loads(text.replace("'", '"'))
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    edits = []
    for i, ch in enumerate(text):
        if ch == "'":
            at = ins.args_text.source_offset(i)
            edits.append(Edit(at, at + 1, '"'))
    return Fix("Use double quotes (JSON)", tuple(edits), Applicability.SAFE)


@rule(
    code="GB006",
    name="invalid-json-form",
    severity=Severity.WARNING,
    category="syntax",
    summary="arguments look like a JSON array but are not valid JSON",
    fix=Applicability.SAFE,
)
def invalid_json_form(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD and VOLUME arguments written as a
    list in brackets that is not valid JSON: single quotes, a missing comma or
    quote, a trailing comma. A shell test such as `RUN [ -f go.sum ] && ...` is not
    flagged.

    ## Why is this bad?
    BuildKit does not report it: it silently treats the text as shell form, so
    `CMD ['/app']` runs `/bin/sh -c "['/app']"`, which fails at start with
    `[/app]: not found` (and scratch images have no /bin/sh at all). `SHELL` fails the
    build, since it only takes JSON.

    ## Example
    ```dockerfile
    ENTRYPOINT ['/app', 'serve']
    ```

    Use instead:
    ```dockerfile
    ENTRYPOINT ["/app", "serve"]
    ```

    ## Fix safety
    Offered when single quotes are the only problem. Safe: the command as written
    cannot have worked; the fix runs it as the list it spells out.

    ## References
    - https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
    """
    for ins in all_instructions(ctx.doc):
        if not ins.looks_like_bad_json or not _looks_like_json(ins.args):
            continue
        text = ins.args.strip()
        fix = _single_quote_fix(ins)
        problem = "single quotes are not JSON" if fix is not None else _json_problem(text)
        if ins.keyword == "SHELL":
            effect = "SHELL only accepts JSON, so the build fails"
        else:
            effect = f"BuildKit runs `{text}` as a shell command (/bin/sh -c)"
        yield Finding(
            span=ins.args_span(),
            message=(
                f"{ins.keyword} arguments look like a JSON array but are not valid JSON"
                f" ({problem}): {effect}; write a JSON array of double-quoted strings"
            ),
            fix=fix,
        )


# ---------------------------------------------------------------------------------
# GB007


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class FlagSpec:
    """How BuildKit parses a flag: ``bool``, ``string`` or ``strings`` (repeatable)."""

    kind: str
    choices: tuple[str, ...] = ()


_S = FlagSpec("string")
_B = FlagSpec("bool")
_M = FlagSpec("strings")
# From moby/buildkit frontend/dockerfile/instructions (parse.go, commands_run*.go).
KNOWN_FLAGS: dict[str, dict[str, FlagSpec]] = {
    "FROM": {"platform": _S},
    "RUN": {
        "mount": _M,
        "network": FlagSpec("string", ("default", "none", "host")),
        "security": FlagSpec("string", ("sandbox", "insecure")),
        "device": _M,
    },
    "COPY": {"from": _S, "chown": _S, "chmod": _S, "link": _B, "parents": _B, "exclude": _M},
    "ADD": {
        "chown": _S,
        "chmod": _S,
        "link": _B,
        "keep-git-dir": _B,
        "checksum": _S,
        "unpack": _B,
        "exclude": _M,
    },
    "HEALTHCHECK": {
        "interval": _S,
        "timeout": _S,
        "start-period": _S,
        "start-interval": _S,
        "retries": _S,
    },
}
# BuildKit never parses the flags of these: they are silently dropped.
_FLAGS_IGNORED = frozenset({"ARG", "STOPSIGNAL"})


def _name_span(flag: Flag) -> Span:
    return flag.text.span(0, 2 + len(flag.name))


def _flag_problem(doc: Dockerfile, ins: Instruction, flag: Flag) -> Finding | None:
    known = KNOWN_FLAGS.get(ins.keyword, {})
    name = flag.name
    spec = known.get(name)
    if spec is None:
        span = _name_span(flag)
        if ins.keyword in _FLAGS_IGNORED:
            return Finding(
                span=span,
                message=f"{ins.keyword} takes no flags: BuildKit silently ignores `--{name}`",
            )
        if not known:
            return Finding(
                span=span,
                message=(
                    f"{ins.keyword} takes no flags: BuildKit fails with 'unknown flag: --{name}'"
                ),
            )
        match = suggest(name, known)
        allowed = ", ".join(f"--{k}" for k in known)
        if match is None:
            return Finding(
                span=span,
                message=f"unknown flag `--{name}` for {ins.keyword} (it takes {allowed})",
            )
        fix = None
        if _exact_source(doc, span, f"--{name}"):
            fix = Fix(
                f"Replace --{name} with --{match}",
                (Edit(span.start + 2, span.end, match),),
                _confidence(name, match),
            )
        return Finding(
            span=span,
            message=f"unknown flag `--{name}` for {ins.keyword} (did you mean --{match}?)",
            fix=fix,
        )
    value = flag.value
    if spec.kind == "bool":
        if value is not None and value.lower() not in ("true", "false"):
            return Finding(
                span=flag.value_span or flag.span,
                message=f"--{name} takes true or false (or no value), not {value!r}",
            )
        return None
    if value is None:
        return Finding(
            span=flag.span,
            message=f"--{name} needs a value: write --{name}=<value> (no space)",
        )
    if spec.choices and "$" not in value and value not in spec.choices:
        choices = ", ".join(spec.choices)
        return Finding(
            span=flag.value_span or flag.span,
            message=f"--{name}={value} is not valid: it takes one of {choices}",
        )
    return None


@rule(
    code="GB007",
    name="invalid-flag",
    severity=Severity.ERROR,
    category="syntax",
    summary="an instruction flag that BuildKit does not accept",
    fix=Applicability.SAFE,
)
def invalid_flag(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks the `--flags` of each instruction against what BuildKit accepts: `FROM
    --platform`; `RUN --mount`, `--network`, `--security`, `--device`; `COPY --from`,
    `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`; `ADD --chown`,
    `--chmod`, `--link`, `--keep-git-dir`, `--checksum`, `--unpack`, `--exclude`;
    `HEALTHCHECK --interval`, `--timeout`, `--start-period`, `--start-interval`,
    `--retries`. It also flags a value-taking flag without `=value`, a non-boolean
    value for `--link` and the like, and `--network`/`--security` values BuildKit
    rejects.

    ## Why is this bad?
    BuildKit fails on the whole file with `unknown flag: --form` or `missing a value
    on flag: --from` before running any step. `COPY --from build` (a space instead of
    `=`) is the classic: `build` becomes the first source path.

    ## Example
    ```dockerfile
    COPY --form=build /out/app /app
    ```

    Use instead:
    ```dockerfile
    COPY --from=build /out/app /app
    ```

    ## Fix safety
    A misspelt flag name with one close match is replaced; safe, since the file
    could not build before.

    ## References
    - https://docs.docker.com/reference/dockerfile/
    """
    doc = ctx.doc
    for ins in all_instructions(doc):
        if not ins.is_known or not ins.flags:
            continue
        if ins.keyword == "HEALTHCHECK" and ins.words and ins.words[0].value.upper() == "NONE":
            continue  # BuildKit does not parse flags of HEALTHCHECK NONE
        for flag in ins.flags:
            finding = _flag_problem(doc, ins, flag)
            if finding is not None:
                yield finding


# ---------------------------------------------------------------------------------
# GB008

MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
SHARING_MODES = ("shared", "private", "locked")
MOUNT_KEYS = (
    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size",
    "mode", "uid", "gid", "src", "dst", "destination", "ro", "rw", "readwrite", "env",
)  # fmt: skip
_BOOL_VALUES = frozenset({"1", "t", "true", "0", "f", "false"})
_SIZE_RE = re.compile(r"^\d+(?:\.\d+)?\s*(?:[kmgtp]i?b?|b)?$", re.IGNORECASE)
_FILE_INFO_TYPES = frozenset({"secret", "ssh", "cache"})
_UNKNOWN_TYPE = "?"


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _MountProblem:
    span: Span
    message: str
    fix: Fix | None = None


def _key_edit(doc: Dockerfile, opt: MountOption, new: str) -> Fix | None:
    raw = doc.text[opt.span.start : opt.span.end]
    if "\n" in raw:
        return None
    key = raw.partition("=")[0]
    start = opt.span.start + len(key) - len(key.lstrip())
    end = opt.span.start + len(key.rstrip())
    return Fix(
        f"Replace `{key.strip()}` with `{new}`",
        (Edit(start, end, new),),
        _confidence(key.strip(), new),
    )


def _value_edit(doc: Dockerfile, opt: MountOption, new: str) -> Fix | None:
    raw = doc.text[opt.span.start : opt.span.end]
    key, eq, value = raw.partition("=")
    if not eq or "\n" in raw or value.strip() != (opt.value or ""):
        return None
    start = opt.span.start + len(key) + 1 + len(value) - len(value.lstrip())
    return Fix(
        f"Write {opt.key}={new}",
        (Edit(start, start + len(value.strip()), new),),
        _confidence(value.strip(), new),
    )


def _mount_problems(doc: Dockerfile, mount: Mount) -> Iterator[_MountProblem]:
    current = "bind"  # BuildKit reads the options in order, starting from a bind mount
    later_types = {o.value.lower() for o in mount.options if o.key == "type" and o.value}
    for opt in mount.options:
        key, value = opt.key, opt.value
        if key not in MOUNT_KEYS:
            match = suggest(key, MOUNT_KEYS)
            hint = f" (did you mean {match}?)" if match else ""
            yield _MountProblem(
                opt.span,
                f"unknown --mount option `{key}`{hint}: BuildKit fails with 'unexpected key'",
                _key_edit(doc, opt, match) if match else None,
            )
            continue
        if value is None:
            if key in ("readonly", "ro", "readwrite", "rw"):
                continue
            if key != "required":
                yield _MountProblem(opt.span, f"--mount option `{key}` needs a value: {key}=...")
                continue
        dynamic = value is not None and "$" in value
        if key == "type" and value is not None:
            kind = value.lower()
            if dynamic:
                current = _UNKNOWN_TYPE
            elif kind in MOUNT_TYPES:
                current = kind
            else:
                match = suggest(kind, MOUNT_TYPES)
                hint = f" (did you mean {match}?)" if match else ""
                yield _MountProblem(
                    opt.span,
                    f"unsupported mount type `{value}`{hint}: it is one of "
                    + ", ".join(MOUNT_TYPES),
                    _value_edit(doc, opt, match) if match else None,
                )
                current = _UNKNOWN_TYPE
        elif key in ("required", "size"):
            allowed = ("secret", "ssh") if key == "required" else ("tmpfs",)
            if current not in allowed and current != _UNKNOWN_TYPE:
                order = ""
                if later_types & set(allowed):
                    order = "; BuildKit reads the options in order, so put type= before it"
                yield _MountProblem(
                    opt.span,
                    f"`{key}` is not valid for a {current} mount (only "
                    + " and ".join(allowed)
                    + f"){order}",
                )
            elif value is not None and not dynamic:
                ok = (
                    value.lower() in _BOOL_VALUES
                    if key == "required"
                    else bool(_SIZE_RE.match(value))
                )
                if not ok:
                    yield _MountProblem(opt.span, f"invalid value for {key}: {value!r}")
        if value is None or dynamic:
            continue
        if key in ("readonly", "ro", "readwrite", "rw") and value.lower() not in _BOOL_VALUES:
            yield _MountProblem(opt.span, f"invalid value for {key}: {value!r} (true or false)")
        elif key == "sharing" and value.lower() not in SHARING_MODES:
            yield _MountProblem(
                opt.span,
                f"unsupported sharing value {value!r}: it is one of " + ", ".join(SHARING_MODES),
            )
        elif key == "mode" and not re.fullmatch(r"[0-7]{1,11}", value):
            yield _MountProblem(opt.span, f"invalid mode {value!r}: use octal, such as 0400")
        elif key in ("uid", "gid") and not value.isdigit():
            yield _MountProblem(opt.span, f"invalid {key} {value!r}: use a number")
    if current == _UNKNOWN_TYPE:
        return
    yield from _mount_combination_problems(mount, current)


def _mount_combination_problems(mount: Mount, kind: str) -> Iterator[_MountProblem]:
    if kind not in _FILE_INFO_TYPES:
        for key in ("mode", "uid", "gid"):
            opt = mount.option(key)
            if opt is not None:
                yield _MountProblem(opt.span, f"{key} is not allowed for {kind} mounts")
    sharing = mount.option("sharing")
    if kind == "secret":
        source = mount.option("source", "src")
        ident = mount.option("id")
        target = mount.option("target", "dst", "destination")
        frm = mount.option("from")
        if frm is not None:
            yield _MountProblem(frm.span, "a secret mount cannot have from=")
        if source is None and ident is None and target is None:
            yield _MountProblem(
                mount.flag.span, "a secret mount needs id= (or target=) to name the secret"
            )
        if source is not None and ident is not None:
            yield _MountProblem(source.span, "a secret mount cannot set both source= and id=")
    if sharing is not None and kind != "cache":
        yield _MountProblem(sharing.span, f"sharing= is only for cache mounts, not {kind}")


@rule(
    code="GB008",
    name="invalid-mount-option",
    severity=Severity.ERROR,
    category="syntax",
    summary="a RUN --mount option that BuildKit rejects",
    fix=Applicability.SAFE,
)
def invalid_mount_option(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks each `RUN --mount=...` the way BuildKit does: the type (bind, cache,
    tmpfs, secret, ssh), the option names, their values (`sharing`, `mode`, `uid`,
    `gid`, booleans, `size`), options that belong to other types (`required` is for
    secret and ssh, `size` for tmpfs, `sharing` for cache, `mode`/`uid`/`gid` not for
    bind or tmpfs), and secret mounts without `id`/`target` or with `from`. Options
    are read in order, so `required` before `type=secret` is reported too. Values
    with a `$variable` are not checked.

    ## Why is this bad?
    BuildKit rejects the instruction (`unexpected key 'taget' in 'taget=/go/pkg/mod'`)
    and the build fails before it starts. A cache mount with a typo in `target` never
    caches the module downloads it was written for.

    ## Example
    ```dockerfile
    RUN --mount=type=cache,taget=/go/pkg/mod go mod download
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    ```

    ## Fix safety
    A misspelt option name or type with one close match is replaced; safe, since
    the file could not build before.

    ## References
    - https://docs.docker.com/reference/dockerfile/#run---mount
    """
    doc = ctx.doc
    for ins in all_instructions(doc):
        if ins.keyword != "RUN":
            continue
        for mount in ins.mounts:
            if not mount.flag.value:
                continue  # GB007 reports a --mount without a value
            for problem in _mount_problems(doc, mount):
                yield Finding(span=problem.span, message=problem.message, fix=problem.fix)


# ---------------------------------------------------------------------------------
# GB009


def _one_word(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"""(?:[^\s"'{e}]|{e}[\s\S]|"(?:[^"{e}]|{e}[\s\S])*"|'[^']*')+""")


_ONE_WORD = {esc: _one_word(esc) for esc in ("\\", "`")}


def _new_form_value(raw: str, escape: str) -> str | None:
    """``raw`` written as the value of ``key=value`` with the same meaning, if simple.

    The legacy value is processed as one word, so a raw value that already lexes as
    one word (balanced quotes, no bare blanks) is kept; a plain value with blanks is
    double-quoted.
    """
    pattern = _ONE_WORD.get(escape) or _one_word(escape)
    if pattern.fullmatch(raw):
        return raw
    if any(c in raw for c in "\"'") or escape in raw:
        return None
    return f'"{raw}"'


@rule(
    code="GB009",
    name="legacy-key-value",
    severity=Severity.STYLE,
    category="syntax",
    summary="ENV or LABEL uses the legacy `key value` form",
    fix=Applicability.SAFE,
)
def legacy_key_value(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `ENV key value` and `LABEL key value` (no `=`), BuildKit's
    `LegacyKeyValueFormat` check.

    ## Why is this bad?
    In the legacy form everything after the key is the value, spaces included, and
    one instruction can set only one variable, so `ENV GOPROXY https://proxy.corp,direct
    GOSUMDB=off` sets GOPROXY to the whole rest of the line. The form is deprecated.

    ## Example
    ```dockerfile
    ENV GOPROXY https://proxy.golang.org,direct
    ```

    Use instead:
    ```dockerfile
    ENV GOPROXY=https://proxy.golang.org,direct
    ```

    ## Fix safety
    Safe: the value is kept as it is (quoted when it contains spaces). No fix is
    offered when the value spans several lines or already mixes quotes.

    ## References
    - https://docs.docker.com/reference/build-checks/legacy-key-value-format/
    """
    doc = ctx.doc
    for ins in all_instructions(doc):
        if ins.keyword not in ("ENV", "LABEL"):
            continue
        for kv in ins.key_values:
            raw = kv.raw_value
            if not kv.legacy or not raw:
                continue
            new = _new_form_value(raw, ins.escape)
            fix = None
            if new is not None and kv.span.line == kv.span.end_line:
                fix = Fix(
                    f"Write {kv.key}={new}",
                    (Edit(kv.span.start, kv.span.end, f"{kv.key}={new}"),),
                    Applicability.SAFE,
                )
            shown = f"{kv.key}={new}" if new is not None else f'{kv.key}="..."'
            yield Finding(
                span=kv.span,
                message=(
                    f"`{ins.keyword} {kv.key} {raw}` uses the legacy `key value` form, where"
                    f" the whole rest of the line is the value: write `{ins.keyword} {shown}`"
                ),
                fix=fix,
            )


RULES: tuple[Rule, ...] = (
    unknown_instruction,
    instruction_casing,
    empty_continuation_line,
    invalid_json_form,
    invalid_flag,
    invalid_mount_option,
    legacy_key_value,
)
