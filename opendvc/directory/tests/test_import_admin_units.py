import io
import json

import pytest
from django.core.management import CommandError, call_command

from opendvc.audit.models import AuditEntry
from opendvc.directory.importers import DEFAULT_CSV
from opendvc.directory.models import AdminUnit

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_admin_units", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def real_lines() -> list[str]:
    return DEFAULT_CSV.read_text(encoding="utf-8").splitlines()


def write_csv(tmp_path, lines: list[str]):
    path = tmp_path / "units.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_real_file_gives_34_provinces_and_3321_communes():
    output = run()

    assert AdminUnit.objects.provinces().count() == 34
    assert AdminUnit.objects.communes().count() == 3321
    assert AdminUnit.objects.communes().filter(parent__isnull=True).count() == 0
    kinh_bac = AdminUnit.objects.get(code="09187")
    assert (kinh_bac.name, kinh_bac.unit_type, kinh_bac.parent.name) == (
        "Phường Kinh Bắc",
        "Phường",
        "Tỉnh Bắc Ninh",
    )
    assert AdminUnit.objects.get(code="24").children.count() == 99
    assert "3355 tạo mới" in output
    entry = AuditEntry.objects.get(action="directory.admin_units_imported")
    assert (entry.payload["created"], entry.payload["communes"]) == (3355, 3321)


def test_the_portal_name_wins_where_the_file_is_older():
    output = run()

    dong_nai = AdminUnit.objects.get(code="75")
    assert (dong_nai.name, dong_nai.unit_type) == ("Thành phố Đồng Nai", "Thành phố")
    assert "Tỉnh Đồng Nai" in dong_nai.aliases
    assert "Tỉnh 75" in output


def test_a_second_run_creates_and_updates_nothing():
    run()
    before = list(AdminUnit.objects.values_list("pk", "code", "name", "parent_id"))

    output = run()

    assert "0 tạo mới, 0 cập nhật, 3355 không đổi" in output
    assert list(AdminUnit.objects.values_list("pk", "code", "name", "parent_id")) == before
    entries = AuditEntry.objects.filter(action="directory.admin_units_imported")
    assert [(e.payload["created"], e.payload["updated"]) for e in entries] == [(3355, 0), (0, 0)]


def test_a_changed_row_is_updated(tmp_path):
    lines = real_lines()[:4]
    run(str(write_csv(tmp_path, lines)))
    lines[2] = lines[2].replace("Phường Ba Đình", "Phường Ba Đình Mới")

    output = run(str(write_csv(tmp_path, lines)))

    assert "0 tạo mới, 1 cập nhật" in output
    assert AdminUnit.objects.get(code="00004").name == "Phường Ba Đình Mới"


def test_a_malformed_line_is_reported_with_its_line_number(tmp_path):
    lines = real_lines()[:4]
    lines[3] = lines[3].replace(",00008,", ",8A,")
    path = write_csv(tmp_path, lines)

    with pytest.raises(CommandError) as error:
        run(str(path))

    assert "Dòng 4: mã xã không hợp lệ: '8A'" in str(error.value)
    assert not AdminUnit.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_short_line_and_a_bad_number_are_both_reported(tmp_path):
    lines = real_lines()[:4]
    lines[1] = lines[1].rsplit(",", 3)[0]
    lines[2] = lines[2].replace(",21.0386,", ",bắc,")

    with pytest.raises(CommandError) as error:
        run(str(write_csv(tmp_path, lines)))

    message = str(error.value)
    assert "Dòng 2: số cột không khớp" in message
    assert "Dòng 3: vĩ độ xã không phải là số: 'bắc'" in message


def test_a_missing_column_or_file_is_a_clear_error(tmp_path):
    lines = real_lines()[:2]
    lines = [line.replace("wardCode", "ma_xa", 1) for line in lines]
    with pytest.raises(CommandError, match="thiếu cột wardCode"):
        run(str(write_csv(tmp_path, lines)))
    with pytest.raises(CommandError, match="Không mở được tệp"):
        run(str(tmp_path / "missing.csv"))


def test_provinces_missing_from_the_portal_list_are_warned(tmp_path):
    portal = tmp_path / "portal.json"
    rows = [{"code": "01", "name": "Thành phố Hà Nội"}, {"code": "04", "name": "Tỉnh Cao Bằng"}]
    portal.write_text(json.dumps({"data": {"rows": rows}}), encoding="utf-8")

    output = run(str(write_csv(tmp_path, real_lines()[:3])), "--portal-json", str(portal))

    assert "Tỉnh 04 Tỉnh Cao Bằng có trên Cổng DVC nhưng không có trong tệp" in output
    assert AdminUnit.objects.count() == 3


def test_a_file_that_is_not_utf8_is_refused_with_a_message(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes("\n".join(real_lines()[:3]).encode("utf-16"))

    with pytest.raises(CommandError, match="UTF-8"):
        run(str(path))
    assert not AdminUnit.objects.exists()
