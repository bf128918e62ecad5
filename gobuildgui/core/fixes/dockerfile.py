"""Dockerfile edits of the fix catalogue, made with the parser's spans.

Each edit changes only the lines it must: an inserted instruction is a new line before
the instruction it has to precede, a replaced value keeps the rest of its line, a
removed ``ENV`` pair takes only itself. ``dockerfile-lint-fix`` lints the file as it is
on disk right now (so the offsets of the fixes match the text being edited) and applies
the fixes of the chosen findings.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gobuildgui.core.dockerfile.golang import GoCommand, fetching_commands, go_env, stage_image
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction, Stage
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.project import GoVersion, ProjectContext
from gobuildgui.core.fixes.files import TargetFile, read_target
from gobuildgui.core.fixes.model import FileChange, FixContext, FixError, Followup, RefusedError
from gobuildgui.core.model import Applicability, Edit, apply_edits

PROXY_NAMES = frozenset(
    n
    for base in ("http_proxy", "https_proxy", "no_proxy", "ftp_proxy", "all_proxy")
    for n in (base, base.upper())
)


@dataclass(frozen=True)
class DockerfileEdit:
    """The result of one Dockerfile edit, before it becomes a plan."""

    change: FileChange
    summary: str
    followups: tuple[Followup, ...] = ()
    warnings: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    applicability: Applicability = Applicability.SAFE


class _Doc:
    """The Dockerfile being edited: its text, parse and pending edits."""

    def __init__(self, target: TargetFile) -> None:
        text = target.text or ""
        self.target = target
        self.text = text
        self.doc: Dockerfile = parse(text)
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[Edit] = []

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset just past the newline of the line holding ``offset``."""
        i = self.text.find("\n", offset)
        return len(self.text) if i < 0 else i + 1

    def insert_before(self, ins: Instruction, lines: list[str]) -> None:
        pos = self.line_start(ins.span.start)
        indent = self.text[pos : ins.span.start]
        indent = indent if not indent.strip() else ""
        self.edits.append(Edit(pos, pos, "".join(indent + line + self.nl for line in lines)))

    def insert_after(self, ins: Instruction, lines: list[str]) -> None:
        pos = self.line_end(ins.span.end - 1 if ins.span.end > ins.span.start else ins.span.end)
        prefix = "" if pos == 0 or self.text[pos - 1] == "\n" else self.nl
        self.edits.append(Edit(pos, pos, prefix + "".join(line + self.nl for line in lines)))

    def remove_instruction(self, ins: Instruction) -> None:
        start = self.line_start(ins.span.start)
        end = self.line_end(max(ins.span.end - 1, ins.span.start))
        self.edits.append(Edit(start, end, ""))

    def result(self) -> str:
        return apply_edits(self.text, self.edits)


def _quote_env(value: str) -> str:
    if value and re.fullmatch(r"[A-Za-z0-9_./:,|@%+=*-]+", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def _fetch_stages(doc: Dockerfile) -> list[tuple[Stage, GoCommand]]:
    """The stages that fetch modules, each with its first fetching go command."""
    out: list[tuple[Stage, GoCommand]] = []
    seen: set[int] = set()
    for cmd in fetching_commands(doc):
        stage = doc.stage_of(cmd.instruction)
        if stage is not None and stage.index not in seen:
            seen.add(stage.index)
            out.append((stage, cmd))
    return out


def _no_fetch(path: Path) -> FixError:
    return FixError(
        f"{path}: no RUN step runs go mod download, go build or another command that"
        " downloads modules; nothing to change"
    )


# -- the edits ------------------------------------------------------------------------


def _proxy_args(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    del s, ctx
    secrets: list[str] = []
    names: list[str] = []
    for ins in d.doc.by_keyword("ENV"):
        kvs = ins.key_values
        proxy = [kv for kv in kvs if kv.key in PROXY_NAMES]
        if not proxy:
            continue
        names += [kv.key for kv in proxy]
        secrets += [kv.value for kv in proxy if kv.value and "@" in kv.value]
        if len(proxy) == len(kvs):
            d.remove_instruction(ins)
            continue
        for kv in proxy:
            start = kv.span.start
            while start > 0 and d.text[start - 1] in " \t":
                start -= 1
            d.edits.append(Edit(start, kv.span.end, ""))
    if not names:
        raise FixError(f"{path}: no ENV instruction sets a proxy variable; nothing to change")
    args = " ".join(f"--build-arg {n}=..." for n in dict.fromkeys(n.upper() for n in names))
    return DockerfileEdit(
        _change(d, path, "proxies no longer baked into the image"),
        f"remove {', '.join(dict.fromkeys(names))} from ENV (the builder passes them as build"
        " args)",
        followups=(
            Followup(
                "Pass the proxies at build time (or once in ~/.docker/config.json: fix"
                " client-proxy).",
                f"docker build {args} .",
            ),
        ),
        secrets=tuple(_passwords(secrets)),
        applicability=Applicability.UNSAFE,
        warnings=(
            "Containers started from the image no longer have the proxy in their"
            " environment; give it with docker run -e or the client config if they need it.",
        ),
    )


def _passwords(urls: list[str]) -> list[str]:
    import urllib.parse

    out = []
    for u in urls:
        try:
            pw = urllib.parse.urlsplit(u).password
        except ValueError:
            pw = None
        if pw:
            out.append(pw)
    return out


def _goproxy(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    del ctx
    stages = _fetch_stages(d.doc)
    if not stages:
        raise _no_fetch(path)
    wanted = {n: s[n] for n in ("GOPROXY", "GOPRIVATE", "GONOSUMDB", "GOSUMDB") if s.get(n)}
    if not wanted:
        raise FixError("give at least one of GOPROXY, GOPRIVATE, GONOSUMDB, GOSUMDB")
    as_arg = s.get("as-arg", "false").lower() == "true"
    for stage, cmd in stages:
        env = go_env(d.doc, cmd.instruction, cmd)
        new_lines: list[str] = []
        for name, value in wanted.items():
            current = env.get(name)
            if current is not None and current.value == value:
                continue
            kv_ins = current.instruction if current is not None else None
            if (
                current is not None
                and current.origin == "ENV"
                and kv_ins is not None
                and d.doc.stage_of(kv_ins) is stage
            ):
                for kv in kv_ins.key_values:
                    if kv.key == name and kv.value_span is not None:
                        d.edits.append(
                            Edit(kv.value_span.start, kv.value_span.end, _quote_env(value))
                        )
                continue
            if as_arg and name == "GOPROXY":
                new_lines += [f"ARG GOPROXY={_quote_env(value)}", "ENV GOPROXY=${GOPROXY}"]
            else:
                new_lines.append(f"ENV {name}={_quote_env(value)}")
        if new_lines:
            d.insert_before(cmd.instruction, new_lines)
    return DockerfileEdit(
        _change(d, path, "Go module settings for the build stage"),
        "set " + ", ".join(f"{k}={v}" for k, v in wanted.items()) + " before the download",
        followups=(Followup("Rebuild to check.", "docker build ."),),
    )


def _ca_cert(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    del ctx
    stages = _fetch_stages(d.doc)
    if not stages:
        raise _no_fetch(path)
    cert = s.get("cert", "corp-ca.crt").strip().lstrip("./") or "corp-ca.crt"
    name = Path(cert).name
    if not name.endswith(".crt"):
        name = Path(name).stem + ".crt"
    warnings: list[str] = []
    if not (path.parent / cert).is_file():
        warnings.append(
            f"{path.parent / cert} does not exist yet: put your company's CA certificate"
            " (PEM) there before building, and make sure .dockerignore does not exclude it."
        )
    for stage, cmd in stages:
        image = stage_image(stage)
        if image.is_static_runtime:
            warnings.append(
                f"stage {stage.name or stage.index} is built on {image.raw}, which has no"
                " update-ca-certificates; copy the CA into a golang stage instead."
            )
            continue
        lines = [f"COPY {cert} /usr/local/share/ca-certificates/{name}"]
        if image.is_alpine and not image.is_golang:
            lines.append("RUN apk add --no-cache ca-certificates && update-ca-certificates")
        else:
            lines.append("RUN update-ca-certificates")
        already = any(
            "update-ca-certificates" in ins.args
            for ins in stage.instructions
            if ins.keyword == "RUN" and ins.span.start < cmd.instruction.span.start
        )
        if already:
            warnings.append(
                f"stage {stage.name or stage.index} already runs update-ca-certificates before"
                " the download; check that it copies the right certificate."
            )
            continue
        d.insert_before(cmd.instruction, lines)
    return DockerfileEdit(
        _change(d, path, "trust the corporate CA in the build stage"),
        f"install {cert} as a trusted CA before the download",
        followups=(Followup("Rebuild to check.", "docker build ."),),
        warnings=tuple(warnings),
    )


def _mod_cache(env: Mapping[str, object], image_golang: bool) -> tuple[str, str]:
    def val(name: str) -> str | None:
        setting = env.get(name)
        value = getattr(setting, "value", None)
        return value if isinstance(value, str) and value.startswith("/") else None

    gopath = val("GOPATH") or ("/go" if image_golang else "/root/go")
    modcache = val("GOMODCACHE") or f"{gopath.split(':')[0]}/pkg/mod"
    gocache = val("GOCACHE") or "/root/.cache/go-build"
    return modcache, gocache


def _cache_mount(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    del ctx
    build_cache = s.get("build-cache", "true").lower() == "true"
    done: set[int] = set()
    count = 0
    guessed: set[str] = set()
    for cmd in fetching_commands(d.doc):
        ins = cmd.instruction
        if id(ins) in done or ins.keyword != "RUN":
            continue
        done.add(id(ins))
        stage = d.doc.stage_of(ins)
        golang = stage is not None and stage_image(stage).is_golang
        env = go_env(d.doc, ins, cmd)
        modcache, gocache = _mod_cache(env, golang)
        modcache = s.get("modcache") or modcache
        gocache = s.get("gocache") or gocache
        if not golang and not s.get("modcache") and not _set_in_dockerfile(env):
            guessed.add(stage_image(stage).raw if stage is not None else "?")
        targets = {m.target for m in ins.mounts if m.type == "cache"}
        flags: list[str] = []
        if modcache not in targets:
            flags.append(f"--mount=type=cache,target={modcache}")
        builds = any(c.builds for c in fetching_commands_of(ins))
        if build_cache and builds and gocache not in targets:
            flags.append(f"--mount=type=cache,target={gocache}")
        if flags:
            pos = ins.keyword_span.end
            d.edits.append(Edit(pos, pos, " " + " ".join(flags)))
            count += 1
    if not done:
        raise _no_fetch(path)
    if not count:
        raise FixError(f"{path}: every download and build step already has its cache mounts")
    warnings = [
        "RUN --mount needs BuildKit (DOCKER_BUILDKIT=1, or Docker Engine 23+; fix daemon-buildkit)."
    ]
    for image in sorted(guessed):
        warnings.append(
            f"{image} is not an official golang image, so its module cache folder is a guess"
            " (/root/go/pkg/mod); an image that sets GOPATH itself needs --set modcache=..."
            f" (check: docker run --rm {image} go env GOMODCACHE)."
        )
    return DockerfileEdit(
        _change(d, path, "cache mounts for the module and build caches"),
        f"cache mounts on {count} RUN step(s)",
        warnings=tuple(warnings),
        followups=(
            Followup(
                "Rebuild twice: the second build should not download modules.",
                "DOCKER_BUILDKIT=1 docker build .",
            ),
        ),
    )


def _set_in_dockerfile(env: Mapping[str, object]) -> bool:
    return any(
        getattr(env.get(name), "origin", "default") not in {"default", "image"}
        for name in ("GOPATH", "GOMODCACHE")
    )


def fetching_commands_of(ins: Instruction) -> list[GoCommand]:
    """The go commands of one RUN that fetch or build."""
    from gobuildgui.core.dockerfile.golang import go_commands

    return [c for c in go_commands(ins) if c.fetches_modules or c.builds]


def _private_auth(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    del ctx
    stages = _fetch_stages(d.doc)
    if not stages:
        raise _no_fetch(path)
    method = s.get("method", "netrc")
    host = s.get("git-host", "github.com") or "github.com"
    goprivate = s.get("GOPRIVATE", "")
    follow: list[Followup] = []
    warnings: list[str] = []
    for _stage, cmd in stages:
        ins = cmd.instruction
        env = go_env(d.doc, ins, cmd)
        before: list[str] = []
        current = env.get("GOPRIVATE")
        if goprivate and (current is None or current.value != goprivate):
            before.append(f"ENV GOPRIVATE={_quote_env(goprivate)}")
        if method == "ssh":
            before.append(
                "RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan "
                f"{shlex.quote(host)} >> ~/.ssh/known_hosts"
            )
            before.append(
                f'RUN git config --global url."ssh://git@{host}/".insteadOf "https://{host}/"'
            )
            flag = "--mount=type=ssh"
        else:
            flag = "--mount=type=secret,id=netrc,target=/root/.netrc"
        mounts = {m.type for m in ins.mounts}
        if ("ssh" if method == "ssh" else "secret") not in mounts:
            pos = ins.keyword_span.end
            d.edits.append(Edit(pos, pos, " " + flag))
        if before:
            d.insert_before(ins, before)
    if method == "ssh":
        follow.append(
            Followup("Build with your ssh agent forwarded.", "docker build --ssh default .")
        )
        warnings.append(
            f"ssh-keyscan trusts whatever key {host} presents at build time; compare it with"
            " the fingerprints the host publishes."
        )
    else:
        follow.append(
            Followup(
                "Build with your ~/.netrc (machine <host> login <user> password <token>) as a"
                " secret; it is never stored in a layer.",
                "docker build --secret id=netrc,src=$HOME/.netrc .",
            )
        )
    return DockerfileEdit(
        _change(d, path, "credentials for private modules via a build mount"),
        "give the download step credentials via --mount=type="
        + ("ssh" if method == "ssh" else "secret"),
        followups=tuple(follow),
        warnings=(*warnings, "Secret and ssh mounts need BuildKit."),
    )


def _go_version(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    del ctx
    wanted_text = s.get("version", "")
    if wanted_text:
        wanted = GoVersion.parse(wanted_text)
    else:
        mod = ProjectContext.for_dockerfile(path).go_mod
        wanted = mod.required_version if mod is not None else None
        if wanted is None:
            raise FixError(
                f"no go.mod with a go line next to {path}; give the version with --set version=1.22"
            )
    assert wanted is not None
    text_version = f"{wanted.major}.{wanted.minor}" + (f".{wanted.patch}" if wanted.patch else "")
    if s.get("method", "bump") == "toolchain":
        return _toolchain_auto(d, path, wanted, text_version)
    changed: list[str] = []
    warnings: list[str] = []
    for stage in d.doc.stages:
        token = stage.image_token
        image = stage_image(stage)
        if token is None or stage.parent is not None or not image.is_golang:
            continue
        if "$" in token.value:
            warnings.append(
                f"line {token.span.line}: the image tag comes from a build arg;"
                " change its default by hand"
            )
            continue
        have = image.go_version
        if have is None or have >= wanted:
            continue
        tag = image.tag or ""
        _head, sep, suffix = tag.partition("-")
        new_tag = text_version + (sep + suffix if sep else "")
        raw = token.value
        idx = raw.rfind(":" + tag)
        if idx < 0:
            continue
        new_raw = raw[: idx + 1] + new_tag + raw[idx + 1 + len(tag) :]
        d.edits.append(Edit(token.span.start, token.span.end, new_raw))
        changed.append(f"{raw} → {new_raw}")
    if not changed:
        raise FixError(
            f"{path}: no golang image older than Go {text_version}; nothing to change"
            + (f" ({'; '.join(warnings)})" if warnings else "")
        )
    return DockerfileEdit(
        _change(d, path, f"golang image for Go {text_version}"),
        "; ".join(changed),
        warnings=tuple(warnings),
        followups=(Followup("Rebuild (the new image is pulled).", "docker build --pull ."),),
    )


def _toolchain_auto(d: _Doc, path: Path, wanted: GoVersion, text_version: str) -> DockerfileEdit:
    """``ENV GOTOOLCHAIN=auto`` before the first go command of each stage that is too old."""
    warnings: list[str] = []
    count = 0
    for stage, cmd in _fetch_stages(d.doc):
        image = stage_image(stage)
        have = image.go_version
        if have is not None and have >= wanted:
            continue
        if have is not None and have < GoVersion(1, 21):
            warnings.append(
                f"{image.raw} has Go {have}, which cannot switch toolchains (Go 1.21+ can);"
                " bump the image instead (method=bump)."
            )
            continue
        env = go_env(d.doc, cmd.instruction, cmd)
        current = env.get("GOTOOLCHAIN")
        if current is not None and current.value and current.value.endswith("auto"):
            continue
        proxy = env.get("GOPROXY")
        if proxy is not None and proxy.value in {"off", "direct"}:
            warnings.append(
                f"GOPROXY={proxy.value} in stage {stage.name or stage.index}: the toolchain"
                " golang.org/toolchain is downloaded through GOPROXY and would not be found."
            )
        d.insert_before(cmd.instruction, ["ENV GOTOOLCHAIN=auto"])
        count += 1
    if not count:
        raise FixError(
            f"{path}: no stage needs GOTOOLCHAIN=auto for Go {text_version}"
            + (f" ({'; '.join(warnings)})" if warnings else "")
        )
    return DockerfileEdit(
        _change(d, path, f"let go download Go {text_version} itself"),
        f"ENV GOTOOLCHAIN=auto in {count} stage(s): go fetches Go {text_version} when go.mod asks",
        warnings=tuple(warnings),
        followups=(
            Followup("Rebuild; the first build downloads the toolchain.", "docker build ."),
        ),
    )


def _lint_fix(d: _Doc, s: Mapping[str, str], ctx: FixContext, path: Path) -> DockerfileEdit:
    from gobuildgui.core.dockerfile.lint import lint

    del ctx
    codes = {c.strip().upper() for c in s.get("codes", "").split(",") if c.strip()}
    unsafe = s.get("unsafe", "false").lower() == "true"
    line = int(s["line"]) if s.get("line") else None
    result = lint(d.doc, project=ProjectContext.for_dockerfile(path))
    applied: list[str] = []
    skipped: list[str] = []
    taken: list[tuple[int, int]] = []
    for diag in result.diagnostics:
        fix = diag.fix
        if fix is None or (codes and diag.code not in codes):
            continue
        if line is not None and diag.span.line != line:
            continue
        if fix.applicability is Applicability.DISPLAY_ONLY or (
            fix.applicability is Applicability.UNSAFE and not unsafe
        ):
            skipped.append(f"{diag.code} line {diag.span.line} ({fix.applicability.value})")
            continue
        ranges = [(e.start, e.end) for e in fix.edits]
        if any((a < y and x < b) or (a == b == x == y) for a, b in ranges for x, y in taken):
            skipped.append(f"{diag.code} line {diag.span.line} (overlaps another fix)")
            continue
        taken += ranges
        d.edits.extend(fix.edits)
        applied.append(f"{diag.code} line {diag.span.line}: {fix.title}")
    if not applied:
        which = ", ".join(sorted(codes)) if codes else "any finding"
        extra = f"; not applied: {', '.join(skipped)}" if skipped else ""
        raise FixError(f"{path}: no applicable lint fix for {which}{extra}")
    warnings = [
        f"not applied: {x} (re-run after this fix, or use --set unsafe=true)" for x in skipped
    ]
    return DockerfileEdit(
        _change(d, path, "the linter's fixes"),
        "; ".join(applied),
        warnings=tuple(warnings),
        applicability=Applicability.UNSAFE if unsafe else Applicability.SAFE,
    )


def _change(d: _Doc, path: Path, description: str) -> FileChange:
    del path
    return d.target.change(d.result(), description)


_EDITS: Mapping[str, Callable[[_Doc, Mapping[str, str], FixContext, Path], DockerfileEdit]] = {
    "dockerfile-proxy-args": _proxy_args,
    "dockerfile-goproxy": _goproxy,
    "dockerfile-ca-cert": _ca_cert,
    "dockerfile-cache-mount": _cache_mount,
    "dockerfile-private-auth": _private_auth,
    "dockerfile-go-version": _go_version,
    "dockerfile-lint-fix": _lint_fix,
}


def edit(fix_id: str, path: Path, settings: Mapping[str, str], ctx: FixContext) -> DockerfileEdit:
    """Run the Dockerfile edit of ``fix_id`` on the file at ``path``."""
    target = read_target(path, euid=ctx.euid, what="Dockerfile")
    if target.text is None:
        raise RefusedError(path, "the Dockerfile does not exist", "Open or point at one.")
    return _EDITS[fix_id](_Doc(target), settings, ctx, path)
