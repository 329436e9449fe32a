from django.contrib import admin

from .models import DeliveryReport, Message, Preference, SandboxDelivery, Template


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "event", "channel", "to", "state", "attempts", "created_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["reference", "to", "key"]
    raw_id_fields = ["recipient", "fallback_of", "template"]


admin.site.register([Template, DeliveryReport, Preference, SandboxDelivery])
