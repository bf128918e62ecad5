"""The ``gobuildgui`` command line.

Subcommands (each imports only what it needs, so ``lint`` starts fast and never
loads Qt)::

    gobuildgui                       the GUI
    gobuildgui gui [PATH]            the GUI, opening PATH
    gobuildgui lint [options] PATH...
    gobuildgui rules [--format text|json] [CODE]
    gobuildgui --version

Exit codes: 0 nothing at or above the failure threshold, 1 findings at or above it,
2 usage error, unreadable input or bad configuration.

To add a subcommand: write a
``_add_<name>(subparsers)`` that registers its parser with ``handler=_cmd_<name>``,
call it from :func:`build_parser`, and import its modules inside the handler.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from gobuildgui import __version__
from gobuildgui.core.ids import PROBE_FAMILIES

if TYPE_CHECKING:
    from pathlib import Path

    from gobuildgui.core.config import LintConfig
    from gobuildgui.core.report import FileReport

PROG = "gobuildgui"
THRESHOLDS = ("error", "warning", "info", "style", "none")
Handler = Callable[[argparse.Namespace], int]


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _warning(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


# -- parser -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find and fix why `go mod download` fails inside `docker build`."
        " Without a command, opens the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_gui(sub)
    _add_lint(sub)
    _add_rules(sub)
    _add_probe(sub)
    _add_fix(sub)
    _add_diagnose(sub)
    _add_report(sub)
    return parser


def _add_gui(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the GUI (the default without a command)")
    p.add_argument("path", nargs="?", metavar="PATH", help="a Dockerfile or a folder to open")
    p.add_argument(
        "--theme",
        choices=("light", "dark"),
        help="force a light or dark look (default: $GOBUILDGUI_THEME, else the desktop's)",
    )
    p.set_defaults(handler=_cmd_gui)
    # Hidden: the packaged app's smoke test (packaging/build_linux.sh) replaces the handler.
    p.add_argument(
        "--smoke-test",
        dest="handler",
        action="store_const",
        const=_cmd_gui_smoke_test,
        help=argparse.SUPPRESS,
    )


def _add_lint(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "lint",
        help="lint Dockerfiles",
        description="Lint Dockerfiles for problems that break `go mod download` in"
        " `docker build`. Exit status: 0 nothing at or above the failure threshold,"
        " 1 findings at or above it, 2 unreadable input or bad configuration.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a Dockerfile, a folder holding one, or - for standard input",
    )
    p.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text", help="output format"
    )
    p.add_argument(
        "--failure-threshold",
        choices=THRESHOLDS,
        type=str.lower,
        help="lowest severity that makes the exit status 1 (default: the config's, else info)",
    )
    cfg = p.add_mutually_exclusive_group()
    cfg.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file to use instead of discovering .gobuildgui.toml/pyproject.toml",
    )
    cfg.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="name to report for - (standard input); its folder is where config is looked for",
    )
    p.set_defaults(handler=_cmd_lint)


def _add_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rules",
        help="list the rules, or show one rule's documentation",
        description="Without CODE, list every rule; with CODE (a code or a rule name),"
        " print that rule's documentation.",
    )
    p.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as GB101, or a name")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="output format (markdown: the rule list as a table, as in README)",
    )
    p.set_defaults(handler=_cmd_rules)


# -- gui ----------------------------------------------------------------------------


def _run_gui(path: str | None, theme: str | None = None) -> int:
    import importlib

    try:
        app = importlib.import_module("gobuildgui.ui.app")
    except ImportError as exc:
        _error(f"the GUI is not available ({exc}); `{PROG} lint PATH` works without it")
        return 2
    run = cast(Callable[..., int], app.run)
    return int(run(path) if theme is None else run(path, theme=theme))


def _cmd_gui(ns: argparse.Namespace) -> int:
    return _run_gui(cast("str | None", ns.path), cast("str | None", ns.theme))


def _cmd_gui_smoke_test(ns: argparse.Namespace) -> int:
    """Import every module, open the main window for about a second, close it, print OK."""
    path = cast("str | None", ns.path)
    import importlib
    import pkgutil
    from pathlib import Path

    from PySide6.QtCore import QTimer

    import gobuildgui
    from gobuildgui.ui.app import application, main_window
    from gobuildgui.ui.appicon import icon_sizes

    # Every module must import: in a PyInstaller bundle this catches modules that are only
    # imported lazily (importlib) and so were left out.
    failed: list[str] = []
    modules = 0
    for info in pkgutil.walk_packages(gobuildgui.__path__, "gobuildgui.", failed.append):
        modules += 1
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            failed.append(f"{info.name}: {exc!r}")
    if failed:
        _error(f"smoke test: modules that do not import: {failed}")
        return 1

    app = application()
    window = main_window()
    window.show()
    if path is not None:
        window.open_path(Path(path))
    QTimer.singleShot(1000, window.close)
    app.exec()
    sizes = icon_sizes(app.windowIcon())
    if not sizes:
        _error("smoke test: the application icon is missing (package data not installed?)")
        return 1
    print(
        f"OK: main window opened and closed ({app.platformName()}, icon sizes {sizes});"
        f" {modules} modules import"
    )
    return 0


# -- lint ---------------------------------------------------------------------------


class _ConfigCache:
    """Discovered configurations per folder (several Dockerfiles often share one)."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, LintConfig] = {}

    def get(self, folder: Path) -> LintConfig:
        from gobuildgui.core.config import discover_config

        key = folder.absolute()
        cfg = self._by_folder.get(key)
        if cfg is None:
            cfg = discover_config(key)
            self._by_folder[key] = cfg
        return cfg


def _read_stdin(label: str) -> tuple[str, bool]:
    from gobuildgui.core.dockerfile.source import DEFAULT_MAX_BYTES, read_dockerfile_bytes
    from gobuildgui.core.errors import InputError

    stream = sys.stdin
    if stream is None:
        raise InputError(label, "cannot read standard input: there is none")
    try:
        data = stream.buffer.read(DEFAULT_MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(label, f"cannot read standard input: {exc.strerror or exc}") from None
    src = read_dockerfile_bytes(data, path=label)
    return src.text, src.invalid_utf8


def _cmd_lint(ns: argparse.Namespace) -> int:
    import dataclasses
    from pathlib import Path

    from gobuildgui.core.config import LintConfig, load_config, parse_threshold
    from gobuildgui.core.dockerfile.lint import lint
    from gobuildgui.core.dockerfile.project import ProjectContext
    from gobuildgui.core.dockerfile.source import load_dockerfile
    from gobuildgui.core.errors import Error
    from gobuildgui.core.report import FileReport

    explicit: LintConfig | None = None
    if ns.no_config:
        explicit = LintConfig()
    elif ns.config is not None:
        try:
            explicit = load_config(Path(ns.config))
        except Error as exc:
            _error(str(exc))
            return 2
    threshold_set = ns.failure_threshold is not None
    threshold = parse_threshold(ns.failure_threshold) if threshold_set else None
    configs = _ConfigCache()

    reports: list[FileReport] = []
    failed = bad_input = False
    for raw in cast("list[str]", ns.paths):
        try:
            if raw == "-":
                label = ns.stdin_filename or "-"
                text, invalid = _read_stdin(label)
                project = ProjectContext.empty()
                folder = Path(ns.stdin_filename).parent if ns.stdin_filename else Path.cwd()
            else:
                loaded = load_dockerfile(Path(raw))
                label, text, invalid = str(loaded.path), loaded.text, loaded.invalid_utf8
                project = loaded.project
                folder = loaded.path.parent
            config = explicit if explicit is not None else configs.get(folder)
        except Error as exc:
            _error(str(exc))
            bad_input = True
            continue
        if invalid:
            _warning(f"{label} is not valid UTF-8; undecodable bytes were replaced with U+FFFD")
        if threshold_set:
            config = dataclasses.replace(config, failure_threshold=threshold)
        result = lint(text, project=project, config=config)
        failed = failed or result.failed(config)
        reports.append(FileReport.of(label, result))

    _write_reports(ns.format, reports, bad_input)
    if bad_input:
        return 2
    return 1 if failed else 0


def _write_reports(fmt: str, reports: list[FileReport], bad_input: bool) -> None:
    from gobuildgui.core import report

    if fmt == "json":
        out = report.format_json(reports)
    elif fmt == "sarif":
        out = report.format_sarif(reports)
    elif reports or not bad_input:
        out = report.format_text(reports, color=report.use_color(sys.stdout))
    else:
        out = ""  # nothing could be read: the errors on stderr say it all
    sys.stdout.write(out)
    sys.stdout.flush()


# -- rules --------------------------------------------------------------------------


def _cmd_rules(ns: argparse.Namespace) -> int:
    import json

    from gobuildgui.core import report
    from gobuildgui.core.dockerfile.rules import ALL_RULES, find_rule, suggest_rules

    code = cast("str | None", ns.code)
    if code is None:
        if ns.format == "json":
            out = json.dumps([report.rule_json(r) for r in ALL_RULES], indent=2) + "\n"
        elif ns.format == "markdown":
            out = report.format_rules_markdown(ALL_RULES)
        else:
            out = report.format_rules_text(ALL_RULES)
        sys.stdout.write(out)
        return 0
    r = find_rule(code)
    if r is None:
        close = suggest_rules(code)
        hint = ""
        if close:
            hint = f"; did you mean {close[0]}?"
            if len(close) > 1:
                hint = f"; did you mean {', '.join(close[:-1])} or {close[-1]}?"
        _error(f"unknown rule {code!r}{hint} (`{PROG} rules` lists them all)")
        return 2
    if ns.format == "json":
        sys.stdout.write(json.dumps(report.rule_json(r), indent=2) + "\n")
    elif ns.format == "markdown":
        sys.stdout.write(f"# {r.code} {r.name}\n\n{r.summary}\n\n{r.doc.strip()}\n")
    else:
        sys.stdout.write(report.format_rule_text(r))
    return 0


# -- probe --------------------------------------------------------------------------


def _add_probe(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "probe",
        help="probe the network the way `go mod download` in `docker build` needs it",
        description="Run the network probes (DNS, TCP, TLS, proxies, GOPROXY, checksum DB,"
        " private git hosts, the Docker daemon, and the same from inside a container) with"
        " the settings in force, overridden by the options below. Exit status: 0 every"
        " probe passed, 1 at least one failed, 2 usage error. Ctrl+C cancels (status 130).",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--only",
        nargs="+",
        action="extend",
        choices=PROBE_FAMILIES,
        metavar="NAME",
        help=f"run only these probe families ({', '.join(PROBE_FAMILIES)})",
    )
    p.add_argument(
        "--timeout", type=float, default=5.0, metavar="SECONDS", help="per probe (default 5)"
    )
    p.add_argument("--dockerfile", metavar="PATH", help="the Dockerfile whose build is probed")
    p.add_argument(
        "--resolver",
        action="append",
        metavar="IP[:PORT]",
        help="ask this DNS server (repeatable; replaces the resolv.conf servers)",
    )
    p.add_argument("--proxy", metavar="URL", help="HTTP(S) proxy to probe and use")
    p.add_argument("--no-proxy", metavar="LIST", help="NO_PROXY value")
    p.add_argument("--goproxy", metavar="LIST", help="GOPROXY value")
    p.add_argument("--gosumdb", metavar="VALUE", help="GOSUMDB value")
    p.add_argument("--goprivate", metavar="GLOBS", help="GOPRIVATE value")
    p.add_argument(
        "--module", metavar="PATH@VERSION", help="module to fetch (default rsc.io/quote@v1.5.2)"
    )
    p.add_argument(
        "--endpoint", action="append", metavar="HOST:PORT", help="TCP/TLS endpoint (repeatable)"
    )
    p.add_argument("--docker-host", metavar="URL", help="Docker daemon (default: DOCKER_HOST)")
    p.add_argument("--image", metavar="IMAGE", help="local image for the in-container probes")
    p.add_argument("--network", metavar="NAME", help="network for the in-container probes (bridge)")
    p.add_argument(
        "--ca-file", action="append", metavar="PATH", help="a CA bundle to try (repeatable)"
    )
    p.set_defaults(handler=_cmd_probe)


def _probe_target(ns: argparse.Namespace) -> object:
    """The ProbeTarget of the options, or a usage-error string."""
    import dataclasses
    from pathlib import Path

    from gobuildgui.core.probes.discovered import discovered_target
    from gobuildgui.core.probes.netio import HostPort
    from gobuildgui.core.probes.target import Proxy, Resolver

    if not 0 < ns.timeout <= 300:
        return f"--timeout must be between 0 and 300 seconds, not {ns.timeout:g}"
    dockerfile = None
    if ns.dockerfile:
        dockerfile = Path(ns.dockerfile)
        if dockerfile.is_dir():
            dockerfile = dockerfile / "Dockerfile"
        if not dockerfile.is_file():
            return f"--dockerfile {ns.dockerfile}: no such file"
    target = discovered_target(dockerfile, timeout=ns.timeout)
    changes: dict[str, object] = {}
    try:
        if ns.resolver:
            changes["resolvers"] = tuple(Resolver.parse(r, "custom") for r in ns.resolver)
        if ns.endpoint:
            changes["endpoints"] = tuple(HostPort.parse(e, 443) for e in ns.endpoint)
    except ValueError as exc:
        return f"bad address: {exc}"
    if ns.proxy:
        url = ns.proxy if "://" in ns.proxy else "http://" + ns.proxy
        changes["proxies"] = (Proxy(url, "https", "--proxy"), Proxy(url, "http", "--proxy"))
    if ns.no_proxy is not None:
        changes["no_proxy"] = ns.no_proxy
    for opt in ("goproxy", "gosumdb", "goprivate", "docker_host"):
        if getattr(ns, opt) is not None:
            changes[opt] = getattr(ns, opt)
    if ns.module:
        mod, sep, ver = ns.module.partition("@")
        if not sep or not mod or not ver:
            return f"--module wants PATH@VERSION, not {ns.module!r}"
        changes["module"], changes["version"] = mod, ver
    if ns.image:
        changes["container_image"] = ns.image
    if ns.network:
        changes["container_network"] = ns.network
    if ns.ca_file:
        missing = [f for f in ns.ca_file if not Path(f).is_file()]
        if missing:
            return f"--ca-file {missing[0]}: no such file"
        changes["ca_files"] = tuple(Path(f) for f in ns.ca_file)
    return dataclasses.replace(target, **changes)  # type: ignore[arg-type]


def _cmd_probe(ns: argparse.Namespace) -> int:
    import json

    from gobuildgui.core.probes import CancelToken, ProbeTarget, build_plan, run_plan
    from gobuildgui.core.probes.report import format_text

    target = _probe_target(ns)
    if isinstance(target, str):
        _error(target)
        return 2
    assert isinstance(target, ProbeTarget)
    plan = build_plan(target, ns.only)
    token = CancelToken()
    try:
        results = run_plan(plan, timeout=target.timeout, token=token)
    except KeyboardInterrupt:
        token.cancel()
        _error("interrupted: probes cancelled")
        return 130
    if ns.format == "json":
        sys.stdout.write(json.dumps([r.to_json() for r in results], indent=2) + "\n")
    else:
        sys.stdout.write(format_text(results))
    return 1 if any(r.failed for r in results) else 0


# -- fix ----------------------------------------------------------------------------


def _add_fix(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fix",
        help="preview or apply a fix (daemon.json, config.json, Go env, Dockerfile)",
        description="Show the plan of a fix as diffs (--dry-run) or apply it with a backup"
        " and an atomic write; undo applied fixes. Exit status: 0 done, 1 refused or"
        " failed (nothing written), 2 usage error.",
    )
    p.add_argument("fix_id", nargs="?", metavar="FIX-ID", help="the fix (see --list)")
    p.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the fix (repeatable); an empty VALUE removes that setting",
    )
    p.add_argument("--file", metavar="PATH", help="edit this file instead of the default one")
    p.add_argument("--dockerfile", metavar="PATH", help="the Dockerfile (Dockerfile fixes)")
    p.add_argument("--platform", help="linux, linux-rootless, macos, windows, windows-server")
    p.add_argument("--daemon-version", metavar="X.Y", help="Docker Engine version, e.g. 20.10")
    p.add_argument("--yes", "-y", action="store_true", help="apply without asking")
    p.add_argument(
        "--elevate",
        action="store_true",
        help="install files that need root through pkexec (else print the commands)",
    )
    p.add_argument("--force", action="store_true", help="--undo even if the file changed since")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="list the fixes and their settings")
    mode.add_argument(
        "--undo", nargs="?", const="", metavar="ID", help="undo a fix (default: the last one)"
    )
    mode.add_argument("--history", action="store_true", help="list applied fixes")
    p.set_defaults(handler=_cmd_fix)


def _cmd_fix(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from gobuildgui.core import fixes
    from gobuildgui.core.fixes.write import format_plan, mask

    history = fixes.History()
    if ns.list:
        for spec in fixes.FIXES.values():
            print(f"{spec.fix_id:24} {spec.title}")
            for f in spec.fields:
                default = f" (default: {f.default})" if f.default else ""
                print(f"    --set {f.name}=...  {f.label}{default}")
        return 0
    if ns.history:
        for e in history.entries():
            print(f"{e.entry_id}  {e.state:8} {e.fix_id:24} {e.title}")
            for hf in e.files:
                print(f"    {hf.path}: {hf.summary}")
        return 0
    if ns.undo is not None:
        try:
            entry = history.undo(ns.undo or None, force=ns.force)
        except fixes.FixError as exc:
            _error(str(exc))
            return 1
        print(
            f"undone {entry.entry_id} ({entry.fix_id}): restored "
            + ", ".join(f.path for f in entry.files)
        )
        return 0
    if not ns.fix_id:
        _error("give a FIX-ID (`gobuildgui fix --list` lists them), --history or --undo")
        return 2
    try:
        spec = fixes.get_fix(ns.fix_id)
    except fixes.FixError as exc:
        _error(str(exc))
        return 2
    settings: dict[str, str] = {}
    for item in cast("list[str]", ns.set):
        name, sep, value = item.partition("=")
        if not sep:
            _error(f"--set {item!r}: write NAME=VALUE")
            return 2
        settings[name.strip()] = value
    overrides = {spec.target: Path(ns.file).absolute()} if ns.file else {}
    if ns.file and spec.fix_id == "daemon-proxy" and ns.file.endswith(".conf"):
        overrides = {fixes.Target.SYSTEMD_DROPIN: Path(ns.file).absolute()}
    dockerfile = Path(ns.dockerfile) if ns.dockerfile else None
    if dockerfile is None and spec.target is fixes.Target.DOCKERFILE and not ns.file:
        dockerfile = Path("Dockerfile")
    ctx = fixes.FixContext.discover(
        dockerfile=dockerfile,
        platform=ns.platform,
        daemon_version=ns.daemon_version,
        overrides=overrides,
        ask_daemon=spec.fix_id == "daemon-proxy",
    )
    try:
        plan = spec.build(settings, ctx)
    except fixes.InvalidSettingsError as exc:
        for name, message in exc.errors.items():
            _error(mask(f"--set {name}: {message}"))
        return 2
    except fixes.FixError as exc:
        _error(mask(str(exc)))
        return 1
    sys.stdout.write(format_plan(plan))
    if ns.dry_run or plan.is_empty:
        return 0
    if not ns.yes:
        if not sys.stdin or not sys.stdin.isatty():
            _error("not applied: confirm with --yes (standard input is not a terminal)")
            return 1
        answer = input("Apply these changes? [y/N] ").strip().lower()
        if answer not in {"y", "yes"}:
            print("Nothing was changed.")
            return 1
    try:
        if ns.elevate:
            result = fixes.apply_with_elevation(plan, history=history)
        else:
            result = fixes.apply_plan(plan, history=history)
    except fixes.NeedsRootError as exc:
        _error(mask(str(exc), plan.secrets) + "\n(or run again with --elevate to use pkexec)")
        return 1
    except fixes.FixError as exc:
        _error(mask(str(exc), plan.secrets))
        return 1
    print(f"applied ({result.entry_id}); undo with: {PROG} fix --undo {result.entry_id}")
    return 0


# -- diagnose -----------------------------------------------------------------------


def _add_diagnose(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diagnose",
        help="explain why a build failed, from its log",
        description="Read a `docker build`, `docker pull` or `go mod download` log and name"
        " the failures in it, most likely root cause first. Exit status: 0 nothing found,"
        " 1 something found, 2 unreadable input.",
    )
    p.add_argument(
        "logfile", nargs="?", default="-", metavar="LOGFILE", help="the log, or - for stdin"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--list-patterns", action="store_true", help="list the failure patterns it knows and exit"
    )
    p.set_defaults(handler=_cmd_diagnose)


def _read_log(source: str) -> list[object]:
    """Diagnose LOGFILE or stdin, streaming; raise OSError/ValueError on bad input."""
    from pathlib import Path

    from gobuildgui.core.diagnose import LogDiagnoser, diagnose_file

    if source != "-":
        path = Path(source)
        if path.is_dir():
            raise IsADirectoryError(21, "is a folder, not a log file", source)
        return list(diagnose_file(path))
    stream = sys.stdin
    if stream is None:
        raise OSError("cannot read standard input: there is none")
    from gobuildgui.core.diagnose.engine import iter_stream_chunks

    d = LogDiagnoser()
    for chunk in iter_stream_chunks(stream.buffer):
        d.feed(chunk)
    d.finish()
    return list(d.findings())


def _cmd_diagnose(ns: argparse.Namespace) -> int:
    import json

    from gobuildgui.core.diagnose import Finding
    from gobuildgui.core.diagnose.render import format_findings_text, format_patterns

    if ns.list_patterns:
        sys.stdout.write(format_patterns(json_output=ns.format == "json"))
        return 0
    try:
        findings = cast("list[Finding]", _read_log(cast(str, ns.logfile)))
    except OSError as exc:
        what = exc.strerror or str(exc)
        _error(f"cannot read {ns.logfile}: {what}")
        return 2
    if ns.format == "json":
        out = json.dumps({"findings": [f.to_json() for f in findings]}, indent=2) + "\n"
    else:
        out = format_findings_text(findings)
    sys.stdout.write(out)
    sys.stdout.flush()
    return 1 if findings else 0


# -- report -------------------------------------------------------------------------


def _add_report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="write a shareable report (Markdown or HTML), credentials masked",
        description="Write a report of what gobuildgui finds: lint findings of a Dockerfile"
        " and the diagnosis of a build log. Every credential is masked.",
    )
    p.add_argument("--format", choices=("md", "html"), default="md", help="output format")
    p.add_argument("--dockerfile", metavar="PATH", help="a Dockerfile (or its folder) to lint")
    p.add_argument("--log", metavar="FILE", help="a build log to diagnose (- for stdin)")
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (default: stdout)")
    p.add_argument(
        "--env",
        action="store_true",
        help="include the environment in force (proxies, Go and Docker settings; runs"
        " `go env` and asks the Docker daemon, with short timeouts)",
    )
    p.set_defaults(handler=_cmd_report)


def _cmd_report(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from gobuildgui.core.diagnose import Finding
    from gobuildgui.core.errors import Error
    from gobuildgui.core.reports import (
        EnvEntry,
        ReportData,
        build_html,
        build_markdown,
        environment_section,
        lint_section,
    )

    lint_diags: tuple[object, ...] = ()
    dockerfile = None
    findings: list[Finding] = []
    environment: tuple[EnvEntry, ...] = ()
    try:
        if ns.dockerfile:
            dockerfile, lint_diags = lint_section(Path(ns.dockerfile))
        if ns.log:
            findings = cast("list[Finding]", _read_log(cast(str, ns.log)))
        if ns.env:
            from gobuildgui.core.environment import discover

            environment = environment_section(discover(dockerfile))
    except Error as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _error(f"cannot read {exc.filename or ns.log}: {exc.strerror or exc}")
        return 2
    data = ReportData(
        dockerfile=str(dockerfile) if dockerfile else None,
        lint=tuple(lint_diags),  # type: ignore[arg-type]
        findings=tuple(findings),
        environment=environment,
        log=ns.log if ns.log and ns.log != "-" else ("standard input" if ns.log else None),
    )
    out = build_html(data) if ns.format == "html" else build_markdown(data)
    if ns.output:
        from gobuildgui.core.reports import write_report

        try:
            write_report(Path(ns.output), out)
        except OSError as exc:
            _error(f"cannot write {ns.output}: {exc.strerror or exc}")
            return 2
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return 0


# -- main ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args:
            return _run_gui(None)
        parser = build_parser()
        try:
            ns = parser.parse_args(args)
        except SystemExit as exc:  # --help, --version and usage errors
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        handler = cast("Handler | None", getattr(ns, "handler", None))
        if handler is None:
            return _run_gui(None)
        return handler(ns)
    except BrokenPipeError:
        # The reader went away (``gobuildgui rules | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
