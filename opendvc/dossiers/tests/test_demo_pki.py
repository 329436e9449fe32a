"""`opendvc setup_demo_pki`: a demo CA and certificates for the agencies that work in the
system; idempotent, private keys readable by their owner only."""

import io
import stat
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from opendvc.directory.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    DeskFactory,
    ProvinceFactory,
)
from opendvc.dossiers import signing
from opendvc.dossiers.actions.results import issue_signed_result
from opendvc.dossiers.tests.factories import MONDAY

from .test_signed_result import finished

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("setup_demo_pki", *args, stdout=out)
    return out.getvalue()


def certificate(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def cast(agency, desk_officer, settings):
    """The staffed agency, one with a desk in a commune of the demo province, one with a desk
    elsewhere and no staff, and an inactive one with staff."""
    settings.DEMO_PROVINCE_CODE = "24"
    commune = CommuneFactory(parent=ProvinceFactory(code="24"))
    with_desk = AgencyFactory(code="X-KINHBAC", name="UBND phường Kinh Bắc", admin_unit=commune)
    DeskFactory(agency=with_desk, admin_unit=commune)
    elsewhere = AgencyFactory(code="X-KHAC", name="Cơ quan tỉnh khác")
    DeskFactory(agency=elsewhere)
    inactive = AgencyFactory(code="X-CU", name="Cơ quan đã giải thể", is_active=False)
    from opendvc.accounts.models import StaffRole

    StaffRole.objects.create(user=desk_officer, agency=inactive, role="DESK_OFFICER")
    return {"staffed": agency, "with_desk": with_desk, "elsewhere": elsewhere, "inactive": inactive}


def test_the_demo_ca_and_the_agencies_certificates_are_made(cast, settings):
    # When the command runs on an empty PKI_DIR
    output = run()

    # Then the CA is the demo one, said to be for demonstration only
    pki_dir = settings.PKI_DIR
    ca = certificate(pki_dir / "ca.crt")
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "OpenDVC Demo CA"
    assert mode(pki_dir / "ca.key") == 0o600
    assert "CHỈ DÙNG ĐỂ TRÌNH DIỄN" in output
    assert "2 cấp mới" in output

    # and exactly the staffed agency and the one with a desk in the province got a key
    # (0600) and a certificate naming it, for signing, under the demo CA
    for name in ("staffed", "with_desk"):
        key, crt = signing.agency_paths(cast[name].code)
        assert mode(key) == 0o600
        issued = certificate(crt)
        assert issued.issuer == ca.subject
        organisation = issued.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        assert organisation[0].value == cast[name].name
        usage = issued.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature and usage.content_commitment
        assert not usage.key_cert_sign
        assert cast[name].code in output
    for name in ("elsewhere", "inactive"):
        assert not signing.has_certificate(cast[name])


def test_running_again_keeps_every_key(cast, settings):
    run()
    files = sorted(p for p in settings.PKI_DIR.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}

    output = run()

    assert {p: p.read_bytes() for p in files} == before
    assert sorted(p for p in settings.PKI_DIR.rglob("*") if p.is_file()) == files
    assert "0 cấp mới, 2 đã có" in output
    assert "giữ nguyên" in output


def test_one_agency_on_demand(cast, settings):
    output = run("--agency", "X-KHAC")

    assert signing.has_certificate(cast["elsewhere"])
    assert not signing.has_certificate(cast["staffed"])
    assert "1 cấp mới" in output
    with pytest.raises(CommandError, match="Không có cơ quan mã KHONG-CO"):
        run("--agency", "KHONG-CO")


def test_half_a_ca_is_never_overwritten(cast, settings):
    settings.PKI_DIR.mkdir(parents=True)
    (settings.PKI_DIR / "ca.crt").write_text("a CA certificate kept by someone")

    with pytest.raises(CommandError, match="không tạo đè CA"):
        run()
    assert (settings.PKI_DIR / "ca.crt").read_text() == "a CA certificate kept by someone"


def test_a_result_signed_with_a_demo_certificate_is_trusted(cast, citizen, leader):
    run()
    now = MONDAY + timedelta(days=2)
    result = issue_signed_result(dossier=finished(cast["staffed"], citizen), by=leader, now=now)

    verification = signing.verify_pdf(result.file.read())

    assert verification.is_valid
    assert "Sở Tư pháp tỉnh Bắc Ninh" in verification.signer
