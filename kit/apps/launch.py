"""What the two Voila apps build, from settings the server gives them (never the browser).

``eakit serve`` puts the workshop code and the database URL into the environment of the Voila
process, and every kernel it starts inherits them. A participant's browser can only click
widgets, so it has no way to point an app at another workshop or another database.

Every participant's kernel starts by importing this module, so it loads only what the entry
screen needs: no Altair or pandas (the result is drawn as plain SVG), no Alembic (the server
upgraded the schema before it started), no ``rfc3987_syntax`` (``kit.apps`` marks it absent),
and the definitions from the snapshot the server checked once (``EAKIT_DEFINITIONS_SNAPSHOT``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from kit.core.definitions import Definitions, bundled_definitions, load_snapshot
from kit.core.ids import check_workshop_code
from kit.core.language import SOURCE, check_language, set_language
from kit.errors import AppSettingsError, KitError, LanguageError
from kit.settings import (
    DEFINITIONS_VARIABLE,
    JOIN_URL_VARIABLE,
    LANGUAGE_VARIABLE,
    URL_VARIABLE,
    WORKSHOP_VARIABLE,
)
from kit.store.database import Store

if TYPE_CHECKING:
    import ipywidgets as widgets


@dataclass(frozen=True)
class AppSettings:
    workshop: str
    database_url: str
    language: str = SOURCE


def app_settings(environ: Mapping[str, str] = os.environ) -> AppSettings:
    """The workshop and database this app serves; both must come from ``eakit serve``."""
    workshop = environ.get(WORKSHOP_VARIABLE, "")
    url = environ.get(URL_VARIABLE, "")
    problems = []
    if not workshop:
        problems.append(f"{WORKSHOP_VARIABLE} is not set")
    elif reason := check_workshop_code(workshop):
        problems.append(f"{WORKSHOP_VARIABLE}: {reason}")
    if not url:
        problems.append(f"{URL_VARIABLE} is not set")
    language = environ.get(LANGUAGE_VARIABLE) or SOURCE
    try:
        check_language(language)
    except LanguageError as exc:
        problems.append(f"{LANGUAGE_VARIABLE}: {exc}")
    if problems:
        raise AppSettingsError(
            "; ".join(problems) + " (start the app with "
            "'eakit serve assessment|dashboard --workshop NAME')"
        )
    set_language(language)  # one app per kernel: its pages speak the workshop's language
    return AppSettings(workshop, url, language)


def app_definitions(environ: Mapping[str, str] = os.environ) -> Definitions:
    """The server's checked snapshot when it left one, else the bundled files."""
    snapshot = environ.get(DEFINITIONS_VARIABLE)
    return load_snapshot(Path(snapshot)) if snapshot else bundled_definitions()


def open_app_store(settings: AppSettings, environ: Mapping[str, str] = os.environ) -> Store:
    """The server's store, whose schema ``eakit serve`` has already brought up to date."""
    return Store.open(settings.database_url, definitions=app_definitions(environ), upgrade=False)


def _connect_widgets() -> None:
    """Let the browser reach this kernel's widgets. ipywidgets registers its comm targets when
    it is first imported inside a kernel; a kernel forked from a template (``kit.apps.preload``)
    imported it before any kernel existed, so the app registers them (twice does no harm)."""
    import ipywidgets

    ipywidgets.register_comm_target()


def _unavailable(exc: KitError) -> widgets.HTML:
    """What a visitor sees when the app is misconfigured: a plain sentence, no traceback."""
    import ipywidgets as widgets  # here, not above: `eakit serve` reads this module's settings

    from kit.core.messages import say

    return widgets.HTML(
        f"<div role='alert' class='eakit-unavailable'><h2>{escape(say('app.unavailable_heading'))}"
        f"</h2><p>{escape(say('app.unavailable_text'))}</p><p><small>{escape(str(exc))}</small>"
        "</p></div>"
    )


def dashboard_app(environ: Mapping[str, str] = os.environ) -> widgets.Widget:
    """The facilitator dashboard for the workshop named by the server."""
    from kit.apps.dashboard import Dashboard

    _connect_widgets()
    try:
        settings = app_settings(environ)
        return Dashboard(
            open_app_store(settings, environ),
            settings.workshop,
            join_url=environ.get(JOIN_URL_VARIABLE, ""),
            database_url=settings.database_url,
        )
    except KitError as exc:
        return _unavailable(exc)


def assessment_app(environ: Mapping[str, str] = os.environ) -> widgets.Widget:
    """The participant's form for the workshop named by the server."""
    from kit.apps.assessment import WorkshopAssessment, app_page

    _connect_widgets()
    try:
        settings = app_settings(environ)
        store = open_app_store(settings, environ)
        return app_page(WorkshopAssessment(store.definitions, store, settings.workshop))
    except KitError as exc:
        return _unavailable(exc)
