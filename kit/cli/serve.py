"""``eakit serve``: start the participant assessment app or the facilitator dashboard."""

from __future__ import annotations

import argparse

from kit.apps.serve import APPS, LOCAL_HOST, run, serve_options
from kit.cli.verbs import Verb


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app", choices=sorted(APPS), help="which app to serve")
    parser.add_argument("--workshop", required=True, help="the workshop code, e.g. demo")
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="port to listen on (default: 8866 assessment, 8867 dashboard)",
    )
    parser.add_argument(
        "--host",
        default=LOCAL_HOST,
        help=f"address to listen on (default {LOCAL_HOST}: this computer only; "
        "0.0.0.0 lets the room's network in)",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="database URL (default: $EAKIT_DATABASE_URL, else eakit.sqlite here)",
    )
    parser.add_argument(
        "--cull-idle-after",
        type=int,
        default=1200,
        metavar="SECONDS",
        help="stop a participant's kernel after this long without activity "
        "(default 1200); their answers are already saved",
    )
    parser.add_argument(
        "--cull-interval",
        type=int,
        default=60,
        metavar="SECONDS",
        help="how often to look for idle kernels (default 60)",
    )
    parser.add_argument(
        "--expect",
        type=int,
        default=None,
        metavar="N",
        help="participants expected at once (assessment only): prepares a "
        "kernel for each before they arrive and caps the room a little "
        "above N; refused if this machine cannot hold N (default: 50, or "
        "what the machine holds if less)",
    )
    parser.add_argument(
        "--preheat",
        type=int,
        default=None,
        metavar="N",
        help="kernels prepared ahead, if not one per expected participant "
        "(default: --expect for the assessment, 0 for the dashboard)",
    )
    parser.add_argument(
        "--language",
        default="en",
        help="the language participants see first (en, fr); each can switch in the app",
    )
    parser.add_argument(
        "--join-url",
        default=None,
        metavar="URL",
        help="the dashboard's join panel: the link participants open (default: "
        "the assessment's port 8866 on this computer's network address)",
    )


def serve(args: argparse.Namespace) -> int:
    return run(
        serve_options(
            args.app,
            args.workshop,
            database=args.database,
            host=args.host,
            port=args.port,
            cull_idle_seconds=args.cull_idle_after,
            cull_interval_seconds=args.cull_interval,
            preheat=args.preheat,
            join_url=args.join_url,
            expect=args.expect,
            language=args.language,
        )
    )


VERBS = (
    Verb(
        "serve",
        "Serve the assessment app or the facilitator dashboard with Voila.",
        _configure,
        serve,
    ),
)
