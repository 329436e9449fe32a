"""Ratings are read-only for everyone, administrators included: a rating is the applicant's
word and no official may change it."""

from django.contrib import admin

from .models import DossierRating


@admin.register(DossierRating)
class DossierRatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "overall", "channel", "rated_at"]
    list_filter = ["overall", "channel"]
    search_fields = ["dossier__code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
