"""The sentences every tool shares (a number not understood, a tool that cannot start, the last valid result, a copy
saved on this computer) in a Lao kernel."""
from __future__ import annotations

import pytest

from artisan_course import i18n
from artisan_course.content.reader import ContentError
from artisan_course.text import CourseInputError, parse_number



def test_a_number_the_tool_cannot_read_is_said_in_lao_with_the_fields_own_name(lao):
    with pytest.raises(CourseInputError) as empty:
        parse_number("", "ລາຄາຕໍ່ຊິ້ນ")
    assert str(empty.value) == "ລາຄາຕໍ່ຊິ້ນ: ກະລຸນາພິມຕົວເລກ."
    with pytest.raises(CourseInputError) as words:
        parse_number("ສິບ", "ລາຄາຕໍ່ຊິ້ນ")
    assert str(words.value).startswith("ລາຄາຕໍ່ຊິ້ນ: 'ສິບ' ບໍ່ແມ່ນຕົວເລກ") and "Type digits" not in str(words.value)


def test_a_tool_that_cannot_start_and_a_simulator_keeping_its_last_result_say_so_in_lao(lao, monkeypatch):
    from artisan_course.widgets import kit
    box = kit.message_box()
    kit.show_problem(box, CourseInputError("ລາຄາຕໍ່ຊິ້ນ: ກະລຸນາພິມຕົວເລກ."))
    assert "ເຄື່ອງຈຳລອງຍັງສະແດງຜົນທີ່ຖືກຕ້ອງຄັ້ງສຸດທ້າຍຢູ່." in box.value and "still shows" not in box.value
    shown = []
    monkeypatch.setattr(kit, "display", shown.append)

    def broken():
        raise ContentError("data/role_cards.yaml: <ບໍ່ມີບັດ>")
    kit.show_tool(broken, i18n._("The role-play"))
    assert shown[0].value == ("<p class='course-warning'>ການສະແດງບົດບາດ ເລີ່ມບໍ່ໄດ້: "
                              "data/role_cards.yaml: &lt;ບໍ່ມີບັດ&gt;</p>")
