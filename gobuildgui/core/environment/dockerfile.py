"""The Dockerfile's own ARG/ENV as the go command that downloads modules sees them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gobuildgui.core.dockerfile.golang import fetching_commands, go_env
from gobuildgui.core.dockerfile.parser import parse
from gobuildgui.core.dockerfile.scope import PREDEFINED_PROXY_ARGS, variables_at
from gobuildgui.core.environment.goenv import GO_VARIABLES
from gobuildgui.core.environment.model import Setting, SourceKind


@dataclass(frozen=True)
class DockerfileView:
    settings: tuple[Setting, ...]
    step_line: int | None  # the RUN with `go mod download` (or the first fetching command)
    base_image: str = ""


def dockerfile_settings(path: Path, text: str) -> DockerfileView:
    doc = parse(text)
    commands = list(fetching_commands(doc))
    if not commands:
        return DockerfileView((), None)
    download = [c for c in commands if c.subcommand == "mod download"]
    cmd = (download or commands)[0]
    ins = cmd.instruction
    stage = doc.stage_of(ins)
    out: list[Setting] = []
    for name, go_setting in go_env(doc, ins, cmd).items():
        if go_setting.origin == "default" or name not in GO_VARIABLES:
            continue
        line = go_setting.span.line if go_setting.span is not None else None
        where = f"Dockerfile {go_setting.origin} line {line}" if line else "base image"
        if go_setting.origin == "image":
            where = "base image (official golang image default)"
        out.append(Setting(name, go_setting.value, where, SourceKind.DOCKERFILE, path, line))
    for name, var in variables_at(doc, ins).items():
        if name not in PREDEFINED_PROXY_ARGS:
            continue
        line = var.instruction.line
        out.append(
            Setting(
                name, var.value, f"Dockerfile {var.kind} line {line}", SourceKind.DOCKERFILE,
                path, line,
            )
        )  # fmt: skip
    return DockerfileView(tuple(out), ins.line, stage.base_image if stage else "")
