"""Demo mode: one admin account on a fresh database, so `make run` can be tried with no set-up.

The one-time password goes to the console (standard output) only, never to a log file; the admin must
change it at the first sign-in.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.web.staff.console import StaffConsole
from bot.web.staff.passwords import one_time_password
from storage.staff.records import Actor

DEMO_EMAIL = "admin@example.org"


async def ensure_demo_admin(console: StaffConsole, *, public_url: str, out: TextIO | None = None) -> bool:
    """Create the demo admin when there is no account at all. True when one was made."""
    if await console.store.count_accounts() > 0:
        return False
    password = one_time_password()
    await console.store.create_account(
        DEMO_EMAIL, await console.passwords.hash(password), "admin", must_change=True, actor=Actor("demo mode")
    )
    stream = out or sys.stdout
    print(
        f"\nDemo staff console: {public_url}/staff\n"
        f"  email:    {DEMO_EMAIL}\n"
        f"  password: {password}   (one-time: you choose your own when you sign in)\n",
        file=stream,
        flush=True,
    )
    return True
