"""Proxies, certificates and disabled verification (GB120–GB126).

Also the helpers that ``private.py`` shares: where a variable is set (ENV, ARG, or an
assignment inside a RUN script), credential masking for messages, and the edits that
remove a ``KEY=value`` pair or insert a line above or below an instruction.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.golang import (
    GoCommand,
    GoSetting,
    fetching_commands,
    glob_patterns,
    go_commands,
    go_env,
    split_goproxy,
)
from gobuildgui.core.dockerfile.nodes import (
    Dockerfile,
    Instruction,
    KeyValue,
    MappedText,
    memo,
    unquote,
)
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.scope import PREDEFINED_PROXY_ARGS, stage_env, variables_at
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

# ---------------------------------------------------------------------------------
# Shared vocabulary

# The predefined proxy build arguments, lower case (BuildKit matches them in any case).
PROXY_KEYS = frozenset(k.lower() for k in PREDEFINED_PROXY_ARGS)
# Variables that make a request go through a proxy (NO_PROXY and FTP_PROXY do not matter
# for module downloads).
ROUTING_PROXY_KEYS = frozenset({"http_proxy", "https_proxy", "all_proxy"})
NO_PROXY_NAMES = ("NO_PROXY", "no_proxy")

# Public module proxies and checksum databases (not "internal" for NO_PROXY purposes).
PUBLIC_PROXY_HOSTS = frozenset(
    {
        "proxy.golang.org", "sum.golang.org", "goproxy.io", "proxy.golang.com.cn",
        "goproxy.cn", "sum.golang.google.cn", "mirrors.aliyun.com", "goproxy.baidu.com",
        "goproxy.bj.bcebos.com", "mirrors.tencent.com", "mirrors.cloud.tencent.com",
        "repo.huaweicloud.com", "mirrors.huaweicloud.com", "gocenter.io",
        "storage.googleapis.com",
    }
)  # fmt: skip
# Public code hosts: the second path element (an organisation) may be private.
PUBLIC_CODE_HOSTS = frozenset(
    {
        "github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org",
        "dev.azure.com", "ssh.dev.azure.com", "git.sr.ht", "sr.ht", "launchpad.net",
    }
)  # fmt: skip
# Public module hosts whose every path is public.
PUBLIC_MODULE_HOSTS = frozenset(
    {
        "golang.org", "google.golang.org", "gopkg.in", "go.googlesource.com",
        "cloud.google.com", "k8s.io", "sigs.k8s.io", "go.uber.org", "go.opentelemetry.io",
        "go.etcd.io", "honnef.co", "gotest.tools", "gorm.io", "go.mongodb.org",
        "go.opencensus.io", "gonum.org", "modernc.org", "mvdan.cc", "rsc.io",
        "golang.zx2c4.com", "go.starlark.net", "buf.build", "connectrpc.com", "dario.cat",
        "filippo.io", "go4.org", "cuelang.org", "helm.sh", "oras.land", "tailscale.com",
    }
)  # fmt: skip

_GLOB_CHARS = frozenset("*?[")


def is_public_host(host: str) -> bool:
    """Whether ``host`` is a well-known public proxy, code host or module host."""
    host = host.lower().rstrip(".")
    for known in (PUBLIC_PROXY_HOSTS, PUBLIC_CODE_HOSTS, PUBLIC_MODULE_HOSTS):
        if host in known or any(host.endswith("." + k) for k in known):
            return True
    return False


# ---------------------------------------------------------------------------------
# Credentials in URLs, and masking them for messages

_SCHEME_USERINFO_RE = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)"
    # ``$(command)`` is one unit; every other character is unambiguous (no backtracking
    # blow-up on ``$($($(...``).
    r"(?P<userinfo>(?:\$\([^()]*\)|\$(?!\()|[^\s/@\"'`()$])+)@"
)
_BARE_USERINFO_RE = re.compile(r"^(?P<userinfo>[^\s/@:\"']+:[^\s/@\"']*)@(?=[^\s/@]+)")
_VAR_ONLY_RE = re.compile(
    r"^(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+?][^{}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*"
    r"|\$\([^()]*\))+$"
)
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "glpat-", "gldt-")
# Passwords that services document as fixed fillers next to a token user name.
_PLACEHOLDER_PASSWORDS = frozenset({"", "x-oauth-basic"})
MASK = "****"


def is_var_ref(text: str) -> bool:
    """Whether ``text`` is only ``$VAR`` / ``${VAR}`` / ``$(command)`` references."""
    return bool(_VAR_ONLY_RE.match(text))


def looks_like_token(text: str) -> bool:
    """Whether a user name looks like an access token rather than a name."""
    if not text or is_var_ref(text):
        return False
    return text.startswith(_TOKEN_PREFIXES) or (len(text) >= 20 and " " not in text)


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class UserInfo:
    """The ``user[:password]@`` part of a URL inside some text (offsets into that text)."""

    scheme: str  # "https://", "ssh://"...; "" for a bare ``user:pass@host``
    start: int  # first character of the user name
    end: int  # the ``@``
    user: str
    password: str | None

    @property
    def _real_password(self) -> bool:
        return self.password is not None and self.password not in _PLACEHOLDER_PASSWORDS

    @property
    def secret(self) -> str:
        """The part that is a credential: the password, or a token used as user name."""
        return self.password if self._real_password and self.password is not None else self.user

    @property
    def secret_range(self) -> tuple[int, int]:
        """Offsets of :attr:`secret` inside the text."""
        if self._real_password and self.password is not None:
            return self.end - len(self.password), self.end
        return self.start, self.start + len(self.user)

    @property
    def has_credential(self) -> bool:
        """A password (written out or a variable), or a token used as the user name."""
        if self._real_password:
            return True
        user = self.user
        if not user or user == "git" or self.scheme.lower().startswith("ssh"):
            return False
        return is_var_ref(user) or looks_like_token(user)

    @property
    def literal(self) -> bool:
        """Whether the credential is written out rather than a ``$VAR`` reference."""
        return not is_var_ref(self.secret)


def find_userinfo(text: str, *, bare: bool = False) -> Iterator[UserInfo]:
    """Every ``scheme://user[:password]@`` in ``text``.

    With ``bare``, a whole value without a scheme (``user:pass@proxy:3128``, which curl
    accepts for proxies) counts too.
    """
    if "@" not in text:
        return  # both patterns need an ``@``: skip the regex scans (most texts)
    found = False
    for m in _SCHEME_USERINFO_RE.finditer(text):
        found = True
        user, colon, password = _split_userinfo(m.group("userinfo"))
        yield UserInfo(
            m.group("scheme"),
            m.start("userinfo"),
            m.end("userinfo"),
            user,
            password if colon else None,
        )
    if bare and not found:
        bm = _BARE_USERINFO_RE.match(text)
        if bm:
            user, _, password = _split_userinfo(bm.group("userinfo"))
            yield UserInfo("", bm.start("userinfo"), bm.end("userinfo"), user, password)


def _split_userinfo(ui: str) -> tuple[str, str, str]:
    # ``$(cat /run/secrets/x)`` may contain ':'; split on the first ':' outside $( ).
    depth = 0
    for i, ch in enumerate(ui):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == ":" and depth == 0:
            return ui[:i], ":", ui[i + 1 :]
    return ui, "", ""


def mask_credentials(text: str, *, bare: bool = False) -> str:
    """``text`` with every credential in a URL's user info replaced by ``****``.

    ``http://user:pass@proxy:3128`` becomes ``http://user:****@proxy:3128``. A user name
    alone is masked too (it is often a token: ``https://ghp_x@github.com``), except
    ``git`` and SSH users; ``$VAR`` references are kept, since they name a variable
    rather than reveal a value.
    """
    out: list[str] = []
    pos = 0
    for ui in find_userinfo(text, bare=bare):
        out.append(text[pos : ui.start])
        user, pw = ui.user, ui.password
        if pw is None:
            keep = not user or is_var_ref(user) or user == "git" or ui.scheme.startswith("ssh")
            out.append(user if keep else MASK)
        else:
            shown_user = MASK if looks_like_token(user) else user
            shown_pw = pw if not pw or is_var_ref(pw) else MASK
            out.append(f"{shown_user}:{shown_pw}")
        pos = ui.end
    out.append(text[pos:])
    return "".join(out)


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (for messages)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------
# Where variables are set

_RUN_ASSIGN_RE = re.compile(
    r"(?<![\w$./\-=:])(?P<key>[A-Za-z_][A-Za-z0-9_]*)="
    r"(?P<raw>(?:\"(?:[^\"\\]|\\.)*\"?|'[^']*'?|(?:[^\s;&|()<>`\"'\\]|\\.))*)"
)


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class Assignment:
    """One place a variable is given a value: ENV, ARG or ``NAME=value`` in a RUN script."""

    name: str
    raw: str | None  # as written, quotes kept; None for a bare ``ARG NAME``
    value: str | None  # quotes removed, not expanded
    origin: str  # "ENV", "ARG" or "RUN"
    instruction: Instruction
    span: Span  # NAME=value
    key_span: Span
    value_span: Span | None
    key_value: KeyValue | None = None  # for ENV and ARG


def script_texts(ins: Instruction) -> Iterator[MappedText]:
    """The shell text a RUN runs (command line and heredoc bodies); other args otherwise."""
    if ins.keyword == "RUN":
        yield from ins.scripts()
    else:
        yield ins.args_text


def instruction_text(ins: Instruction) -> str:
    """Flags, arguments and heredoc bodies of ``ins`` as one string (for searches)."""
    cached: str | None = ins.__dict__.get("proxies.instruction_text")  # memo(), inlined
    if cached is not None:
        return cached
    return memo(ins, "proxies.instruction_text", lambda: _instruction_text(ins))


def _instruction_text(ins: Instruction) -> str:
    parts = [f.raw for f in ins.flags]
    parts.append(ins.args)
    parts.extend(h.body for h in ins.heredocs)
    return "\n".join(parts)


def assignments(doc: Dockerfile, wanted: Callable[[str], bool]) -> Iterator[Assignment]:
    """Every place a variable whose name satisfies ``wanted`` is set, in file order.

    ENV and ARG pairs (top-level instructions, not ONBUILD triggers) and ``NAME=value``
    words in RUN scripts (``export``, ``go env -w``, inline before a command).
    """
    # Many rules ask for a few names each: scan every assignment once per parse.
    for a in memo(doc, "proxies.assignments", lambda: tuple(_all_assignments(doc))):
        if wanted(a.name):
            yield a


def _all_assignments(doc: Dockerfile) -> Iterator[Assignment]:
    for ins in doc.instructions:
        if ins.keyword in ("ENV", "ARG"):
            for kv in ins.key_values:
                if kv.key:
                    yield Assignment(
                        kv.key, kv.raw_value, kv.value, ins.keyword, ins, kv.span,
                        kv.key_span, kv.value_span, kv,
                    )  # fmt: skip
        elif ins.keyword == "RUN":
            for script in ins.scripts():
                yield from _run_assignments(ins, script, _any_name)


def _any_name(name: str) -> bool:
    return True


def _run_assignments(
    ins: Instruction, script: MappedText, wanted: Callable[[str], bool]
) -> Iterator[Assignment]:
    text = script.text
    if "=" not in text:
        return
    separators: list[int] | None = None
    for m in _RUN_ASSIGN_RE.finditer(text):
        key = m.group("key")
        if not wanted(key):
            continue
        if separators is None:
            separators = _command_separators(text)
        if not _assigns(text, m.start(), separators):
            continue
        raw = m.group("raw")
        yield Assignment(
            name=key,
            raw=raw,
            value=unquote(raw, ins.escape),
            origin="RUN",
            instruction=ins,
            span=script.span(m.start(), m.end()),
            key_span=script.span(m.start("key"), m.end("key")),
            value_span=script.span(m.start("raw"), m.end("raw")),
        )


_WORD_ASSIGN = r"""[A-Za-z_][A-Za-z0-9_]*=(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s;&|()<>])*"""
# What may stand between the start of a simple command and an assignment word:
# keywords, other assignments, `export`/`env`-like builtins, or `go env -w`.
_ASSIGN_PREFIX_RE = re.compile(
    r"\s*(?:(?:then|do|else|!|time)\s+)*"
    rf"(?:(?:export|readonly|declare|typeset|local|env)(?:\s+-[A-Za-z]+)*\s+|{_WORD_ASSIGN}\s+"
    r"|go\s+env\s+-w\s+|\\\r?\n\s*)*"
)


def _assigns(text: str, start: int, separators: list[int]) -> bool:
    """Whether the ``NAME=value`` word at ``start`` sets a variable, rather than being an
    argument (``echo GOSUMDB=off``, ``grep GOPROXY= file``): only words at the start of a
    simple command, after other assignments, after ``export``/``env`` or ``go env -w``."""
    k = bisect.bisect_left(separators, start)
    sep = separators[k - 1] if k else -1
    return _ASSIGN_PREFIX_RE.fullmatch(text, sep + 1, start) is not None


# Everything up to and including the next command separator outside quotes: plain
# runs, an escape with the character it keeps, '...' and "..." (unterminated: to the
# end).  The alternatives start with different characters and repeat possessively, so
# a text without a further separator fails in one linear pass.
_UP_TO_SEPARATOR_RE = re.compile(
    r"""(?:[^\\'";&|(){}\n]++|\\[\s\S]?|'[^']*+'?|"(?:[^"\\]++|\\[\s\S]?)*+"?)*+[;&|(){}\n]"""
)


def _command_separators(text: str) -> list[int]:
    """Offsets of the shell's command separators (``;&|(){}`` and newlines) outside
    quotes; an escaped newline continues the command."""
    out: list[int] = []
    match = _UP_TO_SEPARATOR_RE.match
    pos = 0
    while (m := match(text, pos)) is not None:
        pos = m.end()
        out.append(pos - 1)
    return out


def sub_span(doc: Dockerfile, span: Span, needle: str, nth_from: int = 0) -> Span:
    """The span of ``needle`` inside ``span`` (searching from ``nth_from``); ``span`` if absent."""
    if not needle:
        return span
    source = doc.text[span.start : span.end]
    i = source.find(needle, max(nth_from, 0))
    if i < 0:
        i = source.find(needle)
    if i < 0:
        return span
    return doc.span(span.start + i, span.start + i + len(needle))


def instructions_before(doc: Dockerfile, ins: Instruction) -> list[Instruction]:
    """Instructions of the stage chain that run before ``ins`` (parents' in full)."""
    stage = doc.stage_of(ins)
    if stage is None:
        return []
    out: list[Instruction] = []
    for st in stage.chain():
        for earlier in st.instructions:
            if earlier is ins:
                return out
            out.append(earlier)
    return out


class EnvCache:
    """``go_env`` at each go command, computed once per distinct set of settings.

    Two commands of a stage see the same environment when no ENV/ARG setting one of
    ``names`` (and no ``go env -w``) lies between them and they have the same inline
    assignments; rules that look at every command then stay linear on long files.
    """

    def __init__(self, doc: Dockerfile, wanted: Callable[[str], bool]) -> None:
        self.doc = doc
        self._cache: dict[tuple[object, ...], dict[str, GoSetting]] = {}
        self._mark: dict[int, int] = {}
        final: dict[int, int] = {}
        for stage in doc.stages:
            last = final.get(stage.parent.index, -1) if stage.parent is not None else -1
            for ins in stage.instructions:
                self._mark[id(ins)] = last
                if ins.keyword in ("ENV", "ARG"):
                    if any(wanted(kv.key) for kv in ins.key_values):
                        last = ins.index
                elif ins.keyword == "RUN" and "env" in instruction_text(ins):
                    last = ins.index
            final[stage.index] = last

    def key(self, cmd: GoCommand) -> tuple[object, ...]:
        """What the environment at ``cmd`` depends on."""
        ins = cmd.instruction
        mark = self._mark.get(id(ins), -2)
        if mark == -2 or cmd.inline_env or "env" in instruction_text(ins):
            # unknown, or settings inside this RUN: do not share
            return (ins.stage_index, ins.index, cmd.start, id(cmd.script))
        return (ins.stage_index, mark)

    def get(self, cmd: GoCommand) -> dict[str, GoSetting]:
        """``go_env`` for ``cmd`` (shared with earlier commands of the same key)."""
        key = self.key(cmd)
        env = self._cache.get(key)
        if env is None:
            env = go_env(self.doc, cmd.instruction, cmd)
            self._cache[key] = env
        return env


# ---------------------------------------------------------------------------------
# Edits


def newline_of(doc: Dockerfile, line: int = 1) -> str:
    """The line ending used at ``line`` (or the file's first one)."""
    end = doc.index.line_end(line)
    if doc.text[end : end + 2] == "\r\n":
        return "\r\n"
    if doc.text[end : end + 1] == "\n":
        return "\n"
    return "\r\n" if "\r\n" in doc.text else "\n"


def line_indent(doc: Dockerfile, line: int) -> str:
    """The blanks at the start of ``line``."""
    start = doc.index.line_start(line)
    text = doc.text[start : doc.index.line_end(line)]
    return text[: len(text) - len(text.lstrip(" \t"))]


def insert_before(doc: Dockerfile, ins: Instruction, lines: Iterable[str]) -> Edit:
    """Insert ``lines`` as new lines above ``ins`` (and above its comment block).

    Comments directly above an instruction (pragmas among them) belong to it, so the
    new lines go above them.
    """
    comment_lines = {c.span.line for c in doc.comments}
    line = ins.line
    while line - 1 in comment_lines:
        line -= 1
    nl = newline_of(doc, ins.line)
    indent = line_indent(doc, ins.line)
    text = "".join(indent + ln + nl for ln in lines)
    return Edit(doc.index.line_start(line), doc.index.line_start(line), text)


def insert_after(doc: Dockerfile, ins: Instruction, lines: Iterable[str]) -> Edit:
    """Insert ``lines`` as new lines below ``ins`` (after its last line)."""
    nl = newline_of(doc, ins.line)
    indent = line_indent(doc, ins.line)
    end = doc.index.line_end(ins.end_line)
    after = doc.text[end:]
    body = "".join(indent + ln + nl for ln in lines)
    if after.startswith("\r\n"):
        return Edit(end + 2, end + 2, body)
    if after.startswith("\n"):
        return Edit(end + 1, end + 1, body)
    return Edit(end, end, nl + body[: -len(nl)])


def delete_instruction(doc: Dockerfile, ins: Instruction) -> Edit:
    """Remove ``ins`` with its line ending (continuation lines and heredocs included)."""
    start = doc.index.line_start(ins.line)
    end = doc.index.line_end(ins.end_line)
    if doc.text[end : end + 2] == "\r\n":
        end += 2
    elif doc.text[end : end + 1] == "\n":
        end += 1
    elif start > 0:
        # Last line without a line ending: take the previous line ending instead.
        start -= 2 if doc.text[start - 2 : start] == "\r\n" else 1
    return Edit(start, end, "")


def remove_pair(doc: Dockerfile, ins: Instruction, kv: KeyValue, *, whole: bool = False) -> Edit:
    """Remove ``kv`` from its ENV/ARG; the whole instruction if it is the only pair or ``whole``."""
    pairs = ins.key_values
    if whole or len(pairs) <= 1 or kv.legacy:
        return delete_instruction(doc, ins)
    idx = next((i for i, p in enumerate(pairs) if p is kv), -1)
    if idx < 0:
        return delete_instruction(doc, ins)
    if idx + 1 < len(pairs):
        return Edit(kv.span.start, pairs[idx + 1].span.start, "")
    return Edit(pairs[idx - 1].span.end, kv.span.end, "")


# ---------------------------------------------------------------------------------
# Proxies in force


def names_are(settings: Iterable[GoSetting]) -> str:
    """``HTTPS_PROXY is`` / ``HTTPS_PROXY and HTTP_PROXY are`` (for messages)."""
    names = sorted({s.name for s in settings})
    if len(names) == 1:
        return f"{names[0]} is"
    return f"{', '.join(names[:-1])} and {names[-1]} are"


def proxy_settings(env: dict[str, GoSetting]) -> list[GoSetting]:
    """HTTP(S)_PROXY / ALL_PROXY settings that route requests (set, or a build argument)."""
    return [
        s
        for name, s in env.items()
        if name.lower() in ROUTING_PROXY_KEYS and s.origin != "default" and s.value != ""
    ]


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _ProxyValue:
    quoted: str  # for messages: 'value' (expands to 'value'), credentials masked
    plain: str | None  # the masked value when it has no variable in it
    credentials: bool


def _proxy_value(doc: Dockerfile, ins: Instruction, kv: KeyValue) -> _ProxyValue:
    """How to show a proxy pair's value in a message, and whether it holds a credential."""
    value = kv.value or ""
    raw = kv.raw_value or ""
    env = {k: v.value for k, v in variables_at(doc, ins).items()}
    expanded = expand_word(raw, env, doc.escape, keep=True) if raw else ""
    creds = any(ui.has_credential for ui in find_userinfo(value, bare=True)) or any(
        ui.has_credential and ui.literal for ui in find_userinfo(expanded, bare=True)
    )
    quoted = f"'{shorten(mask_credentials(value, bare=True), 100)}'"
    final = expanded or value
    if expanded and expanded != value:
        quoted += f" (expands to '{shorten(mask_credentials(expanded, bare=True), 100)}')"
    plain = mask_credentials(final, bare=True) if "$" not in final else None
    return _ProxyValue(quoted, plain, creds)


def _pass_note(key: str, value: _ProxyValue) -> str:
    shown = value.plain if value.plain and " " not in value.plain else "http://proxy:3128"
    return (
        f"Pass it at build time instead: docker build --build-arg {key}={shown} . "
        "(or once for every build, in ~/.docker/config.json under proxies.default)."
    )


def _referenced_outside_run(doc: Dockerfile, ins: Instruction, name: str) -> bool:
    """Whether ``$name`` is expanded by a later non-RUN instruction (which needs the ARG)."""
    pat = re.compile(r"\$\{?" + re.escape(name) + r"\b")
    after = False
    stage = doc.stage_of(ins)
    for other in doc.instructions:
        if other is ins:
            after = True
            continue
        if not after or other.keyword == "RUN":
            continue
        if stage is not None and other.stage_index != stage.index:
            continue
        if pat.search(other.args):
            return True
    return False


# ---------------------------------------------------------------------------------
# GB120 / GB126


@rule(
    code="GB120",
    name="proxy-set-with-env",
    severity=Severity.WARNING,
    summary="a proxy variable is baked into the image with ENV",
    category="proxy",
    fix=Applicability.UNSAFE,
)
def proxy_set_with_env(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`, `ALL_PROXY`, `FTP_PROXY` (and their
    lower-case forms) set with `ENV`. A value that carries a password is reported by
    GB126 instead.

    ## Why is this bad?
    `ENV` writes the proxy into the image config: every later step, every stage built
    `FROM` this one and every container started from the image use it, including on
    machines where that proxy does not exist. The proxy variables are predefined build
    arguments: `RUN` steps receive them without any `ARG` or `ENV` line, and their values
    are kept out of `docker history`, so passing them at build time is enough.

    ## Example
    ```dockerfile
    FROM golang:1.24
    ENV HTTPS_PROXY=http://proxy.corp.example:3128
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24
    RUN go mod download
    ```
    and build with `docker build --build-arg HTTPS_PROXY=http://proxy.corp.example:3128 .`
    (or set `proxies` in `~/.docker/config.json`).

    ## Fix safety
    The fix removes the pair from the `ENV` (the whole instruction when it sets nothing
    else). It is unsafe: the build needs the value passed with `--build-arg` from then on,
    and containers run from the image no longer get the proxy.

    ## References
    - https://docs.docker.com/reference/dockerfile/#predefined-args
    - https://docs.docker.com/engine/cli/proxy/
    """
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.keyword != "ENV":
            continue
        proxies = [kv for kv in ins.key_values if kv.key.lower() in PROXY_KEYS and kv.value]
        if not proxies:
            continue
        whole = len(proxies) == len(ins.key_values)
        for kv in proxies:
            shown = _proxy_value(doc, ins, kv)
            if shown.credentials:
                continue  # GB126
            msg = (
                f"{kv.key} is set with ENV to {shown.quoted}: it is baked into the image "
                "config, so later stages built FROM this one and every container run from "
                f"the image inherit it. {kv.key} is a predefined build argument: "
                "RUN steps get it without ARG or ENV and its value stays out of "
                f"`docker history`. Remove it and pass `--build-arg {kv.key}=...` at build "
                "time (or set proxies in ~/.docker/config.json)."
            )
            title = (
                "Remove the ENV instruction (it only sets proxies)"
                if whole
                else f"Remove {kv.key} from the ENV"
            )
            yield Finding(
                span=kv.span,
                message=msg,
                fix=Fix(title, (remove_pair(doc, ins, kv, whole=whole),), Applicability.UNSAFE),
                notes=(_pass_note(kv.key, shown),),
            )


@rule(
    code="GB126",
    name="proxy-credentials-in-dockerfile",
    severity=Severity.ERROR,
    summary="a proxy URL with a password is written into the Dockerfile",
    category="proxy",
    fix=Applicability.UNSAFE,
)
def proxy_credentials(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags a proxy variable (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, any
    case) set with `ENV` or as an `ARG` default whose URL carries credentials
    (`http://user:password@proxy:3128`), written out or through a variable.

    This is GB120's error case: a finding cannot change its rule's severity, so the
    credential case has its own code.

    ## Why is this bad?
    `ENV` values are stored in clear text in the image config (`docker inspect`), and
    `ARG` defaults end up in the build history of every step that uses them. Anyone who
    can pull the image, or read the Dockerfile, gets the proxy password. The proxy
    variables are predefined build arguments: passed with `--build-arg`, they reach `RUN`
    steps without any `ARG` line and stay out of `docker history`.

    ## Example
    ```dockerfile
    ENV HTTPS_PROXY=http://jdoe:s3cret@proxy.corp.example:3128
    ```

    Use instead: no instruction at all, and
    `docker build --build-arg HTTPS_PROXY=http://jdoe:s3cret@proxy.corp.example:3128 .`

    ## Fix safety
    The fix removes the pair (the whole instruction if it sets nothing else). For an
    `ARG` that a later non-`RUN` instruction expands, it removes only the default. It is
    unsafe: the value must then be passed with `--build-arg`.

    ## References
    - https://docs.docker.com/reference/dockerfile/#predefined-args
    - https://docs.docker.com/build/building/secrets/
    """
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.keyword not in ("ENV", "ARG"):
            continue
        flagged: list[tuple[KeyValue, _ProxyValue]] = []
        for kv in ins.key_values:
            if kv.key.lower() not in PROXY_KEYS or not kv.value:
                continue
            shown = _proxy_value(doc, ins, kv)
            if shown.credentials:
                flagged.append((kv, shown))
        removable = (
            flagged
            if ins.keyword == "ARG"
            else [kv for kv in ins.key_values if kv.key.lower() in PROXY_KEYS and kv.value]
        )
        whole = len(removable) == len(ins.key_values)
        for kv, shown in flagged:
            where = (
                "ENV stores it in clear text in the image config (`docker inspect`, "
                "`docker history`) of this stage and every stage built FROM it"
                if ins.keyword == "ENV"
                else "an ARG default is recorded in the build history of every step that "
                "uses it, and it is written in the Dockerfile itself"
            )
            msg = (
                f"{kv.key} {shown.quoted} carries a proxy password: {where}. The proxy variables "
                "are predefined build arguments that need no ARG or ENV and are kept out of "
                f"`docker history`: remove this and pass `--build-arg {kv.key}=...` (or set "
                "proxies in ~/.docker/config.json)."
            )
            if ins.keyword == "ARG" and _referenced_outside_run(doc, ins, kv.key):
                edit = Edit(kv.key_span.end, kv.span.end, "")
                title = f"Remove the default value of ARG {kv.key}"
            else:
                edit = remove_pair(doc, ins, kv, whole=whole)
                title = (
                    f"Remove the {ins.keyword} instruction"
                    if whole or len(ins.key_values) <= 1
                    else f"Remove {kv.key} from the {ins.keyword}"
                )
            yield Finding(
                span=kv.span,
                message=msg,
                fix=Fix(title, (edit,), Applicability.UNSAFE),
                notes=(_pass_note(kv.key, shown),),
            )


# ---------------------------------------------------------------------------------
# GB121


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _InternalHost:
    host: str  # a host name, IP, or ``.domain`` suffix (from ``*.domain`` globs)
    source: str  # "GOPROXY", "GOPRIVATE" or "GONOPROXY"
    setting: GoSetting


def _goproxy_host(entry: str) -> str | None:
    entry = entry.strip()
    if not entry or entry in ("direct", "off") or entry.lower().startswith("file:"):
        return None
    if "://" not in entry:
        entry = "https://" + entry
    try:
        host = urlsplit(entry).hostname
    except ValueError:
        return None
    return host or None


def _glob_host(pattern: str) -> str | None:
    """The host a GOPRIVATE/GONOPROXY glob names (``*.corp.example/*`` -> ``.corp.example``)."""
    first = pattern.split("/", 1)[0].strip().lower()
    suffix = False
    if first.startswith("*."):
        first, suffix = first[2:], True
    if not first or "." not in first or any(c in _GLOB_CHARS for c in first):
        return None
    if not re.fullmatch(r"[a-z0-9.-]+(?::\d+)?", first):
        return None
    first = first.split(":", 1)[0]
    return "." + first if suffix else first


def _is_internal(host: str) -> bool:
    bare = host.lstrip(".")
    try:
        ipaddress.ip_address(bare)
        return True
    except ValueError:
        pass
    return not is_public_host(bare)


def internal_hosts(env: dict[str, GoSetting]) -> list[_InternalHost]:
    """Hosts of private module proxies and private module paths in ``env``."""
    out: list[_InternalHost] = []
    seen: set[str] = set()
    goproxy = env.get("GOPROXY")
    if goproxy is not None and goproxy.value:
        for entry, _sep in split_goproxy(goproxy.value):
            host = _goproxy_host(entry)
            if host and _is_internal(host) and host not in seen:
                seen.add(host)
                out.append(_InternalHost(host, "GOPROXY", goproxy))
    for name in ("GONOPROXY", "GOPRIVATE"):
        setting = env.get(name)
        if setting is None or not setting.value or setting.value.strip() == "none":
            continue
        for pattern in glob_patterns(setting.value):
            host = _glob_host(pattern)
            if host and _is_internal(host) and host not in seen:
                seen.add(host)
                out.append(_InternalHost(host, name, setting))
    return out


def no_proxy_covers(entries: list[str], host: str) -> bool:
    """Whether a NO_PROXY list exempts ``host`` (``.domain`` means the domain and below)."""
    target = host.lower().lstrip(".")
    try:
        ip = ipaddress.ip_address(target)
    except ValueError:
        ip = None
    for raw in entries:
        e = raw.strip().lower()
        if not e:
            continue
        if e == "*":
            return True
        if ip is not None and "/" in e:
            try:
                if ip in ipaddress.ip_network(e, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if e.count(":") == 1:
            e = e.split(":", 1)[0]
        e = e.removeprefix("*").lstrip(".")
        if e and (target == e or target.endswith("." + e)):
            return True
    return False


_GB121_HINT_RE = re.compile(r"GOPROXY|GOPRIVATE|GONOPROXY")


def _gb121_var(name: str) -> bool:
    return name.lower() in PROXY_KEYS or name in ("GOPROXY", "GOPRIVATE", "GONOPROXY")


@rule(
    code="GB121",
    name="no-proxy-misses-internal-hosts",
    severity=Severity.INFO,
    summary="a proxy is set but NO_PROXY does not exempt the internal module hosts",
    category="proxy",
    fix=Applicability.UNSAFE,
)
def no_proxy_misses_internal(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    At each Go step that downloads modules while `HTTP_PROXY`, `HTTPS_PROXY` or
    `ALL_PROXY` is declared, collects the internal hosts Go will contact: the hosts of
    `GOPROXY` entries other than public proxies (proxy.golang.org, goproxy.io,
    goproxy.cn...) and the host names that `GOPRIVATE`/`GONOPROXY` patterns start with
    (public code hosts such as github.com excepted). It reports the ones that `NO_PROXY`
    (or `no_proxy`) does not exempt.

    ## Why is this bad?
    Go, git and curl send every request for a host not listed in `NO_PROXY` through the
    proxy. A corporate proxy usually cannot reach, or refuses, internal hosts such as an
    Athens server or a self-hosted GitLab, so the download fails with a proxy error
    (`Proxy Authentication Required`, `Forbidden`, a timeout) even though the host is
    reachable directly.

    ## Example
    ```dockerfile
    ARG HTTPS_PROXY
    ENV NO_PROXY=localhost
    ENV GOPROXY=https://athens.corp.example,direct
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    ARG HTTPS_PROXY
    ENV NO_PROXY=localhost,athens.corp.example
    ENV GOPROXY=https://athens.corp.example,direct
    RUN go mod download
    ```
    When `NO_PROXY` is not in the Dockerfile, pass it with
    `--build-arg NO_PROXY=athens.corp.example`.

    ## Fix safety
    When `NO_PROXY` is set in the Dockerfile, the fix appends the missing hosts to it.
    It is unsafe: those hosts are then contacted directly, which only works if the build
    network can reach them without the proxy.

    ## References
    - https://pkg.go.dev/golang.org/x/net/http/httpproxy#FromEnvironment
    - https://go.dev/ref/mod#private-modules
    """
    doc = ctx.doc
    if not _GB121_HINT_RE.search(doc.text):
        return
    seen: set[tuple[object, ...]] = set()
    done: set[tuple[object, ...]] = set()
    cache = EnvCache(doc, _gb121_var)
    for cmd in fetching_commands(doc):
        env_key = cache.key(cmd)
        if env_key in done:
            continue  # same settings as a command already checked
        done.add(env_key)
        env = cache.get(cmd)
        proxies = proxy_settings(env)
        if not proxies:
            continue
        hosts = internal_hosts(env)
        if not hosts:
            continue
        no_proxy = [(n, env[n]) for n in NO_PROXY_NAMES if n in env and env[n].value != ""]
        if any(s.value is None or "$" in (s.value or "") for _n, s in no_proxy):
            continue  # given at build time: unknown
        missing_by: list[tuple[str, GoSetting, list[_InternalHost]]] = []
        for name, setting in no_proxy:
            entries = (setting.value or "").split(",")
            miss = [h for h in hosts if not no_proxy_covers(entries, h.host)]
            if miss:
                missing_by.append((name, setting, miss))
        names = names_are(proxies)
        if not no_proxy:
            first = hosts[0]
            key: tuple[object, ...] = (
                first.setting.span.start if first.setting.span else cmd.span.start,
                tuple(h.host for h in hosts),
            )
            if key not in seen:
                seen.add(key)
                yield _no_proxy_unset(doc, cmd, names, hosts)
        elif missing_by:
            key = tuple((s.span.start if s.span else -1, tuple(m)) for _n, s, m in missing_by)
            if key not in seen:
                seen.add(key)
                yield _no_proxy_incomplete(doc, cmd, names, missing_by)


def _no_proxy_unset(
    doc: Dockerfile, cmd: GoCommand, names: str, hosts: list[_InternalHost]
) -> Finding:
    first = hosts[0]
    span = sub_span(doc, first.setting.span or cmd.span, first.host.lstrip("."))
    listed = ", ".join(f"{h.host} (from {h.source})" for h in hosts)
    return Finding(
        span=span,
        message=(
            f"{names} set but NO_PROXY is not, so requests to the internal module hosts "
            f"{listed} go through the proxy, which usually cannot reach them. Unless you "
            "already pass NO_PROXY at build time, add "
            f"`--build-arg NO_PROXY={','.join(h.host for h in hosts)}`."
        ),
    )


def _no_proxy_incomplete(
    doc: Dockerfile,
    cmd: GoCommand,
    names: str,
    missing_by: list[tuple[str, GoSetting, list[_InternalHost]]],
) -> Finding:
    name, setting, miss = missing_by[0]
    listed = ", ".join(f"{h.host} (from {h.source})" for h in miss)
    message = (
        f"{names} set but {name} '{shorten(setting.value or '', 60)}' does not exempt the "
        f"internal module hosts {listed}: go and git send those requests through the proxy, "
        f"which usually cannot reach them. Add them to {name}."
    )
    edits: list[Edit] = []
    for _n, s, m in missing_by:
        if s.origin not in ("ENV", "ARG") or s.span is None:
            return Finding(span=setting.span or cmd.span, message=message)
        value = s.value or ""
        sep = "" if not value or value.endswith(",") else ","
        edits.append(Edit(s.span.end, s.span.end, sep + ",".join(h.host for h in m)))
    if len({e.start for e in edits}) != len(edits):
        return Finding(span=setting.span or cmd.span, message=message)
    hosts = sorted({h.host for _n, _s, m in missing_by for h in m})
    title = f"Add {', '.join(hosts)} to {' and '.join(n for n, _s, _m in missing_by)}"
    return Finding(
        span=setting.span or cmd.span,
        message=message,
        fix=Fix(title, tuple(edits), Applicability.UNSAFE),
    )


# ---------------------------------------------------------------------------------
# GB122


def _from_proxy_build_arg(raw: str | None) -> bool:
    """``$HTTP_PROXY`` / ``${https_proxy}``: the value comes from a proxy build argument."""
    m = re.fullmatch(r"[\"']?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?[\"']?", (raw or "").strip())
    return m is not None and m.group(1).lower() in PROXY_KEYS


@rule(
    code="GB122",
    name="uppercase-proxy-only",
    severity=Severity.INFO,
    summary="only the upper-case HTTP_PROXY/HTTPS_PROXY is set",
    category="proxy",
    fix=Applicability.UNSAFE,
)
def uppercase_proxy_only(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `ENV HTTP_PROXY=...`, `ENV HTTPS_PROXY=...` or an `ARG` with a default value for
    them, when the stage sets no lower-case `http_proxy` / `https_proxy`.

    A bare `ARG HTTP_PROXY` is not flagged: BuildKit gives `RUN` steps both spellings of
    every proxy passed with `--build-arg`, whatever its case. Only values that come from
    the Dockerfile itself (ENV, ARG defaults) reach the steps in one spelling.

    ## Why is this bad?
    Go reads both spellings, but curl, and git over `http://` (it uses libcurl), ignore
    an upper-case `HTTP_PROXY` (a protection against the "httpoxy" CGI attack), and GNU
    wget reads only lower-case variables. Those tools then try to connect directly,
    typically failing with a timeout that looks unrelated to the proxy.

    ## Example
    ```dockerfile
    ARG HTTP_PROXY=http://proxy.corp.example:3128
    ```

    Use instead:
    ```dockerfile
    ARG HTTP_PROXY=http://proxy.corp.example:3128
    ARG http_proxy=${HTTP_PROXY}
    ```
    or better, no default at all and `--build-arg HTTP_PROXY=...` at build time.

    ## Fix safety
    The fix adds `ARG http_proxy=${HTTP_PROXY}` (or `ENV ...` for an ENV) below the
    instruction. It is unsafe: curl, git and wget start using the proxy, which changes
    which hosts they reach and how.

    ## References
    - https://everything.curl.dev/usingcurl/proxies/env.html
    - https://docs.docker.com/reference/dockerfile/#predefined-args
    """
    doc = ctx.doc
    for stage in doc.stages:
        final_scope = stage_env(doc, stage)
        for ins in stage.instructions:
            if ins.keyword not in ("ENV", "ARG"):
                continue
            for kv in ins.key_values:
                if kv.key not in ("HTTP_PROXY", "HTTPS_PROXY") or not kv.value:
                    continue
                if ins.keyword == "ENV" and _from_proxy_build_arg(kv.raw_value):
                    continue
                lower = kv.key.lower()
                if lower in final_scope or any(
                    p.key == lower for i in stage.instructions for p in i.key_values
                ):
                    continue
                if kv.key == "HTTP_PROXY":
                    why = (
                        "curl, and git over http:// (it uses libcurl), ignore an upper-case "
                        "HTTP_PROXY and connect directly"
                    )
                else:
                    why = "wget and other tools that read only lower-case variables ignore it"
                how = (
                    f"{ins.keyword} {kv.key}"
                    if ins.keyword == "ENV"
                    else f"the default of ARG {kv.key}"
                )
                msg = (
                    f"Only the upper-case {kv.key} is set here ({how}), and no {lower}: Go "
                    f"reads both spellings, but {why}. Set {lower} as well."
                )
                line = f"{ins.keyword} {lower}=${{{kv.key}}}"
                fix = Fix(
                    f"Add `{line}` below", (insert_after(doc, ins, [line]),), Applicability.UNSAFE
                )
                yield Finding(span=kv.key_span, message=msg, fix=fix)


# ---------------------------------------------------------------------------------
# GB123

_CA_DIR_RE = re.compile(
    r"/usr/local/share/ca-certificates|/usr/share/ca-certificates|/etc/ssl/certs"
    r"|/etc/pki/ca-trust|/etc/pki/tls/certs|/etc/ca-certificates"
)
_CA_RUN_RE = re.compile(
    r"update-ca-certificates|update-ca-trust|\btrust\s+anchor\b|SSL_CERT_FILE|SSL_CERT_DIR"
    r"|GIT_SSL_CAINFO|GIT_SSL_CAPATH"
)
_CERT_FILE_RE = re.compile(r"\.(?:crt|cer|pem)[\"']?$", re.IGNORECASE)
_CA_VARS = frozenset(
    {"SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "CURL_CA_BUNDLE"}
)


def _installs_ca(ins: Instruction) -> bool:
    if ins.keyword in ("COPY", "ADD"):
        words = [w.value for w in ins.words]
        if ins.json_args is not None:
            words = list(ins.json_args)
        return any(_CA_DIR_RE.search(w) or _CERT_FILE_RE.search(w) for w in words)
    if ins.keyword == "RUN":
        for m in ins.mounts:
            target = m.target or ""
            if m.type in ("secret", "bind") and (
                _CA_DIR_RE.search(target) or _CERT_FILE_RE.search(target)
            ):
                return True
        text = instruction_text(ins)
        return bool(_CA_RUN_RE.search(text) or _CA_DIR_RE.search(text))
    if ins.keyword in ("ENV", "ARG"):
        return any(kv.key in _CA_VARS for kv in ins.key_values)
    return False


@rule(
    code="GB123",
    name="proxy-without-ca",
    severity=Severity.INFO,
    summary="a proxy is configured but no corporate CA is installed before the download",
    category="proxy",
    fix=Applicability.DISPLAY_ONLY,
)
def proxy_without_ca(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Reports the first Go step of a stage that downloads modules while `HTTP_PROXY`,
    `HTTPS_PROXY` or `ALL_PROXY` is declared, when nothing before it installs a
    certificate authority: no `COPY`/`ADD` of a `.crt`/`.pem` file or into a CA folder
    (`/usr/local/share/ca-certificates`, `/etc/ssl/certs`, `/etc/pki/ca-trust`...), no
    `update-ca-certificates` / `update-ca-trust`, no secret or bind mount of a CA, and no
    `SSL_CERT_FILE` / `SSL_CERT_DIR`.

    ## Why is this bad?
    Corporate proxies often inspect TLS and re-sign every certificate with the company's
    own root CA. Laptops trust that CA; a fresh `golang` image does not, so go and git
    fail with `x509: certificate signed by unknown authority`. If your base image already
    trusts the proxy's CA, or the proxy does not inspect TLS, ignore this.

    ## Example
    ```dockerfile
    FROM golang:1.24
    ARG HTTPS_PROXY
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24
    ARG HTTPS_PROXY
    COPY corp-root-ca.crt /usr/local/share/ca-certificates/
    RUN update-ca-certificates
    RUN go mod download
    ```

    ## Fix safety
    The suggested lines are shown, not applied: the certificate file name is a
    placeholder for your proxy's root CA, exported from your system's trust store.

    ## References
    - https://go.dev/src/crypto/x509/root_unix.go (SSL_CERT_FILE, SSL_CERT_DIR)
    - https://docs.docker.com/engine/network/ca-certs/
    """
    doc = ctx.doc
    reported: set[int] = set()
    done: set[tuple[object, ...]] = set()
    cache = EnvCache(doc, lambda n: n.lower() in PROXY_KEYS or n in _CA_VARS)
    for cmd in fetching_commands(doc):
        ins = cmd.instruction
        stage = doc.stage_of(ins)
        if stage is None or stage.index in reported:
            continue
        key = cache.key(cmd)
        if key in done:
            continue
        done.add(key)
        env = cache.get(cmd)
        proxies = proxy_settings(env)
        if not proxies:
            continue
        if any(k in _CA_VARS for k in env) or any(k in _CA_VARS for k in cmd.inline_env):
            continue
        if _installs_ca(ins) or any(_installs_ca(i) for i in instructions_before(doc, ins)):
            continue
        chain = stage.chain()
        if any(st.index in reported for st in chain):
            continue
        reported.add(stage.index)
        msg = (
            f"{names_are(proxies)} set, but no CA certificate is installed before this "
            "download: if the proxy inspects TLS, go and git fail with 'x509: certificate "
            "signed by unknown authority'. Copy the proxy's root CA in first (COPY "
            "corp-root-ca.crt /usr/local/share/ca-certificates/ then RUN "
            "update-ca-certificates), or mount it as a secret and set SSL_CERT_FILE."
        )
        fix = Fix(
            "Install the corporate root CA before this step (replace the file name)",
            (
                insert_before(
                    doc,
                    ins,
                    [
                        "COPY corp-root-ca.crt /usr/local/share/ca-certificates/",
                        "RUN update-ca-certificates",
                    ],
                ),
            ),
            Applicability.DISPLAY_ONLY,
        )
        yield Finding(span=cmd.span, message=msg, fix=fix)


# ---------------------------------------------------------------------------------
# GB124

_SSLVERIFY_RE = re.compile(
    r"\bhttp\.(?:[^\s=]*?\.)?sslverify[\"']?(?:\s+|\s*=\s*)[\"']?(?:false|no|off|0)\b",
    re.IGNORECASE,
)
_HOSTKEY_RE = re.compile(
    r"StrictHostKeyChecking[\"']?(?:\s*=\s*|\s+)[\"']?(?P<v>no|off|accept-new|false)\b"
    r"|UserKnownHostsFile(?:\s*=\s*|\s+)[\"']?/dev/null",
    re.IGNORECASE,
)
_GIT_CONTEXT_RE = re.compile(r"\bgit\b|GIT_SSH|ssh_config|\.ssh/config|\bgo\s+\w")
_BROAD_VARS = ("GOINSECURE", "GONOSUMDB", "GOPRIVATE")


def _may_disable_host_keys(text: str) -> bool:
    """Whether ``_HOSTKEY_RE`` may match: a cheap test that saves most regex scans."""
    if not text.isascii():
        return True  # IGNORECASE also matches a few non-ASCII letters (the Kelvin sign)
    low = text.lower()
    return "stricthostkeychecking" in low or "userknownhostsfile" in low


@lru_cache(maxsize=1024)  # pure; the same GOPRIVATE/GONOSUMDB globs recur in every stage
def broad_public_pattern(pattern: str) -> str | None:
    """Why a module path glob covers public modules, or None when it does not."""
    p = pattern.strip()
    if not p:
        return None
    parts = p.split("/")
    first = parts[0].lower()
    if any(c in _GLOB_CHARS for c in first):
        literal = first.lstrip("*?.[]")
        if "." not in literal:
            return (
                f"'{p}' matches every module path"
                if not literal
                else (f"'{p}' matches every module under .{literal}")
            )
        return None
    if first in PUBLIC_MODULE_HOSTS or any(first.endswith("." + h) for h in PUBLIC_MODULE_HOSTS):
        return f"'{p}' covers public modules on {first}"
    if first in PUBLIC_CODE_HOSTS and (
        len(parts) < 2 or not parts[1] or any(c in _GLOB_CHARS for c in parts[1])
    ):
        return f"'{p}' covers every repository on {first}"
    return None


@rule(
    code="GB124",
    name="verification-disabled",
    severity=Severity.WARNING,
    summary="certificate, host key or checksum verification is turned off for Go or git",
    category="proxy",
)
def verification_disabled(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags settings that make go or git accept whatever a server (or a man in the middle)
    sends:

    - `GOINSECURE` with `*` or a pattern over public paths (`github.com/*`, `*.com`,
      `golang.org/x/*`), and `GONOSUMDB` / `GOPRIVATE` with such a pattern (no checksum
      verification for public modules);
    - `GIT_SSL_NO_VERIFY` set to any value (git checks only that it is set, so even `0`
      or `false` turns verification off);
    - `git config http.sslVerify false` (also `git -c http.sslVerify=false`);
    - `StrictHostKeyChecking=no` / `accept-new` or `UserKnownHostsFile=/dev/null` for
      git over SSH.

    `GOINSECURE`, `GONOSUMDB` or `GOPRIVATE` naming only internal hosts are fine.
    `GOFLAGS=-insecure` is GB125 and `GOSUMDB=off` is GB130.

    ## Why is this bad?
    These switches are usually added to get past `x509: certificate signed by unknown
    authority` behind a TLS-inspecting proxy. They also let anyone on the path serve
    modified code, and checksums recorded from such a build are not verified. Installing
    the proxy's CA (see GB123) fixes the error without giving up verification.

    ## Example
    ```dockerfile
    ENV GOINSECURE=* GIT_SSL_NO_VERIFY=1
    ```

    Use instead:
    ```dockerfile
    COPY corp-root-ca.crt /usr/local/share/ca-certificates/
    RUN update-ca-certificates
    ```

    ## References
    - https://go.dev/ref/mod#environment-variables (GOINSECURE, GONOSUMDB)
    - https://git-scm.com/docs/git#Documentation/git.txt-codeGITSSLNOVERIFYcode
    - https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify
    """
    doc = ctx.doc
    for a in assignments(doc, lambda n: n in _BROAD_VARS or n == "GIT_SSL_NO_VERIFY"):
        if a.value is None:
            continue  # a build argument without default: not set by the Dockerfile
        if a.name == "GIT_SSL_NO_VERIFY":
            val = a.value.strip()
            extra = ""
            if not val:
                extra = " (even empty: git only checks whether the variable is set)"
            elif val.lower() in ("0", "false", "no", "off"):
                extra = f" (even '{val}': git only checks whether the variable is set)"
            yield Finding(
                span=a.span,
                message=(
                    f"GIT_SSL_NO_VERIFY is set{extra}, so git accepts any TLS certificate "
                    "when go fetches modules directly. Install the proxy's root CA instead "
                    "(COPY it to /usr/local/share/ca-certificates/ and run "
                    "update-ca-certificates) and remove this."
                ),
            )
            continue
        for pattern in glob_patterns(a.value):
            why = broad_public_pattern(pattern)
            if why is None:
                continue
            if a.name == "GOINSECURE":
                effect = "go fetches those modules directly over plain HTTP or with unverified TLS"
                advice = (
                    "Install the proxy's root CA instead, and limit GOINSECURE to internal "
                    "hosts that have no valid certificate"
                )
            elif a.name == "GONOSUMDB":
                effect = "their checksums are not verified against sum.golang.org"
                advice = "List only your private module paths in GONOSUMDB"
            else:
                effect = (
                    "they skip checksum verification and the module proxy, and are fetched "
                    "with git directly"
                )
                advice = "List only your private module paths, such as github.com/yourorg/*"
            yield Finding(
                span=sub_span(doc, a.value_span or a.span, pattern),
                message=f"{a.name} pattern {why}: {effect}. {advice}.",
            )
    for ins in doc.instructions:
        if ins.keyword not in ("RUN", "ENV"):
            continue
        for script in script_texts(ins):
            text = script.text
            if "sslverify" in text.lower():
                for m in _SSLVERIFY_RE.finditer(text):
                    yield Finding(
                        span=script.span(m.start(), m.end()),
                        message=(
                            f"`{shorten(m.group(), 60)}` makes git accept any TLS "
                            "certificate for the modules go fetches directly. Install the "
                            "proxy's root CA instead (COPY it to "
                            "/usr/local/share/ca-certificates/ and run update-ca-certificates)."
                        ),
                    )
            # The cheap test first: _GIT_CONTEXT_RE has no literal prefix (a slow scan).
            if not _may_disable_host_keys(text):
                continue
            if ins.keyword == "RUN" and not _GIT_CONTEXT_RE.search(text):
                continue
            for m in _HOSTKEY_RE.finditer(text):
                tofu = (m.group("v") or "").lower() == "accept-new"
                what = (
                    "accepts whatever host key the server presents on first contact, which "
                    "in a fresh build container is every time"
                    if tofu
                    else "turns off SSH host key verification"
                )
                yield Finding(
                    span=script.span(m.start(), m.end()),
                    message=(
                        f"`{shorten(m.group(), 60)}` {what}, so git over SSH can be "
                        "redirected to any server. Pin the host key instead: RUN mkdir -p -m "
                        "0700 ~/.ssh && ssh-keyscan <host> >> ~/.ssh/known_hosts (compare the "
                        "fingerprints with the ones your git host publishes), or COPY a "
                        "known_hosts file."
                    ),
                )


# ---------------------------------------------------------------------------------
# GB125

_INSECURE_RE = re.compile(r"(?<![^\s\"'])--?insecure(?:=(?P<v>[^\s\"']*))?(?![^\s\"'])")
_FALSE_VALUES = frozenset({"false", "0", "f"})


def _insecure_matches(text: str) -> Iterator[re.Match[str]]:
    if "insecure" not in text:
        return  # the pattern needs the word (case-sensitive): skip the slow scan
    for m in _INSECURE_RE.finditer(text):
        v = m.group("v")
        if v is not None and v.lower() in _FALSE_VALUES:
            continue
        yield m


def _token_removal(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to take one side's blanks with the token."""
    s, e = start, end
    while s > 0 and text[s - 1] in " \t":
        s -= 1
    if s == start:
        while e < len(text) and text[e] in " \t":
            e += 1
    return s, e


@rule(
    code="GB125",
    name="go-insecure-flag",
    severity=Severity.ERROR,
    summary="the removed -insecure flag is passed to go",
    category="proxy",
    fix=Applicability.UNSAFE,
)
def go_insecure_flag(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `-insecure` in `GOFLAGS` (ENV, ARG default, `go env -w`, inline or exported in a
    RUN) and on a `go` command line such as `go get -insecure`.

    ## Why is this bad?
    Go 1.17 removed the flag: `go get -insecure` stops with `go: -insecure flag is no
    longer supported; use GOINSECURE instead`, and so does any `go get` run with
    `GOFLAGS=-insecure`. It also used to skip checksum validation, which GOINSECURE does
    not do.

    ## Example
    ```dockerfile
    ENV GOFLAGS=-insecure
    ```

    Use instead:
    ```dockerfile
    ENV GOINSECURE=git.corp.example
    ```
    (and only for an internal host without a valid certificate; better, install its CA).

    ## Fix safety
    The fix removes the flag (and the `GOFLAGS` pair when nothing else is left in it). It
    is unsafe: fetches that relied on the old insecure behaviour now need `GOINSECURE`
    for the host, or its CA installed.

    ## References
    - https://go.dev/doc/go1.17#go-get
    - https://go.dev/ref/mod#environment-variables
    """
    doc = ctx.doc
    msg_tail = (
        "a flag Go 1.17 removed: `go get` stops with 'go: -insecure flag is no longer supported; "
        "use GOINSECURE instead'. Remove it; if an internal host has no valid certificate, "
        "set GOINSECURE=<that host> (or, better, install its CA)."
    )
    for a in assignments(doc, lambda n: n == "GOFLAGS"):
        if not a.raw or a.value_span is None:
            continue
        source = doc.text[a.value_span.start : a.value_span.end]
        if source != a.raw:
            continue  # split over lines: no precise offsets
        for m in _insecure_matches(a.raw):
            start = a.value_span.start + m.start()
            end = a.value_span.start + m.end()
            others = [t for t in (a.value or "").split() if not _INSECURE_RE.fullmatch(t)]
            if not others and a.key_value is not None:
                whole = len(a.instruction.key_values) == 1
                edit = remove_pair(doc, a.instruction, a.key_value, whole=whole)
                title = (
                    f"Remove the {a.origin} instruction"
                    if whole
                    else f"Remove GOFLAGS from the {a.origin}"
                )
            else:
                s, e = _token_removal(doc.text, start, end)
                s = max(s, a.value_span.start)
                e = min(e, a.value_span.end)
                edit = Edit(s, e, "")
                title = f"Remove {m.group()} from GOFLAGS"
            yield Finding(
                span=doc.span(start, end),
                message=f"GOFLAGS contains {m.group()}, {msg_tail}",
                fix=Fix(title, (edit,), Applicability.UNSAFE),
            )
    for ins in doc.instructions:
        for cmd in go_commands(ins):
            yield from _insecure_on_command(doc, cmd, msg_tail)


def _insecure_on_command(doc: Dockerfile, cmd: GoCommand, msg_tail: str) -> Iterator[Finding]:
    ins = cmd.instruction
    if ins.json_args is not None:
        text = ins.args
        for m in re.finditer(r"(?P<tok>\"--?insecure(?:=[^\"]*)?\")", text):
            tok = m.group("tok").strip('"')
            v = tok.partition("=")[2]
            if v.lower() in _FALSE_VALUES and "=" in tok:
                continue
            after = re.match(r"\s*,\s*", text[m.end() :])
            before = re.search(r",\s*$", text[: m.start()])
            if after:
                s, e = m.start(), m.end() + after.end()
            elif before:
                s, e = before.start(), m.end()
            else:
                s, e = m.start(), m.end()
            span = ins.args_span(m.start(), m.end())
            edit = Edit(ins.args_text.source_offset(s), ins.args_text.source_end(e), "")
            yield Finding(
                span=span,
                message=f"`go {cmd.subcommand}` is given {tok}, {msg_tail}",
                fix=Fix(f"Remove {tok}", (edit,), Applicability.UNSAFE),
            )
        return
    script = cmd.script
    segment = script.text[cmd.start : cmd.end]
    for m in _insecure_matches(segment):
        start = cmd.start + m.start()
        end = cmd.start + m.end()
        s = start
        while s > cmd.start and script.text[s - 1] in " \t":
            s -= 1
        edit = Edit(script.source_offset(s), script.source_end(end), "")
        yield Finding(
            span=script.span(start, end),
            message=f"`go {cmd.subcommand}` is given {m.group()}, {msg_tail}",
            fix=Fix(f"Remove {m.group()}", (edit,), Applicability.UNSAFE),
        )


RULES: tuple[Rule, ...] = (
    proxy_set_with_env,
    no_proxy_misses_internal,
    uppercase_proxy_only,
    proxy_without_ca,
    verification_disabled,
    go_insecure_flag,
    proxy_credentials,
)
