"""Saving a person's own details (thông tin cá nhân), which pre-fill their e-forms."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from opendvc.audit.actions import record

from .models import Profile, User

ADDRESSES = ("permanent", "current")


def update_profile(
    *,
    user: User,
    birth_date: date | None,
    gender: str,
    id_number: str,
    addresses: dict[str, dict],
    now: datetime,
) -> Profile:
    """Store the person's details, replacing what was saved. `addresses` maps "permanent" and
    "current" to {"street", "commune" (a current AdminUnit or None), "old_name"}. The audit
    entry names the fields that changed, never their values (an ID number, a home address)."""
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        values = {"birth_date": birth_date, "gender": gender, "id_number": id_number}
        for kind in ADDRESSES:
            given = addresses[kind]
            commune = given["commune"]
            old_name = given["old_name"]
            # Saving the current names again must not forget which old address it came from.
            if (
                not old_name
                and commune is not None
                and commune == getattr(profile, f"{kind}_commune")
            ):
                old_name = getattr(profile, f"{kind}_old_name")
            values |= {
                f"{kind}_street": given["street"],
                f"{kind}_commune": commune,
                f"{kind}_old_name": old_name,
            }
        changed = sorted(name for name, value in values.items() if getattr(profile, name) != value)
        for name, value in values.items():
            setattr(profile, name, value)
        profile.updated_at = now
        profile.save()
        record(
            action="accounts.profile_updated",
            actor=user,
            target=profile,
            payload={"fields": changed},
            now=now,
        )
    return profile
