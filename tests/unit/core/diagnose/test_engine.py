"""Ranking, deduplication, echoes, streaming and robustness of the diagnosis engine."""

from __future__ import annotations

import random
from pathlib import Path

from gobuildgui.core.diagnose import LogDiagnoser, diagnose_file, diagnose_lines, diagnose_text
from gobuildgui.core.diagnose.engine import MAX_EVIDENCE, MAX_LINE

DNS = (
    'go: github.com/google/uuid@v1.6.0: Get "https://proxy.golang.org/github.com/google/uuid/@v/'
    'v1.6.0.mod": dial tcp: lookup proxy.golang.org on 8.8.8.8:53: no such host'
)
EOF_LINE = (
    'go: github.com/aws/aws-sdk-go@v1.44.0: read "https:/proxy.golang.org/github.com/aws/'
    'aws-sdk-go/@v/v1.44.0.zip": unexpected EOF'
)
X509 = (
    'go: golang.org/x/net@v0.1.0: Get "https://proxy.golang.org/golang.org/x/net/@v/v0.1.0.mod": '
    "tls: failed to verify certificate: x509: certificate signed by unknown authority"
)


def test_root_cause_of_the_failing_step_comes_first() -> None:
    # Step #5 (a parallel stage) prints a DNS error but succeeds later with a retry;
    # step #8 fails with x509: that is the root cause, whatever came first in the log.
    log = "\n".join(
        [
            "#5 [tools 2/3] RUN go install example.com/tool@latest",
            f"#5 0.300 {DNS}",
            "#8 [builder 4/6] RUN go mod download",
            f"#8 1.100 {X509}",
            "#5 2.000 go: downloading example.com/tool v1.0.0",
            "#5 DONE 2.1s",
            '#8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: '
            "exit code: 1",
            "------",
            " > [builder 4/6] RUN go mod download:",
            f"1.100 {X509}",
            "------",
            'ERROR: failed to solve: process "/bin/sh -c go mod download" did not complete '
            "successfully: exit code: 1",
        ]
    )
    findings = diagnose_text(log)
    assert [f.code for f in findings] == ["GB230", "GB201"]
    assert findings[0].line == 4
    assert findings[0].count == 1  # the echo is not a second occurrence
    assert findings[0].fact("step") == "[builder 4/6] RUN go mod download"
    assert findings[0].in_failing_step
    assert not findings[1].in_failing_step


def test_classic_failing_step_wins_over_an_earlier_step() -> None:
    log = "\n".join(
        [
            "Step 3/7 : RUN apk add git || true",
            " ---> Running in 0a1b2c",
            "fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz",
            "ERROR: unable to select packages: Temporary failure in name resolution",
            "Step 4/7 : RUN go mod download",
            " ---> Running in 3d4e5f",
            "go: go.mod requires go >= 1.22.1 (running go 1.21.13; GOTOOLCHAIN=local)",
            "The command '/bin/sh -c go mod download' returned a non-zero code: 1",
        ]
    )
    findings = diagnose_text(log)
    assert [f.code for f in findings] == ["GB270", "GB205"]
    assert findings[0].fact("step") == "RUN go mod download"


def test_specific_cause_ranks_before_a_generic_symptom_in_the_same_step() -> None:
    findings = diagnose_text(f"{EOF_LINE}\n{X509}\n")
    assert [f.code for f in findings] == ["GB230", "GB216"]


def test_first_error_wins_among_equals() -> None:
    refused = (
        'go: example.com/m@v1.0.0: Get "http://10.0.0.9:3000/example.com/m/@v/v1.0.0.mod": '
        "dial tcp 10.0.0.9:3000: connect: connection refused"
    )
    assert [f.code for f in diagnose_text(f"{refused}\n{DNS}\n")] == ["GB212", "GB201"]
    assert [f.code for f in diagnose_text(f"{DNS}\n{refused}\n")] == ["GB201", "GB212"]


def test_repeats_are_merged_with_a_count_and_bounded_evidence() -> None:
    lines = [DNS.replace("uuid@v1.6.0", f"uuid{i}@v1.6.0") for i in range(20)]
    findings = diagnose_text("\n".join(lines))
    assert len(findings) == 1
    f = findings[0]
    assert f.count == 20
    assert len(f.evidence) == MAX_EVIDENCE
    assert [e.line for e in f.evidence] == [1, 2, 3, 4, 5]


def test_different_hosts_are_different_findings() -> None:
    other = DNS.replace("lookup proxy.golang.org", "lookup goproxy.corp.example")
    assert len(diagnose_text(f"{DNS}\n{other}\n")) == 2


def test_echo_counts_when_the_original_was_cut_off() -> None:
    # A log pasted from the "------" block only (the usual copy from a CI page).
    log = "\n".join(
        [
            "------",
            " > [builder 4/6] RUN go mod download:",
            f"0.512 {DNS}",
            "------",
            'ERROR: failed to solve: process "/bin/sh -c go mod download" did not complete '
            "successfully: exit code: 1",
        ]
    )
    (f,) = diagnose_text(log)
    assert f.code == "GB201"
    assert f.line == 3
    assert f.echo_only
    assert f.fact("step") == "[builder 4/6] RUN go mod download"


def test_failed_solve_line_can_be_the_root_cause() -> None:
    log = (
        "#3 [internal] load metadata for docker.io/library/golang:1.22\n"
        '#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/golang/'
        'manifests/1.22": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: no such host\n'
        "------\n > [internal] load metadata for docker.io/library/golang:1.22:\n------\n"
        "ERROR: failed to solve: golang:1.22: failed to resolve source metadata for docker.io/"
        'library/golang:1.22: failed to do request: Head "https://registry-1.docker.io/v2/library/'
        'golang/manifests/1.22": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: '
        "no such host\n"
    )
    (f,) = diagnose_text(log)
    assert (f.code, f.category, f.line) == ("GB201", "dns", 2)
    assert f.daemon_side
    assert "docker" in f.probes
    assert f.fixes[0] == "daemon-dns"
    assert f.count == 2


def test_daemon_side_pull_uses_daemon_fixes() -> None:
    (f,) = diagnose_text(
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": proxyconnect tcp: '
        "dial tcp 10.1.2.3:3128: connect: connection refused\n"
    )
    assert f.category == "proxy_unreachable"
    assert f.fixes == ("daemon-proxy",)
    assert "docker" in f.probes


def test_hints_for_google_dns_fallback_and_loopback_proxy() -> None:
    (dns,) = diagnose_text(DNS)
    assert "Google's public DNS" in dns.explanation
    (proxy,) = diagnose_text(
        'go: x@v1: Get "https://proxy.golang.org/x/@v/v1.mod": proxyconnect tcp: dial tcp '
        "127.0.0.1:7890: connect: connection refused"
    )
    assert "127.0.0.1 is a loopback address" in proxy.explanation


def test_secrets_in_evidence_and_facts_are_masked() -> None:
    line = (
        'go: corp.example/lib@v1.0.0: Get "https://corp.example/lib?go-get=1": proxyconnect tcp: '
        "dial tcp: lookup proxy.corp.example on 10.0.0.2:53: no such host "
        "(HTTPS_PROXY=http://alice:s3cr3t-pw@proxy.corp.example:3128 "
        "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789)"
    )
    (f,) = diagnose_text(line)
    blob = repr(f)
    assert "s3cr3t-pw" not in blob
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in blob


def test_streaming_in_random_pieces_equals_whole() -> None:
    from tests.unit.core.diagnose.cases import CASES
    from tests.unit.core.diagnose.test_patterns import buildkit

    text = "".join(buildkit(c.lines)[0] for c in CASES[:30])
    whole = diagnose_text(text)
    rng = random.Random(7)
    for _ in range(5):
        d = LogDiagnoser()
        pos = 0
        while pos < len(text):
            n = rng.randint(1, 200)
            d.feed(text[pos : pos + n])
            pos += n
        d.finish()
        assert d.findings() == whole


def test_incremental_findings_appear_while_feeding() -> None:
    d = LogDiagnoser()
    d.feed("#8 [builder 4/6] RUN go mod download\n")
    assert d.findings() == []
    d.feed(f"#8 0.5 {DNS[:40]}")
    assert d.findings() == []  # an incomplete line is not judged yet
    d.feed(DNS[40:] + "\n")
    assert [f.code for f in d.findings()] == ["GB201"]
    assert d.lines_seen == 2


def test_ansi_split_across_chunks_and_crlf() -> None:
    d = LogDiagnoser()
    text = f"\x1b[31m{DNS}\x1b[0m\r\nnext\r\n"
    cut = text.index("[31m")  # split inside the escape sequence
    d.feed(text[:cut])
    d.feed(text[cut:])
    d.finish()
    (f,) = d.findings()
    assert f.evidence[0].text == DNS


def test_progress_carriage_returns() -> None:
    (f,) = diagnose_text(f"downloading 10%\rdownloading 50%\r{DNS}\n")
    assert f.line == 1
    assert f.evidence[0].text == DNS


def test_huge_line_is_cut_around_the_match() -> None:
    junk = "x" * (3 * MAX_LINE)
    (f,) = diagnose_text(f"ok\n{junk} {DNS} {junk}\n")
    assert f.line == 2
    assert len(f.evidence[0].text) <= 500


def test_unterminated_enormous_line_is_scanned_in_pieces() -> None:
    d = LogDiagnoser()
    for _ in range(3):
        d.feed("y" * 700_000)
    d.feed(f" {DNS} ")
    for _ in range(3):
        d.feed("z" * 700_000)
    d.feed("\nsecond line\n")
    d.finish()
    (f,) = d.findings()
    assert f.line == 1
    assert d.lines_seen == 2


def test_truncated_last_line_without_newline() -> None:
    (f,) = diagnose_text(f"a\nb\n{DNS}")
    assert f.line == 3


def test_diagnose_lines_and_file(tmp_path: Path) -> None:
    lines = [f"noise {i}" for i in range(10)] + [DNS] + ["more noise"]
    assert diagnose_lines(lines)[0].line == 11
    assert diagnose_lines(line + "\n" for line in lines)[0].line == 11
    path = tmp_path / "build.log"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe invalid utf-8\n")
    (f,) = diagnose_file(path)
    assert f.line == 11


def test_line_numbers_across_chunk_boundaries(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    noise = "#12 1.000 go: downloading github.com/foo/bar v1.2.3\n"
    n = (3 << 20) // len(noise)  # three chunks of noise
    with path.open("w") as fh:
        for _ in range(n):
            fh.write(noise)
        fh.write(f"#12 9.000 {DNS}\n")
        fh.write("#12 ERROR: process \"/bin/sh -c go mod download\" did not complete successfully: "
                 "exit code: 1\n")  # fmt: skip
    (f,) = diagnose_file(path)
    assert f.line == n + 1
    assert f.in_failing_step


def test_parallel_steps_cancelled_by_a_failure_are_not_a_hang() -> None:
    log = "\n".join(
        [
            "#5 [tools 2/3] RUN go install example.com/tool@latest",
            "#8 [builder 4/6] RUN go mod download",
            "#8 1.0 go: something nobody recognises",
            '#8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: '
            "exit code: 1",
            "#5 CANCELED",
        ]
    )
    assert [f.code for f in diagnose_text(log)] == ["GB299"]


def test_user_cancel_while_downloading() -> None:
    log = "\n".join(
        [
            "#8 [builder 4/6] RUN go mod download -x",
            "#8 0.3 # get https://proxy.golang.org/golang.org/x/net/@v/v0.24.0.zip",
            "#8 CANCELED",
            "ERROR: failed to solve: context canceled",
        ]
    )
    findings = diagnose_text(log)
    assert [f.code for f in findings] == ["GB239"]
    assert findings[0].category == "mtu_or_network_hang"
    assert "daemon-mtu" in findings[0].fixes


def test_ci_timestamps_and_podman_wrapper() -> None:
    log = "\n".join(
        [
            f"2024-05-01T10:00:00.1234567Z #8 0.5 {DNS}",
            '2024-05-01T10:00:01.0000000Z Error: building at STEP "RUN go mod download": while '
            "running runtime: exit status 1",
        ]
    )
    (f,) = diagnose_text(log)
    assert (f.code, f.line) == ("GB201", 1)
    (w,) = diagnose_text(log.split("\n")[1])
    assert w.code == "GB299"
    assert w.fact("command") == "RUN go mod download"
    assert w.fact("exit_code") == "1"


def test_go_modules_from_artifact_registry_are_not_a_pull() -> None:
    (go,) = diagnose_text(
        'go: corp.example/lib@v1.0.0: Get "https://europe-west1-go.pkg.dev/p/r/corp.example/lib/'
        '@v/v1.0.0.mod": dial tcp 10.0.0.1:443: i/o timeout'
    )
    assert not go.daemon_side
    assert go.category == "goproxy_blocked_or_slow"
    (pull,) = diagnose_text(
        'Error response from daemon: Get "https://europe-docker.pkg.dev/v2/": dial tcp '
        "10.0.0.1:443: i/o timeout"
    )
    assert pull.daemon_side
    assert pull.category == "docker_registry_pull"
    assert "daemon-proxy" in pull.fixes


def test_distinct_findings_are_bounded() -> None:
    from gobuildgui.core.diagnose.engine import MAX_FINDINGS

    d = LogDiagnoser()
    d.feed(
        "".join(DNS.replace("proxy.golang.org on", f"h{i}.example on") + "\n" for i in range(500))
    )
    d.finish()
    assert len(d.findings()) == MAX_FINDINGS
    assert d.dropped == 500 - MAX_FINDINGS


def test_utf16_and_bom_files(tmp_path: Path) -> None:
    from gobuildgui.core.diagnose.engine import decode_log_bytes

    text = f"first line\r\n{DNS}\r\n"
    for encoding in ("utf-16", "utf-8-sig", "utf-16-be"):
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        path = tmp_path / f"{encoding}.log"
        path.write_bytes(data)
        (f,) = diagnose_file(path)
        assert (f.code, f.line) == ("GB201", 2), encoding
        assert decode_log_bytes(data).lstrip("\ufeff").startswith("first line")
