"""The private Git host: real git over HTTPS, with and without credentials and trust."""

from __future__ import annotations

import subprocess

from tests.testbed.bed import CREDENTIALS
from tests.testbed.git import GitServer
from tests.testbed.tls import CertificateAuthority


def _ls_remote(url: str, cafile: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/nonexistent",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_SSL_CAINFO": cafile,
    }
    return subprocess.run(
        ["git", "ls-remote", url], capture_output=True, text=True, env=env, timeout=30, check=False
    )


def test_right_credentials_list_the_tag(git_server: GitServer, ca: CertificateAuthority) -> None:
    result = _ls_remote(git_server.repo_url(credentials=CREDENTIALS), str(ca.ca_pem_path))
    assert result.returncode == 0, result.stderr
    assert "refs/tags/v1.0.0" in result.stdout


def test_no_credentials_is_terminal_prompts_disabled(
    git_server: GitServer, ca: CertificateAuthority
) -> None:
    result = _ls_remote(git_server.repo_url(), str(ca.ca_pem_path))
    assert result.returncode == 128
    assert "could not read Username" in result.stderr
    assert "terminal prompts disabled" in result.stderr


def test_wrong_credentials_is_authentication_failed(
    git_server: GitServer, ca: CertificateAuthority
) -> None:
    result = _ls_remote(git_server.repo_url(credentials=("gbguser", "wrong")), str(ca.ca_pem_path))
    assert result.returncode == 128
    assert "Authentication failed for" in result.stderr


def test_unknown_ca(git_server: GitServer, intercepting_ca: CertificateAuthority) -> None:
    url = git_server.repo_url(credentials=CREDENTIALS)
    result = _ls_remote(url, str(intercepting_ca.ca_pem_path))
    assert result.returncode == 128
    assert "server certificate verification failed" in result.stderr
