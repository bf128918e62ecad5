"""Every GB2xx pattern, on real-format lines, bare and inside each builder's framing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gobuildgui.core.diagnose import PATTERNS, Finding, diagnose_text
from gobuildgui.core.diagnose.patterns import CATEGORIES
from gobuildgui.core.ids import FIX_IDS, PROBE_FAMILIES
from tests.unit.core.diagnose.cases import CASES, Case

# A framing turns the case's lines into a whole log and says on which line the first
# error line lands.
Framing = Callable[[tuple[str, ...]], tuple[str, int]]


def bare(lines: tuple[str, ...]) -> tuple[str, int]:
    head = [
        "go: downloading github.com/google/uuid v1.6.0",
        "go: downloading golang.org/x/net v0.1.0",
    ]
    return "\n".join([*head, *lines]) + "\n", len(head) + 1


def buildkit(lines: tuple[str, ...]) -> tuple[str, int]:
    """Docker 23+ BuildKit plain progress, with the echo block and the failed-solve line."""
    head = [
        '#0 building with "default" instance using docker driver',
        "",
        "#1 [internal] load build definition from Dockerfile",
        "#1 transferring dockerfile: 312B done",
        "#1 DONE 0.0s",
        "#7 [builder 3/6] COPY go.mod go.sum ./",
        "#7 DONE 0.1s",
        "#8 [builder 4/6] RUN go mod download",
        "#8 0.412 go: downloading github.com/google/uuid v1.6.0",
    ]
    body = [f"#8 {1.5 + i / 1000:.3f} {ln}" for i, ln in enumerate(lines)]
    tail = [
        '#8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: '
        "exit code: 1",
        "------",
        " > [builder 4/6] RUN go mod download:",
        *[f"{1.5 + i / 1000:.3f} {ln}" for i, ln in enumerate(lines)],
        "------",
        "Dockerfile:9",
        "--------------------",
        "   7 |     COPY go.mod go.sum ./",
        "   8 |     ",
        "   9 | >>> RUN go mod download",
        "--------------------",
        'ERROR: failed to solve: process "/bin/sh -c go mod download" did not complete '
        "successfully: exit code: 1",
    ]
    return "\n".join([*head, *body, *tail]) + "\n", len(head) + 1


def classic(lines: tuple[str, ...]) -> tuple[str, int]:
    head = [
        "Sending build context to Docker daemon  8.704kB",
        "Step 1/7 : FROM golang:1.22 AS builder",
        " ---> 2f6d3a4b5c6d",
        "Step 4/7 : RUN go mod download",
        " ---> Running in 3f2a9c0d1e2f",
    ]
    tail = ["The command '/bin/sh -c go mod download' returned a non-zero code: 1"]
    return "\n".join([*head, *lines, *tail]) + "\n", len(head) + 1


def ansi_crlf(lines: tuple[str, ...]) -> tuple[str, int]:
    """BuildKit framing as a terminal captured it: colours and CRLF line ends."""
    text, first = buildkit(lines)
    coloured = [
        f"\x1b[34m{ln[:3]}\x1b[0m{ln[3:]}" if ln.startswith("#") else ln for ln in text.split("\n")
    ]
    return "\r\n".join(coloured), first


def old_buildkit(lines: tuple[str, ...]) -> tuple[str, int]:
    """Docker 20.10 BuildKit: `executor failed running`, echo lines keep their #N prefix."""
    head = ["#9 [build 4/6] RUN go mod download", "#9 sha256:0123456789abcdef"]
    body = [f"#9 2.{i:03d} {ln}" for i, ln in enumerate(lines)]
    tail = [
        "#9 ERROR: executor failed running [/bin/sh -c go mod download]: exit code: 1",
        "------",
        " > [build 4/6] RUN go mod download:",
        *body,
        "------",
        "executor failed running [/bin/sh -c go mod download]: exit code: 1",
    ]
    return "\n".join([*head, *body, *tail]) + "\n", len(head) + 1


FRAMINGS: dict[str, Framing] = {
    "bare": bare,
    "buildkit": buildkit,
    "classic": classic,
    "ansi-crlf": ansi_crlf,
    "buildkit-20.10": old_buildkit,
}


def _primary(findings: list[Finding]) -> Finding:
    assert findings, "nothing found"
    return findings[0]


@pytest.mark.parametrize("framing", list(FRAMINGS))
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_pattern_in_framing(case: Case, framing: str) -> None:
    text, first_line = FRAMINGS[framing](case.lines)
    findings = diagnose_text(text)
    f = _primary(findings)
    assert (f.code, f.category) == (case.code, case.category), [
        (x.code, x.line, x.evidence[0].text) for x in findings
    ]
    # The evidence is the original line, not BuildKit's echo of it.
    assert f.line == first_line + _offset(case)
    assert not f.echo_only
    facts = f.facts_dict()
    for key, value in case.facts.items():
        assert facts.get(key) == value, (key, facts)
    if framing in ("buildkit", "classic", "ansi-crlf", "buildkit-20.10"):
        assert f.in_failing_step
    # The wrapper line is never reported next to a real cause.
    assert all(x.code != "GB299" for x in findings)


def _offset(case: Case) -> int:
    """Index of the line the pattern itself matches, within the case's lines."""
    from gobuildgui.core.diagnose.patterns import BY_CODE

    pat = BY_CODE[case.code]
    for i, line in enumerate(case.lines):
        if pat.compiled.search(line):
            return i
    raise AssertionError(f"{case.id}: no line matches {case.code}")


def test_every_pattern_has_a_case() -> None:
    covered = {c.code for c in CASES} | {"GB299"}
    missing = [p.code for p in PATTERNS if p.code not in covered]
    assert not missing


def test_catalogue_shape() -> None:
    assert len(PATTERNS) >= 45
    codes = [p.code for p in PATTERNS]
    assert len(set(codes)) == len(codes)
    for p in PATTERNS:
        assert p.code.startswith("GB2")
        assert len(p.code) == 5
        assert p.category in CATEGORIES
        assert set(p.probes) <= set(PROBE_FAMILIES)
        assert set(p.fixes) <= set(FIX_IDS)
        assert p.title
        assert p.explanation.endswith(".")
    # Every category but "other" has a pattern; every family a log can point to is used.
    assert set(CATEGORIES) == {p.category for p in PATTERNS}


def test_triggers_are_present_in_each_case() -> None:
    """The prefilter must not hide a case: one of its triggers occurs in the matched line."""
    from gobuildgui.core.diagnose.patterns import BY_CODE

    for case in CASES:
        pat = BY_CODE[case.code]
        line = case.lines[_offset(case)]
        assert any(t in line for t in pat.triggers), case.id


def test_wrapper_only_when_nothing_else() -> None:
    text, _ = buildkit(("go: something odd happened",))
    findings = diagnose_text(text)
    assert [f.code for f in findings] == ["GB299"]
    assert findings[0].fact("command") == "/bin/sh -c go mod download"
    assert findings[0].fact("exit_code") == "1"
    assert findings[0].fact("step") == "[builder 4/6] RUN go mod download"


def test_nothing_in_a_clean_log() -> None:
    text = "#1 [internal] load build definition\n#1 DONE 0.0s\n#2 writing image sha256:abc done\n"
    assert diagnose_text(text) == []
