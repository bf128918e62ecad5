"""The catalogue of build-log failure patterns (GB2xx), as one declarative table.

Each :class:`Pattern` names a failure of ``go mod download``/``go build``, of a
``docker build`` step or of a ``docker pull``: a stable code, a category from the fixed
list, the regex that recognises its line, the literal *triggers* the engine's prefilter
looks for, an explanation, the probe families that confirm it and the fix ids that cure
it. The texts come from the Go, Docker and BuildKit sources cited in
``docker-go-config.md`` and from real runs on the test bed.

Order matters: for one line the first matching pattern wins, so specific patterns come
before generic ones (a DNS failure inside a ``proxyconnect`` error is a proxy problem).
Triggers that start with ``": "`` are matched after a colon, which is how Go and Docker
print the cause of an error; the prefilter is fastest when most triggers have that form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gobuildgui.core.ids import FIX_IDS, LOG_CATEGORIES, PROBE_FAMILIES

CATEGORIES = LOG_CATEGORIES
# Short titles of the fixes, for buttons ("Fix: ...") and reports.
FIX_TITLES: dict[str, str] = {
    "daemon-dns": "Set the Docker daemon's DNS servers",
    "daemon-mirror": "Configure a registry mirror",
    "daemon-proxy": "Give the Docker daemon a proxy",
    "daemon-mtu": "Lower the Docker network MTU",
    "daemon-buildkit": "Turn BuildKit on in the daemon",
    "client-proxy": "Pass the proxy to builds (~/.docker/config.json)",
    "go-proxy": "Set GOPROXY",
    "go-private": "Set GOPRIVATE / GONOSUMDB for private modules",
    "dockerfile-proxy-args": "Pass proxies as build arguments",
    "dockerfile-goproxy": "Set GOPROXY/GOPRIVATE in the Dockerfile",
    "dockerfile-ca-cert": "Install the corporate CA in the image",
    "dockerfile-cache-mount": "Use cache mounts for the Go caches",
    "dockerfile-private-auth": "Mount credentials for private modules",
    "dockerfile-go-version": "Use a golang image that matches go.mod",
    "dockerfile-lint-fix": "Apply the Dockerfile lint fix",
}

# Tiers: how directly a pattern names a cause. Within the failing step, specific causes
# rank before generic symptoms; wrappers ("exit code: 1") never rank above either.
SPECIFIC = 2
SYMPTOM = 1
WRAPPER = 0


@dataclass(frozen=True, slots=True)
class Pattern:
    """One recognisable failure. ``regex`` is searched in one normalised log line."""

    code: str
    name: str
    category: str
    title: str
    regex: str
    triggers: tuple[str, ...]
    explanation: str
    probes: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    tier: int = SPECIFIC
    # Regexes tried on the next ``window`` lines to add facts (and evidence) to a match,
    # for messages Go prints over several lines (checksum mismatch).
    followers: tuple[str, ...] = ()
    window: int = 4
    # Evidence that only accompanies another finding of the same category joins it
    # instead of standing alone ("SECURITY ERROR" under a checksum mismatch).
    attach: bool = False
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    compiled_followers: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.regex))
        object.__setattr__(self, "compiled_followers", tuple(re.compile(f) for f in self.followers))


# Reusable regex pieces.
_HOST = r"(?P<host>[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])"
_RESOLVER = r"(?: on (?P<resolver>\[[0-9A-Fa-f:.]+\]:\d+|[^\s:]+(?::\d+)?))?"
_ADDR = r"(?P<address>(?:\d{1,3}\.){3}\d{1,3}|\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d+)"
_PROXY_ADDR = r"(?P<proxy>(?:(?:\d{1,3}\.){3}\d{1,3}|\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d+)"
_URL = r"(?P<url>https?://[^\s\"']+?)"

_DNS_PROBES = ("dns", "container")
_EGRESS_FIXES = ("client-proxy", "dockerfile-proxy-args", "go-proxy", "dockerfile-goproxy")

PATTERNS: tuple[Pattern, ...] = (
    # ---------------------------------------------------------------- proxy (first: a
    # DNS or TCP error after "proxyconnect tcp:" is about the proxy, not the target)
    Pattern(
        "GB220", "proxy-loopback-refused", "proxy_unreachable",
        "Proxy on the host's loopback is unreachable from the build",
        r"proxyconnect tcp: dial tcp (?P<proxy>(?:127(?:\.\d{1,3}){3}|localhost|\[::1\]):\d+): "
        r"connect: connection refused",
        (": proxyconnect",),
        "The proxy URL points at 127.0.0.1/localhost. Inside a build container loopback is "
        "the container itself, not the host where the proxy listens, so the connection is "
        "refused. Use the host's bridge address or host.docker.internal "
        "(--add-host host.docker.internal=host-gateway), or build with --network=host.",
        ("proxy", "tcp"), ("client-proxy", "dockerfile-proxy-args"),
    ),
    Pattern(
        "GB221", "proxy-refused", "proxy_unreachable",
        "HTTP proxy refused the connection",
        rf"proxyconnect tcp: dial tcp {_PROXY_ADDR}: connect: connection refused",
        (": proxyconnect",),
        "Go was told to use an HTTP proxy (HTTP_PROXY/HTTPS_PROXY) but nothing listens at "
        "that address and port, or it is not reachable from where the request ran.",
        ("proxy", "tcp"), ("client-proxy", "dockerfile-proxy-args", "daemon-proxy"),
    ),
    Pattern(
        "GB222", "proxy-host-unresolvable", "proxy_unreachable",
        "Proxy host name does not resolve",
        r"proxyconnect tcp: dial tcp: lookup (?P<proxy>[^\s:]+)" + _RESOLVER
        + r": (?P<dns_error>no such host|server misbehaving|(?:read udp \S+: )?i/o timeout)",
        (": proxyconnect",),
        "The proxy's host name cannot be resolved by the resolver the build uses (corporate "
        "names often resolve only through the company DNS, which the build container may "
        "not use).",
        ("proxy", "dns"), ("client-proxy", "dockerfile-proxy-args", "daemon-dns"),
    ),
    Pattern(
        "GB223", "proxy-timeout", "proxy_unreachable",
        "Connection to the HTTP proxy timed out",
        rf"proxyconnect tcp: dial tcp {_PROXY_ADDR}: (?:connect: )?(?:i/o timeout|"
        r"network is unreachable|no route to host)",
        (": proxyconnect",),
        "The proxy address does not answer from the build's network: wrong address, a "
        "firewall between the container and the proxy, or a route that only the host has.",
        ("proxy", "tcp"), ("client-proxy", "dockerfile-proxy-args", "daemon-proxy"),
    ),
    Pattern(
        "GB224", "proxy-https-scheme", "proxy_unreachable",
        "HTTPS_PROXY uses https:// for a plain-HTTP proxy",
        r"proxyconnect tcp: tls: first record does not look like a TLS handshake",
        (": proxyconnect",),
        "The proxy URL starts with https://, so Go speaks TLS to the proxy, but the proxy "
        "speaks plain HTTP. Most corporate proxies want http://proxy:port even as the "
        "value of HTTPS_PROXY.",
        ("proxy",), ("client-proxy", "dockerfile-proxy-args", "daemon-proxy"),
    ),
    Pattern(
        "GB225", "proxy-connect-failed", "proxy_unreachable",
        "Connection to the HTTP proxy failed",
        r"proxyconnect tcp: (?P<detail>.+)",
        (": proxyconnect",),
        "Go could not open a connection to the configured HTTP proxy.",
        ("proxy", "tcp"), ("client-proxy", "dockerfile-proxy-args", "daemon-proxy"),
    ),
    Pattern(
        "GB226", "proxy-auth-required", "proxy_auth",
        "Proxy wants credentials (407 Proxy Authentication Required)",
        r"(?:(?P<status>407) )?Proxy Authentication Required",
        (": 407 ", ": Proxy Authentication Required"),
        "The HTTP proxy demands authentication and the request carried none (or used a "
        "scheme Go cannot do, such as NTLM or Kerberos). Put the credentials into the "
        "proxy URL (http://user:password@proxy:port, percent-encoded) through build "
        "arguments, or run a local authenticating proxy (cntlm, px).",
        ("proxy",), ("client-proxy", "dockerfile-proxy-args", "daemon-proxy"),
    ),
    Pattern(
        "GB227", "unauthorized-401", "private_module_auth",
        "Request rejected with 401 Unauthorized",
        rf"(?:reading |Get \"?){_URL}\"?: (?P<status>401) Unauthorized",
        (": 401 ",),
        "A server in the path refused the credentials: a private module proxy (Athens, "
        "Artifactory, Nexus) without or with wrong credentials, or an HTTP proxy such as "
        "tinyproxy, which answers 401 (not 407) to wrong proxy credentials.",
        ("proxy", "goproxy"), ("go-private", "dockerfile-private-auth", "client-proxy"),
    ),
    Pattern(
        "GB228", "proxy-forbidden", "goproxy_blocked_or_slow",
        "Proxy or firewall forbids the destination (403)",
        rf"(?:(?:reading |Get \"?){_URL}\"?: (?P<status>403)[ \w]*|"
        r"Get \"?(?P<url2>https?://[^\s\"]+)\"?: (?:Forbidden|Access violation)$)",
        (": 403 ", ": Forbidden", ": Access violation"),
        "The HTTP proxy (or a web filter) refuses to fetch this destination. Ask for "
        "proxy.golang.org, sum.golang.org and storage.googleapis.com to be allowed, or use "
        "the company's module proxy.",
        ("proxy", "goproxy"), ("go-proxy", "dockerfile-goproxy"),
    ),
    # ---------------------------------------------------------------- DNS
    Pattern(
        "GB204", "dns-resolver-unreachable", "dns",
        "The DNS server itself is unreachable from the build",
        r"lookup " + _HOST + _RESOLVER + r": dial udp \S+: connect: "
        r"(?P<net_error>network is unreachable|cannot assign requested address|no route to host)",
        (": dial udp",),
        "Go could not even send the DNS query: the resolver in the build container's "
        "resolv.conf has no route. BuildKit and the default bridge drop loopback resolvers "
        "and fall back to Google DNS (8.8.8.8 and its IPv6 twins), which many networks "
        "block.",
        _DNS_PROBES, ("daemon-dns",),
    ),
    Pattern(
        "GB206", "dns-port-closed", "dns",
        "Nothing answers DNS at the resolver address",
        r"lookup " + _HOST + _RESOLVER + r": read udp \S+: read: connection refused",
        (": connection refused",),
        "The resolver address in the build's resolv.conf has no DNS server listening (the "
        "port is closed): a loopback resolver of the host (dnsmasq, systemd-resolved) that "
        "is not reachable from this network namespace, or a stopped DNS server.",
        _DNS_PROBES, ("daemon-dns",),
    ),
    Pattern(
        "GB201", "dns-no-such-host", "dns",
        "Host name does not resolve (no such host)",
        r"lookup " + _HOST + _RESOLVER + r": no such host",
        (": no such host",),
        "The resolver the build uses answered that the name does not exist. Typical causes: "
        "the build container uses a different DNS than the host (split-horizon corporate "
        "DNS, a loopback resolver replaced by 8.8.8.8), or a typo in GOPROXY or the module "
        "path.",
        _DNS_PROBES, ("daemon-dns", "go-proxy"),
    ),
    Pattern(
        "GB202", "dns-timeout", "dns",
        "DNS lookup timed out",
        r"lookup " + _HOST + _RESOLVER + r": (?:read udp \S+: )?i/o timeout",
        (": i/o timeout",),
        "No DNS answer arrived in time: the resolver is blocked or unreachable from the "
        "container (public DNS blocked by the firewall, an unreachable entry in daemon.json "
        "`dns`, or Docker's embedded DNS 127.0.0.11 unable to reach its upstream).",
        _DNS_PROBES, ("daemon-dns",),
    ),
    Pattern(
        "GB203", "dns-server-misbehaving", "dns",
        "DNS server failed (server misbehaving)",
        r"lookup " + _HOST + _RESOLVER + r": server misbehaving",
        (": server misbehaving",),
        "The resolver answered SERVFAIL or REFUSED: a broken local stub resolver, or a "
        "resolver that refuses recursive queries from the container's address.",
        _DNS_PROBES, ("daemon-dns",),
    ),
    Pattern(
        "GB205", "dns-glibc", "dns",
        "Host name does not resolve (git, curl, ssh)",
        r"(?:Could not resolve host(?:name)?:? (?P<host>[^\s:']+)|"
        r"Temporary failure resolving '(?P<host2>[^']+)'|"
        r"[Tt]emporary failure in name resolution|Name or service not known)",
        (": Temporary failure", ": Could not resolve", ": Name or service not known",
         "Temporary failure resolving"),
        "A tool using the C library's resolver (git, curl, ssh, apt) could not resolve a "
        "name: the same DNS problem as Go's `no such host`, seen from another tool.",
        _DNS_PROBES, ("daemon-dns",),
    ),
    Pattern(
        "GB207", "dns-lookup-failed", "dns",
        "DNS lookup failed (the message is cut off)",
        r"dial tcp: lookup " + _HOST + _RESOLVER + r"(?::|$)",
        (": lookup ",),
        "Go could not resolve the host; the rest of the message (no such host, timeout, "
        "server misbehaving) is missing, probably because the log line was truncated.",
        _DNS_PROBES, ("daemon-dns",), tier=SYMPTOM,
    ),
    # ---------------------------------------------------------------- TLS
    Pattern(
        "GB230", "x509-unknown-authority", "tls_ca",
        "TLS certificate signed by an unknown authority",
        r"(?:tls: failed to verify certificate: )?x509: certificate signed by unknown authority"
        r"(?: \(possibly because of \"(?P<detail>[^\"]+)\")?",
        (": x509: certificate signed", ": certificate signed by unknown"),
        "The server's certificate chain ends in a CA the image does not trust. Behind a "
        "TLS-inspecting proxy (Zscaler, Netskope, Palo Alto...) every HTTPS site is signed "
        "by the corporate CA, which must be installed in the build image before `go mod "
        "download` (or alpine lacks the ca-certificates package).",
        ("tls",), ("dockerfile-ca-cert",),
    ),
    Pattern(
        "GB231", "x509-name-mismatch", "tls_ca",
        "TLS certificate is for another name",
        r"x509: certificate is valid for (?P<valid_for>.+?), not (?P<host>[^\s\"]+)",
        (": x509: certificate is valid for", ": certificate is valid for"),
        "The server presented a certificate for different names: an intercepting proxy or "
        "captive portal answering instead of the real host, or a GOPROXY URL with the "
        "wrong host name.",
        ("tls", "proxy"), ("dockerfile-ca-cert", "go-proxy"),
    ),
    Pattern(
        "GB232", "x509-expired", "tls_ca",
        "TLS certificate expired or not yet valid",
        r"x509: certificate has expired or is not yet valid(?::\s*(?P<detail>.+))?",
        (": x509: certificate has expired", ": certificate has expired"),
        "The certificate is outside its validity period, or the clock of the machine or VM "
        "running the build is wrong.",
        ("tls",), ("dockerfile-ca-cert",),
    ),
    Pattern(
        "GB233", "tls-verify-other", "tls_ca",
        "TLS certificate could not be verified",
        r"(?:tls: failed to verify certificate: (?P<detail>.+)|"
        r"x509: (?P<x509>certificate relies on legacy Common Name field|"
        r"certificate is not trusted|cannot validate certificate.*|"
        r"certificate is not standards compliant))",
        (": tls: failed to verify", ": x509: ", ": certificate is not trusted"),
        "Go rejected the server's certificate; an intercepting proxy's certificate that "
        "the image does not accept is the usual reason.",
        ("tls",), ("dockerfile-ca-cert",),
    ),
    Pattern(
        "GB236", "x509-other", "tls_ca",
        "TLS certificate problem (the message is cut off)",
        r"x509: (?P<detail>.*)$",
        (": x509: ",),
        "Go rejected a certificate; the reason is missing from the line, probably cut off. "
        "An intercepting proxy's CA missing from the image is the usual cause.",
        ("tls",), ("dockerfile-ca-cert",), tier=SYMPTOM,
    ),
    Pattern(
        "GB234", "git-tls-ca", "tls_ca",
        "git/curl does not trust the server certificate",
        r"(?:SSL certificate problem: (?P<detail>[^\n]+)|"
        r"server certificate verification failed\. CAfile: (?P<cafile>\S+))",
        (": SSL certificate problem", ": server certificate verification failed"),
        "git (used for direct module fetches) or curl rejected the certificate: the "
        "corporate CA is missing from the image's trust store.",
        ("tls", "private-git"), ("dockerfile-ca-cert",),
    ),
    Pattern(
        "GB235", "tls-to-plain-http", "other",
        "TLS spoken to a plain-HTTP server",
        r"tls: first record does not look like a TLS handshake|"
        r"http: server gave HTTP response to HTTPS client",
        (": tls: first record", ": http: server gave HTTP response"),
        "An https:// URL points at a server or port that speaks plain HTTP (often a "
        "GOPROXY or registry mirror URL with the wrong scheme).",
        ("tls", "goproxy"), ("go-proxy", "daemon-mirror"),
    ),
    # ---------------------------------------------------------------- modules: proxy answers
    Pattern(
        "GB242", "sumdb-private-module", "private_module_proxy_404",
        "Private module looked up in the public checksum database",
        r"verifying (?P<what>\S+): .*reading (?P<url>https?://\S+/(?:lookup|tile)/\S+?): "
        r"(?P<status>404|410)\b[ \w]*",
        (": verifying", ": 404 ", ": 410 "),
        "Go asked the public checksum database (sum.golang.org) about a module it has never "
        "seen, which is what happens to private modules. List the private prefixes in "
        "GOPRIVATE (or GONOSUMDB) so they are not checked there.",
        ("sumdb",), ("go-private", "dockerfile-goproxy"),
    ),
    Pattern(
        "GB240", "public-proxy-410", "private_module_proxy_404",
        "Module proxy answered 410 Gone (private or vanished module)",
        rf"reading {_URL}: (?P<status>410) Gone",
        (": 410 ",),
        "proxy.golang.org answers 410 Gone for modules it cannot fetch from their origin: "
        "private repositories (the server response then shows git's `terminal prompts "
        "disabled`) or deleted ones. Set GOPRIVATE for your private module prefixes so Go "
        "fetches them directly with credentials.",
        ("goproxy", "private-git"), ("go-private", "dockerfile-goproxy", "dockerfile-private-auth"),
    ),
    Pattern(
        "GB241", "proxy-404", "private_module_proxy_404",
        "Module proxy answered 404 Not Found",
        rf"reading {_URL}: (?P<status>404)(?: [A-Za-z ]+)?",
        (": 404 ",),
        "The module proxy does not have this module or version: a private module asked "
        "from a public proxy, a private proxy used without credentials, or a version that "
        "does not exist. With GOPROXY=a,b Go tries the next entry only after 404/410.",
        ("goproxy",), ("go-private", "go-proxy", "dockerfile-goproxy"),
    ),
    Pattern(
        "GB219", "proxy-5xx", "goproxy_blocked_or_slow",
        "Server error from the module proxy (5xx)",
        rf"(?:reading |Get \"?){_URL}\"?: (?P<status>50[0-4])\b[ \w]*",
        (": 500 ", ": 502 ", ": 503 ", ": 504 "),
        "The module proxy, an HTTP proxy or a vanity-import server failed. Retry later or "
        "use another GOPROXY; `GOPROXY=a|b` falls back on any error, `a,b` only on "
        "404/410.",
        ("goproxy", "proxy"), ("go-proxy", "dockerfile-goproxy"), tier=SYMPTOM,
    ),
    # BuildKit's own timeout names its cause; before the generic deadline pattern.
    Pattern(
        "GB294", "buildkit-deadline", "docker_registry_pull",
        "BuildKit operation timed out (DeadlineExceeded)",
        r"failed to solve: (?:DeadlineExceeded: )+(?P<detail>.*context deadline exceeded.*)",
        (": DeadlineExceeded",),
        "BuildKit gave up waiting, usually on the base image's metadata from the registry "
        "(daemon-side networking: proxy, DNS, mirror), or on a lost build session.",
        ("docker",), ("daemon-proxy", "daemon-dns", "daemon-mirror"),
    ),
    # ---------------------------------------------------------------- TCP / network
    Pattern(
        "GB212", "connection-refused", "goproxy_blocked_or_slow",
        "Connection refused",
        rf"dial tcp {_ADDR}: connect: connection refused",
        (": connection refused",),
        "Nothing accepts connections at that address: the module proxy is down, the port "
        "is wrong, a firewall rejects the connection, or a loopback address that only the "
        "host serves is used inside a container.",
        ("tcp", "goproxy"), (*_EGRESS_FIXES,),
    ),
    Pattern(
        "GB210", "tcp-timeout", "goproxy_blocked_or_slow",
        "Connection timed out (egress blocked?)",
        rf"dial tcp {_ADDR}: (?:connect: )?i/o timeout",
        (": i/o timeout",),
        "The TCP connection was never answered: an egress firewall drops traffic to the "
        "host (the company expects a proxy), or the host is blocked in this country. "
        "Configure the corporate proxy for the build, or a reachable GOPROXY.",
        ("tcp", "proxy", "goproxy"), (*_EGRESS_FIXES,),
    ),
    Pattern(
        "GB211", "dial-timeout", "goproxy_blocked_or_slow",
        "Connection timed out before any address was tried",
        r"dial tcp: i/o timeout",
        (": i/o timeout",),
        "The dial deadline expired while resolving the name or trying its addresses: a slow "
        "or blocked DNS, or every address of the host dropped.",
        ("dns", "tcp"), ("daemon-dns", *_EGRESS_FIXES),
    ),
    Pattern(
        "GB214", "no-route", "goproxy_blocked_or_slow",
        "No route to the server",
        rf"dial tcp {_ADDR}: connect: (?P<net_error>network is unreachable|no route to host|"
        r"cannot assign requested address)",
        (": network is unreachable", ": no route to host", ": cannot assign requested"),
        "The container has no route to that address: an IPv6 address chosen where the "
        "container has no IPv6 route, a dead gateway, or docker0's subnet (`bip`) colliding "
        "with a VPN or corporate route.",
        ("tcp",), ("daemon-mtu", *_EGRESS_FIXES),
    ),
    Pattern(
        "GB215", "tls-handshake-timeout", "mtu_or_network_hang",
        "TLS handshake timed out",
        r"net/http: TLS handshake timeout",
        (": TLS handshake timeout",),
        "The TCP connection opened but the TLS handshake did not finish within 10 s: large "
        "certificate packets lost on a path with a smaller MTU (VPN, DinD, OpenStack), deep "
        "packet inspection, or an overloaded proxy. Lower the daemon's MTU (1400 or less).",
        ("tls", "tcp"), ("daemon-mtu", "go-proxy"),
    ),
    Pattern(
        "GB213", "connection-reset", "mtu_or_network_hang",
        "Connection reset by peer",
        r"(?:read|write) (?:tcp )?\S+: connection reset by peer|connection reset by peer",
        (": connection reset by peer",),
        "A middlebox or the server cut the connection: DPI/firewall resets, an MTU black "
        "hole on large responses, or a flaky proxy.",
        ("tls", "tcp"), ("daemon-mtu", "go-proxy"), tier=SYMPTOM,
    ),
    Pattern(
        "GB216", "unexpected-eof", "mtu_or_network_hang",
        "Connection closed in the middle of a download (EOF)",
        r"(?:Get|read|reading) \"?(?P<url>https?:/{1,2}[^\s\"]+)\"?: (?:unexpected )?EOF",
        (": unexpected EOF", ": EOF"),
        "The server, a proxy or a middlebox closed the connection mid-response; repeated "
        "on big module zips this points at an MTU black hole or a proxy size limit.",
        ("tls", "goproxy"), ("daemon-mtu", "go-proxy"), tier=SYMPTOM,
    ),
    Pattern(
        "GB217", "http2-stream-error", "mtu_or_network_hang",
        "HTTP/2 stream error during a download",
        r"stream error: stream ID \d+; (?P<detail>\w+)",
        (": stream error",),
        "An HTTP/2 stream was reset (INTERNAL_ERROR, PROTOCOL_ERROR): typically an "
        "intercepting proxy or load balancer breaking long downloads.",
        ("tls", "goproxy"), ("daemon-mtu", "go-proxy"), tier=SYMPTOM,
    ),
    Pattern(
        "GB218", "client-timeout", "goproxy_blocked_or_slow",
        "Request timed out waiting for the server",
        r"(?:request canceled(?: while waiting for connection)?|context deadline exceeded)"
        r"(?: \(Client\.Timeout exceeded while awaiting headers\))?",
        (": net/http: request canceled", ": context deadline exceeded", ": request canceled",
         "Client.Timeout exceeded"),
        "The request got no response in time: a blocked or very slow route to the server "
        "(egress firewall, proxy required, MTU problem).",
        ("tcp", "proxy", "goproxy"), (*_EGRESS_FIXES, "daemon-mtu"), tier=SYMPTOM,
    ),
    Pattern(
        "GB239", "cancelled-while-downloading", "mtu_or_network_hang",
        "Build stopped while a step was still running (hang?)",
        r"^CANCELED$|(?:^|: )context canceled$",
        ("CANCELED", ": context canceled"),
        "The step did not fail by itself: it was cancelled (by the user, a CI timeout or "
        "Docker). A `go mod download` that stalls at `go: downloading` or a `# get` with no "
        "answer typically means packets are lost on the way: an MTU smaller than the "
        "container's 1500 (VPN, DinD, OpenStack), or a proxy that accepts and never answers.",
        ("tcp", "tls", "proxy"), ("daemon-mtu", "go-proxy"), tier=SYMPTOM,
    ),
    # ---------------------------------------------------------------- checksums
    Pattern(
        "GB244", "checksum-mismatch", "checksum_mismatch",
        "Checksum mismatch: download differs from go.sum / checksum database",
        r"verifying (?P<module>[^\s@:]+)@(?P<version>[^\s:/]+)(?P<gomod>/go\.mod)?: "
        r"checksum mismatch",
        (": checksum mismatch",),
        "The module content Go downloaded does not hash to the value recorded in go.sum "
        "(or by sum.golang.org): a re-tagged upstream version, a stale or corrupt module "
        "cache mount, a hand-edited go.sum, or a proxy serving different content. Never "
        "'fix' it with GOSUMDB=off or GOFLAGS=-insecure.",
        ("sumdb", "goproxy"), ("dockerfile-cache-mount",),
        followers=(
            r"^\s*downloaded: (?P<downloaded>h1:\S+)",
            r"^\s*(?P<expected_from>go\.sum|[\w.-]+\.\w+): +(?P<expected>h1:\S+)",
        ),
    ),
    Pattern(
        "GB245", "checksum-mismatch-module", "checksum_mismatch",
        "Checksum mismatch against the checksum database",
        r"verifying (?:module|go\.mod): (?:(?P<module>[^\s@:]+)@(?P<version>[^\s:/]+)\S*: )?"
        r"checksum mismatch",
        (": checksum mismatch",),
        "The download does not match what the checksum database recorded: a moved tag "
        "fetched with GOPROXY=direct, a misbehaving mirror, or tampering in between.",
        ("sumdb", "goproxy"), ("go-proxy",),
        followers=(
            r"^\s*downloaded: (?P<downloaded>h1:\S+)",
            r"^\s*(?P<expected_from>[\w.-]+\.\w+): +(?P<expected>h1:\S+)",
        ),
    ),
    Pattern(
        "GB246", "security-error", "checksum_mismatch",
        "SECURITY ERROR: download does not match",
        r"SECURITY ERROR|This download does NOT match (?P<against>an earlier download recorded "
        r"in go\.sum|the one reported by the checksum server)",
        ("SECURITY ERROR", "This download does NOT match"),
        "Go's warning printed with every checksum mismatch.",
        ("sumdb",), ("dockerfile-cache-mount",), attach=True,
    ),
    Pattern(
        "GB247", "missing-go-sum-entry", "other",
        "go.sum entry missing",
        r"missing go\.sum entry for (?:module providing package (?P<package>\S+)|go\.mod file)"
        r"(?:; to add(?: it)?:?)?",
        (": missing go.sum entry",),
        "go.sum does not list the module: go.sum was not copied into the build context "
        "before `go mod download`, or `go mod tidy` was not run after changing go.mod.",
        (), ("dockerfile-lint-fix",),
    ),
    # ---------------------------------------------------------------- private modules
    Pattern(
        "GB260", "git-terminal-prompts", "private_module_auth",
        "git needs credentials (terminal prompts disabled)",
        r"fatal: could not read (?P<what>Username|Password) for '(?P<url>https?://[^']+)': "
        r"terminal prompts disabled",
        (": terminal prompts disabled",),
        "Go fetched the module directly with git over HTTPS and the server asked for "
        "credentials, which nobody provided (go sets GIT_TERMINAL_PROMPT=0). Private "
        "repository: mount credentials as a BuildKit secret (.netrc or a git insteadOf "
        "URL); or the import path is misspelled.",
        ("private-git",), ("dockerfile-private-auth", "go-private"),
    ),
    Pattern(
        "GB261", "ssh-publickey", "private_module_auth",
        "SSH key not available in the build (Permission denied (publickey))",
        r"(?:(?P<ssh_user>\S+)@(?P<host>[^\s:]+): )?Permission denied \(publickey[^)]*\)",
        (": Permission denied (publickey",),
        "git uses SSH (an insteadOf rule or an ssh:// module) but the build has no key: "
        "use RUN --mount=type=ssh and docker build --ssh default.",
        ("private-git",), ("dockerfile-private-auth",),
    ),
    Pattern(
        "GB262", "ssh-host-key", "private_module_auth",
        "SSH host key verification failed",
        r"Host key verification failed\.?",
        ("Host key verification failed",),
        "The image has no known_hosts entry for the git server. Add it (ssh-keyscan, "
        "checking the fingerprint) before fetching, or fetch over HTTPS.",
        ("private-git",), ("dockerfile-private-auth",),
    ),
    Pattern(
        "GB263", "git-auth-failed", "private_module_auth",
        "git authentication failed",
        r"(?:fatal: Authentication failed for '(?P<url>[^']+)'|"
        r"remote: (?:Invalid username or password|Repository not found|"
        r"HTTP Basic: Access denied)|fatal: repository '(?P<repo>[^']+)' not found)",
        (": Authentication failed", ": Invalid username", ": Repository not found",
         ": HTTP Basic", ": repository '"),
        "The git server rejected the credentials (or hides a private repository as 'not "
        "found'). Check the token and its scopes.",
        ("private-git",), ("dockerfile-private-auth", "go-private"),
    ),
    Pattern(
        "GB264", "git-missing", "other",
        "git is not installed in the build image",
        r"exec: \"git\": executable file not found in \$PATH",
        (": exec: \"git\"",),
        "Go needs git for direct module fetches (GOPROXY=direct, GOPRIVATE modules) and the "
        "image (e.g. golang:alpine) has none. Install git, or fetch through a proxy.",
        (), ("go-proxy", "go-private"),
    ),
    # ---------------------------------------------------------------- module resolution
    Pattern(
        "GB248", "goproxy-off", "goproxy_blocked_or_slow",
        "Module downloads disabled (GOPROXY=off)",
        r"module lookup disabled by GOPROXY=off",
        (": module lookup disabled by GOPROXY",),
        "GOPROXY is `off` (in the environment or the go env file) and the module is not in "
        "the module cache, so Go refuses to download it.",
        ("goproxy",), ("go-proxy", "dockerfile-goproxy"),
    ),
    Pattern(
        "GB249", "vendor-mode", "other",
        "Module missing from vendor/ (-mod=vendor)",
        r"module lookup disabled by -mod=vendor|inconsistent vendoring",
        (": module lookup disabled by -mod", ": inconsistent vendoring"),
        "The build runs in vendor mode but vendor/ is missing or out of date: run `go mod "
        "vendor` and copy vendor/ into the build, or drop -mod=vendor.",
        (), (),
    ),
    Pattern(
        "GB250", "unknown-revision", "module_not_found",
        "Unknown revision",
        r"unknown revision (?P<revision>\S+)",
        (": unknown revision",),
        "The tag, branch or commit does not exist in the repository (deleted or moved "
        "tag, typo), or, for a private repository, missing credentials surface this way.",
        ("goproxy", "private-git"), ("dockerfile-private-auth",),
    ),
    Pattern(
        "GB251", "no-matching-versions", "module_not_found",
        "No matching versions for the query",
        r"no matching versions for query \"(?P<query>[^\"]+)\"",
        (": no matching versions",),
        "The module has no version matching the request: wrong module path, no tagged "
        "release, or a private proxy that does not list it.",
        ("goproxy",), ("go-private",),
    ),
    Pattern(
        "GB252", "no-module-for-package", "module_not_found",
        "No module provides the imported package",
        r"(?:cannot find module providing package|no required module provides package) "
        r"(?P<package>[^\s:;]+)",
        (": cannot find module providing", ": no required module provides"),
        "An imported package belongs to no module in go.mod (run `go mod tidy`), or its "
        "module could not be fetched.",
        ("goproxy",), (),
    ),
    Pattern(
        "GB253", "module-path-mismatch", "module_not_found",
        "Module declares a different path",
        r"module declares its path as: (?P<declared>\S+)",
        (": module declares its path", "\tmodule declares its path"),
        "The go.mod of the fetched module names another module path than the one required "
        "(a renamed or forked module, or a case difference). Require the declared path or "
        "add a replace directive.",
        (), (),
        followers=(r"but was required as: (?P<required>\S+)",),
    ),
    Pattern(
        "GB254", "unrecognized-import-path", "module_not_found",
        "Import path could not be resolved (go-get discovery failed)",
        r"unrecognized import path \"(?P<path>[^\"]+)\"(?:: | \()(?:https fetch: |reading )?"
        r"(?P<detail>.+)",
        (": unrecognized import path",),
        "Go fetched https://<path>?go-get=1 to find the repository and failed (network "
        "error, 404, missing go-import meta tag). A module proxy usually has a copy.",
        ("goproxy", "tls"), ("go-proxy",),
    ),
    Pattern(
        "GB255", "malformed-module-path", "module_not_found",
        "Malformed module path",
        r"malformed module path \"(?P<path>[^\"]+)\": (?P<why>[^\n]+)",
        (": malformed module path",),
        "The module path is not a valid path (no dot in the first element: a local package "
        "not copied into the build, or a URL with a scheme).",
        (), (),
    ),
    Pattern(
        "GB256", "replace-dir-missing", "other",
        "Replaced module directory missing in the build",
        r"\(replaced by (?P<dir>[^\s)]+)\): reading \S+: open \S+: no such file or directory",
        (": reading",),
        "go.mod replaces a module with a local directory that was not copied into the "
        "build context before `go mod download`.",
        (), (),
    ),
    Pattern(
        "GB257", "go-mod-not-found", "other",
        "go.mod not found",
        r"go\.mod file not found in current directory or any parent directory",
        (": go.mod file not found",),
        "The go command runs where no go.mod exists: wrong WORKDIR, or go.mod not copied.",
        (), ("dockerfile-lint-fix",),
    ),
    Pattern(
        "GB258", "goproxy-invalid", "other",
        "Invalid GOPROXY value",
        r"invalid proxy URL (?:missing scheme|scheme \(must be https, http, file\))"
        r"(?::\s*(?P<value>\S+))?|GOPROXY list is not the empty string, but contains no entries",
        (": invalid proxy URL", ": GOPROXY list is not", "GOPROXY list is not"),
        "GOPROXY does not parse: every entry must be an http(s)/file URL or direct/off, "
        "separated by , or |.",
        ("goproxy",), ("go-proxy", "dockerfile-goproxy"),
    ),
    Pattern(
        "GB259", "go-env-override", "other",
        "`go env -w` overridden by the environment",
        r"go env -w (?P<variable>\w+)=\.\.\. does not override conflicting OS environment variable",
        (": go env -w",),
        "The Dockerfile runs `go env -w` for a variable that ENV already sets; the "
        "environment wins. Set it once with ENV/ARG.",
        (), ("dockerfile-goproxy",),
    ),
    Pattern(
        "GB265", "copy-source-missing", "other",
        "COPY source missing from the build context",
        r"failed to compute cache key: .*\"(?P<path>[^\"]+)\": not found|"
        r"COPY failed: (?:file not found in build context or excluded by \.dockerignore: )?"
        r"stat (?P<path2>\S+): file does not exist",
        (": failed to compute cache key", "COPY failed"),
        "A COPY names a file that is not in the build context (wrong context folder, a "
        ".dockerignore rule, or go.sum not committed/generated).",
        (), ("dockerfile-lint-fix",),
    ),
    # ---------------------------------------------------------------- Go version
    Pattern(
        "GB270", "go-too-new", "go_version_mismatch",
        "go.mod needs a newer Go than the image has",
        r"(?P<what>\S+) requires go >= (?P<go_required>\d[\w.]*) \(running go "
        r"(?P<go_running>\d[\w.]*)(?:; GOTOOLCHAIN=(?P<gotoolchain>[^;)]+))?(?:; [^)]*)?\)",
        (">= ",),
        "The Go in the build image is older than the `go` line of go.mod, and the official "
        "golang images set GOTOOLCHAIN=local so Go does not download a newer toolchain. "
        "Use a golang image at least as new as go.mod (or GOTOOLCHAIN=auto, which "
        "downloads the toolchain through GOPROXY).",
        (), ("dockerfile-go-version",),
    ),
    Pattern(
        "GB271", "go-module-requires", "go_version_mismatch",
        "Module requires a newer Go (note: module requires Go X)",
        r"note: module requires Go (?P<go_required>\d[\w.]*)(?: \(running go "
        r"(?P<go_running>\d[\w.]*)\))?|go\.mod requires go >= (?P<go_required2>\d[\w.]*)",
        (": module requires Go", ">= "),
        "Compilation failed and go.mod asks for a newer Go than the one building: the "
        "errors above are probably language or library features the old Go lacks.",
        (), ("dockerfile-go-version",),
    ),
    Pattern(
        "GB272", "go-version-format", "go_version_mismatch",
        "Old Go cannot read go.mod's go line",
        r"invalid go version '(?P<go_required>[^']+)': must match format (?P<format>\S+)",
        (": invalid go version",),
        "Go before 1.21 only understands `go 1.N`; a go.mod saying `go 1.22.1` was written "
        "for a newer Go than the image has.",
        (), ("dockerfile-go-version",),
    ),
    Pattern(
        "GB273", "go-unknown-directive", "go_version_mismatch",
        "Old Go does not know a go.mod directive",
        r"go\.mod:(?P<gomod_line>\d+): unknown directive: (?P<directive>\w+)",
        (": unknown directive",),
        "A go.mod directive (toolchain: Go 1.21+, godebug: Go 1.23+) is unknown to the "
        "Go in the image, which is older than the go.mod.",
        (), ("dockerfile-go-version",),
    ),
    Pattern(
        "GB274", "toolchain-not-available", "go_version_mismatch",
        "Requested Go toolchain not available",
        r"download (?P<toolchain>go[\w.+-]+) for (?P<goos>\w+)/(?P<goarch>\w+): toolchain not "
        r"available",
        (": toolchain not available",),
        "Go tried to switch to the toolchain go.mod asks for and could not get it: the "
        "version does not exist (`go 1.22` means go1.22, write `go 1.22.0`), or GOPROXY "
        "cannot serve golang.org/toolchain (direct, off, or a private proxy).",
        ("goproxy",), ("dockerfile-go-version", "go-proxy"),
    ),
    Pattern(
        "GB275", "stdlib-too-new", "go_version_mismatch",
        "Standard-library package missing (Go too old)",
        r"package (?P<package>slices|maps|cmp|log/slog|iter|unique|math/rand/v2|"
        r"crypto/ecdh|structs|weak|crypto/mlkem|crypto/sha3|crypto/hkdf) is not in "
        r"(?:GOROOT|std)|cannot load io/fs: malformed module path \"io/fs\"",
        ("GOROOT", ": package ", ": malformed module path"),
        "The code imports a standard-library package that is newer than the Go in the "
        "build image.",
        (), ("dockerfile-go-version",),
    ),
    # ---------------------------------------------------------------- disk and caches
    Pattern(
        "GB280", "no-space", "disk_space",
        "No space left on device",
        r"(?:(?:write|mkdir|open|copy|rename) (?P<path>\S+): )?no space left on device",
        (": no space left on device",),
        "The disk holding Docker's data (or Docker Desktop's VM disk, or the CI runner's "
        "disk) is full: old images, build cache and cache mounts pile up. Free it with "
        "`docker builder prune` / `docker system prune`, set a build-cache GC limit, or "
        "grow the disk.",
        ("docker",), (),
    ),
    Pattern(
        "GB281", "readonly-cache", "readonly_cache",
        "Module or build cache on a read-only file system",
        r"(?:mkdir|open|write|rename|remove) (?P<path>\S+): read-only file system",
        (": read-only file system",),
        "Go writes its module cache (GOMODCACHE, /go/pkg/mod) and build cache (GOCACHE) "
        "and the directory is read-only (a read-only bind or cache mount, a read-only root "
        "file system). Point the caches to a writable cache mount.",
        ("container",), ("dockerfile-cache-mount",),
    ),
    Pattern(
        "GB282", "cache-permission-denied", "readonly_cache",
        "No permission to write the Go cache",
        r"(?:(?:could not create module cache|failed to initialize build cache at \S+|"
        r"failed to create cache directory \S+|writing go\.mod cache)(?:: \S+)*?: )?"
        r"(?:mkdir|open|write|rename) (?P<path>\S*(?:pkg/mod|go-build|\.cache|/go/|gocache|"
        r"modcache)\S*): permission denied",
        (": permission denied",),
        "The build runs as a user that cannot write the module or build cache (/go/pkg/mod "
        "is owned by root; an arbitrary UID has HOME=/ so GOCACHE is /.cache). Set "
        "GOMODCACHE/GOCACHE to a writable directory or a cache mount with the right uid.",
        ("container",), ("dockerfile-cache-mount",),
    ),
    Pattern(
        "GB283", "cache-disabled", "readonly_cache",
        "Go build cache disabled",
        r"go: disabling cache \((?P<path>\S+)\) due to initialization failure|"
        r"cannot use modules with build cache disabled|"
        r"failed to initialize build cache at (?P<path2>\S+)",
        (": disabling cache", ": cannot use modules with build cache",
         ": failed to initialize build cache"),
        "Go could not initialise its build cache (see the permission error) and runs "
        "without it, or refuses to.",
        ("container",), ("dockerfile-cache-mount",), attach=True,
    ),
    # ---------------------------------------------------------------- docker registry / daemon
    Pattern(
        "GB290", "registry-rate-limit", "docker_registry_pull",
        "Docker Hub pull rate limit reached",
        r"toomanyrequests: (?P<detail>[^\n]*)|(?P<status>429) Too Many Requests",
        (": toomanyrequests", ": 429 "),
        "Docker Hub limits anonymous and free pulls. Log in (docker login), use a registry "
        "mirror or pull-through cache, and avoid --pull on every build.",
        ("docker",), ("daemon-mirror",),
    ),
    Pattern(
        "GB291", "pull-access-denied", "docker_registry_pull",
        "Image not found or access denied",
        r"pull access denied for (?P<image>[^\s,]+), repository does not exist or may require "
        r"'docker login'",
        (": pull access denied",),
        "The image name is wrong, private (needs docker login), or the registry mirror "
        "does not have it.",
        ("docker",), ("daemon-mirror",),
    ),
    Pattern(
        "GB292", "image-not-found", "docker_registry_pull",
        "Base image tag not found",
        r"manifest for (?P<image>\S+) not found: manifest unknown|"
        r"(?P<image2>(?:docker\.io/)?[\w./-]+:[\w.-]+): not found$",
        (": manifest unknown", ": not found"),
        "The registry has no image with that tag (a golang tag that does not exist yet, a "
        "typo in FROM).",
        ("docker",), ("dockerfile-go-version",),
    ),
    Pattern(
        "GB293", "registry-unauthorized", "docker_registry_pull",
        "Registry authentication failed",
        r"unauthorized: (?P<detail>incorrect username or password|authentication required"
        r"[^\n]*)",
        (": unauthorized: ",),
        "The registry rejected the pull credentials or requires a login.",
        ("docker",), (),
    ),
    Pattern(
        "GB295", "base-image-metadata", "docker_registry_pull",
        "Could not fetch the base image's metadata",
        r"failed to resolve source metadata for (?P<image>\S+): (?P<detail>.+)",
        (": failed to resolve source metadata",),
        "The daemon (or BuildKit) could not fetch the FROM image's manifest: a problem of "
        "the daemon's network (proxy, DNS, TLS, mirror) or of the registry, not of the RUN "
        "step.",
        ("docker",), ("daemon-proxy", "daemon-dns", "daemon-mirror"),
    ),
    Pattern(
        "GB296", "daemon-config-invalid", "other",
        "Docker daemon configuration rejected",
        r"unable to configure the Docker daemon with file (?P<file>\S+): (?P<why>.+)",
        (": unable to configure the Docker daemon", "Docker daemon with file"),
        "dockerd refused to start with this daemon.json: an option both in the file and "
        "on the command line, an unknown key, invalid JSON or an invalid value.",
        ("docker",), ("daemon-dns", "daemon-proxy", "daemon-mirror"),
    ),
    Pattern(
        "GB297", "daemon-mirror-invalid", "other",
        "Invalid registry mirror",
        r"invalid mirror: (?P<why>.+)",
        (": invalid mirror",),
        "A registry-mirrors entry is not of the form https://host[:port] (no path query, "
        "no credentials).",
        ("docker",), ("daemon-mirror",),
    ),
    Pattern(
        "GB298", "daemon-unreachable", "other",
        "Docker daemon not reachable",
        r"Cannot connect to the Docker daemon at (?P<socket>\S+?)\.? Is the docker daemon "
        r"running\?",
        ("Cannot connect to the Docker daemon",),
        "The docker client cannot reach dockerd: not running, wrong DOCKER_HOST, or no "
        "permission on the socket.",
        ("docker",), (),
    ),
    Pattern(
        "GB208", "build-network-missing", "other",
        "The build step's network does not exist on the daemon",
        r"(?:executor failed running \[(?P<command>.+?)\]: |failed to create endpoint .*?: )?"
        r"network (?P<network>\S+) not found",
        (": network ",),
        "The daemon has no network of that name, so the RUN step could not start: dockerd "
        "runs without its default bridge (--bridge=none, or \"bridge\": \"none\" in "
        "daemon.json), or the network was removed. Build with --network host, or give the "
        "daemon its bridge back and restart it.",
        ("docker",), (),
    ),
    # ---------------------------------------------------------------- wrapper (last)
    Pattern(
        "GB299", "step-failed", "other",
        "Build step failed; no known cause found in the log",
        r"(?:process \"(?P<command>.+?)\" did not complete successfully: exit code: "
        r"(?P<exit_code>\d+)|The command '(?P<command2>.+?)' returned a non-zero code: "
        r"(?P<exit_code2>\d+)|executor failed running \[(?P<command3>.+?)\]: exit code: "
        r"(?P<exit_code3>\d+)|Error: building at STEP \"(?P<command4>[^\"]+)\": .*exit status "
        r"(?P<exit_code4>\d+))",
        ("ERROR", "The command '", ": exit code", "Error: building at STEP"),
        "The step's command exited with an error, but none of its output matched a known "
        "failure. Read the lines just before it.",
        (), (), tier=WRAPPER,
    ),
)  # fmt: skip

# A trigger that is not ": ..." must start with a character that is rare in build output,
# so that the prefilter's scan stays in C (an upper-case letter, a tab, or punctuation).
RARE_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\t>]-=")

BY_CODE: dict[str, Pattern] = {p.code: p for p in PATTERNS}
WRAPPER_CODE = "GB299"


def _check() -> None:
    codes = [p.code for p in PATTERNS]
    dup = {c for c in codes if codes.count(c) > 1}
    if dup:
        raise AssertionError(f"duplicate pattern codes: {sorted(dup)}")
    for p in PATTERNS:
        if p.category not in CATEGORIES:
            raise AssertionError(f"{p.code}: unknown category {p.category!r}")
        bad = [x for x in p.probes if x not in PROBE_FAMILIES]
        bad += [x for x in p.fixes if x not in FIX_IDS]
        if bad:
            raise AssertionError(f"{p.code}: unknown probe or fix ids {bad}")
        if not set(FIX_IDS) <= set(FIX_TITLES):
            raise AssertionError("every fix id needs a title")
        if not p.triggers:
            raise AssertionError(f"{p.code}: no triggers")
        for t in p.triggers:
            if not t.startswith(": ") and t[0] not in RARE_FIRST:
                raise AssertionError(f"{p.code}: trigger {t!r} would slow the prefilter")


_check()
