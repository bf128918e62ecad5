"""Go awareness shared by the rules: image references, go commands in RUN, Go's environment.

Everything here answers questions about a parsed Dockerfile; nothing reads files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction, MappedText, Stage, memo
from gobuildgui.core.dockerfile.project import GoVersion
from gobuildgui.core.dockerfile.scope import scope_before
from gobuildgui.core.model import Span

# ---------------------------------------------------------------------------------
# Image references


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class ImageRef:
    """A parsed image reference ``[registry/]repository[:tag][@digest]``."""

    raw: str
    registry: str | None
    repository: str  # e.g. "library/golang", "distroless/static-debian12"
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, ref: str) -> ImageRef:
        """Split a reference; never raises (odd input gives odd but harmless parts).

        Shared per distinct ``ref`` (rules parse each stage's base image again and
        again): treat the result as read-only, like the rest of the document's facts.
        """
        return _parse_image_ref(ref)

    @property
    def name(self) -> str:
        """The last path component of the repository (``golang``, ``static-debian12``)."""
        return self.repository.rsplit("/", 1)[-1].lower()

    @property
    def is_scratch(self) -> bool:
        """``FROM scratch``."""
        return self.raw.lower() == "scratch"

    @property
    def has_variable(self) -> bool:
        """Whether the reference still contains an unexpanded ``$VAR``."""
        return "$" in self.raw

    @property
    def is_golang(self) -> bool:
        """The official golang image (or a mirror of it)."""
        return self.name == "golang"

    @property
    def is_alpine(self) -> bool:
        """An alpine-based image (``alpine``, ``golang:*-alpine``...)."""
        return self.name == "alpine" or "alpine" in (self.tag or "").lower()

    @property
    def is_distroless(self) -> bool:
        """A distroless image (gcr.io/distroless/... or cgr.dev/chainguard/static)."""
        repo = self.repository.lower()
        return "distroless" in repo or repo.endswith("chainguard/static")

    @property
    def is_static_runtime(self) -> bool:
        """A final image without a C library to link against (scratch, distroless/static)."""
        if self.is_scratch:
            return True
        repo = self.repository.lower()
        return self.is_distroless and "static" in repo

    @property
    def go_version(self) -> GoVersion | None:
        """The Go version a golang image tag names (``1.22-alpine`` -> 1.22), if any."""
        if not self.is_golang or not self.tag:
            return None
        head = self.tag.split("-", 1)[0]
        return GoVersion.parse(head)

    @property
    def go_version_has_patch(self) -> bool:
        """Whether the tag pins a patch release (1.22.3) rather than a line (1.22)."""
        if not self.tag:
            return False
        return self.tag.split("-", 1)[0].count(".") >= 2


@lru_cache(maxsize=512)
def _parse_image_ref(ref: str) -> ImageRef:
    raw = ref.strip()
    rest, _, digest = raw.partition("@")
    registry = None
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, rest = first.lower(), remainder
    name, tag = rest, None
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        name, tag = rest[:colon], rest[colon + 1 :]
    return ImageRef(raw, registry, name, tag or None, digest or None)


def stage_image(stage: Stage) -> ImageRef:
    """The image a stage is ultimately built on (following ``FROM <stage>`` chains).

    Cached on the stage: rules ask for it at nearly every instruction.
    """
    return memo(stage, "golang.stage_image", lambda: ImageRef.parse(stage.root().base_image))


# ---------------------------------------------------------------------------------
# go commands inside RUN

# Subcommands that may download modules (directly or by loading the build list).
FETCHING_SUBCOMMANDS = frozenset(
    {
        "build", "install", "get", "test", "run", "vet", "list", "generate",
        "mod download", "mod tidy", "mod vendor", "mod graph", "mod why", "mod verify",
        "work sync", "work vendor",
    }
)  # fmt: skip
BUILD_SUBCOMMANDS = frozenset({"build", "install", "test", "run", "vet", "generate"})

_ASSIGN = r"[A-Za-z_][A-Za-z0-9_]*=(?:\"[^\"]*\"|'[^']*'|\S)*"
_GO_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s;&|(`]))"
    rf"(?P<prefix>(?:env\s+)?(?:{_ASSIGN}\s+)*)"
    r"(?P<go>(?:[\w./-]*/)?go)(?=\s)"
    r"\s+(?P<sub>mod\s+[a-z]+|work\s+[a-z]+|env|[a-z]+)\b"
    r"(?P<args>[^;&|\n)`]*)"
)
_ASSIGN_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S*)")


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class GoCommand:
    """One ``go <subcommand>`` found in a RUN script."""

    instruction: Instruction
    subcommand: str  # "build", "mod download", "env" ...
    args: str  # the rest of the command up to a shell separator
    inline_env: dict[str, str]  # ``CGO_ENABLED=0 go build`` assignments
    span: Span  # from the first assignment (or ``go``) to the end of the arguments
    go_span: Span  # the ``go`` word
    script: MappedText
    start: int  # logical offsets inside ``script``
    end: int

    @property
    def fetches_modules(self) -> bool:
        """Whether the command may download modules."""
        return self.subcommand in FETCHING_SUBCOMMANDS

    @property
    def builds(self) -> bool:
        """Whether the command compiles (and so uses the build cache)."""
        return self.subcommand in BUILD_SUBCOMMANDS

    @property
    def uses_vendor(self) -> bool:
        """``-mod=vendor`` on the command line."""
        return "-mod=vendor" in self.args


def go_commands(ins: Instruction) -> tuple[GoCommand, ...]:
    """Every ``go`` command a RUN instruction runs (shell form, exec form, heredocs)."""
    if ins.keyword != "RUN":
        return ()
    # memo(), inlined: a dozen rules ask for every instruction (~1,400 calls per 300 lines).
    cached: tuple[GoCommand, ...] | None = ins.__dict__.get("golang.go_commands")
    if cached is not None:
        return cached
    return memo(ins, "golang.go_commands", lambda: tuple(_go_commands(ins)))


def _go_commands(ins: Instruction) -> Iterator[GoCommand]:
    argv = ins.json_args
    if argv is not None:
        # Exec form: ["go", "build", ...] or ["sh", "-c", "go build ..."].
        if argv and (argv[0] == "go" or argv[0].endswith("/go")) and len(argv) > 1:
            words = list(argv[1:])
            sub = words.pop(0)
            if sub in ("mod", "work") and words:
                sub = f"{sub} {words.pop(0)}"
            text = ins.args
            yield GoCommand(
                instruction=ins,
                subcommand=sub,
                args=" ".join(words),
                inline_env={},
                span=ins.args_span(),
                go_span=ins.args_span(),
                script=ins.args_text,
                start=0,
                end=len(text),
            )
        return
    for script in ins.scripts():
        text = script.text
        if "go" not in text:
            continue
        for m in _GO_RE.finditer(text):
            sub = " ".join(m.group("sub").split())
            prefix = m.group("prefix")
            env = {k: v.strip("\"'") for k, v in _ASSIGN_RE.findall(prefix)}
            start = m.start("prefix") if prefix else m.start("go")
            end = m.end("args")
            while end > start and text[end - 1] in " \t\r\n\\":
                end -= 1
            yield GoCommand(
                instruction=ins,
                subcommand=sub,
                args=m.group("args").strip(),
                inline_env=env,
                span=script.span(start, end),
                go_span=script.span(m.start("go"), m.end("go")),
                script=script,
                start=start,
                end=end,
            )


def fetching_commands(doc: Dockerfile) -> Iterator[GoCommand]:
    """Every go command in the file that may download modules."""
    return iter(memo(doc, "golang.fetching_commands", lambda: tuple(_fetching_commands(doc))))


def _fetching_commands(doc: Dockerfile) -> Iterator[GoCommand]:
    for ins in doc.instructions:
        for cmd in go_commands(ins):
            if cmd.fetches_modules:
                yield cmd


# ---------------------------------------------------------------------------------
# Go's environment at an instruction

GO_DEFAULTS = {
    "GOPROXY": "https://proxy.golang.org,direct",
    "GOSUMDB": "sum.golang.org",
    "GOFLAGS": "",
    "GOPRIVATE": "",
    "GONOPROXY": "",
    "GONOSUMDB": "",
    "GOINSECURE": "",
}
# What the official golang images set (docker-library/golang Dockerfile-linux.template).
GOLANG_IMAGE_ENV = {"GOPATH": "/go", "GOTOOLCHAIN": "local"}

# Every variable `go help environment` documents (plus a few the toolchain reads).
KNOWN_GO_VARIABLES = frozenset(
    {
        "GO111MODULE", "GCCGO", "GOARCH", "GOAUTH", "GOBIN", "GOCACHE", "GOCACHEPROG",
        "GODEBUG", "GOENV", "GOFLAGS", "GOINSECURE", "GOMODCACHE", "GONOPROXY", "GONOSUMDB",
        "GOOS", "GOPATH", "GOPRIVATE", "GOPROXY", "GOROOT", "GOSUMDB", "GOTMPDIR",
        "GOTOOLCHAIN", "GOVCS", "GOWORK", "GOTELEMETRY", "GOTELEMETRYDIR", "GOFIPS140",
        "GOEXPERIMENT", "GOROOT_FINAL", "GO_EXTLINK_ENABLED", "GOAMD64", "GOARM", "GOARM64",
        "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM", "GOCOVERDIR",
        "GOTRACEBACK", "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GOEXE", "GOHOSTARCH",
        "GOHOSTOS", "GOTOOLDIR", "GOVERSION", "GOMOD", "GOGCCFLAGS", "GO_LDSO",
        "GOLANG_VERSION", "CGO_ENABLED", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS",
        "CGO_FFLAGS", "CGO_LDFLAGS",
    }
)  # fmt: skip


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class GoSetting:
    """The value of one Go variable at a point of the build, with where it came from."""

    name: str
    value: str | None  # None: a build argument whose value is given at build time
    origin: str  # "default", "image", "ENV", "ARG", "go env -w", "inline"
    span: Span | None  # where it was set in the Dockerfile (None for defaults)
    instruction: Instruction | None


_ENV_W_RE = re.compile(r"\bgo\s+env\s+-w\s+((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s*)+)")


def go_env(
    doc: Dockerfile, ins: Instruction, command: GoCommand | None = None
) -> dict[str, GoSetting]:
    """Go's environment as the go command at ``ins`` (or ``command``) sees it.

    Precedence, as in the go command: the process environment (ENV, ARG, inline
    assignments) wins over ``go env -w`` settings, which win over image and Go defaults.
    """
    settings = dict(memo(ins, "golang.go_env", lambda: _go_env(doc, ins)))
    if command is not None:
        for k, v in command.inline_env.items():
            settings[k] = GoSetting(k, v, "inline", command.span, ins)
    return settings


def _go_env(doc: Dockerfile, ins: Instruction) -> dict[str, GoSetting]:
    stage = doc.stage_of(ins)
    if stage is None:
        return {k: GoSetting(k, v, "default", None, None) for k, v in GO_DEFAULTS.items()}
    # `go env -w` in earlier RUNs of this stage and its parents (they persist in $HOME).
    writes: list[GoSetting] = []
    for st in stage.chain():
        for earlier in st.instructions:
            if earlier is ins:
                break
            if earlier.keyword == "RUN":
                writes.extend(_env_w_settings(earlier))
    # Most instructions of a stage see the same variables and `go env -w` writes as the
    # one before them: share one (read-only) result per distinct input.  Within a
    # stage, the writes before an instruction extend those before any earlier one, so
    # their count tells them apart; the scope object is shared until an ARG or ENV.
    scope = scope_before(doc, stage, ins)
    cache: dict[tuple[int, int], tuple[object, dict[str, GoSetting]]] = memo(
        stage, "golang.go_env_by_input", dict
    )
    key = (id(scope), len(writes))
    hit = cache.get(key)
    if hit is not None and hit[0] is scope:
        return hit[1]
    settings: dict[str, GoSetting] = {
        k: GoSetting(k, v, "default", None, None) for k, v in GO_DEFAULTS.items()
    }
    if stage_image(stage).is_golang:
        for k, v in GOLANG_IMAGE_ENV.items():
            settings[k] = GoSetting(k, v, "image", None, None)
    for setting in writes:
        settings[setting.name] = setting
    for name, var in scope.items():
        if var.value is None and name in settings and settings[name].origin == "go env -w":
            continue
        settings[name] = GoSetting(
            name, var.value, var.kind, var.key_value.value_span or var.key_value.span,
            var.instruction,
        )  # fmt: skip
    cache[key] = (scope, settings)
    return settings


def _env_w_settings(ins: Instruction) -> tuple[GoSetting, ...]:
    """The ``go env -w`` settings a RUN writes, in order (scanned once per parse: every
    later instruction of the stage chain looks at them)."""
    return memo(ins, "golang.env_w", lambda: tuple(_scan_env_w(ins)))


def _scan_env_w(ins: Instruction) -> Iterator[GoSetting]:
    for script in ins.scripts():
        if "-w" not in script.text:
            continue  # _ENV_W_RE needs it; its scan is slow (no literal prefix)
        for m in _ENV_W_RE.finditer(script.text):
            base = m.start(1)
            for am in _ASSIGN_RE.finditer(m.group(1)):
                span = script.span(base + am.start(), base + am.end())
                yield GoSetting(am.group(1), am.group(2).strip("\"'"), "go env -w", span, ins)


def split_goproxy(value: str) -> list[tuple[str, str]]:
    """Split a GOPROXY list into (entry, separator-after) pairs; the last separator is ''."""
    out: list[tuple[str, str]] = []
    cur: list[str] = []
    for ch in value:
        if ch in ",|":
            out.append(("".join(cur).strip(), ch))
            cur = []
        else:
            cur.append(ch)
    out.append(("".join(cur).strip(), ""))
    return [(e, s) for e, s in out if e or s]


def glob_patterns(value: str) -> list[str]:
    """Split GOPRIVATE/GONOPROXY/GONOSUMDB/GOINSECURE into their comma-separated globs."""
    return [p.strip() for p in value.split(",") if p.strip()]


def matches_module_glob(patterns: list[str], module: str) -> bool:
    """Go's ``module.MatchPrefixPatterns``: a glob matches a module path or any prefix of it."""
    import fnmatch

    parts = module.split("/")
    for pat in patterns:
        n = pat.count("/") + 1
        if len(parts) < n:
            continue
        prefix = "/".join(parts[:n])
        if fnmatch.fnmatchcase(prefix, pat):
            return True
    return False
