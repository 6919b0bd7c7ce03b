"""The vocabulary of table 三 of the annual report (国办公开办函〔2021〕30号): who applied, and every result.

An application's applicant kind is one of APPLICANT_KINDS and its outcome one of OUTCOMES (the
leaf rows of 三、本年度办理结果), so the register counts straight into the report. The labels are the
format's own words, fixed by the State Council's template, so they are not translated.
"""
from dataclasses import dataclass

# The columns of table 三 under 申请人情况 (总计 is their sum).
APPLICANT_KINDS: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_organisation": "其他",
}
TABLE_THREE_COLUMNS = (*APPLICANT_KINDS, "total")


@dataclass(frozen=True)
class Outcome:
    code: str       # e.g. "withheld.third_party"
    group: str      # "disclosed" | "partly" | "withheld" | "unavailable" | "not_processed" | "other"
    label: str      # the row's words in the format
    needs_reason: bool = False   # the reply letter must state the legal reason for this outcome


OUTCOME_GROUPS: dict[str, str] = {
    "disclosed": "（一）予以公开",
    "partly": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}

OUTCOMES: dict[str, Outcome] = {o.code: o for o in (
    Outcome("disclosed", "disclosed", "予以公开"),
    Outcome("partly", "partly", "部分公开", needs_reason=True),
    Outcome("withheld.state_secret", "withheld", "1.属于国家秘密", True),
    Outcome("withheld.prohibited_by_law", "withheld", "2.其他法律行政法规禁止公开", True),
    Outcome("withheld.three_safeties", "withheld", "3.危及“三安全一稳定”", True),
    Outcome("withheld.third_party", "withheld", "4.保护第三方合法权益", True),
    Outcome("withheld.internal_affairs", "withheld", "5.属于三类内部事务信息", True),
    Outcome("withheld.process_information", "withheld", "6.属于四类过程性信息", True),
    Outcome("withheld.enforcement_file", "withheld", "7.属于行政执法案卷", True),
    Outcome("withheld.enquiry_matter", "withheld", "8.属于行政查询事项", True),
    Outcome("unavailable.not_held", "unavailable", "1.本机关不掌握相关政府信息", True),
    Outcome("unavailable.needs_making", "unavailable", "2.没有现成信息需要另行制作", True),
    Outcome("unavailable.still_unclear", "unavailable", "3.补正后申请内容仍不明确", True),
    Outcome("not_processed.petition", "not_processed", "1.信访举报投诉类申请", True),
    Outcome("not_processed.repeated", "not_processed", "2.重复申请", True),
    Outcome("not_processed.publication", "not_processed", "3.要求提供公开出版物", True),
    Outcome("not_processed.mass_repeated", "not_processed", "4.无正当理由大量反复申请", True),
    Outcome("not_processed.confirmation", "not_processed", "5.要求行政机关确认或重新出具已获取信息", True),
    Outcome("other.correction_lapsed", "other",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", True),
    Outcome("other.fee_unpaid", "other", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", True),
    Outcome("other.other", "other", "3.其他", True),
)}

# The rows of table 三 in order: codes of the counted rows. "received", "carried_in", each outcome,
# "results_total" (三（七）) and "carried_out" (四). Rule, column by column:
# received + carried_in == results_total + carried_out.
TABLE_THREE_ROWS = ("received", "carried_in", *OUTCOMES, "results_total", "carried_out")
