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
from kit.core.language import LANGUAGES, SOURCE, current_language
from kit.core.messages import say, template
from kit.core.translations import localize
from kit.errors import KitError
from kit.forms.page import PageHelper
from kit.reports.workshop import respondent_submissions, workshop_targets
from kit.store.database import Store

REFRESH_SECONDS = 10
BLUE = tuple(bytes.fromhex(OKABE_ITO["blue"].lstrip("#")))  # the palette's blue, as RGB
WHITE_TEXT_FROM = 0.93  # cell opacity above which white text beats black (WCAG contrast)


def say_escaped(message: str, **values: str) -> str:
    """``say`` for values already escaped (a list of labels): only the text is escaped."""
    return escape(template(message)).format(**values)


def load_picture(store: Store, workshop: str, minimum: int = MIN_GROUP) -> CohortPicture:
    """The current picture of a workshop: businesses (each placed on its respondents' newest
    answers), never people, and how far they are from their targets."""
    submissions = respondent_submissions(store, workshop)
    return cohort_picture(
        localize(store.definitions, current_language()),
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
    if current_language() in LANGUAGES and current_language() != SOURCE:
        parts += ["--language", current_language()]  # the reports in the workshop's language
    parts += ["--out", f"reports/{workshop}"]
    return shlex.join(parts)


def _count_text(count: int | None, minimum: int) -> str:
    return say("summary.fewer_than", minimum=minimum) if count is None else str(count)


def _shade(share: float) -> str:
    """A cell colour from pale to full blue, with text dark or white to stay readable."""
    alpha = 0.08 + 0.92 * share
    text = "#fff" if alpha > WHITE_TEXT_FROM else "#000"
    r, g, b = BLUE
    return f"background: rgba({r},{g},{b},{alpha:.2f}); color: {text};"


def progress_html(picture: CohortPicture) -> str:
    last = (
        say("dashboard.last_at", time=f"{picture.last_submitted_at:%H:%M}")
        if picture.last_submitted_at
        else say("dashboard.none_yet")
    )
    stats = "".join(
        f"<div class='stat'><b>{value}</b>{escape(say(key))}</div>"
        for key, value in (
            ("dashboard.started", picture.started),
            ("dashboard.in_progress", picture.in_progress),
            ("dashboard.submitted", picture.submitted),
        )
    )
    return (
        f"<h2>{escape(say('dashboard.room'))}</h2><div class='stats'>{stats}</div>"
        f"<p class='last'>{escape(last)}</p>"
    )


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
        title=say("dashboard.qr", link=join_url),
    )
    return (
        "<section class='join' aria-labelledby='eakit-join'>"
        f"<h2 id='eakit-join'>{escape(say('dashboard.join'))}</h2>"
        "<div class='join-body'><div role='img' "
        f"aria-label='{escape(say('dashboard.qr', link=join_url))}'>"
        f"{qr}</div><div><p>{escape(say('dashboard.open'))}</p>"
        f"<p class='join-url'>{escape(join_url)}</p>"
        f"<p>{escape(say('entry.workshop_label'))}</p>"
        f"<p class='join-code'>{escape(workshop)}</p></div></div>"
        "</section>"
    )


def privacy_html(picture: CohortPicture) -> str:
    if not picture.shown:
        return f"<p class='note'>{escape(say('dashboard.too_few', minimum=picture.minimum))}</p>"
    parts = [say("dashboard.totals_only", largest=picture.minimum - 1, minimum=picture.minimum)]
    if picture.any_hidden:
        parts.append(say("dashboard.second_hidden"))
    if picture.older_versions:
        parts.append(say("summary.older_versions", count=picture.older_versions))
    return f"<p class='note'>{escape(' '.join(parts))}</p>"


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
        f"<h3>{escape(say('summary.levels'))}</h3>"
        f"<table aria-label='{escape(say('chart.levels_title'))}'>"
        f"<tr><th>{escape(say('result.level_column'))}</th>"
        f"<th class='num'>{escape(say('chart.businesses'))}</th>"
        f"<th><span class='visually-hidden'>{escape(say('dashboard.bar'))}</span></th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _count_cell(picture: CohortPicture, count: int | None) -> str:
    """A table cell of businesses, shaded by their share of the room ("<5" when hidden)."""
    if count is None:
        fewer = escape(say("summary.fewer_than", minimum=picture.minimum))
        return f"<td class='num hidden' title='{fewer}'>&lt;{picture.minimum}</td>"
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
        + f"<th class='num'>{escape(say('dashboard.none'))}</th>"
    )
    rows = [
        f"<tr><td>{escape(row.name)}</td>"
        + "".join(_count_cell(picture, row.cells[column]) for column in columns)
        + "</tr>"
        for row in picture.heatmap
    ]
    key = ", ".join(f"{number} = {escape(label)}" for number, label in level_labels.items())
    return (
        f"<h3>{escape(say('summary.heatmap'))}</h3>"
        f"<p>{say_escaped('dashboard.heatmap_intro', key=key)}</p>"
        f"<div class='wide'><table aria-label='{escape(say('chart.heatmap_title'))}'>"
        f"<tr><th>{escape(say('result.area_column'))}</th>{head}</tr>"
        + "".join(rows)
        + "</table></div>"
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
    heads = ("0", "1", "2", "3", say("dashboard.none"))
    return (
        f"<h3>{escape(say('dashboard.targets'))}</h3>"
        f"<p>{escape(say('dashboard.targets_intro'))}</p><div class='wide'>"
        f"<table aria-label='{escape(say('dashboard.targets_label'))}'>"
        f"<tr><th>{escape(say('result.area_column'))}</th>"
        + "".join(f"<th class='num'>{escape(head)}</th>" for head in heads)
        + "</tr>"
        + "".join(rows)
        + "</table></div>"
    )


def gaps_html(picture: CohortPicture) -> str:
    if not picture.shown:
        return ""
    if not picture.gaps:
        return (
            f"<h3>{escape(say('summary.gaps'))}</h3>"
            f"<p>{escape(say('dashboard.no_gaps', minimum=picture.minimum))}</p>"
        )
    items = "".join(
        f"<li>{escape(gap.question)} "
        f"<i>{escape(say('summary.gap', area=gap.dimension, count=gap.businesses))}</i></li>"
        for gap in picture.gaps
    )
    return (
        f"<h3>{escape(say('summary.gaps'))}</h3>"
        f"<p>{escape(say('dashboard.gaps_intro'))}</p><ol>{items}</ol>"
    )


def reports_html(picture: CohortPicture, database_url: str = "") -> str:
    command = batch_command(picture.workshop, database_url)
    return (
        f"<h3>{escape(say('dashboard.reports'))}</h3>"
        f"<p>{escape(say('dashboard.reports_how'))}</p>"
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
        f"{escape(say('dashboard.export'))}</a></p>"
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
        levels = localize(store.definitions, current_language()).model.levels
        self.level_labels = {lvl.number: lvl.label for lvl in levels}
        self.body = widgets.HTML()
        self.status = widgets.HTML()
        self.refresh_button = widgets.Button(
            description=say("dashboard.refresh"),
            icon="refresh",
            tooltip=say("dashboard.refresh_tip"),
        )
        self.refresh_button.on_click(lambda _: self.refresh())
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        title = widgets.HTML(
            style_tag("dashboard")
            + f"<h1>{escape(say('dashboard.heading', workshop=workshop))}</h1>"
        )
        controls = widgets.HBox(
            [self.refresh_button, self.status],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.page = PageHelper(title=say("dashboard.tab_title", workshop=workshop))
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
                    f"<span role='alert'>{escape(say('dashboard.read_failed'))}</span>"
                )
                return
            html = dashboard_html(picture, self.level_labels, self.join_url, self.database_url)
            now = f"{self.clock():%H:%M:%S}"
            every = say("dashboard.every", seconds=f"{self.refresh_seconds:g}")
            if html != self.body.value:
                self.body.value = html
                self.status.value = (
                    f"<span>{escape(say('dashboard.updated', time=now, every=every))}</span>"
                )
            elif not quiet:
                self.status.value = (
                    f"<span>{escape(say('dashboard.no_change', time=now, every=every))}</span>"
                )
