"""Payments: the gateway's return and IPN, the citizen's and staff pages, and the built-in
sandbox gateway (whose views answer 404 unless settings.PAYMENTS_SANDBOX is on)."""

from . import urls_ops, urls_sandbox, urls_site

app_name = "payments"
urlpatterns = [*urls_site.urlpatterns, *urls_sandbox.urlpatterns, *urls_ops.urlpatterns]
