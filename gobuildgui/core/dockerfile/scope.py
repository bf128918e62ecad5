"""Which ARG and ENV values are in force at an instruction.

A stage sees the ENV of the stage it is built ``FROM`` (not its ARGs), its own
ARG declarations (a bare ``ARG NAME`` takes the global default of that name, if
any) and its own ENV, each expanded with what came before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gobuildgui.core.dockerfile.expand import expand_word
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction, KeyValue, Stage

# Build arguments BuildKit predefines: usable in RUN without an ARG line and kept
# out of the image history.
PREDEFINED_PROXY_ARGS = frozenset(
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
        "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable in force: its expanded value (None: given at build time) and origin."""

    name: str
    value: str | None
    kind: str  # "ENV" or "ARG"
    instruction: Instruction
    key_value: KeyValue


def global_arg_defaults(doc: Dockerfile) -> dict[str, str | None]:
    """Defaults of the ARGs declared before the first FROM."""
    defaults: dict[str, str | None] = {}
    for ins in doc.global_args:
        for kv in ins.key_values:
            defaults[kv.key] = (
                expand_word(kv.raw_value, defaults, doc.escape, keep=True)
                if kv.raw_value is not None
                else None
            )
    return defaults


def _apply(
    ins: Instruction,
    scope: dict[str, Variable],
    globals_: dict[str, str | None],
    escape: str,
) -> None:
    if ins.keyword not in ("ENV", "ARG"):
        return
    env = {k: v.value for k, v in scope.items()}
    for kv in ins.key_values:
        if kv.raw_value is not None:
            value: str | None = expand_word(kv.raw_value, env, escape, keep=True)
        elif ins.keyword == "ARG":
            value = globals_.get(kv.key)
            if kv.key in scope and scope[kv.key].kind == "ENV":
                continue  # an ENV of the same name wins over a bare ARG
        else:
            value = ""
        scope[kv.key] = Variable(kv.key, value, ins.keyword, ins, kv)
        env[kv.key] = value


def stage_env(
    doc: Dockerfile, stage: Stage, upto: Instruction | None = None
) -> dict[str, Variable]:
    """Variables in force before ``upto`` (or at the end of ``stage``)."""
    globals_ = global_arg_defaults(doc)
    chain: list[Stage] = []
    seen: set[int] = set()
    st: Stage | None = stage
    while st is not None and id(st) not in seen:
        chain.append(st)
        seen.add(id(st))
        st = st.parent
    scope: dict[str, Variable] = {}
    for parent in reversed(chain[1:]):
        for ins in parent.instructions:
            _apply(ins, scope, globals_, doc.escape)
        # ARGs do not cross stage boundaries; ENV does.
        scope = {k: v for k, v in scope.items() if v.kind == "ENV"}
    for ins in stage.instructions:
        if upto is not None and ins is upto:
            break
        _apply(ins, scope, globals_, doc.escape)
    return scope


def variables_at(doc: Dockerfile, ins: Instruction) -> dict[str, Variable]:
    """Variables in force when ``ins`` runs (its own ARG/ENV not included)."""
    stage = doc.stage_of(ins)
    if stage is None:
        return {}
    return stage_env(doc, stage, ins)
