"""DNS servers on loopback: dnsmasq with chosen answers, and a black hole that never answers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import dns.exception
import dns.rdatatype
import dns.resolver

from tests.testbed._util import (
    TestbedError,
    free_udp_tcp_port,
    make_tempdir,
    need_binary,
    read_tail,
    spawn,
    stop_process,
    wait_until,
)
from tests.testbed.netns import Netns


class DnsServer:
    """dnsmasq on ``127.0.0.1:<port>`` that answers only what the test says.

    - ``records``: name -> IPv4/IPv6 addresses (exact names, from a hosts file);
    - ``nxdomain``: names (and their subdomains) answered NXDOMAIN;
    - a recorded name without an address of the asked family: NOERROR with no answer;
    - every other name: REFUSED (``--no-resolv``, no upstream: no query ever leaves).

    ``set_records``/``add_nxdomain`` rewrite the files and reload dnsmasq with SIGHUP, then
    wait until the new answer is served. With ``netns=`` the server listens on
    127.0.0.1:53 inside that namespace (the namespace's resolv.conf points there).
    """

    def __init__(
        self,
        records: Mapping[str, Sequence[str]] | None = None,
        nxdomain: Iterable[str] = (),
        *,
        netns: Netns | None = None,
        port: int | None = None,
    ) -> None:
        self._binary = need_binary("dnsmasq", package="dnsmasq")
        self.address = "127.0.0.1"
        self.netns = netns
        self._fixed_port = port if port is not None else (53 if netns else None)
        self.port = self._fixed_port or 0
        self.records: dict[str, list[str]] = {k: list(v) for k, v in (records or {}).items()}
        self.nxdomain: set[str] = set(nxdomain)
        self._dir = make_tempdir("dnsmasq")
        self._hosts = self._dir / "hosts"
        self._servers = self._dir / "servers"
        self._log = self._dir / "dnsmasq.log"
        self._proc: subprocess.Popen[bytes] | None = None

    # --- life cycle -------------------------------------------------------------------
    def start(self) -> DnsServer:
        self._write_files()
        # A restart tries its old port first; a port taken meanwhile (or a fresh start) gets
        # a free one, except where the port is part of the setting (53 in a namespace).
        wanted = self._fixed_port
        attempts = 1 if self.netns is not None and wanted else 5
        for attempt in range(attempts):
            self.port = wanted if wanted and attempt == 0 else free_udp_tcp_port()
            self._proc = self._spawn()
            try:
                wait_until(self._serving, timeout=5, what=f"dnsmasq on port {self.port}")
                self._fixed_port = self.port  # a restart keeps the address tests hold
                return self
            except TestbedError:
                stop_process(self._proc)
                self._proc = None
        raise TestbedError(f"dnsmasq did not start: {read_tail(self._log)}")

    def _spawn(self) -> subprocess.Popen[bytes]:
        cmd = [
            self._binary,
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--bind-interfaces",
            f"--listen-address={self.address}",
            f"--port={self.port}",
            f"--addn-hosts={self._hosts}",
            f"--servers-file={self._servers}",
            f"--pid-file={self._dir / 'dnsmasq.pid'}",
            "--log-queries",
            f"--log-facility={self._log}",
        ]
        if os.geteuid() == 0:
            cmd.append("--user=root")
        log = self._log.with_suffix(".out").open("wb")
        try:
            if self.netns is not None:
                return self.netns.popen(cmd, resolv=False, stdout=log, stderr=subprocess.STDOUT)
            return spawn(cmd, stdout=log, stderr=subprocess.STDOUT)
        finally:
            log.close()

    def _serving(self) -> bool:
        if self._proc is None or self._proc.poll() is not None:
            raise TestbedError(
                f"dnsmasq exited: {read_tail(self._log.with_suffix('.out'))}{read_tail(self._log)}"
            )
        if self.netns is not None:
            return self.netns.tcp_open(self.address, self.port)
        try:
            with socket.create_connection((self.address, self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop (a "resolver down" test); ``start()`` brings it back on the same port."""
        stop_process(self._proc)
        self._proc = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> DnsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- answers ----------------------------------------------------------------------
    def _write_files(self) -> None:
        lines = [f"{ip} {host}\n" for host, ips in self.records.items() for ip in ips]
        self._hosts.write_text("".join(lines))
        # "server=/name/" with no address = answered locally only: NXDOMAIN unless in hosts,
        # and NODATA (not REFUSED) for an address family a known name lacks, like a real zone.
        local = sorted(self.nxdomain | {h for h, ips in self.records.items() if ips})
        self._servers.write_text("".join(f"server=/{n}/\n" for n in local))

    def set_records(self, records: Mapping[str, Sequence[str]]) -> None:
        """Add or replace answers (name -> addresses) and reload."""
        for host, ips in records.items():
            self.records[host] = list(ips)
        self._reload()

    def remove_records(self, *names: str) -> None:
        for host in names:
            self.records.pop(host, None)
        self._reload()

    def add_nxdomain(self, *names: str) -> None:
        self.nxdomain.update(names)
        self._reload()

    def _reload(self) -> None:
        """Rewrite the files, SIGHUP, and wait until dnsmasq has read them again.

        dnsmasq logs ``read <hosts file>`` while it handles the signal and serves no query
        before the handler ends, so a query sent after that line sees the new answers.
        """
        self._write_files()
        if self._proc is None or self._proc.poll() is not None:
            return
        marker = f"read {self._hosts}"
        before = self.query_log.count(marker)
        self._proc.send_signal(signal.SIGHUP)
        wait_until(
            lambda: self.query_log.count(marker) > before,
            timeout=15,
            what="dnsmasq to reload its hosts file",
        )

    def resolver(self, *, lifetime: float = 2.0) -> dns.resolver.Resolver:
        """A dnspython resolver that asks only this server."""
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [self.address]
        resolver.port = self.port
        resolver.lifetime = lifetime
        resolver.timeout = lifetime
        return resolver

    @property
    def query_log(self) -> str:
        """dnsmasq's own log of the queries it got (proof of what was asked)."""
        return read_tail(self._log, limit=10_000_000)

    def reload(self) -> None:
        """Write ``records``/``nxdomain`` as they are now and reload dnsmasq."""
        self._reload()

    @property
    def log_path(self) -> Path:
        return self._log


class BlackholeDns:
    """A UDP and a TCP socket on the same loopback port that read and never answer.

    A resolver asking it times out (dnspython after its lifetime; Go after about 10 s).
    With ``netns=`` it binds 127.0.0.1:53 inside that namespace.
    """

    def __init__(self, *, netns: Netns | None = None, port: int | None = None) -> None:
        self.address = "127.0.0.1"
        self.netns = netns
        self.port = port if port is not None else (53 if netns else 0)
        self._sockets: list[socket.socket] = []

    def start(self) -> BlackholeDns:
        def bind() -> list[socket.socket]:
            for _ in range(20):
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                try:
                    udp.bind((self.address, self.port))
                    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    tcp.bind((self.address, udp.getsockname()[1]))
                    tcp.listen(16)  # accepted by the kernel, then never read
                except OSError:
                    udp.close()
                    tcp.close()
                    if self.port:
                        raise
                    continue
                return [udp, tcp]
            raise TestbedError("no free port for the black-hole DNS")

        self._sockets = self.netns.call(bind) if self.netns is not None else bind()
        self.port = self._sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
        self._sockets = []

    def __enter__(self) -> BlackholeDns:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
