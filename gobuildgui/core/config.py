"""Project configuration: ``.gobuildgui.toml`` or ``[tool.gobuildgui]`` in ``pyproject.toml``.

Discovery walks up from the Dockerfile's folder to the filesystem root and stops at
the first folder that has a ``.gobuildgui.toml`` (any, even empty) or a
``pyproject.toml`` with a ``[tool.gobuildgui]`` table; ``.gobuildgui.toml`` wins when
a folder has both.  Keys::

    ignore = ["GB101", "final-stage-has-go-toolchain"]   # codes or rule names
    failure-threshold = "warning"       # error | warning | info | style | none
    [severity]                          # or: severity = {GB102 = "warning"}
    GB102 = "warning"                   # error | warning | info | style | off (= ignore)

Anything else (an unknown key, an unknown rule, a bad value) is a :class:`ConfigError`
naming the file and the key, with a "did you mean" suggestion where one is close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gobuildgui.core.errors import ConfigError
from gobuildgui.core.model import Severity

if TYPE_CHECKING:
    from gobuildgui.core.dockerfile.rule import Rule

CONFIG_FILENAME = ".gobuildgui.toml"
PYPROJECT_FILENAME = "pyproject.toml"
DEFAULT_FAILURE_THRESHOLD: Severity | None = Severity.INFO
KEYS = ("ignore", "severity", "failure-threshold")
_OFF = ("off", "ignore")
_MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LintConfig:
    """What a configuration file says (the defaults when there is none).

    Attributes:
        ignore: rule codes that are turned off.
        severity_overrides: code -> new severity, or None for "off".
        failure_threshold: the lowest severity that makes the CLI fail (exit 1);
            None means "none": never fail on findings.
        source: the file it came from, None for the defaults.
    """

    ignore: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity | None] = field(default_factory=dict)
    failure_threshold: Severity | None = DEFAULT_FAILURE_THRESHOLD
    source: Path | None = None

    def is_enabled(self, code: str) -> bool:
        """Whether the rule ``code`` runs at all."""
        return code not in self.ignore and not (
            code in self.severity_overrides and self.severity_overrides[code] is None
        )

    def severity_for(self, code: str, default: Severity) -> Severity | None:
        """The severity to report ``code`` with; None when it is turned off."""
        if code in self.ignore:
            return None
        return self.severity_overrides.get(code, default)

    def fails(self, severity: Severity) -> bool:
        """Whether a finding of ``severity`` is at or above the failure threshold."""
        return self.failure_threshold is not None and severity.rank >= self.failure_threshold.rank


def parse_threshold(text: str) -> Severity | None:
    """``error|warning|info|style`` -> Severity, ``none`` -> None; ValueError otherwise."""
    if text.strip().lower() == "none":
        return None
    try:
        return Severity.parse(text)
    except ValueError:
        raise ValueError(
            f"unknown failure threshold {text!r} (expected one of: "
            "error, warning, info, style, none)"
        ) from None


def find_config(start: Path) -> Path | None:
    """The configuration file that applies to a Dockerfile in folder ``start``, if any."""
    found = _locate(start)
    return found[0] if found else None


def discover_config(start: Path, *, rules: Iterable[Rule] | None = None) -> LintConfig:
    """Load the configuration that applies to folder ``start``, or the defaults."""
    found = _locate(start)
    if found is None:
        return LintConfig()
    path, table = found
    return config_from_table(table, source=path, rules=rules)


def load_config(path: Path, *, rules: Iterable[Rule] | None = None) -> LintConfig:
    """Load an explicitly named configuration file.

    A file called ``pyproject.toml`` must have a ``[tool.gobuildgui]`` table; any other
    file holds the keys at top level.
    """
    data = _read_toml(path)
    if path.name == PYPROJECT_FILENAME:
        table = _tool_table(path, data)
        if table is None:
            raise ConfigError(path, "has no [tool.gobuildgui] table")
        return config_from_table(table, source=path, rules=rules)
    return config_from_table(data, source=path, rules=rules)


def config_from_table(
    table: Mapping[str, object], *, source: Path, rules: Iterable[Rule] | None = None
) -> LintConfig:
    """Validate a configuration table (top-level keys of ``.gobuildgui.toml``).

    ``rules`` are the rules whose codes and names are valid (default: all rules).
    """
    if rules is None:
        from gobuildgui.core.dockerfile.rules import ALL_RULES

        rules = ALL_RULES
    by_code = {r.code: r.code for r in rules}
    by_name = {r.name: r.code for r in rules}
    prefix = "[tool.gobuildgui] " if source.name == PYPROJECT_FILENAME else ""

    def err(message: str) -> ConfigError:
        return ConfigError(source, prefix + message)

    def code_of(key: object, where: str) -> str:
        if not isinstance(key, str):
            raise err(f"{where} must name rules by code or name, got {key!r}")
        code = by_code.get(key.strip().upper()) or by_name.get(key.strip().lower())
        if code is None:
            raise err(f"{where} names unknown rule {key!r}{_did_you_mean(key, by_code, by_name)}")
        return code

    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(KEYS)})"
            raise err(f"unknown key {key!r}{hint}")

    ignore: set[str] = set()
    raw_ignore = table.get("ignore", [])
    if not isinstance(raw_ignore, list):
        raise err("'ignore' must be a list of rule codes, like ignore = [\"GB101\"]")
    for item in raw_ignore:
        ignore.add(code_of(item, "'ignore'"))

    overrides: dict[str, Severity | None] = {}
    raw_sev = table.get("severity", {})
    if not isinstance(raw_sev, dict):
        raise err("'severity' must be a table, like severity = {GB102 = \"warning\"}")
    for key, value in raw_sev.items():
        code = code_of(key, "'severity'")
        where = f"'severity.{key}'"
        if not isinstance(value, str):
            raise err(f"{where} must be a string, got {value!r}")
        if value.strip().lower() in _OFF:
            overrides[code] = None
            continue
        try:
            overrides[code] = Severity.parse(value)
        except ValueError:
            raise err(
                f"{where} must be one of error, warning, info, style, off; got {value!r}"
                + _close_hint(value, ("error", "warning", "info", "style", "off"))
            ) from None

    threshold = DEFAULT_FAILURE_THRESHOLD
    if "failure-threshold" in table:
        raw = table["failure-threshold"]
        if not isinstance(raw, str):
            raise err(f"'failure-threshold' must be a string, got {raw!r}")
        try:
            threshold = parse_threshold(raw)
        except ValueError:
            raise err(
                "'failure-threshold' must be one of error, warning, info, style, none;"
                f" got {raw!r}" + _close_hint(raw, ("error", "warning", "info", "style", "none"))
            ) from None

    return LintConfig(
        ignore=frozenset(ignore),
        severity_overrides=overrides,
        failure_threshold=threshold,
        source=source,
    )


def _did_you_mean(key: str, codes: Mapping[str, str], names: Mapping[str, str]) -> str:
    if key[:2].isalpha() and key[2:].isdigit():
        close = difflib.get_close_matches(key.upper(), list(codes), n=1, cutoff=0.6)
    else:
        close = difflib.get_close_matches(key.lower(), list(names), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _close_hint(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            data = fh.read(_MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror or exc}") from None
    return _parse_toml(path, data)


def _parse_toml(path: Path, data: bytes) -> dict[str, object]:
    if len(data) > _MAX_CONFIG_BYTES:
        raise ConfigError(path, "is bigger than 1 MiB; is this really a configuration file?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    import tomllib  # only when there is a file to read: keeps CLI start-up fast

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from None


def _tool_table(path: Path, data: Mapping[str, object]) -> Mapping[str, object] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    table = tool.get("gobuildgui")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(path, "[tool.gobuildgui] must be a table")
    return table


def _locate(start: Path) -> tuple[Path, Mapping[str, object]] | None:
    try:
        folder = start.resolve()
    except OSError:
        folder = start.absolute()
    for d in (folder, *folder.parents):
        own = d / CONFIG_FILENAME
        if own.is_file():
            return own, _read_toml(own)
        pyproject = d / PYPROJECT_FILENAME
        if pyproject.is_file():
            try:
                with pyproject.open("rb") as fh:
                    data = fh.read(_MAX_CONFIG_BYTES + 1)
            except OSError:
                continue  # an unreadable pyproject.toml we may not even be configured in
            if b"gobuildgui" not in data:
                continue  # cheap: most pyproject files are not about us
            table = _tool_table(pyproject, _parse_toml(pyproject, data))
            if table is not None:
                return pyproject, table
    return None
