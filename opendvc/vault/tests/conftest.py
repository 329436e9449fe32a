import pytest


@pytest.fixture(autouse=True)
def document_types(db):
    # The data migration's rows are gone after any test that flushes the tables
    # (transactional_db); put them back, as `opendvc setup_vault` would.
    from opendvc.vault.models import DocumentType
    from opendvc.vault.seed import setup

    setup(DocumentType)
