"""Probes from inside a container on the build's network, with an image the user already has.

A build's ``RUN`` steps resolve names and connect from a container: the default bridge
with a copy of the host's resolv.conf minus loopback servers (or daemon.json ``dns``),
and only the proxies passed as build args. So the same checks are repeated there: name
resolution with the image's own tools, and the GOPROXY download with the image's own
``go`` when it has one. Nothing is ever pulled: a missing image is a SKIPPED result
that says which ``docker pull`` would make the probe possible.
"""

from __future__ import annotations

import json
import re
import shlex
import threading
from pathlib import Path
from typing import Any

from gobuildgui.core.probes.base import (
    CancelToken,
    Deadline,
    ProbeCancelled,
    ProbeResult,
    ProbeSpec,
    ProbeTimeoutError,
    Status,
    call_in_thread,
)
from gobuildgui.core.probes.docker_daemon import (
    daemon_error,
    daemon_url,
    docker_client,
    import_docker,
    precheck,
)
from gobuildgui.core.probes.target import ProbeTarget

#: Images tried, in order, when the Dockerfile names none that is present locally.
FALLBACK_IMAGES: tuple[str, ...] = ("golang", "busybox", "alpine", "debian", "ubuntu")
_GO_ENV = ("GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOSUMDB", "GONOPROXY", "GOINSECURE", "GOFLAGS")
_PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")


def dockerfile_base_image(path: Path | None) -> str | None:
    """The external base image of the Dockerfile's Go build stage (None if unknown)."""
    if path is None:
        return None
    from gobuildgui.core.dockerfile.parser import parse

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    external = [
        s.base_image
        for s in parse(text).stages
        if s.parent is None and s.base_image and s.base_image.lower() != "scratch"
    ]
    golang = [img for img in external if "golang" in img.lower()]
    chosen = golang or external
    return chosen[0] if chosen else None


def _local_image(client: Any, wanted: str | None) -> tuple[str | None, str]:
    """``(image, how chosen)``; image None when nothing suitable is present."""
    image_not_found = import_docker().errors.ImageNotFound

    if wanted:
        try:
            client.images.get(wanted)
            return wanted, "named"
        except image_not_found:
            return None, f"pull it first: docker pull {wanted}"
    tags = [t for img in client.images.list() for t in img.tags]
    for prefix in FALLBACK_IMAGES:
        for tag in tags:
            repo = tag.rsplit(":", 1)[0].rsplit("/", 1)[-1]
            if repo == prefix or repo.startswith(("gbg-" + prefix, prefix + "-")):
                return tag, "a small local image"
    return None, "pull it first: docker pull busybox"


def _run(
    target: ProbeTarget,
    script: str,
    env: dict[str, str],
    token: CancelToken,
    deadline: Deadline,
) -> tuple[str, int, str, str]:
    """Run ``script`` in a throw-away container; ``(output, exit code, image, network)``.

    Raises :class:`_SkipError` when no image is available and the docker SDK's
    exceptions when the daemon fails.
    """
    precheck(daemon_url(target.docker_host), token, deadline)
    client = call_in_thread(
        lambda: docker_client(target.docker_host, deadline.remaining()), token, deadline
    )
    container: Any = None
    try:
        wanted = target.container_image or dockerfile_base_image(target.dockerfile)
        image, how = call_in_thread(lambda: _local_image(client, wanted), token, deadline)
        if image is None:
            raise _SkipError(how)
        network = target.container_network or "bridge"
        if network not in ("host", "none") and not call_in_thread(
            lambda: client.networks.list(names=[network]), token, deadline
        ):
            raise _SkipError(
                f"the daemon has no {network!r} network (started with --bridge=none?);"
                " choose the build's network with --network"
            )
        kwargs: dict[str, Any] = {
            "command": ["/bin/sh", "-c", script],
            "environment": env,
            "network": network,
            "detach": True,
            "entrypoint": [],
        }
        if target.daemon_dns:  # daemon.json "dns" applies to host-network containers too
            kwargs["dns"] = list(target.daemon_dns)
        container = call_in_thread(lambda: client.containers.run(image, **kwargs), token, deadline)
        result = call_in_thread(
            lambda: container.wait(timeout=max(1, int(deadline.remaining() + 1))),
            token,
            deadline,
        )
        logs = call_in_thread(lambda: container.logs(stdout=True, stderr=True), token, deadline)
        return (
            logs.decode("utf-8", errors="replace"),
            int(result.get("StatusCode", -1)),
            image,
            network,
        )
    finally:
        _dispose(client, container)


def _dispose(client: Any, container: Any) -> None:
    """Remove the container and close the client without blocking the probe thread."""

    def work() -> None:
        try:
            if container is not None:
                container.remove(force=True)
        except Exception:  # already gone, or the daemon went away: nothing to clean
            pass
        finally:
            client.close()

    threading.Thread(target=work, name="gbg-container-cleanup", daemon=True).start()


class _SkipError(Exception):
    pass


def _container_env(target: ProbeTarget) -> dict[str, str]:
    env = {k: v for k, v in target.build_env.items() if k in _PROXY_ENV or k in _GO_ENV}
    env.setdefault("GOPROXY", target.goproxy)
    env.setdefault("GOSUMDB", target.gosumdb)
    if target.goprivate:
        env.setdefault("GOPRIVATE", target.goprivate)
    return env


def _failure(spec: ProbeSpec, exc: BaseException, what: str) -> ProbeResult:
    if isinstance(exc, _SkipError) and "network" in str(exc):
        return spec.result(Status.SKIPPED, f"no {what} check: {exc}", [("network", str(exc))])
    if isinstance(exc, _SkipError):
        return spec.result(
            Status.SKIPPED,
            f"no local image for the {what} check: {exc}",
            [("image", str(exc))],
            "gobuildgui never pulls an image without asking. Pull the Dockerfile's base"
            " image (or busybox) and run the probe again.",
        )
    return spec.result(
        Status.FAILED,
        f"could not run a container: {daemon_error(exc)}",
        [("error", str(exc)[:300])],
        "The daemon did not start the probe container; see the Docker daemon probe.",
    )


_DNS_SCRIPT = """
cat /etc/resolv.conf 2>/dev/null | sed 's/^/resolv: /'
for h in {hosts}; do
  ( if command -v nslookup >/dev/null 2>&1; then out=$(nslookup "$h" 2>&1); rc=$?;
    elif command -v getent >/dev/null 2>&1; then out=$(getent hosts "$h" 2>&1); rc=$?;
    else out="no nslookup or getent in this image"; rc=127; fi
    printf '%s\\n' "$out" | sed "s|^|$h> |"; echo "$h> rc=$rc" ) > "/tmp/gbg-$h.out" 2>&1 &
done
wait
for h in {hosts}; do cat "/tmp/gbg-$h.out"; done
"""


_IP_RE = re.compile(r"\b(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})\b")


def parse_lookup(lines: list[str]) -> tuple[str, str]:
    """``(verdict, detail)`` from nslookup/getent output: ok, nxdomain, refused, timeout, ..."""
    text = "\n".join(lines)
    low = text.lower()
    rc_match = re.search(r"rc=(\d+)", text)
    rc = int(rc_match.group(1)) if rc_match else 1
    if "nxdomain" in low or ("can't find" in low and "nxdomain" in low):
        return "nxdomain", "NXDOMAIN"
    if "refused" in low and "can't find" in low:
        return "refused", "REFUSED"
    if "servfail" in low:
        return "servfail", "SERVFAIL"
    if "timed out" in low or "no servers could be reached" in low:
        return "timeout", "timed out, no servers could be reached"
    if "network is unreachable" in low:
        return "unreachable", "network is unreachable"
    if "connection refused" in low:
        return "refused", "connection refused by the resolver"
    if rc == 127:
        return "notool", "no nslookup or getent in this image"
    after_name = text.split("Name:", 1)[1] if "Name:" in text else ""
    found = _IP_RE.findall(after_name)
    getent = [ln.split()[0] for ln in lines if ln.split() and _IP_RE.fullmatch(ln.split()[0])]
    if rc == 0 and (found or getent):
        return "ok", ", ".join((found or getent)[:3])
    if rc == 2 and not after_name:  # getent: key not found
        return "nxdomain", "not found (getent)"
    return "error", (lines[-2] if len(lines) > 1 else text)[:120]


def probe_container_dns(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, target: ProbeTarget
) -> ProbeResult:
    """Resolve the needed hosts from a container on the build network."""
    hosts = [h for h in target.needed_hosts() if re.fullmatch(r"[A-Za-z0-9.-]+", h)]
    script = _DNS_SCRIPT.format(hosts=" ".join(shlex.quote(h) for h in hosts))
    try:
        out, _, image, network = _run(target, script, {}, token, deadline)
    except (ProbeTimeoutError, ProbeCancelled):
        raise
    except Exception as exc:
        return _failure(spec, exc, "DNS")
    lines = out.splitlines()
    evidence: list[tuple[str, str]] = [("image", image), ("network", network)]
    servers = [ln.split(None, 1)[1] for ln in lines if ln.startswith("resolv: nameserver")]
    evidence.append(("resolv.conf", ", ".join(s.split()[-1] for s in servers) or "(none)"))
    bad: list[tuple[str, str]] = []
    for host in hosts:
        mine = [ln.split("> ", 1)[1] for ln in lines if ln.startswith(f"{host}> ")]
        verdict, detail = parse_lookup(mine)
        evidence.append((host, detail))
        if verdict == "notool":
            return spec.result(
                Status.SKIPPED,
                f"{image} has neither nslookup nor getent",
                evidence,
                "Use an image with a resolver tool (busybox, or the Debian-based golang images).",
            )
        if verdict != "ok":
            bad.append((host, detail))
    if not bad:
        return spec.result(
            Status.OK, f"all {len(hosts)} hosts resolve inside a container ({network})", evidence
        )
    first_host, first = bad[0]
    return spec.result(
        Status.FAILED,
        f"inside a container: {first_host}: {first}"
        + (f" (+{len(bad) - 1} more)" if len(bad) > 1 else ""),
        evidence,
        "The build's containers cannot resolve what the build needs, even if the host can:"
        " Docker drops loopback resolvers (127.0.0.53, a local dnsmasq) from the copied"
        " resolv.conf and falls back to 8.8.8.8, which corporate networks block. Set"
        ' daemon.json "dns" to a resolver reachable from containers.',
        ("daemon-dns",),
    )


def _tcp_only(
    spec: ProbeSpec, image: str, out: str, evidence: list[tuple[str, str]]
) -> ProbeResult:
    """The verdict for an image without go: could it at least connect to each proxy?"""
    lines = [ln.split(None, 1)[1] for ln in out.splitlines() if ln.startswith("gbg-tcp ")]
    failed = []
    for line in lines:
        hp, _, rest = line.partition(" ")
        ok = rest.startswith("rc=0")
        evidence.append((f"TCP {hp}", "connected" if ok else rest.split(" ", 1)[-1] or rest))
        if not ok:
            failed.append(hp)
    why = (
        f"{image} has no go tool, so only TCP connections to the GOPROXY hosts were tried"
        " (no protocol check); point the probe at a golang image for the full check."
    )
    if not lines:
        return spec.result(Status.SKIPPED, f"{image} has no go tool", evidence, why)
    if failed:
        return spec.result(
            Status.FAILED,
            f"inside a container, no TCP connection to {', '.join(failed)}",
            evidence,
            why + " The build's RUN step will not reach the module proxy either.",
            ("client-proxy", "dockerfile-proxy-args", "daemon-dns"),
        )
    return spec.result(
        Status.OK, f"inside a container, TCP to {len(lines)} GOPROXY host(s) works", evidence, why
    )


_GO_SCRIPT = """
if ! command -v go >/dev/null 2>&1; then
  echo "gbg: no go"
  for hp in {endpoints}; do
    h=${{hp%:*}}; p=${{hp##*:}}
    out=$(timeout {seconds} nc -w {seconds} "$h" "$p" </dev/null 2>&1); rc=$?
    echo "gbg-tcp $hp rc=$rc $out" | head -n 1
  done
  exit 127
fi
export HOME=/tmp GOPATH=/tmp/gbg-gopath GOMODCACHE=/tmp/gbg-modcache GOFLAGS=-mod=mod
cd /tmp && go mod download -json {mod} 2>&1
"""


def _goproxy_endpoints(target: ProbeTarget) -> list[str]:
    """host:port of every URL entry of GOPROXY (what a go-less image can at least dial)."""
    from urllib.parse import urlsplit

    out: list[str] = []
    try:
        entries = target.goproxy_entries
    except ValueError:
        return out
    for entry in entries:
        parts = urlsplit(entry.url)
        if entry.keyword or not parts.hostname or parts.scheme not in ("http", "https"):
            continue
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if re.fullmatch(r"[A-Za-z0-9.-]+", parts.hostname):
            out.append(f"{parts.hostname}:{port}")
    return out


def probe_container_goproxy(
    spec: ProbeSpec, token: CancelToken, deadline: Deadline, *, target: ProbeTarget
) -> ProbeResult:
    """Run the image's own ``go mod download MODULE@VERSION`` on the build network."""
    mod = f"{target.module}@{target.version}"
    env = _container_env(target)
    endpoints = _goproxy_endpoints(target)
    script = _GO_SCRIPT.format(
        mod=shlex.quote(mod),
        endpoints=" ".join(shlex.quote(e) for e in endpoints),
        seconds=max(1, int(target.timeout / 2)),
    )
    try:
        out, code, image, network = _run(target, script, env, token, deadline)
    except (ProbeTimeoutError, ProbeCancelled):
        raise
    except Exception as exc:
        return _failure(spec, exc, "GOPROXY")
    evidence: list[tuple[str, str]] = [("image", image), ("network", network)]
    evidence += [(k, v) for k, v in sorted(env.items())]
    if code == 127 and "gbg: no go" in out:
        return _tcp_only(spec, image, out, evidence)
    error = ""
    try:
        blob = out[out.index("{") : out.rindex("}") + 1]
        error = str(json.loads(blob).get("Error", ""))
    except ValueError:
        error = out.strip().splitlines()[-1] if out.strip() else ""
    evidence.append(("go says", (error or out.strip())[:400] or "(nothing)"))
    if code == 0 and not error:
        return spec.result(
            Status.OK, f"go mod download {mod} works inside a container ({network})", evidence
        )
    return spec.result(
        Status.FAILED,
        f"inside a container, go mod download fails: {(error or out.strip())[:160]}",
        evidence,
        "This is what the build's RUN step will meet. Compare with the host-side probes:"
        " a difference points at the build network (DNS, proxies not passed as build"
        " args, a CA missing from the image).",
        ("client-proxy", "dockerfile-proxy-args", "daemon-dns", "dockerfile-ca-cert"),
    )
