"""Build context and frontend rules: what reaches the builder, and which syntax reads the file.

GB150 and GB151 look at the ``.dockerignore`` beside the Dockerfile (through
``ctx.project``) and stay silent when the folder is unknown.  GB152 and GB153 compare
the BuildKit features a file uses with its ``# syntax=`` directive.

:func:`copy_paths`, :func:`is_from_context` and :func:`newline_of` are shared with the
final-stage rules.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gobuildgui.core.dockerfile.golang import ImageRef, go_commands, go_env
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction, Mount, memo, unquote
from gobuildgui.core.dockerfile.project import DockerIgnore
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

# ---------------------------------------------------------------------------------
# Shared helpers


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class PathArg:
    """A source or destination path of COPY/ADD: the unquoted text and its span."""

    path: str
    span: Span


_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
_HEREDOC_WORD_RE = re.compile(r"^\d*<<-?\S")
_GLOB_CHARS = frozenset("*?[")


def all_instructions(doc: Dockerfile) -> Iterator[Instruction]:
    """Every instruction, followed by its ONBUILD trigger when it has one."""
    # Eight rules walk this: list it once per parse (a tuple iterates faster).
    return iter(memo(doc, "buildcontext.all_instructions", lambda: tuple(_all_instructions(doc))))


def _all_instructions(doc: Dockerfile) -> Iterator[Instruction]:
    for ins in doc.instructions:
        yield ins
        if ins.onbuild_trigger is not None:
            yield ins.onbuild_trigger


def copy_paths(ins: Instruction) -> tuple[list[PathArg], PathArg | None]:
    """The sources and the destination of a COPY or ADD (heredoc sources left out)."""
    if ins.keyword not in ("COPY", "ADD"):
        return [], None
    items: list[PathArg | None] = []
    argv = ins.json_args
    if argv is not None:
        literals = list(_JSON_STRING_RE.finditer(ins.args))
        if len(literals) == len(argv):
            items = [
                PathArg(v, ins.args_span(m.start(), m.end()))
                for v, m in zip(argv, literals, strict=True)
            ]
        else:
            items = [PathArg(v, ins.args_span()) for v in argv]
    else:
        for w in ins.words:
            if _HEREDOC_WORD_RE.match(w.value):
                items.append(None)  # a heredoc source: keeps its place, has no path
            else:
                items.append(PathArg(unquote(w.value, ins.escape), w.span))
    if not items:
        return [], None
    dest = items[-1]
    return [p for p in items[:-1] if p is not None], dest


def is_from_context(ins: Instruction) -> bool:
    """Whether a COPY/ADD reads the build context (no ``--from``)."""
    return ins.keyword in ("COPY", "ADD") and ins.flag("from") is None


def newline_of(text: str) -> str:
    """The line ending a file uses (its first one; LF when it has none)."""
    pos = text.find("\n")
    return "\r\n" if pos > 0 and text[pos - 1] == "\r" else "\n"


def context_path(path: str) -> str:
    """A source path relative to the context root: ``./a/../b/`` -> ``b``; the root is ``""``."""
    p = path.replace("\\", "/").strip()
    if not p:
        return ""
    p = posixpath.normpath("/" + p).lstrip("/")
    return "" if p == "." else p


def _is_remote(path: str) -> bool:
    low = path.lower()
    return "://" in low or low.startswith("git@")


def _covers(source: str, target: str) -> tuple[bool, bool]:
    """Whether a context source path brings ``target`` along, and whether it names it.

    Returns (covers, explicit): ``COPY go.sum`` names go.sum, ``COPY . .`` only covers it.
    """
    src = context_path(source)
    if any(c in _GLOB_CHARS for c in src):
        # A glob skips what .dockerignore leaves out instead of failing: never "named".
        parts = target.split("/")
        hit = any(fnmatch.fnmatchcase("/".join(parts[:i]), src) for i in range(1, len(parts) + 1))
        return hit, False
    if src == target or (target.startswith("vendor/") and src == "vendor"):
        return True, True
    return src == "" or target.startswith(src + "/"), False


def _mount_source(mount: Mount) -> str | None:
    """The context path a bind mount reads, or None when it reads another stage or image."""
    if mount.type != "bind" or mount.get("from"):
        return None
    return mount.get("source", "src") or "."


# ---------------------------------------------------------------------------------
# GB150

_WHOLE_CONTEXT = frozenset({"", "*"})
DOCKERIGNORE_SUGGESTION = (
    ".git",
    ".github",
    ".idea",
    ".vscode",
    "bin/",
    "dist/",
    "tmp/",
    "*.test",
    "*.out",
    "coverage.*",
    ".env",
    ".env.*",
)


def _whole_context_uses(doc: Dockerfile) -> Iterator[tuple[Instruction, Span, str]]:
    """COPY/ADD sources and bind mounts that take the whole build context."""
    for ins in all_instructions(doc):
        if is_from_context(ins):
            sources, _dest = copy_paths(ins)
            for src in sources:
                if context_path(src.path) in _WHOLE_CONTEXT:
                    yield ins, src.span, f"{ins.keyword} {src.path}"
        elif ins.keyword == "RUN":
            for mount in ins.mounts:
                source = _mount_source(mount)
                if source is not None and context_path(source) in _WHOLE_CONTEXT:
                    yield ins, mount.flag.span, "RUN --mount=type=bind (the whole context)"


@rule(
    code="GB150",
    name="no-dockerignore",
    severity=Severity.INFO,
    category="context",
    summary="the whole build context is copied but there is no .dockerignore",
    fix=Applicability.DISPLAY_ONLY,
    needs_project=True,
)
def no_dockerignore(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the first `COPY . .` (or `ADD .`, `COPY * ./`, or a bind mount of the whole
    context) when there is no `.dockerignore` beside the Dockerfile. It stays silent
    when the folder is unknown (a Dockerfile read from standard input).

    ## Why is this bad?
    Without a `.dockerignore`, copying the context root brings `.git`, locally built
    binaries, IDE folders and `.env` files into the image. Any commit or local build
    changes the copied files, so the layer and every step after it (including the
    `go build`) rebuild each time, and files that were never meant to ship end up in
    the image history.

    ## Example
    ```dockerfile
    COPY . .
    RUN go build -o /out/app ./cmd/app
    ```

    Use instead: keep the Dockerfile, and add a `.dockerignore` next to it:
    ```text
    .git
    bin/
    dist/
    *.test
    .env
    ```

    ## Fix safety
    The fix is advice only: it shows a starting `.dockerignore` to create, since that
    is another file. Do not list `go.mod`, `go.sum` or a `vendor/` the build uses
    (see GB151).

    ## References
    - https://docs.docker.com/build/concepts/context/#dockerignore-files
    """
    if ctx.project.has_dockerignore is not False:
        return
    for _ins, span, what in _whole_context_uses(ctx.doc):
        listing = ", ".join(DOCKERIGNORE_SUGGESTION[:6])
        yield Finding(
            span=span,
            message=(
                f"`{what}` copies the whole build context and there is no .dockerignore:"
                " .git, local binaries and editor files enter the image and every commit"
                " invalidates this layer; add a .dockerignore (for example with"
                f" {listing})"
            ),
            fix=Fix(
                "Create a .dockerignore beside the Dockerfile, one pattern per line: "
                + " ".join(DOCKERIGNORE_SUGGESTION),
                (),
                Applicability.DISPLAY_ONLY,
            ),
        )
        return


# ---------------------------------------------------------------------------------
# GB151


def excluding_pattern(ignore: DockerIgnore, path: str) -> str | None:
    """The ``.dockerignore`` pattern that leaves ``path`` out of the context, if any."""
    clean = context_path(path)
    if not clean:
        return None
    parts = clean.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    found: str | None = None
    for negate, pattern, regex in ignore.patterns:
        if any(regex.match(c) for c in candidates):
            found = None if negate else pattern
    return found


def _uses_vendor_flag(doc: Dockerfile) -> bool:
    for ins in doc.instructions:
        for cmd in go_commands(ins):
            if cmd.uses_vendor:
                return True
            flags = go_env(doc, ins, cmd).get("GOFLAGS")
            if flags is not None and flags.value and "-mod=vendor" in flags.value:
                return True
    return False


@rule(
    code="GB151",
    name="dockerignore-excludes-go-files",
    severity=Severity.ERROR,
    category="context",
    summary=".dockerignore leaves out go.mod, go.sum or vendor/ that the build needs",
    needs_project=True,
)
def dockerignore_excludes_go_files(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks the COPY, ADD and bind-mount sources that read the build context against
    `.dockerignore`: it flags a source that needs `go.mod` or `go.sum` (when they
    exist) or `vendor/` (when `vendor/modules.txt` exists or a build uses
    `-mod=vendor`) while `.dockerignore` excludes it. A source that names the file
    (`COPY go.mod go.sum ./`) is flagged; otherwise the first `COPY . .` is, when the
    file runs go.

    ## Why is this bad?
    Excluded files are not sent to the builder. `COPY go.sum ./` then fails with
    `"/go.sum": not found`; after `COPY . .` go finds no go.mod ("go: cannot find
    main module") or no go.sum ("missing go.sum entry"); and without `vendor/` a
    `-mod=vendor` build fails while a default build silently downloads every module
    instead of using the vendored copies.

    ## Example
    ```text
    # .dockerignore
    *.sum
    vendor
    ```
    ```dockerfile
    COPY go.mod go.sum ./
    ```

    Use instead: remove those patterns, or re-include the files:
    ```text
    *.sum
    !go.sum
    ```

    ## References
    - https://docs.docker.com/build/concepts/context/#dockerignore-files
    - https://go.dev/ref/mod#vendoring
    """
    project = ctx.project
    ignore = project.dockerignore
    if ignore is None:
        return
    doc = ctx.doc
    needed: list[str] = []
    if project.has_go_mod:
        needed.append("go.mod")
    if project.has_go_sum:
        needed.append("go.sum")
    if project.has_vendor or _uses_vendor_flag(doc):
        needed.append("vendor/modules.txt")
    runs_go = any(True for ins in doc.instructions for _ in go_commands(ins))
    for target in needed:
        if not ignore.is_excluded(target):
            continue
        pattern = excluding_pattern(ignore, target) or "?"
        explicit: list[Span] = []
        broad: list[Span] = []
        for ins in all_instructions(doc):
            for source, span in _context_sources(ins):
                covers, names = _covers(source, target)
                if names and target != context_path(source) and not ignore.is_excluded("vendor"):
                    names = False  # `COPY vendor` still works; only part of it is left out
                if names:
                    explicit.append(span)
                elif covers:
                    broad.append(span)
        shown = "vendor/" if target.startswith("vendor/") else target
        for span in explicit:
            yield _excluded_finding(span, shown, pattern, named=True)
        if not explicit and broad and runs_go:
            yield _excluded_finding(broad[0], shown, pattern, named=False)


def _context_sources(ins: Instruction) -> Iterator[tuple[str, Span]]:
    if is_from_context(ins):
        sources, _dest = copy_paths(ins)
        for src in sources:
            if not _is_remote(src.path):
                yield src.path, src.span
    elif ins.keyword == "RUN":
        for mount in ins.mounts:
            source = _mount_source(mount)
            if source is None:
                continue
            opt = mount.option("source", "src")
            yield source, opt.span if opt is not None else mount.flag.span


def _excluded_finding(span: Span, target: str, pattern: str, *, named: bool) -> Finding:
    if named:
        effect = f"this COPY fails with '\"/{target.rstrip('/')}\": not found'"
    elif target == "vendor/":
        effect = (
            "a -mod=vendor build fails, and a default build ignores the vendored modules"
            " and downloads them all"
        )
    elif target == "go.mod":
        effect = "go finds no main module in the image ('go: cannot find main module')"
    else:
        effect = "go then fails with 'missing go.sum entry' (and checksums are not pinned)"
    return Finding(
        span=span,
        message=(
            f".dockerignore pattern `{pattern}` excludes {target}, so it never reaches the"
            f" builder: {effect}; remove the pattern or add `!{target.rstrip('/')}` after it"
        ),
        notes=(f".dockerignore: `{pattern}` matches {target}",),
    )


# ---------------------------------------------------------------------------------
# GB152 / GB153: BuildKit features and the syntax directive


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class Feature:
    """A use of Dockerfile syntax newer than the classic builder's."""

    label: str  # "RUN --mount"
    since: tuple[int, int]  # minimum docker/dockerfile version
    span: Span


# Minimum Dockerfile frontend versions, from the "Minimum Dockerfile version" tables of
# the Dockerfile reference (moby/buildkit frontend/dockerfile/docs/reference.md).
FLAG_SINCE: dict[tuple[str, str], tuple[int, int]] = {
    ("RUN", "mount"): (1, 2),
    ("RUN", "network"): (1, 3),
    ("RUN", "security"): (1, 20),
    ("COPY", "chmod"): (1, 2),
    ("COPY", "link"): (1, 4),
    ("COPY", "parents"): (1, 20),
    ("COPY", "exclude"): (1, 19),
    ("ADD", "keep-git-dir"): (1, 1),
    ("ADD", "checksum"): (1, 6),
    ("ADD", "chmod"): (1, 2),
    ("ADD", "link"): (1, 4),
    ("ADD", "unpack"): (1, 17),
    ("ADD", "exclude"): (1, 19),
}
HEREDOC_SINCE = (1, 4)
SECRET_ENV_SINCE = (1, 10)


def buildkit_features(doc: Dockerfile, newer_than: tuple[int, int] = (0, 0)) -> list[Feature]:
    """Every BuildKit-only feature the file uses, in file order (only those that need
    a version above ``newer_than``: a pinned file needs no other, and skipping them
    spares parsing every mount)."""
    found: list[Feature] = []
    heredocs = newer_than < HEREDOC_SINCE
    secret_env = newer_than < SECRET_ENV_SINCE
    for ins in all_instructions(doc):
        if not ins.flags and not ins.heredocs:
            continue  # the common case: nothing to look at
        for flag in ins.flags:
            since = FLAG_SINCE.get((ins.keyword, flag.name.lower()))
            if since is not None and since > newer_than:
                found.append(Feature(f"{ins.keyword} --{flag.name}", since, flag.span))
        if ins.heredocs and heredocs:
            found.append(
                Feature(f"{ins.keyword} heredoc", HEREDOC_SINCE, ins.heredocs[0].marker_span)
            )
        if secret_env:
            for mount in ins.mounts:
                env = mount.option("env")
                if mount.type == "secret" and env is not None:
                    found.append(Feature("secret mount env=", SECRET_ENV_SINCE, env.span))
    return found


_MISPLACED_SYNTAX_RE = re.compile(r"^syntax\s*=\s*(\S+)\s*$", re.IGNORECASE)


@rule(
    code="GB152",
    name="buildkit-feature-without-syntax",
    severity=Severity.INFO,
    category="frontend",
    summary="BuildKit-only syntax is used without a `# syntax=docker/dockerfile:1` line",
    fix=Applicability.UNSAFE,
)
def buildkit_feature_without_syntax(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the first use of Dockerfile syntax that only BuildKit understands
    (`RUN --mount`, `--network`, `--security`, heredocs, `COPY --link`, `--chmod`,
    `--parents`, `--exclude`, `ADD --checksum`, `--keep-git-dir`, `--unpack`) in a
    file without a `# syntax=` parser directive.

    ## Why is this bad?
    Without the directive the file is read by whatever frontend the builder bundles:
    the legacy builder fails with `unknown flag: mount`, and an older BuildKit may
    not know a newer flag. `# syntax=docker/dockerfile:1` makes BuildKit fetch the
    latest 1.x frontend, so the file builds the same on every machine with BuildKit.

    ## Example
    ```dockerfile
    FROM golang:1.24
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    ```

    Use instead:
    ```dockerfile
    # syntax=docker/dockerfile:1
    FROM golang:1.24
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    ```

    ## Fix safety
    Unsafe: with the directive, every build first pulls `docker/dockerfile:1` from
    Docker Hub. Behind a firewall or registry mirror that blocks Docker Hub, a build
    that worked with the bundled frontend then fails at the very first step; point
    the directive at your mirror (`# syntax=mirror.example/docker/dockerfile:1`) in
    that case.

    ## References
    - https://docs.docker.com/reference/dockerfile/#syntax
    - https://docs.docker.com/build/buildkit/frontend/
    """
    doc = ctx.doc
    if doc.syntax is not None:
        return
    features = buildkit_features(doc)
    if not features:
        return
    first = features[0]
    nl = newline_of(doc.text)
    at = 1 if doc.text.startswith("\ufeff") else 0
    edits = [Edit(at, at, f"# syntax=docker/dockerfile:1{nl}")]
    notes = _other_uses(features[1:], lambda f: f.label)
    # A `# syntax=` comment below the directive block is only a comment: move it up.
    for comment in doc.comments:
        m = _MISPLACED_SYNTAX_RE.match(comment.text)
        if m is None:
            continue
        value = m.group(1)
        edits = [Edit(at, at, f"# syntax={value}{nl}")]
        start = doc.index.line_start(comment.span.line)
        end = doc.index.line_start(comment.span.line + 1)
        if comment.span.line >= doc.index.line_count:
            end = len(doc.text)
        if start > at:
            edits.append(Edit(start, end, ""))
        notes.insert(
            0,
            f"line {comment.span.line}: `# syntax={value}` is not a parser directive there"
            " (directives must come before any other comment, blank line or instruction)",
        )
        break
    yield Finding(
        span=first.span,
        message=(
            f"{first.label} needs BuildKit's Dockerfile syntax {_ver(first.since)} or newer,"
            " but no `# syntax=` line pins the frontend: the legacy builder rejects the file"
            " and an old bundled frontend may not know it; add `# syntax=docker/dockerfile:1`"
            " as the first line"
        ),
        fix=Fix(
            "Add `# syntax=docker/dockerfile:1` at the top", tuple(edits), Applicability.UNSAFE
        ),
        notes=tuple(notes),
    )


def _other_uses(features: list[Feature], describe: Callable[[Feature], str]) -> list[str]:
    """ "also line N: ..." notes, one per line and feature, at most five."""
    notes: list[str] = []
    for f in features:
        note = f"also line {f.span.line}: {describe(f)}"
        if note not in notes:
            notes.append(note)
    return notes[:5]


def _ver(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"


_SYNTAX_TAG_RE = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")
_FRONTEND_REPOS = ("docker/dockerfile", "docker/dockerfile-upstream")


def pinned_syntax(value: str) -> tuple[int, int] | None:
    """The docker/dockerfile ``major.minor`` a syntax directive pins; None when it floats.

    ``docker/dockerfile:1`` (latest 1.x), ``:labs``, ``:1.7-labs`` and custom frontends
    give None: their features are unknown or a superset.
    """
    ref = ImageRef.parse(value)
    repo = ref.repository.lower()
    if not any(repo == r or repo.endswith("/" + r) for r in _FRONTEND_REPOS):
        return None
    m = _SYNTAX_TAG_RE.match(ref.tag or "")
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2))


@rule(
    code="GB153",
    name="syntax-too-old",
    severity=Severity.WARNING,
    category="frontend",
    summary="the pinned Dockerfile syntax is older than a feature the file uses",
    fix=Applicability.SAFE,
)
def syntax_too_old(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Compares a pinned `# syntax=docker/dockerfile:1.N` directive with the features
    the file uses, and flags the first one that needs a newer version: most often a
    secret mount with `env=` (Dockerfile 1.10), but also heredocs and `COPY --link`
    (1.4), `ADD --checksum` (1.6), `ADD --unpack` (1.17), `--exclude` (1.19),
    `COPY --parents` and `RUN --security` (1.20), `RUN --network` (1.3) and
    `RUN --mount` (1.2). A floating `:1`, `:labs` or `-labs` tag is not checked.

    ## Why is this bad?
    The pinned frontend does not know the feature: the build fails with `unknown
    flag`, or, for `env=` on a secret mount, `unexpected key 'env'`, so the token
    never reaches `go mod download`.

    ## Example
    ```dockerfile
    # syntax=docker/dockerfile:1.7
    FROM golang:1.24
    RUN --mount=type=secret,id=gh,env=GH_TOKEN go mod download
    ```

    Use instead:
    ```dockerfile
    # syntax=docker/dockerfile:1.10
    FROM golang:1.24
    RUN --mount=type=secret,id=gh,env=GH_TOKEN go mod download
    ```

    ## Fix safety
    Safe: the fix raises the pinned version to the lowest one that has every feature
    the file uses; the build already pulls a frontend image, only its tag changes.
    A directive pinned by digest is not changed automatically.

    ## References
    - https://docs.docker.com/reference/dockerfile/#run---mounttypesecret
    - https://docs.docker.com/build/buildkit/frontend/#stable-channel
    """
    doc = ctx.doc
    directive = doc.syntax
    if directive is None:
        return
    pinned = pinned_syntax(directive.value)
    if pinned is None:
        return
    too_new = buildkit_features(doc, pinned)
    if not too_new:
        return
    first = too_new[0]
    needed = max(f.since for f in too_new)
    fix = None
    value = directive.value
    if "@" not in value:
        colon = value.rfind(":")
        start = directive.value_span.start + colon + 1
        end = directive.value_span.start + len(value)
        if colon > 0 and doc.text[start:end] == value[colon + 1 :]:
            fix = Fix(
                f"Pin docker/dockerfile:{_ver(needed)}",
                (Edit(start, end, _ver(needed)),),
                Applicability.SAFE,
            )
    pin_note = "" if fix is not None else " (and re-pin the digest)"
    yield Finding(
        span=first.span,
        message=(
            f"{first.label} needs Dockerfile syntax {_ver(first.since)} or newer, but the"
            f" file pins {directive.value}: the build fails on it; raise the directive to"
            f" docker/dockerfile:{_ver(needed)} (or :1){pin_note}"
        ),
        fix=fix,
        notes=tuple(_other_uses(too_new[1:], lambda f: f"{f.label} needs {_ver(f.since)}")),
    )


RULES: tuple[Rule, ...] = (
    no_dockerignore,
    dockerignore_excludes_go_files,
    buildkit_feature_without_syntax,
    syntax_too_old,
)
