"""Staff accounts, their signed-in sessions and failed sign-ins (for lockout).

Every function takes an open connection inside a transaction; `storage.staff.store.StaffStore` is the
public face. Passwords arrive already hashed: hashing is the caller's (slow, on purpose) work.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.staff.records import StaffMember
from storage.staff.tables import STAFF_ROLES, LoginFailure, StaffSession, StaffUser, UnlockLink

MAX_EMAIL = 254

_USER_COLUMNS = (
    StaffUser.id,
    StaffUser.email,
    StaffUser.role,
    StaffUser.active,
    StaffUser.must_change_password,
    StaffUser.created_at,
    StaffUser.last_sign_in_at,
    StaffUser.password_hash,
)


class AccountExists(ValueError):
    """An account with this email is already there."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def session_key(token: str) -> str:
    if not token:
        raise ValueError("a staff session token cannot be empty")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _member(row: Any) -> StaffMember:
    return StaffMember(
        id=row.id,
        email=row.email,
        role=row.role,
        active=row.active,
        must_change_password=row.must_change_password,
        created_at=row.created_at,
        last_sign_in_at=row.last_sign_in_at,
        password_hash=row.password_hash,
    )


async def create(
    conn: AsyncConnection, email: str, password_hash: str, role: str, *, must_change: bool, now: datetime
) -> StaffMember:
    email = normalise_email(email)
    if role not in STAFF_ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(STAFF_ROLES)}")
    if not email or len(email) > MAX_EMAIL:
        raise ValueError(f"an email is 1 to {MAX_EMAIL} characters")
    if await conn.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise AccountExists(email)
    row = (
        await conn.execute(
            insert(StaffUser)
            .values(
                email=email,
                password_hash=password_hash,
                role=role,
                active=True,
                must_change_password=must_change,
                created_at=now,
            )
            .returning(*_USER_COLUMNS)
        )
    ).one()
    return _member(row)


async def by_email(conn: AsyncConnection, email: str) -> StaffMember | None:
    row = (await conn.execute(select(*_USER_COLUMNS).where(StaffUser.email == normalise_email(email)))).first()
    return None if row is None else _member(row)


async def by_id(conn: AsyncConnection, staff_id: int) -> StaffMember | None:
    row = (await conn.execute(select(*_USER_COLUMNS).where(StaffUser.id == staff_id))).first()
    return None if row is None else _member(row)


async def everyone(conn: AsyncConnection) -> list[StaffMember]:
    rows = await conn.execute(select(*_USER_COLUMNS).order_by(StaffUser.email))
    return [_member(row) for row in rows]


async def count(conn: AsyncConnection) -> int:
    return int(await conn.scalar(select(func.count()).select_from(StaffUser)) or 0)


async def set_password(conn: AsyncConnection, staff_id: int, password_hash: str, *, must_change: bool) -> None:
    await conn.execute(
        update(StaffUser)
        .where(StaffUser.id == staff_id)
        .values(password_hash=password_hash, must_change_password=must_change)
    )


async def set_active(conn: AsyncConnection, staff_id: int, active: bool) -> None:
    await conn.execute(update(StaffUser).where(StaffUser.id == staff_id).values(active=active))
    if not active:
        await conn.execute(delete(StaffSession).where(StaffSession.staff_id == staff_id))


async def signed_in(conn: AsyncConnection, staff_id: int, now: datetime) -> None:
    await conn.execute(update(StaffUser).where(StaffUser.id == staff_id).values(last_sign_in_at=now))


# Sessions


async def open_session(
    conn: AsyncConnection, token: str, staff_id: int, *, lifetime: timedelta, now: datetime
) -> None:
    await conn.execute(
        insert(StaffSession).values(
            token_hash=session_key(token),
            staff_id=staff_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )


async def session_member(
    conn: AsyncConnection, token: str, *, idle: timedelta, now: datetime
) -> StaffMember | None:
    """The active account signed in with `token`, touching the session; None when unknown or timed out."""
    key = session_key(token)
    row = (
        await conn.execute(
            select(*_USER_COLUMNS, StaffSession.last_seen_at.label("seen"), StaffSession.expires_at.label("ends"))
            .join(StaffSession, StaffSession.staff_id == StaffUser.id)
            .where(StaffSession.token_hash == key)
        )
    ).first()
    if row is None:
        return None
    if row.ends <= now or row.seen + idle <= now or not row.active:
        await conn.execute(delete(StaffSession).where(StaffSession.token_hash == key))
        return None
    # Touching at most once a minute keeps page loads from all writing the same row.
    if now - row.seen >= timedelta(minutes=1):
        await conn.execute(update(StaffSession).where(StaffSession.token_hash == key).values(last_seen_at=now))
    return _member(row)


async def end_session(conn: AsyncConnection, token: str) -> None:
    await conn.execute(delete(StaffSession).where(StaffSession.token_hash == session_key(token)))


async def end_other_sessions(conn: AsyncConnection, staff_id: int, keep_token: str | None) -> None:
    gone = delete(StaffSession).where(StaffSession.staff_id == staff_id)
    if keep_token is not None:
        gone = gone.where(StaffSession.token_hash != session_key(keep_token))
    await conn.execute(gone)


# Failed sign-ins


async def add_failure(conn: AsyncConnection, email_key: str, ip_key: str, now: datetime) -> int:
    """Record a failed (or not yet checked) sign-in; returns its id."""
    inserted = await conn.execute(
        insert(LoginFailure).values(email_key=email_key, ip_key=ip_key, at=now).returning(LoginFailure.id)
    )
    return int(inserted.scalar_one())


async def remove_failure(conn: AsyncConnection, failure_id: int) -> None:
    await conn.execute(delete(LoginFailure).where(LoginFailure.id == failure_id))


async def failure_stats(
    conn: AsyncConnection, *, since: datetime, before_id: int, email_key: str | None = None,
    ip_key: str | None = None, not_ip_prefix: str | None = None,
) -> tuple[int, datetime | None]:
    """(how many, the latest) failures since `since` recorded before `before_id`, for an email, an
    address key, or both; `not_ip_prefix` leaves out failures whose address key starts with it."""
    conditions = [LoginFailure.at >= since, LoginFailure.id < before_id]
    if email_key is not None:
        conditions.append(LoginFailure.email_key == email_key)
    if ip_key is not None:
        conditions.append(LoginFailure.ip_key == ip_key)
    if not_ip_prefix is not None:
        conditions.append(~LoginFailure.ip_key.startswith(not_ip_prefix, autoescape=True))
    row = (await conn.execute(select(func.count(), func.max(LoginFailure.at)).where(*conditions))).one()
    return int(row[0] or 0), row[1]


async def recent_failures(
    conn: AsyncConnection, email_key: str, ip_key: str, *, since: datetime
) -> tuple[int, int]:
    """(failures for this email, failures from this address) since `since`."""
    by_email = await conn.scalar(
        select(func.count()).where(LoginFailure.email_key == email_key, LoginFailure.at >= since)
    )
    by_ip = await conn.scalar(select(func.count()).where(LoginFailure.ip_key == ip_key, LoginFailure.at >= since))
    return int(by_email or 0), int(by_ip or 0)


async def clear_failures(conn: AsyncConnection, email_key: str) -> int:
    gone = await conn.execute(delete(LoginFailure).where(LoginFailure.email_key == email_key))
    return int(gone.rowcount or 0)


async def purge(conn: AsyncConnection, *, failures_before: datetime, now: datetime) -> int:
    """Drop old failures and ended sessions; returns how many rows went."""
    gone = await conn.execute(delete(LoginFailure).where(LoginFailure.at < failures_before))
    ended = await conn.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    links = await conn.execute(delete(UnlockLink).where(UnlockLink.expires_at <= now))
    return int(gone.rowcount or 0) + int(ended.rowcount or 0) + int(links.rowcount or 0)


# One-time unlock links


async def add_unlock_link(
    conn: AsyncConnection, token: str, staff_id: int, *, now: datetime, lifetime: timedelta
) -> None:
    await conn.execute(
        insert(UnlockLink).values(
            token_hash=session_key(token), staff_id=staff_id, created_at=now, expires_at=now + lifetime
        )
    )


async def use_unlock_link(conn: AsyncConnection, token: str, now: datetime) -> StaffMember | None:
    """The account a live link is for, the link used up (deleted); None for an unknown or old link."""
    key = session_key(token)
    used = delete(UnlockLink).where(UnlockLink.token_hash == key).returning(UnlockLink.staff_id, UnlockLink.expires_at)
    staff_id = (await conn.execute(used)).first()
    if staff_id is None or staff_id.expires_at <= now:
        return None
    member = await by_id(conn, staff_id.staff_id)
    return member if member is not None and member.active else None
