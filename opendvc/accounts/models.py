"""Users: citizens and businesses sign up themselves; officials belong to agencies with roles."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from opendvc.directory.models import AdminUnit, Agency


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(
        self, *, email: str = "", phone: str = "", password: str | None = None, **extra
    ):
        if not email and not phone:
            raise ValueError("A user needs an e-mail address or a phone number.")
        user = self.model(email=email.strip().lower() or None, phone=phone or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **extra):
        extra.setdefault("full_name", "Quản trị hệ thống")
        return self.create_user(
            email=email,
            password=password,
            is_staff=True,
            is_superuser=True,
            kind=User.Kind.OFFICIAL,
            **extra,
        )

    def get_by_natural_key(self, username):
        return self.get(email=username.strip().lower())


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        CITIZEN = "CITIZEN", "Công dân"
        BUSINESS = "BUSINESS", "Doanh nghiệp, tổ chức"
        OFFICIAL = "OFFICIAL", "Cán bộ, công chức"

    email = models.EmailField(null=True, blank=True, unique=True)  # stored lowercased
    phone = models.CharField(max_length=15, null=True, blank=True, unique=True)
    full_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    # Only superusers get into Django admin; officials work in the staff site.
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"user {self.pk}"

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""


class StaffRole(models.Model):
    """An official's role in one agency. An official may hold several."""

    class Role(models.TextChoices):
        DESK_OFFICER = "DESK_OFFICER", "Cán bộ Bộ phận Một cửa"
        SPECIALIST = "SPECIALIST", "Chuyên viên xử lý"
        LEADER = "LEADER", "Lãnh đạo"
        AGENCY_ADMIN = "AGENCY_ADMIN", "Quản trị cơ quan"
        COMMUNICATION_OFFICER = "COMMUNICATION_OFFICER", "Cán bộ truyền thông"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "vai trò cán bộ"
        verbose_name_plural = "vai trò cán bộ"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="staff_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class ApiToken(models.Model):
    """A personal access token for the API (`Authorization: Bearer <token>`). Only the SHA-256
    of the token is kept; the token itself is shown once, when it is made (tokens.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The token's first characters, kept in the clear to find the row and to name the token
    # in lists; never enough to use it.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ProfileQuerySet(models.QuerySet):
    def with_places(self):
        """With both addresses' communes and provinces, which every display of them names."""
        return self.select_related("permanent_commune__parent", "current_commune__parent")


class Profile(models.Model):
    """What a person says about themself, to pre-fill e-forms (hồ sơ cá nhân).

    A row of its own rather than columns on User: the sign-in row stays what every request
    reads, officials and businesses have none, and these personal details (an ID number, a
    home address) are kept apart from the credentials and can be erased on their own.
    Addresses are a street text and a current (post-1/7/2025) commune; the province is the
    commune's parent. `*_old_name` keeps an old address as it was typed when it was converted,
    so the person can still recognise it ("trước đây: …").
    """

    class Gender(models.TextChoices):
        MALE = "Nam", "Nam"
        FEMALE = "Nữ", "Nữ"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=3, choices=Gender.choices, blank=True)
    id_number = models.CharField(max_length=12, blank=True)  # số CCCD / định danh cá nhân
    permanent_street = models.CharField(max_length=255, blank=True)
    permanent_commune = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    permanent_old_name = models.CharField(max_length=255, blank=True)
    current_street = models.CharField(max_length=255, blank=True)
    current_commune = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_old_name = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "thông tin cá nhân"
        verbose_name_plural = "thông tin cá nhân"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id_number="") | models.Q(id_number__regex=r"^[0-9]{12}$"),
                name="profile_id_number_12_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def masked_id_number(self) -> str:
        """The ID number with all but its last 3 digits hidden, for lists and summaries."""
        if not self.id_number:
            return ""
        return "•" * (len(self.id_number) - 3) + self.id_number[-3:]

    def address_text(self, kind: str) -> str:
        """ "street, commune, province" of the "permanent" or "current" address, or ""."""
        commune = getattr(self, f"{kind}_commune")
        street = getattr(self, f"{kind}_street")
        if commune is None:
            return street
        parts = [street, commune.name, commune.parent.name if commune.parent else ""]
        return ", ".join(part for part in parts if part)

    @property
    def permanent_text(self) -> str:
        return self.address_text("permanent")

    @property
    def current_text(self) -> str:
        return self.address_text("current")
