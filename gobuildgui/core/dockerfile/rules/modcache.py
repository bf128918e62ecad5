"""Module and build cache rules (GB101–GB106): layer order, cache mounts, go.sum, -mod=mod.

The second half of this module holds the Go-environment helpers that the GOPROXY
rules (``goproxy.py``) share: where a setting came from, every place a Go variable is
assigned, vendor mode, the effective module and build cache directories, and which
earlier steps left downloaded modules behind for a later one.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.golang import GoCommand, GoSetting, go_commands, go_env
from gobuildgui.core.dockerfile.nodes import (
    Dockerfile,
    Instruction,
    MappedText,
    Mount,
    Stage,
    Token,
    memo,
)
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.scope import global_arg_defaults, variables_at
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

# =================================================================================
# Shared helpers (also used by goproxy.py)


def line_ending(doc: Dockerfile, line: int) -> str:
    """The line ending of ``line`` (the file's first one when the line has none)."""
    end = doc.index.line_end(line)
    if doc.text.startswith("\r\n", end):
        return "\r\n"
    if doc.text.startswith("\n", end):
        return "\n"
    return "\r\n" if "\r\n" in doc.text else "\n"


def instructions_before(doc: Dockerfile, ins: Instruction) -> Iterator[Instruction]:
    """Instructions that ran before ``ins`` in its image: parent stages first."""
    stage = doc.stage_of(ins)
    if stage is None:
        return
    for st in stage.chain():
        for earlier in st.instructions:
            if earlier is ins:
                return
            yield earlier


def describe_origin(doc: Dockerfile, setting: GoSetting) -> str:
    """Where a Go setting came from, for messages: "set by ENV on line 3"."""
    ins = setting.instruction
    line = setting.span.line if setting.span is not None else (ins.line if ins else 0)
    if setting.origin == "default":
        return "Go's default"
    if setting.origin == "image":
        return "set by the golang image"
    if setting.origin == "ARG" and ins is not None:
        own = next((kv for kv in ins.key_values if kv.key == setting.name), None)
        if own is not None and own.raw_value is None:
            for g in doc.global_args:
                for kv in g.key_values:
                    if kv.key == setting.name and kv.raw_value is not None:
                        return (
                            f"build argument declared on line {ins.line}, default on line {g.line}"
                        )
            return f"build argument declared on line {ins.line}"
        return f"set by ARG on line {line}"
    if setting.origin == "go env -w":
        return f"set by `go env -w` on line {line}"
    if setting.origin == "inline":
        return f"set inline on line {line}"
    if setting.origin == "export":
        return f"exported on line {line}"
    return f"set by {setting.origin} on line {line}"


# NAME=value as a shell word: the value may be quoted; it ends at a blank or operator.
_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s;&|)`])*"
_ASSIGN_RE = re.compile(rf"([A-Za-z_][A-Za-z0-9_]*)=({_VALUE})")
_ENV_W_RE = re.compile(rf"\bgo\s+env\s+-w((?:\s+[A-Za-z_][A-Za-z0-9_]*={_VALUE})+)")
_EXPORT_RE = re.compile(rf"(?:^|(?<=[\s;&|(]))export\s+([A-Za-z_][A-Za-z0-9_]*)=({_VALUE})")
_ENV_PREFIX_RE = re.compile(r"\s*(?:env\s+)?")


def _shell_value(raw: str) -> str | None:
    """A shell word's value without quotes; None when it needs the shell to expand it."""
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1]  # single quotes: literal
    value = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    if any(c in value for c in "$`\\\"'"):
        return None
    return value


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class Assignment:
    """One place where the Dockerfile assigns a variable."""

    name: str
    raw: str  # the value as written (quotes kept)
    value: str | None  # expanded; None when only known at build time
    instruction: Instruction
    origin: str  # "ENV", "ARG", "go env -w", "inline", "export"
    name_span: Span
    value_span: Span  # the raw value (quotes included)
    shell: bool  # written in a shell script: quote ``|`` and friends when editing

    def describe(self) -> str:
        """Where the assignment is, for messages: ``set by ENV on line 3``."""
        where = {
            "go env -w": "`go env -w`",
            "inline": "an inline assignment",
            "export": "`export`",
        }.get(self.origin, self.origin)
        return f"set by {where} on line {self.value_span.line}"


def assignments(doc: Dockerfile) -> Iterator[Assignment]:
    """Every assignment of a variable with a value: ENV, ARG defaults, ``go env -w``,
    ``export`` and inline ``NAME=value go ...`` in RUN scripts."""
    # A dozen rules walk these (expanding every ENV and ARG): work them out once per parse.
    return iter(memo(doc, "modcache.assignments", lambda: tuple(_scan_assignments(doc))))


def _scan_assignments(doc: Dockerfile) -> Iterator[Assignment]:
    globals_: dict[str, str | None] | None = None
    for ins in doc.instructions:
        if ins.keyword in ("ENV", "ARG"):
            if doc.stage_of(ins) is None:
                if globals_ is None:
                    globals_ = global_arg_defaults(doc)
                scope: dict[str, str | None] = dict(globals_)
            else:
                scope = {k: v.value for k, v in variables_at(doc, ins).items()}
            for kv in ins.key_values:
                if kv.raw_value is None or kv.value_span is None:
                    continue
                value: str | None = expand_word(kv.raw_value, scope, ins.escape, keep=True)
                if value is not None and "$" in value:
                    value = None
                yield Assignment(
                    kv.key, kv.raw_value, value, ins, ins.keyword, kv.key_span,
                    kv.value_span, shell=False,
                )  # fmt: skip
        elif ins.keyword == "RUN":
            yield from _run_assignments(ins)


def _run_assignments(ins: Instruction) -> tuple[Assignment, ...]:
    return memo(ins, "modcache.run_assignments", lambda: tuple(_scan_run_assignments(ins)))


def _scan_run_assignments(ins: Instruction) -> Iterator[Assignment]:
    for script in ins.scripts():
        text = script.text
        # Both regexes scan slowly (no literal prefix): skip texts without their word.
        if "env" in text:
            for wm in _ENV_W_RE.finditer(text):
                base = wm.start(1)
                for am in _ASSIGN_RE.finditer(wm.group(1)):
                    yield _script_assignment(ins, script, base, am, "go env -w")
        if "export" in text:
            for em in _EXPORT_RE.finditer(text):
                yield _script_assignment(ins, script, 0, em, "export")
    for cmd in go_commands(ins):
        if not cmd.inline_env:
            continue
        text = cmd.script.text
        pos = cmd.start
        while True:
            lead = _ENV_PREFIX_RE.match(text, pos)
            if lead is not None:
                pos = lead.end()
            assign = _ASSIGN_RE.match(text, pos)
            if assign is None or assign.end() > cmd.end:
                break
            yield _script_assignment(ins, cmd.script, 0, assign, "inline")
            pos = assign.end()


def _script_assignment(
    ins: Instruction, script: MappedText, base: int, m: re.Match[str], origin: str
) -> Assignment:
    name_start, name_end = base + m.start(1), base + m.end(1)
    value_start, value_end = base + m.start(2), base + m.end(2)
    raw = m.group(2)
    return Assignment(
        name=m.group(1),
        raw=raw,
        value=_shell_value(raw),
        instruction=ins,
        origin=origin,
        name_span=script.span(name_start, name_end),
        value_span=script.span(value_start, value_end),
        shell=True,
    )


def effective_go_env(
    doc: Dockerfile, ins: Instruction, command: GoCommand | None = None
) -> dict[str, GoSetting]:
    """:func:`golang.go_env`, plus what the same RUN script did before ``command``.

    ``export NAME=value`` earlier in the script is process environment (it beats
    ENV); ``go env -w`` earlier in the script beats only defaults and other
    ``go env -w`` settings.  Inline assignments keep the last word.
    """
    return dict(shared_go_env(doc, ins, command))


def shared_go_env(
    doc: Dockerfile, ins: Instruction, command: GoCommand | None = None
) -> dict[str, GoSetting]:
    """:func:`effective_go_env`, computed once per parse: do not modify the result."""
    cache: dict[int, tuple[GoCommand | None, dict[str, GoSetting]]] = memo(
        ins, "modcache.effective_go_env", dict
    )
    # Keyed by the command object (kept alive in the entry, so its id stays unique);
    # go_commands() is memoized, so rules pass the same objects again and again.
    hit = cache.get(id(command))
    if hit is not None and hit[0] is command:
        return hit[1]
    env = _effective_go_env(doc, ins, command)
    cache[id(command)] = (command, env)
    return env


def _effective_go_env(
    doc: Dockerfile, ins: Instruction, command: GoCommand | None
) -> dict[str, GoSetting]:
    env = go_env(doc, ins, command)
    if command is None or ins.keyword != "RUN":
        return env
    inline = set(command.inline_env)
    found: list[Assignment] = []
    for a in _run_assignments(ins):
        if a.origin == "inline":
            own = command.span.start <= a.value_span.start < command.span.end
            current = env.get(a.name)
            if own and current is not None and current.origin == "inline":
                # Point at the value rather than at the whole command.
                env[a.name] = GoSetting(a.name, current.value, "inline", a.value_span, ins)
            continue
        if a.name in inline:
            continue
        if a.value_span.start < command.span.start:
            found.append(a)
    for a in sorted(found, key=lambda a: (a.origin == "export", a.value_span.start)):
        current = env.get(a.name)
        if (
            a.origin == "go env -w"
            and current is not None
            and current.origin not in ("default", "image", "go env -w")
        ):
            continue
        env[a.name] = GoSetting(a.name, a.value, a.origin, a.value_span, ins)
    return env


_MOD_FLAG_RE = re.compile(r"(?:^|\s)--?mod(?:=|\s+)([A-Za-z]+)")
_VENDOR_CAPABLE = frozenset({"build", "install", "test", "run", "vet", "list", "generate"})


def mod_flag(text: str) -> str | None:
    """The value of the last ``-mod=`` flag in a command line or GOFLAGS."""
    if "-mod" not in text:
        return None  # the pattern needs it: skip the scan (it has no literal prefix)
    found = _MOD_FLAG_RE.findall(text)
    return found[-1] if found else None


def is_versioned(cmd: GoCommand) -> bool:
    """``go install pkg@version`` and the like: works outside the main module."""
    return cmd.subcommand in ("install", "run", "get") and "@" in cmd.args


def vendor_mode(ctx: LintContext, cmd: GoCommand, env: dict[str, GoSetting]) -> bool:
    """Whether ``cmd`` reads modules from vendor/ instead of the module cache."""
    if cmd.subcommand not in _VENDOR_CAPABLE or is_versioned(cmd):
        return False
    if cmd.subcommand == "list" and re.search(r"(?:^|\s)-m\b", cmd.args):
        return False
    flag = mod_flag(cmd.args)
    if flag is None:
        goflags = env.get("GOFLAGS")
        flag = mod_flag(goflags.value or "") if goflags is not None else None
    if flag is not None:
        return flag == "vendor"
    project = ctx.project
    if project.has_vendor is not True:
        return False
    gm = project.go_mod
    if gm is not None and gm.go is not None and (gm.go.major, gm.go.minor) < (1, 14):
        return False  # before Go 1.14 vendor/ is used only with -mod=vendor
    ignore = project.dockerignore
    return not (ignore is not None and ignore.is_excluded("vendor/modules.txt"))


def needs_modules(ctx: LintContext, cmd: GoCommand, env: dict[str, GoSetting]) -> bool:
    """Whether ``cmd`` reads modules from the module cache (downloading what is missing)."""
    return cmd.fetches_modules and not vendor_mode(ctx, cmd, env)


def _abs_path(value: str | None) -> str | None:
    if not value or "$" in value or not value.startswith("/"):
        return None
    return _normpath(value)


@lru_cache(maxsize=1024)  # pure; the same paths recur
def _normpath(path: str) -> str:
    return posixpath.normpath(path)


def overlaps(a: str, b: str) -> bool:
    """Whether one of two absolute paths contains the other."""
    a, b = a.rstrip("/") or "/", b.rstrip("/") or "/"
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


_ROOT_USERS = frozenset({"root", "0", "root:root", "0:0", "root:0", "0:root"})


def _home(doc: Dockerfile, ins: Instruction, env: dict[str, GoSetting]) -> tuple[str, str] | None:
    home = env.get("HOME")
    if home is not None and home.origin in ("ENV", "ARG", "export"):
        path = _abs_path(home.value)
        return (path, f"HOME={path} {describe_origin(doc, home)}") if path else None
    if memo(ins, "modcache.other_user_before", lambda: _other_user_before(doc, ins)):
        return None  # another user's HOME: unknown here
    return "/root", "HOME=/root for root"


def _other_user_before(doc: Dockerfile, ins: Instruction) -> bool:
    """Whether a USER other than root comes before ``ins`` (GB102/GB103 ask per command)."""
    return any(
        earlier.keyword == "USER" and earlier.args.strip() not in _ROOT_USERS
        for earlier in instructions_before(doc, ins)
    )


def module_cache_dir(
    doc: Dockerfile, ins: Instruction, env: dict[str, GoSetting]
) -> tuple[str, str] | None:
    """The effective GOMODCACHE at ``ins`` and why, or None when it is unknown."""
    s = env.get("GOMODCACHE")
    if s is not None and s.origin != "default" and s.value != "":
        path = _abs_path(s.value)
        return (path, f"GOMODCACHE={s.value} {describe_origin(doc, s)}") if path else None
    gp = env.get("GOPATH")
    if gp is not None and gp.origin != "default" and gp.value != "":
        first = (gp.value or "").split(":", 1)[0]
        path = _abs_path(first)
        if path is None:
            return None
        return posixpath.join(path, "pkg/mod"), f"GOPATH={gp.value} {describe_origin(doc, gp)}"
    home = _home(doc, ins, env)
    if home is None:
        return None
    return posixpath.join(home[0], "go/pkg/mod"), f"GOPATH defaults to $HOME/go, {home[1]}"


def build_cache_dir(
    doc: Dockerfile, ins: Instruction, env: dict[str, GoSetting]
) -> tuple[str, str] | None:
    """The effective GOCACHE at ``ins`` and why, or None when unknown or off."""
    s = env.get("GOCACHE")
    if s is not None and s.origin != "default" and s.value != "":
        path = _abs_path(s.value)
        return (path, f"GOCACHE={s.value} {describe_origin(doc, s)}") if path else None
    xdg = env.get("XDG_CACHE_HOME")
    if xdg is not None and xdg.value:
        path = _abs_path(xdg.value)
        if path is None:
            return None
        return posixpath.join(path, "go-build"), f"XDG_CACHE_HOME={xdg.value}"
    home = _home(doc, ins, env)
    if home is None:
        return None
    return posixpath.join(home[0], ".cache/go-build"), f"Go's default, {home[1]}"


def _target(mount: Mount) -> str | None:
    return _abs_path(mount.target)


def cache_mount_over(ins: Instruction, path: str | None, hint: str) -> Mount | None:
    """The cache mount of ``ins`` that holds ``path`` (or a part of it).

    When ``path`` is unknown, a cache mount whose target contains ``hint``
    (``pkg/mod``, ``go-build``) counts.
    """
    for m in ins.mounts:
        if m.type != "cache":
            continue
        target = _target(m)
        if target is None:
            continue
        if path is not None and overlaps(target, path):
            return m
        if path is None and hint in target:
            return m
    return None


def mount_key(mount: Mount) -> str:
    """What BuildKit shares a cache mount by: its ``id``, which defaults to the target."""
    return mount.get("id") or _target(mount) or (mount.target or "")


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class ModuleSource:
    """An earlier step that left downloaded modules behind."""

    instruction: Instruction
    mount: Mount | None  # the cache mount that holds them; None: in the image layer


class GoFlow:
    """What the go commands of one file see, worked out once per rule run.

    Rules get it with :meth:`of`, which keeps one per document and project, so rules
    stay pure while every walk over earlier instructions (Go's environment, which
    steps downloaded modules) is done once per file instead of once per step and rule.
    """

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        self.project = ctx.project
        self.doc = ctx.doc
        self._commands: dict[int, tuple[GoCommand, ...]] = {}
        self._env: dict[tuple[int, int, int, int], dict[str, GoSetting]] = {}
        self._before: dict[int, tuple[ModuleSource, ...]] = {}
        self._stage_end: dict[int, tuple[ModuleSource, ...]] = {}

    @classmethod
    def of(cls, ctx: LintContext) -> GoFlow:
        """The flow of ``ctx``, shared by the rules of one run (kept on the document).

        It depends on the document and the project only, so it is reused as long as
        the project object is the same one.
        """
        store = ctx.doc.__dict__
        flow = store.get("modcache.goflow")
        if not isinstance(flow, GoFlow) or flow.project is not ctx.project:
            flow = store["modcache.goflow"] = cls(ctx)
        return flow

    def commands(self, ins: Instruction) -> tuple[GoCommand, ...]:
        """The go commands of ``ins`` (see :func:`golang.go_commands`)."""
        found = self._commands.get(ins.index)
        if found is None:
            found = tuple(go_commands(ins))
            self._commands[ins.index] = found
        return found

    def env(self, ins: Instruction, cmd: GoCommand | None = None) -> dict[str, GoSetting]:
        """:func:`effective_go_env`, memoized (do not modify the result)."""
        key = (
            (ins.index, cmd.start, cmd.end, len(cmd.script.text))
            if cmd is not None
            else (ins.index, -1, -1, -1)
        )
        found = self._env.get(key)
        if found is None:
            found = shared_go_env(self.doc, ins, cmd)
            self._env[key] = found
        return found

    def needs_modules(self, ins: Instruction, cmd: GoCommand) -> bool:
        """Whether ``cmd`` reads modules from the module cache (not vendor/)."""
        return needs_modules(self.ctx, cmd, self.env(ins, cmd))

    def sources_before(self, ins: Instruction) -> tuple[ModuleSource, ...]:
        """Steps before ``ins`` (in its stage and the stages it is built FROM) that
        downloaded the main module's dependencies, or copied a module cache in."""
        stage = self.doc.stage_of(ins)
        if stage is None:
            return ()
        if ins.index not in self._before:
            self._walk(stage)
        return self._before.get(ins.index, ())

    def _walk(self, stage: Stage, depth: int = 0) -> tuple[ModuleSource, ...]:
        done = self._stage_end.get(stage.index)
        if done is not None:
            return done
        self._stage_end[stage.index] = ()  # guards against FROM cycles
        parent = stage.parent
        current: list[ModuleSource] = []
        if parent is not None and depth < len(self.doc.stages):
            current = list(self._walk(parent, depth + 1))
        for ins in stage.instructions:
            self._before[ins.index] = tuple(current)
            source = self._source(ins)
            if source is not None:
                current.append(source)
        result = tuple(current)
        self._stage_end[stage.index] = result
        return result

    def _source(self, ins: Instruction) -> ModuleSource | None:
        doc = self.doc
        if ins.keyword == "RUN":
            for cmd in self.commands(ins):
                if is_versioned(cmd) or not self.needs_modules(ins, cmd):
                    continue
                cache = module_cache_dir(doc, ins, self.env(ins, cmd))
                return ModuleSource(
                    ins, cache_mount_over(ins, cache[0] if cache else None, "pkg/mod")
                )
        elif ins.keyword in ("COPY", "ADD"):
            words = _copy_words(ins)
            dest = _abs_path(words[-1]) if words else None
            if dest is None:
                return None
            cache = module_cache_dir(doc, ins, self.env(ins))
            if cache is not None and overlaps(dest, cache[0]):
                return ModuleSource(ins, None)
        return None


def modules_available(
    ins: Instruction, cache: str | None, sources: tuple[ModuleSource, ...]
) -> bool:
    """Whether a step sees modules that ``sources`` downloaded."""
    mount = cache_mount_over(ins, cache, "pkg/mod")
    if mount is None:
        return any(s.mount is None for s in sources)
    key = mount_key(mount)
    return any(s.mount is not None and mount_key(s.mount) == key for s in sources)


def command_span(doc: Dockerfile, cmd: GoCommand) -> Span:
    """From the ``go`` word to the end of the command's arguments."""
    return doc.span(cmd.go_span.start, max(cmd.span.end, cmd.go_span.end))


def command_name(cmd: GoCommand) -> str:
    """``go build``, ``go mod download`` ..."""
    return f"go {cmd.subcommand}"


def insert_flag_edit(ins: Instruction, flag_text: str) -> Edit:
    """An edit that adds ``flag_text`` after the instruction's existing flags."""
    if ins.flags:
        end = max(f.span.end for f in ins.flags)
        return Edit(end, end, " " + flag_text)
    start = ins.args_text.source_offset(0)
    return Edit(start, start, flag_text + " ")


def find_in_source(doc: Dockerfile, span: Span, needle: str, start: int = 0) -> int | None:
    """Source offset of ``needle`` inside ``span`` (searching from ``start`` within it)."""
    if not needle:
        return None
    pos = doc.text.find(needle, span.start + start, span.end)
    return pos if pos >= 0 else None


def _copy_words(ins: Instruction) -> list[str]:
    """Sources and destination of COPY/ADD, unquoted (empty for heredocs)."""
    if ins.heredocs:
        return []
    argv = ins.json_args
    if argv is not None:
        return list(argv)
    return [expand_word(w.value, None, ins.escape) for w in ins.words]


def _is_context_copy(ins: Instruction) -> bool:
    return ins.keyword in ("COPY", "ADD") and ins.flag("from") is None


_WHOLE_CONTEXT = frozenset({".", "/", "*", "./*", "/*"})


def _whole_context_copy(ins: Instruction) -> bool:
    """``COPY . .``, ``ADD ./ /src``, ``COPY * ./`` ...: the whole build context."""
    if not _is_context_copy(ins):
        return False
    words = _copy_words(ins)
    return any(_norm_src(src) in _WHOLE_CONTEXT for src in words[:-1])


def _norm_src(src: str) -> str:
    if not src:
        return src
    norm = _normpath(src)
    return "/" if norm == "//" else norm


# =================================================================================
# GB101


@rule(
    code="GB101",
    name="download-after-copy-all",
    severity=Severity.WARNING,
    summary="modules are downloaded after `COPY . .`, so every source edit downloads them again",
    fix=Applicability.UNSAFE,
    category="cache",
    needs_project=True,
)
def download_after_copy_all(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the first Go step that needs the module cache (`go mod download`,
    `go build`, `go test` ...) when it runs after the whole build context was copied
    (`COPY . .`, `ADD . /src`, `COPY ./ ./` ...) and no earlier step of the image
    downloaded the modules from go.mod alone.

    It stays quiet when the step keeps the module cache in a cache mount (the
    download survives), when vendor/ is used, and when go.mod has no requirements.

    ## Why is this bad?
    Docker reuses a layer only while everything before it is unchanged. After
    `COPY . .` any edit to any file invalidates the next `RUN`, so each build
    downloads every module again: slow, and one more chance for a proxy or network
    failure. go.mod and go.sum change rarely; copy them first and download, and the
    download layer is reused until the dependencies change.

    ## Example
    ```dockerfile
    COPY . .
    RUN go build -o /out/app ./cmd/app
    ```

    Use instead:
    ```dockerfile
    COPY go.mod go.sum ./
    RUN go mod download
    COPY . .
    RUN go build -o /out/app ./cmd/app
    ```

    ## Fix safety
    The fix inserts `COPY go.mod go.sum <dest>` and `RUN go mod download` before the
    whole-context copy (go.sum is left out when the project has none). It is unsafe:
    it adds layers, the COPY fails if go.sum is missing from the build context, and a
    module with `replace` directives pointing at local folders needs those folders
    copied too.

    ## References
    - https://docs.docker.com/build/cache/optimize/
    - https://docs.docker.com/guides/golang/build-images/
    """
    project = ctx.project
    if project.has_vendor is True:
        return
    gm = project.go_mod
    if gm is not None and not gm.requires:
        return
    flow = GoFlow.of(ctx)
    for stage in ctx.doc.stages:
        yield from _layer_order_stage(flow, stage)


def _layer_order_stage(flow: GoFlow, stage: Stage) -> Iterator[Finding]:
    ctx, doc = flow.ctx, flow.doc
    whole: Instruction | None = None
    prepared = False
    gomod_copy: Instruction | None = None
    for st in stage.chain():
        own = st is stage
        for ins in st.instructions:
            if ins.keyword == "WORKDIR":
                gomod_copy = None
            elif ins.keyword in ("COPY", "ADD") and whole is None and _is_context_copy(ins):
                if _whole_context_copy(ins):
                    whole = ins
                elif any(posixpath.basename(s) == "go.mod" for s in _copy_words(ins)[:-1]):
                    gomod_copy = ins
            elif ins.keyword == "RUN":
                for cmd in flow.commands(ins):
                    if is_versioned(cmd) or not flow.needs_modules(ins, cmd):
                        continue
                    if whole is None:
                        prepared = True
                    elif not prepared:
                        prepared = True  # report once, at the first step only
                        cache = module_cache_dir(doc, ins, flow.env(ins, cmd))
                        mounted = cache_mount_over(ins, cache[0] if cache else None, "pkg/mod")
                        if own and mounted is None:
                            yield _layer_order_finding(ctx, ins, cmd, whole, gomod_copy)
                    break


def _layer_order_finding(
    ctx: LintContext,
    ins: Instruction,
    cmd: GoCommand,
    whole: Instruction,
    gomod_copy: Instruction | None,
) -> Finding:
    doc = ctx.doc
    with_sum = ctx.project.has_go_sum is not False
    files = "go.mod and go.sum" if with_sum else "go.mod"
    copy_text = " ".join(whole.args.split())
    if gomod_copy is not None:
        advice = f"run `go mod download` after the COPY of go.mod on line {gomod_copy.line}"
    else:
        advice = f"copy {files} first and run `go mod download`"
    message = (
        f"`{command_name(cmd)}` runs after `{whole.keyword} {copy_text}` (line {whole.line}):"
        " every source change invalidates this layer and all modules are downloaded again;"
        f" {advice} before copying the rest"
    )
    return Finding(
        command_span(doc, cmd),
        message,
        _layer_order_fix(ctx, ins, whole, gomod_copy, with_sum),
    )


def _layer_order_fix(
    ctx: LintContext,
    ins: Instruction,
    whole: Instruction,
    gomod_copy: Instruction | None,
    with_sum: bool,
) -> Fix | None:
    doc = ctx.doc
    words = _copy_words(whole)
    if len(words) < 2:
        return None
    raw_dest = words[-1] if whole.is_exec_form else whole.words[-1].value
    if not raw_dest or any(c in raw_dest for c in " \t\"'"):
        return None
    nl = line_ending(doc, whole.line)
    line_start = doc.index.line_start(whole.line)
    indent = doc.text[line_start : whole.span.start]
    if indent.strip():
        return None
    in_place = _norm_src(raw_dest) == "."
    dest = "./" if in_place else (raw_dest if raw_dest.endswith("/") else raw_dest + "/")
    mounts = [
        f.raw
        for f, m in zip(ins.flags_named("mount"), ins.mounts, strict=False)
        if m.type in ("secret", "ssh")
    ]
    run = "RUN " + "".join(m + " " for m in mounts)
    run += "go mod download" if in_place else f"cd {dest} && go mod download"
    lines: list[str] = []
    if gomod_copy is None:
        flags = "".join(f.raw + " " for f in whole.flags if f.name.lower() in ("chown", "chmod"))
        sources = "go.mod go.sum" if with_sum else "go.mod"
        lines.append(f"{indent}COPY {flags}{sources} {dest}")
    lines.append(indent + run)
    text = "".join(line + nl for line in lines)
    title = "Download modules before copying the source"
    return Fix(title, (Edit(line_start, line_start, text),), Applicability.UNSAFE)


# =================================================================================
# GB102


@rule(
    code="GB102",
    name="go-step-without-cache-mount",
    severity=Severity.INFO,
    summary="a Go download or build step has no cache mount",
    fix=Applicability.UNSAFE,
    category="cache",
    needs_project=True,
)
def go_step_without_cache_mount(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `RUN` whose go command downloads modules without a
    `--mount=type=cache` over the module cache (GOMODCACHE, `/go/pkg/mod` in the
    golang images), or compiles without one over the build cache (GOCACHE,
    `/root/.cache/go-build` for root). The targets are worked out from GOMODCACHE,
    GOPATH, GOCACHE and HOME as the step sees them.

    Not flagged: downloads when vendor/ is used, a module-cache mount on a step
    whose modules an earlier step already left in the image layer (the mount would
    hide them), and a step that a cache mount with the wrong target covers (that
    is GB103).

    ## Why is this bad?
    Without a cache mount the module cache lives in the layer: when the layer is
    rebuilt, every module is downloaded again and every package compiled again. A
    cache mount keeps both across builds, even when go.mod changes.

    ## Example
    ```dockerfile
    RUN go build -o /out/app ./cmd/app
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=cache,target=/go/pkg/mod \\
        --mount=type=cache,target=/root/.cache/go-build \\
        go build -o /out/app ./cmd/app
    ```

    ## Fix safety
    The fix adds the missing `--mount=type=cache` flags to the step. It is unsafe:
    cache mounts need BuildKit (the default builder since Docker 23; the legacy
    builder and some CI builders reject `--mount`), and the downloaded modules are
    no longer in the image layer, so every later Go step of the stage needs the same
    mount (GB104 reports those that miss it).

    ## References
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    - https://docs.docker.com/reference/dockerfile/#run---mounttypecache
    """
    doc = ctx.doc
    flow = GoFlow.of(ctx)
    for ins in doc.instructions:
        if ins.keyword != "RUN" or doc.stage_of(ins) is None:
            continue
        finding = _cache_mount_finding(flow, ins)
        if finding is not None:
            yield finding


def _unmounted(ins: Instruction, path: str, hint: str) -> bool:
    """No cache mount covers ``path``, and none looks meant for it (that is GB103)."""
    if cache_mount_over(ins, path, hint) is not None:
        return False
    return not any(hint in (_target(m) or "") for m in ins.mounts if m.type == "cache")


def _cache_mount_finding(flow: GoFlow, ins: Instruction) -> Finding | None:
    doc = flow.doc
    need_mod: tuple[GoCommand, str, str] | None = None
    need_build: tuple[GoCommand, str, str] | None = None
    vendored = flow.ctx.project.has_vendor is True
    for cmd in flow.commands(ins):
        env = flow.env(ins, cmd)
        if need_mod is None and not vendored and flow.needs_modules(ins, cmd):
            cache = module_cache_dir(doc, ins, env)
            if cache is not None and _unmounted(ins, cache[0], "pkg/mod"):
                sources = flow.sources_before(ins)
                # An earlier download in the layer or in a cache mount: the mount
                # would hide the first, GB104 reports the second.
                if not sources or is_versioned(cmd):
                    need_mod = (cmd, *cache)
        if need_build is None and cmd.builds and cmd.subcommand != "generate":
            cache = build_cache_dir(doc, ins, env)
            if cache is not None and _unmounted(ins, cache[0], "go-build"):
                need_build = (cmd, *cache)
    needs = [n for n in (need_mod, need_build) if n is not None]
    if not needs:
        return None
    first = min((n[0] for n in needs), key=lambda c: c.span.start)
    same = len({id(n[0]) for n in needs}) == 1
    parts: list[str] = []
    if need_mod is not None:
        used = "" if same else f" (used by `{command_name(need_mod[0])}`)"
        parts.append(f"the module cache {need_mod[1]}{used} ({need_mod[2]})")
    if need_build is not None:
        used = "" if same else f" (used by `{command_name(need_build[0])}`)"
        parts.append(f"the build cache {need_build[1]}{used} ({need_build[2]})")
    what = " or ".join(parts)
    kept = " and ".join(
        k
        for k, n in (("downloaded modules", need_mod), ("compiled packages", need_build))
        if n is not None
    )
    flags = " ".join(f"--mount=type=cache,target={n[1]}" for n in needs)
    subject = f"`{command_name(first)}` has" if same else "this step has"
    message = (
        f"{subject} no cache mount for {what}: add {flags} so {kept} survive when this"
        " layer is rebuilt"
    )
    fix = Fix("Add cache mounts", (insert_flag_edit(ins, flags),), Applicability.UNSAFE)
    return Finding(command_span(doc, first), message, fix)


# =================================================================================
# GB103


@rule(
    code="GB103",
    name="cache-mount-wrong-target",
    severity=Severity.WARNING,
    summary="a cache mount targets a folder that is not the effective GOMODCACHE or GOCACHE",
    fix=Applicability.UNSAFE,
    category="cache",
)
def cache_mount_wrong_target(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks `RUN --mount=type=cache` targets that are meant for Go's caches (a path
    ending in `pkg/mod` or `go-build`) against the folders go really uses at that
    step: GOMODCACHE (default `$GOPATH/pkg/mod`, `/go/pkg/mod` in the golang images,
    which set GOPATH=/go) and GOCACHE (default `$HOME/.cache/go-build`).

    ## Why is this bad?
    A cache mount on a folder go does not use caches nothing: modules are
    downloaded into the layer anyway and the build is as slow as without the
    mount. The classic case is `/root/go/pkg/mod` on a golang image, copied from a
    setup where GOPATH was `$HOME/go`.

    ## Example
    ```dockerfile
    FROM golang:1.24
    RUN --mount=type=cache,target=/root/go/pkg/mod go mod download
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    ```

    ## Fix safety
    The fix replaces the target. It is unsafe because the mount then starts to
    work: modules land in the cache instead of the image layer, so later Go steps
    need the same mount (GB104), and a stage that copies the module cache out of
    this one will find it empty.

    ## References
    - https://go.dev/ref/mod#module-cache
    - https://pkg.go.dev/cmd/go#hdr-Build_and_test_caching
    - https://github.com/docker-library/golang (GOPATH=/go)
    """
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.keyword != "RUN" or doc.stage_of(ins) is None or not ins.mounts:
            continue
        cmd = next(iter(go_commands(ins)), None)
        env = effective_go_env(doc, ins, cmd)
        mod_cache = module_cache_dir(doc, ins, env)
        build_cache = build_cache_dir(doc, ins, env)
        for mount in ins.mounts:
            if mount.type != "cache":
                continue
            target = _target(mount)
            if target is None:
                continue
            if target.endswith("/pkg/mod"):
                expected, kind, var = mod_cache, "module cache", "GOMODCACHE"
            elif posixpath.basename(target) == "go-build":
                expected, kind, var = build_cache, "build cache", "GOCACHE"
            else:
                continue
            if expected is None or overlaps(target, expected[0]):
                continue
            yield _wrong_target_finding(doc, mount, target, expected, kind, var)


def _wrong_target_finding(
    doc: Dockerfile,
    mount: Mount,
    target: str,
    expected: tuple[str, str],
    kind: str,
    var: str,
) -> Finding:
    message = (
        f"cache mount target {target} is not the {kind}: {var} is {expected[0]}"
        f" ({expected[1]}), so this mount caches nothing; use target={expected[0]}"
    )
    opt = mount.option("target", "dst", "destination")
    span = opt.span if opt is not None else mount.flag.span
    fix = None
    raw = mount.target or ""
    pos = find_in_source(doc, span, raw, len(opt.key) + 1) if opt is not None else None
    if pos is not None and raw:
        span = doc.span(pos, pos + len(raw))
        fix = Fix(
            f"Mount the cache at {expected[0]}",
            (Edit(pos, pos + len(raw), expected[0]),),
            Applicability.UNSAFE,
        )
    return Finding(span, message, fix)


# =================================================================================
# GB104


@rule(
    code="GB104",
    name="cache-mount-missing-later",
    severity=Severity.WARNING,
    summary="modules were downloaded only into a cache mount that a later Go step lacks",
    fix=Applicability.SAFE,
    category="cache",
    needs_project=True,
)
def cache_mount_missing_later(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a Go step that needs the module cache but has no cache mount over it,
    when the earlier download step of the same image (this stage or a stage it is
    built `FROM`) put the modules only into a cache mount.

    ## Why is this bad?
    The content of a cache mount is not part of the layer. The later step finds an
    empty module cache and downloads everything again, which defeats the download
    step, and fails outright under `GOPROXY=off` or `RUN --network=none`.

    ## Example
    ```dockerfile
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    COPY . .
    RUN go build ./...
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    COPY . .
    RUN --mount=type=cache,target=/go/pkg/mod go build ./...
    ```

    ## Fix safety
    The fix adds the download step's mount flag, as written, to the later step. It
    is safe: the file already relies on BuildKit, and the step now sees the modules
    that were downloaded for it instead of an empty folder.

    ## References
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    - https://docs.docker.com/reference/dockerfile/#run---mounttypecache
    """
    doc = ctx.doc
    flow = GoFlow.of(ctx)
    for ins in doc.instructions:
        if ins.keyword != "RUN" or doc.stage_of(ins) is None:
            continue
        for cmd in flow.commands(ins):
            if is_versioned(cmd) or not flow.needs_modules(ins, cmd):
                continue
            cache = module_cache_dir(doc, ins, flow.env(ins, cmd))
            path = cache[0] if cache else None
            if cache_mount_over(ins, path, "pkg/mod") is not None:
                break
            if any("pkg/mod" in (_target(m) or "") for m in ins.mounts if m.type == "cache"):
                break  # a mount with the wrong target: GB103
            sources = flow.sources_before(ins)
            mounted = [s for s in sources if s.mount is not None]
            if mounted and not any(s.mount is None for s in sources):
                yield _missing_later_finding(doc, ins, cmd, mounted[0])
            break


def _missing_later_finding(
    doc: Dockerfile, ins: Instruction, cmd: GoCommand, source: ModuleSource
) -> Finding:
    assert source.mount is not None
    flag = source.mount.flag.raw
    target = source.mount.target or ""
    message = (
        f"`{command_name(cmd)}` has no cache mount at {target}, but the modules were"
        f" downloaded only into that cache mount (line {source.instruction.line}):"
        f" this step downloads them again, and fails offline; add {flag}"
    )
    fix = Fix(f"Add {flag}", (insert_flag_edit(ins, flag),), Applicability.SAFE)
    return Finding(command_span(doc, cmd), message, fix)


# =================================================================================
# GB105


@rule(
    code="GB105",
    name="go-mod-without-go-sum",
    severity=Severity.WARNING,
    summary="go.mod is copied without go.sum before a Go step",
    fix=Applicability.SAFE,
    category="cache",
    needs_project=True,
)
def go_mod_without_go_sum(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `COPY go.mod ...` when go.sum does not reach the image before the next
    `RUN` that uses go (neither in the same COPY nor in another one).

    When the project folder is known and has no go.sum (a module without
    dependencies), nothing is reported. When it is unknown (a Dockerfile read from
    stdin) the rule still reports, because a module with dependencies always has
    a go.sum, but the fix is then marked unsafe.

    ## Why is this bad?
    Without go.sum, go cannot check the downloaded modules against the checksums
    you committed, and with the default `-mod=readonly` a build fails with
    `missing go.sum entry`. It also makes the download layer ignore go.sum
    changes.

    ## Example
    ```dockerfile
    COPY go.mod ./
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    COPY go.mod go.sum ./
    RUN go mod download
    ```

    ## Fix safety
    The fix adds go.sum next to go.mod in the same COPY (and makes the destination
    a folder if it named the file). It is safe when go.sum is known to exist;
    otherwise the COPY would fail without one, so the fix is unsafe (write
    `go.sum*` by hand if go.sum may be missing).

    ## References
    - https://go.dev/ref/mod#go-sum-files
    """
    doc = ctx.doc
    for stage in doc.stages:
        for ins in stage.instructions:
            if ins.keyword not in ("COPY", "ADD") or not _is_context_copy(ins):
                continue
            finding = _go_sum_finding(ctx, stage, ins)
            if finding is not None:
                yield finding


def _go_sum_finding(ctx: LintContext, stage: Stage, ins: Instruction) -> Finding | None:
    doc = ctx.doc
    words = _copy_words(ins)
    if len(words) < 2:
        return None
    index = next((i for i, s in enumerate(words[:-1]) if posixpath.basename(s) == "go.mod"), None)
    if index is None:
        return None
    src = words[index]
    go_sum = src[: len(src) - len("go.mod")] + "go.sum"
    root_level = posixpath.dirname(_norm_src(src).lstrip("/")) == ""
    exists = ctx.project.has_go_sum if root_level else None
    if exists is False:
        return None
    gm = ctx.project.go_mod
    if root_level and exists is None and gm is not None and not gm.requires:
        return None
    if _go_sum_copied(doc, stage, ins, go_sum):
        return None
    tokens = _source_tokens(ins)
    token = tokens[index] if index < len(tokens) else None
    span = token.span if token is not None else ins.args_span()
    safe = exists is True
    message = (
        f"{src} is copied without {go_sum}: downloads are not checked against the committed"
        f" checksums and builds may fail with 'missing go.sum entry'; copy {go_sum} with it"
    )
    fix = _go_sum_fix(doc, ins, words, token, go_sum, safe)
    return Finding(span, message, fix)


def _source_tokens(ins: Instruction) -> list[Token | None]:
    if ins.is_exec_form:
        return []
    return list(ins.words)


def _go_sum_copied(doc: Dockerfile, stage: Stage, copy: Instruction, go_sum: str) -> bool:
    """Whether go.sum reaches the image before the first go step after ``copy``."""
    target = _norm_src(go_sum).lstrip("/")
    chain = [i for st in stage.chain() for i in st.instructions]
    try:
        pos = chain.index(copy)
    except ValueError:
        return True
    # The first RUN after the COPY that runs go (or the first RUN, if none does).
    runs = [i for i in chain[pos + 1 :] if i.keyword == "RUN"]
    using = next((r for r in runs if next(iter(go_commands(r)), None) is not None), None)
    limit = using or (runs[0] if runs else None)
    if limit is None:
        return True
    for ins in chain[: chain.index(limit)]:
        if ins.keyword not in ("COPY", "ADD") or not _is_context_copy(ins):
            continue
        for src in _copy_words(ins)[:-1]:
            norm = _norm_src(src).lstrip("/") or "."
            if norm in (".", "*") or target.startswith(norm.rstrip("/") + "/"):
                return True
            if fnmatch.fnmatchcase(target, norm):
                return True
    return False


def _go_sum_fix(
    doc: Dockerfile,
    ins: Instruction,
    words: list[str],
    token: Token | None,
    go_sum: str,
    safe: bool,
) -> Fix | None:
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    if token is None or ins.is_exec_form or len(words) < 2:
        return None
    if doc.text[token.span.start : token.span.end] != token.value:
        return None
    edits = [Edit(token.span.end, token.span.end, " " + go_sum)]
    dest_token = ins.words[-1]
    dest = dest_token.value
    if not dest.endswith("/"):
        if posixpath.basename(dest) == "go.mod":
            folder = posixpath.dirname(dest)
            new_dest = "./" if not folder else folder.rstrip("/") + "/"
        else:
            new_dest = dest + "/"
        if doc.text[dest_token.span.start : dest_token.span.end] != dest:
            return None
        edits.append(Edit(dest_token.span.start, dest_token.span.end, new_dest))
    return Fix(f"Copy {go_sum} too", tuple(edits), applicability)


# =================================================================================
# GB106

_MOD_MOD_RE = re.compile(r"(?:^|(?<=\s))--?mod=mod(?=\s|$)")


@rule(
    code="GB106",
    name="goflags-mod-mod",
    severity=Severity.INFO,
    summary="`-mod=mod` lets go rewrite go.mod and go.sum during the build",
    fix=Applicability.UNSAFE,
    category="cache",
    needs_project=True,
)
def goflags_mod_mod(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `-mod=mod` in GOFLAGS (set with ENV, ARG, `go env -w`, `export` or inline)
    and on the command line of a go build, test, install, run, vet or list.

    ## Why is this bad?
    With `-mod=mod` go updates go.mod and go.sum inside the image when they are
    incomplete, fetching whatever versions it resolves at build time. The image
    then no longer builds what the repository says, builds are not reproducible,
    and a missing go.sum entry is silently accepted instead of failing. The default
    (`-mod=readonly`, or `-mod=vendor` when vendor/ exists) refuses to change them.

    ## Example
    ```dockerfile
    ENV GOFLAGS=-mod=mod
    ```

    Use instead:
    ```dockerfile
    ENV GOFLAGS=-mod=readonly
    ```

    ## Fix safety
    The fix writes `-mod=readonly` (or `-mod=vendor` when the project has vendor/).
    It is unsafe: a build that relied on go fixing go.mod or go.sum will now fail
    until `go mod tidy` is run and committed.

    ## References
    - https://go.dev/ref/mod#build-commands
    """
    doc = ctx.doc
    replacement = "-mod=vendor" if ctx.project.has_vendor is True else "-mod=readonly"
    for a in assignments(doc):
        if a.name != "GOFLAGS" or a.value is None:
            continue
        m = _MOD_MOD_RE.search(a.value)
        if m is None:
            continue
        yield _mod_mod_finding(doc, a.value_span, m.group(), replacement, f"GOFLAGS {a.describe()}")
    for ins in doc.instructions:
        for cmd in go_commands(ins):
            if cmd.subcommand not in _VENDOR_CAPABLE:
                continue
            m = _MOD_MOD_RE.search(cmd.args)
            if m is None:
                continue
            yield _mod_mod_finding(
                doc, command_span(doc, cmd), m.group(), replacement, f"`{command_name(cmd)}`"
            )


def _mod_mod_finding(
    doc: Dockerfile, span: Span, flag: str, replacement: str, where: str
) -> Finding:
    pos = find_in_source(doc, span, flag)
    message = (
        f"{flag} in {where} lets go rewrite go.mod and go.sum inside the image, so the build"
        f" is not reproducible; use {replacement} and commit the result of `go mod tidy`"
    )
    if pos is None:
        return Finding(span, message)
    fix = Fix(
        f"Use {replacement}", (Edit(pos, pos + len(flag), replacement),), Applicability.UNSAFE
    )
    return Finding(doc.span(pos, pos + len(flag)), message, fix)


RULES: tuple[Rule, ...] = (
    download_after_copy_all,
    go_step_without_cache_mount,
    cache_mount_wrong_target,
    cache_mount_missing_later,
    go_mod_without_go_sum,
    goflags_mod_mod,
)
