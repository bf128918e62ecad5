"""Tests for the checksum and private-module rules (GB130–GB137)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gobuildgui.core.dockerfile.rule import Finding
from gobuildgui.core.dockerfile.rules import private, proxies
from gobuildgui.core.dockerfile.rules.private import (
    RULES,
    alpine_direct_fetch_without_git,
    credential_in_build_arg,
    credential_in_git_insteadof,
    gonoproxy_without_gonosumdb,
    gosumdb_off,
    is_secret_name,
    private_key_copied,
    secret_mount_not_required,
    ssh_insteadof_without_known_hosts,
)
from gobuildgui.core.model import Applicability

# The shapes of the ``run_rule`` and ``fix_rule`` fixtures (conftest.py).
RunRule = Callable[..., list[Finding]]
FixRule = Callable[..., tuple[str, list[Finding]]]

FROM = "FROM golang:1.24\n"
ALPINE = "FROM golang:1.24-alpine\n"
SECRET = "Sup3rS3cretPw"
GH_TOKEN = "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def lines_cols(findings: list[Finding]) -> list[tuple[int, int]]:
    return [(f.span.line, f.span.column) for f in findings]


def test_module_exports_its_rules() -> None:
    assert [r.code for r in RULES] == [
        "GB130",
        "GB131",
        "GB132",
        "GB133",
        "GB134",
        "GB135",
        "GB136",
        "GB137",
    ]
    for r in RULES:
        for heading in ("## What it does", "## Why is this bad?", "## Example"):
            assert heading in r.doc, (r.code, heading)


# ---------------------------------------------------------------------------------
# GB130 gosumdb-off


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ENV GOSUMDB=off\n", [(2, 13)]),
        (FROM + 'ENV GOSUMDB="off"\n', [(2, 14)]),
        (FROM + "ENV GOSUMDB off\n", [(2, 13)]),
        (FROM + "ARG GOSUMDB=off\n", [(2, 13)]),
        (FROM + "RUN go env -w GOSUMDB=off\n", [(2, 23)]),
        (FROM + "RUN GOSUMDB=off go mod download\n", [(2, 13)]),
        # not: the default or a custom database, a bare ARG, another variable
        (FROM + "ENV GOSUMDB=sum.golang.org\n", []),
        (FROM + "ENV GOSUMDB=offline.example\n", []),
        (FROM + "ARG GOSUMDB\n", []),
        (FROM + "ENV GONOSUMDB=off\n", []),
    ],
)
def test_gb130_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(gosumdb_off, text)) == expected


def test_gb130_fix_restores_the_default_when_private_paths_are_exempt(fix_rule: FixRule) -> None:
    text = FROM + "ENV GOPRIVATE=github.com/acme/*\nENV GOSUMDB=off\n"
    result, after = fix_rule(gosumdb_off, text)
    assert result == FROM + "ENV GOPRIVATE=github.com/acme/*\nENV GOSUMDB=sum.golang.org\n"
    assert after == []


def test_gb130_fix_is_unsafe_with_exemptions_and_display_only_without(run_rule: RunRule) -> None:
    (with_exempt,) = run_rule(gosumdb_off, FROM + "ENV GONOSUMDB=git.corp GOSUMDB=off\n")
    assert with_exempt.fix is not None
    assert with_exempt.fix.applicability is Applicability.UNSAFE
    assert "GONOSUMDB=git.corp already exempts" in (with_exempt.message or "")
    (without,) = run_rule(gosumdb_off, FROM + "ENV GOSUMDB=off\n")
    assert without.fix is not None
    assert without.fix.applicability is Applicability.DISPLAY_ONLY


@pytest.mark.parametrize(
    ("files", "text", "fixed"),
    [
        (
            {"go.mod": "module github.com/acme/app\n\ngo 1.24\n"},
            FROM + "ENV GOSUMDB=off\n",
            FROM + "ENV GONOSUMDB=github.com/acme/*\n",
        ),
        (
            {"go.mod": "module go.acme.dev/app\n"},
            FROM + "RUN go env -w GOSUMDB=off\n",
            FROM + "RUN go env -w GONOSUMDB=go.acme.dev\n",
        ),
        (None, FROM + "ENV GOSUMDB off\n", FROM + "ENV GONOSUMDB=example.com/yourorg/*\n"),
    ],
)
def test_gb130_display_fix_guesses_the_pattern_from_go_mod(
    fix_rule: FixRule, files: dict[str, str] | None, text: str, fixed: str
) -> None:
    result, after = fix_rule(gosumdb_off, text, files=files)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB131 gonoproxy-without-gonosumdb


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "ENV GONOPROXY=github.com/acme/*\n", [(2, 15)]),
        (FROM + "ENV GONOPROXY=github.com/acme/*,git.corp/x GOPRIVATE=github.com/acme\n",
         [(2, 33)]),
        # GONOSUMDB replaces GOPRIVATE for checksum decisions
        (FROM + "ENV GOPRIVATE=github.com/acme/* GONOSUMDB=git.corp\n"
         "ENV GONOPROXY=github.com/acme/*\n", [(3, 15)]),
        (FROM + "RUN go env -w GONOPROXY=git.corp/team\n", [(2, 25)]),
        # a GOPRIVATE in an unrelated stage does not help
        ("FROM golang:1.24 AS a\nENV GONOPROXY=git.corp\nFROM golang:1.24 AS b\n"
         "ENV GOPRIVATE=git.corp\n", [(2, 15)]),
        # not: covered, none, no checksum database, unknown values
        (FROM + "ENV GONOPROXY=github.com/acme/* GOPRIVATE=github.com/acme/*\n", []),
        (FROM + "ENV GONOPROXY=git.corp/team/* GONOSUMDB=git.corp\n", []),
        (FROM + "ENV GONOPROXY=git.corp.example/x GONOSUMDB=*.corp.example\n", []),
        ("FROM golang:1.24 AS a\nENV GOPRIVATE=git.corp\nFROM a\nENV GONOPROXY=git.corp\n", []),
        (FROM + "ENV GONOPROXY=none\n", []),
        (FROM + "ENV GONOPROXY=\n", []),
        (FROM + "ENV GONOPROXY=git.corp GOSUMDB=off\n", []),
        (FROM + "ARG GONOSUMDB\nENV GONOPROXY=git.corp\n", []),
        (FROM + "ARG P\nENV GONOPROXY=$P\n", []),
    ],
)  # fmt: skip
def test_gb131_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(gonoproxy_without_gonosumdb, text)) == expected


def test_gb131_message(run_rule: RunRule) -> None:
    (f,) = run_rule(gonoproxy_without_gonosumdb, FROM + "ENV GONOPROXY=github.com/acme/*\n")
    assert f.message is not None
    assert "GONOPROXY github.com/acme/*" in f.message
    assert "neither GONOSUMDB nor GOPRIVATE is set" in f.message
    assert "404 Not Found" in f.message


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (FROM + "ENV GONOPROXY=github.com/acme/*\n", FROM + "ENV GOPRIVATE=github.com/acme/*\n"),
        (FROM + "RUN go env -w GONOPROXY=git.corp\n", FROM + "RUN go env -w GOPRIVATE=git.corp\n"),
        (
            FROM + "ENV GONOSUMDB=git.corp\nENV GONOPROXY=git.corp,github.com/acme/*\n",
            FROM + "ENV GONOSUMDB=git.corp,github.com/acme/*\n"
            "ENV GONOPROXY=git.corp,github.com/acme/*\n",
        ),
        (
            FROM + 'ENV GOPRIVATE="git.corp" GONOPROXY=github.com/acme\n',
            FROM + 'ENV GOPRIVATE="git.corp",github.com/acme GONOPROXY=github.com/acme\n',
        ),
    ],
)
def test_gb131_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(gonoproxy_without_gonosumdb, text)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB132 credential-in-build-arg

NETRC_RUN = 'RUN echo "machine github.com login x password $GITHUB_TOKEN" > /root/.netrc\n'


@pytest.mark.parametrize(
    "name",
    ["GITHUB_TOKEN", "GH_TOKEN", "CI_JOB_TOKEN", "NPM_AUTH", "DB_PASSWORD", "API_KEY", "GH_PAT"],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    ["GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOAUTH", "NETRC", "SSH_AUTH_SOCK", "PUBLIC_KEY",
     "GO_VERSION", "TOKENIZER", "HTTP_PROXY", "PATH"],
)  # fmt: skip
def test_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the catalogue's example: the ARG declaration is underlined
        (FROM + "ARG GITHUB_TOKEN\n" + NETRC_RUN, [(2, 5)]),
        (FROM + f"ENV GITHUB_TOKEN={GH_TOKEN}\n" + NETRC_RUN, [(2, 5)]),
        # data flow, whatever the name
        (FROM + "ARG MY_PAT_VALUE\nRUN printf 'machine git.corp password %s' "
         "x > ~/.netrc && echo password $MY_PAT_VALUE >> ~/.netrc\n", [(2, 5)]),
        (FROM + "ARG TOK\nRUN git config --global "
         'url."https://oauth2:${TOK}@gitlab.com/".insteadOf "https://gitlab.com/"\n', [(2, 5)]),
        (FROM + "ARG TOK\nENV GOPROXY=https://jdoe:${TOK}@athens.corp\n", [(2, 5)]),
        (FROM + "ARG PW\nRUN GOPROXY=https://jdoe:$PW@athens.corp go mod download\n", [(2, 5)]),
        (FROM + "ARG CI_JOB_TOKEN\nRUN git config --global http.extraheader "
         '"JOB-TOKEN: $CI_JOB_TOKEN"\n', [(2, 5)]),
        (FROM + "ARG SSH_PRIVATE_KEY\nRUN echo \"$SSH_PRIVATE_KEY\" > /root/.ssh/id_rsa "
         "&& go mod download\n", [(2, 5)]),
        # written out in the Dockerfile
        (FROM + f"ENV GOPROXY=https://jdoe:{SECRET}@athens.corp,direct\n", [(2, 26)]),
        (FROM + f"RUN echo 'machine git.corp login jdoe password {SECRET}' > ~/.netrc\n",
         [(2, 48)]),
        (FROM + f"RUN echo 'machine github.com login {GH_TOKEN} password x-oauth-basic' "
         "> ~/.netrc\n", [(2, 36)]),
        (FROM + "RUN git config --global http.extraheader "
         f'"Authorization: Bearer {SECRET}"\n', [(2, 65)]),
        # not: module paths, secrets from secret mounts, unrelated tokens, user names
        (FROM + "ENV GOPRIVATE=github.com/acme/* GONOPROXY=github.com/acme/* "
         "GONOSUMDB=github.com/acme/*\nARG GOAUTH=netrc\n"
         "RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download\n", []),
        (FROM + "ARG GITHUB_TOKEN\nRUN --mount=type=secret,id=gh,env=GITHUB_TOKEN "
         + NETRC_RUN[4:], []),
        (FROM + "ARG NPM_TOKEN\nRUN npm config set //registry.npmjs.org/:_authToken=$NPM_TOKEN\n",
         []),
        (FROM + "ARG GO_VERSION\nRUN git config --global user.name ci && echo $GO_VERSION\n", []),
        (FROM + "RUN export TOKEN=$(cat /run/secrets/gh) && echo password $TOKEN > ~/.netrc\n",
         []),
        (FROM + "RUN echo 'machine github.com login x password %s' > ~/.netrc\n", []),
        (FROM + "ARG GITHUB_TOKEN\nRUN GITHUB_TOKEN=$(cat /run/secrets/gh) && echo password "
         "$GITHUB_TOKEN > ~/.netrc\n", []),
        (FROM + "ARG GITHUB_TOKEN\nRUN go build ./...\n", []),
    ],
)  # fmt: skip
def test_gb132_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(credential_in_build_arg, text)) == expected


def test_gb132_hadolint_dl3064_false_positive_is_not_ours(run_rule: RunRule) -> None:
    """hadolint's DL3064 flags ``ENV GOPRIVATE=...`` (the word "private"); we must not."""
    assert run_rule(credential_in_build_arg, FROM + "ENV GOPRIVATE=github.com/acme/*\n") == []
    assert run_rule(credential_in_build_arg, FROM + "ARG GOPRIVATE=github.com/acme/*\n") == []


def test_gb132_only_the_token_not_the_user_name(run_rule: RunRule) -> None:
    text = (
        FROM + "ARG GIT_USER\nARG GIT_TOKEN\nRUN git config --global "
        'url."https://${GIT_USER}:${GIT_TOKEN}@git.corp/".insteadOf "https://git.corp/"\n'
    )
    assert lines_cols(run_rule(credential_in_build_arg, text)) == [(3, 5)]


def test_gb132_message(run_rule: RunRule) -> None:
    text = FROM + f"ARG GITHUB_TOKEN={GH_TOKEN}\n" + NETRC_RUN
    (f,) = run_rule(credential_in_build_arg, text)
    assert f.message is not None
    assert "Build argument GITHUB_TOKEN is used for module authentication (line 3" in f.message
    assert "--mount=type=secret,id=netrc,target=/root/.netrc go mod download" in f.message
    assert "env=GITHUB_TOKEN" in f.message
    assert GH_TOKEN not in f.message


# ---------------------------------------------------------------------------------
# GB133 credential-in-git-insteadof

GOOD_133 = (
    FROM + "RUN --mount=type=secret,id=gh,env=GH_TOKEN \\\n"
    '    git config --global url."https://x:${GH_TOKEN}@github.com/".insteadOf '
    '"https://github.com/" \\\n && go mod download && rm /root/.gitconfig\n'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the catalogue's example: the credential in the URL is underlined
        (FROM + "ARG TOKEN\nRUN git config --global "
         'url."https://${TOKEN}@github.com/".insteadOf "https://github.com/"\n', [(3, 38)]),
        (FROM + "RUN git config --global "
         f'url."https://x:{SECRET}@github.com/".insteadOf "https://github.com/"\n', [(2, 40)]),
        (FROM + "RUN git config --global "
         f'url."https://{GH_TOKEN}@github.com/".insteadOf "https://github.com/"\n', [(2, 38)]),
        # from a secret, but the config stays in the layer
        (GOOD_133.replace(" && rm /root/.gitconfig", ""), [(3, 40)]),
        (FROM + "RUN --mount=type=secret,id=gh,env=T git config --system "
         'url."https://$T@git.corp/".insteadOf "https://git.corp/" && go mod download\n',
         [(2, 70)]),
        # written out on a git -c command line: the history has it
        (FROM + f'RUN git -c url."https://x:{SECRET}@git.corp/".insteadOf=https://git.corp/ '
         "ls-remote https://git.corp/x\n", [(2, 27)]),
        # not: the catalogue's good example, other clean-ups, git -c, no credential, ssh
        (GOOD_133, []),
        (FROM + "RUN --mount=type=secret,id=gh,env=T "
         'git config --global url."https://x:${T}@github.com/".insteadOf "https://github.com/" '
         '&& go mod download && git config --global --unset-all url."https://x:${T}@github.com/"'
         ".insteadOf\n", []),
        (FROM + "ARG TOKEN\nRUN --mount=type=secret,id=gh export TOKEN=$(cat /run/secrets/gh) "
         '&& git config --global url."https://${TOKEN}@github.com/".insteadOf x '
         "&& go mod download && rm -f ~/.gitconfig\n", []),
        (FROM + "RUN --mount=type=secret,id=gh git config --global "
         'url."https://x:$(cat /run/secrets/gh)@github.com/".insteadOf "https://github.com/" '
         "&& go mod download && git config --global --remove-section "
         'url."https://x:$(cat /run/secrets/gh)@github.com/"\n', []),
        (FROM + "RUN --mount=type=secret,id=gh,env=GH_TOKEN git "
         '-c url."https://x:${GH_TOKEN}@github.com/".insteadOf=https://github.com/ '
         "ls-remote https://github.com/acme/x\n", []),
        (FROM + "RUN --mount=type=secret,id=gh,env=T git config --file /tmp/gc "
         'url."https://$T@git.corp/".insteadOf x && go mod download && rm -f /tmp/gc\n', []),
        (FROM + 'RUN git config --global url."https://github.com/".insteadOf git@github.com:\n',
         []),
        (FROM + 'RUN git config --global url."ssh://git@github.com/".insteadOf '
         "https://github.com/\n", []),
    ],
)  # fmt: skip
def test_gb133_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(credential_in_git_insteadof, text)) == expected


def test_gb133_messages(run_rule: RunRule) -> None:
    literal = (
        FROM + "RUN git config --global "
        f'url."https://x:{SECRET}@github.com/".insteadOf "https://github.com/"\n'
    )
    (f,) = run_rule(credential_in_git_insteadof, literal)
    assert "'https://x:****@github.com/'" in (f.message or "")
    assert SECRET not in (f.message or "")
    (g,) = run_rule(credential_in_git_insteadof, GOOD_133.replace(" && rm /root/.gitconfig", ""))
    assert "~/.gitconfig, which stays in this layer" in (g.message or "")


# ---------------------------------------------------------------------------------
# GB134 private-key-copied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "COPY id_ed25519 /root/.ssh/id_ed25519\n", [(2, 6)]),
        (FROM + "COPY --chown=root keys/deploy_key /root/\n", [(2, 19)]),
        (FROM + "ADD github_rsa /root/.ssh/\n", [(2, 5)]),
        (FROM + "COPY .netrc /root/\n", [(2, 6)]),
        (FROM + "COPY netrc /root/.netrc\n", [(2, 12)]),
        (FROM + "COPY .git-credentials /root/\n", [(2, 6)]),
        (FROM + "COPY --from=build /root/.ssh /root/.ssh\n", [(2, 19)]),
        (FROM + "COPY ssh/ /root/.ssh/\n", [(2, 6)]),
        (FROM + 'COPY ["id_rsa", "/root/.ssh/"]\n', [(2, 8)]),
        (FROM + "COPY <<EOF /root/.netrc\nmachine x login y password z\nEOF\n", [(2, 12)]),
        (FROM + "COPY id_* /root/.ssh/\n", [(2, 6)]),
        (FROM + "COPY certs/server-key.pem /etc/app/\n", [(2, 6)]),
        # not: public keys, known_hosts, CA certificates, the whole context, bind mounts
        (FROM + "COPY id_rsa.pub /root/.ssh/\n", []),
        (FROM + "COPY known_hosts /root/.ssh/\n", []),
        (FROM + "COPY ssh_config /root/.ssh/config\n", []),
        (FROM + "COPY corp-ca.pem /usr/local/share/ca-certificates/corp-ca.crt\n", []),
        (FROM + "COPY . .\nCOPY * ./\n", []),
        (FROM + "RUN --mount=type=bind,source=id_rsa,target=/root/.ssh/id_rsa true\n", []),
        (FROM + "COPY keys.go main.go ./\n", []),
    ],
)
def test_gb134_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(private_key_copied, text)) == expected


def test_gb134_messages(run_rule: RunRule) -> None:
    (key,) = run_rule(private_key_copied, FROM + "COPY id_ed25519 /root/.ssh/\n")
    assert "--mount=type=ssh" in (key.message or "")
    (netrc,) = run_rule(private_key_copied, FROM + "COPY .netrc /root/\n")
    assert "--mount=type=secret,id=netrc" in (netrc.message or "")


# ---------------------------------------------------------------------------------
# GB135 ssh-insteadof-without-known-hosts

SSH_RUN = (
    'RUN --mount=type=ssh git config --global url."git@github.com:".insteadOf '
    '"https://github.com/" && go mod download\n'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + SSH_RUN, [(2, 47)]),
        (FROM + "RUN ssh-keyscan gitlab.com >> ~/.ssh/known_hosts\n" + SSH_RUN, [(3, 47)]),
        (FROM + 'RUN git config --global url."ssh://git@git.corp:2222/".insteadOf '
         '"https://git.corp/"\nRUN --mount=type=ssh go mod download\n', [(2, 30)]),
        # not: host key set up (keyscan, copy, mount, disabled -> GB124), https rewrite
        (FROM + "RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts\n"
         + SSH_RUN, []),
        (FROM + "RUN ssh-keyscan -t ed25519 gitlab.com,github.com >> ~/.ssh/known_hosts\n"
         + SSH_RUN, []),
        (FROM + "COPY known_hosts /root/.ssh/known_hosts\n" + SSH_RUN, []),
        (FROM + SSH_RUN.replace("--mount=type=ssh", "--mount=type=ssh "
         "--mount=type=secret,id=kh,target=/root/.ssh/known_hosts"), []),
        (FROM + 'ENV GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=no"\n' + SSH_RUN, []),
        (FROM + 'RUN git config --global url."https://github.com/".insteadOf git@github.com:\n',
         []),
        (FROM + 'RUN git config --global --unset url."git@github.com:".insteadOf\n', []),
    ],
)  # fmt: skip
def test_gb135_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(ssh_insteadof_without_known_hosts, text)) == expected


def test_gb135_message_and_display_fix(fix_rule: FixRule, run_rule: RunRule) -> None:
    (f,) = run_rule(ssh_insteadof_without_known_hosts, FROM + SSH_RUN)
    assert "Host key verification failed." in (f.message or "")
    assert f.fix is not None
    assert f.fix.applicability is Applicability.DISPLAY_ONLY
    result, after = fix_rule(ssh_insteadof_without_known_hosts, FROM + SSH_RUN)
    assert result == (
        FROM
        + "RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts\n"
        + SSH_RUN
    )
    assert after == []


def test_gb135_port_is_scanned(fix_rule: FixRule) -> None:
    text = (
        FROM + "RUN git config --global url.ssh://git@git.corp:2222/.insteadOf "
        "https://git.corp/ && go mod download\n"
    )
    result, after = fix_rule(ssh_insteadof_without_known_hosts, text)
    assert "ssh-keyscan -p 2222 git.corp >> ~/.ssh/known_hosts\n" in result
    assert after == []


# ---------------------------------------------------------------------------------
# GB136 alpine-direct-fetch-without-git

PRIVATE = "ENV GOPRIVATE=github.com/acme/*\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ALPINE + PRIVATE + "RUN go mod download\n", [(3, 5)]),
        (ALPINE + "ENV GOPROXY=direct\nRUN go build -o /app .\n", [(3, 5)]),
        (ALPINE + "ARG GOPRIVATE\nRUN go mod download\n", [(3, 5)]),
        (ALPINE[:-1] + " AS base\n" + PRIVATE + "FROM base\nRUN go mod download\n", [(4, 5)]),
        (ALPINE + PRIVATE + "RUN go mod download && apk add git\n", [(3, 5)]),
        # not: git installed, a Debian image, no direct fetch, vendored
        (ALPINE + PRIVATE + "RUN apk add --no-cache git\nRUN go mod download\n", []),
        (ALPINE + PRIVATE + "RUN apk --update add ca-certificates git=2.45.2-r0\n"
         "RUN go mod download\n", []),
        (ALPINE + PRIVATE + "RUN apk add --no-cache git && go mod download\n", []),
        (ALPINE[:-1] + " AS base\nRUN apk add git\nFROM base\n" + PRIVATE
         + "RUN go mod download\n", []),
        (FROM + PRIVATE + "RUN go mod download\n", []),
        (ALPINE + "RUN go mod download\n", []),
        (ALPINE + "ENV GOPROXY=https://proxy.golang.org,direct\nRUN go mod download\n", []),
        (ALPINE + "ENV GOPROXY=off\nRUN go build ./...\n", []),
        (ALPINE + PRIVATE + "ENV GONOPROXY=none\nRUN go mod download\n", []),
        (ALPINE + PRIVATE + "RUN go build -mod=vendor ./...\n", []),
        (ALPINE + PRIVATE + "RUN apk add github-cli && go mod download\n", [(3, 27)]),
    ],
)  # fmt: skip
def test_gb136_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(alpine_direct_fetch_without_git, text)) == expected


@pytest.mark.parametrize(
    ("requires", "expected"),
    [
        ("require github.com/acme/lib v1.0.0\n", [(3, 5)]),
        ("require (\n\tgithub.com/other/lib v1.0.0\n)\n", []),
    ],
)
def test_gb136_uses_go_mod_requirements(
    run_rule: RunRule, requires: str, expected: list[tuple[int, int]]
) -> None:
    files = {"go.mod": "module github.com/acme/app\n\ngo 1.24\n\n" + requires}
    text = ALPINE + PRIVATE + "RUN go mod download\n"
    assert lines_cols(run_rule(alpine_direct_fetch_without_git, text, files)) == expected


def test_gb136_message(run_rule: RunRule) -> None:
    (f,) = run_rule(alpine_direct_fetch_without_git, ALPINE + PRIVATE + "RUN go mod download\n")
    assert f.message is not None
    assert "GOPRIVATE=github.com/acme/*" in f.message
    assert 'exec: "git": executable file not found in $PATH' in f.message


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            ALPINE + PRIVATE + "RUN go mod download\n",
            ALPINE + PRIVATE + "RUN apk add --no-cache git\nRUN go mod download\n",
        ),
        (
            ALPINE + PRIVATE + 'RUN git config --global url."git@github.com:".insteadOf '
            '"https://github.com/"\nRUN --mount=type=ssh go mod download\n',
            ALPINE + PRIVATE + 'RUN git config --global url."git@github.com:".insteadOf '
            '"https://github.com/"\nRUN apk add --no-cache git openssh-client\n'
            "RUN --mount=type=ssh go mod download\n",
        ),
        (
            "FROM golang:1.24-alpine\r\nENV GOPROXY=direct\r\n  RUN go build .\r\n",
            "FROM golang:1.24-alpine\r\nENV GOPROXY=direct\r\n  RUN apk add --no-cache git\r\n"
            "  RUN go build .\r\n",
        ),
    ],
)
def test_gb136_fix(fix_rule: FixRule, text: str, fixed: str) -> None:
    result, after = fix_rule(alpine_direct_fetch_without_git, text)
    assert result == fixed
    assert after == []


# ---------------------------------------------------------------------------------
# GB137 secret-mount-not-required


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FROM + "RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download\n",
         [(2, 5)]),
        (FROM + "RUN --mount=type=cache,target=/go/pkg/mod \\\n"
         "    --mount=type=secret,id=gh,env=GH_TOKEN go build ./...\n", [(3, 5)]),
        # not: required, explicitly optional, no download, other mount types
        (FROM + "RUN --mount=type=secret,id=netrc,target=/root/.netrc,required=true "
         "go mod download\n", []),
        (FROM + "RUN --mount=type=secret,id=netrc,required go mod download\n", []),
        (FROM + "RUN --mount=type=secret,id=netrc,required=false go mod download\n", []),
        (FROM + "RUN --mount=type=secret,id=netrc cat /run/secrets/netrc\n", []),
        (FROM + "RUN --mount=type=ssh go mod download\n", []),
    ],
)  # fmt: skip
def test_gb137_findings(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(secret_mount_not_required, text)) == expected


def test_gb137_fix(fix_rule: FixRule) -> None:
    text = FROM + "RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download\n"
    result, after = fix_rule(secret_mount_not_required, text)
    assert result == (
        FROM + "RUN --mount=type=secret,id=netrc,target=/root/.netrc,required=true "
        "go mod download\n"
    )
    assert after == []


def test_gb137_fix_is_safe(run_rule: RunRule) -> None:
    (f,) = run_rule(secret_mount_not_required, FROM + "RUN --mount=type=secret,id=x go build\n")
    assert f.fix is not None
    assert f.fix.applicability is Applicability.SAFE
    assert "--secret id=x" in (f.message or "")


# ---------------------------------------------------------------------------------
# Credentials never appear in what the rules show

SEEDED = f"""FROM golang:1.24-alpine AS build
ARG HTTP_PROXY=http://jdoe:{SECRET}@proxy.corp:3128
ENV HTTPS_PROXY=http://jdoe:{SECRET}@proxy.corp:3128 NO_PROXY=localhost
ARG P=https://jdoe:{SECRET}@proxy.corp:3128
ENV ALL_PROXY=$P
ENV GOPROXY=https://jdoe:{SECRET}@athens.corp.example,direct
ENV GONOPROXY=git.corp.example GOINSECURE=*
ARG GITHUB_TOKEN={GH_TOKEN}
RUN echo "machine git.corp.example login jdoe password {SECRET}" > /root/.netrc
RUN echo "machine github.com login {GH_TOKEN} password x-oauth-basic" >> /root/.netrc
RUN git config --global url."https://x:{SECRET}@github.com/".insteadOf "https://github.com/"
RUN git config --global url."https://{GH_TOKEN}@github.com/".insteadOf "https://github.com/"
RUN git config --global http.extraheader "Authorization: Bearer {SECRET}"
RUN git config --global url."git@github.com:".insteadOf "https://github.com/"
COPY id_ed25519 /root/.ssh/
RUN --mount=type=secret,id=netrc GOPROXY=https://jdoe:{SECRET}@athens.corp go mod download
FROM golang:1.24 AS other
ENV GOSUMDB=off
"""


def test_no_rule_shows_a_credential(run_rule: RunRule) -> None:
    fired: set[str] = set()
    for r in (*proxies.RULES, *private.RULES):
        for f in run_rule(r, SEEDED):
            fired.add(r.code)
            shown = [f.message or "", *f.notes]
            if f.fix is not None:
                shown.append(f.fix.title)
                if f.fix.applicability is Applicability.DISPLAY_ONLY:
                    shown.extend(e.replacement for e in f.fix.edits)
            for text in shown:
                assert SECRET not in text, (r.code, text)
                assert GH_TOKEN not in text, (r.code, text)
    # the seed must exercise the rules that quote values
    assert {"GB120", "GB121", "GB126", "GB130", "GB131", "GB132", "GB133", "GB135"} <= fired


# ---------------------------------------------------------------------------------
# Audit additions: reading or removing a git setting is not adding a credential, and
# the near misses of GB130-GB136.

T_ARG = FROM + "ARG T\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            T_ARG
            + 'RUN git config --global --unset-all url."https://x:${T}@github.com/".insteadOf\n',
            [],
            id="unset-all-alone",
        ),
        pytest.param(
            FROM + "RUN git config --global --unset-all "
            f'url."https://x:{SECRET}@github.com/".insteadOf\n',
            [],
            id="unset-all-written-out",
        ),
        pytest.param(
            T_ARG + 'RUN git config --global --unset url."https://${T}@github.com/".insteadOf\n',
            [],
            id="unset",
        ),
        pytest.param(
            T_ARG + 'RUN git config --unset-all --global url."https://${T}@github.com/".insteadOf '
            '"https://github.com/"\n',
            [],
            id="unset-all-value-pattern",
        ),
        pytest.param(
            FROM
            + f'RUN git config --global --get url."https://x:{SECRET}@github.com/".insteadOf\n',
            [],
            id="get",
        ),
        pytest.param(
            T_ARG + "RUN git config --global --unset-all \\\n"
            '    url."https://x:${T}@github.com/".insteadOf\n',
            [],
            id="unset-all-continued-line",
        ),
        pytest.param(
            T_ARG + "RUN <<EOF\ngit config --global --unset-all \\\n"
            '  url."https://x:${T}@github.com/".insteadOf\nEOF\n',
            [],
            id="unset-all-continued-line-in-heredoc",
        ),
        pytest.param(
            "FROM golang:1.24\r\nARG T\r\nRUN <<EOF\r\ngit config --global --unset-all \\\r\n"
            '  url."https://x:${T}@github.com/".insteadOf\r\nEOF\r\n',
            [],
            id="unset-all-continued-line-in-heredoc-crlf",
        ),
        # still reported: adding, replacing, a set after an unset, an unset in a later layer
        pytest.param(
            FROM + "RUN git config --global --add "
            f'url."https://x:{SECRET}@github.com/".insteadOf "https://github.com/"\n',
            [(2, 46)],
            id="add",
        ),
        pytest.param(
            FROM + "RUN git config --global --replace-all "
            f'url."https://x:{SECRET}@github.com/".insteadOf "https://github.com/"\n',
            [(2, 54)],
            id="replace-all",
        ),
        pytest.param(
            T_ARG + "RUN <<EOF\n"
            'git config --global --unset-all url."https://x:${T}@gitlab.com/".insteadOf\n'
            "git config --global \\\n"
            '  url."https://x:${T}@github.com/".insteadOf "https://github.com/"\nEOF\n',
            [(6, 18)],
            id="set-after-unset-in-heredoc",
        ),
        pytest.param(
            FROM + "RUN --mount=type=secret,id=gh,env=T git config --global "
            'url."https://x:${T}@github.com/".insteadOf "https://github.com/" && go mod download\n'
            'RUN git config --global --unset-all url."https://x:${T}@github.com/".insteadOf\n',
            [(2, 72)],
            id="unset-in-a-later-layer",
        ),
    ],
)
def test_gb133_reading_or_removing_is_not_storing(
    run_rule: RunRule, text: str, expected: list[tuple[int, int]]
) -> None:
    assert lines_cols(run_rule(credential_in_git_insteadof, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            FROM + 'RUN git config --global --unset-all url."git@github.com:".insteadOf\n',
            [],
            id="unset-all-alone",
        ),
        pytest.param(
            FROM + 'RUN git config --global --unset-all url."ssh://git@github.com/".insteadOf\n',
            [],
            id="unset-all-ssh-url",
        ),
        pytest.param(
            FROM + 'RUN git config --global --remove-section url."git@github.com:"\n',
            [],
            id="remove-section",
        ),
        pytest.param(
            FROM + 'RUN git config --global --get-all url."git@github.com:".insteadOf\n',
            [],
            id="get-all",
        ),
        pytest.param(
            FROM + "RUN <<EOF\ngit config --global --unset-all \\\n"
            '  url."git@github.com:".insteadOf\nEOF\n',
            [],
            id="unset-all-continued-line-in-heredoc",
        ),
        pytest.param(
            FROM + "RUN --mount=type=bind,source=ssh,target=/root/.ssh " + SSH_RUN[4:],
            [],
            id="ssh-folder-mounted",
        ),
        # still reported: adding, a set after an unset, a keyscan only after the download
        pytest.param(
            FROM + 'RUN git config --global --add url."git@github.com:".insteadOf '
            '"https://github.com/" && go mod download\n',
            [(2, 36)],
            id="add",
        ),
        pytest.param(
            FROM + "RUN <<EOF\ngit config --global --unset-all url.a.insteadOf\n"
            'git config --global \\\n  url."git@github.com:".insteadOf "https://github.com/"\n'
            "go mod download\nEOF\n",
            [(5, 8)],
            id="set-after-unset-in-heredoc",
        ),
        pytest.param(
            FROM + SSH_RUN + "RUN ssh-keyscan github.com >> ~/.ssh/known_hosts\n",
            [(2, 47)],
            id="keyscan-after-the-download",
        ),
    ],
)
def test_gb135_reading_or_removing_is_not_rewriting(
    run_rule: RunRule, text: str, expected: list[tuple[int, int]]
) -> None:
    assert lines_cols(run_rule(ssh_insteadof_without_known_hosts, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            FROM + "ARG GH_TOKEN\n"
            'ENV GOAUTH="echo https://git.corp Authorization: Bearer $GH_TOKEN"\n',
            [(2, 5)],
            id="env-goauth-secret-name",
        ),
        pytest.param(
            FROM + "ARG TOK\nENV GOAUTH=\"echo https://git.corp; echo; echo 'Authorization: "
            "Bearer ${TOK}'\"\n",
            [(2, 5)],
            id="env-goauth-header",
        ),
        pytest.param(
            FROM + 'ARG TOK\nRUN GOAUTH="echo Authorization: Bearer $TOK" go mod download\n',
            [(2, 5)],
            id="run-goauth-header",
        ),
        pytest.param(
            FROM + "ARG GH_TOKEN\nRUN git config --global credential.helper "
            '"!f() { echo password=$GH_TOKEN; }; f"\n',
            [(2, 5)],
            id="credential-helper",
        ),
        # not: GOAUTH naming a method or a folder, a token that no auth step uses
        pytest.param(FROM + "ENV GOAUTH=netrc\n", [], id="goauth-netrc"),
        pytest.param(FROM + 'ARG SRC\nENV GOAUTH="git $SRC"\n', [], id="goauth-git-dir"),
        pytest.param(FROM + "ARG GITHUB_TOKEN\nRUN echo $GITHUB_TOKEN\n", [], id="no-auth-step"),
    ],
)
def test_gb132_goauth_and_credential_helpers(
    run_rule: RunRule, text: str, expected: list[tuple[int, int]]
) -> None:
    findings = run_rule(credential_in_build_arg, text)
    assert lines_cols(findings) == expected
    for f in findings:
        assert "is used for module authentication" in (f.message or "")


def test_gb132_env_goauth_message(run_rule: RunRule) -> None:
    text = FROM + 'ARG GH_TOKEN\nENV GOAUTH="echo x Authorization: Bearer $GH_TOKEN"\n'
    (f,) = run_rule(credential_in_build_arg, text)
    assert "(line 3 passes it to GOAUTH with ENV)" in (f.message or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            FROM + "RUN export GOSUMDB=off && go mod download\n", [(2, 20)], id="exported"
        ),
        pytest.param(FROM + "ENV GOSUMDB=sum.golang.org GONOSUMDB=off\n", [], id="gonosumdb-off"),
        pytest.param(FROM + "ENV GOSUMDB=Off\n", [], id="case-matters"),
        pytest.param(
            FROM + 'RUN A="x;y" GOSUMDB=off go mod download\n', [(2, 21)], id="after-quoted-sep"
        ),
        pytest.param(
            FROM + "RUN env GONOSUMDB= GOSUMDB=off go build\n", [(2, 28)], id="env-command"
        ),
        pytest.param(
            FROM + "RUN <<EOF\nexport \\\n  GOSUMDB=off\nEOF\n", [(4, 11)], id="continued-export"
        ),
        # Arguments, not assignments: the word is printed or searched for.
        pytest.param(FROM + "RUN echo GOSUMDB=off\n", [], id="echo-argument"),
        pytest.param(FROM + 'RUN echo "GOSUMDB=off" >> /etc/environment\n', [], id="quoted-arg"),
        pytest.param(FROM + "RUN grep -q GOSUMDB=off /etc/profile || true\n", [], id="grep"),
        pytest.param(FROM + "RUN <<EOF\necho GOSUMDB=off\nEOF\n", [], id="heredoc-echo"),
    ],
)
def test_gb130_more_forms(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(gosumdb_off, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(FROM + "COPY my_private_key /root/\n", [(2, 6)], id="private-key-name"),
        pytest.param(
            FROM + "COPY creds.txt /root/.git-credentials\n", [(2, 16)], id="credentials-dest"
        ),
        pytest.param(FROM + "COPY private.go ./\n", [], id="private-go-source"),
        pytest.param(FROM + "COPY deploy_key.pub /root/.ssh/\n", [], id="public-deploy-key"),
    ],
)
def test_gb134_more_names(run_rule: RunRule, text: str, expected: list[tuple[int, int]]) -> None:
    assert lines_cols(run_rule(private_key_copied, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "FROM alpine:3.20\nRUN apk add --no-cache go\nENV GOPROXY=direct\nRUN go build ./...\n",
            [(4, 5)],
            id="plain-alpine",
        ),
        pytest.param(
            ALPINE + PRIVATE + "RUN apk add --no-cache gitea && go mod download\n",
            [(3, 33)],
            id="package-named-like-git",
        ),
        pytest.param(
            ALPINE + PRIVATE + "RUN --mount=type=cache,target=/go/pkg/mod go mod download\n",
            [(3, 43)],
            id="cache-mount",
        ),
    ],
)
def test_gb136_more_images_and_packages(
    run_rule: RunRule, text: str, expected: list[tuple[int, int]]
) -> None:
    assert lines_cols(run_rule(alpine_direct_fetch_without_git, text)) == expected
