"""Run one Voila app for one workshop, locked down for a room of participants.

Voila serves exactly one notebook (no file browser), with its sources stripped and tracebacks
hidden. The static-file route that Voila keeps next to the notebook serves nothing at all, so the
database and the kit's files cannot be downloaded. The dashboard is guarded by a random token;
idle kernels are culled, because every open tab holds a Python process and a closed tab's
kernel would otherwise stay until the server stops; a closed or reloaded tab stops its kernel at
once (``kit.apps.room``). The assessment is planned for a room (``kit.apps.capacity``): its
participants' kernels are prepared before they arrive, and a cap keeps the machine from being
overrun.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import shutil
import socket
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.apps.capacity import Machine, RoomPlan, measure_machine, plan_room
from kit.core.ids import check_workshop_code
from kit.core.language import SOURCE, check_language
from kit.errors import LanguageError, ServeError
from kit.kernels.forking import forks_kernels
from kit.paths import NOTEBOOKS_DIR, PACKAGE_DIR
from kit.settings import (
    DEFINITIONS_VARIABLE,
    JOIN_URL_VARIABLE,
    LANGUAGE_VARIABLE,
    URL_VARIABLE,
    WORKSHOP_VARIABLE,
    database_url,
)

APPS_DIR = NOTEBOOKS_DIR / "apps"
TEMPLATES_ROOT = PACKAGE_DIR / "apps" / "jupyter"  # holds voila/templates/eakit
TEMPLATE = "eakit"
PROVISIONER = "eakit-forking-provisioner"  # kit.kernels.provisioner.ForkingProvisioner
PRELOAD = "kit.apps.preload"
LOCAL_HOST = "127.0.0.1"
ANY_HOST = ("0.0.0.0", "::", "")
# After a cell's reply Voila waits this long for the cell's last outputs (nbclient's default is
# 4 s). What arrives later is dropped: on a busy machine that was the form itself, and a
# participant got a page without it. The wait ends as soon as the kernel says it is done.
OUTPUT_WAIT_SECONDS = 120
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the dashboard's token is in its URL
    "X-Content-Type-Options": "nosniff",
}


@dataclass(frozen=True)
class App:
    """One servable notebook and who it is for."""

    notebook: Path
    default_port: int
    needs_token: bool
    cull_connected: bool
    plans_room: bool
    audience: str
    show_qr: bool


APPS: dict[str, App] = {
    # A participant's tab left open after the session still counts as idle; answers are saved.
    # Each participant's kernel is prepared before they arrive, up to the room's plan.
    "assessment": App(
        APPS_DIR / "assessment.ipynb",
        8866,
        needs_token=False,
        cull_connected=True,
        plans_room=True,
        audience="Show the room this link and the workshop code",
        show_qr=True,
    ),
    # An open dashboard may sit quiet through a break; it is culled only once its tab is closed.
    "dashboard": App(
        APPS_DIR / "dashboard.ipynb",
        8867,
        needs_token=True,
        cull_connected=False,
        plans_room=False,
        audience="Open the dashboard (keep this link to yourself: it carries the secret token)",
        show_qr=False,
    ),
}


@dataclass(frozen=True)
class ServeOptions:
    """Everything ``eakit serve`` decides before Voila starts; built by ``serve_options``."""

    app: str
    workshop: str
    database_url: str
    host: str = LOCAL_HOST
    port: int = 8866
    token: str = ""
    cull_idle_seconds: int = 1200
    cull_interval_seconds: int = 60
    preheat: int = 0
    join_url: str = ""
    plan: RoomPlan | None = None
    language: str = SOURCE

    @property
    def notebook(self) -> Path:
        return APPS[self.app].notebook


def absolute_database_url(url: str) -> str:
    """A SQLite URL with its file made absolute: kernels run in the notebook's folder, so a
    relative path would point each app at a different, empty database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return url
    if parsed.database.startswith("file:") or Path(parsed.database).is_absolute():
        return url
    absolute = str(Path(parsed.database).expanduser().resolve())
    return parsed.set(database=absolute).render_as_string(hide_password=False)


def serve_options(
    app: str,
    workshop: str,
    database: str | None = None,
    host: str = LOCAL_HOST,
    port: int | None = None,
    cull_idle_seconds: int = 1200,
    cull_interval_seconds: int = 60,
    preheat: int | None = None,
    join_url: str | None = None,
    expect: int | None = None,
    machine: Machine | None = None,
    language: str = SOURCE,
) -> ServeOptions:
    """Check the request and settle the URL, port, token and the room's plan (``machine`` is
    measured here unless given)."""
    if app not in APPS:
        raise ServeError(f"unknown app {app!r} (choose {' or '.join(APPS)})")
    if reason := check_workshop_code(workshop):
        raise ServeError(reason)
    try:
        check_language(language)
    except LanguageError as exc:
        raise ServeError(f"--language: {exc}") from None
    port = APPS[app].default_port if port is None else port
    if not 0 < port < 65536:
        raise ServeError(f"--port {port}: must be between 1 and 65535")
    if cull_idle_seconds <= 0 or cull_interval_seconds <= 0 or (preheat or 0) < 0:
        raise ServeError("culling times must be positive and --preheat zero or more")
    if join_url is not None and not join_url.startswith(("http://", "https://")):
        raise ServeError(f"--join-url {join_url!r}: must start with http:// or https://")
    plan = None
    if APPS[app].plans_room:
        plan = plan_room(expect, machine or measure_machine())
    elif expect is not None:
        raise ServeError(f"--expect is for the assessment; the {app} has one user")
    if preheat is None:
        preheat = plan.pool if plan else 0
    return ServeOptions(
        app=app,
        workshop=workshop,
        database_url=absolute_database_url(database_url(database)),
        host=host,
        port=port,
        token=secrets.token_urlsafe(24) if APPS[app].needs_token else "",
        cull_idle_seconds=cull_idle_seconds,
        cull_interval_seconds=cull_interval_seconds,
        preheat=preheat,
        join_url=join_url or default_join_url(),
        plan=plan,
        language=language,
    )


def voila_argv(options: ServeOptions) -> list[str]:
    """Voila's command line (the token travels separately, so ``ps`` never shows it)."""
    argv = [
        str(options.notebook),
        "--no-browser",
        f"--Voila.ip={options.host}",
        f"--Voila.port={options.port}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.multi_kernel_manager_class=kit.apps.voila_kernels.PoolAwareKernelManager",
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={options.cull_interval_seconds}",
        f"--MappingKernelManager.cull_connected={APPS[options.app].cull_connected}",
        f"--VoilaExecutor.iopub_timeout={OUTPUT_WAIT_SECONDS}",
    ]
    if os.name == "posix":  # kernels talk over private sockets in Voila's own folder, not TCP
        argv.append("--KernelManager.transport=ipc")
    if forks_kernels():  # each kernel a fork of one that has imported the apps already
        argv += [
            f"--KernelProvisionerFactory.default_provisioner_name={PROVISIONER}",
            f"--ForkingProvisioner.preload={PRELOAD}",
        ]
    if options.preheat:
        argv += [
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={options.preheat}",
        ]
    if options.plan:
        argv += [
            f"--PoolAwareKernelManager.room_cap={options.plan.cap}",
            f"--PoolAwareKernelManager.room_pool={options.preheat}",
        ]
    return argv


def voila_config() -> object:
    """Settings that the command line cannot carry cleanly: an empty list (traitlets warns about
    ``=[]`` on a command line) keeps the route for files next to the notebook serving nothing."""
    from traitlets.config import Config

    config = Config()
    config.VoilaConfiguration.file_allowlist = []
    return config


def kernel_environment(options: ServeOptions) -> dict[str, str]:
    """The variables every kernel inherits: which workshop, which database, where to join."""
    return {
        WORKSHOP_VARIABLE: options.workshop,
        URL_VARIABLE: options.database_url,
        JOIN_URL_VARIABLE: options.join_url,
        LANGUAGE_VARIABLE: options.language,
    }


def _reachable_host(host: str) -> str:
    """The address to print: the machine's address on the network when bound to all of them."""
    if host not in ANY_HOST:
        return f"[{host}]" if ":" in host else host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # UDP: picks a route, sends nothing
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostname()


def share_url(options: ServeOptions) -> str:
    url = f"http://{_reachable_host(options.host)}:{options.port}/"
    return f"{url}?token={options.token}" if options.token else url


def default_join_url() -> str:
    """Where participants join when the dashboard is not told: the assessment's default port
    on this machine's address in the room's network."""
    return f"http://{_reachable_host(ANY_HOST[0])}:{APPS['assessment'].default_port}/"


def terminal_qr(url: str) -> str:
    """The link as a QR code drawn with block characters, for a phone camera to read."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue().rstrip("\n")


RULE = "=" * 72


def banner(options: ServeOptions) -> str:
    """What the facilitator reads once the server listens: one block, nothing else in it."""
    from sqlalchemy.engine import make_url

    app = APPS[options.app]
    url = share_url(options)
    lines = [
        RULE,
        f"Workshop {options.workshop}: the {options.app} is ready.",
        "",
        f"{app.audience}:",
        f"    {url}",
        f"    Workshop code: {options.workshop}",
    ]
    if app.show_qr:
        lines += ["", "Or let them scan this code with a phone camera:", terminal_qr(url)]
    if options.plan:
        lines += ["", *textwrap.wrap(options.plan.describe(), width=len(RULE))]
    if options.host == LOCAL_HOST:
        lines += [
            "",
            "Only this computer can open the link. To let phones and laptops on the "
            "room's network in,",
            "start again with --host 0.0.0.0 (see the README on larger rooms).",
        ]
    if options.join_url and options.app == "dashboard":
        lines += ["", f"Participants join at {options.join_url} (change with --join-url)."]
    database = make_url(options.database_url).render_as_string(hide_password=True)
    lines += [
        "",
        f"Answers are stored in {database}.",
        "To stop: press Ctrl+C in this window.",
        RULE,
    ]
    return "\n".join(lines)


class _HideTrustWarnings(logging.Filter):
    """Drop "Notebook ... is not trusted": trust decides whether a notebook's saved outputs may
    be shown, and the app notebooks have none; Voila runs them the same either way."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Notebook %s is not trusted"


def prepare(options: ServeOptions) -> None:
    """Create or upgrade the database and the workshop before anyone connects."""
    from kit.store.database import Store

    with Store.open(options.database_url) as store:
        store.ensure_workshop(options.workshop)


def share_definitions(folder: Path) -> dict[str, str]:
    """Check the definitions once here and leave them where every kernel can load them fast."""
    from kit.core.definitions import bundled_definitions, write_snapshot

    snapshot = write_snapshot(bundled_definitions(), folder / "definitions.pickle")
    return {DEFINITIONS_VARIABLE: str(snapshot)}


def run(options: ServeOptions) -> int:
    """Start Voila in this process; returns when it stops (Ctrl+C or SIGTERM)."""
    from tornado.ioloop import IOLoop
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    from kit.apps.room import RoomPageHandler

    prepare(options)
    private = Path(tempfile.mkdtemp(prefix="eakit-serve-"))  # only this user may read it
    os.environ.update(kernel_environment(options))
    os.environ.update(share_definitions(private))
    # Voila finds the kit's page template (lab's page plus a watchdog) on Jupyter's data path.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(TEMPLATES_ROOT), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )

    class KitVoila(Voila):
        def init_handlers(self) -> list[Any]:
            return [
                (route, RoomPageHandler if handler is TornadoVoilaHandler else handler, *rest)
                for route, handler, *rest in super().init_handlers()
            ]

        def start(self) -> None:
            self.log.addFilter(_HideTrustWarnings())
            # Runs once the loop starts, i.e. after the port is bound: the link is then real.
            IOLoop.current().add_callback(lambda: print(banner(options), flush=True))
            super().start()

    from kit.apps.login import KitIdentityProvider

    trait_values: dict[str, object] = {
        "tornado_settings": {"headers": SECURITY_HEADERS},
        "config": voila_config(),
        "identity_provider_class": KitIdentityProvider,
    }
    if options.token:
        trait_values["token"] = options.token
    try:
        KitVoila.launch_instance(voila_argv(options), **trait_values)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return 0
