"""HTTP proxies on loopback: tinyproxy and squid, with or without basic auth."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from tests.testbed._util import (
    TestbedError,
    free_port,
    make_tempdir,
    need_binary,
    read_tail,
    run,
    spawn,
    stop_pid,
    stop_process,
    tcp_open,
    wait_until,
)
from tests.testbed.netns import Netns

ProxyKind = Literal["tinyproxy", "squid"]
SQUID_AUTH_HELPER = Path("/usr/lib/squid/basic_ncsa_auth")


class HttpProxy:
    """tinyproxy or squid on ``127.0.0.1:<free port>``.

    - ``credentials=(user, password)`` turns on basic auth. No credentials -> 407 from both;
      wrong ones -> tinyproxy **401**, squid 407 (as the real programs answer).
    - ``connect_ports``: the only ports CONNECT may reach (others -> 403); ``None`` = any.
    - ``hosts``: name -> IP answers from a private hosts file. As root, in the root
      namespace, the proxy runs in a mount namespace of its own where /etc/resolv.conf
      names only 127.0.0.1 and /etc/hosts is that file, so it never asks the machine's
      real DNS server; with ``netns=`` it uses the namespace's resolv.conf (its dnsmasq).
    - ``stop()``/``start()`` (same port) model "proxy down".
    """

    def __init__(
        self,
        kind: ProxyKind = "tinyproxy",
        *,
        credentials: tuple[str, str] | None = None,
        connect_ports: Sequence[int] | None = None,
        hosts: Mapping[str, str] | None = None,
        netns: Netns | None = None,
        port: int | None = None,
    ) -> None:
        self.kind: ProxyKind = kind
        if kind == "tinyproxy":
            self._binary = need_binary("tinyproxy", package="tinyproxy")
        else:
            self._binary = need_binary("squid", package="squid")
            if credentials and not SQUID_AUTH_HELPER.exists():
                raise TestbedError(f"{SQUID_AUTH_HELPER} missing (Debian package squid)")
        self.credentials = credentials
        self.connect_ports = list(connect_ports) if connect_ports is not None else None
        self.hosts = dict(hosts or {})
        self.netns = netns
        self.host = "127.0.0.1"
        self._fixed_port = port
        self.port = port or 0
        self.dir = make_tempdir(kind, shared=True)
        # The proxy drops to an unprivileged user that must write its log and pid files.
        os.chmod(self.dir, 0o777)
        self._proc: subprocess.Popen[bytes] | None = None

    # --- addresses --------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url_with_credentials(self) -> str:
        if self.credentials is None:
            return self.url
        return self.url_with(*self.credentials)

    def url_with(self, user: str, password: str) -> str:
        return f"http://{quote(user, safe='')}:{quote(password, safe='')}@{self.host}:{self.port}"

    @property
    def log_text(self) -> str:
        return "".join(read_tail(p, 20_000) for p in sorted(self.dir.glob("*.log")))

    # --- life cycle -------------------------------------------------------------------
    def start(self) -> HttpProxy:
        """Start; a restart tries the old port first (tests hold its URL), then free ones."""
        wanted = self._fixed_port
        last = ""
        for attempt in range(5):
            self.port = wanted if wanted and attempt == 0 else free_port()
            self._proc = self._spawn()
            try:
                wait_until(self._listening, timeout=15, what=f"{self.kind} on {self.port}")
            except TestbedError as exc:
                last = str(exc)
                self.stop()
                continue
            self._fixed_port = self.port
            return self
        raise TestbedError(f"{self.kind} did not start: {last}\n{self.log_text}")

    def stop(self) -> None:
        if self.kind == "squid":
            # squid takes 2 s to shut down whatever the signal and shutdown_lifetime; it
            # keeps no state, and its auth helpers exit when their stdin closes: KILL soon.
            helpers = _children(self._proc.pid) if self._proc is not None else []
            stop_process(self._proc, timeout=0.3, sig=signal.SIGINT)
            for pid in helpers:  # started by this squid, so ours to end
                stop_pid(pid, timeout=2)
        else:
            stop_process(self._proc, timeout=15)
        self._proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> HttpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _listening(self) -> bool:
        if self._proc is None or self._proc.poll() is not None:
            raise TestbedError(f"{self.kind} exited: {self.log_text}")
        if self.netns is not None:
            return self.netns.tcp_open(self.host, self.port)
        return tcp_open(self.host, self.port)

    def _spawn(self) -> subprocess.Popen[bytes]:
        if self.kind == "tinyproxy":
            conf = self._tinyproxy_conf()
            cmd = [self._binary, "-d", "-c", str(conf)]
        else:
            conf = self._squid_conf()
            cmd = [self._binary, "-N", "-f", str(conf)]
        if self.netns is None and os.geteuid() == 0:
            cmd = self._private_resolver(cmd)
        out = (self.dir / "stdout.log").open("wb")
        try:
            if self.netns is not None:
                return self.netns.popen(cmd, resolv=True, stdout=out, stderr=subprocess.STDOUT)
            return spawn(cmd, stdout=out, stderr=subprocess.STDOUT)
        finally:
            out.close()

    def _private_resolver(self, cmd: list[str]) -> list[str]:
        """Run ``cmd`` in a mount namespace of its own whose /etc/resolv.conf names only
        127.0.0.1 and whose /etc/hosts holds ``hosts``: a target given by name can then
        never make the proxy ask the machine's real DNS server. ``unshare`` and ``sh``
        exec into the proxy, so the pid stays the proxy's."""
        resolv = self.dir / "resolv.conf"
        resolv.write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        hosts = self.dir / "etc-hosts"
        lines = ["127.0.0.1 localhost", "::1 localhost"]
        lines += [f"{ip} {name}" for name, ip in self.hosts.items()]
        hosts.write_text("\n".join(lines) + "\n")
        for path in (resolv, hosts):
            os.chmod(path, 0o644)
        script = (
            'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts '
            '&& shift 2 && exec "$@"'
        )
        return [
            "unshare", "--mount", "--propagation", "private",
            "sh", "-c", script, "sh", str(resolv), str(hosts), *cmd,
        ]  # fmt: skip

    def _writable(self, filename: str) -> Path:
        path = self.dir / filename
        path.touch()
        os.chmod(path, 0o666)
        return path

    def _tinyproxy_conf(self) -> Path:
        lines = []
        if os.geteuid() == 0:
            lines += ["User nobody", "Group nogroup"]
        lines += [
            f"Port {self.port}",
            f"Listen {self.host}",
            "Timeout 30",
            f'LogFile "{self._writable("tinyproxy.log")}"',
            "LogLevel Info",
            f'PidFile "{self._writable("tinyproxy.pid")}"',
            "MaxClients 50",
            "Allow 127.0.0.1",
        ]
        if self.credentials:
            lines.append(f"BasicAuth {self.credentials[0]} {self.credentials[1]}")
        lines += [f"ConnectPort {p}" for p in self.connect_ports or ()]
        conf = self.dir / "tinyproxy.conf"
        conf.write_text("\n".join(lines) + "\n")
        return conf

    def _squid_conf(self) -> Path:
        hosts = self.dir / "hosts"
        hosts.write_text("".join(f"{ip} {name}\n" for name, ip in self.hosts.items()))
        os.chmod(hosts, 0o644)
        lines = [
            f"http_port {self.host}:{self.port}",
            f"pid_filename {self._writable('squid.pid')}",
            f"cache_log {self._writable('squid-cache.log')}",
            f"access_log stdio:{self._writable('squid-access.log')}",
            "cache deny all",
            f"coredump_dir {self.dir}",
            f"hosts_file {hosts}",
            "dns_nameservers 127.0.0.1",  # never a real resolver; names come from hosts_file
            "dns_timeout 2 seconds",  # an unknown name fails fast instead of after 30 s
            "dns_retransmit_interval 1 seconds",
            "shutdown_lifetime 0 seconds",
            "pinger_enable off",  # else an ICMP helper outlives squid for a moment
            "acl CONNECT method CONNECT",
        ]
        if self.connect_ports is not None:
            ports = " ".join(str(p) for p in self.connect_ports) or "1"
            lines += [
                f"acl allowed_connect port {ports}",
                "http_access deny CONNECT !allowed_connect",
            ]
        if self.credentials:
            user, password = self.credentials
            htpasswd = self.dir / "htpasswd"
            hashed = run(["openssl", "passwd", "-apr1", password]).stdout.strip()
            htpasswd.write_text(f"{user}:{hashed}\n")
            os.chmod(htpasswd, 0o644)
            lines += [
                f"auth_param basic program {SQUID_AUTH_HELPER} {htpasswd}",
                "auth_param basic realm gbg",
                "acl authed proxy_auth REQUIRED",
                "http_access allow localhost authed",
            ]
        else:
            lines.append("http_access allow localhost")
        lines.append("http_access deny all")
        conf = self.dir / "squid.conf"
        conf.write_text("\n".join(lines) + "\n")
        return conf


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]
