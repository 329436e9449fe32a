"""Satisfaction with a dossier (the Circular 01/2018/TT-VPCP index) and electronic surveys."""

from django.db import models  # noqa: F401
