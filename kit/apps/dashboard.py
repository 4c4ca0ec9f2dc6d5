"""The facilitator dashboard as widgets: the cohort picture drawn as plain HTML, kept fresh.

Tables and CSS bars instead of charts keep the kernel small and the page quick on a projector or
a phone. A thread in the kernel reads the store every few seconds but sends the browser
something only when the picture changed: a dashboard left behind in a closed tab goes quiet once
the workshop ends, so the server's culler can reclaim its kernel.
"""

from __future__ import annotations

import csv
import io
import shlex
import threading
from collections.abc import Callable
from datetime import datetime
from html import escape
from urllib.parse import quote

import ipywidgets as widgets
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from kit.apps.styles import style_tag
from kit.charts.palette import OKABE_ITO
from kit.core.cohort_stats import (
    MIN_GROUP,
    NOT_PLACED,
    CohortPicture,
    cohort_picture,
    picture_table,
)
from kit.errors import KitError
from kit.forms.page import PageHelper
from kit.reports.workshop import respondent_submissions, workshop_targets
from kit.store.database import Store

REFRESH_SECONDS = 10
BLUE = tuple(bytes.fromhex(OKABE_ITO["blue"].lstrip("#")))  # the palette's blue, as RGB
WHITE_TEXT_FROM = 0.93  # cell opacity above which white text beats black (WCAG contrast)


def load_picture(store: Store, workshop: str, minimum: int = MIN_GROUP) -> CohortPicture:
    """The current picture of a workshop: businesses (each placed on its respondents' newest
    answers), never people, and how far they are from their targets."""
    submissions = respondent_submissions(store, workshop)
    return cohort_picture(
        store.definitions,
        store.progress(workshop),
        submissions,
        minimum,
        workshop_targets(store, submissions),
    )


def batch_command(workshop: str, database_url: str = "") -> str:
    """The command that writes every business's report for this workshop, from the store this
    dashboard reads (a password in the URL is shown as ***, never on the screen)."""
    parts = ["eakit", "batch", "--workshop", workshop]
    if database_url:
        parts += ["--database", make_url(database_url).render_as_string(hide_password=True)]
    parts += ["--out", f"reports/{workshop}"]
    return shlex.join(parts)


def _count_text(count: int | None, minimum: int) -> str:
    return f"fewer than {minimum}" if count is None else str(count)


def _shade(share: float) -> str:
    """A cell colour from pale to full blue, with text dark or white to stay readable."""
    alpha = 0.08 + 0.92 * share
    text = "#fff" if alpha > WHITE_TEXT_FROM else "#000"
    r, g, b = BLUE
    return f"background: rgba({r},{g},{b},{alpha:.2f}); color: {text};"


def progress_html(picture: CohortPicture) -> str:
    last = (
        f"last submission at {picture.last_submitted_at:%H:%M}"
        if picture.last_submitted_at
        else "no submission yet"
    )
    stats = "".join(
        f"<div class='stat'><b>{value}</b>{name}</div>"
        for name, value in (
            ("started", picture.started),
            ("in progress", picture.in_progress),
            ("submitted", picture.submitted),
        )
    )
    return f"<h2>The room</h2><div class='stats'>{stats}</div><p class='last'>{escape(last)}</p>"


def join_html(workshop: str, join_url: str) -> str:
    """Where participants go: the link, a QR code of it (inline SVG) and the workshop code."""
    if not join_url:
        return ""
    import segno

    qr = segno.make(join_url, error="m").svg_inline(
        border=2,
        omitsize=True,
        dark="#000",
        light="#fff",
        svgclass="join-qr",
        title=f"QR code of {join_url}",
    )
    return (
        "<section class='join' aria-labelledby='eakit-join'>"
        "<h2 id='eakit-join'>Join the self-assessment</h2>"
        f"<div class='join-body'><div role='img' aria-label='QR code of {escape(join_url)}'>"
        f"{qr}</div><div><p>Open</p><p class='join-url'>{escape(join_url)}</p>"
        f"<p>Workshop code</p><p class='join-code'>{escape(workshop)}</p></div></div>"
        "</section>"
    )


def privacy_html(picture: CohortPicture) -> str:
    if not picture.shown:
        return (
            f"<p class='note'>The cohort picture appears once at least {picture.minimum} "
            "businesses have submitted, so that no one's answers can be recognised.</p>"
        )
    text = (
        f"Only totals are shown. A group of 1 to {picture.minimum - 1} businesses reads "
        f'"fewer than {picture.minimum}"'
    )
    if picture.any_hidden:
        text += ", and where a single small group could be worked out from the total, one more "
        text += "group is hidden with it"
    text += "."
    if picture.older_versions:
        text += (
            f" {picture.older_versions} submission(s) answered an older questionnaire and "
            "are scored against the current one."
        )
    return f"<p class='note'>{text}</p>"


def levels_html(picture: CohortPicture) -> str:
    """Overall levels as a table with proportional bars; hidden groups get a hatched cell."""
    if not picture.levels:
        return ""
    rows = []
    for item in picture.levels:
        if item.count is None:  # at most minimum - 1 businesses: never longer than a shown bar
            width = 100 * (picture.minimum - 1) / picture.submitted
            bar = f"<div class='bar hidden' style='width:{width:.0f}%'></div>"
        else:
            width = 100 * item.count / picture.submitted
            bar = f"<div class='bar' style='width:{width:.0f}%'></div>"
        name = f"{item.level}. {item.label}" if item.level else item.label
        rows.append(
            f"<tr><td>{escape(name)}</td>"
            f"<td class='num'>{_count_text(item.count, picture.minimum)}</td>"
            f"<td class='bar-cell' aria-hidden='true'>{bar}</td></tr>"
        )
    return (
        "<h3>Overall levels</h3><table aria-label='Businesses per overall level'>"
        "<tr><th>Level</th><th class='num'>Businesses</th>"
        "<th><span class='visually-hidden'>Bar</span></th></tr>" + "".join(rows) + "</table>"
    )


def _count_cell(picture: CohortPicture, count: int | None) -> str:
    """A table cell of businesses, shaded by their share of the room ("<5" when hidden)."""
    if count is None:
        return (
            f"<td class='num hidden' title='fewer than {picture.minimum}'>"
            f"&lt;{picture.minimum}</td>"
        )
    return f"<td class='num' style='{_shade(count / picture.submitted)}'>{count}</td>"


def heatmap_html(picture: CohortPicture, level_labels: dict[int, str]) -> str:
    """Areas down, levels across; the darker the cell, the more businesses sit there."""
    if not picture.heatmap:
        return ""
    columns: list[int | str] = [*level_labels, NOT_PLACED]
    head = (
        "".join(
            f"<th class='num' title='{escape(label)}'>{number}</th>"
            for number, label in level_labels.items()
        )
        + "<th class='num'>none</th>"
    )
    rows = [
        f"<tr><td>{escape(row.name)}</td>"
        + "".join(_count_cell(picture, row.cells[column]) for column in columns)
        + "</tr>"
        for row in picture.heatmap
    ]
    key = ", ".join(f"{number} = {escape(label)}" for number, label in level_labels.items())
    return (
        "<h3>Areas by level</h3>"
        f"<p>Businesses per area and level ({key}; none = not applicable or too few "
        "answers).</p><div class='wide'><table aria-label='Businesses per area and level'>"
        f"<tr><th>Area</th>{head}</tr>" + "".join(rows) + "</table></div>"
    )


def targets_html(picture: CohortPicture) -> str:
    """Areas down; across, businesses at or above their own target, 1-3 levels short, and
    with no target there (each row hidden in small groups like the heatmap's)."""
    if not picture.target_gaps:
        return ""
    rows = [
        f"<tr><td>{escape(row.name)}</td>"
        + "".join(_count_cell(picture, count) for count in row.cells.values())
        + "</tr>"
        for row in picture.target_gaps
    ]
    return (
        "<h3>How far from their targets</h3><p>Businesses per area by levels still to go to "
        "the target each set (0 = reached; none = no target there).</p><div class='wide'>"
        "<table aria-label='Businesses per area by levels to their target'><tr><th>Area</th>"
        + "".join(f"<th class='num'>{head}</th>" for head in ("0", "1", "2", "3", "none"))
        + "</tr>"
        + "".join(rows)
        + "</table></div>"
    )


def gaps_html(picture: CohortPicture) -> str:
    if not picture.shown:
        return ""
    if not picture.gaps:
        return (
            f"<h3>Most common gaps</h3><p>No single practice is yet a next step for "
            f"{picture.minimum} or more businesses.</p>"
        )
    items = "".join(
        f"<li>{escape(gap.question)} <i>({escape(gap.dimension)}: "
        f"{gap.businesses} businesses)</i></li>"
        for gap in picture.gaps
    )
    return (
        "<h3>Most common gaps</h3><p>Practices that are among the quickest steps up for "
        f"the most businesses: good topics for the room.</p><ol>{items}</ol>"
    )


def reports_html(picture: CohortPicture, database_url: str = "") -> str:
    command = batch_command(picture.workshop, database_url)
    return (
        "<h3>Reports for the cohort</h3><p>After the session, write one report per "
        "business by running, in a terminal:</p>"
        f"<p><code>{escape(command)}</code></p>"
    )


def export_html(picture: CohortPicture) -> str:
    """A link that saves the figures on this page (totals only) as a CSV file."""
    header, rows = picture_table(picture)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    name = f"workshop-{picture.workshop}-figures.csv"
    return (
        f"<p><a class='export' download='{escape(name)}' "
        f"href='data:text/csv;charset=utf-8,{quote(out.getvalue())}'>"
        "Save the room's figures (CSV, totals only)</a></p>"
    )


def dashboard_html(
    picture: CohortPicture, level_labels: dict[int, str], join_url: str = "", database_url: str = ""
) -> str:
    """The whole dashboard body for one moment; pure, so tests read exactly what is shown."""
    side = [
        join_html(picture.workshop, join_url),
        progress_html(picture),
        reports_html(picture, database_url),
        export_html(picture),
        privacy_html(picture),
    ]
    main = [
        levels_html(picture),
        heatmap_html(picture, level_labels),
        targets_html(picture),
        gaps_html(picture),
    ]
    return (
        f"<div class='dash-grid'><div class='dash-side'>{''.join(side)}</div>"
        f"<div class='dash-main'>{''.join(main)}</div></div>"
    )


class Dashboard(widgets.VBox):
    """The live dashboard: redrawn when the store changes, and on request."""

    def __init__(
        self,
        store: Store,
        workshop: str,
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], datetime] = datetime.now,
        watch: bool = True,
        join_url: str = "",
        database_url: str = "",
    ) -> None:
        self.store = store
        self.workshop = workshop
        self.join_url = join_url
        self.database_url = database_url
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self.level_labels = {lvl.number: lvl.label for lvl in store.definitions.model.levels}
        self.body = widgets.HTML()
        self.status = widgets.HTML()
        self.refresh_button = widgets.Button(
            description="Refresh now", icon="refresh", tooltip="Read the latest answers now"
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        title = widgets.HTML(
            f"{style_tag('dashboard')}<h1>Workshop {escape(workshop)}: live picture</h1>"
        )
        controls = widgets.HBox(
            [self.refresh_button, self.status],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.page = PageHelper(title=f"Workshop {workshop}: dashboard")
        super().__init__([self.page, title, controls, self.body])
        self.add_class("eakit-dash")
        self.refresh()
        if watch:
            threading.Thread(target=self._watch, name="eakit-dashboard", daemon=True).start()

    def _watch(self) -> None:
        while not self._stopped.wait(self.refresh_seconds):
            self.refresh(quiet=True)

    def stop(self) -> None:
        """End the background checks (the kernel's end does it too)."""
        self._stopped.set()

    def refresh(self, quiet: bool = False) -> None:
        """Redraw from the store; a failed read keeps the last picture and says so. ``quiet``
        checks send nothing when nothing changed."""
        with self._lock:
            try:
                picture = load_picture(self.store, self.workshop)
            except (KitError, SQLAlchemyError):  # a hiccup must not blank a projected dashboard
                self.status.value = (
                    "<span role='alert'>Could not read the answers just now; "
                    "the figures below are from the last check.</span>"
                )
                return
            html = dashboard_html(picture, self.level_labels, self.join_url, self.database_url)
            now = f"{self.clock():%H:%M:%S}"
            every = f"checks every {self.refresh_seconds:g} s"
            if html != self.body.value:
                self.body.value = html
                self.status.value = f"<span>Updated {now} ({every})</span>"
            elif not quiet:
                self.status.value = f"<span>No change at {now} ({every})</span>"
