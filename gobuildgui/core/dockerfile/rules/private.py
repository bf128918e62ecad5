"""Checksums, private modules and their credentials (GB130–GB137)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from gobuildgui.core.dockerfile.golang import (
    KNOWN_GO_VARIABLES,
    GoCommand,
    GoSetting,
    glob_patterns,
    go_commands,
    matches_module_glob,
    split_goproxy,
    stage_image,
)
from gobuildgui.core.dockerfile.nodes import Dockerfile, Instruction, MappedText, Mount
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.dockerfile.rule import Finding, LintContext, Rule, rule
from gobuildgui.core.dockerfile.rules.proxies import (
    PROXY_KEYS,
    PUBLIC_CODE_HOSTS,
    Assignment,
    EnvCache,
    assignments,
    find_userinfo,
    insert_before,
    instruction_text,
    instructions_before,
    is_var_ref,
    looks_like_token,
    mask_credentials,
    shorten,
    sub_span,
)
from gobuildgui.core.dockerfile.scope import Variable, variables_at
from gobuildgui.core.model import Applicability, Edit, Fix, Severity, Span

_SECRET_MOUNT_HINT = (
    "`RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download` with "
    "`docker build --secret id=netrc,src=$HOME/.netrc .`"
)


def _stage_assignments(
    doc: Dockerfile, ins: Instruction, names: frozenset[str]
) -> list[Assignment]:
    """Assignments of ``names`` anywhere in the stage chain of ``ins`` (order ignored)."""
    stage = doc.stage_of(ins)
    if stage is None:
        return []
    chain = {st.index for st in stage.chain()}
    return [a for a in assignments(doc, lambda n: n in names) if a.instruction.stage_index in chain]


# ---------------------------------------------------------------------------------
# GB130


def private_pattern_guess(project: ProjectContext) -> str:
    """A GOPRIVATE-style pattern for the organisation of the module in go.mod."""
    mod = project.go_mod.module if project.go_mod is not None else None
    if mod:
        parts = mod.split("/")
        if parts[0] in PUBLIC_CODE_HOSTS and len(parts) >= 2 and parts[1]:
            return f"{parts[0]}/{parts[1]}/*"
        if "." in parts[0]:
            return parts[0]
    return "example.com/yourorg/*"


@rule(
    code="GB130",
    name="gosumdb-off",
    severity=Severity.WARNING,
    summary="GOSUMDB=off disables checksum verification for every module",
    category="checksum",
    fix=Applicability.UNSAFE,
)
def gosumdb_off(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `GOSUMDB=off` set with `ENV`, as an `ARG` default, with `go env -w`, exported or
    inline before a command in a `RUN`.

    ## Why is this bad?
    The checksum database lets go verify that a module version is the same for everyone.
    With it off, go trusts whatever the proxy or the origin server returns for modules
    not yet in go.sum, public ones included. It is usually set to get past
    `verifying ...: reading https://sum.golang.org/lookup/...: 404 Not Found` for private
    modules; exempting just those paths fixes that without turning verification off.

    ## Example
    ```dockerfile
    ENV GOSUMDB=off
    ```

    Use instead:
    ```dockerfile
    ENV GONOSUMDB=github.com/acme/*
    ```
    (or `GOPRIVATE=github.com/acme/*`, which also fetches those paths directly instead of
    through the module proxy).

    ## Fix safety
    When the stage already exempts private paths with `GOPRIVATE` or `GONOSUMDB`, the fix
    sets `GOSUMDB` back to the default `sum.golang.org`. It is unsafe: modules outside
    those paths are verified again, so a build that silently used a tampered or re-tagged
    version now fails. Otherwise the suggested `GONOSUMDB=` replacement is only shown:
    the pattern is a guess from go.mod's module path.

    ## References
    - https://go.dev/ref/mod#checksum-database
    - https://go.dev/ref/mod#private-module-privacy
    """
    doc = ctx.doc
    for a in assignments(doc, lambda n: n == "GOSUMDB"):
        if a.value is None or a.value.strip() != "off":
            continue
        base = a.value_span or a.span
        span = sub_span(doc, base, "off")
        exempt = [
            e
            for e in _stage_assignments(doc, a.instruction, frozenset({"GOPRIVATE", "GONOSUMDB"}))
            if e.value and e.value.strip()
        ]
        if exempt:
            shown = ", ".join(f"{e.name}={shorten(e.value or '', 50)}" for e in exempt)
            msg = (
                "GOSUMDB=off turns checksum verification off for every module, public ones "
                f"included, although {shown} already exempts the private paths. Remove "
                "GOSUMDB=off (or set it back to sum.golang.org)."
            )
            fix = Fix(
                "Set GOSUMDB back to the default sum.golang.org",
                (Edit(span.start, span.end, "sum.golang.org"),),
                Applicability.UNSAFE,
            )
        else:
            guess = private_pattern_guess(ctx.project)
            msg = (
                "GOSUMDB=off turns checksum verification off for every module, public ones "
                "included, so a tampered download goes unnoticed. Exempt only your private "
                f"paths instead: GONOSUMDB={guess} (or GOPRIVATE={guess}, which also skips "
                "the module proxy for them)."
            )
            fix = Fix(
                f"Replace with GONOSUMDB={guess} (adjust the pattern to your private modules)",
                (Edit(a.span.start, a.span.end, f"GONOSUMDB={guess}"),),
                Applicability.DISPLAY_ONLY,
            )
        yield Finding(span=span, message=msg, fix=fix)


# ---------------------------------------------------------------------------------
# GB131


def _covered(pattern: str, exempt: list[str]) -> bool:
    return pattern in exempt or matches_module_glob(exempt, pattern)


@rule(
    code="GB131",
    name="gonoproxy-without-gonosumdb",
    severity=Severity.ERROR,
    summary="GONOPROXY paths are still looked up in the public checksum database",
    category="checksum",
    fix=Applicability.UNSAFE,
)
def gonoproxy_without_gonosumdb(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `GONOPROXY` patterns that neither `GONOSUMDB` nor `GOPRIVATE` covers in the same
    stage (or the stages it is built `FROM`). When `GONOSUMDB` is set, it replaces
    `GOPRIVATE` for checksum decisions, as in go itself.

    ## Why is this bad?
    `GONOPROXY` only decides where modules are downloaded from. Their checksums are still
    looked up in sum.golang.org, which does not know private modules, so the build fails
    with `verifying ...: reading https://sum.golang.org/lookup/...: 404 Not Found` (or
    `410 Gone`). `GOPRIVATE` sets both at once.

    ## Example
    ```dockerfile
    ENV GONOPROXY=github.com/acme/*
    ```

    Use instead:
    ```dockerfile
    ENV GOPRIVATE=github.com/acme/*
    ```

    ## Fix safety
    Without `GOPRIVATE` and `GONOSUMDB` in the stage, the fix renames `GONOPROXY` to
    `GOPRIVATE`; otherwise it appends the missing patterns to the existing `GONOSUMDB`
    (or `GOPRIVATE`). It is unsafe: those paths are then no longer checked against the
    checksum database.

    ## References
    - https://go.dev/ref/mod#private-modules
    - https://go.dev/ref/mod#environment-variables
    """
    doc = ctx.doc
    names = frozenset({"GONOSUMDB", "GOPRIVATE", "GOSUMDB"})
    for a in assignments(doc, lambda n: n == "GONOPROXY"):
        value = (a.value or "").strip()
        if not value or value == "none" or "$" in value:
            continue
        others = _stage_assignments(doc, a.instruction, names)
        if any(o.name == "GOSUMDB" and (o.value or "").strip() == "off" for o in others):
            continue  # no checksum database at all (GB130)
        relevant = [o for o in others if o.name != "GOSUMDB"]
        if any(o.value is None or "$" in (o.value or "") for o in relevant):
            continue  # given at build time: unknown
        nosumdb = [o for o in relevant if o.name == "GONOSUMDB" and (o.value or "").strip()]
        private = [o for o in relevant if o.name == "GOPRIVATE" and (o.value or "").strip()]
        source = nosumdb or private
        exempt = [p for o in source for p in glob_patterns(o.value or "")]
        missing = [p for p in glob_patterns(value) if not _covered(p, exempt)]
        if not missing:
            continue
        base = a.value_span or a.span
        span = sub_span(doc, base, missing[0]) if len(missing) == 1 else base
        listed = ", ".join(missing)
        if nosumdb:
            why = f"GONOSUMDB ({shorten(nosumdb[-1].value or '', 50)}) does not cover it"
        elif private:
            why = f"GOPRIVATE ({shorten(private[-1].value or '', 50)}) does not cover it"
        else:
            why = "neither GONOSUMDB nor GOPRIVATE is set"
        msg = (
            f"GONOPROXY {listed} is fetched directly, but {why}: go still looks those "
            "modules up in sum.golang.org, which fails for private modules with 'verifying "
            "...: 404 Not Found' (or 410 Gone). Use GOPRIVATE, which sets both."
        )
        yield Finding(span=span, message=msg, fix=_gonoproxy_fix(doc, a, nosumdb, private, missing))


def _gonoproxy_fix(
    doc: Dockerfile,
    a: Assignment,
    nosumdb: list[Assignment],
    private: list[Assignment],
    missing: list[str],
) -> Fix | None:
    if not nosumdb and not private:
        if doc.text[a.key_span.start : a.key_span.end] != "GONOPROXY":
            return None
        return Fix(
            "Rename GONOPROXY to GOPRIVATE",
            (Edit(a.key_span.start, a.key_span.end, "GOPRIVATE"),),
            Applicability.UNSAFE,
        )
    target = (nosumdb or private)[-1]
    if target.value_span is None:
        return None
    value = target.value or ""
    sep = "" if not value.strip() or value.rstrip().endswith(",") else ","
    pos = target.value_span.end
    return Fix(
        f"Add {', '.join(missing)} to {target.name}",
        (Edit(pos, pos, sep + ",".join(missing)),),
        Applicability.UNSAFE,
    )


# ---------------------------------------------------------------------------------
# GB132

_SECRET_NAME_RE = re.compile(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token"
    r"|pat|pass)(?:_|$)",
    re.IGNORECASE,
)
_ALLOW_NAME_RE = re.compile(r"(?:_|^)public(?:_|$)", re.IGNORECASE)
_KNOWN_SECRET_NAMES = frozenset(
    {"GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "CI_JOB_TOKEN", "NETRC_CONTENT"}
)
_NOT_SECRET = frozenset(
    {"SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS", "NETRC", "GOAUTH"}
)
_VAR_RE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_AUTH_CONTEXT_RE = re.compile(
    r"(?P<netrc>netrc)|(?P<insteadof>insteadof)|(?P<creds>git-credentials|credential\.helper"
    r"|\bgit\s+(?:-c\b|config\b|credential\b))|(?P<header>extraheader)"
    r"|(?P<goproxy>\bGOPROXY=)|(?P<goauth>\bGOAUTH=)|(?P<ssh>\.ssh/)",
    re.IGNORECASE,
)
# Lower-case words one of the _AUTH_CONTEXT_RE alternatives needs (git: _GIT_AUTH_RE).
_AUTH_CONTEXT_WORDS = (
    "netrc", "insteadof", "git-credentials", "credential.helper", "extraheader", "goproxy=",
    "goauth=", ".ssh/",
)  # fmt: skip
_GIT_AUTH_RE = re.compile(r"git\s+(?:-c\b|config\b|credential\b)")


def _auth_context(text: str) -> re.Match[str] | None:
    """``_AUTH_CONTEXT_RE.search(text)``, skipping the slow scan when it cannot match."""
    # Only for ASCII: IGNORECASE also matches a few non-ASCII letters (the Kelvin sign).
    if text.isascii():
        low = text.lower()
        if not any(w in low for w in _AUTH_CONTEXT_WORDS) and not _GIT_AUTH_RE.search(low):
            return None
    return _AUTH_CONTEXT_RE.search(text)


_AUTH_CONTEXT_TEXT = {
    "netrc": "writes a .netrc",
    "insteadof": "puts it into a git URL",
    "creds": "stores git credentials",
    "header": "sends it in a git HTTP header",
    "goproxy": "puts it into GOPROXY",
    "goauth": "passes it to GOAUTH",
    "ssh": "writes it into ~/.ssh",
}
_NETRC_FIELD_RE = re.compile(r"\b(?P<field>password|login)\s+[\"']?\$\{?(?P<var>\w+)")
_HEADER_VAR_RE = re.compile(
    r"(?:authorization|private-token|job-token|deploy-token)\s*:[^\"'\n]*?\$\{?(?P<var>\w+)",
    re.IGNORECASE,
)
_NETRC_LITERAL_RE = re.compile(
    r"\bmachine\s+\S+\s+login\s+(?P<login>[^\s\"'\\]+)\s+password\s+(?P<pw>[^\s\"'\\]+)"
    r"|\bpassword\s+(?P<pw2>[^\s\"'\\]+)"
)
_HEADER_LITERAL_RE = re.compile(
    r"extraheader[\"']?\s*=?\s*[\"']?(?:authorization:\s*(?:basic|bearer|token)\s+"
    r"|private-token:\s*|job-token:\s*)(?P<tok>[^\s\"'$]{8,})",
    re.IGNORECASE,
)


def _excluded(name: str) -> bool:
    """Go's own variables (GOPRIVATE, GOAUTH...), proxies and sockets: never secrets."""
    return name in _NOT_SECRET or name.upper() in KNOWN_GO_VARIABLES or name.lower() in PROXY_KEYS


def is_secret_name(name: str) -> bool:
    """Whether a variable name suggests a credential (BuildKit's token rule, plus a few)."""
    if _excluded(name):
        return False
    upper = name.upper()
    if upper in _KNOWN_SECRET_NAMES or upper.startswith("BITBUCKET_"):
        return True
    return bool(_SECRET_NAME_RE.search(name)) and not _ALLOW_NAME_RE.search(name)


def _secret_env_names(ins: Instruction) -> set[str]:
    """Variables a ``--mount=type=secret,env=NAME`` provides to this RUN."""
    return {m.get("env") or "" for m in ins.mounts if m.type == "secret"} - {""}


def _credential_vars(text: str) -> dict[str, str]:
    """Variables used where a credential goes, with how they are used."""
    found: dict[str, str] = {}
    for ui in find_userinfo(text):
        if not ui.has_credential:
            continue
        for var in _VAR_RE.findall(ui.secret):
            found.setdefault(var, "puts it into a URL's user info")
    if "$" not in text:
        return found  # the patterns below need a ``$VAR``
    if "password" in text or "login" in text:
        for m in _NETRC_FIELD_RE.finditer(text):
            var = m.group("var")
            if m.group("field") == "password" or is_secret_name(var):
                found.setdefault(var, f"writes it as the .netrc {m.group('field')}")
    if ":" in text and _may_have_auth_header(text):
        for m in _HEADER_VAR_RE.finditer(text):
            found.setdefault(m.group("var"), "sends it in an HTTP authorization header")
    return found


def _may_have_auth_header(text: str) -> bool:
    """Whether ``_HEADER_VAR_RE`` may match (a cheap test before the regex scan)."""
    if not text.isascii():
        return True  # IGNORECASE also matches a few non-ASCII letters
    low = text.lower()
    return "authorization" in low or "-token" in low


@dataclass(slots=True, unsafe_hash=True)  # treat as frozen: not enforced, 4x faster to build
class _Use:
    instruction: Instruction
    what: str


def _declaration_uses(
    doc: Dockerfile,
) -> dict[tuple[int, int], tuple[Instruction, Span, str, _Use]]:
    """ARG/ENV declarations whose value flows into module authentication, first use each."""
    uses: dict[tuple[int, int], tuple[Instruction, Span, str, _Use]] = {}
    for ins in doc.instructions:
        if ins.keyword not in ("RUN", "ENV", "ARG"):
            continue
        flows: dict[str, str] = {}
        if ins.keyword == "RUN":
            text = "\n".join(s.text for s in ins.scripts())
            flows.update(_credential_vars(text))
            ctx_match = _auth_context(text)
            if ctx_match is not None:
                what = _AUTH_CONTEXT_TEXT.get(ctx_match.lastgroup or "", "uses it for auth")
                for var in _VAR_RE.findall(text):
                    if is_secret_name(var):
                        flows.setdefault(var, what)
        else:
            for kv in ins.key_values:
                for ui in find_userinfo(kv.raw_value or ""):
                    if ui.has_credential:
                        for var in _VAR_RE.findall(ui.secret):
                            flows.setdefault(
                                var, f"expands it into the URL of {kv.key} with {ins.keyword}"
                            )
                if kv.key.upper() == "GOAUTH":  # the command is stored with the value expanded
                    for m in _HEADER_VAR_RE.finditer(kv.raw_value or ""):
                        flows.setdefault(m.group("var"), f"passes it to GOAUTH with {ins.keyword}")
                    for var in _VAR_RE.findall(kv.raw_value or ""):
                        if is_secret_name(var):
                            flows.setdefault(var, f"passes it to GOAUTH with {ins.keyword}")
        if not flows:
            continue
        provided = _secret_env_names(ins) if ins.keyword == "RUN" else set()
        scope = variables_at(doc, ins)
        for var, what in flows.items():
            if var in provided or _excluded(var):
                continue
            if ins.keyword == "RUN" and _secret_sourced(var, ins, instruction_text(ins)):
                continue  # the RUN sets it from a secret file, shadowing the ARG/ENV
            v = scope.get(var)
            if v is None or v.kind not in ("ARG", "ENV"):
                continue
            key = (v.instruction.index, v.key_value.key_span.start)
            if key not in uses:
                uses[key] = (v.instruction, v.key_value.key_span, var, _Use(ins, what))
    return uses


def _literal_credentials(doc: Dockerfile) -> Iterator[Finding]:
    """Credentials written out: in a GOPROXY URL, a .netrc line or a git header."""
    for a in assignments(doc, lambda n: n == "GOPROXY"):
        for ui in find_userinfo(a.value or ""):
            if not (ui.has_credential and ui.literal):
                continue
            where = {
                "ENV": "ENV stores it in clear text in the image config",
                "ARG": "an ARG default is recorded in the build history of the steps using it",
            }.get(a.origin, "the RUN command line is recorded in the image history")
            s, e = ui.secret_range
            base = a.value_span or a.span
            span = sub_span(doc, base, (a.value or "")[s:e])
            yield Finding(
                span=span,
                message=(
                    f"GOPROXY '{shorten(mask_credentials(a.value or ''), 100)}' has a "
                    f"credential written into the Dockerfile, and {where}. Put it in a .netrc "
                    "for the proxy host (go sends .netrc credentials to GOPROXY) and mount "
                    f"that as a secret: {_SECRET_MOUNT_HINT}."
                ),
            )
    for ins in doc.instructions:
        if ins.keyword != "RUN":
            continue
        for script in ins.scripts():
            text = script.text
            low = text.lower()
            if "netrc" in low:
                yield from _netrc_literals(script)
            if "extraheader" in low:
                for m in _HEADER_LITERAL_RE.finditer(text):
                    yield Finding(
                        span=script.span(m.start("tok"), m.end("tok")),
                        message=(
                            "A git http.extraheader carries a token written into the "
                            "Dockerfile; the RUN line is recorded in the image history and "
                            "git config keeps it in ~/.gitconfig. Mount a .netrc as a secret "
                            f"instead: {_SECRET_MOUNT_HINT}."
                        ),
                    )


def _netrc_literals(script: MappedText) -> Iterator[Finding]:
    text = script.text
    for m in _NETRC_LITERAL_RE.finditer(text):
        group = "pw" if m.group("pw") is not None else "pw2"
        value = m.group(group) or ""
        if value.startswith("%") or is_var_ref(value) or value.startswith("$"):
            continue
        if value in ("x-oauth-basic", "x", ""):
            login = m.group("login")
            if not login or not looks_like_token(login):
                continue
            group = "login"
        yield Finding(
            span=script.span(m.start(group), m.end(group)),
            message=(
                "This RUN writes a .netrc with a credential written into the Dockerfile: the "
                "command line is recorded in the image history and the file stays in the "
                f"layer. Mount the .netrc as a secret instead: {_SECRET_MOUNT_HINT}."
            ),
        )


@rule(
    code="GB132",
    name="credential-in-build-arg",
    severity=Severity.ERROR,
    summary="a credential for private modules comes from ARG/ENV or is written in the file",
    category="private-modules",
)
def credential_in_build_arg(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Follows ARG and ENV variables into the places where module downloads take their
    credentials: a `.netrc` written by a `RUN`, git configuration (`insteadOf` URLs,
    credential helpers, `http.extraheader`), the user info of a URL such as `GOPROXY`,
    and `GOAUTH`. The declaration of a variable that ends up there is reported, whatever
    its name; a variable named like a secret (`GITHUB_TOKEN`, `*_TOKEN`, `*_PASSWORD`,
    BuildKit's token list) is reported when such a step merely references it.

    Credentials written out in the Dockerfile are reported too: in a `GOPROXY` URL, on a
    `.netrc` line, or in a git `http.extraheader`.

    Unlike name-only checks (hadolint DL3064, BuildKit SecretsUsedInArgOrEnv), it does
    not flag `GOPRIVATE`, `GONOPROXY`, `GONOSUMDB` or `GOAUTH=netrc`: they hold module
    paths or a method, not secrets. A variable supplied by `--mount=type=secret,env=` on
    the same `RUN` is fine.

    ## Why is this bad?
    Build-argument values are recorded in the image history of every `RUN` that uses
    them (`docker history`), and ENV values are stored in the image config: anyone who
    can pull the image reads the token. Secret mounts give the step the credential
    without storing it anywhere.

    ## Example
    ```dockerfile
    ARG GITHUB_TOKEN
    RUN echo "machine github.com login x password $GITHUB_TOKEN" > /root/.netrc \\
     && go mod download
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download
    ```
    built with `docker build --secret id=netrc,src=$HOME/.netrc .`, or with
    `--mount=type=secret,id=gh,env=GITHUB_TOKEN` (Dockerfile 1.10+).

    ## References
    - https://docs.docker.com/build/building/secrets/
    - https://go.dev/ref/mod#private-module-proxy-auth
    - https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
    """
    doc = ctx.doc
    uses = _declaration_uses(doc)
    for _key, (decl, span, name, use) in sorted(uses.items()):
        if decl.keyword == "ARG":
            stored = (
                "build-argument values are recorded in the image history of every RUN that "
                "uses them (`docker history`)"
            )
            what_is = f"Build argument {name}"
        else:
            stored = "ENV stores the value in clear text in the image config (`docker inspect`)"
            what_is = f"ENV {name}"
        msg = (
            f"{what_is} is used for module authentication (line {use.instruction.line} "
            f"{use.what}): {stored}. Pass the credential as a build secret instead: "
            f"{_SECRET_MOUNT_HINT}, or --mount=type=secret,id={name.lower()},env={name} "
            "(Dockerfile 1.10+)."
        )
        yield Finding(span=span, message=msg)
    yield from _literal_credentials(doc)


# ---------------------------------------------------------------------------------
# GB133

_INSTEADOF_RE = re.compile(
    r"\burl\.(?P<q>[\"']?)(?P<url>[A-Za-z][A-Za-z0-9+.-]*://(?:\$\([^()]*\)|\$(?!\()|[^\s\"'$])*?)"
    r"(?P=q)\.(?:push)?insteadof\b",
    re.IGNORECASE,
)
_DASH_C_RE = re.compile(r"(?:^|\s)-c\s*[\"']?$")
_CONFIG_FILE_RE = re.compile(r"--(?:file|f)[\s=][\"']?(?P<path>[^\s\"';&|]+)")


_NOT_A_SETTING_RE = re.compile(r"--(?:unset(?:-all)?|remove-section|get(?:-all|-regexp)?)\b")


def _reads_or_removes(text: str, pos: int) -> bool:
    """Whether the git command around ``pos`` reads or removes a key instead of setting it."""
    start = max(text.rfind(sep, 0, pos) for sep in (";", "&", "|"))
    newline = text.rfind("\n", 0, pos)
    # A line ending in `\` (kept in heredoc scripts) continues the same command.
    while newline > 0 and text.endswith(("\\", "\\\r"), 0, newline):
        newline = text.rfind("\n", 0, newline)
    return _NOT_A_SETTING_RE.search(text, max(start, newline) + 1, pos) is not None


def _cleans_gitconfig(after: str, config_file: str | None) -> bool:
    if re.search(r"\brm\b[^;&|\n]*gitconfig", after):
        return True
    if config_file and re.search(r"\brm\b[^;&|\n]*" + re.escape(config_file), after):
        return True
    return bool(
        re.search(
            r"\bgit\s+config\b[^;&|\n]*--(?:unset|unset-all|remove-section)\b[^;&|\n]*\burl\.",
            after,
            re.IGNORECASE,
        )
    )


def _secret_sourced(var: str, ins: Instruction, text: str) -> bool:
    if var in _secret_env_names(ins):
        return True
    return bool(
        re.search(
            rf"\b{re.escape(var)}=[\"']?\$\(\s*(?:cat\s+|<\s*)[^)]*?/run/secrets/",
            text,
        )
    )


@rule(
    code="GB133",
    name="credential-in-git-insteadof",
    severity=Severity.ERROR,
    summary="git config stores a credential in an insteadOf URL",
    category="private-modules",
)
def credential_in_git_insteadof(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `git config ... url."https://<credential>@host/".insteadOf ...` (and
    `git -c url....insteadOf=...`) in a `RUN` when the URL's user info holds a credential
    written out, a value from an `ARG`/`ENV`, or a secret that the config keeps.

    It stays silent for the recommended pattern: the token comes from a secret mount
    (`--mount=type=secret,...,env=TOKEN`, or `$(cat /run/secrets/...)`) in the same `RUN`,
    and that `RUN` deletes the configuration again (`rm ~/.gitconfig`, or
    `git config --unset`/`--remove-section url...`) or uses `git -c`, which writes nothing.

    ## Why is this bad?
    `git config --global` writes the URL, token included, to `~/.gitconfig`, which stays
    in the layer; a written-out token or a build argument is also visible in the image
    history. Anyone who can pull the image gets the token.

    ## Example
    ```dockerfile
    ARG TOKEN
    RUN git config --global url."https://${TOKEN}@github.com/".insteadOf "https://github.com/"
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=secret,id=gh,env=GH_TOKEN \\
        git config --global \\
          url."https://x:${GH_TOKEN}@github.com/".insteadOf "https://github.com/" \\
     && go mod download && rm /root/.gitconfig
    ```
    or, simpler, `RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download`.

    ## References
    - https://docs.docker.com/build/building/secrets/
    - https://go.dev/doc/faq#git_https
    """
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.keyword != "RUN":
            continue
        full = "\n".join(s.text for s in ins.scripts())
        if "insteadof" not in full.lower():
            continue
        scope = variables_at(doc, ins)
        for script in ins.scripts():
            text = script.text
            for m in _INSTEADOF_RE.finditer(text):
                if _reads_or_removes(text, m.start()):
                    continue
                f = _insteadof_finding(doc, ins, script, m, scope, full)
                if f is not None:
                    yield f


def _insteadof_finding(
    doc: Dockerfile,
    ins: Instruction,
    script: MappedText,
    m: re.Match[str],
    scope: dict[str, Variable],
    full: str,
) -> Finding | None:
    text = script.text
    url = m.group("url")
    infos = [ui for ui in find_userinfo(url) if ui.has_credential]
    if not infos:
        return None
    ui = infos[0]
    s, e = ui.secret_range
    span = script.span(m.start("url") + s, m.start("url") + e)
    shown = mask_credentials(url)
    before = text[: m.start()]
    inline = _DASH_C_RE.search(before) is not None
    line_start = before.rfind("\n") + 1
    file_m = _CONFIG_FILE_RE.search(text[line_start : m.start()])
    config_file = file_m.group("path") if file_m else None
    where = config_file or (
        "/etc/gitconfig" if "--system" in text[line_start : m.start()] else "~/.gitconfig"
    )
    if ui.literal:
        stored = "" if inline else f" and git config keeps it in {where}"
        return Finding(
            span=span,
            message=(
                f"The insteadOf URL '{shorten(shown, 100)}' has a credential written into the "
                f"Dockerfile: the RUN line is recorded in the image history{stored}. Mount a "
                f".netrc as a secret instead: {_SECRET_MOUNT_HINT}."
            ),
        )
    variables = _VAR_RE.findall(ui.secret)
    # Variables from ARG/ENV; the others come from a secret (mount env=, /run/secrets)
    # or from the script itself, and only matter if the config keeps them.
    from_build = [v for v in variables if v in scope and not _secret_sourced(v, ins, full)]
    cleaned = _cleans_gitconfig(text[m.end() :], config_file)
    if not from_build and (inline or cleaned):
        return None
    if from_build:
        origin = ", ".join(from_build)
        reason = (
            f"the token comes from {origin}, an ARG/ENV whose value is recorded in the image "
            "history or config"
        )
        if not inline and not cleaned:
            reason += f", and git config keeps it in {where}, which stays in this layer"
    else:
        reason = (
            f"git config writes the token to {where}, which stays in this layer (anyone "
            "who pulls the image can read it)"
        )
    return Finding(
        span=span,
        message=(
            f"insteadOf URL '{shorten(shown, 100)}': {reason}. Take the token from a secret "
            "mount (--mount=type=secret,id=gh,env=GH_TOKEN) and delete the config in the "
            "same RUN (... && go mod download && rm ~/.gitconfig), or mount a .netrc instead: "
            f"{_SECRET_MOUNT_HINT}."
        ),
    )


# ---------------------------------------------------------------------------------
# GB134

_KEY_NAME_RE = re.compile(
    r"^(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|.+[._-](?:rsa|dsa|ecdsa|ed25519)"
    r"|deploy[_-]?key(?:\.pem)?|.*private[_-]?key.*|privkey\.pem|.+[._-]key\.pem|.+\.ppk)$",
    re.IGNORECASE,
)
_CREDENTIAL_FILES = {".netrc": "netrc", "_netrc": "netrc", ".git-credentials": "git-credentials"}
_SAFE_SSH_FILES = frozenset({"known_hosts", "config", "ssh_config", "known_hosts.txt"})
_GLOB_SAMPLES = ("id_rsa", "id_ed25519", "id_ecdsa", ".netrc", ".git-credentials")


@lru_cache(maxsize=2048)  # pure; COPY sources and destinations repeat
def _classify(path: str) -> str | None:
    """``key``, ``netrc``, ``git-credentials`` or ``ssh-dir`` for a sensitive path."""
    clean = path.strip("\"'").rstrip("/")
    base = clean.rsplit("/", 1)[-1]
    if not base or base.lower().endswith(".pub"):
        return None
    if any(c in base for c in "*?["):
        if not (base.startswith("id_") or "netrc" in base or "ssh" in base):
            return None
        for sample in _GLOB_SAMPLES:
            if fnmatch.fnmatchcase(sample, base):
                return _CREDENTIAL_FILES.get(sample, "key")
        return None
    if base in _CREDENTIAL_FILES:
        return _CREDENTIAL_FILES[base]
    if base == ".ssh":
        return "ssh-dir"
    if _KEY_NAME_RE.match(base):
        return "key"
    return None


def _copy_paths(ins: Instruction) -> tuple[list[tuple[str, Span]], tuple[str, Span] | None]:
    """Sources and destination of a COPY/ADD, each with its span."""
    if ins.json_args is not None:
        items = [(a, sub_span_of(ins, a)) for a in ins.json_args]
    else:
        items = [(w.value, w.span) for w in ins.words if not w.value.startswith("<<")]
    if not items:
        return [], None
    if ins.heredocs and ins.json_args is None:
        return items[:-1], items[-1]
    if len(items) < 2:
        return [], None
    return items[:-1], items[-1]


def sub_span_of(ins: Instruction, needle: str) -> Span:
    """The span of ``needle`` inside the arguments of ``ins`` (all of them if absent)."""
    i = ins.args.find(needle)
    if i < 0:
        return ins.args_span()
    return ins.args_span(i, i + len(needle))


@rule(
    code="GB134",
    name="private-key-copied",
    severity=Severity.ERROR,
    summary="an SSH key or .netrc is copied into the image",
    category="private-modules",
)
def private_key_copied(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `COPY` and `ADD` of SSH private keys (`id_rsa`, `id_ed25519`, `deploy_key`,
    `*_rsa`, `*private*key*`, `*-key.pem`...), of a `.ssh` folder, of `.netrc` and
    `.git-credentials` files, and of any file whose destination has one of those names.
    Public keys (`*.pub`), `known_hosts` and CA certificates are fine.

    ## Why is this bad?
    A copied file is part of a layer for good: deleting it in a later step only hides
    it, and it stays in the build cache and in every image built from the stage. Anyone
    with the image can use the key or token to reach your private repositories.

    ## Example
    ```dockerfile
    COPY id_ed25519 /root/.ssh/id_ed25519
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=ssh go mod download
    ```
    built with `docker build --ssh default .`; for HTTPS, mount a .netrc as a secret:
    `RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download`.

    ## References
    - https://docs.docker.com/build/building/secrets/#ssh-mounts
    - https://docs.docker.com/build/building/secrets/
    """
    for ins in ctx.doc.instructions:
        if ins.keyword not in ("COPY", "ADD"):
            continue
        sources, dest = _copy_paths(ins)
        reported = False
        for path, span in sources:
            kind = _classify(path)
            if kind is not None:
                reported = True
                yield Finding(span=span, message=_copied_message(ins, path, kind))
        if dest is None or reported:
            continue
        dpath, dspan = dest
        if not dpath.rstrip("\"'").endswith("/"):
            kind = _classify(dpath)
            if kind is not None:
                yield Finding(span=dspan, message=_copied_message(ins, dpath, kind))
                continue
        parts = dpath.strip("\"'").rstrip("/").split("/")
        if ".ssh" in parts and sources:
            bases = [p.strip("\"'").rstrip("/").rsplit("/", 1)[-1] for p, _s in sources]
            if not all(b in _SAFE_SSH_FILES or b.endswith(".pub") for b in bases):
                path, span = sources[0]
                yield Finding(span=span, message=_copied_message(ins, path, "into-ssh"))


def _copied_message(ins: Instruction, path: str, kind: str) -> str:
    name = shorten(path.strip("\"'"), 60)
    if kind in ("key", "ssh-dir", "into-ssh"):
        what = {
            "key": f"the SSH private key '{name}'",
            "ssh-dir": f"the SSH folder '{name}' (with its private keys)",
            "into-ssh": f"'{name}' into ~/.ssh (private keys, presumably)",
        }[kind]
        instead = (
            "Forward your SSH agent instead: `RUN --mount=type=ssh go mod download` with "
            "`docker build --ssh default .`"
        )
    else:
        what = f"the credentials file '{name}'"
        instead = f"Mount it as a secret instead: {_SECRET_MOUNT_HINT}"
    return (
        f"{ins.keyword} puts {what} into a layer: removing it later does not take it out of "
        f"the image, the build cache or stages built from this one. {instead}."
    )


# ---------------------------------------------------------------------------------
# GB135

_SSH_INSTEADOF_RE = re.compile(
    r"\burl\.(?P<q>[\"']?)(?P<url>ssh://[^\s\"']+?|[\w.-]+@[\w.-]+:[^\s\"']*?)"
    r"(?P=q)\.(?:push)?insteadof\b",
    re.IGNORECASE,
)


def _may_have_ssh_insteadof(text: str) -> bool:
    """Whether ``_SSH_INSTEADOF_RE`` may match: a cheap test that saves most regex scans."""
    if not text.isascii():
        return True  # IGNORECASE also matches a few non-ASCII letters (the Kelvin sign)
    low = text.lower()
    return "url." in low and "insteadof" in low


# ssh-keyscan with its arguments and its output redirection (``>> ~/.ssh/known_hosts``).
_KEYSCAN_RE = re.compile(
    r"\bssh-keyscan\b(?P<args>(?:[^;&|\n>]|\\\n)*)(?P<redirect>(?:[^;&|\n]|\\\n)*)"
)
_KNOWN_HOSTS_RE = re.compile(
    r"known_hosts|StrictHostKeyChecking[\"']?(?:\s*=\s*|\s+)[\"']?(?:no|off|accept-new|false)\b",
    re.IGNORECASE,
)


def _ssh_host(url: str) -> tuple[str, str | None]:
    """Host and port (ssh:// URLs only) of an SSH git URL."""
    if url.lower().startswith("ssh://"):
        rest = url[6:].split("/", 1)[0].rsplit("@", 1)[-1]
        if rest.startswith("["):
            host, _, tail = rest[1:].partition("]")
            port = tail[1:] if tail.startswith(":") else None
        else:
            host, _, port_text = rest.partition(":")
            port = port_text or None
        return host.lower(), port if port and port.isdigit() and port != "22" else None
    return url.split("@", 1)[-1].split(":", 1)[0].lower(), None


def _host_key_setup(ins: Instruction) -> tuple[bool, set[str]]:
    """Whether ``ins`` sets up known_hosts as a whole, and which hosts it keyscans."""
    text = instruction_text(ins)
    hosts: set[str] = set()
    for m in _KEYSCAN_RE.finditer(text):
        words = m.group("args").replace("\\\n", " ").split()
        skip = False
        for w in words:
            if skip:
                skip = False
                continue
            if w in ("-t", "-p", "-T", "-f", "-O"):
                skip = True
                continue
            if w.startswith("-"):
                continue
            for h in w.split(","):
                hosts.add(h.strip("\"'").split(":", 1)[0].lower())
    whole = bool(_KNOWN_HOSTS_RE.search(_KEYSCAN_RE.sub(" ", text)))
    if ins.keyword == "RUN":
        for mount in ins.mounts:
            target = (mount.target or "").rstrip("/")
            if target.endswith((".ssh", "known_hosts")) and mount.type in ("secret", "bind"):
                whole = True
    return whole, hosts


@rule(
    code="GB135",
    name="ssh-insteadof-without-known-hosts",
    severity=Severity.ERROR,
    summary="git is sent to SSH but the host key is never trusted",
    category="private-modules",
    fix=Applicability.DISPLAY_ONLY,
)
def ssh_insteadof_without_known_hosts(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags a `git config url."git@host:".insteadOf` (or `ssh://...`) rewrite when nothing
    in the stage, up to the step that downloads modules, adds the host to `known_hosts`:
    no `ssh-keyscan <host>`, no `known_hosts` file copied or mounted, no `~/.ssh` mount.

    Disabling the check with `StrictHostKeyChecking=no` also avoids the failure, but
    GB124 reports that as a warning: it lets any server answer for your git host.

    ## Why is this bad?
    ssh refuses unknown hosts and cannot ask for confirmation in a build, so the download
    fails with `Host key verification failed.` and go reports
    `fatal: Could not read from remote repository`.

    ## Example
    ```dockerfile
    RUN --mount=type=ssh \\
        git config --global url."git@github.com:".insteadOf "https://github.com/" \\
     && go mod download
    ```

    Use instead:
    ```dockerfile
    RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts
    RUN --mount=type=ssh \\
        git config --global url."git@github.com:".insteadOf "https://github.com/" \\
     && go mod download
    ```

    ## Fix safety
    The `ssh-keyscan` line is shown, not applied: it trusts whatever key the host
    presents at build time, so compare the fingerprints with the ones your git host
    publishes (or copy a reviewed `known_hosts` file instead).

    ## References
    - https://docs.docker.com/build/building/secrets/#ssh-mounts
    - https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/githubs-ssh-key-fingerprints
    """
    doc = ctx.doc
    for ins in doc.instructions:
        if ins.keyword != "RUN":
            continue
        for script in ins.scripts():
            if not _may_have_ssh_insteadof(script.text):
                continue
            for m in _SSH_INSTEADOF_RE.finditer(script.text):
                if _reads_or_removes(script.text, m.start()):
                    continue
                url = m.group("url")
                host, port = _ssh_host(url)
                if not host:
                    continue
                scope = _until_fetch(doc, ins)
                whole = False
                hosts: set[str] = set()
                for other in scope:
                    w, h = _host_key_setup(other)
                    whole = whole or w
                    hosts |= h
                if whole or host in hosts:
                    continue
                scanned = f" (ssh-keyscan covers {', '.join(sorted(hosts))} only)" if hosts else ""
                scan = f"-p {port} {host}" if port else host
                line = f"RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan {scan} >> ~/.ssh/known_hosts"
                yield Finding(
                    span=script.span(m.start("url"), m.end("url")),
                    message=(
                        f"git is told to fetch '{shorten(url, 60)}' over SSH, but {host} is "
                        f"never added to known_hosts{scanned}: ssh cannot ask to accept the "
                        "key during a build, so the download fails with 'Host key verification "
                        f"failed.'. Add `{line}` before this step (check the fingerprints), "
                        "or COPY a known_hosts file; do not turn StrictHostKeyChecking off."
                    ),
                    fix=Fix(
                        f"Trust {host}'s host key before this step (verify the fingerprints)",
                        (insert_before(doc, ins, [line]),),
                        Applicability.DISPLAY_ONLY,
                    ),
                )


def _until_fetch(doc: Dockerfile, ins: Instruction) -> list[Instruction]:
    """The stage chain up to the first module download at or after ``ins``."""
    before = instructions_before(doc, ins)
    rest: list[Instruction] = [ins]
    if any(c.fetches_modules for c in _go(ins)):
        return [*before, *rest]
    own = doc.stage_of(ins)
    if own is not None:
        seen = False
        for other in own.instructions:
            if other is ins:
                seen = True
                continue
            if not seen:
                continue
            rest.append(other)
            if any(c.fetches_modules for c in _go(other)):
                break
    return [*before, *rest]


def _go(ins: Instruction) -> list[GoCommand]:
    return list(go_commands(ins))


# ---------------------------------------------------------------------------------
# GB136

_APK_ADD_RE = re.compile(r"\bapk\b(?P<args>(?:[^;&|\n]|\\\n)*?)\badd\b(?P<pkgs>(?:[^;&|\n]|\\\n)*)")
_OTHER_GIT_RE = re.compile(
    r"\b(?:apt-get|apt|yum|dnf|microdnf|zypper)\b(?:[^;&|\n]|\\\n)*?\binstall\b"
    r"(?P<pkgs>(?:[^;&|\n]|\\\n)*)"
)
_SSH_USE_RE = re.compile(
    r"url\.[\"']?(?:ssh://|[\w.-]+@[\w.-]+:)|GIT_SSH|ssh-keyscan|--mount=type=ssh\b",
    re.IGNORECASE,
)


_GIT_PACKAGE_RE = re.compile(r"[\"']?git(?:[=~<>].*)?[\"']?")


def _installs_git(text: str) -> int | None:
    """Offset where ``text`` installs git with a package manager, or None."""
    if "git" not in text:
        return None  # no package word can be git: skip the slow regex scans
    for regex, word in ((_APK_ADD_RE, "apk"), (_OTHER_GIT_RE, "install")):
        if word not in text:
            continue  # a literal the pattern needs (case-sensitive): skip the slow scan
        for m in regex.finditer(text):
            words = m.group("pkgs").replace("\\\n", " ").split()
            if any(_GIT_PACKAGE_RE.fullmatch(w) for w in words):
                return m.start()
    return None


def _direct_fetch(env: dict[str, GoSetting], cmd: GoCommand, project: ProjectContext) -> str | None:
    """Why ``cmd`` fetches modules straight from version control, or None."""
    goflags = env.get("GOFLAGS")
    if cmd.uses_vendor or (goflags is not None and "-mod=vendor" in (goflags.value or "")):
        return None
    goproxy = env.get("GOPROXY")
    if goproxy is not None and goproxy.value is not None:
        ways = [e for e, _s in split_goproxy(goproxy.value) if e and e != "off"]
        if not ways:
            return None  # GOPROXY=off: no downloads at all
        if all(e == "direct" for e in ways):
            if project.go_mod is not None and not project.go_mod.requires:
                return None
            return f"GOPROXY={goproxy.value}"
    nop = env.get("GONOPROXY")
    priv = env.get("GOPRIVATE")
    setting: GoSetting | None = None
    if nop is not None and nop.origin != "default" and nop.value != "":
        if (nop.value or "").strip() == "none":
            return None
        setting = nop
    elif priv is not None and priv.origin != "default" and priv.value != "":
        setting = priv
    if setting is None:
        return None
    if setting.value is None:
        return f"{setting.name} (a build argument)"
    patterns = glob_patterns(setting.value)
    if not patterns:
        return None
    if project.go_mod is not None:
        paths = list(project.go_mod.requires) + cmd.args.split()
        if not any(matches_module_glob(patterns, p.split("@", 1)[0]) for p in paths):
            return None
    return f"{setting.name}={setting.value}"


@rule(
    code="GB136",
    name="alpine-direct-fetch-without-git",
    severity=Severity.ERROR,
    summary="modules are fetched with git on an alpine image that has no git",
    category="private-modules",
    fix=Applicability.UNSAFE,
)
def alpine_direct_fetch_without_git(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    On a stage built on an alpine image (`golang:*-alpine`, `alpine`), flags the first Go
    step that downloads modules straight from version control when no earlier step (of
    the stage or the stages it is built `FROM`) installs git. A direct fetch happens for
    paths in `GOPRIVATE`/`GONOPROXY` (when go.mod is known: only if it requires such a
    path) and for everything when `GOPROXY=direct`.

    ## Why is this bad?
    The alpine images ship without git on purpose, so the fetch fails with
    `exec: "git": executable file not found in $PATH`.

    ## Example
    ```dockerfile
    FROM golang:1.24-alpine
    ENV GOPRIVATE=github.com/acme/*
    RUN go mod download
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.24-alpine
    ENV GOPRIVATE=github.com/acme/*
    RUN apk add --no-cache git
    RUN go mod download
    ```
    (add `openssh-client` when git uses SSH).

    ## Fix safety
    The fix inserts `RUN apk add --no-cache git` (with `openssh-client` when the stage
    uses SSH) before the step. It is unsafe: the image gets larger, and the packages come
    from the alpine mirrors, which the build network must reach.

    ## References
    - https://github.com/docker-library/golang/issues/238
    - https://go.dev/ref/mod#vcs
    """
    doc = ctx.doc
    cache: EnvCache | None = None  # built on the first alpine stage only (most have none)
    git_by_stage: dict[int, bool] = {}
    for stage in doc.stages:
        has_git = git_by_stage.get(stage.parent.index, False) if stage.parent else False
        image = stage_image(stage)
        pending = image.is_alpine
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            if pending and not has_git:
                if cache is None:
                    cache = EnvCache(doc, _gb136_var)
                finding = _git_finding(ctx, cache, ins, image.raw)
                if finding is not None:
                    pending = False
                    yield finding
            if not has_git and _installs_git(instruction_text(ins)) is not None:
                has_git = True
        git_by_stage[stage.index] = has_git


def _gb136_var(name: str) -> bool:
    return name in ("GOPROXY", "GOPRIVATE", "GONOPROXY", "GOFLAGS")


def _git_finding(ctx: LintContext, cache: EnvCache, ins: Instruction, image: str) -> Finding | None:
    """The GB136 finding for the first direct fetch in ``ins``, if any."""
    doc = ctx.doc
    for cmd in go_commands(ins):
        if not cmd.fetches_modules:
            continue
        pos = _installs_git(cmd.script.text)
        if pos is not None and pos < cmd.start:
            return None  # installed earlier in the same RUN
        why = _direct_fetch(cache.get(cmd), cmd, ctx.project)
        if why is None:
            continue
        chain_text = "\n".join(instruction_text(o) for o in [*instructions_before(doc, ins), ins])
        packages = "git openssh-client" if _SSH_USE_RE.search(chain_text) else "git"
        line = f"RUN apk add --no-cache {packages}"
        return Finding(
            span=cmd.span,
            message=(
                f"This `go {cmd.subcommand}` fetches modules directly with git ({why}), but "
                f'the alpine image {image} has no git: it fails with \'exec: "git": '
                f"executable file not found in $PATH'. Install it first: `{line}`."
            ),
            fix=Fix(
                f"Insert `{line}` before this step",
                (insert_before(doc, ins, [line]),),
                Applicability.UNSAFE,
            ),
        )
    return None


# ---------------------------------------------------------------------------------
# GB137


def _required(mount: Mount) -> bool | None:
    value = mount.get("required")
    if value is None:
        return None
    return value.strip().lower() in ("", "true", "1", "t", "yes")


@rule(
    code="GB137",
    name="secret-mount-not-required",
    severity=Severity.INFO,
    summary="a secret mount on a module download is optional",
    category="private-modules",
    fix=Applicability.SAFE,
)
def secret_mount_not_required(ctx: LintContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags `RUN --mount=type=secret,...` without `required=true` on a step that downloads
    modules. An explicit `required=false` is left alone.

    ## Why is this bad?
    When `docker build` is run without `--secret id=...`, BuildKit runs the step without
    the secret instead of stopping. go then fails much later and far from the cause:
    `410 Gone`, `404 Not Found` from the checksum database, or `terminal prompts
    disabled` from git.

    ## Example
    ```dockerfile
    RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download
    ```

    Use instead:
    ```dockerfile
    RUN --mount=type=secret,id=netrc,target=/root/.netrc,required=true go mod download
    ```

    ## Fix safety
    The fix appends `,required=true`. It is safe: builds that pass the secret behave the
    same, and builds that forget it stop at once with a message naming the secret.

    ## References
    - https://docs.docker.com/reference/dockerfile/#run---mounttypesecret
    """
    for ins in ctx.doc.instructions:
        if ins.keyword != "RUN" or not ins.mounts:
            continue
        fetches = [c for c in _go(ins) if c.fetches_modules]
        if not fetches:
            continue
        for mount in ins.mounts:
            if mount.type != "secret" or _required(mount) is not None:
                continue
            flag = mount.flag
            raw = flag.raw
            end = flag.span.end
            if raw.endswith(('"', "'")) and len(raw) > 1:
                end -= 1
            ident = mount.get("id") or mount.target or "the secret"
            yield Finding(
                span=flag.span,
                message=(
                    f"The secret mount '{shorten(ident, 40)}' is optional: if `docker build` "
                    f"is run without `--secret id={shorten(ident, 40)}`, `go "
                    f"{fetches[0].subcommand}` runs without it and fails later with a "
                    "confusing 401/404/410 or 'terminal prompts disabled'. Add "
                    "required=true so the build stops at once."
                ),
                fix=Fix(
                    "Add required=true to the mount",
                    (Edit(end, end, ",required=true"),),
                    Applicability.SAFE,
                ),
            )


RULES: tuple[Rule, ...] = (
    gosumdb_off,
    gonoproxy_without_gonosumdb,
    credential_in_build_arg,
    credential_in_git_insteadof,
    private_key_copied,
    ssh_insteadof_without_known_hosts,
    alpine_direct_fetch_without_git,
    secret_mount_not_required,
)
