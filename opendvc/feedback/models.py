"""Feedback and petitions (phản ánh, kiến nghị — PAKN): filing, routing, the statutory clock,
answers and their publication."""

from django.db import models  # noqa: F401
