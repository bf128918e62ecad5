"""Docker client config.json, daemon.json, systemd drop-ins and docker info."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

from gobuildgui.core.environment import Environment, SourceKind, discover
from gobuildgui.core.environment.docker import daemon_json_paths
from tests.testbed.dns import BlackholeDns
from tests.testbed.docker import Dockerd


def _discover(tmp_path: Path, **kwargs: object) -> object:
    defaults: dict[str, object] = {
        "environ": {"HOME": str(tmp_path)},
        "go": None,
        "docker_info": False,
        "daemon_json": (),
        "systemd_dirs": (),
    }
    defaults.update(kwargs)
    return discover(None, **defaults)  # type: ignore[arg-type]


def _proxies(env: Environment) -> list[str]:
    return [s.name for s in env.docker_client if s.name != "DOCKER_HOST"]


def test_client_proxies_default_entry(tmp_path: Path) -> None:
    (tmp_path / ".docker").mkdir()
    config = tmp_path / ".docker" / "config.json"
    config.write_text(
        json.dumps(
            {
                "proxies": {
                    "default": {
                        "httpProxy": "http://user:s3cret@proxy.corp.test:3128",
                        "noProxy": "localhost,.corp.test",
                    }
                }
            }
        )
    )
    env = discover(
        None, environ={"HOME": str(tmp_path)}, go=None, docker_info=False, daemon_json=()
    )
    http = env.first("HTTP_PROXY", SourceKind.DOCKER_CLIENT)
    assert http is not None
    assert http.value == "http://user:s3cret@proxy.corp.test:3128"
    assert http.display_value == "http://user:****@proxy.corp.test:3128"
    assert http.source == f"{config} proxies.default.httpProxy"
    assert env.first("NO_PROXY", SourceKind.DOCKER_CLIENT) is not None


def test_docker_config_env_and_host_entry_replaces_default(tmp_path: Path) -> None:
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "config.json").write_text(
        json.dumps(
            {
                "proxies": {
                    "default": {"httpProxy": "http://default:3128", "noProxy": "x"},
                    "tcp://build-host:2376": {"httpsProxy": "http://special:3128"},
                }
            }
        )
    )
    environ = {"HOME": str(tmp_path), "DOCKER_CONFIG": str(cfg_dir)}
    env = discover(
        None,
        environ=environ | {"DOCKER_HOST": "tcp://build-host:2376"},
        go=None,
        docker_info=False,
        daemon_json=(),
    )
    assert _proxies(env) == ["HTTPS_PROXY"]  # not merged with default
    env = discover(None, environ=environ, go=None, docker_info=False, daemon_json=())
    assert sorted(_proxies(env)) == ["HTTP_PROXY", "NO_PROXY"]


def test_invalid_client_config_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text('{"proxies": {,}}')
    env = discover(
        None, environ={"HOME": str(tmp_path)}, go=None, docker_info=False, daemon_json=()
    )
    assert _proxies(env) == []
    assert any("invalid JSON at line 1" in p for p in env.problems)


def test_daemon_json_keys(tmp_path: Path) -> None:
    path = tmp_path / "daemon.json"
    path.write_text(
        json.dumps(
            {
                "dns": ["10.0.0.2", "10.0.0.3"],
                "registry-mirrors": ["https://mirror.corp.test"],
                "proxies": {"https-proxy": "http://u:pw@proxy:3128"},
                "features": {"buildkit": False},
                "log-level": "debug",
            }
        )
    )
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=None,
        docker_info=False,
        daemon_json=(path, tmp_path / "missing.json"),
        systemd_dirs=(),
    )
    by_name = {s.name: s for s in env.daemon}
    assert by_name["dns"].value == "10.0.0.2,10.0.0.3"
    assert by_name["dns"].source == f"daemon.json {path}"
    assert by_name["features.buildkit"].value == "false"
    assert by_name["proxies.https-proxy"].display_value == "http://u:****@proxy:3128"
    assert "log-level" not in by_name
    assert env.daemon_files == (path,)
    # the daemon's DNS decides the build's resolv.conf
    assert env.resolv is not None
    assert env.resolv.classic_bridge.nameservers == ("10.0.0.2", "10.0.0.3")


def test_daemon_json_empty_and_broken(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("")
    broken = tmp_path / "broken.json"
    broken.write_text('{ "dns": ["8.8.8.8",] }')
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=None,
        docker_info=False,
        daemon_json=(empty, broken),
        systemd_dirs=(),
    )
    assert env.daemon == ()
    assert [p for p in env.problems if "broken.json" in p]
    assert not [p for p in env.problems if "empty.json" in p]


def test_daemon_json_platform_locations() -> None:
    linux = daemon_json_paths({"HOME": "/home/u"}, "linux", None)
    assert linux[0] == Path("/etc/docker/daemon.json")
    assert Path("/home/u/.config/docker/daemon.json") in linux  # rootless
    rootless_xdg = daemon_json_paths({"HOME": "/home/u", "XDG_CONFIG_HOME": "/x"}, "linux", None)
    assert Path("/x/docker/daemon.json") in rootless_xdg
    mac = daemon_json_paths({"HOME": "/Users/u"}, "darwin", None)
    assert mac == (
        Path("/Users/u/.config/docker/daemon.json"),
        Path("/Users/u/.docker/daemon.json"),
    )
    windows = daemon_json_paths({"ProgramData": "D:\\PD"}, "win32", None)
    assert str(windows[0]).replace("\\", "/") == "D:/PD/docker/config/daemon.json"


def test_systemd_dropins(tmp_path: Path) -> None:
    dropins = tmp_path / "docker.service.d"
    dropins.mkdir()
    (dropins / "http-proxy.conf").write_text(
        "[Service]\n"
        'Environment="HTTP_PROXY=http://proxy.corp.test:3128" "NO_PROXY=localhost,.corp"\n'
        "Environment=HTTPS_PROXY=http://u:p%%40ss@proxy.corp.test:3129\n"
        "Environment=DOCKER_OPTS=--debug\n"
    )
    (dropins / "notes.txt").write_text("Environment=HTTP_PROXY=http://ignored\n")
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=None,
        docker_info=False,
        daemon_json=(),
        systemd_dirs=(dropins,),
    )
    got = {(s.name, s.value, s.line) for s in env.daemon}
    assert got == {
        ("HTTP_PROXY", "http://proxy.corp.test:3128", 2),
        ("NO_PROXY", "localhost,.corp", 2),
        ("HTTPS_PROXY", "http://u:p%40ss@proxy.corp.test:3129", 3),
    }
    assert all(s.source == f"systemd drop-in {dropins}/http-proxy.conf" for s in env.daemon)


def test_docker_info_from_a_real_daemon(tmp_path: Path) -> None:
    proxy = "http://user:pw@127.0.0.1:3128"
    with Dockerd(env={"HTTP_PROXY": proxy, "NO_PROXY": "localhost"}) as daemon:
        env = discover(
            None,
            environ={"HOME": str(tmp_path)},
            go=None,
            daemon_json=(),
            systemd_dirs=(),
            docker_host=daemon.host,
        )
    by_name = {s.name: s for s in env.daemon if s.kind is SourceKind.DOCKER_INFO}
    assert by_name["ServerVersion"].value.startswith("20.10")  # type: ignore[union-attr]
    assert by_name["HTTP_PROXY"].value is not None
    assert "127.0.0.1:3128" in by_name["HTTP_PROXY"].value
    assert "pw" not in by_name["HTTP_PROXY"].display_value
    assert by_name["NO_PROXY"].value == "localhost"


def test_no_daemon_is_a_quick_problem(tmp_path: Path) -> None:
    start = time.monotonic()
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=None,
        daemon_json=(),
        systemd_dirs=(),
        docker_host=f"unix://{tmp_path}/none.sock",
    )
    assert time.monotonic() - start < 2
    assert any(p.startswith(f"docker info (unix://{tmp_path}/none.sock)") for p in env.problems)


def test_silent_daemon_times_out(tmp_path: Path, blackhole_dns: BlackholeDns) -> None:
    """A TCP endpoint that accepts and never answers (the black hole's TCP side)."""
    start = time.monotonic()
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=None,
        daemon_json=(),
        systemd_dirs=(),
        docker_host=f"tcp://127.0.0.1:{blackhole_dns.port}",
        docker_timeout=0.5,
    )
    assert time.monotonic() - start < 2.5
    assert any("docker info (tcp://127.0.0.1" in p for p in env.problems)


def test_current_context_decides_the_daemon_and_proxy_entry(tmp_path: Path) -> None:
    docker_dir = tmp_path / ".docker"
    meta = docker_dir / "contexts" / "meta" / hashlib.sha256(b"desktop-linux").hexdigest()
    meta.mkdir(parents=True)
    sock = "unix:///home/u/.docker/desktop/docker.sock"
    (meta / "meta.json").write_text(
        json.dumps({"Name": "desktop-linux", "Endpoints": {"docker": {"Host": sock}}})
    )
    (docker_dir / "config.json").write_text(
        json.dumps(
            {
                "currentContext": "desktop-linux",
                "proxies": {"default": {"httpProxy": "http://a"}, sock: {"httpProxy": "http://b"}},
            }
        )
    )
    env = discover(
        None, environ={"HOME": str(tmp_path)}, go=None, docker_info=False, daemon_json=()
    )
    host = env.first("DOCKER_HOST")
    assert host is not None
    assert host.value == sock
    assert "docker context 'desktop-linux'" in host.source
    http = env.first("HTTP_PROXY", SourceKind.DOCKER_CLIENT)
    assert http is not None
    assert http.value == "http://b"
    # DOCKER_HOST in the environment wins over the context.
    env = discover(
        None,
        environ={"HOME": str(tmp_path), "DOCKER_HOST": "tcp://other:2375"},
        go=None,
        docker_info=False,
        daemon_json=(),
    )
    assert env.first("DOCKER_HOST").value == "tcp://other:2375"  # type: ignore[union-attr]


def test_missing_context_is_a_problem(tmp_path: Path) -> None:
    env = discover(
        None,
        environ={"HOME": str(tmp_path), "DOCKER_CONTEXT": "gone"},
        go=None,
        docker_info=False,
        daemon_json=(),
    )
    assert any("docker context 'gone'" in p for p in env.problems)
    assert env.first("DOCKER_HOST").value == "unix:///var/run/docker.sock"  # type: ignore[union-attr]


def test_cancel_stops_waiting_for_a_silent_daemon(
    tmp_path: Path, blackhole_dns: BlackholeDns
) -> None:
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    start = time.monotonic()
    env = discover(
        None,
        environ={"HOME": str(tmp_path)},
        go=None,
        daemon_json=(),
        systemd_dirs=(),
        docker_host=f"tcp://127.0.0.1:{blackhole_dns.port}",
        docker_timeout=5,
        cancelled=cancel.is_set,
    )
    assert time.monotonic() - start < 1
    assert any(p.endswith(": cancelled") for p in env.problems)
