"""More of the victims' world, one module per app (SSO, SCIM, calendar feeds, read API).

Each module's ``extend(w)`` adds that app's objects to ``w.objects`` (tokens, providers, feeds) after the
rest of the world is built, so each app's matrix entries can reach its own objects.
"""

from __future__ import annotations

from . import api, calendars, scim, sso

EXTENSIONS = (sso.extend, scim.extend, calendars.extend, api.extend)
