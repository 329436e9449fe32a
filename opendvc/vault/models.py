"""The personal e-data store (Kho dữ liệu điện tử của cá nhân, tổ chức): documents kept once,
reused with consent, and a log of who used them."""

from django.db import models  # noqa: F401
