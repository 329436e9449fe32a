"""Signing results with an agency's certificate (PAdES, pyHanko), verifying signed PDFs against
the trusted roots, and issuing the demonstration certificates.

Keys and certificates live in files under `settings.PKI_DIR`: `ca.crt` (the trusted root or
roots, PEM) and `agencies/<agency code>.key|.crt` (PEM, key unencrypted and readable by the
service account only). A province replaces the demo CA with certificates from a licensed
provider (CA công cộng or the government's CA) by putting the files in the same places.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

logger = logging.getLogger(__name__)

DEMO_CA_NAME = "OpenDVC Demo CA"
FIELD_NAME = "ChuKySoCoQuan"


@dataclass(frozen=True)
class AgencySigner:
    """An agency's signing key and certificate, with the CA certificates to embed."""

    key: asn1_keys.PrivateKeyInfo
    certificate: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]

    @property
    def subject(self) -> str:
        return _subject(self.certificate)

    @property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "X")

    @property
    def certificate_sha256(self) -> str:
        return hashlib.sha256(self.certificate.dump()).hexdigest()


class Outcome:
    VALID = "VALID"
    NOT_PDF = "NOT_PDF"
    DAMAGED = "DAMAGED"
    NOT_SIGNED = "NOT_SIGNED"
    MODIFIED = "MODIFIED"
    UNTRUSTED = "UNTRUSTED"


@dataclass(frozen=True)
class Verification:
    """What a PDF's signatures say: intact (the signed bytes unchanged, nothing but signature
    data added after), trusted (the signer's certificate chains to a root in PKI_DIR/ca.crt)."""

    outcome: str
    signer: str = ""
    signed_at: datetime | None = None
    certificate_sha256: str = ""

    @property
    def intact(self) -> bool:
        return self.outcome in (Outcome.VALID, Outcome.UNTRUSTED)

    @property
    def trusted(self) -> bool:
        return self.outcome == Outcome.VALID

    @property
    def is_valid(self) -> bool:
        return self.outcome == Outcome.VALID


def file_stem(code: str) -> str:
    # Agency codes come from the catalog ("000.00.00.H10", "T24-STP"): never a path.
    return re.sub(r"[^A-Za-z0-9._-]", "_", code).lstrip(".") or "_"


def agency_paths(code: str) -> tuple[Path, Path]:
    """The agency's key and certificate files."""
    folder = Path(settings.PKI_DIR) / "agencies"
    stem = file_stem(code)
    return folder / f"{stem}.key", folder / f"{stem}.crt"


def ca_path() -> Path:
    return Path(settings.PKI_DIR) / "ca.crt"


def has_certificate(agency) -> bool:
    key, crt = agency_paths(agency.code)
    return key.is_file() and crt.is_file()


def load_signer(agency) -> AgencySigner | None:
    """The agency's signer, or None when its key or certificate file is missing."""
    key_path, crt_path = agency_paths(agency.code)
    if not (key_path.is_file() and crt_path.is_file()):
        return None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    certificate = next(iter(load_certs_from_pemder_data(crt_path.read_bytes())))
    return AgencySigner(
        key=asn1_keys.PrivateKeyInfo.load(der_key),
        certificate=certificate,
        chain=tuple(trusted_roots()),
    )


def trusted_roots() -> list[asn1_x509.Certificate]:
    path = ca_path()
    if not path.is_file():
        return []
    return list(load_certs_from_pemder_data(path.read_bytes()))


class _TimedPdfSigner(signers.PdfSigner):
    # pyHanko takes the signing time from the clock; the action passes its own `now`, so the
    # time in the signature is the one recorded in the database and the audit log.
    def __init__(self, *args, at: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(self, *args, **kwargs):
        session = super().init_signing_session(*args, **kwargs)
        session.system_time = self._at
        return session


def sign_pdf(pdf_bytes: bytes, signer: AgencySigner, now: datetime) -> bytes:
    """Sign the whole PDF (PAdES baseline, SHA-256, an invisible signature field: the signer
    and the agency are printed on the page itself)."""
    cms_signer = signers.SimpleSigner(
        signing_cert=signer.certificate,
        signing_key=signer.key,
        cert_registry=SimpleCertificateStore.from_certs(list(signer.chain)),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Ký số kết quả giải quyết thủ tục hành chính",
        location=settings.SITE_URL,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    output = io.BytesIO()
    pdf_signer = _TimedPdfSigner(meta, signer=cms_signer, at=now)
    _outside_event_loop(lambda: pdf_signer.sign_pdf(writer, output=output))
    return output.getvalue()


def _outside_event_loop(work: Callable[..., object], *args) -> object:
    # pyHanko's synchronous calls run their own event loop (asyncio.run), which fails in a
    # thread that already runs one (an async server's thread, a browser-driving test).
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work, *args).result()


def verify_pdf(pdf_bytes: bytes) -> Verification:
    """Check every signature of the PDF against the trusted roots of PKI_DIR/ca.crt.
    Never raises for bad input: the outcome says what is wrong."""
    if b"%PDF-" not in pdf_bytes[:1024]:
        return Verification(Outcome.NOT_PDF)
    try:
        signatures = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - any parse failure means a file we cannot read
        logger.info("unreadable PDF submitted for verification", exc_info=True)
        return Verification(Outcome.DAMAGED)
    if not signatures:
        return Verification(Outcome.NOT_SIGNED)
    context = ValidationContext(
        trust_roots=trusted_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )
    outcome, status = Outcome.VALID, None
    for signature in signatures:
        try:
            status = _outside_event_loop(validate_pdf_signature, signature, context)
        except Exception:  # noqa: BLE001 - a mangled signature is a modified document
            logger.info("signature could not be validated", exc_info=True)
            return Verification(Outcome.MODIFIED)
        if not (status.intact and status.valid and _unchanged(status)):
            return Verification(Outcome.MODIFIED)
        if not status.trusted:
            outcome = Outcome.UNTRUSTED
    return Verification(
        outcome,
        signer=_subject(status.signing_cert),
        signed_at=status.signer_reported_dt,
        certificate_sha256=hashlib.sha256(status.signing_cert.dump()).hexdigest(),
    )


def _unchanged(status) -> bool:
    # Content appended after signing (an incremental update) is a modification, unless it
    # only adds validation data (DSS, document timestamps).
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)


def _subject(certificate: asn1_x509.Certificate) -> str:
    parsed = x509.load_der_x509_certificate(certificate.dump())
    return parsed.subject.rfc4514_string()[:300]


# Issuing certificates: the demonstration CA of `opendvc setup_demo_pki`, and the tests' CA.


@dataclass(frozen=True)
class Issued:
    key_pem: bytes
    certificate_pem: bytes


def _name(common_name: str, organisation: str = "") -> x509.Name:
    # X.509 caps the common name at 64 characters; the organisation keeps the full name.
    short = common_name if len(common_name) <= 64 else common_name[:63].rsplit(" ", 1)[0] + "…"
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, short))
    return x509.Name(attributes)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def issue_ca(*, name: str = DEMO_CA_NAME, now: datetime, years: int = 10) -> Issued:
    """A self-signed root (EC P-256: quick to make, small signatures)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name, "OpenDVC")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(_pem_key(key), certificate.public_bytes(serialization.Encoding.PEM))


def issue_agency_certificate(
    *, ca: Issued, agency_name: str, now: datetime, years: int = 3
) -> Issued:
    """A signing certificate for an agency, issued by `ca`: the agency's name in the subject,
    key usage digitalSignature and nonRepudiation."""
    ca_key = serialization.load_pem_private_key(ca.key_pem, password=None)
    ca_certificate = x509.load_pem_x509_certificate(ca.certificate_pem)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(agency_name, agency_name))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(min(now + timedelta(days=365 * years), ca_certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return Issued(_pem_key(key), certificate.public_bytes(serialization.Encoding.PEM))


class PkiFolder:
    """A PKI_DIR being filled: its CA (made once, then kept) and the agencies' keys and
    certificates issued by it. Used by `opendvc setup_demo_pki` and by the tests."""

    def __init__(self, root: Path, *, now: datetime, ca_years: int = 10, years: int = 3) -> None:
        self.root = Path(root)
        self.now = now
        self.ca_years = ca_years
        self.years = years
        self._ca: Issued | None = None

    @property
    def ca_key_path(self) -> Path:
        return self.root / "ca.key"

    @property
    def ca_certificate_path(self) -> Path:
        return self.root / "ca.crt"

    def ensure_ca(self) -> tuple[Issued, bool]:
        """The CA, and whether it was made now. Refuses to replace half of an existing CA."""
        key, crt = self.ca_key_path, self.ca_certificate_path
        if self._ca is None and key.is_file() and crt.is_file():
            self._ca = Issued(key.read_bytes(), crt.read_bytes())
            return self._ca, False
        if self._ca is not None:
            return self._ca, False
        if key.exists() or crt.exists():
            raise FileExistsError(f"Thiếu một trong hai tệp {key} và {crt}; không tạo đè CA.")
        self._ca = issue_ca(now=self.now, years=self.ca_years)
        write_private(key, self._ca.key_pem)
        write_public(crt, self._ca.certificate_pem)
        return self._ca, True

    def issue_for(self, agency, *, replace: bool = False) -> bool:
        """Give the agency a key and certificate unless it has them; whether one was issued."""
        stem = file_stem(agency.code)
        key_path = self.root / "agencies" / f"{stem}.key"
        crt_path = self.root / "agencies" / f"{stem}.crt"
        if not replace and key_path.is_file() and crt_path.is_file():
            return False
        ca, _ = self.ensure_ca()
        pair = issue_agency_certificate(
            ca=ca, agency_name=agency.name, now=self.now, years=self.years
        )
        write_private(key_path, pair.key_pem)
        write_public(crt_path, pair.certificate_pem)
        return True


def write_private(path: Path, data: bytes) -> None:
    """Write a private key readable by its owner only (0600), never briefly wider."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.chmod(path, 0o600)


def write_public(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
