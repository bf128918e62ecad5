"""Real-format error lines for every GB2xx pattern, and the framings builds wrap them in.

Each case is (error line(s), code, category, facts that must be extracted). The texts
follow what go, git, ssh, docker and BuildKit print (docker-go-config.md section 5 and
the test bed's observed messages); module paths and hosts are examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    lines: tuple[str, ...]
    code: str
    category: str
    facts: dict[str, str] = field(default_factory=dict)


def c(id: str, text: str, code: str, category: str, **facts: str) -> Case:
    return Case(id, tuple(text.split("\n")), code, category, facts)


M = "go: github.com/google/uuid@v1.6.0: "
U = "https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.mod"

CASES: tuple[Case, ...] = (
    # DNS
    c("nxdomain", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on 10.0.0.2:53: no such host',
      "GB201", "dns", host="proxy.golang.org", resolver="10.0.0.2:53",
      module="github.com/google/uuid", version="v1.6.0"),
    c("nxdomain-no-resolver", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org: no such host',
      "GB201", "dns", host="proxy.golang.org"),
    c("dns-timeout", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on 8.8.8.8:53: read udp '
      "172.17.0.2:41234->8.8.8.8:53: i/o timeout", "GB202", "dns", host="proxy.golang.org",
      resolver="8.8.8.8:53"),
    c("dns-timeout-short", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org: i/o timeout',
      "GB202", "dns", host="proxy.golang.org"),
    c("servfail", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on 127.0.0.11:53: server '
      "misbehaving", "GB203", "dns", host="proxy.golang.org", resolver="127.0.0.11:53"),
    c("dns-unreachable-v6", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on '
      "[2001:4860:4860::8888]:53: dial udp [2001:4860:4860::8888]:53: connect: network is "
      "unreachable", "GB204", "dns", host="proxy.golang.org",
      resolver="[2001:4860:4860::8888]:53", net_error="network is unreachable"),
    c("dns-cannot-assign", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on '
      "[2001:4860:4860::8844]:53: dial udp [2001:4860:4860::8844]:53: connect: cannot assign "
      "requested address", "GB204", "dns", net_error="cannot assign requested address"),
    c("dns-port-closed", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on 127.0.0.1:53: '
      "read udp 127.0.0.1:59648->127.0.0.1:53: read: connection refused", "GB206", "dns",
      host="proxy.golang.org", resolver="127.0.0.1:53"),
    c("dns-truncated", f'{M}Get "{U}": dial tcp: lookup proxy.golang.org on 8.8.8.8:53: read udp '
      "172.17.0.2:41234->8.8.8.8:53: i/o tim", "GB207", "dns", host="proxy.golang.org",
      resolver="8.8.8.8:53"),
    c("glibc-git", "fatal: unable to access 'https://git.corp.example/team/lib.git/': Could not "
      "resolve host: git.corp.example", "GB205", "dns", host="git.corp.example"),
    c("glibc-apt", "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  "
      "Temporary failure resolving 'deb.debian.org'", "GB205", "dns", host="deb.debian.org"),
    c("glibc-ssh", "ssh: Could not resolve hostname github.com: Temporary failure in name "
      "resolution", "GB205", "dns", host="github.com"),
    # TCP
    c("tcp-timeout", f'{M}Get "{U}": dial tcp 142.250.185.81:443: i/o timeout', "GB210",
      "goproxy_blocked_or_slow", address="142.250.185.81", port="443", host="proxy.golang.org"),
    c("tcp-timeout-v6", f'{M}Get "{U}": dial tcp [2a00:1450:4001:82b::2011]:443: i/o timeout',
      "GB210", "goproxy_blocked_or_slow", address="[2a00:1450:4001:82b::2011]"),
    c("dial-timeout", f'{M}Get "{U}": dial tcp: i/o timeout', "GB211", "goproxy_blocked_or_slow"),
    c("refused", 'go: example.com/m@v1.0.0: Get "http://127.0.0.1:8091/example.com/m/@v/v1.0.0.mod":'
      " dial tcp 127.0.0.1:8091: connect: connection refused", "GB212",
      "goproxy_blocked_or_slow", address="127.0.0.1", port="8091", module="example.com/m"),
    c("reset", f'{M}Get "{U}": read tcp 172.17.0.2:50412->142.250.185.81:443: read: connection '
      "reset by peer", "GB213", "mtu_or_network_hang"),
    c("no-route", f'{M}Get "{U}": dial tcp [2a00:1450:4001:82b::2011]:443: connect: network is '
      "unreachable", "GB214", "goproxy_blocked_or_slow", net_error="network is unreachable"),
    c("tls-handshake-timeout", f'{M}Get "{U}": net/http: TLS handshake timeout', "GB215",
      "mtu_or_network_hang", host="proxy.golang.org"),
    c("eof", 'go: github.com/aws/aws-sdk-go@v1.44.0: read "https:/proxy.golang.org/github.com/aws/'
      'aws-sdk-go/@v/v1.44.0.zip": unexpected EOF', "GB216", "mtu_or_network_hang",
      module="github.com/aws/aws-sdk-go"),
    c("stream-error", f'{M}Get "{U}": stream error: stream ID 3; INTERNAL_ERROR; received from '
      "peer", "GB217", "mtu_or_network_hang", detail="INTERNAL_ERROR"),
    c("client-timeout", f'{M}Get "{U}": net/http: request canceled while waiting for connection '
      "(Client.Timeout exceeded while awaiting headers)", "GB218", "goproxy_blocked_or_slow"),
    c("deadline", f'{M}Get "{U}": context deadline exceeded', "GB218", "goproxy_blocked_or_slow"),
    c("5xx", "go: gopkg.in/yaml.v3@v3.0.1: reading https://gopkg.in/yaml.v3?go-get=1: 502 Bad "
      "Gateway", "GB219", "goproxy_blocked_or_slow", status="502"),
    # Proxy
    c("proxy-loopback", f'{M}Get "{U}": proxyconnect tcp: dial tcp 127.0.0.1:7890: connect: '
      "connection refused", "GB220", "proxy_unreachable", proxy="127.0.0.1:7890"),
    c("proxy-refused", f'{M}Get "{U}": proxyconnect tcp: dial tcp 10.1.2.3:3128: connect: '
      "connection refused", "GB221", "proxy_unreachable", proxy="10.1.2.3:3128"),
    c("proxy-nxdomain", f'{M}Get "{U}": proxyconnect tcp: dial tcp: lookup proxy.corp.example on '
      "8.8.8.8:53: no such host", "GB222", "proxy_unreachable", proxy="proxy.corp.example",
      resolver="8.8.8.8:53"),
    c("proxy-timeout", f'{M}Get "{U}": proxyconnect tcp: dial tcp 10.1.2.3:3128: i/o timeout',
      "GB223", "proxy_unreachable", proxy="10.1.2.3:3128"),
    c("proxy-https-scheme", f'{M}Get "{U}": proxyconnect tcp: tls: first record does not look '
      "like a TLS handshake", "GB224", "proxy_unreachable"),
    c("proxy-other", f'{M}Get "{U}": proxyconnect tcp: EOF', "GB225", "proxy_unreachable"),
    c("proxy-407-connect", f'{M}Get "{U}": Proxy Authentication Required', "GB226", "proxy_auth"),
    c("proxy-407-plain", "go: example.com/m@v1.0.0: reading http://vm:8090/example.com/m/@v/"
      "v1.0.0.mod: 407 Proxy Authentication Required", "GB226", "proxy_auth", status="407",
      module="example.com/m", host="vm"),
    c("tinyproxy-401", "go: example.com/m@v1.0.0: reading http://vm:8090/example.com/m/@v/"
      "v1.0.0.mod: 401 Unauthorized", "GB227", "private_module_auth", status="401", host="vm"),
    c("proxy-403", "go: example.com/m@v1.0.0: reading https://proxy.golang.org/example.com/m/@v/"
      "v1.0.0.mod: 403 Forbidden", "GB228", "goproxy_blocked_or_slow", status="403"),
    c("proxy-403-connect", f'{M}Get "{U}": Forbidden', "GB228", "goproxy_blocked_or_slow"),
    # TLS
    c("x509-unknown", f'{M}Get "{U}": tls: failed to verify certificate: x509: certificate '
      "signed by unknown authority", "GB230", "tls_ca", host="proxy.golang.org"),
    c("x509-unknown-old", f'{M}Get "{U}": x509: certificate signed by unknown authority '
      '(possibly because of "crypto/rsa: verification error" while trying to verify candidate '
      'authority certificate "Zscaler Root CA")', "GB230", "tls_ca"),
    c("x509-name", f'{M}Get "{U}": tls: failed to verify certificate: x509: certificate is valid '
      "for *.zscaler.net, zscaler.net, not proxy.golang.org", "GB231", "tls_ca",
      host="proxy.golang.org", valid_for="*.zscaler.net, zscaler.net"),
    c("x509-expired", f'{M}Get "{U}": tls: failed to verify certificate: x509: certificate has '
      "expired or is not yet valid: current time 2019-01-01T00:00:00Z is before "
      "2024-03-01T00:00:00Z", "GB232", "tls_ca"),
    c("x509-legacy-cn", f'{M}Get "{U}": x509: certificate relies on legacy Common Name field, use '
      "SANs instead", "GB233", "tls_ca"),
    c("x509-truncated", f'{M}Get "{U}": tls: failed to verify certificate: x509: certificate '
      "signed by unkn", "GB233", "tls_ca"),
    c("x509-other", f'{M}Get "{U}": x509: cannot parse dnsName', "GB236", "tls_ca",
      detail="cannot parse dnsName"),
    c("git-ssl", "fatal: unable to access 'https://git.corp.example/x.git/': SSL certificate "
      "problem: self-signed certificate in certificate chain", "GB234", "tls_ca"),
    c("tls-plain", 'go: example.com/m@v1.0.0: Get "https://127.0.0.1:8090/example.com/m/@v/'
      'v1.0.0.mod": http: server gave HTTP response to HTTPS client', "GB235", "other"),
    # Module proxies and private modules
    c("410-private", "go: git.corp.example/team/lib@v1.2.0: reading https://proxy.golang.org/git."
      "corp.example/team/lib/@v/v1.2.0.mod: 410 Gone", "GB240", "private_module_proxy_404",
      status="410", module="git.corp.example/team/lib", version="v1.2.0"),
    c("404", "go: corp.example/lib@v1.0.1: reading http://127.0.0.1:8090/corp.example/lib/@v/"
      "v1.0.1.mod: 404 File not found", "GB241", "private_module_proxy_404", status="404",
      module="corp.example/lib", version="v1.0.1"),
    c("404-case-encoded", "go: github.com/Azure/go-autorest@v14.2.0+incompatible: reading "
      "https://goproxy.corp.example/github.com/!azure/go-autorest/@v/v14.2.0+incompatible.info: "
      "404 Not Found", "GB241", "private_module_proxy_404", module="github.com/Azure/go-autorest"),
    c("sumdb-410", "go: git.corp.example/team/lib@v1.2.0: verifying module: git.corp.example/team/"
      "lib@v1.2.0: reading https://sum.golang.org/lookup/git.corp.example/team/lib@v1.2.0: 410 "
      "Gone", "GB242", "private_module_proxy_404", status="410"),
    c("sumdb-tile-404", "go: verifying module: github.com/x/y@v1.0.0: reading https://goproxy.io/"
      "sumdb/sum.golang.org/tile/8/1/237: 404 Not Found", "GB242", "private_module_proxy_404"),
    c("terminal-prompts", "fatal: could not read Username for 'https://github.com': terminal "
      "prompts disabled", "GB260", "private_module_auth", url="https://github.com",
      what="Username"),
    c("publickey", "git@github.com: Permission denied (publickey).", "GB261",
      "private_module_auth", host="github.com"),
    c("host-key", "Host key verification failed.", "GB262", "private_module_auth"),
    c("git-auth", "fatal: Authentication failed for 'https://git.corp.example/team/lib.git/'",
      "GB263", "private_module_auth", url="https://git.corp.example/team/lib.git/"),
    c("git-missing", 'go: git.corp.example/team/lib@v1.2.0: git ls-remote -q origin in /go/pkg/'
      'mod/cache/vcs/abc: exec: "git": executable file not found in $PATH', "GB264", "other"),
    c("cancelled", "CANCELED", "GB239", "mtu_or_network_hang"),
    c("context-canceled", "ERROR: failed to solve: context canceled", "GB239",
      "mtu_or_network_hang"),
    # Checksums
    c("checksum", "verifying github.com/foo/bar@v1.2.3: checksum mismatch\n"
      "\tdownloaded: h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
      "\tgo.sum:     h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n\n"
      "SECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.",
      "GB244", "checksum_mismatch", module="github.com/foo/bar", version="v1.2.3",
      downloaded="h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      expected="h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=", expected_from="go.sum"),
    c("checksum-sumdb", "go: verifying module: checksum mismatch\n"
      "\tdownloaded: h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
      "\tsum.golang.org: h1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=",
      "GB245", "checksum_mismatch", expected_from="sum.golang.org"),
    c("security-alone", "SECURITY ERROR", "GB246", "checksum_mismatch"),
    c("missing-sum", "main.go:5:2: missing go.sum entry for module providing package "
      "github.com/google/uuid (imported by corp/app); to add:", "GB247", "other",
      package="github.com/google/uuid"),
    # Module resolution
    c("goproxy-off", "go: example.com/m@v1.0.0: module lookup disabled by GOPROXY=off", "GB248",
      "goproxy_blocked_or_slow", module="example.com/m"),
    c("vendor", "go: inconsistent vendoring in /src:", "GB249", "other"),
    c("unknown-revision", "go: github.com/foo/bar@v1.9.9: invalid version: unknown revision v1.9.9",
      "GB250", "module_not_found", revision="v1.9.9"),
    c("no-matching", 'go: github.com/foo/bar@latest: no matching versions for query "latest"',
      "GB251", "module_not_found", query="latest"),
    c("no-module", "main.go:4:2: no required module provides package github.com/foo/baz; to add "
      "it:", "GB252", "module_not_found", package="github.com/foo/baz"),
    c("declares-path", "go: github.com/Foo/bar@v1.0.0: parsing go.mod:\n"
      "\tmodule declares its path as: github.com/foo/bar\n"
      "\t        but was required as: github.com/Foo/bar", "GB253", "module_not_found",
      declared="github.com/foo/bar", required="github.com/Foo/bar"),
    c("unrecognized", 'go: corp.example/lib@v1.0.0: unrecognized import path "corp.example/lib": '
      "parse https://corp.example/lib?go-get=1: no go-import meta tags ()", "GB254",
      "module_not_found", path="corp.example/lib"),
    c("malformed", 'go: malformed module path "mylib": missing dot in first path element',
      "GB255", "module_not_found", path="mylib"),
    c("replace-missing", "go: corp/lib@v0.0.0 (replaced by ../lib): reading ../lib/go.mod: open "
      "/lib/go.mod: no such file or directory", "GB256", "other", dir="../lib"),
    c("gomod-not-found", "go: go.mod file not found in current directory or any parent directory; "
      "see 'go help modules'", "GB257", "other"),
    c("goproxy-invalid", "go: invalid proxy URL missing scheme: goproxy.corp.example", "GB258",
      "other", value="goproxy.corp.example"),
    c("go-env-w", "warning: go env -w GOPROXY=... does not override conflicting OS environment "
      "variable", "GB259", "other", variable="GOPROXY"),
    c("cache-key", 'ERROR: failed to solve: failed to compute cache key: failed to calculate '
      'checksum of ref 4f1a::abc: "/go.sum": not found', "GB265", "other", path="/go.sum"),
    c("copy-failed", "COPY failed: file not found in build context or excluded by .dockerignore: "
      "stat go.sum: file does not exist", "GB265", "other", path="go.sum"),
    # Go versions
    c("too-new", "go: go.mod requires go >= 1.22.1 (running go 1.21.13; GOTOOLCHAIN=local)",
      "GB270", "go_version_mismatch", go_required="1.22.1", go_running="1.21.13",
      gotoolchain="local"),
    c("too-new-dep", "go: github.com/foo/bar@v1.5.0 requires go >= 1.23 (running go 1.22.5; "
      "GOTOOLCHAIN=local)", "GB270", "go_version_mismatch", go_required="1.23"),
    c("note-requires", "note: module requires Go 1.22", "GB271", "go_version_mismatch",
      go_required="1.22"),
    c("version-format", "go: errors parsing go.mod:\n/src/go.mod:3: invalid go version '1.22.1': "
      "must match format 1.23", "GB272", "go_version_mismatch", go_required="1.22.1"),
    c("toolchain-directive", "go: errors parsing go.mod:\n/src/go.mod:5: unknown directive: "
      "toolchain", "GB273", "go_version_mismatch", directive="toolchain", gomod_line="5"),
    c("toolchain-unavailable", "go: downloading go1.22 (linux/amd64)\ngo: download go1.22 for "
      "linux/amd64: toolchain not available", "GB274", "go_version_mismatch", toolchain="go1.22"),
    c("stdlib", "main.go:4:2: package slices is not in GOROOT (/usr/local/go/src/slices)",
      "GB275", "go_version_mismatch", package="slices"),
    # Disk and caches
    c("no-space", "go: github.com/aws/aws-sdk-go@v1.44.0: write /go/pkg/mod/cache/download/"
      "github.com/aws/aws-sdk-go/@v/v1.44.0.zip: no space left on device", "GB280", "disk_space"),
    c("readonly", "go: could not create module cache: mkdir /go/pkg/mod/cache: read-only file "
      "system", "GB281", "readonly_cache", path="/go/pkg/mod/cache"),
    c("perm-denied", "go: could not create module cache: mkdir /go/pkg/mod: permission denied",
      "GB282", "readonly_cache", path="/go/pkg/mod"),
    c("cache-disabled", "go: disabling cache (/.cache/go-build) due to initialization failure",
      "GB283", "readonly_cache"),
    # Docker registry and daemon
    c("rate-limit", "Error response from daemon: toomanyrequests: You have reached your "
      "unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit",
      "GB290", "docker_registry_pull"),
    c("pull-denied", "Error response from daemon: pull access denied for golang-corp, repository "
      "does not exist or may require 'docker login': denied: requested access to the resource is "
      "denied", "GB291", "docker_registry_pull", image="golang-corp"),
    c("manifest-unknown", "Error response from daemon: manifest for golang:1.99 not found: "
      "manifest unknown: manifest unknown", "GB292", "docker_registry_pull", image="golang:1.99"),
    c("registry-unauthorized", "Error response from daemon: Head \"https://registry-1.docker.io/v2/"
      'library/golang/manifests/1.22": unauthorized: incorrect username or password', "GB293",
      "docker_registry_pull"),
    c("buildkit-deadline", "ERROR: failed to solve: DeadlineExceeded: DeadlineExceeded: "
      "DeadlineExceeded: golang:1.22: failed to resolve source metadata for docker.io/library/"
      "golang:1.22: failed to do request: context deadline exceeded", "GB294",
      "docker_registry_pull"),
    c("source-metadata", "ERROR: failed to solve: golang:1.22: failed to resolve source metadata "
      "for docker.io/library/golang:1.22: unexpected status from HEAD request to https://"
      "registry-1.docker.io/v2/library/golang/manifests/1.22: 500 Internal Server Error",
      "GB295", "docker_registry_pull", image="docker.io/library/golang:1.22"),
    c("pull-timeout", 'Error response from daemon: Get "https://registry-1.docker.io/v2/": '
      "net/http: request canceled while waiting for connection (Client.Timeout exceeded while "
      "awaiting headers)", "GB218", "docker_registry_pull", host="registry-1.docker.io"),
    c("pull-proxyconnect", 'Error response from daemon: Get "https://registry-1.docker.io/v2/": '
      "proxyconnect tcp: dial tcp 127.0.0.1:8888: connect: connection refused", "GB220",
      "proxy_unreachable", proxy="127.0.0.1:8888"),
    c("pull-x509", 'Error response from daemon: Get "https://registry-1.docker.io/v2/": x509: '
      "certificate signed by unknown authority", "GB230", "tls_ca", host="registry-1.docker.io"),
    c("pull-no-space", "failed to register layer: Error processing tar file(exit status 1): write "
      "/usr/local/go/pkg/tool/linux_amd64/compile: no space left on device", "GB280",
      "disk_space"),
    c("daemon-config", "unable to configure the Docker daemon with file /etc/docker/daemon.json: "
      "the following directives are specified both as a flag and in the configuration file: "
      "dns: (from flag: [127.0.0.2], from file: [127.0.0.1])", "GB296", "other",
      file="/etc/docker/daemon.json"),
    c("mirror", 'failed to start daemon: invalid mirror: "127.0.0.1:5000" is not a valid URI',
      "GB297", "other"),
    c("network-missing", "#7 ERROR: executor failed running [/bin/sh -c go mod download -x]: "
      "network bridge not found", "GB208", "other", network="bridge"),
    c("daemon-down", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the "
      "docker daemon running?", "GB298", "other", socket="unix:///var/run/docker.sock"),
)  # fmt: skip
