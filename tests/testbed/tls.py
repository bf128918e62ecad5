"""Certificate authorities made by the tests (openssl CLI) and server certificates."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.testbed._util import make_tempdir, need_binary, run


@dataclass(frozen=True)
class ServerCertificate:
    cert_path: Path
    key_path: Path
    names: tuple[str, ...]
    issuer: CertificateAuthority

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


class CertificateAuthority:
    """A throw-away CA (RSA 2048, 2 days) in a temp dir; ``.ca_pem_path`` is its certificate.

    ``issue(names)`` signs a server certificate; IP literals become IP SANs, the rest DNS SANs.
    Two instances with different ``common_name`` model "our CA" and "the firewall's CA".
    """

    def __init__(self, common_name: str = "gobuildgui test CA") -> None:
        self._openssl = need_binary("openssl", package="openssl")
        self.common_name = common_name
        self.dir = make_tempdir("ca")
        self.ca_pem_path = self.dir / "ca.pem"
        self._key = self.dir / "ca.key"
        self._serial = 0
        run(
            [
                self._openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", str(self._key), "-out", str(self.ca_pem_path), "-days", "2",
                "-subj", f"/O=gobuildgui tests/CN={common_name}",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )  # fmt: skip

    @property
    def pem(self) -> str:
        return self.ca_pem_path.read_text()

    def client_context(self) -> ssl.SSLContext:
        """A client context trusting only this CA (what ``verify=`` of httpx wants)."""
        return ssl.create_default_context(cafile=str(self.ca_pem_path))

    def issue(self, names: Sequence[str] = ("localhost", "127.0.0.1")) -> ServerCertificate:
        self._serial += 1
        stem = self.dir / f"server{self._serial}"
        key, csr, cert, ext = (stem.with_suffix(s) for s in (".key", ".csr", ".pem", ".cnf"))
        sans = []
        for entry in names:
            try:
                ipaddress.ip_address(entry)
            except ValueError:
                sans.append(f"DNS:{entry}")
            else:
                sans.append(f"IP:{entry}")
        ext.write_text(
            f"subjectAltName={','.join(sans)}\nbasicConstraints=CA:FALSE\n"
            "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        )
        run(
            [
                self._openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                "-out", str(csr), "-subj", f"/CN={names[0]}",
            ]
        )  # fmt: skip
        run(
            [
                self._openssl, "x509", "-req", "-in", str(csr), "-CA", str(self.ca_pem_path),
                "-CAkey", str(self._key), "-set_serial", str(1000 + self._serial),
                "-out", str(cert), "-days", "2", "-extfile", str(ext),
            ]
        )  # fmt: skip
        return ServerCertificate(cert, key, tuple(names), self)
