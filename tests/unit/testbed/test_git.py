"""The private Git host: real git over HTTPS, with and without credentials and trust."""

from __future__ import annotations

import subprocess

from tests.testbed.bed import CREDENTIALS, NetnsBed
from tests.testbed.git import PRIVATE_MODULE, GitServer
from tests.testbed.gotool import GoTool
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


def test_go_fetches_the_private_module_for_real(netns_bed: NetnsBed, go_tool: GoTool) -> None:
    """go-get meta page, then git over HTTPS with the credentials of ~/.netrc."""
    git = netns_bed.git
    env = {
        "GOPRIVATE": "git.corp.test",
        "SSL_CERT_FILE": str(netns_bed.ca.ca_pem_path),  # go's own HTTPS (the meta page)
        "GIT_SSL_CAINFO": str(netns_bed.ca.ca_pem_path),  # git's
    }
    requires = [(PRIVATE_MODULE, "v1.0.0")]
    unused_proxy = "http://127.0.0.1:9"  # never asked: GOPRIVATE modules are fetched direct
    result = go_tool.download(unused_proxy, env=env, requires=requires, netns=netns_bed.netns)
    assert result.rc == 1
    assert (
        "fatal: could not read Username for 'https://git.corp.test': terminal prompts disabled"
    ) in result.stderr
    netrc = {".netrc": f"machine git.corp.test login {CREDENTIALS[0]} password wrong\n"}
    result = go_tool.download(
        unused_proxy, env=env, requires=requires, home_files=netrc, netns=netns_bed.netns
    )
    # Wrong .netrc credentials look the same: after the 401, git wants to prompt.
    assert "could not read Username for 'https://git.corp.test'" in result.stderr
    assert "401 Unauthorized" in result.stderr
    netrc = {".netrc": f"machine git.corp.test login {CREDENTIALS[0]} password {CREDENTIALS[1]}\n"}
    result = go_tool.download(
        unused_proxy, env=env, requires=requires, home_files=netrc, netns=netns_bed.netns
    )
    assert result.ok, result.stderr
    assert any("go-get=1" in r for r in git.requests)
