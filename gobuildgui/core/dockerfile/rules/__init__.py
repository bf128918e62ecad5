"""The rule registry: every rule of every rule module, plus the engine's own checks.

Rule modules are imported explicitly (no plugin discovery) so that the set of rules
is the same in the CLI, the GUI and a frozen build.  Each module exposes
``RULES: tuple[Rule, ...]``.  Codes and names are checked for uniqueness and form at
import time, so a clash fails loudly in every test run instead of shadowing a rule.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from gobuildgui.core.dockerfile.rule import CODE_RE, Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.rules import (
    buildcontext,
    final_stage,
    goproxy,
    hygiene,
    modcache,
    private,
    proxies,
    syntax,
)
from gobuildgui.core.model import Severity

__all__ = [
    "ALL_RULES",
    "ENGINE_RULES",
    "INTERNAL_ERROR",
    "INVALID_PRAGMA",
    "RULES_BY_CODE",
    "RULES_BY_NAME",
    "SYNTAX_ERROR",
    "find_rule",
    "suggest_rules",
]

_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@rule(
    code="GB000",
    name="internal-error",
    severity=Severity.WARNING,
    summary="a lint rule crashed; its findings are missing",
    category="engine",
)
def _internal_error(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Reports that a lint rule raised an exception while checking this file. The
    engine catches the exception, so every other rule still runs, and reports this
    diagnostic instead of the crashed rule's findings.

    ## Why is this bad?
    The rule named in the message did not check the file, so problems it would have
    found are missing from the report. This is a bug in gobuildgui, not in your
    Dockerfile: please report it together with the Dockerfile (or a small one that
    reproduces it).

    ## Example
    ```text
    Dockerfile:1:1: warning GB000 rule GB101 (example-rule) crashed with KeyError: 'x'
    ```

    To silence it until a fixed version is out, add the crashing rule's code to
    `ignore` in `.gobuildgui.toml`.
    """
    return iter(())  # emitted by the engine, never by this check


@rule(
    code="GB001",
    name="syntax-error",
    severity=Severity.ERROR,
    summary="the Dockerfile cannot be parsed as BuildKit would",
    category="syntax",
)
def _syntax_error(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Reports text that BuildKit's Dockerfile parser rejects or reads differently
    from what it looks like: an unterminated heredoc, an instruction without
    arguments, a duplicated or invalid parser directive, a forbidden ONBUILD trigger.

    ## Why is this bad?
    `docker build` stops before running any step when the Dockerfile does not parse,
    and every other rule sees a partial view of the file, so fix these first.

    ## Example
    ```dockerfile
    RUN <<EOF
    go mod download
    ```

    Use instead:
    ```dockerfile
    RUN <<EOF
    go mod download
    EOF
    ```

    ## Fix safety
    There is no automatic fix. `ignore=all` in a pragma does not hide this
    diagnostic; name `GB001` explicitly if you must.
    """
    return iter(())  # the parser reports these (``Dockerfile.problems``)


@rule(
    code="GB003",
    name="invalid-pragma",
    severity=Severity.INFO,
    summary="a gobuildgui pragma comment does not do what it says",
    category="engine",
)
def _invalid_pragma(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks `# gobuildgui ignore=...` comments: it reports a code or rule name that
    no rule has, a malformed pragma, codes separated by blanks instead of commas, and
    a line or stage pragma that applies to nothing because a blank line (or the end
    of the file) follows it, or because a stage pragma is not above a `FROM`.

    `# hadolint ...` pragmas are not checked: their DL codes may belong to rules
    only hadolint has.

    ## Why is this bad?
    A pragma that matches nothing suppresses nothing, so the finding it was meant to
    silence still shows, or a typo silently stops silencing a rule after a rename.

    ## Example
    ```dockerfile
    # gobuildgui ignore=GB10
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    # gobuildgui ignore=GB101 -- the CI image preloads the module cache
    RUN go mod download
    ```
    """
    return iter(())  # emitted by the engine, which knows the rules of the run


INTERNAL_ERROR = _internal_error
SYNTAX_ERROR = _syntax_error
INVALID_PRAGMA = _invalid_pragma
ENGINE_RULES: tuple[Rule, ...] = (INTERNAL_ERROR, SYNTAX_ERROR, INVALID_PRAGMA)

_MODULES = (syntax, hygiene, modcache, goproxy, proxies, private, final_stage, buildcontext)


def _collect() -> tuple[Rule, ...]:
    owner: dict[str, str] = {}
    names: dict[str, str] = {}
    rules: list[Rule] = []
    sources: list[tuple[str, tuple[Rule, ...]]] = [("engine", ENGINE_RULES)]
    sources += [(m.__name__.rsplit(".", 1)[-1], tuple(m.RULES)) for m in _MODULES]
    for where, module_rules in sources:
        for r in module_rules:
            if not CODE_RE.match(r.code):
                raise RuntimeError(f"rule code {r.code!r} in {where} is not GBnnn or DLnnnn")
            if not _NAME_RE.match(r.name):
                raise RuntimeError(f"rule name {r.name!r} ({r.code}) in {where} is not kebab-case")
            if r.code in owner:
                raise RuntimeError(f"duplicate rule code {r.code} in {owner[r.code]} and {where}")
            if r.name in names:
                raise RuntimeError(f"duplicate rule name {r.name!r} in {names[r.name]} and {where}")
            owner[r.code] = where
            names[r.name] = where
            rules.append(r)
    return tuple(sorted(rules, key=lambda r: r.code))


ALL_RULES: tuple[Rule, ...] = _collect()
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}
RULES_BY_NAME: dict[str, Rule] = {r.name: r for r in ALL_RULES}


def find_rule(key: str) -> Rule | None:
    """The rule with code ``key`` (case-insensitive) or name ``key``; None if there is none."""
    key = key.strip()
    return RULES_BY_CODE.get(key.upper()) or RULES_BY_NAME.get(key.lower())


def suggest_rules(key: str, n: int = 3) -> list[str]:
    """Codes or names close to ``key`` (for "did you mean" messages), best first."""
    key = key.strip()
    code = re.match(r"^([A-Za-z]{2})0*(\d+)$", key)
    if code:
        # "GB3" and "GB03" mean GB003: a dropped zero is the likeliest typo, and
        # difflib scores GB003 and GB103 alike for it.
        prefix, number = code.group(1).upper(), code.group(2)
        padded = f"{prefix}{number.zfill(3)}"
        found = [padded] if padded in RULES_BY_CODE else []
        close = difflib.get_close_matches(key.upper(), list(RULES_BY_CODE), n=n + 1, cutoff=0.6)
        found += [c for c in close if c != padded]
        return found[:n]
    return difflib.get_close_matches(key.lower(), list(RULES_BY_NAME), n=n, cutoff=0.6)
