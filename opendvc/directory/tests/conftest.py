import io

import pytest
from django.core.management import call_command


@pytest.fixture
def admin_units(db):
    """The real 34 provinces and 3,321 communes (about half a second)."""
    call_command("import_admin_units", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def demo_province(admin_units):
    call_command("setup_demo_province", stdout=io.StringIO())
