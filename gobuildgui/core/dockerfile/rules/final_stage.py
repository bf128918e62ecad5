"""Final stage rules: does the image that ships run, and does it carry only what it needs?

The final stage is the last one (what ``docker build`` produces without ``--target``).
"The binary" is what the final stage copies with ``COPY --from=<stage>``; the go
commands that produce it are found by matching their output path (``-o``, the
WORKDIR, ``$GOBIN``) with the copied paths.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.golang import GoCommand, ImageRef, go_commands, go_env, stage_image
from gobuildgui.core.dockerfile.nodes import (
    Dockerfile,
    Instruction,
    KeyValue,
    Stage,
    unquote,
    word_pattern,
)
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.rules.buildcontext import (
    PathArg,
    copy_paths,
    is_from_context,
    newline_of,
)
from gobuildgui.core.dockerfile.scope import PREDEFINED_PROXY_ARGS, variables_at
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

# ---------------------------------------------------------------------------------
# Stages and what the final stage copies


def _chain_instructions(stage: Stage) -> Iterator[Instruction]:
    for st in stage.chain():
        yield from st.instructions


def _has_start_command(stage: Stage) -> bool:
    """Whether the image is meant to run: an ENTRYPOINT or CMD in the stage or its parents."""
    return any(i.keyword in ("ENTRYPOINT", "CMD") for i in _chain_instructions(stage))


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _StageCopy:
    """A ``COPY --from=<stage>`` of the final stage (or one of its parents)."""

    instruction: Instruction
    source: Stage
    paths: list[PathArg]


def _stage_copies(doc: Dockerfile, final: Stage) -> list[_StageCopy]:
    copies: list[_StageCopy] = []
    for st in final.chain():
        for ins in st.instructions:
            flag = ins.flag("from") if ins.keyword == "COPY" else None
            if flag is None or not flag.value:
                continue
            source = doc.stage_named(unquote(flag.value, ins.escape))
            if source is None or source is st or source.index >= final.index:
                continue
            sources, _dest = copy_paths(ins)
            copies.append(_StageCopy(ins, source, sources))
    return copies


def _stage_label(stage: Stage) -> str:
    return stage.name or str(stage.index)


# ---------------------------------------------------------------------------------
# Where a go command writes its binary

# go build/install flags that take their value as the next word.
_VALUE_FLAGS = frozenset(
    {
        "C", "o", "p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags",
        "installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags",
        "toolexec", "covermode", "coverpkg", "exec",
    }
)  # fmt: skip
_CD_RE = re.compile(r"(?:^|[;&|(]|\n)\s*cd\s+(\"[^\"]*\"|'[^']*'|[^\s;&|)]+)")


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _Output:
    """Where a build puts its binary: a file, or a folder with an unknown file name."""

    path: str | None  # None: unknown (a variable, say)
    is_dir: bool = False


def _go_words(cmd: GoCommand) -> list[str]:
    esc = cmd.instruction.escape
    return [unquote(m.group(), esc) for m in word_pattern(esc).finditer(cmd.args)]


def _flag_value(words: list[str], names: tuple[str, ...]) -> str | None:
    """The value of the last ``-name value`` / ``-name=value`` among ``words``."""
    found = None
    for i, w in enumerate(words):
        for name in names:
            if w == name and i + 1 < len(words):
                found = words[i + 1]
            elif w.startswith(name + "="):
                found = w[len(name) + 1 :]
    return found


def _workdir(doc: Dockerfile, ins: Instruction) -> str | None:
    """The working directory ``ins`` runs in (None when a variable hides it)."""
    stage = doc.stage_of(ins)
    if stage is None:
        return None
    cwd = "/go" if stage_image(stage).is_golang else "/"
    for i in _chain_instructions(stage):
        if i is ins:
            break
        if i.keyword == "WORKDIR" and i.args.strip():
            env = {k: v.value for k, v in variables_at(doc, i).items()}
            path = expand_word(i.args.strip(), env, doc.escape, keep=True)
            if "$" in path:
                return None
            cwd = posixpath.normpath(posixpath.join(cwd, path))
    return cwd


def _resolve(doc: Dockerfile, ins: Instruction, base: str | None, path: str) -> str | None:
    env = {k: v.value for k, v in variables_at(doc, ins).items()}
    value = expand_word(path, env, doc.escape, keep=True)
    if "$" in value or "`" in value:
        return None
    if value.startswith("/"):
        return posixpath.normpath(value)
    if base is None:
        return None
    return posixpath.normpath(posixpath.join(base, value))


def _output(doc: Dockerfile, cmd: GoCommand) -> _Output | None:
    """Where ``go build``/``go install`` leaves the binary; None when it keeps none."""
    ins = cmd.instruction
    words = _go_words(cmd)
    if cmd.subcommand == "install":
        env = go_env(doc, ins, cmd)
        gobin = env.get("GOBIN")
        if gobin is not None and gobin.value:
            return _Output(_resolve(doc, ins, "/", gobin.value), is_dir=True)
        gopath = env.get("GOPATH")
        root = gopath.value if gopath is not None else "/root/go"
        if root is None:
            return _Output(None)
        first = root.split(":", 1)[0]
        resolved = _resolve(doc, ins, "/", first)
        return _Output(posixpath.join(resolved, "bin") if resolved else None, is_dir=True)
    cwd = _workdir(doc, ins)
    before = cmd.script.text[: cmd.start]
    cds = _CD_RE.findall(before)
    if cds and cwd is not None:
        cwd = _resolve(doc, ins, cwd, cds[-1].strip("\"'"))
    chdir = _flag_value(words, ("-C", "--C"))
    if chdir is not None and cwd is not None:
        cwd = _resolve(doc, ins, cwd, chdir)
    out = _flag_value(words, ("-o", "--o"))
    if out is not None:
        return _Output(_resolve(doc, ins, cwd, out), is_dir=out.endswith("/"))
    packages: list[str] = []
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w.startswith("-"):
            skip = w.lstrip("-") in _VALUE_FLAGS
        else:
            packages.append(w)
    if len(packages) > 1 or any("..." in p for p in packages):
        return None  # several packages: go build keeps no binary
    return _Output(cwd, is_dir=True)


def _matches(source: str, out: _Output) -> bool | None:
    """Whether a copied path takes the binary along (None: cannot tell)."""
    if out.path is None:
        return None
    if "$" in source:
        return None
    src = posixpath.normpath(posixpath.join("/", source))
    path = out.path
    if any(c in src for c in "*?["):
        if out.is_dir:
            return fnmatch.fnmatchcase(path, posixpath.dirname(src)) or fnmatch.fnmatchcase(
                path, src
            )
        return fnmatch.fnmatchcase(path, src) or fnmatch.fnmatchcase(posixpath.dirname(path), src)
    inside = src == "/" or path.startswith(src.rstrip("/") + "/")
    if out.is_dir:
        return src == path or posixpath.dirname(src) == path or inside
    return src == path or inside


def _binary_builds(doc: Dockerfile, copy: _StageCopy) -> list[GoCommand]:
    """The go build/install commands whose output a ``COPY --from`` takes."""
    definite: list[GoCommand] = []
    maybe: list[GoCommand] = []
    for ins in _chain_instructions(copy.source):
        for cmd in go_commands(ins):
            if cmd.subcommand not in ("build", "install"):
                continue
            out = _output(doc, cmd)
            if out is None:
                continue
            results = [_matches(p.path, out) for p in copy.paths]
            if any(r is True for r in results):
                definite.append(cmd)
            elif any(r is None for r in results):
                maybe.append(cmd)
    return definite or maybe


# ---------------------------------------------------------------------------------
# GB140


_STATIC_LD_RE = re.compile(r"-extldflags\b[\s=\"']*[^\"']*?-static")
_TAGS_RE = re.compile(r"-tags[=\s]+[\"']?([\w.,\s]+)")
_EXPORT_CGO_OFF_RE = re.compile(
    r"\bexport\s+(?:[A-Za-z_]\w*(?:=\S*)?\s+)*CGO_ENABLED=[\"']?0(?![\w])"
)
_C_COMPILER_RE = re.compile(r"\b(?:apk|apt-get|apt|yum|dnf)\b[^;&|]*\b(?:gcc|build-base|clang)\b")
_GLIBC_COMPAT_RE = re.compile(r"\bapk\b[^;&|]*\b(?:gcompat|libc6-compat)\b")
_DEBIAN_CODENAMES = ("bookworm", "bullseye", "buster", "trixie", "forky")


def _links_statically(text: str) -> bool:
    if _STATIC_LD_RE.search(text):
        return True
    for m in _TAGS_RE.finditer(text):
        tags = set(re.split(r"[,\s]+", m.group(1)))
        if {"netgo", "osusergo"} <= tags:
            return True
    return False


def _runs_text(stage: Stage, pattern: re.Pattern[str]) -> bool:
    for ins in _chain_instructions(stage):
        if ins.keyword == "RUN" and any(pattern.search(s.text) for s in ins.scripts()):
            return True
    return False


def _builder_libc(stage: Stage) -> str | None:
    """``glibc`` or ``musl`` when the stage compiles with CGO on by default, else None."""
    image = stage_image(stage)
    if not image.is_golang:
        return None
    tag = (image.tag or "").lower()
    if image.is_alpine:
        # golang:*-alpine has no gcc, so CGO is off unless the stage installs one.
        return "musl" if _runs_text(stage, _C_COMPILER_RE) else None
    if "windows" in tag or "nanoserver" in tag:
        return None
    if "$" in image.raw and not any(c in tag for c in _DEBIAN_CODENAMES):
        return None
    return "glibc"


def _runtime_libc(stage: Stage) -> str | None:
    """``none`` (scratch, distroless static) or ``musl`` (alpine) for the final stage."""
    image = stage_image(stage)
    if image.is_static_runtime:
        return "none"
    if image.is_alpine and not _runs_text(stage, _GLIBC_COMPAT_RE):
        return "musl"
    return None


def _describe(image: ImageRef) -> str:
    return "scratch" if image.is_scratch else image.raw


@rule(
    code="GB140",
    name="cgo-binary-in-static-image",
    severity=Severity.WARNING,
    category="runtime",
    summary="CGO is not disabled for a binary that runs on scratch, distroless/static or alpine",
    fix=Applicability.UNSAFE,
)
def cgo_binary_in_static_image(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Finds the `go build` or `go install` whose binary the final stage copies with
    `COPY --from=<stage>`, and flags it when CGO is on while the final stage has no
    matching C library: the build runs on a Debian-based `golang` image (which ships
    gcc, so `CGO_ENABLED` defaults to 1) and the final stage is `scratch`,
    `distroless/static` or `alpine`; or the build runs on `golang:*-alpine` with gcc
    installed and the final stage is `scratch` or `distroless/static`.

    It is quiet when `CGO_ENABLED=0` is in effect (ENV, ARG default, `go env -w`,
    `export`, or inline), when the link is static (`-ldflags '-extldflags "-static"'`,
    or `-tags netgo,osusergo`), when alpine gets `gcompat`/`libc6-compat`, and for a
    `scratch` stage without ENTRYPOINT or CMD (an export stage for `--output`).

    ## Why is this bad?
    With CGO on, a binary that imports `net` or `os/user` (almost every server) is
    linked dynamically against the builder's C library. The final image has none
    (or musl instead of glibc), so the container dies at start with `exec /app: no
    such file or directory` although `/app` is there.

    ## Example
    ```dockerfile
    FROM golang:1.24 AS build
    RUN go build -o /out/app ./cmd/app
    FROM scratch
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
    FROM scratch
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```

    ## Fix safety
    Unsafe: a program that really uses cgo (SQLite, librdkafka...) no longer compiles
    with `CGO_ENABLED=0`; it needs a static link or a runtime image with glibc
    (`gcr.io/distroless/base-debian12`) instead. No fix is offered when
    `CGO_ENABLED=1` is set explicitly.

    ## References
    - https://pkg.go.dev/cmd/cgo
    - https://github.com/docker-library/golang (Dockerfile-linux.template installs gcc)
    """
    doc = ctx.doc
    final = doc.final_stage
    if final is None:
        return
    runtime = _runtime_libc(final)
    if runtime is None:
        return
    final_image = stage_image(final)
    if final_image.is_scratch and not _has_start_command(final):
        return
    reported: set[int] = set()
    for copy in _stage_copies(doc, final):
        builder = _builder_libc(copy.source)
        if builder is None or (builder == "musl" and runtime == "musl"):
            continue
        for cmd in _binary_builds(doc, copy):
            if cmd.span.start in reported:
                continue
            finding = _cgo_finding(doc, cmd, copy, builder, final_image)
            if finding is not None:
                reported.add(cmd.span.start)
                yield finding


def _cgo_finding(
    doc: Dockerfile, cmd: GoCommand, copy: _StageCopy, builder: str, final_image: ImageRef
) -> Finding | None:
    ins = cmd.instruction
    env = go_env(doc, ins, cmd)
    goos = env.get("GOOS")
    if goos is not None and goos.value and "$" not in goos.value and goos.value != "linux":
        return None  # not a Linux binary: it does not run in this image anyway
    cgo = env.get("CGO_ENABLED")
    explicit: Span | None = None
    if cgo is not None:
        if cgo.value is None or "$" in cgo.value or cgo.value.strip() != "1":
            return None  # off, or decided at build time
        explicit = cgo.span
    if _EXPORT_CGO_OFF_RE.search(cmd.script.text[: cmd.start]):
        return None
    flags = env.get("GOFLAGS")
    goflags = (flags.value or "") if flags is not None else ""
    if _links_statically(f"{cmd.args} {goflags}"):
        return None
    build_image = stage_image(copy.source)
    final_desc = _describe(final_image)
    if builder == "musl":
        why = f"{build_image.raw} has gcc installed, so CGO is on and the binary links musl"
        lib = "no C library"
    else:
        why = f"the {build_image.raw} image ships gcc, so CGO_ENABLED defaults to 1"
        lib = "no glibc" if final_image.is_alpine else "no C library"
    if explicit is not None:
        why = f"CGO_ENABLED=1 is set (line {explicit.line})"
    message = (
        f"CGO is on for this build ({why}) and the binary runs on {final_desc}, which has"
        f" {lib}: a binary using net or os/user is linked dynamically and fails to start"
        " with 'no such file or directory'; "
    )
    fix = None
    if explicit is None:
        message += "build with CGO_ENABLED=0"
        if not ins.is_exec_form:
            at = cmd.go_span.start
            fix = Fix(
                "Build with CGO_ENABLED=0", (Edit(at, at, "CGO_ENABLED=0 "),), Applicability.UNSAFE
            )
    else:
        message += (
            "link statically (-ldflags '-linkmode external -extldflags \"-static\"') or use a"
            " runtime image with glibc such as gcr.io/distroless/base-debian12"
        )
    notes = (
        f"final stage: FROM {final_desc} (line {_final_line(doc)})",
        f"binary copied by COPY --from={_stage_label(copy.source)} on line {copy.instruction.line}",
    )
    return Finding(span=cmd.span, message=message, fix=fix, notes=notes)


def _final_line(doc: Dockerfile) -> int:
    final = doc.final_stage
    return final.from_instruction.line if final is not None else 1


# ---------------------------------------------------------------------------------
# GB141

FALLBACK_ROOTS_MODULE = "golang.org/x/crypto/x509roots/fallback"
_CA_MARKERS = ("ca-certificates", "/etc/ssl", "ca-bundle", "cacert", "/etc/pki", ".crt", ".pem")
_CA_ENV = frozenset({"SSL_CERT_FILE", "SSL_CERT_DIR"})
_CA_INSTALL_RE = re.compile(r"\bca-certificates\b")
_TARBALL_RE = re.compile(r"\.(?:tar|tgz|tar\.(?:gz|xz|bz2|zst))$", re.IGNORECASE)


def _has_ca_bundle(stage: Stage) -> bool:
    for ins in _chain_instructions(stage):
        if ins.keyword in ("COPY", "ADD"):
            sources, dest = copy_paths(ins)
            texts = [p.path.lower() for p in sources] + ([dest.path.lower()] if dest else [])
            if any(m in t for t in texts for m in _CA_MARKERS):
                return True
            if ins.flag("from") is not None and any(
                posixpath.normpath("/" + p.path.lstrip("/")) == "/" for p in sources
            ):
                return True  # the whole filesystem of another stage
            if ins.keyword == "ADD" and any(_TARBALL_RE.search(p.path) for p in sources):
                return True  # a root filesystem tarball, unpacked by ADD
        if ins.keyword == "ENV" and any(kv.key in _CA_ENV for kv in ins.key_values):
            return True
    return False


def _ca_source(doc: Dockerfile, final: Stage) -> Stage | None:
    """A stage the final stage copies from that has /etc/ssl/certs/ca-certificates.crt."""
    for copy in _stage_copies(doc, final):
        image = stage_image(copy.source)
        if image.is_golang or image.is_alpine or _runs_text(copy.source, _CA_INSTALL_RE):
            return copy.source
    return None


@rule(
    code="GB141",
    name="scratch-without-ca-certificates",
    severity=Severity.WARNING,
    category="runtime",
    summary="the final stage is scratch and no CA certificate bundle is copied into it",
    fix=Applicability.UNSAFE,
    needs_project=True,
)
def scratch_without_ca_certificates(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `FROM scratch` final stage that has an ENTRYPOINT or CMD (so it is meant
    to run) but gets no CA bundle: nothing copies `/etc/ssl/certs/ca-certificates.crt`
    (or another `.crt`/`.pem`, or `/etc/ssl`) and `SSL_CERT_FILE` is not set. It is
    quiet when go.mod requires `golang.org/x/crypto/x509roots/fallback`, which
    embeds the roots in the binary.

    ## Why is this bad?
    `scratch` is empty. The Go binary finds no root certificates, so every HTTPS
    request it makes fails with `x509: certificate signed by unknown authority`, a
    failure that only shows at run time.

    ## Example
    ```dockerfile
    FROM golang:1.24 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .
    FROM scratch
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    RUN CGO_ENABLED=0 go build -o /out/app .
    FROM scratch
    COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```

    ## Fix safety
    Unsafe: it adds a file to the image, copied from the stage the binary comes from
    (offered only when that stage is a golang or alpine image, or installs
    ca-certificates, since those have the bundle). The image then trusts the public
    roots of that stage as of its build.

    ## References
    - https://pkg.go.dev/crypto/x509#SystemCertPool
    - https://pkg.go.dev/golang.org/x/crypto/x509roots/fallback
    """
    doc = ctx.doc
    final = doc.final_stage
    if final is None or not stage_image(final).is_scratch or not _has_start_command(final):
        return
    go_mod = ctx.project.go_mod
    if go_mod is not None and FALLBACK_ROOTS_MODULE in go_mod.requires:
        return
    if _has_ca_bundle(final):
        return
    source = _ca_source(doc, final)
    fix = None
    hint = "copy /etc/ssl/certs/ca-certificates.crt from a stage that has it"
    if source is not None:
        label = _stage_label(source)
        line = final.from_instruction.span.end_line
        at = doc.index.line_end(line)
        start = doc.index.line_start(final.from_instruction.line)
        indent = doc.text[start : final.from_instruction.keyword_span.start]
        if indent.strip():
            indent = ""
        copy_line = f"COPY --from={label} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"
        fix = Fix(
            f"Copy the CA bundle from stage {label}",
            (Edit(at, at, newline_of(doc.text) + indent + copy_line),),
            Applicability.UNSAFE,
        )
        hint = f"add `{copy_line}`"
    token = final.image_token
    span = token.span if token is not None else final.from_instruction.keyword_span
    yield Finding(
        span=span,
        message=(
            "the final stage is built FROM scratch and gets no CA certificates: HTTPS"
            " requests from the binary fail with 'x509: certificate signed by unknown"
            f" authority'; {hint} (or import {FALLBACK_ROOTS_MODULE})"
        ),
        fix=fix,
    )


# ---------------------------------------------------------------------------------
# GB142

BUILD_TIME_GO_VARIABLES = frozenset(
    {
        "GOPROXY", "GOFLAGS", "GOPRIVATE", "GONOSUMDB", "GONOPROXY", "GOSUMDB",
        "GOINSECURE", "GOAUTH", "GOVCS",
    }
)  # fmt: skip
_PROXY_VARIABLES = PREDEFINED_PROXY_ARGS


def _stage_runs_go(stage: Stage) -> bool:
    """Whether a RUN of the stage may run go (a go command, or any RUN on a golang image)."""
    golang = stage_image(stage).is_golang
    for ins in stage.instructions:
        if ins.keyword != "RUN":
            continue
        if golang or any(True for _ in go_commands(ins)):
            return True
    return False


def _remove_pair(doc: Dockerfile, ins: Instruction, kv: KeyValue) -> Edit:
    """Delete one assignment of an ENV, or the whole instruction when it is the only one."""
    pairs = ins.key_values
    if len(pairs) <= 1:
        start = doc.index.line_start(ins.line)
        end_line = ins.end_line
        end = (
            doc.index.line_start(end_line + 1) if end_line < doc.index.line_count else len(doc.text)
        )
        return Edit(start, end, "")
    k = next((i for i, p in enumerate(pairs) if p is kv), len(pairs) - 1)
    if k + 1 < len(pairs):
        return Edit(kv.span.start, pairs[k + 1].span.start, "")
    return Edit(pairs[k - 1].span.end, kv.span.end, "")


@rule(
    code="GB142",
    name="build-settings-in-final-stage",
    severity=Severity.INFO,
    category="runtime",
    summary="build-time Go or proxy settings are set with ENV in the final stage",
    fix=Applicability.UNSAFE,
)
def build_settings_in_final_stage(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `ENV` of module-download settings (GOPROXY, GOFLAGS, GOPRIVATE, GONOPROXY,
    GONOSUMDB, GOSUMDB, GOINSECURE, GOAUTH, GOVCS) and of proxies (HTTP_PROXY,
    HTTPS_PROXY, NO_PROXY, ALL_PROXY, FTP_PROXY, upper or lower case) in the final
    stage, when that stage runs no go command.

    ## Why is this bad?
    ENV values stay in the image: every container started from it gets them, and
    anyone who pulls it can read your internal proxy and module hosts with
    `docker inspect`. The final stage does not download modules, so the Go settings
    are dead weight there. A proxy in the runtime environment can also send the
    application's own traffic somewhere unexpected.

    ## Example
    ```dockerfile
    FROM gcr.io/distroless/static-debian12
    ENV GOPROXY=https://athens.corp.example HTTPS_PROXY=http://proxy.corp:3128
    COPY --from=build /out/app /app
    ```

    Use instead: set them in the build stage, or pass them at build time
    (`docker build --build-arg HTTPS_PROXY=http://proxy.corp:3128 .`; the proxy
    variables are predefined build arguments and are not kept in the image).

    ## Fix safety
    Unsafe: the fix deletes the assignment, which changes the runtime environment,
    and a later RUN of the final stage that needs the proxy must then get it with
    `--build-arg`.

    ## References
    - https://docs.docker.com/reference/dockerfile/#predefined-args
    - https://go.dev/ref/mod#environment-variables
    """
    doc = ctx.doc
    final = doc.final_stage
    if final is None or _stage_runs_go(final):
        return
    for ins in final.instructions:
        if ins.keyword != "ENV":
            continue
        for kv in ins.key_values:
            if kv.key in BUILD_TIME_GO_VARIABLES:
                message = (
                    f"ENV {kv.key} in the final stage only matters to go, which this stage"
                    " does not run: it ships in the runtime image and exposes your module"
                    " setup; set it in the build stage instead"
                )
            elif kv.key in _PROXY_VARIABLES:
                message = (
                    f"ENV {kv.key} in the final stage bakes the proxy into the runtime image"
                    " (every container inherits it, `docker inspect` shows it); pass it at"
                    f" build time with --build-arg {kv.key}=..., a predefined build"
                    " argument that is not kept in the image"
                )
            else:
                continue
            yield Finding(
                span=kv.span,
                message=message,
                fix=Fix(
                    f"Remove {kv.key} from the final stage",
                    (_remove_pair(doc, ins, kv),),
                    Applicability.UNSAFE,
                ),
            )


# ---------------------------------------------------------------------------------
# GB143

# Stage names that announce a development, test or CI image rather than the release.
_NON_RELEASE_NAMES = frozenset(
    {"dev", "develop", "development", "debug", "test", "tests", "testing", "lint", "ci", "tools"}
)
_SOURCE_FILE_RE = re.compile(r"(?:^|/)(?:go\.mod|go\.sum|[^/]*\.go)$")


def _copies_sources(ins: Instruction) -> bool:
    if not is_from_context(ins):
        return False
    sources, _dest = copy_paths(ins)
    for src in sources:
        path = posixpath.normpath("/" + src.path.replace("\\", "/").lstrip("/"))
        if path in ("/", "/*") or _SOURCE_FILE_RE.search(path):
            return True
    return False


@rule(
    code="GB143",
    name="golang-final-image",
    severity=Severity.INFO,
    category="runtime",
    summary="the final stage is a golang image: the toolchain ships with the application",
)
def golang_final_image(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a last stage built on a `golang` image (directly or through `FROM <stage>`)
    that builds the application (`go build`, or a `go install` of local packages) or
    copies Go sources and has an ENTRYPOINT or CMD. Stages named `dev`, `test`,
    `lint`, `ci`, `debug` or `tools` are not flagged, nor are images that only
    `go install` tools at a version (CI images).

    ## Why is this bad?
    The image carries the whole Go toolchain, gcc, the module cache and the build
    cache: several hundred megabytes to pull on every deploy, and a much larger
    attack surface than the one binary it runs.

    ## Example
    ```dockerfile
    FROM golang:1.24
    WORKDIR /src
    COPY . .
    RUN go build -o /app .
    CMD ["/app"]
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    WORKDIR /src
    COPY . .
    RUN CGO_ENABLED=0 go build -o /app .

    FROM gcr.io/distroless/static-debian12
    COPY --from=build /app /app
    CMD ["/app"]
    ```

    ## References
    - https://docs.docker.com/build/building/multi-stage/
    - https://docs.docker.com/guides/golang/build-images/
    """
    doc = ctx.doc
    final = doc.final_stage
    if final is None or (final.name or "") in _NON_RELEASE_NAMES:
        return
    image = stage_image(final)
    if not image.is_golang:
        return
    builds = False
    copies = False
    for ins in _chain_instructions(final):
        for cmd in go_commands(ins):
            if cmd.subcommand == "build" or (cmd.subcommand == "install" and "@" not in cmd.args):
                builds = True
        copies = copies or _copies_sources(ins)
    if not (builds or (copies and _has_start_command(final))):
        return
    token = final.image_token
    span = token.span if token is not None else final.from_instruction.keyword_span
    yield Finding(
        span=span,
        message=(
            f"the final image is {image.raw}: the Go toolchain, gcc and the module and build"
            " caches ship with the application; build in a named stage and copy only the"
            " binary into a small runtime image (gcr.io/distroless/static-debian12 or"
            " scratch)"
        ),
    )


RULES: tuple[Rule, ...] = (
    cgo_binary_in_static_image,
    scratch_without_ca_certificates,
    build_settings_in_final_stage,
    golang_final_image,
)
