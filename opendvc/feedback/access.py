"""Protected fetches of PAKN items. An item that is not yours answers exactly like one that
does not exist: Http404.

Following without an account works like dossier tracking: the code is human-readable and so
guessable, so the code alone finds nothing; the secret given at sending, or the confirmed phone
number or e-mail, must match too. A successful lookup is remembered in the session, which then
lets the sender act on the item (reply, rate, reopen)."""

from django.http import Http404

from opendvc.accounts.models import StaffRole
from opendvc.accounts.phone import normalize_phone
from opendvc.core import ratelimit

from .actions.errors import RateLimited
from .models import Feedback, new_secret

NOT_FOUND = "Không tìm thấy phản ánh, kiến nghị."
SESSION_KEY = "feedback_followed"
# Lookups from one client in a quarter of an hour, found or not.
LOOKUPS_PER_IP = 10
LOOKUP_WINDOW = 900


def staff_agency_ids(user) -> set[int]:
    return set(
        StaffRole.objects.filter(user=user, user__is_active=True).values_list(
            "agency_id", flat=True
        )
    )


def get_for_official_or_404(user, code: str) -> Feedback:
    """An item of one of the official's agencies."""
    found = (
        Feedback.objects.for_agencies(staff_agency_ids(user))
        .select_related("agency", "procedure", "merged_into")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def get_for_sender_or_404(request, code: str) -> Feedback:
    """The signed-in sender's own item, or one this session has followed with its secret."""
    user = request.user
    followed = request.session.get(SESSION_KEY, [])
    found = (
        Feedback.objects.select_related("agency", "procedure", "merged_into")
        .filter(code=code)
        .first()
    )
    mine = found is not None and user.is_authenticated and found.sender_id == user.pk
    if found is None or not (mine or found.pk in followed):
        raise Http404(NOT_FOUND)
    return found


def get_published_or_404(code: str) -> Feedback:
    found = (
        Feedback.objects.published().select_related("agency", "procedure").filter(code=code).first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _contact_matches(feedback: Feedback, contact: str) -> bool:
    typed = (contact or "").strip()
    if not typed:
        return False
    phone = normalize_phone(typed)
    if phone:
        return bool(feedback.sender_phone) and phone == normalize_phone(feedback.sender_phone)
    return bool(feedback.sender_email) and typed.lower() == feedback.sender_email.lower()


def find_to_follow(*, code: str, secret: str, contact: str, ip: str) -> Feedback | None:
    """The item with this code whose secret or confirmed phone/e-mail matches, else None,
    after the same work either way. Raises RateLimited past the lookups allowed per client."""
    client = ip or "unknown"
    if not ratelimit.hit("feedback-follow", client, limit=LOOKUPS_PER_IP, window=LOOKUP_WINDOW):
        raise RateLimited("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 15 phút.")
    typed = (code or "").strip().upper()
    found = Feedback.objects.filter(code=typed).first()
    checked = found or Feedback(secret_hash="")
    if found is None:
        checked.set_secret(new_secret())  # the same hashing work as for a real item
    ok = bool(secret) and checked.check_secret(secret)
    ok = ok or (found is not None and _contact_matches(found, contact))
    return found if found is not None and ok else None


def remember(request, feedback: Feedback) -> None:
    followed = request.session.get(SESSION_KEY, [])
    if feedback.pk not in followed:
        request.session[SESSION_KEY] = [*followed, feedback.pk][-20:]
