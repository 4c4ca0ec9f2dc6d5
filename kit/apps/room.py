"""The page a participant's browser asks for, as a room needs it served.

Two things are added to Voila's page handler. The page sets Jupyter's ``_xsrf`` cookie: Voila's
page sends it back with the request to stop its kernel when the tab is closed or reloaded, and
without the cookie that request was refused (403 "'_xsrf' argument missing from POST"), so every
closed tab kept its kernel until the idle cull. And when the room is at its cap
(``kit.apps.voila_kernels``), the participant gets a short page saying so, which loads itself
again, instead of a page that waits with no form.
"""

from __future__ import annotations

import tornado.web
from voila.tornado.handler import TornadoVoilaHandler

RETRY_SECONDS = 10
FULL_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{RETRY_SECONDS}">
<title>The room is full</title>
<style>body {{ font: 17px/1.5 sans-serif; max-width: 34rem; margin: 3rem auto; padding: 0 1rem; }}
</style>
</head>
<body>
<main class="eakit-room-full">
<h1>The room is full right now</h1>
<p role="status">Every place on this server is taken. This page tries again by itself every
{RETRY_SECONDS} seconds and opens the form as soon as someone leaves; there is nothing you need
to do. If it keeps saying this, please tell the facilitator.</p>
</main>
</body>
</html>
"""


class RoomPageHandler(TornadoVoilaHandler):
    """Voila's page, with the XSRF cookie set and a plain page when the room is full."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        self.xsrf_token  # noqa: B018 (reading it sets the cookie the page's shutdown needs)
        if self.kernel_manager.room_is_full(self.notebook_path):
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_SECONDS))
            self.set_header("Cache-Control", "no-store")
            self.finish(FULL_PAGE)
            return
        self.kernel_manager.plan_refill(self.notebook_path)
        await super().get(path)
