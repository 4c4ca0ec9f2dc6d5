"""The page a visitor sees when they open the dashboard without its secret token.

Jupyter's own login page talks about ``jupyter server list`` and passwords, which means nothing
to a facilitator who lost the link. Ours names the workshop, says where the link was printed,
and accepts the token typed in. Checking the token stays Jupyter's job.
"""

from __future__ import annotations

import os
from html import escape
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.identity import PasswordIdentityProvider
from voila.voila_identity_provider import VoilaLoginHandler

from kit.settings import WORKSHOP_VARIABLE

LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.5; color: #111;
  max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }}
label {{ display: block; font-weight: 600; margin: 1rem 0 .3rem; }}
input {{ font-size: 18px; padding: .5rem; width: 100%; box-sizing: border-box; }}
button {{ font-size: 18px; min-height: 44px; margin-top: 1rem; padding: .4rem 1.4rem;
  background: #0072B2; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }}
.error {{ color: #9c2a00; font-weight: 600; }}
</style></head>
<body><main>
<h1>{title}</h1>
<p>This dashboard is for the trainer only, so it opens with its own secret link. Use the
link printed in the window where the dashboard was started (it ends with
<code>?token=</code> and a long code), or paste that code here.</p>
{error}
<form method="post" action="{action}">
{xsrf}
<label for="password">Secret code</label>
<input type="password" id="password" name="password" autocomplete="off" required>
<button type="submit">Open the dashboard</button>
</form>
</main></body></html>
"""


def login_page(workshop: str, action: str, xsrf: str, failed: bool) -> str:
    """Our login page; every value in it is escaped."""
    title = f"Workshop {workshop}: dashboard" if workshop else "Workshop dashboard"
    error = (
        "<p class='error' role='alert'>That code did not match. Please copy it again from "
        "the window where the dashboard was started.</p>"
        if failed
        else ""
    )
    return LOGIN_PAGE.format(title=escape(title), error=error, action=escape(action), xsrf=xsrf)


class KitLoginHandler(VoilaLoginHandler):
    """Jupyter's login form handler with our page in place of its template."""

    def _render(self, message: dict[str, str] | None = None) -> None:
        next_url = quote(self.get_argument("next", self.base_url), safe="/")
        action = f"{self.base_url}login?next={next_url}"
        self.write(
            login_page(
                os.environ.get(WORKSHOP_VARIABLE, ""),
                action,
                self.xsrf_form_html(),
                failed=bool(message),
            )
        )


class KitIdentityProvider(PasswordIdentityProvider):
    """The token check Voila uses, answering with ``KitLoginHandler``'s page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["login_handler_class"] = KitLoginHandler
        super().__init__(**kwargs)
