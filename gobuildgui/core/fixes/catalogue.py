"""The catalogue of fixes: what each fix is for, its options, its settings, its builder.

``FIXES[fix_id].build(settings, ctx)`` validates the settings and returns a
:class:`~gobuildgui.core.fixes.model.FixPlan`; nothing here writes a file.
"""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gobuildgui.core.fixes import daemon, dockerfile, validate
from gobuildgui.core.fixes.client import PROXY_KEYS, edit_client_proxies
from gobuildgui.core.fixes.files import read_target
from gobuildgui.core.fixes.goenv import check_go_value, edit_go_env, read_go_env
from gobuildgui.core.fixes.jsonedit import JsonEditor, JsonSyntaxError
from gobuildgui.core.fixes.model import (
    Field,
    FieldKind,
    FileChange,
    FixContext,
    FixError,
    FixOption,
    FixPlan,
    Followup,
    InvalidSettingsError,
    RefusedError,
    Target,
    UnknownFixError,
)
from gobuildgui.core.model import Applicability
from gobuildgui.core.secrets import register_secret

Builder = Callable[[Mapping[str, str], FixContext], FixPlan]
_SWITCH_KINDS = frozenset({FieldKind.BOOL, FieldKind.CHOICE})
DefaultsFn = Callable[[FixContext], Mapping[str, str]]


@dataclass(frozen=True)
class FixSpec:
    """One fix of the catalogue.

    ``fields`` are the settings it takes (all strings; lists comma separated; booleans
    "true"/"false"). ``options`` are the ways to cure the cause with their trade-offs;
    an option with ``fix_id`` points at another fix. ``build`` validates and plans.
    """

    fix_id: str
    title: str
    description: str
    target: Target
    fields: tuple[Field, ...]
    options: tuple[FixOption, ...]
    verify_probes: tuple[str, ...]
    builder: Builder = field(repr=False, compare=False)
    defaults_from: DefaultsFn | None = field(default=None, repr=False, compare=False)

    def field(self, name: str) -> Field:
        """The field called ``name``; KeyError when there is none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def defaults(self, ctx: FixContext) -> dict[str, str]:
        """Field values to start from: the current settings where they can be read.

        Never raises: an unreadable file just gives the static defaults.
        """
        out = {f.name: f.default for f in self.fields}
        if self.defaults_from is not None:
            with contextlib.suppress(FixError, OSError, ValueError):
                out.update(self.defaults_from(ctx))
        return out

    def validate(self, settings: Mapping[str, str]) -> dict[str, str]:
        """Error messages per field name (empty when everything is acceptable).

        Names that are not fields of this fix are errors too (a typo in ``--set``).
        """
        errors: dict[str, str] = {}
        names = {f.name for f in self.fields}
        for name, value in settings.items():
            if name not in names:
                errors[name] = f"unknown setting; {self.fix_id} takes {', '.join(sorted(names))}"
                continue
            err = self.field(name).validate(value)
            if err:
                errors[name] = err
        for f in self.fields:
            if f.required and f.name not in settings and not f.default:
                errors[f.name] = f"{f.label} is required"
        return errors

    def build(self, settings: Mapping[str, str], ctx: FixContext) -> FixPlan:
        """Validate ``settings`` and plan the fix (raises InvalidSettingsError, FixError)."""
        errors = self.validate(settings)
        if errors:
            raise InvalidSettingsError(errors)
        # Defaults of switches (how to apply) count when not given; defaults of values
        # only prefill the wizard: a value not given leaves its key untouched.
        merged = {
            f.name: f.default
            for f in self.fields
            if f.default and (f.kind in _SWITCH_KINDS or f.required)
        }
        secret = set(self.secret_fields)  # a password keeps its spaces
        merged.update({k: v if k in secret else v.strip() for k, v in settings.items()})
        return self.builder(merged, ctx)

    @property
    def secret_fields(self) -> tuple[str, ...]:
        """Names of the fields to mask."""
        return tuple(f.name for f in self.fields if f.secret)


# -- helpers ------------------------------------------------------------------------


def _require_path(ctx: FixContext, target: Target, what: str) -> Path:
    path = ctx.path_for(target)
    if path is None:
        raise FixError(
            f"there is no {what} on platform {ctx.platform}; point at a file with --file"
        )
    return path


def _list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    items = validate.split_list(value)
    return items or None


def _secrets_of(*values: str | None) -> tuple[str, ...]:
    """Credentials inside URLs (``user:pass@``) that displays must mask."""
    out: list[str] = []
    for v in values:
        if not v:
            continue
        for item in validate.split_list(v):
            if "://" in item:
                u = urllib.parse.urlsplit(item)
                if u.password:
                    out.append(u.password)
                    out.append(urllib.parse.unquote(u.password))
    return tuple(dict.fromkeys(out))


def _plan(
    platform: str,
    spec_id: str,
    summary: str,
    changes: list[FileChange],
    *,
    followups: tuple[Followup, ...] = (),
    warnings: tuple[str, ...] | list[str] = (),
    secrets: tuple[str, ...] = (),
    applicability: Applicability = Applicability.SAFE,
) -> FixPlan:
    from gobuildgui.core.fixes.write import manual_commands, mask

    spec = FIXES[spec_id]
    for value in secrets:
        register_secret(value)  # every later redact() (logs, reports, the UI) masks it
    # Only the new file texts hold secrets in clear; everything shown is masked here.
    plan = FixPlan(
        fix_id=spec_id,
        title=spec.title,
        summary=mask(summary, secrets),
        changes=tuple(changes),
        applicability=applicability,
        followups=tuple(
            Followup(mask(f.description, secrets), mask(f.command, secrets) if f.command else None)
            for f in followups
        ),
        verify_probes=spec.verify_probes,
        warnings=tuple(mask(w, secrets) for w in warnings),
        secrets=secrets,
    )
    return FixPlan(**{**plan.__dict__, "commands_to_copy": manual_commands(plan, platform)})


def _daemon_current(ctx: FixContext) -> dict[str, Any]:
    path = ctx.path_for(Target.DAEMON_JSON)
    if path is None:
        return {}
    target = read_target(path, euid=ctx.euid)
    try:
        value = JsonEditor(target.text or "").value
    except JsonSyntaxError:
        return {}
    return value if isinstance(value, dict) else {}


def _join(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _daemon_plan(
    fix_id: str,
    summary: str,
    values: dict[tuple[str, ...], Any],
    ctx: FixContext,
    *,
    secrets: tuple[str, ...] = (),
) -> FixPlan:
    path = _require_path(ctx, Target.DAEMON_JSON, "daemon.json")
    change, editor = daemon.edit_daemon_json(
        path, values, description=f"daemon configuration: {summary}", euid=ctx.euid
    )
    top_keys = sorted({p[0] if p[0] != "proxies" else p[-1] for p in values})
    set_keys = [k for k in top_keys if editor.get((k,)) is not None or editor.get(("proxies", k))]
    warnings: list[str] = []
    if change.encoding == "utf-8-sig":
        warnings.append(
            f"{path} starts with a UTF-8 byte-order mark (kept as it is). Docker Engine before"
            " 23 refuses such a file: \"invalid character 'ï' looking for beginning of value\"."
            f" Remove the mark with: sed -i '1s/^\\xEF\\xBB\\xBF//' {path}"
        )
    files = ctx.service_files
    if files is None:
        from gobuildgui.core.fixes.locations import service_files

        files = service_files(ctx.platform, ctx.env)
    for clash in daemon.service_flag_clashes(files, set_keys):
        node = editor.get((clash.key,)) or editor.get(("proxies", clash.key))
        shown = json.dumps(node.value) if node is not None else "?"
        warnings.append(clash.message(path, shown))
    if ctx.platform in {"macos", "windows"}:
        warnings.append(
            "Docker Desktop: you can also paste the same JSON in Settings → Docker Engine;"
            " Desktop rewrites this file when you change settings there."
        )
    follow = [daemon.restart_followup(ctx.platform, top_keys)]
    if ctx.platform in {"linux", "linux-rootless"}:
        follow.append(
            Followup(
                "If the daemon does not come back, its log says why.",
                "journalctl -u docker.service -n 50 --no-pager"
                if ctx.platform == "linux"
                else "journalctl --user -u docker.service -n 50 --no-pager",
            )
        )
    return _plan(
        ctx.platform,
        fix_id,
        summary,
        [change],
        followups=tuple(follow),
        warnings=warnings,
        secrets=secrets,
    )


# -- builders -----------------------------------------------------------------------


def _build_daemon_dns(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    values: dict[tuple[str, ...], Any] = {}
    for name in ("dns", "dns-opts", "dns-search"):
        if name in s:
            values[(name,)] = _list(s[name])
    plan = _daemon_plan("daemon-dns", "DNS servers for containers and RUN steps", values, ctx)
    loopback = [a for a in validate.split_list(s.get("dns", "")) if _is_loopback_ip(a)]
    if loopback:
        warning = (
            f"{', '.join(loopback)} is a loopback address: inside a container it is the"
            " container itself, and BuildKit drops such servers (falling back to 8.8.8.8)."
            " Give a DNS server containers can reach, e.g. the host's address on docker0."
        )
        plan = FixPlan(**{**plan.__dict__, "warnings": (warning, *plan.warnings)})
    return plan


def _is_loopback_ip(value: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(value).is_loopback
    except ValueError:
        return False


def _build_daemon_mirror(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    values: dict[tuple[str, ...], Any] = {}
    for name in ("registry-mirrors", "insecure-registries"):
        if name in s:
            values[(name,)] = _list(s[name])
    return _daemon_plan("daemon-mirror", "registry mirrors for image pulls", values, ctx)


def _build_daemon_mtu(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    values: dict[tuple[str, ...], Any] = {}
    if "mtu" in s:
        values[("mtu",)] = int(s["mtu"]) if s["mtu"] else None
    if "bip" in s:
        values[("bip",)] = s["bip"] or None
    return _daemon_plan("daemon-mtu", "MTU / address of the default bridge", values, ctx)


def _build_daemon_buildkit(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    value = s.get("buildkit", "true").lower() == "true"
    return _daemon_plan(
        "daemon-buildkit",
        "BuildKit as the daemon's builder",
        {("features", "buildkit"): value},
        ctx,
    )


def _build_daemon_proxy(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    where = s.get("where", "auto")
    supports = daemon.supports_proxies_key(ctx.daemon_version)
    if where == "auto":
        if ctx.platform in {"linux", "linux-rootless"} and supports is not True:
            where = "systemd"
        else:
            where = "daemon.json"
    s = _with_credentials(s, ("http-proxy", "https-proxy"))
    secrets = _secrets_of(s.get("http-proxy"), s.get("https-proxy"))
    if where == "daemon.json":
        warnings: list[str] = []
        if supports is False:
            warnings.append(
                f'This daemon is {ctx.daemon_version}: the "proxies" key needs Docker Engine'
                ' 23.0 or later; older daemons refuse to start with "the following directives'
                " don't match any configuration option: http-proxy\". Use where=systemd."
            )
        if ctx.platform in {"macos", "windows"}:
            warnings.append(
                "Docker Desktop has its own proxy settings (Settings → Resources → Proxies),"
                " which it uses for pulls; set the proxy there if this has no effect."
            )
        values: dict[tuple[str, ...], Any] = {
            ("proxies", name): s[name] or None
            for name in ("http-proxy", "https-proxy", "no-proxy")
            if name in s
        }
        plan = _daemon_plan(
            "daemon-proxy", "proxy for the daemon's pulls", values, ctx, secrets=secrets
        )
        if warnings:
            plan = FixPlan(**{**plan.__dict__, "warnings": (*warnings, *plan.warnings)})
        return plan
    path = _require_path(ctx, Target.SYSTEMD_DROPIN, "systemd drop-in")
    managed = {"http": "http-proxy", "https": "https-proxy", "no": "no-proxy"}
    change = daemon.edit_proxy_dropin(
        path, {k: s[name] for k, name in managed.items() if name in s}, euid=ctx.euid
    )
    user = ctx.platform == "linux-rootless"
    sudo, scope = ("", " --user") if user else ("sudo ", "")
    follow = (
        Followup(
            "Reload systemd's units and restart the daemon so it sees the new environment.",
            f"{sudo}systemctl{scope} daemon-reload && {sudo}systemctl{scope} restart docker",
        ),
        Followup(
            "Check that the daemon has the proxy.",
            f"{sudo}systemctl{scope} show --property=Environment docker",
        ),
    )
    return _plan(
        ctx.platform,
        "daemon-proxy",
        "proxy for the daemon's pulls (systemd drop-in)",
        [change],
        followups=follow,
        secrets=secrets,
        warnings=[
            "The daemon's proxy is used for image pulls only; RUN steps need"
            " the client proxy (fix client-proxy) or --build-arg."
        ],
    )


def _build_client_proxy(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    path = _require_path(ctx, Target.CLIENT_CONFIG, "Docker client config.json")
    s = _with_credentials(s, ("http-proxy", "https-proxy", "ftp-proxy", "all-proxy"))
    values = {name: s[name] for name in PROXY_KEYS if name in s}
    change, warnings = edit_client_proxies(path, values, euid=ctx.euid)
    follow = (
        Followup(
            "Nothing to restart: the next docker build passes these proxies to RUN steps."
            " Rebuild to check.",
            "docker build .",
        ),
    )
    return _plan(
        ctx.platform,
        "client-proxy",
        "proxies passed to RUN steps",
        [change],
        followups=follow,
        warnings=warnings,
        secrets=_secrets_of(*values.values()),
    )


def _go_plan(
    fix_id: str, names: tuple[str, ...], s: Mapping[str, str], ctx: FixContext, summary: str
) -> FixPlan:
    path = ctx.path_for(Target.GO_ENV)
    if path is None:
        raise RefusedError(
            Path("GOENV"),
            "GOENV=off disables Go's env file, so `go env -w` (and this fix) cannot set anything",
            "Unset GOENV, or set the variables in your shell profile instead",
        )
    values = {n: s[n] for n in names if n in s}
    change = edit_go_env(path, values, euid=ctx.euid)
    warnings = [
        f"{n} is also set in the environment ({n}={ctx.env[n]}), which wins over Go's env file:"
        f" go env -w {n}=... does not override conflicting OS environment variable. Unset it"
        " in your shell profile."
        for n in values
        if ctx.env.get(n)
    ]
    follow = (
        Followup("Check what the go command now uses.", "go env " + " ".join(values)),
        Followup(
            "This changes the go command on this machine only; builds inside Docker need"
            " the same in the Dockerfile (fix dockerfile-goproxy)."
        ),
    )
    return _plan(
        ctx.platform,
        fix_id,
        summary,
        [change],
        followups=follow,
        warnings=warnings,
        secrets=_secrets_of(*(v for v in values.values() if v)),
    )


def _build_go_proxy(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    return _go_plan("go-proxy", ("GOPROXY", "GOSUMDB"), s, ctx, "module proxy for the go command")


def _build_go_private(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
    return _go_plan(
        "go-private",
        ("GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOFLAGS"),
        s,
        ctx,
        "private module paths for the go command",
    )


def _build_dockerfile(fix_id: str) -> Builder:
    def build(s: Mapping[str, str], ctx: FixContext) -> FixPlan:
        path = _require_path(ctx, Target.DOCKERFILE, "Dockerfile")
        result = dockerfile.edit(fix_id, path, s, ctx)
        return _plan(
            ctx.platform,
            fix_id,
            result.summary,
            [result.change],
            followups=result.followups,
            warnings=result.warnings,
            secrets=result.secrets,
            applicability=result.applicability,
        )

    return build


# -- defaults -----------------------------------------------------------------------


def _daemon_defaults(*keys: str) -> DefaultsFn:
    def defaults(ctx: FixContext) -> Mapping[str, str]:
        cur = _daemon_current(ctx)
        return {k: _join(cur[k]) for k in keys if k in cur}

    return defaults


def _mtu_defaults(ctx: FixContext) -> Mapping[str, str]:
    cur = _daemon_current(ctx)
    return {k: _join(cur[k]) for k in ("mtu", "bip") if k in cur}


def _buildkit_defaults(ctx: FixContext) -> Mapping[str, str]:
    features = _daemon_current(ctx).get("features")
    if isinstance(features, dict) and "buildkit" in features:
        return {"buildkit": _join(features["buildkit"])}
    return {}


def _proxy_env_defaults(ctx: FixContext) -> dict[str, str]:
    env = ctx.env
    out = {}
    for name, var in (
        ("http-proxy", "HTTP_PROXY"),
        ("https-proxy", "HTTPS_PROXY"),
        ("no-proxy", "NO_PROXY"),
    ):
        value = env.get(var) or env.get(var.lower())
        if value:
            out[name] = value
    return out


def _client_defaults(ctx: FixContext) -> Mapping[str, str]:
    out = _proxy_env_defaults(ctx)
    path = ctx.path_for(Target.CLIENT_CONFIG)
    if path is not None:
        target = read_target(path, euid=ctx.euid)
        try:
            current = JsonEditor(target.text or "").get(("proxies", "default"))
        except JsonSyntaxError:
            current = None
        if current is not None and isinstance(current.value, dict):
            for name, key in PROXY_KEYS.items():
                if isinstance(current.value.get(key), str):
                    out[name] = current.value[key]
    return out


def _daemon_proxy_defaults(ctx: FixContext) -> Mapping[str, str]:
    out = _proxy_env_defaults(ctx)
    proxies = _daemon_current(ctx).get("proxies")
    if isinstance(proxies, dict):
        out.update({k: v for k, v in proxies.items() if isinstance(v, str)})
    return out


def _go_defaults(ctx: FixContext) -> Mapping[str, str]:
    path = ctx.path_for(Target.GO_ENV)
    if path is None:
        return {}
    target = read_target(path, euid=ctx.euid)
    return read_go_env(target.text or "")


def _cert_name(value: str) -> str | None:
    if value.startswith("/") or ".." in value.split("/"):
        return "give a path inside the build context (relative, no ..)"
    if not value.endswith((".crt", ".pem")):
        return "give a PEM certificate file ending in .crt (update-ca-certificates reads only .crt)"
    return None


def _abs_path(value: str) -> str | None:
    if not value.startswith("/"):
        return f"{value!r} is not an absolute path inside the image"
    return None


def _go_version(value: str) -> str | None:
    import re

    if not re.fullmatch(r"1\.\d+(?:\.\d+)?", value):
        return f"{value!r} is not a Go version such as 1.22 or 1.22.3"
    return None


# -- the catalogue ------------------------------------------------------------------


def _go_field(
    name: str,
    label: str,
    help_: str,
    kind: FieldKind = FieldKind.PATTERN_LIST,
    default: str = "",
    placeholder: str = "",
) -> Field:
    return Field(
        name,
        label,
        kind,
        help=help_,
        default=default,
        placeholder=placeholder,
        check=lambda v: check_go_value(name, v),
    )


_PROXY_FIELDS = (
    Field(
        "http-proxy",
        "HTTP proxy",
        FieldKind.URL,
        placeholder="http://proxy.corp.example:3128",
        help="URL of the proxy for http:// requests; credentials as user:password@ are"
        " masked everywhere.",
        check=validate.proxy_url,
    ),
    Field(
        "https-proxy",
        "HTTPS proxy",
        FieldKind.URL,
        placeholder="http://proxy.corp.example:3128",
        help="URL of the proxy for https:// requests (usually the same http:// URL).",
        check=validate.proxy_url,
    ),
    Field(
        "no-proxy",
        "No proxy for",
        FieldKind.HOST_LIST,
        placeholder="localhost,127.0.0.1,.corp.example",
        help="Hosts, .domains, IPs and CIDRs reached without the proxy.",
        check=validate.no_proxy_list,
    ),
    Field(
        "proxy-user",
        "Proxy user name",
        FieldKind.TEXT,
        help="For a proxy that answers 407: put into the proxy URLs (percent-encoded).",
        check=lambda v: None if ":" not in v else "a user name cannot contain ':'",
    ),
    Field(
        "proxy-password",
        "Proxy password",
        FieldKind.SECRET,
        secret=True,
        help="Stored in the file in clear text (that is how Docker reads it); masked in"
        " every display, log and the undo history's index.",
    ),
)


def _with_credentials(s: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """``s`` with proxy-user/proxy-password put into the URLs of ``names``."""
    out = dict(s)
    user, password = s.get("proxy-user", ""), s.get("proxy-password", "")
    if not user and not password:
        return out
    if password and not user:
        raise InvalidSettingsError({"proxy-user": "give the user name for the password"})
    cred = urllib.parse.quote(user, safe="")
    if password:
        cred += ":" + urllib.parse.quote(password, safe="")
    for name in names:
        url = out.get(name)
        if not url:
            continue
        parts = urllib.parse.urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]
        out[name] = urllib.parse.urlunsplit(parts._replace(netloc=f"{cred}@{host}"))
    return out


_SPECS: tuple[FixSpec, ...] = (
    FixSpec(
        "daemon-dns",
        "DNS servers for builds (daemon.json dns)",
        "RUN steps of the built-in builder use the daemon's dns setting. Without it they get"
        " a copy of the host's resolv.conf minus loopback servers, falling back to 8.8.8.8,"
        " which corporate networks often block: `lookup proxy.golang.org ... i/o timeout`.",
        Target.DAEMON_JSON,
        (
            Field(
                "dns",
                "DNS servers",
                FieldKind.IP_LIST,
                required=True,
                placeholder="10.20.1.2, 10.20.1.3",
                help="IP addresses of DNS servers that containers can reach (not 127.0.0.x:"
                " that is the container itself).",
                check=validate.ip_list,
            ),
            Field(
                "dns-search",
                "Search domains",
                FieldKind.HOST_LIST,
                placeholder="corp.example.com",
                check=validate.dns_search_list,
                help="Domains appended to short names (resolv.conf search).",
            ),
            Field(
                "dns-opts",
                "Resolver options",
                FieldKind.TEXT,
                placeholder="ndots:0",
                check=validate.word_list,
                help="resolv.conf options such as timeout:2.",
            ),
        ),
        (
            FixOption(
                "daemon",
                "Set the daemon's DNS servers",
                "Every container and build on this daemon uses them; needs root and a"
                " daemon restart (running containers stop).",
                recommended=True,
            ),
            FixOption(
                "host-network",
                "Build with --network=host",
                "No config change: RUN steps use the host's resolver. Only for this"
                " build command, and the build can reach everything the host can.",
                manual="docker build --network host .",
            ),
        ),
        ("dns", "container"),
        _build_daemon_dns,
        _daemon_defaults("dns", "dns-search", "dns-opts"),
    ),
    FixSpec(
        "daemon-mirror",
        "Registry mirror for image pulls (daemon.json registry-mirrors)",
        "Pulls of Docker Hub images (FROM golang:...) go through a mirror or pull-through"
        " cache reachable from your network. It does not affect Go module downloads.",
        Target.DAEMON_JSON,
        (
            Field(
                "registry-mirrors",
                "Registry mirrors",
                FieldKind.URL_LIST,
                required=True,
                placeholder="https://mirror.corp.example",
                help="http:// or https:// URLs without path or credentials.",
                check=validate.mirror_list,
            ),
            Field(
                "insecure-registries",
                "Insecure registries",
                FieldKind.HOST_LIST,
                placeholder="registry.corp.example:5000",
                check=validate.registry_list,
                help="host[:port] or CIDR reached over plain HTTP / unverified TLS.",
            ),
        ),
        (
            FixOption(
                "mirror",
                "Use a mirror for Docker Hub",
                "Transparent for FROM lines; only Docker Hub images are mirrored.",
                recommended=True,
            ),
            FixOption(
                "daemon-proxy",
                "Pull through the corporate proxy instead",
                "Reaches every registry, but needs the proxy to allow them.",
                fix_id="daemon-proxy",
            ),
        ),
        ("docker",),
        _build_daemon_mirror,
        _daemon_defaults("registry-mirrors", "insecure-registries"),
    ),
    FixSpec(
        "daemon-proxy",
        "Proxy for the Docker daemon (image pulls)",
        "The daemon itself pulls base images; behind a proxy it needs the proxy too. Docker"
        ' Engine 23+ reads it from daemon.json "proxies"; older engines from a systemd'
        " drop-in. It does not reach RUN steps (see client-proxy).",
        Target.DAEMON_JSON,
        (
            *_PROXY_FIELDS,
            Field(
                "where",
                "Where to configure it",
                FieldKind.CHOICE,
                default="auto",
                choices=("auto", "daemon.json", "systemd"),
                help="auto: daemon.json for Docker Engine 23 and later, else the drop-in.",
            ),
        ),
        (
            FixOption(
                "systemd",
                "systemd drop-in",
                "Works with every Engine version on Linux; needs daemon-reload and a restart.",
                settings={"where": "systemd"},
            ),
            FixOption(
                "daemon-json",
                "daemon.json proxies",
                "One file for all settings, but only Docker Engine 23 and later;"
                " older daemons refuse to start.",
                settings={"where": "daemon.json"},
            ),
        ),
        ("docker", "proxy"),
        _build_daemon_proxy,
        _daemon_proxy_defaults,
    ),
    FixSpec(
        "daemon-mtu",
        "MTU / address of the default bridge (daemon.json mtu, bip)",
        "Over VPNs and some clouds the path MTU is below 1500: downloads in RUN steps hang"
        " or reset. A subnet clash between docker0 (172.17.0.0/16) and a corporate route"
        " makes the proxy or DNS unreachable from containers.",
        Target.DAEMON_JSON,
        (
            Field(
                "mtu",
                "MTU",
                FieldKind.INT,
                placeholder="1400",
                check=validate.mtu,
                help="The path MTU of your uplink (VPN: often 1280..1420).",
            ),
            Field(
                "bip",
                "Bridge address",
                FieldKind.CIDR,
                placeholder="192.168.200.1/24",
                check=validate.bip,
                help="docker0's address with prefix, in a range no corporate route uses.",
            ),
        ),
        (
            FixOption(
                "mtu",
                "Lower the bridge MTU",
                "Fixes hangs for every container on the default bridge; needs a restart.",
                recommended=True,
            ),
            FixOption(
                "host-network",
                "Build with --network=host",
                "Uses the host's interface MTU; only for that build.",
                manual="docker build --network host .",
            ),
        ),
        ("container", "tcp"),
        _build_daemon_mtu,
        _mtu_defaults,
    ),
    FixSpec(
        "daemon-buildkit",
        "BuildKit as the daemon's builder (daemon.json features.buildkit)",
        "Cache and secret mounts (RUN --mount) need BuildKit. Docker Engine 23+ uses it by"
        " default on Linux; 20.10 only with DOCKER_BUILDKIT=1 or this setting.",
        Target.DAEMON_JSON,
        (
            Field(
                "buildkit",
                "Use BuildKit",
                FieldKind.BOOL,
                default="true",
                help="true: docker build uses BuildKit.",
            ),
        ),
        (
            FixOption(
                "daemon",
                "Enable in daemon.json",
                "Every docker build on this daemon; a reload is enough.",
                recommended=True,
            ),
            FixOption(
                "env",
                "DOCKER_BUILDKIT=1 per build",
                "No root needed; must be set in every shell and CI job.",
                manual="DOCKER_BUILDKIT=1 docker build .",
            ),
        ),
        ("docker",),
        _build_daemon_buildkit,
        _buildkit_defaults,
    ),
    FixSpec(
        "client-proxy",
        "Proxy for RUN steps (~/.docker/config.json proxies)",
        "docker build passes the client's proxies to RUN steps as the predefined build args"
        " HTTP_PROXY/HTTPS_PROXY/NO_PROXY, which `go mod download` uses. They stay out of"
        " the image history and the cache key.",
        Target.CLIENT_CONFIG,
        (
            *_PROXY_FIELDS,
            Field("ftp-proxy", "FTP proxy", FieldKind.URL, check=validate.proxy_url),
            Field(
                "all-proxy",
                "All-protocol proxy",
                FieldKind.URL,
                check=validate.proxy_url,
                help="docker buildx does not forward ALL_PROXY.",
            ),
        ),
        (
            FixOption(
                "client",
                "In the client's config.json",
                "Every build and container of this user; no root, no restart.",
                recommended=True,
            ),
            FixOption(
                "build-arg",
                "--build-arg HTTP_PROXY=... per build",
                "Nothing stored; must be typed in every build command and CI job.",
                manual="docker build --build-arg HTTP_PROXY=http://proxy.corp.example:3128"
                " --build-arg HTTPS_PROXY=http://proxy.corp.example:3128"
                " --build-arg NO_PROXY=localhost .",
            ),
            FixOption(
                "dockerfile",
                "ENV in the Dockerfile",
                "Not recommended: the proxy (and any password) is baked into the image.",
                fix_id="dockerfile-proxy-args",
            ),
        ),
        ("proxy", "container"),
        _build_client_proxy,
        _client_defaults,
    ),
    FixSpec(
        "go-proxy",
        "Go module proxy for this machine (go env GOPROXY)",
        "Where the go command downloads modules. Behind a firewall that blocks"
        " proxy.golang.org use your company's proxy (Athens, Artifactory, Nexus...), or a"
        " public mirror that your network allows.",
        Target.GO_ENV,
        (
            _go_field(
                "GOPROXY",
                "GOPROXY",
                "Proxies separated by , (next on 404/410) or |"
                " (next on any error); direct = VCS, off = no downloads.",
                FieldKind.TEXT,
                default="https://proxy.golang.org,direct",
            ),
            _go_field(
                "GOSUMDB",
                "GOSUMDB",
                "Checksum database; keep sum.golang.org unless"
                " your proxy serves it under another name.",
                FieldKind.TEXT,
            ),
        ),
        (
            FixOption(
                "corporate",
                "Corporate module proxy",
                "Reachable and audited; serves private modules if it is set up so.",
                settings={"GOPROXY": "https://goproxy.corp.example,direct"},
                recommended=True,
            ),
            FixOption(
                "public",
                "Public proxy with fallback",
                "proxy.golang.org; use | so a timeout falls through to direct.",
                settings={"GOPROXY": "https://proxy.golang.org|direct"},
            ),
            FixOption(
                "mirror",
                "Regional public mirror (goproxy.cn / goproxy.io)",
                "Reachable where proxy.golang.org is blocked; a third party sees which"
                " modules you use.",
                settings={"GOPROXY": "https://goproxy.cn,direct"},
            ),
        ),
        ("goproxy", "sumdb"),
        _build_go_proxy,
        _go_defaults,
    ),
    FixSpec(
        "go-private",
        "Private modules for this machine (go env GOPRIVATE)",
        "Module paths matching GOPRIVATE are fetched directly from their repository and not"
        " checked against sum.golang.org (which cannot know them: 404/410 Gone).",
        Target.GO_ENV,
        (
            _go_field(
                "GOPRIVATE",
                "GOPRIVATE",
                "Module path globs, comma separated, e.g. github.com/yourorg/*,git.corp.example",
                placeholder="git.corp.example",
            ),
            _go_field(
                "GONOPROXY",
                "GONOPROXY",
                "Defaults to GOPRIVATE; 'none' sends all"
                " through the proxy (a private proxy that serves them).",
            ),
            _go_field("GONOSUMDB", "GONOSUMDB", "Defaults to GOPRIVATE."),
            _go_field(
                "GOINSECURE",
                "GOINSECURE",
                "Only for direct fetches over plain HTTP / self-signed TLS; avoid.",
            ),
            _go_field("GOFLAGS", "GOFLAGS", "Default flags, e.g. -mod=mod.", FieldKind.TEXT),
        ),
        (
            FixOption(
                "private",
                "GOPRIVATE for your organisation",
                "Direct fetch with your git credentials; no checksum DB leak.",
                recommended=True,
            ),
            FixOption(
                "proxy",
                "Private proxy serves them (GONOPROXY=none)",
                "Credentials live in the proxy; needs a proxy that can reach your repositories.",
                settings={"GONOPROXY": "none"},
            ),
        ),
        ("private-git", "sumdb"),
        _build_go_private,
        _go_defaults,
    ),
    FixSpec(
        "dockerfile-proxy-args",
        "Dockerfile: proxies as build args instead of ENV",
        "ENV HTTP_PROXY bakes the proxy (and any password) into the image and breaks it"
        " elsewhere. The predefined build args reach RUN steps without an ARG line.",
        Target.DOCKERFILE,
        (),
        (
            FixOption(
                "build-arg",
                "Pass them with --build-arg or the client config",
                "Nothing in the image; the builder passes them to RUN steps.",
                recommended=True,
            ),
            FixOption(
                "client",
                "Set them once in ~/.docker/config.json",
                "Every build of this user.",
                fix_id="client-proxy",
            ),
        ),
        ("proxy",),
        _build_dockerfile("dockerfile-proxy-args"),
    ),
    FixSpec(
        "dockerfile-goproxy",
        "Dockerfile: GOPROXY / GOPRIVATE / GONOSUMDB in the build stage",
        "go env -w on your machine does not reach the build container; the build stage"
        " needs the same settings as ENV before go mod download.",
        Target.DOCKERFILE,
        (
            _go_field(
                "GOPROXY",
                "GOPROXY",
                "Module proxy for the build.",
                FieldKind.TEXT,
                default="https://proxy.golang.org,direct",
            ),
            _go_field("GOPRIVATE", "GOPRIVATE", "Private module path globs."),
            _go_field("GONOSUMDB", "GONOSUMDB", "Globs not checked against the checksum DB."),
            _go_field("GOSUMDB", "GOSUMDB", "Checksum database.", FieldKind.TEXT),
            Field(
                "as-arg",
                "Make GOPROXY a build arg",
                FieldKind.BOOL,
                default="false",
                help="ARG GOPROXY=... + ENV GOPROXY=$GOPROXY lets CI override it with --build-arg.",
            ),
        ),
        (
            FixOption(
                "env", "ENV in the build stage", "Visible and reproducible.", recommended=True
            ),
            FixOption(
                "arg",
                "ARG with a default",
                "CI can override it per build.",
                settings={"as-arg": "true"},
            ),
        ),
        ("goproxy",),
        _build_dockerfile("dockerfile-goproxy"),
    ),
    FixSpec(
        "dockerfile-ca-cert",
        "Dockerfile: trust the corporate CA before go mod download",
        "A TLS-intercepting proxy re-signs every certificate with the company's CA; the"
        " golang image does not trust it: `x509: certificate signed by unknown authority`.",
        Target.DOCKERFILE,
        (
            Field(
                "cert",
                "CA certificate file",
                FieldKind.PATH,
                default="corp-ca.crt",
                required=True,
                help="PEM file in the build context (next to the"
                " Dockerfile), e.g. exported from your browser or IT's download page.",
                check=_cert_name,
            ),
        ),
        (
            FixOption(
                "install",
                "Install the CA in the build stage",
                "Verification stays on; needs the file in the build context.",
                recommended=True,
            ),
        ),
        ("tls",),
        _build_dockerfile("dockerfile-ca-cert"),
    ),
    FixSpec(
        "dockerfile-cache-mount",
        "Dockerfile: cache mounts for modules and builds",
        "Without cache mounts every build downloads every module again (and fails again"
        " when the network is flaky).",
        Target.DOCKERFILE,
        (
            Field(
                "build-cache",
                "Also cache compiled packages",
                FieldKind.BOOL,
                default="true",
                help="Adds a cache mount for GOCACHE on go build steps.",
            ),
            Field(
                "modcache",
                "Module cache folder (GOMODCACHE)",
                FieldKind.PATH,
                placeholder="/go/pkg/mod",
                help="Empty: what the Dockerfile sets, /go/pkg/mod on golang images, else"
                " /root/go/pkg/mod. Check with: docker run --rm IMAGE go env GOMODCACHE",
                check=_abs_path,
            ),
            Field(
                "gocache",
                "Build cache folder (GOCACHE)",
                FieldKind.PATH,
                placeholder="/root/.cache/go-build",
                help="Empty: what the Dockerfile sets, else /root/.cache/go-build.",
                check=_abs_path,
            ),
        ),
        (FixOption("mounts", "RUN --mount=type=cache", "Needs BuildKit.", recommended=True),),
        ("goproxy",),
        _build_dockerfile("dockerfile-cache-mount"),
    ),
    FixSpec(
        "dockerfile-private-auth",
        "Dockerfile: credentials for private modules via secret or ssh mounts",
        "Private repositories need credentials in the build; a secret or ssh mount gives"
        " them to one RUN step without storing them in a layer.",
        Target.DOCKERFILE,
        (
            Field(
                "method",
                "Credentials",
                FieldKind.CHOICE,
                default="netrc",
                choices=("netrc", "ssh"),
                help="netrc: a ~/.netrc file as a build secret; ssh: your ssh agent.",
            ),
            _go_field(
                "GOPRIVATE",
                "GOPRIVATE",
                "Private module path globs.",
                FieldKind.PATTERN_LIST,
                placeholder="github.com/yourorg/*",
            ),
            Field(
                "git-host",
                "Git host",
                FieldKind.TEXT,
                default="github.com",
                help="Host for the ssh insteadOf rewrite (ssh method).",
            ),
        ),
        (
            FixOption(
                "netrc",
                "~/.netrc as a build secret",
                "HTTPS tokens; works with any git host and proxies.",
                settings={"method": "netrc"},
                recommended=True,
            ),
            FixOption(
                "ssh",
                "ssh agent forwarding",
                "Uses your ssh key; needs known_hosts in the image and port 22 open.",
                settings={"method": "ssh"},
            ),
        ),
        ("private-git",),
        _build_dockerfile("dockerfile-private-auth"),
    ),
    FixSpec(
        "dockerfile-go-version",
        "Dockerfile: golang image at least go.mod's version",
        "Official golang images set GOTOOLCHAIN=local, so an image older than go.mod's go"
        " line fails: `go.mod requires go >= 1.22 (running go 1.21.x; GOTOOLCHAIN=local)`.",
        Target.DOCKERFILE,
        (
            Field(
                "method",
                "How",
                FieldKind.CHOICE,
                default="bump",
                choices=("bump", "toolchain"),
                help="bump: a newer golang image tag; toolchain: ENV GOTOOLCHAIN=auto.",
            ),
            Field(
                "version",
                "Go version",
                FieldKind.TEXT,
                help="Empty: the version go.mod asks for.",
                check=_go_version,
            ),
        ),
        (
            FixOption(
                "bump",
                "Bump the image tag",
                "The image matches go.mod; pulls a newer image.",
                recommended=True,
            ),
            FixOption(
                "toolchain",
                "ENV GOTOOLCHAIN=auto",
                "Keeps the image; downloads the toolchain through GOPROXY at build time"
                " (Go 1.21+ images only).",
                settings={"method": "toolchain"},
            ),
        ),
        ("docker",),
        _build_dockerfile("dockerfile-go-version"),
    ),
    FixSpec(
        "dockerfile-lint-fix",
        "Dockerfile: apply a lint finding's own fix",
        "Applies the edits the linter proposes for a finding.",
        Target.DOCKERFILE,
        (
            Field(
                "codes",
                "Rule codes",
                FieldKind.TEXT,
                help="Comma separated codes to fix (empty: every finding that has a safe fix).",
            ),
            Field(
                "unsafe",
                "Include unsafe fixes",
                FieldKind.BOOL,
                default="false",
                help="Fixes that change behaviour; review the diff.",
            ),
            Field(
                "line",
                "Only the finding on line",
                FieldKind.INT,
                help="Apply only the fixes of findings that start on this line.",
                check=lambda v: None if v.isdigit() and int(v) > 0 else "give a line number",
            ),
        ),
        (),
        (),
        _build_dockerfile("dockerfile-lint-fix"),
    ),
)

FIXES: Mapping[str, FixSpec] = {s.fix_id: s for s in _SPECS}
FIX_IDS: tuple[str, ...] = tuple(FIXES)


def get_fix(fix_id: str) -> FixSpec:
    """The spec of ``fix_id``; UnknownFixError (with near matches) when there is none."""
    try:
        return FIXES[fix_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(fix_id, FIX_IDS, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UnknownFixError(
            f"unknown fix {fix_id!r}{hint} (`gobuildgui fix --list` lists them)"
        ) from None


# -- plan sources -------------------------------------------------------------------


@dataclass(frozen=True)
class Symptom:
    """Something the user saw, with the fixes that cure it (best first)."""

    symptom_id: str
    title: str  # as the user would recognise it (often the error text)
    explanation: str
    fix_ids: tuple[str, ...]
    probes: tuple[str, ...] = ()


SYMPTOMS: tuple[Symptom, ...] = (
    Symptom(
        "dns-timeout",
        "lookup proxy.golang.org: i/o timeout / no such host",
        "The build container cannot resolve names: its DNS server is unreachable"
        " (8.8.8.8 blocked, or a loopback resolver that containers cannot use).",
        ("daemon-dns", "daemon-mtu"),
        ("dns", "container"),
    ),
    Symptom(
        "goproxy-blocked",
        "proxy.golang.org: dial tcp ... i/o timeout / connection refused",
        "The firewall blocks proxy.golang.org; use a module proxy your network allows.",
        ("go-proxy", "dockerfile-goproxy", "client-proxy"),
        ("goproxy", "tcp"),
    ),
    Symptom(
        "proxy-needed",
        "proxyconnect tcp / connection refused behind a corporate proxy",
        "RUN steps do not know the proxy (or use one on 127.0.0.1, which is the container).",
        ("client-proxy", "dockerfile-proxy-args", "daemon-proxy"),
        ("proxy",),
    ),
    Symptom(
        "proxy-auth",
        "407 Proxy Authentication Required",
        "The proxy wants credentials; give them in the proxy URL (masked everywhere).",
        ("client-proxy", "daemon-proxy"),
        ("proxy",),
    ),
    Symptom(
        "tls-ca",
        "x509: certificate signed by unknown authority",
        "A TLS-intercepting proxy re-signs certificates with a CA the image does not trust.",
        ("dockerfile-ca-cert",),
        ("tls",),
    ),
    Symptom(
        "private-auth",
        "private repo: terminal prompts disabled / 410 Gone",
        "A private module is looked up on the public proxy and checksum DB, or fetched"
        " without credentials.",
        ("go-private", "dockerfile-private-auth", "dockerfile-goproxy"),
        ("private-git", "sumdb"),
    ),
    Symptom(
        "go-version",
        "go.mod requires go >= X (running go Y; GOTOOLCHAIN=local)",
        "The golang image is older than go.mod's go line.",
        ("dockerfile-go-version",),
        (),
    ),
    Symptom(
        "no-cache",
        "every build downloads all modules",
        "No cache mounts, or go.mod copied together with the sources.",
        ("dockerfile-cache-mount", "dockerfile-lint-fix"),
        (),
    ),
    Symptom(
        "registry-pull",
        "cannot pull images (registry / failed to resolve source metadata)",
        "The daemon cannot reach Docker Hub: it needs a proxy or a mirror.",
        ("daemon-proxy", "daemon-mirror", "daemon-dns"),
        ("docker",),
    ),
    Symptom(
        "mtu-hang",
        "download hangs or resets inside the build only",
        "Path MTU below the bridge's 1500 (VPN, cloud overlay).",
        ("daemon-mtu",),
        ("container",),
    ),
    Symptom(
        "buildkit-missing",
        "the --mount option requires BuildKit",
        "Cache and secret mounts need BuildKit.",
        ("daemon-buildkit",),
        ("docker",),
    ),
)
_SYMPTOMS = {s.symptom_id: s for s in SYMPTOMS}


def fixes_for_symptom(symptom_id: str) -> tuple[str, ...]:
    """Fix ids for a symptom of :data:`SYMPTOMS` (best first); () when unknown."""
    s = _SYMPTOMS.get(symptom_id)
    return s.fix_ids if s else ()


_PROBE_FIXES: Mapping[str, tuple[str, ...]] = {
    "dns": ("daemon-dns",),
    "tcp": ("go-proxy", "client-proxy", "daemon-mtu"),
    "tls": ("dockerfile-ca-cert",),
    "proxy": ("client-proxy", "daemon-proxy", "dockerfile-proxy-args"),
    "goproxy": ("go-proxy", "dockerfile-goproxy"),
    "sumdb": ("go-private", "go-proxy"),
    "private-git": ("go-private", "dockerfile-private-auth"),
    "docker": ("daemon-proxy", "daemon-mirror", "daemon-buildkit"),
    "container": ("daemon-dns", "daemon-mtu", "client-proxy"),
}


def fixes_for_probe(
    family: str, status: Any = "failed", fix_ids: tuple[str, ...] | list[str] = ()
) -> tuple[str, ...]:
    """Fixes for a probe result: the ids the probe named first, then the family's.

    ``status`` is a string or the probes' ``Status`` enum; a result that is ok, skipped
    or cancelled needs no fix. Unknown ids are dropped.
    """
    value = str(getattr(status, "value", status)).lower()
    if value in {"ok", "pass", "passed", "skip", "skipped", "cancelled", "canceled"}:
        return ()
    out = [f for f in fix_ids if f in FIXES]
    out += [f for f in _PROBE_FIXES.get(family, ()) if f not in out]
    return tuple(out)


def fixes_for_probe_result(result: Any) -> tuple[str, ...]:
    """:func:`fixes_for_probe` for a ``ProbeResult`` (``family``, ``status``, ``fix_ids``)."""
    return fixes_for_probe(result.family, result.status, tuple(getattr(result, "fix_ids", ())))


# Lint rule code -> fixes that cure it (besides the diagnostic's own fix).
_CODE_FIXES: Mapping[str, tuple[str, ...]] = {
    "GB101": ("dockerfile-cache-mount",),
    "GB102": ("dockerfile-cache-mount",),
    "GB103": ("dockerfile-cache-mount",),
    "GB104": ("dockerfile-cache-mount",),
    "GB110": ("dockerfile-goproxy",),
    "GB111": ("dockerfile-goproxy",),
    "GB112": ("dockerfile-goproxy",),
    "GB113": ("dockerfile-goproxy",),
    "GB115": ("dockerfile-go-version",),
    "GB116": ("dockerfile-goproxy", "dockerfile-go-version"),
    "GB120": ("dockerfile-proxy-args", "client-proxy"),
    "GB126": ("dockerfile-proxy-args", "client-proxy"),
    "GB121": ("client-proxy",),
    "GB123": ("dockerfile-ca-cert",),
    "GB124": ("dockerfile-ca-cert",),
    "GB125": ("dockerfile-ca-cert",),
    "GB130": ("dockerfile-goproxy", "dockerfile-private-auth"),
    "GB131": ("dockerfile-goproxy",),
    "GB132": ("dockerfile-private-auth",),
    "GB133": ("dockerfile-private-auth",),
    "GB134": ("dockerfile-private-auth",),
    "GB152": ("daemon-buildkit",),
}


def fixes_for_diagnostic(diag: Any) -> tuple[str, ...]:
    """Fixes for a lint :class:`~gobuildgui.core.model.Diagnostic`.

    ``dockerfile-lint-fix`` comes first when the diagnostic carries its own fix.
    """
    out: list[str] = []
    if getattr(diag, "fix", None) is not None:
        out.append("dockerfile-lint-fix")
    out += [f for f in _CODE_FIXES.get(str(getattr(diag, "code", "")), ()) if f not in out]
    return tuple(out)


def lint_fix_settings(diag: Any) -> dict[str, str]:
    """Settings of ``dockerfile-lint-fix`` that apply exactly this diagnostic's own fix."""
    settings = {"codes": str(diag.code), "line": str(diag.span.line)}
    fix = getattr(diag, "fix", None)
    if fix is not None and fix.applicability is Applicability.UNSAFE:
        settings["unsafe"] = "true"
    return settings


_LOG_FIXES: Mapping[str, tuple[str, ...]] = {
    "dns": ("daemon-dns",),
    "proxy_unreachable": ("client-proxy", "dockerfile-proxy-args"),
    "proxy_auth": ("client-proxy", "daemon-proxy"),
    "goproxy_blocked_or_slow": ("go-proxy", "dockerfile-goproxy"),
    "tls_ca": ("dockerfile-ca-cert",),
    "private_module_auth": ("dockerfile-private-auth", "go-private"),
    "private_module_proxy_404": ("dockerfile-goproxy", "go-private"),
    "checksum_mismatch": ("dockerfile-cache-mount",),
    "go_version_mismatch": ("dockerfile-go-version",),
    "docker_registry_pull": ("daemon-proxy", "daemon-mirror"),
    "disk_space": (),
    "readonly_cache": ("dockerfile-cache-mount",),
    "mtu_or_network_hang": ("daemon-mtu",),
    "module_not_found": ("dockerfile-goproxy",),
    "other": (),
}
LOG_CATEGORIES: tuple[str, ...] = tuple(_LOG_FIXES)


def fixes_for_log_category(category: str) -> tuple[str, ...]:
    """Fixes for a diagnosed build-log category (the fixed list of COMMON.md)."""
    return _LOG_FIXES.get(category, ())
