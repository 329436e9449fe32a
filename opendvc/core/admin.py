from django.contrib import admin

from opendvc.audit.admin import AuditedModelAdmin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    """Holidays and make-up working days the government or the province announces after the
    `holidays` package was released; they override it for every deadline."""

    list_display = ["date", "kind", "reason", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["reason"]
    date_hierarchy = "date"
    ordering = ["-date"]
