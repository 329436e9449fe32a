from django.contrib.auth.backends import ModelBackend

from .models import User
from .phone import normalize_phone


class PhoneOrEmailBackend(ModelBackend):
    """Sign in with the e-mail address or the phone number given at sign-up."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        if "@" in identifier:
            user = User.objects.filter(email=identifier.lower()).first()
        else:
            phone = normalize_phone(identifier)
            user = User.objects.filter(phone=phone).first() if phone else None
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
