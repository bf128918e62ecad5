"""General build hygiene: the checks users expect from any Dockerfile linter.

Where a rule means the same as a hadolint rule it carries hadolint's code, so
``# hadolint ignore=DL3007`` silences it too.  The semantics follow hadolint except
where hadolint is known to misfire (multi-stage USER checks, cache mounts, local
``go install`` paths, ...); each rule's documentation says "Unlike hadolint" there.

Rules that look inside ``RUN`` use a small shell lexer (:func:`_scripts`): it splits a
script into simple commands at ``;``, ``&&``, ``||``, ``|``, ``&``, newlines and
parentheses, honours quotes, ``$(...)``, backticks, redirections and heredocs, and
keeps logical offsets so findings underline the exact words and fixes insert text at
the right place.  It does not expand variables or run anything.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.golang import ImageRef, go_commands, stage_image
from gobuildgui.core.dockerfile.nodes import (
    Dockerfile,
    Instruction,
    MappedText,
    Stage,
    Token,
    memo,
    unquote,
)
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.scope import global_arg_defaults, variables_at
from gobuildgui.core.model import Applicability, Edit, Fix, LineIndex, Severity, Span

CATEGORY = "hygiene"

# =================================================================================
# A small shell lexer for RUN scripts


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _Word:
    """One shell word: quotes removed (no expansion), with logical offsets."""

    value: str
    raw: str
    start: int
    end: int


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _Cmd:
    """A simple command: its words after leading assignments and reserved words."""

    script: MappedText
    words: tuple[_Word, ...]
    subshell: bool  # inside ( ... )
    pipe_out: int | None  # logical offset of a ``|`` that follows this command
    heredocs: tuple[str, ...]  # delimiters of the heredocs this command reads
    exec_form: bool = False  # from a JSON-form RUN: offsets cover the whole arguments

    @property
    def name(self) -> str:
        """Basename of the command word (``/usr/bin/apt-get`` -> ``apt-get``)."""
        return _basename(self.words[0].value) if self.words else ""

    @property
    def args(self) -> tuple[_Word, ...]:
        return self.words[1:]

    def span(self, first: _Word, last: _Word | None = None) -> Span:
        """Source span from ``first`` to the end of ``last`` (or of ``first``)."""
        end = (last or first).end
        return self.script.span(first.start, max(end, first.start))

    def insert_after(self, word: _Word) -> int | None:
        """Source offset just after ``word``, or None when edits are not possible."""
        if self.exec_form:
            return None
        return self.script.source_end(word.end)

    def unwrapped(self) -> _Cmd:
        """The command that ``sudo``, ``env``, ``exec``, ``nice``... run."""
        words = self.words
        k = 0
        while k < len(words):
            opts = _WRAPPERS.get(_basename(words[k].value))
            if opts is None:
                break
            wrapper = _basename(words[k].value)
            k += 1
            while k < len(words):
                v = words[k].value
                if v == "--":
                    k += 1
                    break
                if v.startswith("-") and v != "-":
                    k += 2 if v in opts else 1
                    continue
                if wrapper in ("env", "sudo", "doas") and _ASSIGN_RE.match(words[k].raw):
                    k += 1
                    continue
                break
        if k == 0:
            return self
        return _Cmd(
            self.script, words[k:], self.subshell, self.pipe_out, self.heredocs, self.exec_form
        )


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _Script:
    """The commands of one shell script (a RUN line or a heredoc body)."""

    text: MappedText
    commands: tuple[_Cmd, ...]
    comments: tuple[int, ...]  # logical offsets of ``#`` comments
    heredoc: bool  # a heredoc body rather than the RUN line itself
    exec_form: bool = False


_ASSIGN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\+?=")
_RESERVED = frozenset(
    {"!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "time"}
)
# Commands that run another command, with their options that take a separate value.
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "-C", "-S", "--unset", "--chdir", "--split-string"}),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "nohup": frozenset(),
    "time": frozenset(),
    "nice": frozenset({"-n"}),
}
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
_NON_POSIX_SHELLS = frozenset(
    {"pwsh", "powershell", "cmd", "pwsh.exe", "powershell.exe", "cmd.exe"}
)
_WORD_BREAK = frozenset(" \t\r\n;&|<>()")


@lru_cache(maxsize=2048)  # pure; command words repeat (~500 calls per 300-line file)
def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _scan_quoted_double(s: str, j: int, n: int) -> int:
    while j < n:
        c = s[j]
        if c == "\\":
            j += 2
        elif c == '"':
            return j + 1
        elif c == "$" and j + 1 < n and s[j + 1] == "(":
            j = _scan_parens(s, j + 2, n)
        elif c == "`":
            j = _scan_backtick(s, j + 1, n)
        else:
            j += 1
    return n


def _scan_backtick(s: str, j: int, n: int) -> int:
    while j < n:
        if s[j] == "\\":
            j += 2
        elif s[j] == "`":
            return j + 1
        else:
            j += 1
    return n


def _scan_parens(s: str, j: int, n: int) -> int:
    depth = 1
    while j < n:
        c = s[j]
        if c == "\\":
            j += 2
        elif c == "'":
            k = s.find("'", j + 1, n)
            j = n if k < 0 else k + 1
        elif c == '"':
            j = _scan_quoted_double(s, j + 1, n)
        elif c == "(":
            depth += 1
            j += 1
        elif c == ")":
            depth -= 1
            j += 1
            if depth == 0:
                return j
        else:
            j += 1
    return n


# Characters that neither end a word nor start a quote, escape or substitution.
_PLAIN_RUN = re.compile(r"[^ \t\r\n;&|<>()\\'\"`$]+")


# The common parts of a word in one match: plain runs, escapes, '...', "..." without
# substitutions, ${...} and a lone $.  The alternatives start with different
# characters, so possessive repetition gives the greedy result without backtracking.
# Whatever it stops at (``$(``, a backtick, an unterminated quote...) is left to
# _scan_word, which continues from there exactly as if it had scanned the prefix.
_SIMPLE_WORD = re.compile(
    r"""(?:[^ \t\r\n;&|<>()\\'"`$]++|\\[\s\S]|'[^']*+'|"""
    r""""(?:[^"\\`$]++|\\[\s\S]|\$(?!\())*+"|\$\{[^}]*+\}|\$(?![({]))++"""
)
# Blanks and line continuations between tokens.
_SKIP = re.compile(r"(?:[ \t\r]++|\\\r?\n)++")
# Characters that start something other than a word (after _SKIP).
_NOT_WORD = frozenset("#\n;&|()<>")


def _word_end(s: str, i: int, n: int) -> int:
    """:func:`_scan_word` with the common case done by one regex match."""
    m = _SIMPLE_WORD.match(s, i, n)
    if m is None:
        return _scan_word(s, i, n)
    j = m.end()
    if j < n and s[j] not in _WORD_BREAK:
        return _scan_word(s, j, n)
    return j


def _scan_word(s: str, i: int, n: int) -> int:
    j = i
    plain = _PLAIN_RUN.match
    while j < n:
        m = plain(s, j, n)  # skip ordinary characters in one step (most of a word)
        if m is not None:
            j = m.end()
            if j >= n:
                break
        c = s[j]
        if c in _WORD_BREAK:
            break
        if c == "\\":
            j += 2
        elif c == "'":
            k = s.find("'", j + 1, n)
            j = n if k < 0 else k + 1
        elif c == '"':
            j = _scan_quoted_double(s, j + 1, n)
        elif c == "`":
            j = _scan_backtick(s, j + 1, n)
        elif c == "$" and j + 1 < n and s[j + 1] == "(":
            j = _scan_parens(s, j + 2, n)
        elif c == "$" and j + 1 < n and s[j + 1] == "{":
            k = s.find("}", j + 2, n)
            j = n if k < 0 else k + 1
        else:
            j += 1
    return min(max(j, i + 1), n)


class _Lexer:
    """Splits one script into simple commands (see the module docstring)."""

    def __init__(self, script: MappedText) -> None:
        self.script = script
        self.commands: list[_Cmd] = []
        self.comments: list[int] = []
        self.words: list[_Word] = []
        self.heredocs: list[str] = []
        self.depth = 0

    def finish(self, pipe_at: int | None) -> None:
        words = self.words
        k = 0
        while k < len(words) and (words[k].raw in _RESERVED or _ASSIGN_RE.match(words[k].raw)):
            k += 1
        if k < len(words) or self.heredocs:
            self.commands.append(
                _Cmd(self.script, tuple(words[k:]), self.depth > 0, pipe_at, tuple(self.heredocs))
            )
        self.words = []
        self.heredocs = []

    def run(self) -> _Script:
        s = self.script.text
        n = len(s)
        i = 0
        redirect = False
        pending: list[tuple[str, bool]] = []  # heredocs whose bodies follow the next newline
        skip = _SKIP.match
        while i < n:
            m = skip(s, i)
            if m is not None:
                i = m.end()
                if i >= n:
                    break
            c = s[i]
            if c not in _NOT_WORD:  # a word (the most common token first)
                j = _word_end(s, i, n)
                raw = s[i:j]
                if j < n and s[j] in "<>" and raw.isdigit():
                    i = j  # a file descriptor before a redirection
                    continue
                if redirect:
                    redirect = False
                else:
                    self.words.append(_Word(unquote(raw), raw, i, j))
                i = j
            elif c == "#":
                self.comments.append(i)
                k = s.find("\n", i)
                i = n if k < 0 else k
            elif c == "\n":
                self.finish(None)
                i += 1
                for name, strip in pending:
                    while i < n:
                        k = s.find("\n", i)
                        line = s[i : n if k < 0 else k].rstrip("\r")
                        i = n if k < 0 else k + 1
                        if (line.lstrip("\t") if strip else line) == name:
                            break
                pending = []
            elif c == ";":
                self.finish(None)
                i += 1
            elif c == "&":
                if s.startswith("&&", i):
                    self.finish(None)
                    i += 2
                elif s.startswith("&>", i):
                    i += 3 if s.startswith("&>>", i) else 2
                    redirect = True
                else:
                    self.finish(None)
                    i += 1
            elif c == "|":
                if s.startswith("||", i):
                    self.finish(None)
                    i += 2
                else:
                    self.finish(i)
                    i += 2 if s.startswith("|&", i) else 1
            elif c == "(":
                self.finish(None)
                self.depth += 1
                i += 1
            elif c == ")":
                self.finish(None)
                self.depth = max(0, self.depth - 1)
                i += 1
            elif c in "<>":
                if s.startswith("<<<", i):
                    i += 3
                    redirect = True
                elif s.startswith("<<", i):
                    i += 2
                    strip = s.startswith("-", i)
                    i += 1 if strip else 0
                    while i < n and s[i] in " \t":
                        i += 1
                    if i < n and s[i] not in _WORD_BREAK:
                        j = _scan_word(s, i, n)
                        name = unquote(s[i:j])
                        self.heredocs.append(name)
                        pending.append((name, strip))
                        i = j
                else:
                    i += 1
                    if i < n and s[i] in ">&|":
                        i += 1
                    redirect = True
        self.finish(None)
        return _Script(self.script, tuple(self.commands), tuple(self.comments), heredoc=False)


def _lex(script: MappedText) -> _Script:
    return _Lexer(script).run()


def _heredoc_is_script(cmds: Sequence[_Cmd], name: str, body: str) -> bool:
    """Whether a RUN heredoc body is a shell script (not input data for a program)."""
    reader = next((c for c in cmds if name in c.heredocs), None)
    if reader is not None and reader.words and reader.name not in _SHELLS:
        return False
    first = body.lstrip("\r\n").split("\n", 1)[0].strip()
    if first.startswith("#!"):
        parts = first[2:].split()
        if parts and _basename(parts[0]) == "env" and len(parts) > 1:
            parts = parts[1:]
        return bool(parts) and _basename(parts[0]) in _SHELLS
    return True


def _scripts(ins: Instruction) -> list[_Script]:
    """The shell scripts a RUN executes, lexed (exec form: the argv as one command)."""
    if ins.keyword != "RUN":
        return []
    # Eight rules read the same RUN; lex it once per parse.
    return memo(ins, "hygiene.scripts", lambda: _lex_scripts(ins))


def _lex_scripts(ins: Instruction) -> list[_Script]:
    argv = ins.json_args
    if argv is not None:
        return _exec_form_scripts(ins, argv)
    main = _lex(ins.args_text)
    out = [main]
    bodies = list(ins.scripts())[1:]
    for h, body in zip(ins.heredocs, bodies, strict=False):
        if _heredoc_is_script(main.commands, h.name, h.body):
            lexed = _lex(body)
            out.append(_Script(body, lexed.commands, lexed.comments, heredoc=True))
    return out


def _exec_form_scripts(ins: Instruction, argv: tuple[str, ...]) -> list[_Script]:
    """Exec-form RUN: every word spans the whole arguments, and no edits are offered."""
    text = ins.args_text
    whole = len(text.text)
    if argv and _basename(argv[0]) in _SHELLS and "-c" in argv[1:-1]:
        inner = argv[argv.index("-c", 1) + 1]
        lexed = _lex(MappedText(inner, [0], [0], LineIndex(inner)))
        cmds = tuple(
            _Cmd(
                text,
                tuple(_Word(w.value, w.raw, 0, whole) for w in c.words),
                c.subshell,
                0 if c.pipe_out is not None else None,
                c.heredocs,
                exec_form=True,
            )
            for c in lexed.commands
        )
    else:
        words = tuple(_Word(a, a, 0, whole) for a in argv)
        cmds = (_Cmd(text, words, False, None, (), exec_form=True),) if words else ()
    return [_Script(text, cmds, (), heredoc=False, exec_form=True)]


def _commands(ins: Instruction) -> Iterator[_Cmd]:
    """Every simple command (with at least one word) a RUN executes."""
    for script in _scripts(ins):
        yield from (c for c in script.commands if c.words)


def _runs_command(doc: Dockerfile, name: str) -> bool:
    """Whether some RUN (``ONBUILD RUN`` included) may run ``name``: a command word
    with that basename, as written or after wrappers such as ``sudo`` (a superset of
    what the rules below look for, so a ``False`` lets a rule skip the file)."""
    return name in memo(doc, "hygiene.command_names", lambda: _command_names(doc))


def _command_names(doc: Dockerfile) -> frozenset[str]:
    names: set[str] = set()
    for _outer, ins in _all_runs(doc):
        for script in _scripts(ins):
            for cmd in script.commands:
                names.add(cmd.name)
                names.add(cmd.unwrapped().name)
    return frozenset(names)


def _subcommand(cmd: _Cmd, value_opts: frozenset[str]) -> _Word | None:
    """The first argument that is not an option (skipping values of ``value_opts``)."""
    args = cmd.args
    k = 0
    while k < len(args):
        v = args[k].value
        if v.startswith("-") and v != "-":
            k += 2 if v in value_opts else 1
            continue
        return args[k]
    return None


def _short_flags(args: Sequence[_Word]) -> str:
    """The letters of every ``-abc`` cluster, concatenated (long options excluded)."""
    return "".join(
        w.value[1:] for w in args if w.value.startswith("-") and not w.value.startswith("--")
    )


# =================================================================================
# Stage and scope helpers


def _before(doc: Dockerfile, ins: Instruction) -> Iterator[Instruction]:
    """Instructions that run before ``ins`` in its stage chain (parents first)."""
    stage = doc.stage_of(ins)
    if stage is None:
        return
    for st in stage.chain():
        for earlier in st.instructions:
            if earlier is ins:
                return
            yield earlier


def _final_chain(doc: Dockerfile) -> tuple[Stage, ...]:
    final = doc.final_stage
    return final.chain() if final is not None else ()


def _expand(doc: Dockerfile, ins: Instruction, raw: str) -> str:
    """``raw`` with quotes removed and the variables in force at ``ins`` expanded."""
    if "$" not in raw:
        return unquote(raw, doc.escape)
    env = {k: v.value for k, v in variables_at(doc, ins).items()}
    return expand_word(raw, env, doc.escape, keep=True)


def _all_runs(doc: Dockerfile) -> tuple[tuple[Instruction, Instruction], ...]:
    """Every RUN as (top-level instruction, RUN), ``ONBUILD RUN`` triggers included
    (cached: a dozen rules walk them)."""
    return memo(doc, "hygiene.all_runs", lambda: tuple(_scan_runs(doc)))


def _scan_runs(doc: Dockerfile) -> Iterator[tuple[Instruction, Instruction]]:
    for ins in doc.instructions:
        if ins.keyword == "RUN":
            yield ins, ins
        elif ins.onbuild_trigger is not None and ins.onbuild_trigger.keyword == "RUN":
            yield ins, ins.onbuild_trigger


def _newline(doc: Dockerfile, offset: int) -> str:
    """The line ending used by the line at ``offset`` (the file's usual one at EOF)."""
    text = doc.text
    k = text.find("\n", offset)
    if k < 0:
        return "\r\n" if "\r\n" in text else "\n"
    return "\r\n" if k > 0 and text[k - 1] == "\r" else "\n"


def _indent(doc: Dockerfile, line: int) -> str:
    start = doc.index.line_start(line)
    content = doc.text[start : doc.index.line_end(line)]
    return content[: len(content) - len(content.lstrip(" \t"))]


def _same_case(keyword_raw: str, word: str) -> str:
    return word.lower() if keyword_raw.islower() else word.upper()


def _delete_instruction(doc: Dockerfile, ins: Instruction) -> Edit:
    """An edit that removes the whole lines of ``ins`` (continuations and heredocs too)."""
    start = doc.index.line_start(ins.line)
    k = doc.text.find("\n", ins.span.end)
    end = len(doc.text) if k < 0 else k + 1
    return Edit(start, end, "")


def _ends_cleanly(doc: Dockerfile, ins: Instruction) -> bool:
    """Whether a line added after ``ins`` would be a new instruction (no open continuation
    or unterminated heredoc swallows it)."""
    if any(h.end_span is None for h in ins.heredocs):
        return False
    if ins.heredocs:
        return True
    line = doc.text[doc.index.line_start(ins.end_line) : doc.index.line_end(ins.end_line)]
    return not line.rstrip(" \t").endswith(doc.escape)


def _user_is_root(user: str) -> bool:
    name = user.split(":", 1)[0].strip()
    return name in ("root", "0")


def _last_user(
    doc: Dockerfile, stages: Sequence[Stage], upto: Instruction | None = None
) -> Instruction | None:
    last = None
    for st in stages:
        for ins in st.instructions:
            if ins is upto:
                return last
            if ins.keyword == "USER" and ins.args.strip():
                last = ins
    return last


def _image_defaults_to_nonroot(ref: ImageRef) -> bool:
    """Images documented to run as an unprivileged user when no USER is set."""
    tag = (ref.tag or "").lower()
    repo = ref.repository.lower()
    return "nonroot" in tag or repo.endswith("chainguard/static")


def _golang_tag(ctx: LintContext) -> str | None:
    """A golang image tag matching go.mod (``1.24``), when go.mod is known."""
    mod = ctx.project.go_mod
    version = mod.required_version if mod is not None else None
    if version is None:
        return None
    return f"{version.major}.{version.minor}"


def _path_covered(target: str | None, path: str) -> bool:
    """Whether a mount at ``target`` covers ``path`` (equal or a parent directory)."""
    if not target:
        return False
    t = target.rstrip("/") or "/"
    return path == t or path.startswith(t.rstrip("/") + "/")


def _has_mount(ins: Instruction, *paths: str) -> bool:
    """A cache or tmpfs mount that covers any of ``paths``."""
    for mount in ins.mounts:
        if mount.type in ("cache", "tmpfs") and any(_path_covered(mount.target, p) for p in paths):
            return True
    return False


def _removes(cmds: Sequence[_Cmd], prefix: str) -> bool:
    """Whether an ``rm`` among ``cmds`` deletes ``prefix`` or something below it."""
    for cmd in cmds:
        c = cmd.unwrapped()
        if c.name != "rm":
            continue
        for w in c.args:
            v = w.value.rstrip("/")
            if v == prefix or v.startswith(prefix + "/"):
                return True
    return False


def _mentioned_before(doc: Dockerfile, ins: Instruction, needle: str) -> bool:
    """Whether an earlier RUN of the stage chain mentions ``needle`` (an apt config line)."""
    low = needle.lower()
    for earlier in _before(doc, ins):
        if earlier.keyword == "RUN" and any(low in s.text.lower() for s in earlier.scripts()):
            return True
    return False


# =================================================================================
# Base images


_PLATFORM_ARG_RE = re.compile(r"\$\{?(?:BUILD|TARGET)(?:PLATFORM|OS|ARCH|VARIANT)\b")


def _from_images(doc: Dockerfile) -> Iterator[tuple[Stage, Token, ImageRef]]:
    """Stages on a real image (not scratch, not an earlier stage, no unknown variable)."""
    for st in doc.stages:
        tok = st.image_token
        base = st.base_image
        if tok is None or st.parent is not None:
            continue
        ref = ImageRef.parse(base)
        if not base or ref.is_scratch or ref.has_variable or base.endswith((":", "@")):
            continue
        yield st, tok, ref


@rule(
    code="DL3006",
    name="untagged-base-image",
    severity=Severity.WARNING,
    summary="base image has no tag, so it means :latest",
    fix=Applicability.DISPLAY_ONLY,
    category=CATEGORY,
)
def untagged_base_image(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `FROM` whose image has neither a tag nor a digest. `FROM scratch`, a
    reference to an earlier stage and an image that still depends on a build argument
    without default are not reported. An image taken from a global `ARG` is checked
    with the ARG's default, so `ARG BASE=golang` + `FROM $BASE` is reported and
    `ARG BASE=golang:1.24` is not.

    ## Why is this bad?
    An untagged image is `:latest`, which moves with every upstream release: the same
    Dockerfile builds with a different Go toolchain or distribution from one day to the
    next, and a cached layer hides the change until the cache is cleared. For golang
    images that means a build can suddenly fail with "go.mod requires go >= ..." or a
    newer toolchain can change the binary.

    ## Example
    ```dockerfile
    FROM golang AS build
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24-bookworm AS build
    ```

    ## Fix safety
    When go.mod is known and the image is golang, a display-only fix suggests the tag
    of go.mod's Go version; pick the variant (`-alpine`, `-bookworm`) yourself.

    ## References
    - https://docs.docker.com/reference/dockerfile/#from
    - https://github.com/hadolint/hadolint/wiki/DL3006
    """
    doc = ctx.doc
    tag = _golang_tag(ctx)
    for st, tok, ref in _from_images(doc):
        if ref.tag is not None or ref.digest is not None:
            continue
        via = f" ({tok.value!r} defaults to {st.base_image!r})" if "$" in tok.value else ""
        hint = f"{ref.raw}:{tag}" if ref.is_golang and tag else f"{ref.raw}:<version>"
        fix = None
        if ref.is_golang and tag and "$" not in tok.value and tok.value == ref.raw:
            end = tok.span.end
            fix = Fix(f"Pin go.mod's Go version: {hint}", (Edit(end, end, f":{tag}"),),
                      Applicability.DISPLAY_ONLY)  # fmt: skip
        yield Finding(
            tok.span,
            f"Base image {ref.raw!r}{via} has no tag, so it is {ref.raw}:latest and changes "
            f"with every upstream release: pin a version such as {hint}",
            fix,
        )


@rule(
    code="DL3007",
    name="latest-base-image",
    severity=Severity.WARNING,
    summary="base image uses the :latest tag",
    fix=Applicability.DISPLAY_ONLY,
    category=CATEGORY,
)
def latest_base_image(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `FROM` image tagged `:latest` without a digest (global ARG defaults are
    expanded first).

    ## Why is this bad?
    `latest` is whatever the publisher pushed last. Builds stop being reproducible and
    can break overnight: a new golang release may reject your go.mod or change the
    binary, a new base distribution may drop a library. A digest (`@sha256:...`) or a
    version tag makes the base explicit.

    ## Example
    ```dockerfile
    FROM golang:latest
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24-bookworm
    ```

    ## Fix safety
    Display only: when go.mod is known and the image is golang, the suggested tag is
    go.mod's Go version. Changing the base image changes what is built, so it is never
    applied automatically.

    ## References
    - https://docs.docker.com/build/building/best-practices/#from
    - https://github.com/hadolint/hadolint/wiki/DL3007
    """
    doc = ctx.doc
    tag = _golang_tag(ctx)
    for st, tok, ref in _from_images(doc):
        if ref.tag != "latest" or ref.digest is not None:
            continue
        idx = tok.value.rfind(":latest")
        literal = idx >= 0 and "$" not in tok.value
        span = (
            st.from_instruction.args_span(tok.start + idx + 1, tok.start + idx + 7)
            if literal
            else tok.span
        )
        via = f" ({tok.value!r} defaults to {st.base_image!r})" if "$" in tok.value else ""
        fix = None
        if ref.is_golang and tag and literal:
            fix = Fix(f"Use go.mod's Go version: golang:{tag}",
                      (Edit(span.start, span.end, tag),), Applicability.DISPLAY_ONLY)  # fmt: skip
        suggestion = f"{ref.repository}:{tag}" if ref.is_golang and tag else "a release tag"
        yield Finding(
            span,
            f"{ref.raw!r}{via} follows whatever was pushed last, so builds change without "
            f"notice: pin {suggestion} or a digest",
            fix,
        )


@rule(
    code="DL3029",
    name="from-platform-constant",
    severity=Severity.WARNING,
    summary="FROM --platform is set to a fixed platform",
    category=CATEGORY,
)
def from_platform_constant(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `FROM --platform=...` unless the value uses one of the automatic platform
    arguments (`$BUILDPLATFORM`, `$TARGETPLATFORM`, or their `OS`/`ARCH`/`VARIANT` parts).

    ## Why is this bad?
    A fixed platform such as `linux/amd64` makes the stage ignore `--platform` on the
    command line: on an arm64 machine the stage runs under emulation (slow, and
    `go mod download` under QEMU is a frequent source of timeouts), and a multi-platform
    build ships the wrong architecture. For a Go builder, use
    `--platform=$BUILDPLATFORM` and cross-compile with `GOOS=$TARGETOS
    GOARCH=$TARGETARCH`.

    Unlike hadolint, `$TARGETOS`/`$TARGETARCH`-style values also count as automatic.

    ## Example
    ```dockerfile
    FROM --platform=linux/amd64 golang:1.24 AS build
    ```
    Use instead:
    ```dockerfile
    FROM --platform=$BUILDPLATFORM golang:1.24 AS build
    ARG TARGETOS TARGETARCH
    RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
    ```

    ## References
    - https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/
    - https://docs.docker.com/build/building/multi-platform/#cross-compilation
    - https://github.com/hadolint/hadolint/wiki/DL3029
    """
    for st in ctx.doc.stages:
        flag = st.platform
        if flag is None or flag.value is None or _PLATFORM_ARG_RE.search(flag.value):
            continue
        value = flag.value
        span = flag.value_span or flag.span
        if "$" in value:
            expanded = expand_word(value, global_arg_defaults(ctx.doc), ctx.doc.escape, keep=True)
            shown = f"{value!r} (= {expanded!r})" if expanded != value else repr(value)
        else:
            shown = repr(value)
        yield Finding(
            span,
            f"--platform={shown} fixes this stage's platform, so it runs emulated on other "
            "machines and multi-platform builds get the wrong architecture: use "
            "$BUILDPLATFORM for build stages (cross-compile with TARGETOS/TARGETARCH) "
            "or drop the flag",
        )


# =================================================================================
# Stages and COPY --from


@rule(
    code="DL3024",
    name="duplicate-stage-name",
    severity=Severity.ERROR,
    summary="stage name is used twice",
    category=CATEGORY,
)
def duplicate_stage_name(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `FROM ... AS name` whose name (case-insensitive) was already given to an
    earlier stage.

    ## Why is this bad?
    BuildKit only warns (DuplicateStageName) and then resolves `COPY --from=name` and
    `--target name` to the last stage with that name, so the other stage can no longer
    be reached by name: a copy silently takes files from the wrong stage.

    ## Example
    ```dockerfile
    FROM golang:1.24 AS build
    FROM alpine:3.20 AS build
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    FROM alpine:3.20 AS runtime
    ```

    ## References
    - https://docs.docker.com/reference/build-checks/duplicate-stage-name/
    - https://github.com/hadolint/hadolint/wiki/DL3024
    """
    seen: dict[str, Stage] = {}
    for st in ctx.doc.stages:
        name = st.name
        if name is None or st.name_token is None:
            continue
        first = seen.get(name)
        if first is None:
            seen[name] = st
            continue
        yield Finding(
            st.name_token.span,
            f"Stage name {name!r} is already used by the stage on line "
            f"{first.from_instruction.line}: COPY --from={name} and --target {name} will "
            "silently use the last one; rename one of them",
        )


def _copy_from(ins: Instruction) -> tuple[str, Span] | None:
    """The unquoted ``--from`` value of a COPY and the span of the value."""
    if ins.keyword != "COPY":
        return None
    flag = ins.flag("from")
    if flag is None or not flag.value:
        return None
    value = unquote(flag.value, ins.escape).strip()
    return (value, flag.value_span or flag.span) if value else None


def _is_image_ref(value: str) -> bool:
    return any(c in value for c in ":/@")


@rule(
    code="DL3022",
    name="copy-from-unknown-stage",
    severity=Severity.WARNING,
    summary="COPY --from names no earlier stage",
    category=CATEGORY,
)
def copy_from_unknown_stage(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks `COPY --from=<name>` against the stages of the file. It reports a name that
    belongs to a later stage, a stage index that does not exist or is not earlier,
    a variable (BuildKit does not expand `--from`), and a bare name that is not a stage
    but looks like a misspelt one.

    Unlike hadolint, a bare name that resembles no stage (`--from=nginx`) is not
    reported: BuildKit treats it as an image or a named build context
    (`--build-context nginx=...`). Image references with `:`, `/` or `@` are never
    reported.

    ## Why is this bad?
    A later stage fails with "cannot copy from stage ..., it needs to be defined before
    current stage"; a variable fails with "variable expansion is not supported for
    --from"; a misspelt stage name silently pulls an image of that name from Docker Hub
    (or fails with "pull access denied").

    ## Example
    ```dockerfile
    FROM golang:1.24 AS builder
    RUN go build -o /out/app .
    FROM scratch
    COPY --from=biulder /out/app /app
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24 AS builder
    RUN go build -o /out/app .
    FROM scratch
    COPY --from=builder /out/app /app
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#copy---from
    - https://github.com/hadolint/hadolint/wiki/DL3022
    """
    doc = ctx.doc
    names = [st.name for st in doc.stages if st.name]
    for ins in doc.instructions:
        got = _copy_from(ins)
        if got is None or ins.stage_index < 0:
            continue
        value, span = got
        current = ins.stage_index
        if "$" in value:
            yield Finding(
                span,
                f"--from={value} uses a variable, but BuildKit does not expand --from ('variable "
                "expansion is not supported for --from'): add a stage "
                f"'FROM {value} AS src' after a global ARG and copy --from=src",
            )
            continue
        if value.isdigit():
            index = int(value)
            if index > current:
                what = (
                    f"stage {index} is defined after this one"
                    if index < len(doc.stages)
                    else f"the file has only {len(doc.stages)} stage(s)"
                )
                earlier = f"0 to {current - 1}" if current > 0 else "none: this is the first stage"
                yield Finding(
                    span,
                    f"--from={value}: {what}; a stage index must name an earlier stage ({earlier})",
                )
            continue
        if _is_image_ref(value):
            continue
        low = value.lower()
        target = doc.stage_named(low)
        if target is not None:
            if target.index > current:
                yield Finding(
                    span,
                    f"--from={value} names the stage on line {target.from_instruction.line}, "
                    "which comes after this one: BuildKit fails with 'cannot copy from stage'; "
                    "move that stage above this one",
                )
            continue
        close = difflib.get_close_matches(low, names, n=1, cutoff=0.75)
        if close:
            yield Finding(
                span,
                f"--from={value} is not a stage of this file, so BuildKit would pull an image "
                f"called {value!r}: did you mean --from={close[0]}?",
            )


@rule(
    code="DL3023",
    name="copy-from-own-stage",
    severity=Severity.ERROR,
    summary="COPY --from names its own stage",
    category=CATEGORY,
)
def copy_from_own_stage(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `COPY --from=<name>` (or `--from=<index>`) that refers to the stage the
    COPY is in.

    ## Why is this bad?
    A stage cannot read its own result while it is being built: BuildKit stops with
    "circular dependency detected on stage". To copy inside a stage, use a plain path,
    or `RUN cp`.

    ## Example
    ```dockerfile
    FROM golang:1.24 AS build
    COPY --from=build /src/app /app
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    RUN cp /src/app /app
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#copy---from
    - https://github.com/hadolint/hadolint/wiki/DL3023
    """
    doc = ctx.doc
    for ins in doc.instructions:
        got = _copy_from(ins)
        stage = doc.stage_of(ins)
        if got is None or stage is None:
            continue
        value, span = got
        if value.lower() == (stage.name or "\0") or (value.isdigit() and int(value) == stage.index):
            yield Finding(
                span,
                f"--from={value} is the stage this COPY belongs to: a stage cannot copy from "
                "itself (BuildKit: 'circular dependency detected'); copy from an earlier stage "
                "or use RUN cp",
            )


@rule(
    code="DL3067",
    name="copy-entire-filesystem",
    severity=Severity.WARNING,
    summary="COPY --from copies another stage's entire filesystem",
    category=CATEGORY,
)
def copy_entire_filesystem(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `COPY --from=<stage or image> / <dest>`: copying the root of another stage
    or image.

    Unlike hadolint, the destination does not matter (`/` to `/rootfs` copies just as
    much), and copying from a stage built `FROM scratch` is fine: such a stage holds only
    what was copied into it on purpose (a common pattern to collect artifacts).

    ## Why is this bad?
    It brings the whole builder (Go toolchain, module cache, compilers, package
    caches, secrets left in files) into this stage, which defeats the point of a
    multi-stage build: the image is as big as the builder and has its attack surface.

    ## Example
    ```dockerfile
    FROM golang:1.24 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build / /
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /out/app /app
    ```

    ## References
    - https://docs.docker.com/build/building/multi-stage/
    - https://github.com/hadolint/hadolint/wiki/DL3067
    """
    doc = ctx.doc
    for ins in doc.instructions:
        got = _copy_from(ins)
        if got is None or ins.is_exec_form:
            continue
        value, _ = got
        words = [w for w in ins.words if not w.value.startswith("<<")]
        if len(words) < 2:
            continue
        source = doc.stage_named(value) if not _is_image_ref(value) else None
        if source is not None and stage_image(source).is_scratch:
            continue
        for w in words[:-1]:
            if unquote(w.value, ins.escape).strip() in ("/", "/.", "/*"):
                yield Finding(
                    w.span,
                    f"COPY --from={value} / copies the whole filesystem of {value!r} (toolchain, "
                    "caches, package lists) into this stage: copy only the files the image "
                    "needs, e.g. the built binary",
                )
                break


@rule(
    code="DL3061",
    name="instruction-before-from",
    severity=Severity.ERROR,
    summary="an instruction other than ARG comes before the first FROM",
    category=CATEGORY,
)
def instruction_before_from(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags every instruction other than `ARG` that appears before the first `FROM`
    (parser directives and comments are fine).

    ## Why is this bad?
    Only global `ARG`s may precede the first stage. BuildKit fails with "no build stage
    in current context" (or "FROM requires ...") before running anything.

    ## Example
    ```dockerfile
    ENV GOPROXY=https://proxy.golang.org,direct
    FROM golang:1.24
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24
    ENV GOPROXY=https://proxy.golang.org,direct
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#format
    - https://github.com/hadolint/hadolint/wiki/DL3061
    """
    for ins in ctx.doc.instructions:
        if ins.keyword == "FROM":
            return
        if ins.keyword == "ARG" or not ins.is_known:
            continue
        yield Finding(
            ins.keyword_span,
            f"{ins.keyword} comes before the first FROM: only ARG may precede FROM, so "
            f"BuildKit fails with 'no build stage in current context'; move it into a stage",
        )


# =================================================================================
# USER


@rule(
    code="DL3002",
    name="final-user-root",
    severity=Severity.WARNING,
    summary="the last USER of the final stage is root",
    category=CATEGORY,
)
def final_user_root(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the last `USER` that applies to the final image when it is `root` or `0`
    (with or without a group). The final stage inherits USER from the stages it is
    built `FROM`, so those count too; variables are expanded.

    Unlike hadolint, `USER root` in builder stages is not reported: only the final
    stage decides who the container runs as.

    ## Why is this bad?
    A process running as root in a container is root on any volume it can reach and
    turns a container escape into a host compromise. Go binaries rarely need root.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    USER root
    COPY --from=build /out/app /app
    ```
    Use instead:
    ```dockerfile
    FROM alpine:3.20
    COPY --from=build /out/app /app
    USER 65532:65532
    ```

    ## References
    - https://docs.docker.com/build/building/best-practices/#user
    - https://github.com/hadolint/hadolint/wiki/DL3002
    """
    doc = ctx.doc
    last = _last_user(doc, _final_chain(doc))
    if last is None or not last.words:
        return
    value = _expand(doc, last, last.args.strip())
    if "$" in value or not _user_is_root(value):
        return
    yield Finding(
        last.args_span(),
        f"The final image runs as {value!r}: switch to an unprivileged user after the steps "
        "that need root, e.g. USER 65532:65532",
    )


@rule(
    code="GB160",
    name="final-stage-without-user",
    severity=Severity.INFO,
    summary="the final stage never sets USER, so the container runs as root",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def final_stage_without_user(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Reports a final stage (with the stages it is built `FROM`) that has no `USER`
    instruction at all, unless its base image is documented to default to an
    unprivileged user (distroless `:nonroot` tags, `cgr.dev/chainguard/static`).

    This is what hadolint's DL3002 misses (it only reacts to an explicit `USER root`).
    A final stage that is a bare `FROM` (nothing added yet) is not reported.

    ## Why is this bad?
    Without USER the container runs as root (UID 0), unless the base image says
    otherwise. Go services rarely need root; a non-root UID limits what a compromised
    process can do. `scratch` has no `/etc/passwd`, so use a numeric UID there.

    ## Example
    ```dockerfile
    FROM scratch
    COPY --from=build /out/app /app
    ENTRYPOINT ["/app"]
    ```
    Use instead:
    ```dockerfile
    FROM scratch
    COPY --from=build /out/app /app
    USER 65532:65532
    ENTRYPOINT ["/app"]
    ```
    (or `FROM gcr.io/distroless/static-debian12:nonroot`).

    ## Fix safety
    The fix appends `USER 65532:65532` to the final stage. It is unsafe: the program
    can then no longer bind ports below 1024 or write to root-owned paths.

    ## References
    - https://docs.docker.com/reference/dockerfile/#user
    - https://github.com/GoogleContainerTools/distroless#debug-images (nonroot tags)
    """
    doc = ctx.doc
    final = doc.final_stage
    if final is None or final.image_token is None:
        return
    chain = final.chain()
    if _last_user(doc, chain) is not None or all(len(st.instructions) == 1 for st in chain):
        return  # a USER is set, or the image is a bare FROM (nothing added yet)
    ref = stage_image(final)
    repo = ref.repository.lower()
    if (
        ref.has_variable
        or _image_defaults_to_nonroot(ref)
        or "windows" in repo
        or ("nanoserver" in repo or "servercore" in repo)
    ):
        return
    if ref.is_scratch:
        why = "scratch has no /etc/passwd, so use a numeric UID"
    elif ref.is_distroless:
        why = "distroless images have a 'nonroot' user (65532), or use the :nonroot tag"
    else:
        why = "or create a user with adduser/useradd"
    last = final.instructions[-1]
    pos = last.span.end
    fix = None
    if _ends_cleanly(doc, last):
        user = _same_case(final.from_instruction.keyword_raw, "USER") + " 65532:65532"
        text = _newline(doc, pos) + _indent(doc, last.line) + user
        fix = Fix("Run as UID 65532 (append USER 65532:65532)", (Edit(pos, pos, text),),
                  Applicability.UNSAFE)  # fmt: skip
    yield Finding(
        final.image_token.span,
        f"The final stage ({final.base_image or final.image}) never sets USER, so the "
        f"container runs as root: add USER 65532:65532 at the end ({why})",
        fix,
    )


# =================================================================================
# Single instructions


# ``C:\app`` (``C:app`` once the default escape character has eaten the backslash).
_WINDOWS_ABS_RE = re.compile(r"^[A-Za-z]:")


def _is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\", "$")) or bool(_WINDOWS_ABS_RE.match(path))


@rule(
    code="DL3000",
    name="relative-workdir",
    severity=Severity.WARNING,
    summary="WORKDIR is relative and no absolute WORKDIR came before",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def relative_workdir(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a relative `WORKDIR` (after variable expansion) when no earlier `WORKDIR` in
    the stage, or in the stages it is built `FROM`, set the directory explicitly.
    Windows paths such as `C:\\app` and paths starting with a variable that is not
    known are accepted.

    Unlike hadolint, a relative WORKDIR after an explicit one is fine (it resolves
    predictably), as in BuildKit's WorkdirRelativePath check.

    ## Why is this bad?
    A relative WORKDIR is resolved against the base image's working directory, which
    you do not see in the Dockerfile and which differs between images: `WORKDIR src`
    is `/src` on alpine but `/go/src` on golang images.

    ## Example
    ```dockerfile
    FROM golang:1.24
    WORKDIR src/app
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24
    WORKDIR /src/app
    ```

    ## Fix safety
    The fix prefixes the directory the base image is known to use (`/go` for golang
    images, `/` otherwise), so the result is the same directory when that guess is
    right. It is unsafe because other base images may set another WORKDIR.

    ## References
    - https://docs.docker.com/reference/build-checks/workdir-relative-path/
    - https://github.com/hadolint/hadolint/wiki/DL3000
    """
    doc = ctx.doc
    for st in doc.stages:
        explicit = any(
            i.keyword == "WORKDIR" for parent in st.chain()[:-1] for i in parent.instructions
        )
        base = "/go" if stage_image(st).is_golang else ""
        for ins in st.instructions:
            if ins.keyword != "WORKDIR":
                continue
            raw = ins.args.strip()
            if not raw:
                continue
            if explicit:
                continue
            explicit = True
            value = _expand(doc, ins, raw)
            if _is_absolute(value):
                continue
            lead = 1 if raw[0] in "\"'" else 0
            start = len(ins.args) - len(ins.args.lstrip()) + lead
            body = raw[lead:]
            cut = 2 if body.startswith("./") else 0
            absolute = f"{base}/{value[cut:] if value.startswith('./') else value}"
            span = ins.args_span(start, start + cut)
            fix = Fix(f"Use the absolute path {absolute}",
                      (Edit(span.start, span.end, base + "/"),), Applicability.UNSAFE)  # fmt: skip
            yield Finding(
                ins.args_span(),
                f"WORKDIR {raw} is relative to the base image's working directory"
                f"{' (/go in golang images)' if base else ''}: write the absolute path, "
                f"e.g. WORKDIR {absolute}",
                fix,
            )


_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})
_ARCHIVE_EXTS = (
    ".tar", ".z", ".bz2", ".gz", ".lz", ".lzma", ".tz", ".tb2", ".tbz", ".tbz2", ".tgz",
    ".tlz", ".tpz", ".txz", ".xz", ".zst", ".zstd", ".tzst",
)  # fmt: skip
_REMOTE_RE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|git@)")


def _copy_paths(ins: Instruction) -> tuple[list[tuple[str, Span]], tuple[str, Span] | None]:
    """Sources and destination of COPY/ADD as (raw value, span); heredocs included."""
    argv = ins.json_args
    if argv is not None:
        whole = ins.args_span()
        items = [(a, whole) for a in argv]
    else:
        items = [(w.value, w.span) for w in ins.words]
    if len(items) < 2:
        return [], None
    return items[:-1], items[-1]


@rule(
    code="DL3020",
    name="add-for-local-files",
    severity=Severity.WARNING,
    summary="ADD is used for local files; COPY says what it does",
    fix=Applicability.SAFE,
    category=CATEGORY,
)
def add_for_local_files(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `ADD` when a source is a plain local file or directory: not a URL, not a git
    repository and not a (compressed) tar archive, which are the two things only ADD
    does. ADD with an ADD-only flag (`--checksum`, `--keep-git-dir`, `--unpack`) is left
    alone, and so is a source made of a variable that cannot be resolved.

    ## Why is this bad?
    `ADD` silently extracts anything that is a tar archive and can fetch URLs, so a
    reader cannot tell what it does without knowing the files. `COPY` does exactly one
    thing, and it is what the Docker documentation recommends for local files.

    ## Example
    ```dockerfile
    ADD go.mod go.sum ./
    ```
    Use instead:
    ```dockerfile
    COPY go.mod go.sum ./
    ```

    ## Fix safety
    Replacing ADD by COPY is safe when every source is a plain path: COPY copies such
    paths exactly like ADD. When a source is a glob, the fix is unsafe (the glob might
    match a tar archive, which ADD would have extracted). No fix is offered when another
    source is an archive or a URL.

    ## References
    - https://docs.docker.com/build/building/best-practices/#add-or-copy
    - https://github.com/hadolint/hadolint/wiki/DL3020
    """
    doc = ctx.doc
    for outer, ins in _instructions_with_triggers(doc):
        if ins.keyword != "ADD" or any(f.name.lower() in _ADD_ONLY_FLAGS for f in ins.flags):
            continue
        sources, _dest = _copy_paths(ins)
        if not sources:
            continue
        plain: list[str] = []
        glob = other = False
        for raw, _span in sources:
            if raw.startswith("<<"):
                plain.append(raw)
                continue
            value = _expand(doc, outer, raw) if ins is outer else unquote(raw, ins.escape)
            low = value.lower()
            if "$" in value or _REMOTE_RE.match(value) or low.endswith(_ARCHIVE_EXTS):
                other = True
            else:
                plain.append(value)
                glob = glob or any(c in value for c in "*?[")
        if not plain:
            continue
        fix = None
        if not other:
            span = ins.keyword_span
            applicability = Applicability.UNSAFE if glob else Applicability.SAFE
            fix = Fix("Replace ADD with COPY",
                      (Edit(span.start, span.end, _same_case(ins.keyword_raw, "COPY")),),
                      applicability)  # fmt: skip
        what = "a heredoc" if plain[0].startswith("<<") else f"the local path {plain[0]!r}"
        yield Finding(
            ins.keyword_span,
            f"ADD of {what}: use COPY, which only copies (ADD also extracts tar archives "
            "and downloads URLs)",
            fix,
        )


def _instructions_with_triggers(doc: Dockerfile) -> Iterator[tuple[Instruction, Instruction]]:
    """Every instruction as (top-level, effective): ``ONBUILD X`` yields (ONBUILD, X)."""
    for ins in doc.instructions:
        yield ins, ins
        if ins.onbuild_trigger is not None:
            yield ins, ins.onbuild_trigger


_SHELL_SYNTAX = frozenset("$|&;<>()`*?[]{}~#\"'\\!\n\r")


def _to_exec_form(args: str) -> str | None:
    """``/app/server --port 80`` as JSON, or None if the text uses shell syntax."""
    if not args.strip() or any(c in _SHELL_SYNTAX for c in args):
        return None
    words = args.split()
    if _ASSIGN_RE.match(words[0]):
        return None
    return json.dumps(words, ensure_ascii=False)


@rule(
    code="DL3025",
    name="shell-form-cmd",
    severity=Severity.WARNING,
    summary="CMD or ENTRYPOINT in shell form",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def shell_form_cmd(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `CMD` and `ENTRYPOINT` written as a plain command line instead of a JSON
    array. As BuildKit's JSONArgsRecommended, it is quiet when a `SHELL` instruction in
    the stage chain shows the shell is wanted. A bracketed list that is not valid JSON
    (`CMD ['/app']`) is left to GB006 (invalid-json-form).

    Unlike hadolint, `HEALTHCHECK CMD` in shell form is not reported: it has no
    signal-handling problem.

    ## Why is this bad?
    Shell form runs `/bin/sh -c "<command>"`: the shell is PID 1, does not forward
    SIGTERM, so `docker stop` waits 10 s and then kills the program without a chance to
    shut down. With ENTRYPOINT in shell form, the CMD and `docker run` arguments are
    ignored. And images without a shell (`scratch`, distroless) cannot start at all.

    ## Example
    ```dockerfile
    ENTRYPOINT /app/server --port 8080
    ```
    Use instead:
    ```dockerfile
    ENTRYPOINT ["/app/server", "--port", "8080"]
    ```

    ## Fix safety
    Offered only when the command uses no shell syntax (variables, pipes, quotes,
    redirections, globs). It is unsafe because the program then becomes PID 1 and
    gets signals directly, the environment is no longer expanded by a shell, and an
    ENTRYPOINT starts receiving CMD's arguments.

    ## References
    - https://docs.docker.com/reference/build-checks/json-args-recommended/
    - https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
    - https://github.com/hadolint/hadolint/wiki/DL3025
    """
    doc = ctx.doc
    for st in doc.stages:
        shell_set = any(i.keyword == "SHELL" for p in st.chain()[:-1] for i in p.instructions)
        no_shell = stage_image(st).is_static_runtime
        for ins in st.instructions:
            if ins.keyword == "SHELL":
                shell_set = True
                continue
            if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.is_exec_form or shell_set:
                continue
            args = ins.args.strip()
            if not args:
                continue
            if ins.looks_like_bad_json:
                continue  # a malformed JSON array: GB006 (invalid-json-form) reports it
            converted = _to_exec_form(args)
            lead = f"{ins.keyword} in shell form runs under /bin/sh -c, which does not pass "
            lead += "SIGTERM on, so docker stop waits and then kills the program"
            if no_shell:
                lead += f"; {stage_image(st).raw} has no /bin/sh, so the container cannot start"
            use = f"{ins.keyword} {converted}" if converted else f'{ins.keyword} ["program", "arg"]'
            fix = None
            if converted:
                span = ins.args_span(len(ins.args) - len(ins.args.lstrip()), len(ins.args.rstrip()))
                fix = Fix(f"Use exec form: {use}", (Edit(span.start, span.end, converted),),
                          Applicability.UNSAFE)  # fmt: skip
            yield Finding(ins.args_span(), f"{lead}: use the JSON form, {use}", fix)


@rule(
    code="DL4000",
    name="maintainer-deprecated",
    severity=Severity.WARNING,
    summary="MAINTAINER is deprecated",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def maintainer_deprecated(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the `MAINTAINER` instruction.

    ## Why is this bad?
    MAINTAINER has been deprecated since Docker 1.13; it sets the legacy `Author` field
    that OCI tools ignore. The standard place for this is the
    `org.opencontainers.image.authors` label.

    ## Example
    ```dockerfile
    MAINTAINER Jane Doe <jane@example.com>
    ```
    Use instead:
    ```dockerfile
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    ```

    ## Fix safety
    Unsafe: the image's `Author` field becomes empty and a label appears instead, which
    tools reading `docker inspect .Author` notice.

    ## References
    - https://docs.docker.com/reference/build-checks/maintainer-deprecated/
    - https://github.com/opencontainers/image-spec/blob/main/annotations.md
    - https://github.com/hadolint/hadolint/wiki/DL4000
    """
    doc = ctx.doc
    esc = doc.escape
    for ins in doc.instructions:
        if ins.keyword != "MAINTAINER":
            continue
        value = ins.args.strip()
        fix = None
        if value:
            quoted = "".join(esc + c if c in (esc, '"', "$") else c for c in value)
            label = _same_case(ins.keyword_raw, "LABEL")
            repl = f'{label} org.opencontainers.image.authors="{quoted}"'
            end = ins.args_text.source_end(len(ins.args.rstrip()))
            fix = Fix("Replace with LABEL org.opencontainers.image.authors",
                      (Edit(ins.keyword_span.start, end, repl),), Applicability.UNSAFE)  # fmt: skip
        yield Finding(
            ins.keyword_span,
            "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors="
            f'"{value}" instead',
            fix,
        )


def _repeated(doc: Dockerfile, keyword: str) -> Iterator[tuple[Instruction, Instruction]]:
    """(earlier, later) pairs of the same instruction within one stage."""
    for st in doc.stages:
        prev: Instruction | None = None
        for ins in st.instructions:
            if ins.keyword != keyword:
                continue
            if prev is not None:
                yield prev, ins
            prev = ins


def _repeated_findings(doc: Dockerfile, keyword: str) -> Iterator[Finding]:
    for prev, ins in _repeated(doc, keyword):
        fix = Fix(f"Remove the overridden {keyword} on line {prev.line}",
                  (_delete_instruction(doc, prev),), Applicability.SAFE)  # fmt: skip
        yield Finding(
            ins.keyword_span,
            f"A second {keyword} in this stage: only the last one takes effect, so the "
            f"{keyword} on line {prev.line} is ignored; keep one",
            fix,
        )


@rule(
    code="DL4003",
    name="multiple-cmd",
    severity=Severity.WARNING,
    summary="several CMD instructions in one stage",
    fix=Applicability.SAFE,
    category=CATEGORY,
)
def multiple_cmd(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags every `CMD` after the first in the same stage (the finding is on the later
    one, as in hadolint, so existing `# hadolint ignore=DL4003` comments keep working).

    ## Why is this bad?
    Only the last CMD of a stage is kept; the others are dead code that suggests the
    container does something it does not.

    ## Example
    ```dockerfile
    CMD ["/app", "serve"]
    CMD ["/app", "migrate"]
    ```
    Use instead:
    ```dockerfile
    CMD ["/app", "migrate"]
    ```

    ## Fix safety
    Removing the overridden CMD is safe: the image configuration does not change.

    ## References
    - https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
    - https://github.com/hadolint/hadolint/wiki/DL4003
    """
    return _repeated_findings(ctx.doc, "CMD")


@rule(
    code="DL4004",
    name="multiple-entrypoint",
    severity=Severity.ERROR,
    summary="several ENTRYPOINT instructions in one stage",
    fix=Applicability.SAFE,
    category=CATEGORY,
)
def multiple_entrypoint(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags every `ENTRYPOINT` after the first in the same stage (reported on the later
    one, as hadolint does).

    ## Why is this bad?
    Only the last ENTRYPOINT is kept. An earlier one is dead code, and usually a sign
    that two Dockerfiles were merged or that a stage boundary (`FROM`) is missing.

    ## Example
    ```dockerfile
    ENTRYPOINT ["/bin/sh", "-c"]
    ENTRYPOINT ["/app"]
    ```
    Use instead:
    ```dockerfile
    ENTRYPOINT ["/app"]
    ```

    ## Fix safety
    Removing the overridden ENTRYPOINT is safe: the last one decides, and it still
    resets an inherited CMD exactly as before.

    ## References
    - https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
    - https://github.com/hadolint/hadolint/wiki/DL4004
    """
    return _repeated_findings(ctx.doc, "ENTRYPOINT")


@rule(
    code="DL3012",
    name="multiple-healthcheck",
    severity=Severity.ERROR,
    summary="several HEALTHCHECK instructions in one stage",
    fix=Applicability.SAFE,
    category=CATEGORY,
)
def multiple_healthcheck(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags every `HEALTHCHECK` after the first in the same stage (reported on the later
    one, as hadolint does).

    ## Why is this bad?
    Only the last HEALTHCHECK (or `HEALTHCHECK NONE`) is kept; the others never run,
    which is easy to miss when a probe is edited in the wrong place.

    ## Example
    ```dockerfile
    HEALTHCHECK CMD ["/app", "health"]
    HEALTHCHECK --interval=10s CMD ["/app", "health"]
    ```
    Use instead:
    ```dockerfile
    HEALTHCHECK --interval=10s CMD ["/app", "health"]
    ```

    ## Fix safety
    Removing the overridden HEALTHCHECK is safe: the image configuration does not
    change.

    ## References
    - https://docs.docker.com/reference/dockerfile/#healthcheck
    - https://github.com/hadolint/hadolint/wiki/DL3012
    """
    return _repeated_findings(ctx.doc, "HEALTHCHECK")


_PORT_RE = re.compile(r"^(\d+)(?:-(\d+))?(?:/([A-Za-z]*))?$")


def _port_problem(value: str) -> str | None:
    """Why an EXPOSE word is invalid, or None."""
    if ":" in value:
        return (
            "maps a host port or address, which only docker run -p can do; "
            "EXPOSE takes container ports"
        )
    m = _PORT_RE.match(value)
    if not m:
        return "is not a port number (expected PORT, PORT/tcp, PORT/udp or START-END)"
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    proto = m.group(3)
    if lo > 65535 or hi > 65535:
        return "is outside the valid port range 0-65535"
    if hi < lo:
        return "is a range whose end is below its start"
    if proto and proto.lower() not in ("tcp", "udp", "sctp"):
        return "has an unknown protocol (use tcp, udp or sctp)"
    return None


@rule(
    code="DL3011",
    name="invalid-expose-port",
    severity=Severity.ERROR,
    summary="EXPOSE names an invalid port",
    category=CATEGORY,
)
def invalid_expose_port(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Checks every `EXPOSE` word (after variable expansion): a port or range must be in
    0-65535, a range must not be reversed, a protocol must be tcp, udp or sctp, and
    host mappings (`8080:80`) do not belong in a Dockerfile.

    ## Why is this bad?
    The build fails ("invalid containerPort", "invalid proto") or, for host mappings,
    BuildKit warns (ExposeInvalidFormat) and exposes only the container port. Publishing
    ports is a runtime decision (`docker run -p 8080:80`).

    ## Example
    ```dockerfile
    EXPOSE 80800
    EXPOSE 8080:80
    ```
    Use instead:
    ```dockerfile
    EXPOSE 8080
    EXPOSE 80
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#expose
    - https://docs.docker.com/reference/build-checks/expose-invalid-format/
    - https://github.com/hadolint/hadolint/wiki/DL3011
    """
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.keyword != "EXPOSE":
            continue
        for w in ins.words:
            value = _expand(doc, ins, w.value)
            if "$" in value or not value:
                continue
            problem = _port_problem(value)
            if problem:
                shown = f"{w.value!r} (= {value!r})" if value != w.value else repr(value)
                yield Finding(w.span, f"EXPOSE {shown} {problem}")


@rule(
    code="DL3045",
    name="copy-relative-destination",
    severity=Severity.WARNING,
    summary="COPY to a relative destination before any WORKDIR",
    category=CATEGORY,
)
def copy_relative_destination(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `COPY` and `ADD` whose destination is relative (`.`, `./`, `app/`) when no
    `WORKDIR` was set before in the stage or in the stages it is built `FROM`.
    Destinations that start with a variable that is not known are accepted.

    Unlike hadolint, ADD is checked too (it resolves destinations the same way).

    ## Why is this bad?
    The files land in the base image's working directory, which is invisible in the
    Dockerfile: `/` on alpine or distroless, `/go` on golang images. A later change of
    base image moves them, and `go build` then runs without go.mod next to it.

    ## Example
    ```dockerfile
    FROM golang:1.24
    COPY go.mod go.sum ./
    ```
    Use instead:
    ```dockerfile
    FROM golang:1.24
    WORKDIR /src
    COPY go.mod go.sum ./
    ```

    ## References
    - https://docs.docker.com/reference/dockerfile/#workdir
    - https://github.com/hadolint/hadolint/wiki/DL3045
    """
    doc = ctx.doc
    for st in doc.stages:
        workdir = any(i.keyword == "WORKDIR" for p in st.chain()[:-1] for i in p.instructions)
        implicit = " (/go in golang images)" if stage_image(st).is_golang else ""
        for ins in st.instructions:
            if ins.keyword == "WORKDIR":
                workdir = True
                continue
            if workdir or ins.keyword not in ("COPY", "ADD"):
                continue
            _sources, dest = _copy_paths(ins)
            if dest is None:
                continue
            raw, span = dest
            value = _expand(doc, ins, raw)
            if not value or _is_absolute(value):
                continue
            yield Finding(
                span,
                f"{ins.keyword} to the relative destination {value!r} before any WORKDIR: the "
                f"files land in the base image's working directory{implicit}; set WORKDIR "
                "first (e.g. WORKDIR /src) or use an absolute path",
            )


# =================================================================================
# RUN


@rule(
    code="DL3003",
    name="cd-in-run",
    severity=Severity.WARNING,
    summary="cd in RUN; use WORKDIR",
    category=CATEGORY,
)
def cd_in_run(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `cd` commands in `RUN` (heredoc scripts included).

    Unlike hadolint, `cd` inside a `( ... )` subshell is not reported: the subshell
    limits the directory change on purpose.

    ## Why is this bad?
    A `cd` lasts only until the end of its RUN, so the next RUN starts in the old
    directory again, a frequent cause of "go: go.mod file not found". WORKDIR changes the
    directory for every later instruction and documents it.

    ## Example
    ```dockerfile
    RUN cd /src && go build -o /out/app .
    ```
    Use instead:
    ```dockerfile
    WORKDIR /src
    RUN go build -o /out/app .
    ```

    ## References
    - https://docs.docker.com/build/building/best-practices/#workdir
    - https://github.com/hadolint/hadolint/wiki/DL3003
    """
    if not _runs_command(ctx.doc, "cd"):
        return
    for _outer, ins in _all_runs(ctx.doc):
        for cmd in _commands(ins):
            if cmd.name != "cd" or cmd.subshell:
                continue
            target = cmd.args[0].value if cmd.args else "~"
            last = cmd.args[0] if cmd.args else cmd.words[0]
            yield Finding(
                cmd.span(cmd.words[0], last),
                f"cd {target} only lasts until the end of this RUN: use WORKDIR {target} so "
                "later instructions run there too",
            )


@rule(
    code="DL3004",
    name="sudo-in-run",
    severity=Severity.ERROR,
    summary="sudo in RUN",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def sudo_in_run(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `sudo` in `RUN` commands.

    ## Why is this bad?
    Build steps run as root unless a `USER` says otherwise, so sudo is either useless or
    a sign that the image keeps a sudo-capable user at runtime. Most base images do not
    even ship sudo ("sudo: not found"), and it may prompt for a password or require a
    TTY. Switch users with `USER`; to drop privileges in an entrypoint use `gosu` or
    `su-exec`.

    ## Example
    ```dockerfile
    RUN sudo apt-get update
    ```
    Use instead:
    ```dockerfile
    USER root
    RUN apt-get update
    USER app
    ```

    ## Fix safety
    When the step already runs as root (no USER, or USER root, before it) and sudo
    has no options, the fix removes `sudo`. It is unsafe because sudo resets the
    environment (`env_reset`), so the command may see different variables.

    ## References
    - https://docs.docker.com/build/building/best-practices/#user
    - https://github.com/hadolint/hadolint/wiki/DL3004
    """
    doc = ctx.doc
    if not _runs_command(doc, "sudo"):
        return
    for outer, ins in _all_runs(doc):
        stage = doc.stage_of(outer)
        runs_as_root = False
        if stage is not None and ins is outer:
            user = _last_user(doc, stage.chain(), outer)
            if user is None:
                runs_as_root = not _image_defaults_to_nonroot(stage_image(stage))
            else:
                value = _expand(doc, user, user.args.strip())
                runs_as_root = "$" not in value and _user_is_root(value)
        for cmd in _commands(ins):
            if cmd.name != "sudo":
                continue
            sudo = cmd.words[0]
            fix = None
            if (
                runs_as_root
                and not cmd.exec_form
                and len(cmd.words) > 1
                and not cmd.words[1].value.startswith("-")
            ):
                start = cmd.script.source_offset(sudo.start)
                end = cmd.script.source_offset(cmd.words[1].start)
                fix = Fix("Remove sudo (the step already runs as root)", (Edit(start, end, ""),),
                          Applicability.UNSAFE)  # fmt: skip
            yield Finding(
                cmd.span(sudo),
                "sudo in a build step: RUN already runs as root unless USER says otherwise, "
                "and most images do not ship sudo; drop it, or switch with USER around the step",
                fix,
            )


_PIPEFAIL_SHELL = {
    "alpine": '["/bin/ash", "-o", "pipefail", "-c"]',
    "default": '["/bin/bash", "-o", "pipefail", "-c"]',
}


def _sets_pipefail(words: Sequence[str]) -> bool:
    """``-o pipefail`` (or ``-eo pipefail``, ``-euxo pipefail``) among shell options."""
    for k in range(1, len(words)):
        prev = words[k - 1]
        if words[k] == "pipefail" and prev[:1] == "-" and prev[1:2] != "-" and "o" in prev:
            return True
    return False


def _shell_at(doc: Dockerfile, ins: Instruction) -> tuple[str, ...] | None:
    """The argv of the last SHELL before ``ins`` in its stage chain, if any."""
    found: tuple[str, ...] | None = None
    for earlier in _before(doc, ins):
        if earlier.keyword == "SHELL" and earlier.json_args is not None:
            found = earlier.json_args
    return found


@rule(
    code="DL4006",
    name="pipe-without-pipefail",
    severity=Severity.WARNING,
    summary="RUN with a pipe and no pipefail",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def pipe_without_pipefail(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `RUN` whose shell script pipes one command into another (`a | b`) while
    the shell does not have `pipefail`: neither a `SHELL [..., "-o", "pipefail", ...]`
    earlier in the stage chain nor a `set -o pipefail` earlier in the same script.
    Non-POSIX shells (PowerShell, cmd) are skipped.

    Unlike hadolint, `set -o pipefail` inside the script (heredocs included) counts.

    ## Why is this bad?
    A pipeline's exit status is the last command's. In
    `RUN curl -fsSL https://example.com/install.sh | sh`, a failed download gives `sh`
    an empty script, `sh` succeeds, and the build goes on without the tool, to fail
    later with a confusing error, or not at all.

    Debian's `/bin/sh` is dash, which before 0.5.13 (Debian 12 ships 0.5.12) rejects
    `set -o pipefail` ("Illegal option -o pipefail"), so on Debian-based images switch
    the shell to bash. Alpine's busybox ash supports pipefail.

    ## Example
    ```dockerfile
    RUN wget -qO- https://example.com/tool.tar.gz | tar -xz -C /usr/local
    ```
    Use instead:
    ```dockerfile
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN wget -qO- https://example.com/tool.tar.gz | tar -xz -C /usr/local
    ```

    ## Fix safety
    The fix inserts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on alpine
    images) before the RUN. Unsafe: every later RUN and shell-form CMD of the stage uses
    that shell, pipelines that used to pass may now fail, and bash must exist in the
    image.

    ## References
    - https://docs.docker.com/build/building/best-practices/#using-pipes
    - https://github.com/hadolint/hadolint/wiki/DL4006
    """
    doc = ctx.doc
    for st in doc.stages:
        ref = stage_image(st)
        for ins in st.instructions:
            if ins.keyword != "RUN" or ins.is_exec_form:
                continue
            shell = _shell_at(doc, ins)
            if shell and (
                _basename(shell[0]).lower() in _NON_POSIX_SHELLS or _sets_pipefail(shell)
            ):
                continue
            found = _first_unprotected_pipe(_scripts(ins))
            if found is None:
                continue
            cmd, nxt = found
            first = cmd.words[0] if cmd.words else None
            last = nxt.words[-1] if nxt is not None and nxt.words else None
            if first is None:
                continue
            span = cmd.span(first, last or cmd.words[-1])
            left = " ".join(w.raw for w in cmd.words)
            fix = None
            if not ref.is_static_runtime:
                choice = "alpine" if ref.is_alpine else "default"
                line = _same_case(ins.keyword_raw, "SHELL") + " " + _PIPEFAIL_SHELL[choice]
                pos = doc.index.line_start(ins.line)
                text = _indent(doc, ins.line) + line + _newline(doc, pos)
                fix = Fix(f"Insert {line} before this RUN", (Edit(pos, pos, text),),
                          Applicability.UNSAFE)  # fmt: skip
            yield Finding(
                span,
                f"Without pipefail this RUN only fails if the last command of the pipe fails, "
                f"so a failing {left[:60]!r} goes unnoticed: add SHELL "
                f"{_PIPEFAIL_SHELL['alpine' if ref.is_alpine else 'default']} before it",
                fix,
            )


def _first_unprotected_pipe(scripts: Sequence[_Script]) -> tuple[_Cmd, _Cmd | None] | None:
    for script in scripts:
        pipefail = False
        cmds = script.commands
        for k, cmd in enumerate(cmds):
            if cmd.name == "set" and _sets_pipefail([w.value for w in cmd.words]):
                pipefail = True
            if cmd.pipe_out is not None and not pipefail:
                return cmd, cmds[k + 1] if k + 1 < len(cmds) else None
    return None


_APT_LISTS = "/var/lib/apt/lists"


@rule(
    code="DL3009",
    name="apt-lists-not-removed",
    severity=Severity.INFO,
    summary="apt-get update leaves package lists in the image",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def apt_lists_not_removed(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags a `RUN` that runs `apt-get update` (or `apt update`) but does not remove
    `/var/lib/apt/lists` in the same RUN (`rm -rf /var/lib/apt/lists/*` or
    `apt-get distclean`), unless that directory is a cache or tmpfs mount of the RUN.

    Only stages that end up in the image are checked: the final stage and the stages it
    is built `FROM`. Lists left in a builder stage cost nothing, since only copied files
    reach the image. Unlike hadolint, a builder stage that only other builder stages are
    built `FROM` is not reported either. A cache mount of `/var/cache/apt` alone does not
    count: it holds downloaded `.deb` files, while the lists live in `/var/lib/apt/lists`.

    ## Why is this bad?
    The lists (tens of megabytes) stay in the layer forever: deleting them in a later
    RUN does not shrink the image. They are also stale the moment the build ends.

    ## Example
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\
        && rm -rf /var/lib/apt/lists/*
    ```
    or, with BuildKit:
    ```dockerfile
    RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\
        apt-get update && apt-get install -y --no-install-recommends ca-certificates
    ```

    ## Fix safety
    The fix appends `&& rm -rf /var/lib/apt/lists/*` to the RUN. Unsafe: a later RUN of
    the same stage that runs `apt-get install` without its own `apt-get update` then
    fails with "Unable to locate package".

    ## References
    - https://docs.docker.com/build/building/best-practices/#apt-get
    - https://docs.docker.com/reference/dockerfile/#run---mounttypecache
    - https://github.com/hadolint/hadolint/wiki/DL3009
    """
    doc = ctx.doc
    for st in _final_chain(doc):
        for ins in st.instructions:
            if ins.keyword != "RUN" or _has_mount(ins, _APT_LISTS):
                continue
            scripts = _scripts(ins)
            cmds = [c for s in scripts for c in s.commands]
            update: tuple[_Cmd, _Word] | None = None
            cleaned = _removes(cmds, _APT_LISTS)
            for cmd in cmds:
                c = cmd.unwrapped()
                if c.name not in ("apt-get", "apt", "aptitude"):
                    continue
                sub = _subcommand(c, _APT_VALUE_OPTS)
                if sub is None:
                    continue
                if sub.value in ("distclean", "dist-clean"):
                    cleaned = True
                elif sub.value == "update" and update is None:
                    update = (c, sub)
            if update is None or cleaned:
                continue
            c, sub = update
            yield Finding(
                c.span(c.words[0], sub),
                f"{c.words[0].value} update leaves the package lists in this layer of the final "
                "image: end the same RUN with && rm -rf /var/lib/apt/lists/* (or mount "
                "/var/lib/apt/lists as a cache)",
                _append_to_run(doc, ins, scripts, "rm -rf /var/lib/apt/lists/*"),
            )


def _append_to_run(
    doc: Dockerfile, ins: Instruction, scripts: Sequence[_Script], command: str
) -> Fix | None:
    """A fix that appends ``&& command`` to a one-script shell-form RUN."""
    if ins.heredocs or len(scripts) != 1 or scripts[0].exec_form or scripts[0].comments:
        return None
    text = ins.args.rstrip()
    if not text or text.endswith(("&", "|", "\\")):
        return None
    glue = " " if text.endswith(";") else " && "
    pos = ins.args_text.source_end(len(text))
    return Fix(f"Append {glue.strip()} {command}".replace("  ", " "),
               (Edit(pos, pos, glue + command),), Applicability.UNSAFE)  # fmt: skip


# apt-get options that take a separate value.
_APT_VALUE_OPTS = frozenset({"-o", "-c", "-t", "--option", "--config-file", "--target-release"})


def _apt_get_installs(doc: Dockerfile) -> Iterator[tuple[Instruction, Instruction, _Cmd, _Word]]:
    """(top-level, RUN, command, ``install`` word) for every ``apt-get install``."""
    if not _runs_command(doc, "apt-get"):
        return
    for outer, ins in _all_runs(doc):
        for cmd in _commands(ins):
            c = cmd.unwrapped()
            if c.name != "apt-get":
                continue
            sub = _subcommand(c, _APT_VALUE_OPTS)
            if sub is not None and sub.value == "install":
                yield outer, ins, c, sub


def _apt_option(args: Sequence[_Word], key: str) -> str | None:
    """The value of ``-o Key=value`` (or ``-oKey=value``) among apt-get arguments."""
    low = key.lower()
    found = None
    for k, w in enumerate(args):
        v = w.value
        if v in ("-o", "--option") and k + 1 < len(args):
            v = args[k + 1].value
        elif v.startswith("-o"):
            v = v[2:]
        elif v.startswith("--option="):
            v = v[len("--option=") :]
        name, eq, val = v.partition("=")
        if eq and name.lower() == low:
            found = val.strip().lower()
    return found


_FALSE = frozenset({"false", "0", "no", "off"})


@rule(
    code="DL3014",
    name="apt-get-install-without-yes",
    severity=Severity.WARNING,
    summary="apt-get install without -y",
    fix=Applicability.SAFE,
    category=CATEGORY,
)
def apt_get_install_without_yes(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `apt-get install` without `-y`, `--yes`, `--assume-yes`, `-qq` (or two `-q`),
    or `-o APT::Get::Assume-Yes=true`. An `APT::Get::Assume-Yes` setting written to apt's
    configuration in an earlier RUN of the stage counts too.

    ## Why is this bad?
    Without a terminal apt-get cannot ask "Do you want to continue? [Y/n]", so it
    answers no and the build stops with "Abort." as soon as an install pulls in extra
    packages.

    ## Example
    ```dockerfile
    RUN apt-get update && apt-get install git
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update && apt-get install -y git
    ```

    ## Fix safety
    Adding `-y` is safe: it only answers the question the build cannot answer.

    ## References
    - https://manpages.debian.org/stable/apt/apt-get.8.en.html
    - https://github.com/hadolint/hadolint/wiki/DL3014
    """
    doc = ctx.doc
    for outer, _ins, c, sub in _apt_get_installs(doc):
        args = c.args
        values = [w.value for w in args]
        flags = _short_flags(args)
        quiet = flags.count("q") + values.count("--quiet")
        assume = _apt_option(args, "APT::Get::Assume-Yes")
        if (
            "y" in flags
            or "--yes" in values
            or "--assume-yes" in values
            or quiet >= 2
            or any(v in ("-q=2", "--quiet=2") for v in values)
            or (assume is not None and assume not in _FALSE)
            or _mentioned_before(doc, outer, "APT::Get::Assume-Yes")
        ):
            continue
        pos = c.insert_after(sub)
        fix = None
        if pos is not None:
            fix = Fix("Add -y", (Edit(pos, pos, " -y"),), Applicability.SAFE)
        yield Finding(
            c.span(c.words[0], sub),
            "apt-get install without -y: with no terminal to answer 'Do you want to continue?' "
            "the build aborts; use apt-get install -y",
            fix,
        )


@rule(
    code="DL3015",
    name="apt-get-install-recommends",
    severity=Severity.INFO,
    summary="apt-get install without --no-install-recommends",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def apt_get_install_recommends(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `apt-get install` without `--no-install-recommends` (or
    `-o APT::Install-Recommends=false`). An `APT::Install-Recommends` setting written to
    apt's configuration in an earlier RUN of the stage counts too.

    ## Why is this bad?
    By default apt also installs "recommended" packages, often tens or hundreds of
    megabytes the image never uses (installing `git` pulls in `less`, `openssh-client`,
    `patch`, `xauth`...). Install what you need explicitly.

    ## Example
    ```dockerfile
    RUN apt-get update && apt-get install -y git
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update && apt-get install -y --no-install-recommends git
    ```

    ## Fix safety
    Unsafe: some recommended packages may really be needed (e.g. `ca-certificates`
    comes with `curl` only as a recommendation), so list those explicitly.

    ## References
    - https://docs.docker.com/build/building/best-practices/#apt-get
    - https://github.com/hadolint/hadolint/wiki/DL3015
    """
    doc = ctx.doc
    for outer, _ins, c, sub in _apt_get_installs(doc):
        values = [w.value for w in c.args]
        rec = _apt_option(c.args, "APT::Install-Recommends")
        if (
            any(v.startswith("--no-install-recommends") for v in values)
            or (rec is not None and rec in _FALSE)
            or _mentioned_before(doc, outer, "APT::Install-Recommends")
        ):
            continue
        pos = c.insert_after(sub)
        fix = None
        if pos is not None:
            fix = Fix("Add --no-install-recommends", (Edit(pos, pos, " --no-install-recommends"),),
                      Applicability.UNSAFE)  # fmt: skip
        yield Finding(
            c.span(c.words[0], sub),
            "apt-get install also installs recommended packages: add --no-install-recommends "
            "and list what you need",
            fix,
        )


_APT_TO_APT_GET = frozenset(
    {
        "install", "update", "upgrade", "remove", "purge", "autoremove", "dist-upgrade",
        "clean", "autoclean", "source", "build-dep", "download", "check", "satisfy", "distclean",
    }
)  # fmt: skip
_APT_TO_APT_CACHE = frozenset({"search", "show", "policy", "showsrc", "depends", "rdepends"})


@rule(
    code="DL3027",
    name="apt-instead-of-apt-get",
    severity=Severity.WARNING,
    summary="apt is used in a build step; use apt-get or apt-cache",
    fix=Applicability.UNSAFE,
    category=CATEGORY,
)
def apt_instead_of_apt_get(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags the `apt` command in `RUN`.

    ## Why is this bad?
    `apt` is meant for people at a terminal: its output and options may change between
    releases, it prints "WARNING: apt does not have a stable CLI interface" in scripts,
    and it shows progress bars. `apt-get` and `apt-cache` are the stable, script-friendly
    tools.

    ## Example
    ```dockerfile
    RUN apt update && apt install -y git
    ```
    Use instead:
    ```dockerfile
    RUN apt-get update && apt-get install -y git
    ```

    ## Fix safety
    The fix renames `apt` to `apt-get` (or `apt-cache` for search, show and policy).
    Unsafe because the two differ in small ways (e.g. `apt` also accepts `full-upgrade`
    and `list`, and its defaults for progress output and package removal differ).

    ## References
    - https://manpages.debian.org/stable/apt/apt.8.en.html (section "Script usage")
    - https://github.com/hadolint/hadolint/wiki/DL3027
    """
    if not _runs_command(ctx.doc, "apt"):
        return
    for _outer, ins in _all_runs(ctx.doc):
        for cmd in _commands(ins):
            c = cmd.unwrapped()
            if c.name != "apt":
                continue
            word = c.words[0]
            sub = _subcommand(c, _APT_VALUE_OPTS)
            tool = "apt-get"
            if sub is not None and sub.value in _APT_TO_APT_CACHE:
                tool = "apt-cache"
            fix = None
            ok = sub is not None and (
                sub.value in _APT_TO_APT_GET or sub.value in _APT_TO_APT_CACHE
            )
            if ok and not c.exec_form and word.raw == word.value:
                start = c.script.source_offset(word.start)
                end = c.script.source_end(word.end)
                replacement = word.raw[: len(word.raw) - 3] + tool
                fix = Fix(f"Use {tool}", (Edit(start, end, replacement),), Applicability.UNSAFE)
            what = f"apt {sub.value}" if sub is not None else "apt"
            yield Finding(
                c.span(word),
                f"{what}: apt has no stable command-line interface for scripts; use {tool}",
                fix,
            )


_APK_VALUE_OPTS = frozenset(
    {
        "-X", "--repository", "-p", "--root", "--arch", "--keys-dir", "--repositories-file",
        "--cache-dir", "--cache-max-age", "--timeout", "-t", "--virtual",
    }
)  # fmt: skip


@rule(
    code="DL3019",
    name="apk-add-without-no-cache",
    severity=Severity.INFO,
    summary="apk add without --no-cache",
    fix=Applicability.SAFE,
    category=CATEGORY,
)
def apk_add_without_no_cache(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `apk add` without `--no-cache`, unless the RUN mounts a cache or tmpfs at
    `/var/cache/apk` (or `/etc/apk/cache`) or removes `/var/cache/apk` itself.

    Unlike hadolint, removing `/var/cache/apk/*` in the same RUN also counts.

    ## Why is this bad?
    Without `--no-cache`, apk keeps the package index it downloaded (several megabytes)
    in `/var/cache/apk`, inside the layer, and the index is stale at once anyway.

    ## Example
    ```dockerfile
    RUN apk add git openssh-client
    ```
    Use instead:
    ```dockerfile
    RUN apk add --no-cache git openssh-client
    ```

    ## Fix safety
    Adding `--no-cache` is safe: apk fetches a fresh index and installs the same
    packages, without keeping the index.

    ## References
    - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Add_a_Package
    - https://github.com/hadolint/hadolint/wiki/DL3019
    """
    if not _runs_command(ctx.doc, "apk"):
        return
    for _outer, ins in _all_runs(ctx.doc):
        if _has_mount(ins, "/var/cache/apk", "/etc/apk/cache"):
            continue
        cmds = list(_commands(ins))
        if _removes(cmds, "/var/cache/apk"):
            continue
        for cmd in cmds:
            c = cmd.unwrapped()
            if c.name != "apk":
                continue
            sub = _subcommand(c, _APK_VALUE_OPTS)
            if sub is None or sub.value != "add":
                continue
            if any(w.value == "--no-cache" for w in c.args):
                continue
            pos = c.insert_after(sub)
            fix = (
                Fix("Add --no-cache", (Edit(pos, pos, " --no-cache"),)) if pos is not None else None
            )
            yield Finding(
                c.span(c.words[0], sub),
                "apk add without --no-cache keeps the package index in /var/cache/apk in this "
                "layer: use apk add --no-cache",
                fix,
            )


# go flags that take a separate value (build flags and a few subcommand flags).
_GO_VALUE_FLAGS = frozenset(
    {
        "-o", "-tags", "-ldflags", "-gcflags", "-asmflags", "-gccgoflags", "-mod", "-modfile",
        "-p", "-pkgdir", "-buildmode", "-compiler", "-installsuffix", "-overlay", "-pgo",
        "-toolexec", "-exec", "-C", "-covermode", "-coverpkg", "-coverprofile", "-run",
        "-bench", "-timeout", "-count", "-cpu", "-parallel", "-benchtime", "-buildvcs",
    }
)  # fmt: skip
_MOVING_VERSIONS = frozenset(
    {"latest", "upgrade", "patch", "master", "main", "head", "trunk", "develop", "dev"}
)


def _go_packages(sub: str, words: Sequence[_Word]) -> list[_Word]:
    """The package arguments of ``go install``/``get`` (every one) or ``go run`` (the first)."""
    out: list[_Word] = []
    k = 0
    while k < len(words):
        v = words[k].value
        if v == "--":
            k += 1
            continue
        if v.startswith("-"):
            name = "-" + v.lstrip("-").split("=", 1)[0]
            k += 2 if "=" not in v and name in _GO_VALUE_FLAGS and name != "-buildvcs" else 1
            continue
        out.append(words[k])
        if sub == "run":
            break
        k += 1
    return out


def _go_package_problem(sub: str, pkg: str, ctx: LintContext, uses_modfile: bool) -> str | None:
    """Why a package argument is not pinned, or None when it is (or is local)."""
    if not pkg or "$" in pkg or pkg.startswith((".", "/")) or pkg in ("all", "std", "cmd"):
        return None
    if sub == "run" and pkg.endswith(".go"):
        return None
    path, at, version = pkg.rpartition("@") if "@" in pkg else (pkg, "", "")
    if at:
        if version.lower() in _MOVING_VERSIONS:
            return f"@{version} resolves to whatever is newest at build time"
        return None
    if "." not in path.split("/", 1)[0]:
        return None  # a standard-library or GOPATH package
    mod = ctx.project.go_mod
    if sub in ("install", "run"):
        if uses_modfile:
            return None
        if mod is not None:
            roots = [m for m in (mod.module, *mod.requires) if m]
            if any(path == r or path.startswith(r + "/") for r in roots):
                return None  # the version comes from go.mod
    if sub == "get":
        return "go get without a version takes the newest release (@upgrade)"
    return (
        "without @version go either refuses it outside a module ('requires a version') "
        "or builds whatever the current go.mod says"
    )


@rule(
    code="DL3062",
    name="go-install-unpinned",
    severity=Severity.WARNING,
    summary="go install/get/run of a remote package without a fixed version",
    category=CATEGORY,
)
def go_install_unpinned(ctx: LintContext) -> Iterator[Finding]:
    """## What it does
    Flags `go install`, `go get` and `go run` of a remote package (a path whose first
    element has a dot, like `golang.org/x/...`) without `@version`, or with a moving
    version such as `@latest`, `@master` or `@upgrade`.

    Unlike hadolint: local paths (`./cmd/app`, `.`, `main.go`), standard-library
    packages, versions from a variable (`@$VERSION`), `go get pkg@none` (which removes
    a dependency) and, when go.mod is known, `go install`/`go run` of a package of the
    main module or of a module go.mod requires (its version comes from go.mod) are fine.

    ## Why is this bad?
    An unpinned tool is whatever was released last: the build changes (or breaks, when
    the new release needs a newer Go than the image has) without any change to the
    repository, and a cached layer hides it until the cache is cleared.

    ## Example
    ```dockerfile
    RUN go install golang.org/x/tools/cmd/goimports@latest
    ```
    Use instead:
    ```dockerfile
    RUN go install golang.org/x/tools/cmd/goimports@v0.24.0
    ```

    ## References
    - https://go.dev/ref/mod#go-install
    - https://go.dev/ref/mod#version-queries
    - https://github.com/hadolint/hadolint/wiki/DL3062
    """
    for _outer, ins in _all_runs(ctx.doc):
        gcs = [gc for gc in go_commands(ins) if gc.subcommand in ("install", "get", "run")]
        if not gcs:
            continue
        # go_commands finds ``go`` words; keep those that really start a command (not
        # ``echo go install x``, not a data heredoc).
        go_starts = {
            c.script.source_offset(c.words[0].start)
            for c in (cmd.unwrapped() for cmd in _commands(ins))
            if c.name == "go" and not c.exec_form
        }
        for gc in gcs:
            if not ins.is_exec_form and gc.go_span.start not in go_starts:
                continue
            if ins.is_exec_form:
                words = [_Word(a, a, 0, len(ins.args)) for a in gc.args.split()]
                cmd = _Cmd(ins.args_text, (), False, None, (), exec_form=True)
            else:
                region = _lex(gc.script.slice(gc.start, gc.end)).commands
                if not region or len(region[0].unwrapped().words) < 2:
                    continue
                cmd = region[0].unwrapped()
                words = list(cmd.words[2:])
            uses_modfile = any(w.value.lstrip("-").startswith("modfile") for w in words)
            for pkg in _go_packages(gc.subcommand, words):
                problem = _go_package_problem(gc.subcommand, pkg.value, ctx, uses_modfile)
                if problem is None:
                    continue
                base = pkg.value.rpartition("@")[0] if "@" in pkg.value else pkg.value
                span = gc.span if cmd.exec_form else cmd.span(pkg)
                yield Finding(
                    span,
                    f"go {gc.subcommand} {pkg.value}: {problem}; pin a release, e.g. {base}@vX.Y.Z",
                )


RULES: tuple[Rule, ...] = (
    untagged_base_image,
    latest_base_image,
    from_platform_constant,
    duplicate_stage_name,
    copy_from_unknown_stage,
    copy_from_own_stage,
    copy_entire_filesystem,
    instruction_before_from,
    final_user_root,
    final_stage_without_user,
    relative_workdir,
    add_for_local_files,
    shell_form_cmd,
    maintainer_deprecated,
    multiple_cmd,
    multiple_entrypoint,
    multiple_healthcheck,
    invalid_expose_port,
    copy_relative_destination,
    cd_in_run,
    sudo_in_run,
    pipe_without_pipefail,
    apt_lists_not_removed,
    apt_get_install_without_yes,
    apt_get_install_recommends,
    apt_instead_of_apt_get,
    apk_add_without_no_cache,
    go_install_unpinned,
)
