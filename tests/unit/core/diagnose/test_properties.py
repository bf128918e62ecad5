"""Property tests: wherever a failure sits in any noise, cut into any chunks, it is found
at its own line, and nothing is found in noise alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gobuildgui.core.diagnose import LogDiagnoser
from tests.unit.core.diagnose.cases import CASES

NOISE = (
    "#8 0.412 go: downloading github.com/google/uuid v1.6.0",
    "#12 DONE 0.1s",
    "#3 [internal] load build context",
    "ok  \tgithub.com/foo/bar\t0.012s",
    "=== RUN   TestParse",
    "--- PASS: TestParse (0.00s)",
    "Step 2/7 : WORKDIR /src",
    " ---> Running in 3f2a9c0d1e2f",
    "\x1b[32mSuccessfully built 0123456789ab\x1b[0m",
    "progress 10%\rprogress 100%",
    "",
)
# Single-line cases whose pattern is specific (not a multi-line message).
SINGLE = [c for c in CASES if len(c.lines) == 1]


def _run(text: str, cuts: list[int]) -> list[tuple[str, int]]:
    d = LogDiagnoser()
    pos = 0
    for cut in sorted(set(cuts)):
        if pos < cut < len(text):
            d.feed(text[pos:cut])
            pos = cut
    d.feed(text[pos:])
    d.finish()
    return [(f.code, f.line) for f in d.findings()]


@settings(max_examples=60, deadline=None)
@given(
    noise=st.lists(st.sampled_from(NOISE), max_size=60),
    index=st.integers(min_value=0),
    case=st.sampled_from(SINGLE),
    crlf=st.booleans(),
    cuts=st.lists(st.integers(min_value=0, max_value=20_000), max_size=12),
)
def test_failure_found_at_its_line_in_any_noise_and_chunking(
    noise: list[str], index: int, case: object, crlf: bool, cuts: list[int]
) -> None:
    from tests.unit.core.diagnose.cases import Case

    assert isinstance(case, Case)
    at = index % (len(noise) + 1)
    lines = [*noise[:at], case.lines[0], *noise[at:]]
    text = ("\r\n" if crlf else "\n").join(lines)
    found = _run(text, cuts)
    assert found, text
    assert found[0] == (case.code, at + 1)


@settings(max_examples=40, deadline=None)
@given(
    noise=st.lists(st.sampled_from(NOISE), max_size=80),
    cuts=st.lists(st.integers(min_value=0, max_value=5_000), max_size=8),
)
def test_noise_alone_finds_nothing(noise: list[str], cuts: list[int]) -> None:
    assert _run("\n".join(noise), cuts) == []
