"""A streaming diagnoser for build logs: lines in, ranked findings out.

The engine reads a log in chunks and never holds more than one chunk, the evidence it
keeps (a few lines per finding, a bounded number of findings) and the state of the
build's framing (which step failed, whether a line is BuildKit's echo of a failed
step). A cheap prefilter, one regex of literal triggers that C code scans, skips the
lines that cannot match, so noise costs little more than reading it.

Framing understood:

- BuildKit plain progress: ``#12 3.456 go: ...`` (step id and time stripped, the step
  id kept), ``#12 ERROR: ...`` (step 12 failed), the ``------`` block that repeats a
  failed step's output (an *echo*: counted only when the original is missing) and the
  closing ``ERROR: failed to solve: ...``;
- the classic builder: ``Step 3/7 : RUN ...`` and ``The command '...' returned a
  non-zero code: 1`` (the current step failed);
- ANSI colour codes, CRLF, CI timestamps (``2024-05-01T10:00:00.123Z``), interleaved
  steps, and truncated or enormous lines (cut to a window around the match).
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from gobuildgui.core.diagnose.patterns import (
    BY_CODE,
    PATTERNS,
    RARE_FIRST,
    SPECIFIC,
    WRAPPER_CODE,
    Pattern,
)
from gobuildgui.core.secrets import redact

CANCELLED_CODE = "GB239"
CHUNK_SIZE = 1 << 20
# Lines longer than this are cut to a window around the match (minified output, binary
# garbage): the evidence stays readable and memory stays bounded.
MAX_LINE = 4096
# An unterminated "line" longer than this is scanned in pieces instead of buffered.
MAX_CARRY = 1 << 20
MAX_FINDINGS = 200
MAX_EVIDENCE = 5
MAX_EVIDENCE_CHARS = 400

_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# ``#12 3.456 `` / ``#12 `` (BuildKit), ``3.456 `` (BuildKit's echo in newer versions),
# ``2024-05-01T10:00:00.1234567Z `` (GitHub Actions and other CI runners).
_PREFIX_RE = re.compile(
    r"^(?:\d{4}-\d\d-\d\dT[\d:.]+Z? )?(?:#(?P<step>\d+) )?(?:(?P<time>\d+\.\d+) )?"
)
_BK_ERROR_RE = re.compile(r"^#(?P<step>\d+) ERROR\b")
_BK_HEADER_RE = re.compile(r"^#(?P<step>\d+) (?P<label>\[[^\]]+\] .*)$")
_ECHO_HEADER_RE = re.compile(r"^ > (?P<label>\[[^\]]+\] .*?):?$")
_CLASSIC_STEP_RE = re.compile(r"^Step (?P<n>\d+)/(?P<total>\d+) : (?P<label>.*)$")
_CLASSIC_FAIL_RE = re.compile(r"returned a non-zero code: \d+")

# Structural triggers: the prefilter must stop at these lines too.
_STRUCTURE = (
    "------",
    "ERROR",
    "Step ",
    "The command '",
    "> [",
    "] RUN ",
    "] load metadata for",
)

# Facts found on any matching line, beyond the pattern's own groups.
_MODULE_RE = re.compile(r"(?:^|\s)go: (?P<module>[^\s@:]+)@(?P<version>[^\s:]+): ")
_URL_RE = re.compile(
    r"(?:Get|Head|Post|reading|read) \"?(?P<url>https?:/{1,2}[^\s\"']+?)\"?(?::|$)"
)
_PROXY_URL_MODULE_RE = re.compile(r"/(?P<module>[^@]+?)/@v/(?P<version>[^/]+?)\.(?:info|mod|zip)$")
_IMAGE_RE = re.compile(
    r"(?:for|image) (?P<image>(?:[\w.-]+(?::\d+)?/)?[\w./-]+(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?)"
)
# Image registries (pulls happen on the daemon's side). Not all of pkg.dev or amazonaws.com:
# Artifact Registry and CodeArtifact also serve Go modules, fetched by the build.
_REGISTRY_SUFFIXES = ("docker.io", "docker.com", "gcr.io", "ghcr.io", "quay.io", "azurecr.io",
                      "-docker.pkg.dev")  # fmt: skip


def _is_registry(host: str) -> bool:
    return host.endswith(_REGISTRY_SUFFIXES) or ".dkr.ecr." in host


_DAEMON_MARKERS = (
    "Error response from daemon",
    "failed to resolve source metadata",
    "failed to do request",
    "failed to copy:",
    "load metadata for",
    "error pulling image",
)
_GOOGLE_DNS = ("8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844")

# Fix and category translation for failures that happen on the daemon side (image pulls,
# `FROM`): there the daemon's proxy/DNS/mirror settings matter, not the build's.
_DAEMON_FIX = {
    "client-proxy": "daemon-proxy",
    "dockerfile-proxy-args": "daemon-proxy",
    "go-proxy": "daemon-mirror",
    "dockerfile-goproxy": "daemon-mirror",
    "go-private": None,
    "dockerfile-private-auth": None,
    "dockerfile-ca-cert": None,
    "dockerfile-cache-mount": None,
    "dockerfile-lint-fix": None,
}
_DAEMON_GENERIC_CATEGORIES = frozenset(
    {"goproxy_blocked_or_slow", "mtu_or_network_hang", "module_not_found",
     "private_module_proxy_404", "private_module_auth", "other"}
)  # fmt: skip
# Facts that identify *which* failure a finding is; the others (module, url, ...) vary
# between repeats of one failure and are merged instead.
_VARYING_FACTS = frozenset(
    {"module", "version", "url", "status", "detail", "path", "downloaded", "expected",
     "expected_from", "gomod", "package", "revision", "query", "command", "exit_code",
     "what", "step", "image", "against", "x509", "why", "required", "declared",
     "server_response"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Evidence:
    """One log line that shows a finding (1-based line number, masked text)."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One recognised failure, with everything the CLI, the window and a report show."""

    code: str
    name: str
    category: str
    title: str
    explanation: str
    evidence: tuple[Evidence, ...]
    facts: tuple[tuple[str, str], ...]
    probes: tuple[str, ...]
    fixes: tuple[str, ...]
    count: int = 1
    # The build step that printed it failed (BuildKit ``#N ERROR``/classic exit code).
    in_failing_step: bool = False
    # Seen only in BuildKit's repeat of the failed step's output.
    echo_only: bool = False
    daemon_side: bool = False

    @property
    def line(self) -> int:
        """Line of the first evidence."""
        return self.evidence[0].line if self.evidence else 0

    def fact(self, name: str) -> str | None:
        """The value of one fact, or None."""
        for key, value in self.facts:
            if key == name:
                return value
        return None

    def facts_dict(self) -> dict[str, str]:
        return dict(self.facts)

    def to_json(self) -> dict[str, object]:
        """The JSON object of ``gobuildgui diagnose --format json``."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "title": self.title,
            "line": self.line,
            "evidence": [{"line": e.line, "text": e.text} for e in self.evidence],
            "facts": self.facts_dict(),
            "explanation": self.explanation,
            "probes": list(self.probes),
            "fixes": list(self.fixes),
            "count": self.count,
        }


@dataclass(slots=True)
class _Acc:
    """A finding under construction."""

    pattern: Pattern
    order: int
    evidence: list[Evidence] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    count: int = 0
    steps: set[int] = field(default_factory=set)
    classic_steps: set[int] = field(default_factory=set)
    no_step: bool = False
    echo_only: bool = True
    daemon_side: bool = False

    def wants_evidence(self, line: int) -> bool:
        return len(self.evidence) < MAX_EVIDENCE and all(e.line != line for e in self.evidence)

    def add_evidence(self, line: int, text: str) -> None:
        if self.wants_evidence(line):
            self.evidence.append(Evidence(line, text))


@dataclass(slots=True)
class _Pending:
    """Follower regexes still looking for their lines after a multi-line match."""

    acc: _Acc
    until_line: int


def _build_prefilter() -> re.Pattern[str]:
    colon: set[str] = set()
    other: set[str] = set(_STRUCTURE)
    for p in PATTERNS:
        for t in p.triggers:
            if t.startswith(": "):
                colon.add(t[2:])
            else:
                other.add(t)
    # The follower lines of multi-line messages (checksum mismatch, path mismatch).
    colon.add("h1:")
    other.update(("\tgo.sum:", "\t        but was required as:"))

    slow = [w for w in other if w[0] not in RARE_FIRST]
    if slow:
        raise AssertionError(f"prefilter triggers with a common first character: {slow}")

    def alt(words: Iterable[str]) -> str:
        # Longest first so a short word does not shadow a longer one with its prefix.
        return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))

    return re.compile(f": (?:{alt(colon)})|{alt(other)}")


_PREFILTER = _build_prefilter()


def _strip_ansi(text: str) -> str:
    return _ANSI_RE.sub("", text) if "\x1b" in text else text


def _host_of(url: str) -> str | None:
    if "://" not in url:
        # Go prints some URLs with one slash after a path.Clean: "https:/proxy.golang.org/...".
        url = url.replace(":/", "://", 1)
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _is_loopback(address: str) -> bool:
    addr = address.strip("[]")
    if addr == "localhost":
        return True
    try:
        return ipaddress.ip_address(addr).is_loopback
    except ValueError:
        return False


def _decode_module(path: str) -> str:
    # Proxy URLs case-encode upper-case letters as "!x" (golang.org/x/mod EscapePath).
    return re.sub(r"!([a-z])", lambda m: m.group(1).upper(), path.replace("%21", "!"))


class LogDiagnoser:
    """Incremental diagnosis: :meth:`feed` text as it arrives, ask :meth:`findings` any time.

    Not thread-safe: feed and query from one thread (the window runs it in a worker).
    """

    def __init__(self) -> None:
        self._carry = ""
        self._carry_is_continuation = False
        self._line = 1  # number of the line that starts at the beginning of ``_carry``
        self._accs: dict[tuple[object, ...], _Acc] = {}
        self._order = 0
        self._pending: list[_Pending] = []
        self._failed_steps: set[int] = set()
        self._failed_classic: set[int] = set()
        self._classic_step = 0
        self._classic_labels: dict[int, str] = {}
        self._step_labels: dict[int, str] = {}
        self._in_echo = False
        self._echo_label: str | None = None
        self._bytes = 0
        self._dropped = 0
        self._last_acc: _Acc | None = None
        self._last_line = 0

    # -- input ------------------------------------------------------------------------

    @property
    def lines_seen(self) -> int:
        """Number of complete lines read so far."""
        return self._line - 1

    @property
    def chars_seen(self) -> int:
        return self._bytes

    @property
    def dropped(self) -> int:
        """Matches not kept because MAX_FINDINGS distinct findings already exist."""
        return self._dropped

    def feed(self, chunk: str) -> None:
        """Add more log text (any size, split anywhere)."""
        if not chunk:
            return
        self._bytes += len(chunk)
        text = self._carry + chunk
        cut = text.rfind("\n")
        if cut < 0:
            self._carry = _strip_ansi(text) if "\x1b" in text and len(text) > 64 else text
            if len(self._carry) > MAX_CARRY:
                self._scan_long_carry()
            return
        body, self._carry = text[: cut + 1], text[cut + 1 :]
        self._scan(_strip_ansi(body))

    def finish(self) -> None:
        """The log is complete: read its last line even without a newline."""
        if self._carry:
            tail = _strip_ansi(self._carry) + "\n"
            self._carry = ""
            self._scan(tail)

    def _scan_long_carry(self) -> None:
        # A "line" of more than MAX_CARRY characters: scan all but its tail as part of
        # the current line; keep the tail so a trigger cut in two is still found.
        keep = 256
        head, self._carry = self._carry[:-keep], self._carry[-keep:]
        self._scan(head + "\n", advance=False)

    # -- scanning ---------------------------------------------------------------------

    def _scan(self, body: str, *, advance: bool = True) -> None:
        """Process complete lines; ``body`` ends with a newline."""
        line_no = self._line
        pos = 0  # start of the line numbered line_no
        search = _PREFILTER.search
        size = len(body)
        while True:
            m = search(body, pos)
            if m is None:
                break
            start = body.rfind("\n", 0, m.start()) + 1
            if start > pos:
                line_no += body.count("\n", pos, start)
            end = body.find("\n", m.end())
            if end < 0:
                end = size
            raw = body[start:end]
            if len(raw) > MAX_LINE:
                off = m.start() - start
                lo = max(0, off - MAX_LINE // 2)
                raw = raw[lo : lo + MAX_LINE]
            self._line_hit(raw, line_no)
            pos = end + 1
            line_no += 1
            if pos >= size:
                break
        if pos < size:
            line_no += body.count("\n", pos)
        if advance:
            self._line = line_no
        self._pending = [p for p in self._pending if p.until_line >= self._line]

    def _line_hit(self, raw: str, line_no: int) -> None:
        line = raw.rstrip("\r")
        if "\r" in line:
            # A progress bar rewriting itself: the last state is what a terminal shows.
            line = line.rsplit("\r", 1)[-1]
        stripped = line.strip()
        if stripped == "------":
            self._in_echo = not self._in_echo
            self._echo_label = None
            return
        pm = _PREFIX_RE.match(line)
        step = int(pm.group("step")) if pm and pm.group("step") else None
        msg = line[pm.end() :] if pm else line
        em = _BK_ERROR_RE.match(line)
        if em:
            self._failed_steps.add(int(em.group("step")))
        if self._in_echo:
            eh = _ECHO_HEADER_RE.match(line)
            if eh:
                self._echo_label = eh.group("label")
                return
        else:
            hm = _BK_HEADER_RE.match(line)
            if hm and len(self._step_labels) < 10_000:
                self._step_labels[int(hm.group("step"))] = hm.group("label")
        cm = _CLASSIC_STEP_RE.match(msg)
        if cm:
            self._classic_step = int(cm.group("n"))
            if len(self._classic_labels) < 10_000:
                self._classic_labels[self._classic_step] = cm.group("label")
            return
        if _CLASSIC_FAIL_RE.search(msg) and self._classic_step:
            self._failed_classic.add(self._classic_step)
        if msg.startswith("# get "):
            return  # `go -x` traces each request; go repeats a failure on its own line
        if self._server_response(msg, line_no):
            return
        # Followers of earlier multi-line matches.
        for pend in self._pending:
            if line_no <= pend.until_line:
                for frx in pend.acc.pattern.compiled_followers:
                    fm = frx.search(msg)
                    if fm:
                        for k, v in fm.groupdict().items():
                            if v and k not in pend.acc.facts:
                                pend.acc.facts[k] = redact(v)
                        if pend.acc.wants_evidence(line_no):
                            pend.acc.add_evidence(line_no, self._evidence_text(msg, fm))
        for pat in PATTERNS:
            if not any(t in msg for t in pat.triggers):
                continue
            mm = pat.compiled.search(msg)
            if mm is None:
                continue
            self._record(pat, mm, msg, line_no, step)
            break

    def _server_response(self, msg: str, line_no: int) -> bool:
        """Attach a module proxy's ``server response:`` (and its indented lines) to the
        finding of the error line above it: the proxy's own view (say, git's "terminal
        prompts disabled" behind a 410) explains that error, it is not another one."""
        acc = self._last_acc
        stripped = msg.lstrip()
        if stripped.startswith("server response:"):
            if acc is None or line_no - self._last_line > 2:
                return False
        elif not (msg.startswith("\t\t") and acc is not None and line_no - self._last_line <= 8):
            return False
        assert acc is not None
        self._last_line = line_no
        if acc.wants_evidence(line_no):
            acc.add_evidence(line_no, redact(stripped[:MAX_EVIDENCE_CHARS]))
        if stripped.startswith("server response:") and "server_response" not in acc.facts:
            acc.facts["server_response"] = redact(stripped[16:].strip()[:200])
        return True

    @staticmethod
    def _evidence_text(msg: str, m: re.Match[str]) -> str:
        text = msg.strip()
        if len(text) > MAX_EVIDENCE_CHARS:
            lo = max(0, m.start() - MAX_EVIDENCE_CHARS // 2)
            text = ("…" if lo else "") + msg[lo : lo + MAX_EVIDENCE_CHARS].strip() + "…"
        return redact(text)

    def _record(
        self, pat: Pattern, m: re.Match[str], msg: str, line_no: int, step: int | None
    ) -> None:
        facts = self._facts(pat, m, msg)
        daemon = any(marker in msg for marker in _DAEMON_MARKERS) or _is_registry(
            facts.get("host", "")
        )
        if pat.attach:
            for other in self._accs.values():
                if other.pattern.category == pat.category:
                    if other.wants_evidence(line_no):
                        other.add_evidence(line_no, self._evidence_text(msg, m))
                    return
        ident = tuple(sorted((k, v) for k, v in facts.items() if k not in _VARYING_FACTS))
        key: tuple[object, ...] = (pat.code, ident)
        acc = self._accs.get(key)
        if acc is None:
            if len(self._accs) >= MAX_FINDINGS:
                self._dropped += 1
                return
            self._order += 1
            acc = _Acc(pat, self._order)
            self._accs[key] = acc
        if not self._in_echo or acc.echo_only:
            acc.count += 1  # an echo repeats a line, it is not another occurrence
        for k, v in facts.items():
            if k not in acc.facts:
                acc.facts[k] = redact(v)  # masked once, when kept
        acc.daemon_side = acc.daemon_side or daemon
        if not self._in_echo:
            if acc.echo_only and acc.evidence:
                acc.evidence.clear()  # the original beats its echo
            acc.echo_only = False
            if acc.wants_evidence(line_no):
                acc.add_evidence(line_no, self._evidence_text(msg, m))
            if step is not None:
                acc.steps.add(step)
            elif self._classic_step:
                acc.classic_steps.add(self._classic_step)
            else:
                acc.no_step = True
        elif acc.echo_only:
            if acc.wants_evidence(line_no):
                acc.add_evidence(line_no, self._evidence_text(msg, m))
            if self._echo_label:
                acc.facts.setdefault("step", redact(self._echo_label))
        if pat.followers:
            self._pending.append(_Pending(acc, line_no + pat.window))
        self._last_acc, self._last_line = acc, line_no

    def _facts(self, pat: Pattern, m: re.Match[str], msg: str) -> dict[str, str]:
        facts: dict[str, str] = {}
        for k, v in m.groupdict().items():
            if v:
                facts[k.rstrip("0123456789") if k[-1:].isdigit() else k] = v
        mm = _MODULE_RE.search(msg)
        if mm:
            facts.setdefault("module", mm.group("module"))
            facts.setdefault("version", mm.group("version"))
        if "url" not in facts:
            um = _URL_RE.search(msg)
            if um:
                facts["url"] = um.group("url")
        url = facts.get("url")
        if url:
            host = _host_of(url)
            if host and pat.category != "dns":
                facts.setdefault("host", host)
            path = urlsplit(url).path if "://" in url else ""
            pm = _PROXY_URL_MODULE_RE.search(path)
            if pm:
                facts.setdefault("module", _decode_module(pm.group("module").lstrip("/")))
                facts.setdefault("version", _decode_module(pm.group("version")))
        if "image" not in facts and (
            "docker.io/" in msg or "pull access" in msg or "source metadata" in msg
        ):
            im = _IMAGE_RE.search(msg)
            if im:
                facts["image"] = im.group("image")
        return facts  # raw: the caller masks what it keeps

    # -- output -----------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """Findings so far, the most likely root cause first."""
        accs = [a for a in self._accs.values() if a.evidence]
        if self._failed_steps:
            # Steps running beside a step that failed are cancelled by BuildKit: that is
            # a consequence, not a hang.
            accs = [
                a for a in accs
                if a.pattern.code != CANCELLED_CODE or a.steps & self._failed_steps
            ]  # fmt: skip
        roots = [a for a in accs if a.pattern.code != WRAPPER_CODE]
        if roots:
            accs = roots  # the wrapper only speaks when nothing else explains the failure
        built = [self._finish(a) for a in accs]

        def rank(item: tuple[_Acc, Finding]) -> tuple[int, int, int, int, int]:
            acc, f = item
            step_rank = 0 if f.in_failing_step else (1 if self._unknown_step(acc) else 2)
            return (
                step_rank,
                int(f.echo_only),
                int(acc.pattern.tier < SPECIFIC),
                f.line,
                acc.order,
            )

        return [f for _, f in sorted(zip(accs, built, strict=True), key=rank)]

    def _unknown_step(self, acc: _Acc) -> bool:
        if acc.echo_only or acc.no_step:
            return True
        return not (self._failed_steps or self._failed_classic)

    def _finish(self, acc: _Acc) -> Finding:
        pat = acc.pattern
        failing = bool(acc.steps & self._failed_steps or acc.classic_steps & self._failed_classic)
        if acc.echo_only:
            failing = True  # BuildKit repeats only the output of the step that failed
        facts = dict(acc.facts)
        label = None
        for s in sorted(acc.steps & self._failed_steps) or sorted(acc.steps):
            label = self._step_labels.get(s)
            break
        if label is None:
            for s in sorted(acc.classic_steps & self._failed_classic) or sorted(acc.classic_steps):
                label = self._classic_labels.get(s)
                break
        if label:
            facts.setdefault("step", redact(label))
        category, probes, fixes = pat.category, list(pat.probes), list(pat.fixes)
        if acc.daemon_side:
            if category in _DAEMON_GENERIC_CATEGORIES:
                category = "docker_registry_pull"
            mapped: list[str] = []
            for fx in fixes:
                new = _DAEMON_FIX.get(fx, fx)
                if new and new not in mapped:
                    mapped.append(new)
            if category in ("dns",) and "daemon-dns" not in mapped:
                mapped.insert(0, "daemon-dns")
            fixes = mapped
            probes = [p for p in probes if p not in ("goproxy", "private-git", "container")]
            if "docker" not in probes:
                probes.append("docker")
        if (
            facts.get("host", "") in ("sum.golang.org", "sum.golang.google.cn")
            and "sumdb" not in probes
        ):
            probes.append("sumdb")
        return Finding(
            code=pat.code,
            name=pat.name,
            category=category,
            title=pat.title,
            explanation=pat.explanation + self._hints(facts, acc.daemon_side),
            evidence=tuple(acc.evidence),
            facts=tuple(facts.items()),
            probes=tuple(dict.fromkeys(probes)),
            fixes=tuple(dict.fromkeys(fixes)),
            count=acc.count,
            in_failing_step=failing,
            echo_only=acc.echo_only,
            daemon_side=acc.daemon_side,
        )

    @staticmethod
    def _hints(facts: dict[str, str], daemon: bool) -> str:
        hints: list[str] = []
        resolver = facts.get("resolver", "")
        res_host = resolver.rsplit(":", 1)[0].strip("[]") if resolver else ""
        if res_host in _GOOGLE_DNS:
            hints.append(
                f"The resolver is {res_host}, Google's public DNS: Docker/BuildKit use it when "
                "the host's resolv.conf lists only loopback resolvers (systemd-resolved, "
                'dnsmasq, a VPN client). Set daemon.json "dns" to your network\'s DNS.'
            )
        elif res_host == "127.0.0.11":
            hints.append(
                "127.0.0.11 is Docker's embedded DNS (user-defined networks); it could not "
                "reach its upstream servers."
            )
        elif res_host.startswith("192.168.65."):
            hints.append("192.168.65.x is Docker Desktop's internal DNS.")
        address = facts.get("address") or (facts.get("proxy") or "").rsplit(":", 1)[0]
        if address and _is_loopback(address):
            hints.append(
                f"{address} is a loopback address: inside a build container it is the "
                "container itself, not the host."
            )
        if daemon:
            hints.append(
                "This happened on the Docker daemon's side (pulling an image), so the "
                "daemon's proxy, DNS and mirror settings apply, not the build's."
            )
        return "".join(" " + h for h in hints)


class DisplayNormalizer:
    """Turns raw log text into what a viewer shows, line for line as the engine counts.

    ANSI escapes are removed, CRLF becomes LF, and a line rewritten with bare carriage
    returns (progress bars) keeps its last state. Feed chunks in order; an escape sequence
    or a CR split between two chunks is handled.
    """

    def __init__(self) -> None:
        self._hold = ""

    def feed(self, chunk: str) -> str:
        text = self._hold + chunk
        self._hold = ""
        esc = text.rfind("\x1b")
        if esc >= 0 and len(text) - esc < 64 and _ANSI_RE.match(text, esc) is None:
            text, self._hold = text[:esc], text[esc:]  # an escape cut in two
        if text.endswith("\r"):
            text, self._hold = text[:-1], "\r" + self._hold
        return normalize_display(text)

    def flush(self) -> str:
        text, self._hold = self._hold, ""
        return normalize_display(text)


_BARE_CR_RE = re.compile(r"[^\n]*\r(?!\n)")


def normalize_display(text: str) -> str:
    """``text`` without ANSI escapes, with LF line ends and progress rewrites collapsed."""
    text = _strip_ansi(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        text = _BARE_CR_RE.sub("", text)
        text = text.replace("\r", "")
    return text


# -- convenience front ends -------------------------------------------------------------


def diagnose_text(text: str) -> list[Finding]:
    """Diagnose a whole log held in memory."""
    d = LogDiagnoser()
    d.feed(text)
    d.finish()
    return d.findings()


def diagnose_lines(lines: Iterable[str]) -> list[Finding]:
    """Diagnose an iterable of lines (with or without their newlines), streaming."""
    d = LogDiagnoser()
    batch: list[str] = []
    size = 0
    for line in lines:
        if not line.endswith("\n"):
            line += "\n"
        batch.append(line)
        size += len(line)
        if size >= CHUNK_SIZE:
            d.feed("".join(batch))
            batch, size = [], 0
    d.feed("".join(batch))
    d.finish()
    return d.findings()


def _encoding_of(head: bytes) -> str:
    """UTF-16 when the bytes start with its BOM (PowerShell 5's ``>`` writes UTF-16LE),
    else UTF-8 (its BOM, if any, dropped)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


def decode_log_bytes(data: bytes) -> str:
    """A whole log's bytes as text, with the same encoding rules as :func:`iter_file_chunks`."""
    return data.decode(_encoding_of(data[:4]), errors="replace")


def iter_stream_chunks(stream: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """Decoded text of a binary stream in chunks (UTF-8, or UTF-16 with a BOM; bad bytes
    replaced)."""
    data = stream.read(chunk_size)
    decoder = codecs.getincrementaldecoder(_encoding_of(data[:4]))(errors="replace")
    while data:
        yield decoder.decode(data)
        data = stream.read(chunk_size)
    yield decoder.decode(b"", final=True)


def iter_file_chunks(path: Path, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """Decoded text of a file in chunks (see :func:`iter_stream_chunks`)."""
    with path.open("rb") as fh:
        yield from iter_stream_chunks(fh, chunk_size)


def diagnose_file(path: Path) -> list[Finding]:
    """Diagnose a log file of any size, a chunk at a time (raises OSError)."""
    d = LogDiagnoser()
    for chunk in iter_file_chunks(path):
        d.feed(chunk)
    d.finish()
    return d.findings()


__all__ = [
    "BY_CODE",
    "Evidence",
    "Finding",
    "LogDiagnoser",
    "diagnose_file",
    "diagnose_lines",
    "diagnose_text",
]
