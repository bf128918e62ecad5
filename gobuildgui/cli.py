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

To add a subcommand (``probe``, ``diagnose``, ``fix`` are planned): write a
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
    # Planned: _add_probe(sub), _add_diagnose(sub), _add_fix(sub).
    return parser


def _add_gui(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the GUI (the default without a command)")
    p.add_argument("path", nargs="?", metavar="PATH", help="a Dockerfile or a folder to open")
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


def _run_gui(path: str | None) -> int:
    import importlib

    try:
        app = importlib.import_module("gobuildgui.ui.app")
    except ImportError as exc:
        _error(f"the GUI is not available ({exc}); `{PROG} lint PATH` works without it")
        return 2
    run = cast(Callable[[str | None], int], app.run)
    return int(run(path))


def _cmd_gui(ns: argparse.Namespace) -> int:
    return _run_gui(cast("str | None", ns.path))


def _cmd_gui_smoke_test(ns: argparse.Namespace) -> int:
    """Import every module, open the main window for about a second, close it, print OK."""
    path = cast("str | None", ns.path)
    import importlib
    import pkgutil
    from pathlib import Path

    from PySide6.QtCore import QTimer

    import gobuildgui
    from gobuildgui.ui.app import application
    from gobuildgui.ui.appicon import icon_sizes
    from gobuildgui.ui.mainwindow import MainWindow

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
    window = MainWindow()
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
