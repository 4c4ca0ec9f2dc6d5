"""How `eakit serve` configures Voila, checked without starting it (the browser tests start it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kit.apps.capacity import Machine, plan_room
from kit.apps.launch import app_settings
from kit.apps.login import login_page
from kit.apps.serve import (
    absolute_database_url,
    banner,
    kernel_environment,
    serve_options,
    share_url,
    voila_argv,
    voila_config,
)
from kit.errors import AppSettingsError, ServeError
from tests.conftest import run_cli


def test_assessment_is_local_tokenless_and_locked_down(tmp_path):
    """Does the assessment bind to this computer only, hide code and files, and cull kernels?"""
    options = serve_options(
        "assessment",
        "demo",
        database=f"sqlite:///{tmp_path}/x.sqlite",
        machine=Machine(cores=2, available_mb=16_000),
    )
    argv = voila_argv(options)
    assert argv[0].endswith("notebooks/apps/assessment.ipynb")
    for flag in (
        "--Voila.ip=127.0.0.1",
        "--Voila.port=8866",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--MappingKernelManager.cull_idle_timeout=1200",
        "--MappingKernelManager.cull_interval=60",
        "--VoilaExecutor.iopub_timeout=120",
        "--MappingKernelManager.cull_connected=True",
        "--KernelManager.transport=ipc",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "kit.apps.voila_kernels.PoolAwareKernelManager",
    ):
        assert flag in argv
    # planned for the default room of 50: a kernel prepared for each, at most 55 at once
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    assert "--VoilaConfiguration.default_pool_size=50" in argv
    assert "--PoolAwareKernelManager.room_cap=55" in argv
    assert "--VoilaConfiguration.template=eakit" in argv  # the page with the watchdog
    assert voila_config().VoilaConfiguration.file_allowlist == []  # no file is ever served
    assert options.token == ""
    assert share_url(options) == "http://127.0.0.1:8866/"


def test_start_banner_is_one_block_with_link_code_qr_and_stop():
    """Does the facilitator get one framed block: the link, the workshop code, a QR code of
    the link and how to stop, with nothing from Voila inside it?"""
    options = serve_options("assessment", "demo", database="sqlite:////tmp/x.sqlite")
    text = banner(options)
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "=" * 72
    assert "Show the room this link and the workshop code:" in lines
    assert "    http://127.0.0.1:8866/" in lines
    assert "    Workshop code: demo" in lines
    assert "To stop: press Ctrl+C in this window." in lines
    qr_rows = [line for line in lines if set(line) <= set("█▀▄ ") and len(line) > 20]
    assert len(qr_rows) >= 12  # a version-2 code (25 modules) in half-height rows, plus border
    dashboard = banner(
        serve_options(
            "dashboard",
            "demo",
            database="sqlite:////tmp/x.sqlite",
            join_url="http://10.0.0.5:8866/",
        )
    )
    assert "█" not in dashboard  # the secret link is never drawn for a camera across the room
    assert "Participants join at http://10.0.0.5:8866/" in dashboard


def test_login_page_is_ours_and_escaped():
    """Does a visitor without the token read our words, naming the workshop, not Jupyter's?"""
    page = login_page("demo<1>", "/login?next=/", "<input type='hidden' name='_xsrf'>", False)
    assert "<title>Workshop demo&lt;1&gt;: dashboard</title>" in page
    assert "jupyter" not in page.lower() and "password" not in page.split("<form")[0].lower()
    assert '<label for="password">Secret code</label>' in page
    failed = login_page("demo", "/login", "", True)
    assert "role='alert'" in failed and "did not match" in failed


def test_dashboard_gets_a_fresh_secret_token():
    """Is the dashboard's link tokened, with a new unguessable token each start?"""
    first = serve_options("dashboard", "demo", database="sqlite:////tmp/x.sqlite")
    second = serve_options("dashboard", "demo", database="sqlite:////tmp/x.sqlite")
    assert len(first.token) >= 32 and first.token != second.token
    assert share_url(first) == f"http://127.0.0.1:8867/?token={first.token}"
    assert first.token not in " ".join(voila_argv(first))  # never on a command line
    assert "--MappingKernelManager.cull_connected=False" in voila_argv(first)
    assert not any("preheat" in arg for arg in voila_argv(first))
    assert "keep this link to yourself" in banner(first)


def test_preheat_and_kernel_environment():
    """Does --preheat ask Voila for a pool, and do kernels learn the workshop and database?"""
    options = serve_options(
        "assessment",
        "w-1",
        database="postgresql://u@db/kit",
        port=9000,
        preheat=3,
        machine=Machine(cores=2, available_mb=16_000),
    )
    argv = voila_argv(options)
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    assert "--VoilaConfiguration.default_pool_size=3" in argv
    assert kernel_environment(options) == {
        "EAKIT_WORKSHOP": "w-1",
        "EAKIT_DATABASE_URL": "postgresql://u@db/kit",
        "EAKIT_JOIN_URL": options.join_url,
        "EAKIT_LANGUAGE": "en",
    }
    assert options.join_url.endswith(":8866/")


# holds = (available * 0.8 - 400 MB for Voila) // 60 MB per forked kernel, worked out by hand:
# 16,000 MB -> (12,800 - 400) // 60 = 206; 3,000 MB -> (2,400 - 400) // 60 = 33; started as
# new interpreters (120 MB each): 16,000 MB -> 12,400 // 120 = 103.
@pytest.mark.parametrize(
    ("available", "forks", "expect", "pool", "cap"),
    [
        (16_000, True, None, 50, 55),  # the default room; spare kernels: a tenth
        (16_000, True, 20, 20, 22),  # at least two spare
        (16_000, True, 200, 200, 206),  # the spare ones only as far as memory goes
        (3_000, True, None, 33, 33),  # a smaller machine plans for what it holds
        (16_000, False, 100, 100, 103),  # no fork: each kernel costs more
    ],
)
def test_room_plan_from_the_machine(available, forks, expect, pool, cap):
    """Are the kernels prepared ahead and the cap sized from the room and the machine?"""
    plan = plan_room(expect, Machine(cores=2, available_mb=available, forks=forks))
    assert (plan.pool, plan.cap) == (pool, cap)
    assert f"at most {cap} at once" in plan.describe()


def test_room_beyond_the_machine_is_refused():
    """Does planning for more than the machine holds stop with what it can hold, and why?"""
    with pytest.raises(
        ServeError,
        match=r"--expect 207: this machine can hold about 206 "
        r"participants at once \(2 core\(s\), 15.6 GB",
    ):
        plan_room(207, Machine(cores=2, available_mb=16_000))


def test_cli_refuses_a_room_too_large_for_this_machine():
    """Does `eakit serve assessment --expect` with an impossible room stop before Voila starts,
    pointing to the README's recipe for several processes?"""
    result = run_cli("serve", "assessment", "--workshop", "demo", "--expect", "1000000")
    assert result.returncode == 2
    assert result.stderr.startswith("eakit serve: --expect 1000000: this machine can hold about")
    assert "Larger rooms" in result.stderr


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expect": 0}, "--expect 0: give the number of participants, 1 or more"),
        ({"app": "dashboard", "expect": 5}, "--expect is for the assessment"),
        ({"app": "shop"}, "unknown app 'shop' (choose assessment or dashboard)"),
        ({"workshop": "two words"}, "workshop 'two words' must be 1-64 letters"),
        ({"workshop": "../etc"}, "workshop '../etc' must be 1-64 letters"),
        ({"port": 0}, "--port 0: must be between 1 and 65535"),
        ({"port": 70000}, "--port 70000: must be between 1 and 65535"),
        ({"cull_idle_seconds": 0}, "culling times must be positive"),
        ({"join_url": "room-7"}, "--join-url 'room-7': must start with http:// or https://"),
    ],
)
def test_bad_requests_are_refused(kwargs, message):
    """Is each bad request refused with a message naming what is wrong?"""
    arguments = {"app": "assessment", "workshop": "demo", **kwargs}
    with pytest.raises(ServeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        serve_options(**arguments)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///eakit.sqlite", "sqlite:///{cwd}/eakit.sqlite"),
        ("sqlite:///data/w.sqlite", "sqlite:///{cwd}/data/w.sqlite"),
        ("sqlite:////srv/kit/w.sqlite", "sqlite:////srv/kit/w.sqlite"),
        ("sqlite://", "sqlite://"),
        ("postgresql+psycopg://kit:secret@db/kit", "postgresql+psycopg://kit:secret@db/kit"),
    ],
)
def test_sqlite_paths_become_absolute(url, expected, tmp_path, monkeypatch):
    """Does a relative SQLite file resolve against where `eakit serve` runs, not the kernel's
    folder, while other URLs pass through untouched?"""
    monkeypatch.chdir(tmp_path)
    assert absolute_database_url(url) == expected.format(cwd=Path.cwd())


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "EAKIT_WORKSHOP is not set; EAKIT_DATABASE_URL is not set"),
        (
            {"EAKIT_WORKSHOP": "a b", "EAKIT_DATABASE_URL": "sqlite://"},
            "EAKIT_WORKSHOP: workshop 'a b' must be",
        ),
    ],
)
def test_apps_need_the_server_settings(environ, message):
    """Does an app started without `eakit serve` say which setting is missing?"""
    with pytest.raises(AppSettingsError, match=message):
        app_settings(environ)


def test_app_settings_from_environment():
    settings = app_settings({"EAKIT_WORKSHOP": "demo", "EAKIT_DATABASE_URL": "sqlite:///x"})
    assert (settings.workshop, settings.database_url) == ("demo", "sqlite:///x")


def test_cli_refuses_a_bad_workshop():
    """Does `eakit serve` stop before starting Voila when the workshop code is unusable?"""
    result = run_cli("serve", "assessment", "--workshop", "no spaces please")
    assert result.returncode == 2
    assert result.stderr.startswith("eakit serve: workshop 'no spaces please' must be")


# --- culling next to Voila's pool of preheated kernels ----------------------------------------


class _Kernel:
    """What the culler reads of a kernel: its state, its spec and its last activity."""

    def __init__(self, idle_seconds: float) -> None:
        self.execution_state = "idle"
        self.kernel_name = "python3"
        self.kernel_spec = type("Spec", (), {"metadata": {}})()
        self.last_activity = datetime.now(UTC) - timedelta(seconds=idle_seconds)


def _pooled(kernel_id: str) -> asyncio.Future:
    task = asyncio.get_running_loop().create_future()
    task.set_result({"kernel_id": kernel_id})
    return task


def _culling_manager(tmp_path: Path):
    """Voila's preheating manager over ours, as `eakit serve` builds it, with no notebook to
    preheat; stopping a kernel takes a moment, as it does for real."""
    from traitlets.config import Configurable
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from kit.apps.voila_kernels import PoolAwareKernelManager

    class Server(Configurable):
        root_dir = str(tmp_path)
        notebook_path = None

    class Manager(voila_kernel_manager_factory(PoolAwareKernelManager, True, 2)):
        stopped: list[str]
        arrivals: list  # called while a kernel is being stopped

        async def shutdown_kernel(self, kernel_id: str, *args, **kwargs) -> None:
            self.stopped.append(kernel_id)
            await asyncio.sleep(0.01)
            while self.arrivals:
                self.arrivals.pop(0)()
            del self._kernels[kernel_id]

    manager = Manager(parent=Server(), cull_idle_timeout=15, cull_connected=True)
    manager.stopped, manager.arrivals = [], []
    return manager


def test_kernel_handed_out_while_culling_waits_is_kept(tmp_path):
    """A participant arrives while the culler is stopping a closed tab's kernel and is handed
    a preheated kernel that sat in the pool for a minute: is that kernel kept (its idle time
    counted from the hand-out), while the closed tab's kernel is stopped?"""

    async def scenario() -> list[str]:
        manager = _culling_manager(tmp_path)
        manager._kernels.update(
            {"closed-tab": _Kernel(5), "pooled": _Kernel(60), "spare": _Kernel(60)}
        )
        pool = [_pooled("pooled"), _pooled("spare")]
        manager._pools["assessment.ipynb"] = pool
        await manager.cull_kernels()  # a round while the tab is not yet idle for long
        manager._kernels["closed-tab"].last_activity -= timedelta(seconds=11)
        manager.arrivals.append(lambda: pool.pop(0))  # hand-out while the tab's kernel stops
        await manager.cull_kernels()
        return manager.stopped

    assert asyncio.run(scenario()) == ["closed-tab"]


def test_kernel_handed_out_after_a_long_wait_is_kept(tmp_path):
    """A preheated kernel handed out after a minute in the pool, with no other kernel about:
    does the next round leave it alone, and cull it once it has been idle for the cull time
    since the hand-out?"""

    async def scenario() -> tuple[list[str], list[str]]:
        manager = _culling_manager(tmp_path)
        manager._kernels["pooled"] = _Kernel(60)
        pool = [_pooled("pooled")]
        manager._pools["assessment.ipynb"] = pool
        await manager.cull_kernels()
        pool.pop(0)
        await manager.cull_kernels()
        kept = list(manager.stopped)
        manager._kernels["pooled"].last_activity -= timedelta(seconds=16)
        await manager.cull_kernels()
        return kept, manager.stopped

    assert asyncio.run(scenario()) == ([], ["pooled"])
