"""GOPROXY, network and toolchain rules (GB110–GB118).

GOPROXY values are checked the way the go command reads them
(``proxyList`` in cmd/go/internal/modfetch/proxy.go): entries are separated by ``,``
or ``|`` and trimmed; ``off`` and ``direct`` end the list; an entry that contains
``.``, ``:`` or ``/`` but no ``:/`` and is not an absolute path gets ``https://``
prepended; then the URL must parse with scheme ``https``, ``http`` or ``file``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from gobuildgui.core.dockerfile.golang import (
    KNOWN_GO_VARIABLES,
    GoCommand,
    GoSetting,
    ImageRef,
    glob_patterns,
    go_commands,
    go_env,
    matches_module_glob,
)
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction, Stage, memo
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.rules.modcache import (
    Assignment,
    GoFlow,
    assignments,
    command_name,
    command_span,
    describe_origin,
    effective_go_env,
    find_in_source,
    is_versioned,
    module_cache_dir,
    modules_available,
)
from gobuildgui.core.dockerfile.scope import stage_env
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

DEFAULT_GOPROXY = "https://proxy.golang.org,direct"

# =================================================================================
# GOPROXY lists


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class ProxyEntry:
    """One entry of a GOPROXY list, with offsets into the value."""

    text: str  # trimmed
    start: int
    end: int
    sep: str  # "," or "|" after it; "" for the last entry
    sep_at: int  # offset of ``sep`` (-1 when there is none)


_ENTRY_END_RE = re.compile("[,|\0]")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f]")


def proxy_entries(value: str) -> list[ProxyEntry]:
    """Split a GOPROXY value as go does, keeping offsets (empty entries included).

    (``golang.split_goproxy`` drops the offsets, which spans and fixes need.)
    """
    return list(_proxy_entries(value))


# Rules ask for the same few GOPROXY values dozens of times per lint (each ENV, ARG
# and RUN assignment, per stage); the split is pure, so it is cached across calls.
@lru_cache(maxsize=512)
def _proxy_entries(value: str) -> tuple[ProxyEntry, ...]:
    out: list[ProxyEntry] = []
    start = 0
    for m in _ENTRY_END_RE.finditer(value + "\0"):  # the separators, not every character
        i, ch = m.start(), m.group()
        piece = value[start:i]
        lead = len(piece) - len(piece.lstrip())
        text = piece.strip()
        sep = ch if ch != "\0" else ""
        out.append(ProxyEntry(text, start + lead, start + lead + len(text), sep, i if sep else -1))
        start = i + 1
    return tuple(out)


def effective_entries(value: str) -> list[ProxyEntry]:
    """The non-empty entries go reads: up to and including ``off`` or ``direct``."""
    return list(_effective_entries(value))


@lru_cache(maxsize=512)
def _effective_entries(value: str) -> tuple[ProxyEntry, ...]:
    out: list[ProxyEntry] = []
    for e in _proxy_entries(value):
        if not e.text:
            continue
        out.append(e)
        if e.text in ("off", "direct"):
            break
    return tuple(out)


def first_entry(value: str | None) -> str | None:
    """The first entry go tries (None when the value is unknown or empty)."""
    if value is None:
        return None
    entries = effective_entries(value)
    return entries[0].text if entries else None


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class EntryProblem:
    """Why go rejects a GOPROXY entry, and a replacement when one is obvious."""

    message: str
    replacement: str | None = None
    applicability: Applicability = Applicability.UNSAFE


def _redact(url: str) -> str:
    """Hide a password in ``user:password@`` the way Go's ``URL.Redacted`` does."""
    return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1xxxxx@", url)


def entry_url(text: str) -> str:
    """The URL go makes of an entry (``https://`` added to a bare host)."""
    if any(c in text for c in ".:/") and ":/" not in text and not text.startswith("/"):
        return "https://" + text
    return text


# Pure on the entry text and asked for every assignment of every stage: cached.
@lru_cache(maxsize=1024)
def check_entry(text: str) -> EntryProblem | None:
    """What go says about a (non-keyword) entry, or None when it accepts it."""
    url = entry_url(text)
    shown = _redact(text)
    if _CONTROL_RE.search(url):
        return EntryProblem(f"GOPROXY entry {shown!r} contains a control character")
    scheme = _scheme(url)
    if scheme is None:
        return EntryProblem(
            f"GOPROXY entry {shown!r} starts with ':': go fails with 'missing protocol scheme'"
        )
    missing = f"go fails with 'invalid proxy URL missing scheme: {shown}'"
    if scheme == "":
        if text.lower() in ("off", "direct"):
            return EntryProblem(
                f"GOPROXY keyword {shown!r} must be lower case ({missing})",
                text.lower(),
                Applicability.SAFE,
            )
        if text.startswith("/"):
            return EntryProblem(
                f"GOPROXY entry {shown!r} is a path without a scheme ({missing});"
                f" write file://{shown} for a module folder",
                "file://" + text,
                Applicability.SAFE,
            )
        if re.fullmatch(r"[A-Za-z0-9_-]+", text):
            return EntryProblem(
                f"GOPROXY entry {shown!r} is neither a keyword (direct, off) nor a URL"
                f" ({missing}); write https://{shown} for a proxy host",
                "https://" + text,
            )
        return EntryProblem(f"GOPROXY entry {shown!r} is not a URL ({missing})")
    rest = url[len(scheme) + 1 :]
    if scheme in ("http", "https"):
        return _check_http(shown, rest)
    if scheme == "file":
        authority = rest[2:].split("/", 1)[0] if rest.startswith("//") else ""
        if authority or not rest.startswith("/") or "?" in rest or "#" in rest:
            return EntryProblem(
                f"GOPROXY entry {shown!r} is a file:// URL with a host, query or relative"
                " path: go fails with 'invalid file:// proxy URL with non-path elements';"
                " write file:///absolute/path"
            )
        return None
    hint = ""
    if scheme.startswith("socks"):
        hint = (
            "; GOPROXY names a module proxy, not a network proxy: keep GOPROXY as it was"
            " and pass HTTPS_PROXY (and ALL_PROXY for git) as build arguments instead"
        )
    elif scheme in ("ssh", "git", "git+ssh"):
        hint = "; fetch private repositories directly with GOPRIVATE instead"
    return EntryProblem(
        f"GOPROXY entry {shown!r} uses scheme {scheme!r}: go fails with"
        f" 'invalid proxy URL scheme (must be https, http, file)'{hint}"
    )


def _scheme(url: str) -> str | None:
    """Go's ``getScheme``: the lower-cased scheme, "" for none, None for a leading ':'."""
    for i, c in enumerate(url):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return ""
            continue
        if c == ":":
            return url[:i].lower() if i else None
        return ""
    return ""


def _check_http(shown: str, rest: str) -> EntryProblem | None:
    if not rest.startswith("//"):
        return EntryProblem(f"GOPROXY entry {shown!r} has no host: write scheme://host")
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1]
    if not host:
        return EntryProblem(f"GOPROXY entry {shown!r} has no host: every request would fail")
    if any(c.isspace() for c in host):
        return EntryProblem(
            f"GOPROXY entry {shown!r} has a blank in its host name: go fails with"
            " 'invalid character \" \" in host name'"
        )
    if not host.startswith("[") and ":" in host:
        port = host.rsplit(":", 1)[1]
        if port and not port.isdigit():
            return EntryProblem(
                f"GOPROXY entry {shown!r} has an invalid port {port!r}: go fails with"
                f" 'invalid port \":{port}\" after host'"
            )
    return None


@lru_cache(maxsize=1024)
def _is_network_proxy(text: str) -> bool:
    url = entry_url(text)
    return _scheme(url) in ("http", "https") and check_entry(text) is None


def _goproxy_assignments(doc: Dockerfile) -> Iterator[Assignment]:
    for a in assignments(doc):
        if a.name == "GOPROXY" and a.value is not None:
            yield a


def rewrite_value(doc: Dockerfile, a: Assignment, new_value: str) -> Edit | None:
    """An edit that replaces an assignment's value, keeping (or adding) quotes."""
    span = a.value_span
    if doc.text[span.start : span.end] != a.raw or a.value is None:
        return None
    raw = a.raw
    quote = raw[0] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else ""
    if (raw[1:-1] if quote else raw) != a.value:
        return None  # escapes or expansions: do not guess
    needs_quotes = a.shell and any(c in new_value for c in "|;&<>()$` \t")
    if not quote and needs_quotes:
        quote = "'" if "'" not in new_value else '"'
    return Edit(span.start, span.end, f"{quote}{new_value}{quote}")


def _assignment_for(doc: Dockerfile, setting: GoSetting) -> Assignment | None:
    """The assignment in the file that produced ``setting``."""
    if setting.span is None or setting.instruction is None:
        return None
    for a in assignments(doc):
        if a.instruction is setting.instruction and a.name == setting.name:
            vs = a.value_span
            if vs.start < setting.span.end and setting.span.start < vs.end:
                return a
            if vs.start == vs.end == setting.span.start:
                return a
    return None


def _setting_text(doc: Dockerfile, setting: GoSetting) -> str:
    """``GOPROXY=off (set by ENV on line 3)``."""
    return f"{setting.name}={setting.value} ({describe_origin(doc, setting)})"


def _go_stages(doc: Dockerfile) -> Iterator[tuple[Stage, Instruction, GoCommand]]:
    for stage in doc.stages:
        for ins in stage.instructions:
            for cmd in go_commands(ins):
                yield stage, ins, cmd


def _needs_network(flow: GoFlow, ins: Instruction, cmd: GoCommand) -> bool:
    """Whether ``cmd`` must download: it needs modules that no earlier step left it."""
    if not flow.needs_modules(ins, cmd):
        return False
    if is_versioned(cmd):
        return True
    gm = flow.ctx.project.go_mod
    if gm is not None and not gm.requires:
        return False
    cache = module_cache_dir(flow.doc, ins, flow.env(ins, cmd))
    sources = flow.sources_before(ins)
    return not modules_available(ins, cache[0] if cache else None, sources)


# =================================================================================
# GB110


@rule(
    code="GB110",
    name="goproxy-off-without-vendor",
    severity=Severity.ERROR,
    summary="GOPROXY=off in a step that has to download modules",
    fix=Applicability.UNSAFE,
    category="proxy",
    needs_project=True,
)
def goproxy_off_without_vendor(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the first go command of a stage that has to download modules while
    GOPROXY starts with `off` (set with ENV, ARG, `go env -w`, `export` or inline,
    here or in a stage it is built `FROM`).

    It stays quiet when the command uses vendor/ (`-mod=vendor`, or vendor/ in the
    project with go 1.14+), when an earlier step already downloaded the modules
    into the layer or into the same cache mount (the offline-build pattern), when
    go.mod has no requirements, and when GOPRIVATE/GONOPROXY cover every
    requirement in go.mod (those are fetched directly even with `off`).

    ## Why is this bad?
    `off` forbids every module download: the step fails with
    `module lookup disabled by GOPROXY=off`.

    ## Example
    ```dockerfile
    ENV GOPROXY=off
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    ENV GOPROXY=https://proxy.golang.org,direct
    RUN go mod download
    ```

    ## Fix safety
    The fix replaces `off` with `https://proxy.golang.org,direct`. It is unsafe:
    `off` may have been chosen to keep the build hermetic, and a corporate network
    may need its own proxy instead.

    ## References
    - https://go.dev/ref/mod#environment-variables
    - https://go.dev/ref/mod#vendoring
    """
    flow = GoFlow.of(ctx)
    for stage in ctx.doc.stages:
        for ins in stage.instructions:
            finding = _proxy_off_finding(flow, ins)
            if finding is not None:
                yield finding
                break


def _proxy_off_finding(flow: GoFlow, ins: Instruction) -> Finding | None:
    doc = flow.doc
    for cmd in flow.commands(ins):
        env = flow.env(ins, cmd)
        proxy = env.get("GOPROXY")
        if proxy is None or first_entry(proxy.value) != "off":
            continue
        if not _needs_network(flow, ins, cmd) or _all_private(flow.ctx, env):
            continue
        message = (
            f"`{command_name(cmd)}` has to download modules but {_setting_text(doc, proxy)}"
            " forbids it, and vendor/ is not used: it fails with 'module lookup disabled by"
            f" GOPROXY=off'; set GOPROXY={DEFAULT_GOPROXY} (or your proxy), or vendor the"
            " modules"
        )
        return Finding(command_span(doc, cmd), message, _proxy_off_fix(doc, proxy))
    return None


def _all_private(ctx: LintContext, env: dict[str, GoSetting]) -> bool:
    """GONOPROXY (or GOPRIVATE) covers every requirement of go.mod."""
    gm = ctx.project.go_mod
    if gm is None or not gm.requires:
        return False
    setting = env.get("GONOPROXY")
    value = setting.value if setting is not None else None
    if not value:
        private = env.get("GOPRIVATE")
        value = private.value if private is not None else None
    if not value:
        return False
    patterns = glob_patterns(value)
    return all(matches_module_glob(patterns, req) for req in gm.requires)


def _proxy_off_fix(doc: Dockerfile, setting: GoSetting) -> Fix | None:
    a = _assignment_for(doc, setting)
    if a is None or a.value is None or a.value.strip() != "off":
        return None
    edit = rewrite_value(doc, a, DEFAULT_GOPROXY)
    if edit is None:
        return None
    return Fix(f"Use GOPROXY={DEFAULT_GOPROXY}", (edit,), Applicability.UNSAFE)


# =================================================================================
# GB111


@rule(
    code="GB111",
    name="invalid-goproxy",
    severity=Severity.ERROR,
    summary="GOPROXY has an entry go rejects, or no entries at all",
    fix=Applicability.SAFE,
    category="proxy",
)
def invalid_goproxy(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks every GOPROXY value written in the file (ENV, ARG default, `go env -w`,
    `export`, inline) the way the go command parses it, and reports what go
    rejects: a scheme other than https, http or file (`socks5://` is a classic), a
    word that is not a keyword and not a URL (`Direct`, `athens`), an absolute path
    without `file://`, a `file://` URL with a host or query, a bad host or port,
    and a list with no entries at all (`GOPROXY=","`).

    A bare host such as `proxy.corp.example:3128` is fine: go adds `https://`.
    Entries after `direct` or `off` are never read, so they are not checked.
    Credentials in a GOPROXY URL are GB132's business.

    ## Why is this bad?
    go refuses to start any download: every module fails with `invalid proxy URL
    missing scheme`, `invalid proxy URL scheme (must be https, http, file)` or
    `GOPROXY list is not the empty string, but contains no entries`.

    ## Example
    ```dockerfile
    ENV GOPROXY=socks5://proxy.corp:1080
    ```

    Use instead:
    ```dockerfile
    ENV GOPROXY=https://proxy.golang.org,direct
    # and: docker build --build-arg HTTPS_PROXY=socks5://proxy.corp:1080 .
    ```

    ## Fix safety
    A fix is offered only when the meaning is clear: a keyword in the wrong case
    (`Direct` -> `direct`) and an absolute path (`/srv/mods` -> `file:///srv/mods`)
    are safe; a bare word taken for a host (`athens` -> `https://athens`) is unsafe
    because the proxy may only speak http.

    ## References
    - https://go.dev/ref/mod#environment-variables
    - https://go.dev/ref/mod#goproxy-protocol
    """
    doc = ctx.doc
    for a in _goproxy_assignments(doc):
        assert a.value is not None
        entries = proxy_entries(a.value)
        if a.value and not any(e.text for e in entries):
            yield Finding(
                a.value_span,
                f"GOPROXY {a.value!r} contains no entries: go fails with 'GOPROXY list is not"
                " the empty string, but contains no entries'; remove it (go then uses"
                f" {DEFAULT_GOPROXY}) or write the proxies",
            )
            continue
        cursor = 0
        for e in effective_entries(a.value):
            pos = find_in_source(doc, a.value_span, e.text, cursor)
            if pos is not None:
                cursor = pos - a.value_span.start + len(e.text)
            if e.text in ("off", "direct"):
                continue
            problem = check_entry(e.text)
            if problem is None:
                continue
            span = doc.span(pos, pos + len(e.text)) if pos is not None else a.value_span
            fix = None
            if problem.replacement is not None and pos is not None:
                new = a.value[: e.start] + problem.replacement + a.value[e.end :]
                edit = rewrite_value(doc, a, new)
                if edit is not None:
                    fix = Fix(f"Write {problem.replacement}", (edit,), problem.applicability)
            yield Finding(span, problem.message, fix)


# =================================================================================
# GB112


@rule(
    code="GB112",
    name="goproxy-without-fallback",
    severity=Severity.INFO,
    summary="GOPROXY does not end with `direct` or `off`",
    fix=Applicability.UNSAFE,
    category="proxy",
)
def goproxy_without_fallback(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a GOPROXY list of proxies with neither `direct` nor `off` in it.

    Not flagged: lists of `file://` folders only (an offline build), and files
    that set GOPRIVATE or GONOPROXY, which shows the private paths were thought
    about and the proxy-only setup is deliberate.

    ## Why is this bad?
    When every proxy answers 404 or 410 for a module (a private module, a fork, a
    brand-new tag the proxy has not seen), go has nowhere else to look and fails.
    With `,direct` at the end it fetches the module from its repository instead.
    `off` at the end says "never fetch directly" explicitly.

    ## Example
    ```dockerfile
    ENV GOPROXY=https://goproxy.io
    ```

    Use instead:
    ```dockerfile
    ENV GOPROXY=https://goproxy.io,direct
    ```

    ## Fix safety
    The fix appends `,direct`. It is unsafe: direct fetches need git (missing
    from the alpine images) and network access to every module's host, which a
    locked-down build network may not allow; there `,off` is the honest choice.

    ## References
    - https://go.dev/ref/mod#goproxy-protocol
    """
    doc = ctx.doc
    if _private_paths_configured(doc):
        return
    for a in _goproxy_assignments(doc):
        assert a.value is not None
        entries = effective_entries(a.value)
        if not entries or any(e.text in ("off", "direct") for e in entries):
            continue
        if any(check_entry(e.text) is not None for e in entries):
            continue  # GB111
        if all(entry_url(e.text).lower().startswith("file:") for e in entries):
            continue
        last = entries[-1].text
        message = (
            f"GOPROXY {_redact(a.value)!r} has no fallback: a module that {_redact(last)}"
            " does not serve (404 or 410) cannot be fetched at all; add ',direct' (or ',off'"
            " to make that explicit)"
        )
        fix = None
        edit = rewrite_value(doc, a, a.value.rstrip() + ",direct")
        if edit is not None:
            fix = Fix("Append ,direct", (edit,), Applicability.UNSAFE)
        yield Finding(a.value_span, message, fix)


def _private_paths_configured(doc: Dockerfile) -> bool:
    """GOPRIVATE or GONOPROXY is set (or declared as a build argument) somewhere."""
    names = ("GOPRIVATE", "GONOPROXY")
    if any(a.name in names and a.value != "" for a in assignments(doc)):
        return True
    return any(
        kv.key in names and kv.raw_value is None
        for ins in doc.instructions
        if ins.keyword == "ARG"
        for kv in ins.key_values
    )


# =================================================================================
# GB113


@rule(
    code="GB113",
    name="goproxy-comma-after-proxy",
    severity=Severity.INFO,
    summary="a `,` after a proxy stops the fallback when that proxy times out",
    fix=Applicability.UNSAFE,
    category="proxy",
)
def goproxy_comma_after_proxy(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags GOPROXY lists with two or more network proxies where a `,` follows a
    proxy. The default `https://proxy.golang.org,direct` (one proxy) is not
    flagged.

    ## Why is this bad?
    After `,` go tries the next entry only when the proxy answers 404 or 410. A
    timeout, a refused connection or a 5xx stops the download right there, so the
    second proxy, the reason for listing it, is never tried. After `|` go moves on
    after any error.

    ## Example
    ```dockerfile
    ENV GOPROXY=https://proxy.golang.org,https://goproxy.cn,direct
    ```

    Use instead:
    ```dockerfile
    ENV GOPROXY=https://proxy.golang.org|https://goproxy.cn|direct
    ```

    ## Fix safety
    The fix turns those `,` into `|`. It is unsafe: on an authentication error
    from a private proxy, go then asks the next proxy (perhaps a public one) for
    the same private module path.

    ## References
    - https://go.dev/ref/mod#goproxy-protocol
    """
    doc = ctx.doc
    for a in _goproxy_assignments(doc):
        assert a.value is not None
        entries = effective_entries(a.value)
        proxies = [e for e in entries if _is_network_proxy(e.text)]
        if len(proxies) < 2:
            continue
        bad = [e for e in entries[:-1] if e.sep == "," and _is_network_proxy(e.text)]
        if not bad:
            continue
        names = ", ".join(_redact(e.text) for e in bad)
        message = (
            f"GOPROXY lists {len(proxies)} proxies but ',' follows {names}: after ',' go tries"
            " the next entry only on 404 or 410, so a timeout or server error stops the"
            " download; use '|' to fall through on any error"
        )
        first = bad[0]
        start = find_in_source(doc, a.value_span, a.value[first.start : first.sep_at + 1])
        span = (
            doc.span(start, start + first.sep_at + 1 - first.start)
            if start is not None
            else a.value_span
        )
        chars = list(a.value)
        for e in bad:
            chars[e.sep_at] = "|"
        edit = rewrite_value(doc, a, "".join(chars))
        fix = Fix("Separate the proxies with |", (edit,), Applicability.UNSAFE) if edit else None
        yield Finding(span, message, fix)


# =================================================================================
# GB114


@rule(
    code="GB114",
    name="network-none-download",
    severity=Severity.ERROR,
    summary="`RUN --network=none` on a step that has to download modules",
    category="proxy",
    needs_project=True,
)
def network_none_download(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `RUN --network=none` when a go command of that step has to download
    modules: it needs the module cache, vendor/ is not used, and no earlier step
    left the modules in the layer or in a cache mount this step also mounts.

    ## Why is this bad?
    Without network every download fails (`dial tcp: lookup proxy.golang.org ...`).
    `--network=none` is a good way to prove a build is hermetic, but only after
    the modules were downloaded in an earlier step, or with vendor/.

    ## Example
    ```dockerfile
    COPY . .
    RUN --network=none go build ./...
    ```

    Use instead:
    ```dockerfile
    COPY go.mod go.sum ./
    RUN go mod download
    COPY . .
    RUN --network=none go build ./...
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#run---network
    """
    doc = ctx.doc
    flow = GoFlow.of(ctx)
    for ins in doc.instructions:
        if ins.keyword != "RUN" or doc.stage_of(ins) is None:
            continue
        flag = ins.flag("network")
        if flag is None or (flag.value or "").strip().lower() != "none":
            continue
        for cmd in flow.commands(ins):
            if _needs_network(flow, ins, cmd):
                yield Finding(
                    flag.span,
                    f"--network=none but `{command_name(cmd)}` has to download modules (no"
                    " earlier step downloaded them and vendor/ is not used): it fails; run"
                    " `go mod download` in an earlier step with network access",
                )
                break


# =================================================================================
# GB115 and GB116: toolchain versions

_TAG_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+)|(rc|beta)(\d+))?(?=$|-)")
_GO_VERSION_RE = re.compile(r"(?:go)?(\d+)\.(\d+)(?:\.(\d+)|(rc|beta)(\d+))?")
_KIND = {"beta": 1, "rc": 2}


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class GoRelease:
    """A Go version ordered as cmd/go's ``gover`` orders them."""

    text: str
    major: int
    minor: int
    kind: int  # 0: language version (1.22), 1: beta, 2: rc, 3: release (1.22.0)
    number: int  # patch, or the beta/rc number

    @property
    def key(self) -> tuple[int, int, int, int]:
        """Sort key: 1.22 < 1.22rc1 < 1.22.0 < 1.22.1."""
        return (self.major, self.minor, self.kind, self.number)


def _release(m: re.Match[str]) -> GoRelease:
    major, minor = int(m.group(1)), int(m.group(2))
    if m.group(3) is not None:
        return GoRelease(m.group(0), major, minor, 3, int(m.group(3)))
    if m.group(4) is not None:
        return GoRelease(m.group(0), major, minor, _KIND[m.group(4)], int(m.group(5)))
    return GoRelease(m.group(0), major, minor, 0, 0)


def parse_go_version(text: str) -> GoRelease | None:
    """``1.22``, ``1.22.5``, ``go1.23rc1`` ...; None otherwise."""
    m = _GO_VERSION_RE.fullmatch(text.strip())
    return _release(m) if m else None


def image_go_version(image: ImageRef) -> tuple[GoRelease, bool] | None:
    """The Go version of a golang image tag and whether it floats (``1.22`` = newest 1.22.x).

    None for tags without a version (``latest``, ``alpine``, ``1``) and digests.
    """
    if not image.is_golang or not image.tag:
        return None
    m = _TAG_VERSION_RE.match(image.tag)
    if m is None:
        return None
    release = _release(m)
    return release, release.kind == 0


def satisfies(image: tuple[GoRelease, bool], required: GoRelease) -> bool:
    """Whether an image's Go runs a module that requires ``required``."""
    version, floating = image
    if floating:
        return (version.major, version.minor) >= (required.major, required.minor)
    return version.key >= required.key


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _ImageInfo:
    stage: Stage
    ref: ImageRef
    version: tuple[GoRelease, bool]
    tag_span: Span | None  # the version in the FROM line, when written there
    arg: tuple[str, str, Instruction] | None  # (name, default, ARG) when a build arg set it


def _image_info(doc: Dockerfile, stage: Stage) -> _ImageInfo | None:
    if stage.parent is not None or stage.image_token is None:
        return None
    ref = ImageRef.parse(stage.base_image)
    version = image_go_version(ref)
    if version is None or "$" in stage.base_image:
        return None
    token = stage.image_token
    tag_span: Span | None = None
    arg: tuple[str, str, Instruction] | None = None
    name = token.value.split("@", 1)[0]
    colon = name.rfind(":")
    if "$" not in token.value and colon > name.rfind("/"):
        pos = find_in_source(doc, token.span, ":" + version[0].text, colon)
        if pos is not None:
            tag_span = doc.span(pos + 1, pos + 1 + len(version[0].text))
    else:
        for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", token.value):
            for g in doc.global_args:
                for kv in g.key_values:
                    if kv.key == name and kv.value is not None and version[0].text in kv.value:
                        arg = (name, kv.value, g)
    return _ImageInfo(stage, ref, version, tag_span, arg)


def _family(doc: Dockerfile, stage: Stage) -> list[Stage]:
    """``stage`` and every stage built FROM it (directly or not)."""
    families = memo(doc, "goproxy.families", lambda: _families(doc))
    return families.get(stage.index, [stage])


def _families(doc: Dockerfile) -> dict[int, list[Stage]]:
    """Each stage's family by index, in file order; one walk up from every stage
    (a per-stage scan of all stages was quadratic in a file with many stages)."""
    families: dict[int, list[Stage]] = {}
    for st in doc.stages:
        for ancestor in st.chain():
            families.setdefault(ancestor.index, []).append(st)
    return families


def _family_commands(doc: Dockerfile, stage: Stage) -> list[tuple[Instruction, GoCommand]]:
    return [
        (ins, cmd)
        for st in _family(doc, stage)
        for ins in st.instructions
        for cmd in go_commands(ins)
    ]


def _toolchain_mode(value: str) -> tuple[str, GoRelease | None]:
    """("local" | "path" | "auto" | "pinned" | "invalid", minimum version)."""
    v = value.strip()
    if v in ("local", "path", "local+path"):
        return ("path" if "path" in v else "local"), None
    if v in ("auto", "local+auto"):
        return "auto", None
    base, _, suffix = v.partition("+")
    release = parse_go_version(base) if base.startswith("go") else None
    if release is None or suffix not in ("", "auto", "path"):
        return "invalid", None
    return {"": "pinned", "auto": "auto", "path": "path"}[suffix], release


@rule(
    code="GB115",
    name="golang-image-older-than-go-mod",
    severity=Severity.ERROR,
    summary="the golang image is older than the go line of go.mod, and GOTOOLCHAIN=local",
    fix=Applicability.UNSAFE,
    category="toolchain",
    needs_project=True,
)
def golang_image_older_than_go_mod(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Compares the Go version of each `FROM golang:<version>` with the `go` line of
    go.mod when GOTOOLCHAIN is `local` (the official images set it) or `path`.
    A tag without a patch release floats (`1.22` is the newest 1.22.x, so it runs
    `go 1.22.5`); `1.22.1` does not run `go 1.22.5`. A version that comes from a
    build argument's default (`FROM golang:${GO_VERSION}`) is checked with that
    default. Tags without a version (`latest`, `1`, `alpine`), digests and
    unresolved variables are skipped.

    ## Why is this bad?
    The official golang images set `GOTOOLCHAIN=local`, so go does not download a
    newer toolchain and stops with
    `go: go.mod requires go >= 1.24.0 (running go 1.23.4; GOTOOLCHAIN=local)`.

    ## Example
    ```dockerfile
    # go.mod: go 1.24.0
    FROM golang:1.23-alpine
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24-alpine
    ```

    ## Fix safety
    The fix writes the go.mod version into the tag (or into the build argument's
    default). It is unsafe: the image variant (`-alpine3.18` ...) may not exist
    for the new version, and a newer compiler can change the build.

    Only the `go` line counts: with `GOTOOLCHAIN=local` the `toolchain` line is
    not enforced.

    ## References
    - https://go.dev/doc/toolchain
    - https://github.com/docker-library/golang (ENV GOTOOLCHAIN=local)
    """
    gm = ctx.project.go_mod
    if gm is None or gm.go_text is None:
        return
    required = parse_go_version(gm.go_text)
    if required is None:
        return
    doc = ctx.doc
    for stage in doc.stages:
        info = _image_info(doc, stage)
        if info is None or satisfies(info.version, required):
            continue
        commands = _family_commands(doc, stage)
        module_cmds = [
            (i, c) for i, c in commands if not is_versioned(c) and c.subcommand != "version"
        ]
        if commands and not module_cmds:
            continue  # only `go install tool@version`: go.mod is not read
        at = module_cmds[0] if module_cmds else None
        env = effective_go_env(doc, at[0], at[1]) if at is not None else _stage_end_env(doc, stage)
        toolchain = env.get("GOTOOLCHAIN")
        if toolchain is None or toolchain.value is None:
            continue
        mode, _ = _toolchain_mode(toolchain.value)
        if mode not in ("local", "path"):
            continue
        yield _old_image_finding(doc, info, required, gm.go_line, toolchain)


def _stage_end_env(doc: Dockerfile, stage: Stage) -> dict[str, GoSetting]:
    """Go's environment after the last instruction of ``stage``."""
    env = go_env(doc, stage.instructions[-1])
    for name, var in stage_env(doc, stage).items():
        kv = var.key_value
        env[name] = GoSetting(name, var.value, var.kind, kv.value_span or kv.span, var.instruction)
    return env


def _old_image_finding(
    doc: Dockerfile,
    info: _ImageInfo,
    required: GoRelease,
    go_line: int | None,
    toolchain: GoSetting,
) -> Finding:
    version, floating = info.version
    running = f"{version.text}.x" if floating else version.text
    where = f"go.mod line {go_line}" if go_line else "go.mod"
    via = ""
    if info.arg is not None:
        name, default, arg = info.arg
        via = (
            f" ({name}={default} is the default of the ARG on line {arg.line};"
            " --build-arg can override it)"
        )
    message = (
        f"{info.ref.raw} runs Go {running}{via} but {where} requires go {required.text};"
        f" with GOTOOLCHAIN={toolchain.value} ({describe_origin(doc, toolchain)}) the build"
        f" fails with 'go.mod requires go >= {required.text}'; use a golang image of Go"
        f" {required.text} or newer"
    )
    span = info.tag_span or (info.stage.image_token.span if info.stage.image_token else None)
    if span is None:
        span = info.stage.from_instruction.span
    if info.ref.digest is not None:
        return Finding(span, message + " (and update the digest that pins the image)")
    new = _new_tag_version(info.version, required)
    fix = None
    if info.tag_span is not None:
        fix = Fix(
            f"Use Go {new}",
            (Edit(info.tag_span.start, info.tag_span.end, new),),
            Applicability.UNSAFE,
        )
    elif info.arg is not None:
        fix = _arg_version_fix(doc, info.arg, version.text, new)
    return Finding(span, message, fix)


def _new_tag_version(image: tuple[GoRelease, bool], required: GoRelease) -> str:
    _, floating = image
    if floating:
        return f"{required.major}.{required.minor}"
    if required.kind == 0 and (required.major, required.minor) >= (1, 21):
        return f"{required.text}.0"
    return required.text


def _arg_version_fix(
    doc: Dockerfile, arg: tuple[str, str, Instruction], old: str, new: str
) -> Fix | None:
    name, _default, ins = arg
    for kv in ins.key_values:
        if kv.key != name or kv.value_span is None:
            continue
        pos = find_in_source(doc, kv.value_span, old)
        if pos is None:
            return None
        after = doc.text[pos + len(old) : pos + len(old) + 1]
        if after.isdigit() or after == ".":
            return None
        return Fix(
            f"Set {name} to Go {new}", (Edit(pos, pos + len(old), new),), Applicability.UNSAFE
        )
    return None


@rule(
    code="GB116",
    name="toolchain-download-goproxy-off",
    severity=Severity.WARNING,
    summary="GOTOOLCHAIN may download a toolchain while GOPROXY is off",
    category="toolchain",
    needs_project=True,
)
def toolchain_download_goproxy_off(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags GOTOOLCHAIN values that let go download a toolchain (`auto`,
    `local+auto`, `go1.N.P+auto`, or a pinned `go1.N.P` other than the image's Go)
    in a step where GOPROXY starts with `off`. With `auto`, the rule stays quiet
    when go.mod and the image tag show that no newer toolchain is needed.

    ## Why is this bad?
    Toolchains are modules (`golang.org/toolchain`) and are downloaded through
    GOPROXY. With `off` the switch fails (`module lookup disabled by
    GOPROXY=off`, or `toolchain not available`) before any of your code builds.

    ## Example
    ```dockerfile
    # go.mod: go 1.24.0
    FROM golang:1.22
    ENV GOTOOLCHAIN=auto GOPROXY=off
    RUN go build -mod=vendor -o /out/app .
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24.3-bookworm
    ENV GOPROXY=off
    RUN go build -mod=vendor -o /out/app .
    ```

    ## References
    - https://go.dev/doc/toolchain#download
    """
    doc = ctx.doc
    gm = ctx.project.go_mod
    needed: GoRelease | None = None
    if gm is not None:
        versions = [parse_go_version(t) for t in (gm.go_text, gm.toolchain_text) if t]
        known = [v for v in versions if v is not None]
        needed = max(known, key=lambda v: v.key) if known else None
    seen: set[tuple[int, int]] = set()
    for stage, ins, cmd in _go_stages(doc):
        env = effective_go_env(doc, ins, cmd)
        toolchain = env.get("GOTOOLCHAIN")
        proxy = env.get("GOPROXY")
        if toolchain is None or toolchain.value is None or proxy is None:
            continue
        if first_entry(proxy.value) != "off":
            continue
        local = image_go_version(ImageRef.parse(stage.root().base_image))
        if not _may_download(toolchain.value, local, needed, gm is not None):
            continue
        span = toolchain.span or command_span(doc, cmd)
        key = (span.start, span.end)
        if key in seen:
            continue
        seen.add(key)
        yield Finding(
            span,
            f"GOTOOLCHAIN={toolchain.value} ({describe_origin(doc, toolchain)}) may make"
            f" `{command_name(cmd)}` (line {ins.line}) download a Go toolchain through"
            f" GOPROXY, but {_setting_text(doc, proxy)}: the switch fails with 'module"
            " lookup disabled by GOPROXY=off'; use a golang image that matches go.mod and"
            " keep GOTOOLCHAIN=local",
        )


def _may_download(
    value: str,
    local: tuple[GoRelease, bool] | None,
    needed: GoRelease | None,
    go_mod_known: bool,
) -> bool:
    mode, minimum = _toolchain_mode(value)
    if mode == "pinned":
        assert minimum is not None
        if local is None:
            return True
        version, floating = local
        # A floating tag (1.22) may hold any 1.22.x: only an exact match is sure.
        return floating or version.key != minimum.key
    if mode != "auto":
        return False
    if not go_mod_known:
        return True
    if local is None:
        return needed is not None or minimum is not None
    wanted = [v for v in (needed, minimum) if v is not None]
    return any(not satisfies(local, v) for v in wanted)


# =================================================================================
# GB117

_TARGET_VAR_RE = re.compile(r"\$\{?TARGET(?:OS|ARCH|PLATFORM|VARIANT)\b|\bARG\s+TARGET(?:OS|ARCH)")
_BUILDPLATFORM_RE = re.compile(r"^\$\{?BUILDPLATFORM\}?$")


@rule(
    code="GB117",
    name="go-build-under-emulation",
    severity=Severity.INFO,
    summary="a multi-platform build downloads and compiles Go under emulation",
    fix=Applicability.UNSAFE,
    category="toolchain",
)
def go_build_under_emulation(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a stage on a golang image that runs go commands without
    `FROM --platform=$BUILDPLATFORM` (or with `--platform=$TARGETPLATFORM`), when
    the file shows it is built for several platforms: it uses TARGETOS,
    TARGETARCH, TARGETPLATFORM or TARGETVARIANT.

    ## Why is this bad?
    Without `--platform=$BUILDPLATFORM`, `docker buildx build --platform
    linux/amd64,linux/arm64` runs the whole Go stage once per platform, the
    foreign ones under QEMU: every module is downloaded once per platform and the
    compiler runs many times slower. Go cross-compiles by itself: run the stage
    natively and set `GOOS=$TARGETOS GOARCH=$TARGETARCH` for `go build`.

    ## Example
    ```dockerfile
    FROM golang:1.24 AS build
    ARG TARGETOS TARGETARCH
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
    ```

    Use instead:
    ```dockerfile
    FROM --platform=$BUILDPLATFORM golang:1.24 AS build
    ARG TARGETOS TARGETARCH
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
    ```

    ## Fix safety
    The fix sets `--platform=$BUILDPLATFORM`; it is offered only when the stage
    already passes TARGETOS/TARGETARCH to go. It is unsafe: cgo builds then need a
    cross C compiler, and any other tool the stage runs now runs on the build
    platform.

    ## References
    - https://docs.docker.com/build/building/multi-platform/#cross-compilation
    - https://www.docker.com/blog/faster-multi-platform-builds-dockerfile-cross-compilation-guide/
    """
    doc = ctx.doc
    if not _TARGET_VAR_RE.search(_instruction_text(doc)):
        return
    for stage in doc.stages:
        if stage.parent is not None or not ImageRef.parse(stage.base_image).is_golang:
            continue
        commands = _family_commands(doc, stage)
        if not any(c.fetches_modules or c.builds for _, c in commands):
            continue
        platform = stage.platform
        value = (platform.value or "") if platform is not None else None
        if value is not None and _BUILDPLATFORM_RE.match(value.strip()):
            continue
        if value is not None and "TARGETPLATFORM" not in value:
            continue  # an explicit platform: a deliberate choice
        yield _emulation_finding(doc, stage)


def _instruction_text(doc: Dockerfile) -> str:
    return memo(doc, "goproxy.instruction_text", lambda: _join_instructions(doc))


def _join_instructions(doc: Dockerfile) -> str:
    return "\n".join(
        ins.line_text.text + "".join(h.body for h in ins.heredocs) for ins in doc.instructions
    )


def _emulation_finding(doc: Dockerfile, stage: Stage) -> Finding:
    platform = stage.platform
    family_text = "\n".join(
        ins.line_text.text + "".join(h.body for h in ins.heredocs)
        for st in _family(doc, stage)
        for ins in st.instructions
    )
    cross = re.search(r"\$\{?TARGET(?:OS|ARCH|PLATFORM)\b", family_text) is not None
    image = stage.image_token
    span = (
        platform.span
        if platform is not None
        else (image.span if image else stage.from_instruction.span)
    )
    name = f" {stage.name}" if stage.name else ""
    message = (
        f"the Go stage{name} is built for the target platform (under emulation in a"
        " multi-platform build), so modules are downloaded and compiled once per platform;"
        " use FROM --platform=$BUILDPLATFORM and cross-compile with GOOS=$TARGETOS"
        " GOARCH=$TARGETARCH"
    )
    if not cross:
        return Finding(span, message)
    if platform is not None:
        edit = Edit(platform.span.start, platform.span.end, "--platform=$BUILDPLATFORM")
    else:
        start = stage.from_instruction.args_text.source_offset(0)
        edit = Edit(start, start, "--platform=$BUILDPLATFORM ")
    return Finding(span, message, Fix("Build on $BUILDPLATFORM", (edit,), Applicability.UNSAFE))


# =================================================================================
# GB118

# Variables go computes or reports but does not read: never suggest them.
_READ_ONLY = frozenset(
    {"GOEXE", "GOHOSTARCH", "GOHOSTOS", "GOTOOLDIR", "GOVERSION", "GOMOD", "GOGCCFLAGS",
     "GOLANG_VERSION", "GO_LDSO", "GOROOT_FINAL"}
)  # fmt: skip
_SETTABLE = sorted(KNOWN_GO_VARIABLES - _READ_ONLY)
# Names other software uses on purpose (gobuffalo's GO_ENV, image version args).
_NOT_GO = frozenset({"GO_ENV", "GO_VERSION", "GO_VER", "GOLANG_VER", "GOLANG_VERSION"})
_MISSPELLINGS = {
    "GONOSUMCHECK": "GONOSUMDB",
    "GONOVERIFY": "GONOSUMDB",
    "GOSUMDBOFF": "GOSUMDB",
    "GOPROXYS": "GOPROXY",
    "GOPROXIES": "GOPROXY",
    "GOPRIVATES": "GOPRIVATE",
    "GONOPROXIES": "GONOPROXY",
    "CGO_ENABLE": "CGO_ENABLED",
    "CGOENABLED": "CGO_ENABLED",
    "GO11MODULE": "GO111MODULE",
    "GO111MODULES": "GO111MODULE",
}
# `go env -w` accepts these too (cfg.KnownEnv): C toolchain settings.
_ENV_W_EXTRA = frozenset({"AR", "CC", "CXX", "FC", "PKG_CONFIG"})


def suggest_go_variable(name: str) -> str | None:
    """The Go variable ``name`` was probably meant to be, or None."""
    if name in KNOWN_GO_VARIABLES or name in _NOT_GO:
        return None
    upper = name.upper()
    if upper in KNOWN_GO_VARIABLES and upper not in _READ_ONLY:
        return upper
    if upper in _MISSPELLINGS:
        return _MISSPELLINGS[upper]
    if not (upper.startswith("GO") or upper.startswith("CGO")) or upper in _NOT_GO:
        return None
    squeezed = upper.replace("_", "")
    for known in _SETTABLE:
        if known.replace("_", "") == squeezed:
            return known
    close = difflib.get_close_matches(upper, _SETTABLE, n=1, cutoff=0.85)
    # Same first letter and length within 2: GO_LDFLAGS is a user's variable, not
    # a misspelled CGO_LDFLAGS.
    if close and close[0][0] == upper[0] and abs(len(close[0]) - len(upper)) <= 2:
        return close[0]
    return None


@rule(
    code="GB118",
    name="misspelled-go-variable",
    severity=Severity.WARNING,
    summary="a Go environment variable name is misspelled, so go ignores it",
    fix=Applicability.UNSAFE,
    category="proxy",
)
def misspelled_go_variable(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags variables set with ENV, ARG, `export`, inline or `go env -w` whose name
    is close to a variable go reads but is not one: `GO_PROXY`, `GOPRIVATES`,
    `GONOSUMBD`, `goproxy`, `CGO_ENABLE`. Names the file itself uses as `$NAME`
    (a build argument that feeds `FROM golang:${GO_VERSION}` or
    `ENV GOPROXY=$GO_PROXY`) and names other tools use (`GOLANG_VERSION`,
    `GO_ENV`, `GOOGLE_*`, `GORELEASER_*` ...) are left alone.

    With `go env -w`, any name go does not know is reported, because
    `go env -w` itself fails with `go: unknown go command variable NAME`.

    ## Why is this bad?
    go silently ignores variables it does not know, so the setting has no effect:
    the build goes to the default proxy, checks private modules against the public
    checksum database, or links with cgo, and the Dockerfile looks as if it did
    not.

    ## Example
    ```dockerfile
    ENV GO_PROXY=https://goproxy.corp.example,direct
    ```

    Use instead:
    ```dockerfile
    ENV GOPROXY=https://goproxy.corp.example,direct
    ```

    ## Fix safety
    The fix renames the variable. It is unsafe because the setting starts to
    work: go then really uses that proxy, skips those checksums or disables cgo.
    If a script of yours reads the name, ignore the finding instead.

    ## References
    - https://pkg.go.dev/cmd/go#hdr-Environment_variables
    """
    doc = ctx.doc
    used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", doc.text))
    for ins in doc.instructions:
        if ins.keyword != "ARG":
            continue
        for kv in ins.key_values:
            suggestion = suggest_go_variable(kv.key)
            if kv.raw_value is None and suggestion is not None and kv.key not in used:
                yield _misspelled_finding(
                    doc,
                    ins,
                    kv.key,
                    kv.key_span,
                    suggestion,
                    f"go does not read {kv.key} (build argument declared on line {ins.line}),"
                    f" so a value passed for it has no effect; did you mean {suggestion}?",
                )
    for a in assignments(doc):
        name = a.name
        suggestion = suggest_go_variable(name)
        if a.origin == "go env -w":
            if name in KNOWN_GO_VARIABLES or name in _ENV_W_EXTRA:
                continue
            message = (
                f"`go env -w` does not know {name}: it fails with"
                f" 'go: unknown go command variable {name}'"
            )
            if suggestion:
                message += f"; did you mean {suggestion}?"
            else:
                message += "; set it with ENV or pass it as a build argument instead"
        else:
            if suggestion is None or name in used:
                continue
            message = (
                f"go does not read {name} ({a.describe()}), so this setting has no effect;"
                f" did you mean {suggestion}?"
            )
        yield _misspelled_finding(doc, a.instruction, name, a.name_span, suggestion, message)


def _misspelled_finding(
    doc: Dockerfile,
    ins: Instruction,
    name: str,
    span: Span,
    suggestion: str | None,
    message: str,
) -> Finding:
    fix = None
    taken = any(kv.key == suggestion for kv in ins.key_values)
    if suggestion and not taken and doc.text[span.start : span.end] == name:
        fix = Fix(
            f"Rename to {suggestion}",
            (Edit(span.start, span.end, suggestion),),
            Applicability.UNSAFE,
        )
    return Finding(span, message, fix)


RULES: tuple[Rule, ...] = (
    goproxy_off_without_vendor,
    invalid_goproxy,
    goproxy_without_fallback,
    goproxy_comma_after_proxy,
    network_none_download,
    golang_image_older_than_go_mod,
    toolchain_download_goproxy_off,
    go_build_under_emulation,
    misspelled_go_variable,
)
