"""Value checks shared by the editors, worded like the tool that would reject the value.

Each check returns None for a good value, else one line: what is wrong and what to
type instead. Lists are comma or newline separated (see :func:`split_list`).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import urllib.parse

_DOMAIN_RE = re.compile(
    r"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    r"(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*\.?$"
)
_HOSTPORT_RE = re.compile(r"^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$")


def split_list(value: str) -> list[str]:
    """Items of a comma/newline separated list, stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"[,\n]", value) if p.strip()]


def ip_list(value: str) -> str | None:
    """IP addresses (daemon.json ``dns``): dockerd says ``X is not an ip address``."""
    for item in split_list(value):
        try:
            ipaddress.ip_address(item)
            if "%" in item:  # Go's net.ParseIP takes no IPv6 zone
                raise ValueError(item)
        except ValueError:
            return f"{item} is not an ip address (dockerd accepts only IP addresses here)"
    return None


def dns_search_list(value: str) -> str | None:
    """DNS search domains, checked like dockerd's ``ValidateDNSSearch``."""
    for item in split_list(value):
        if item == ".":
            continue
        if len(item) > 255 or not _DOMAIN_RE.match(item) or not re.search("[a-zA-Z]", item):
            return f"{item} is not a valid domain"
    return None


def word_list(value: str) -> str | None:
    """Items without spaces (``dns-opts`` such as ``ndots:0``)."""
    for item in split_list(value):
        if re.search(r"\s", item):
            return f"{item!r} contains a space; give one option per item"
    return None


def mirror_url(item: str) -> str | None:
    """A ``registry-mirrors`` entry: ``http(s)://host[:port]``, as dockerd checks it."""
    if "://" not in item:
        return (
            f"invalid mirror: no scheme specified for {item!r}:"
            " must use either 'https://' or 'http://'"
        )
    u = urllib.parse.urlsplit(item)
    if u.scheme not in {"http", "https"}:
        return f"invalid mirror: unsupported scheme {u.scheme!r} in {item!r}"
    if u.username is not None or u.password is not None:
        return (
            f'invalid mirror: username/password not allowed in URI "{_mask(item)}";'
            " use `docker login` for credentials"
        )
    if u.query or u.fragment or u.path not in {"", "/"}:
        return (
            f'invalid mirror: path, query, or fragment at end of the URI "{item}";'
            " give only scheme://host[:port]"
        )
    if not u.hostname:
        return f'invalid mirror: "{item}" has no host'
    return None


def mirror_list(value: str) -> str | None:
    """Registry mirrors."""
    for item in split_list(value):
        err = mirror_url(item)
        if err:
            return err
    return None


def registry_list(value: str) -> str | None:
    """``insecure-registries``: ``host[:port]`` or a CIDR, without a scheme."""
    for item in split_list(value):
        if "://" in item:
            return f"insecure registry {item} should not contain '://'"
        if "/" in item:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                return f"{item} is neither host[:port] nor a CIDR such as 10.0.0.0/8"
            continue
        if not _HOSTPORT_RE.match(item):
            return f"{item} is not host[:port]"
    return None


def _mask(url: str) -> str:
    u = urllib.parse.urlsplit(url)
    if u.password is None:
        return url
    netloc = u.netloc.replace(f":{u.password}@", ":****@", 1)
    return urllib.parse.urlunsplit(u._replace(netloc=netloc))


def proxy_url(value: str) -> str | None:
    """A proxy URL: ``http://[user:pass@]host:port`` (https and socks5 also work)."""
    item = value.strip()
    if "://" not in item:
        return f"{item} has no scheme; write http://{item}"
    u = urllib.parse.urlsplit(item)
    if u.scheme not in {"http", "https", "socks5", "socks5h"}:
        return f"unsupported proxy scheme {u.scheme!r}; use http://, https:// or socks5://"
    if not u.hostname:
        return f"{_mask(item)} has no host"
    try:
        u.port  # noqa: B018 - parsing the port validates it
    except ValueError:
        return f"{_mask(item)} has an invalid port"
    if u.path not in {"", "/"} or u.query:
        return f"{_mask(item)}: a proxy URL is scheme://host:port, without a path"
    if re.search(r"\s", item):
        return "a proxy URL cannot contain spaces"
    return None


def no_proxy_list(value: str) -> str | None:
    """``NO_PROXY``: hosts, ``.domains``, ``*``, IPs, CIDRs, ``host:port``."""
    for item in split_list(value):
        if re.search(r"\s", item) or "://" in item:
            return f"{item!r} is not a host, domain, IP or CIDR (no scheme, no spaces)"
    return None


def mtu(value: str) -> str | None:
    """The bridge MTU (68 is IPv4's minimum; 1500 is Ethernet's default)."""
    try:
        n = int(value)
    except ValueError:
        return f"{value!r} is not a number; type e.g. 1400"
    if n < 68 or n > 65535:
        return f"invalid default MTU: {n} (use 68..65535; VPNs typically need 1280..1450)"
    return None


def bip(value: str) -> str | None:
    """``bip``: the bridge's own address with its prefix, e.g. 192.168.200.1/24."""
    if "/" not in value:
        return f"{value} has no prefix length; write e.g. {value}/24"
    try:
        iface = ipaddress.ip_interface(value)
    except ValueError:
        return f"{value} is not an address with a prefix such as 192.168.200.1/24"
    if iface.version != 4:
        return "bip must be an IPv4 address (use fixed-cidr-v6 for IPv6)"
    net = iface.network
    if net.prefixlen > 30:
        return f"{value}: the prefix /{net.prefixlen} leaves no room for containers (use /24)"
    if iface.ip in (net.network_address, net.broadcast_address):
        return f"{value}: use a host address such as {next(net.hosts())}/{net.prefixlen}"
    return None


def goproxy(value: str) -> str | None:
    """GOPROXY, checked like the go command's ``proxyList``."""
    entries = [e for e in re.split(r"[,|]", value) if e.strip()]
    if not entries:
        return "GOPROXY list is not the empty string, but contains no entries"
    for raw in entries:
        item = raw.strip()
        if item != raw:
            return f"GOPROXY entry {raw!r} has spaces around it"
        if item in {"direct", "off"}:
            continue
        url = item
        if any(c in url for c in ".:/") and ":/" not in url and not url.startswith("/"):
            url = "https://" + url
        scheme = urllib.parse.urlsplit(url).scheme
        if not scheme:
            return f"invalid proxy URL missing scheme: {item}"
        if scheme not in {"http", "https", "file"}:
            return f"invalid proxy URL scheme (must be https, http, file): {_mask(item)}"
    return None


def gosumdb(value: str) -> str | None:
    """GOSUMDB: ``off``, a name, ``name+hash+key`` and optionally a URL."""
    fields = value.split()
    if not fields:
        return "missing GOSUMDB"
    if len(fields) > 2:
        return "invalid GOSUMDB: too many fields"
    if fields[0] == "off":
        return None if len(fields) == 1 else "invalid GOSUMDB: too many fields"
    name = fields[0]
    if "+" in name:
        parts = name.split("+", 2)  # the base64 key may itself hold '+'
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
            return "invalid GOSUMDB: malformed verifier id (want name+hash+key)"
        try:
            key = base64.b64decode(parts[2], validate=True)
        except (binascii.Error, ValueError):
            return "invalid GOSUMDB: malformed verifier id (the key is not base64)"
        if len(key) != 33 or key[0] != 1:
            return "invalid GOSUMDB: malformed verifier id (not an Ed25519 key)"
    elif name not in {"sum.golang.org", "sum.golang.google.cn"}:
        return (
            f"invalid GOSUMDB: {name} needs its public key (name+hash+key),"
            " or use sum.golang.org / off"
        )
    if len(fields) == 2:
        u = urllib.parse.urlsplit(fields[1])
        if u.scheme not in {"http", "https"} or not u.hostname:
            return f"invalid GOSUMDB: {fields[1]} is not an http(s) URL"
    return None


def module_patterns(value: str) -> str | None:
    """GOPRIVATE/GONOPROXY/GONOSUMDB/GOINSECURE: comma separated module path globs."""
    if value.strip() == "none":
        return None
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        if "://" in item:
            return f"{item} is a URL; give the module path prefix, e.g. {item.split('://', 1)[1]}"
        if re.search(r"\s", item):
            return f"{item!r} contains a space; separate patterns with commas"
        if item.count("[") != item.count("]"):
            return f"{item}: syntax error in pattern (unbalanced [ ])"
        if item.startswith("/") or item.endswith("/"):
            return f"{item}: a module path prefix has no leading or trailing slash"
    return None


def goflags(value: str) -> str | None:
    """GOFLAGS: space separated ``-flag`` or ``-flag=value``; values cannot hold spaces."""
    for item in value.split():
        if not item.startswith("-"):
            return f'go: parsing $GOFLAGS: non-flag "{item}"'
    return None


def env_value(name: str, value: str) -> str | None:
    """What ``go env -w`` refuses in any value: newlines and NUL."""
    if "\x00" in value:
        return f"invalid NUL in {name}=... value"
    if any(c in value for c in "\v\r\n"):
        return f"invalid newline in {name}=... value"
    return None
