"""The report editor over HTTP: table 三 drafted from the register, the balance rule refusing a wrong
figure with a Chinese message naming column and row while keeping what was typed, the typed figures
of tables 二 and 四, and the DOCX and PDF read back."""
import io
import shutil
import re

import pytest
from docx import Document as ReadDocx
from pypdf import PdfReader
from sqlalchemy import select

from kiosk.applications.outcomes import TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.extensions import db
from kiosk.reports.models import AnnualReport
from kiosk.reports.tables import REMEDIES, REMEDY_RESULTS, ROW_LABELS, TABLE_FOUR_CELLS
from tests.conftest import StaffClient
from tests.reports.conftest import PASSWORD, chosen_figures

URL = "/staff/reports/liuhe/2026"


@pytest.fixture
def editor(year_app):
    return StaffClient(year_app.test_client(), "lh-editor", PASSWORD)


def form_of(figures, **changes) -> dict:
    data = {f"t3-{row}-{column}": str(figures[row][column]) for row in TABLE_THREE_ROWS
            for column in TABLE_THREE_COLUMNS}
    data.update({f"t4-{cell}": "0" for cell in TABLE_FOUR_CELLS})
    data.update({"t4-review.upheld": "1", "t4-review.total": "1",
                 "licensing": "37", "penalty": "4", "enforcement": "0", "fees": "1.25", "processing_fee": "0",
                 "section-overview": "本镇全年公开工作总体平稳。\n各村公开栏运行正常。",
                 "section-proactive": "主动公开情况见下表。", "section-applications": "申请情况见下表。",
                 "section-remedies": "复议诉讼情况见下表。",
                 "section-problems": "个别村公开内容更新不及时，下一步加强督促。", "section-other": "无。"})
    data.update(changes)
    return data


def test_table_three_is_drafted_from_the_register_and_shown_for_editing(editor, register_figures):
    figures = chosen_figures(received=5, carried_in=2)
    calls = register_figures(default=figures)
    page = editor.get(URL).get_data(as_text=True)
    assert calls and calls[0][1] == 2026
    for row in TABLE_THREE_ROWS:
        for column in TABLE_THREE_COLUMNS:
            assert f'name="t3-{row}-{column}" value="{figures[row][column]}"' in page
    assert "主动公开政府信息5条" in page    # section 一's draft


def test_a_figure_that_breaks_the_balance_is_refused_naming_column_and_row_and_kept(editor, register_figures,
                                                                                     year_app):
    register_figures(default=chosen_figures())
    figures = chosen_figures()
    figures["carried_out"]["natural_person"] += 2    # 四 too big for 自然人
    figures["carried_out"]["total"] += 2
    response = editor.post_form(URL, form_of(figures, **{"section-problems": "我写的这句话要保留。"}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "表三“自然人”列：一 + 二 = 3，而 三（七）+ 四 = 5" in page
    assert "表三“总计”列：一 + 二 = 4，而 三（七）+ 四 = 6" in page
    assert f"“{ROW_LABELS['carried_out']}”行" in page
    assert f'name="t3-carried_out-natural_person" value="{figures["carried_out"]["natural_person"]}"' in page
    assert "我写的这句话要保留。" in page and 'name="licensing" value="37"' in page
    with year_app.app_context():
        report = db.session.scalar(select(AnnualReport).where(AnnualReport.year == 2026))
        assert report is None or report.table_three == {}     # nothing half-saved


@pytest.mark.parametrize("change, message", [
    ({"t3-disclosed-total": "9"}, "表三“（一）予以公开”行：“总计”列填写为9，但六类申请人合计为2。"),
    ({"t3-results_total-commercial": "0"}, "表三“商业企业”列：“三（七）总计”行填写为0，但各办理结果行合计为1。"),
    ({"t3-received-research": "两"}, "表三“科研机构”列“一、本年新收政府信息公开申请数量”行：请填写不小于0的整数，不能填写“两”。"),
    ({"t4-review.total": "3"}, "表四行政复议：“总计”填写为3，但结果维持、结果纠正、其他结果和尚未审结合计为1。"),
    ({"fees": "1.23456"}, "表二“行政事业性收费”：请以万元为单位填写金额，最多四位小数，不能填写“1.23456”。"),
    ({"penalty": "-1"}, "表二“行政处罚”：处理决定数量必须是不小于0的整数，不能填写“-1”。"),
])
def test_every_rule_of_the_format_has_its_message(editor, register_figures, change, message):
    register_figures(default=chosen_figures())
    response = editor.post_form(URL, form_of(chosen_figures(), **change))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def _docx_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_saved_report_exports_as_docx_and_pdf_with_its_tables(editor, register_figures, tally):
    register_figures(default=chosen_figures())
    figures = chosen_figures(received=4, carried_in=0)
    assert editor.post_form(URL, form_of(figures)).status_code == 302

    docx = ReadDocx(io.BytesIO(editor.get(URL + ".docx").data))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "柳河镇2026年政府信息公开工作年度报告" in text
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in text
    assert "个别村公开内容更新不及时，下一步加强督促。" in text
    two, three, four = docx.tables
    two_rows = _docx_rows(two)
    assert ["行政规范性文件", str(tally.normative_issued), str(tally.normative_repealed),
            str(tally.normative_in_force)] in two_rows
    assert ["规章", str(tally.rules_issued), "0", str(tally.rules_in_force)] in two_rows
    assert ["行政许可*", "37", "", ""] in two_rows and ["行政事业性收费*", "1.25", "", ""] in two_rows
    three_rows = _docx_rows(three)    # merged header cells read once per column they cover
    assert three_rows[0][1:] == ["申请人情况"] * 7
    assert three_rows[1][1:] == ["自然人", *["法人或其他组织"] * 5, "总计"]
    assert three_rows[2][1:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert three_rows[3:] == [[ROW_LABELS[row], *(str(figures[row][c]) for c in TABLE_THREE_COLUMNS)]
                              for row in TABLE_THREE_ROWS]
    four_rows = _docx_rows(four)
    assert four_rows[0][1:] == list(REMEDY_RESULTS.values())
    assert four_rows[1] == [REMEDIES["review"], "1", "0", "0", "0", "1"]

    pdf = editor.get(URL + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    # pypdf reads the code of each glyph of fpdf2's CID font (its encoding is an embedded CMap, which
    # pypdf does not parse) as two bytes, the first a NUL; pdfium reads the same text without them.
    flat = re.sub(r"[\s\x00]+", "", extracted)
    assert "柳河镇2026年政府信息公开工作年度报告" in flat
    assert "行政规范性文件" + "".join(map(str, (tally.normative_issued, tally.normative_repealed,
                                               tally.normative_in_force))) in flat
    assert "本年新收政府信息公开申请数量" in flat
    received = "".join(str(figures["received"][c]) for c in TABLE_THREE_COLUMNS)
    assert received in flat


def test_the_command_writes_a_townships_report_and_refuses_an_unknown_one(year_db, register_figures, tmp_path,
                                                                          monkeypatch):
    from click.testing import CliRunner

    from kiosk.cli import main
    figures = chosen_figures(received=7, carried_in=0)
    register_figures(default=figures)
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(year_db[0], instance / "kiosk.sqlite3")
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("KIOSK_CLOCK_START", "2027-01-12T10:00:00+08:00")
    docx_path = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["reports", "annual", "--year", "2026", "--unit", "liuhe",
                                       "--docx", str(docx_path)])
    assert result.exit_code == 0, result.output
    three = _docx_rows(ReadDocx(docx_path).tables[1])
    assert three[3] == [ROW_LABELS["received"], *(str(figures["received"][c]) for c in TABLE_THREE_COLUMNS)]
    refused = CliRunner().invoke(main, ["reports", "annual", "--year", "2026", "--unit", "nowhere",
                                        "--pdf", str(tmp_path / "r.pdf")])
    assert refused.exit_code == 2 and "没有乡镇 nowhere。" in refused.output
    assert not (tmp_path / "r.pdf").exists()


def test_the_register_marks_a_repeal_and_refuses_one_before_the_document_was_made(editor, register_figures, tally,
                                                                                  year_app):
    from kiosk.reports import activity, tables
    from kiosk.reports.models import NormativeKind
    register_figures(default=chosen_figures())
    url = f"{URL}/normative/{tally.notice_ids['rule']}"
    refused = editor.post_form(url, {"kind": "rule", "repealed_on": "2026-03-01"})
    assert refused.status_code == 400
    assert "文件的废止日期不能早于其形成日期（2026-04-01）。" in refused.get_data(as_text=True)
    assert editor.post_form(url, {"kind": "rule", "repealed_on": "2026-12-01"}).status_code == 302
    with year_app.app_context():
        from kiosk.org.models import Unit
        town = db.session.scalar(select(Unit).where(Unit.code == "liuhe"))
        counts = tables.table_two_documents([u.id for u in activity.units_below(town)], 2026)
    assert counts[NormativeKind.rule] == tables.DocumentCounts(tally.rules_issued, 1, tally.rules_in_force - 1)


def test_table_three_is_drafted_from_the_applications_register_itself(year_app, editor):
    """No stand-in for the register: applications filed and decided through its operations appear in
    the report's table 三 (the register's own counts are tested cell by cell in tests/applications)."""
    from datetime import date

    from kiosk.applications import operations as applications
    from kiosk.applications.models import Channel
    from tests.applications.conftest import at, fields, township, user
    with year_app.app_context():
        for day, kind, outcome in ((date(2026, 3, 2), "natural_person", "disclosed"),
                                   (date(2026, 5, 11), "commercial", "withheld.third_party"),
                                   (date(2026, 12, 14), "natural_person", None)):       # still open at the year's end
            at(day)
            application = applications.file_application(user("lh-window"), township("liuhe"),
                                                        fields(applicant_kind=kind), Channel.in_person)
            db.session.commit()
            if outcome:
                at(date(day.year, day.month, day.day + 3))
                applications.decide(user("lh-reviewer"), application, applications.Decision(
                    outcome, reason="涉及第三方商业秘密，第三方不同意公开（第三十二条）", provided="合同复印件一份"))
                db.session.commit()
    page = editor.get(URL).get_data(as_text=True)
    drafted = {(row, column): int(value) for row, column, value in
               re.findall(r'name="t3-([a-z_.]+)-([a-z_]+)" value="(\d+)"', page)}
    assert drafted[("received", "natural_person")] == 2 and drafted[("received", "commercial")] == 1
    assert drafted[("received", "total")] == 3
    assert drafted[("disclosed", "natural_person")] == 1
    assert drafted[("withheld.third_party", "commercial")] == 1
    assert drafted[("results_total", "total")] == 2 and drafted[("carried_out", "total")] == 1
