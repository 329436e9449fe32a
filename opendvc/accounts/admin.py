from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm

from opendvc.audit.admin import AuditedModelAdmin

from .models import ApiToken, StaffRole, User


def _superusers_only(request) -> bool:
    # Officials work in the staff site; Django admin is for system administrators only.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
admin.site.site_header = "OpenDVC – Quản trị hệ thống"


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    raw_id_fields = ["agency"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "kind")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    ordering = ["id"]
    list_display = ["id", "full_name", "email", "phone", "kind", "is_active", "is_superuser"]
    list_filter = ["kind", "is_active", "is_superuser"]
    search_fields = ["full_name", "email", "phone"]
    inlines = [StaffRoleInline]
    add_form = UserCreationForm
    fieldsets = [
        (None, {"fields": ["email", "phone", "password"]}),
        ("Thông tin", {"fields": ["full_name", "kind"]}),
        ("Quyền", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Thời gian", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "phone", "full_name", "kind", "password1", "password2"]})
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    # Only the prefix and the hash are stored; the token itself was shown once to its owner.
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
