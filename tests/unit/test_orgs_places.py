"""Organizations and places, on short invented news sentences."""

import pytest

from pipelines.extract import extract


def test_known_ministry():
    doc = extract("Bộ Công an vừa ban hành thông tư mới về đăng ký xe.")
    assert doc.organizations == {"Bộ Công an": "ministry"}


def test_provincial_peoples_committee():
    doc = extract("Đoàn kiểm tra đã làm việc với UBND tỉnh Quảng Trị về tiến độ dự án.")
    assert doc.organizations == {"UBND tỉnh Quảng Trị": "local_government"}
    # the province inside the organization's name is not a separate place mention
    assert [m.kind for m in doc.mentions] == ["organization"]


def test_short_pattern_department():
    doc = extract("Sở Tài nguyên và Môi trường đang rà soát toàn bộ hồ sơ cấp phép.")
    assert doc.organizations == {"Sở Tài nguyên và Môi trường": "local_government"}


def test_department_of_education_and_training():
    doc = extract("Sở Giáo dục và Đào tạo đã kiểm tra kỳ thi tại các điểm trường.")
    assert doc.organizations == {"Sở Giáo dục và Đào tạo": "local_government"}


def test_country_is_a_place():
    doc = extract("Việt Nam và Nhật Bản nhất trí tăng cường hợp tác kinh tế.")
    assert doc.locations == {"Việt Nam", "Nhật Bản"}
    assert doc.organizations == {}


def test_province_variant_is_canonical():
    doc = extract("Giá nhà ở TP HCM tiếp tục tăng trong quý này.")
    assert doc.locations == {"TP.HCM"}
    (m,) = [m for m in doc.mentions if m.kind == "location"]
    assert (m.name, m.surface) == ("TP.HCM", "TP HCM")


def test_full_city_name_variant():
    doc = extract("Thành phố Hồ Chí Minh đón hơn 5 triệu lượt khách quốc tế.")
    assert doc.locations == {"TP.HCM"}
    assert doc.people == {}


def test_truong_sa_is_not_a_school():
    doc = extract("Tàu cá của ngư dân bị chìm gần quần đảo Trường Sa.")
    assert "Trường Sa" not in doc.organizations
