"""A survey's answers as CSV for Excel: UTF-8 with a BOM, local times, one row per answer, each
choice by its words, the free text masked by the privacy gate."""
import csv
import io

from flask_babel import gettext as _

from kiosk import privacy
from kiosk.core import clock
from kiosk.surveys.models import Channel, QuestionKind, Survey
from kiosk.surveys.operations import SCALE_LABELS, responses

BOM = "\ufeff"
CHANNEL_LABELS = {Channel.kiosk: lambda: _("Kiosk"), Channel.phone: lambda: _("Phone")}


def _answer_text(question, value) -> str:
    if value is None:
        return ""
    if question.kind == QuestionKind.scale:
        return f"{value} {SCALE_LABELS[value]}"
    if question.kind == QuestionKind.multiple:
        return "；".join(question.options[index] for index in value if index < len(question.options))
    return question.options[value] if value < len(question.options) else ""


def results_csv(survey: Survey) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("Answered at"), _("Channel"), *(question.text for question in survey.questions)])
    for row in responses(survey):
        cells = [clock.to_local(row.created_at).strftime("%Y-%m-%d %H:%M"), CHANNEL_LABELS[row.channel]()]
        for question in survey.questions:
            if question.kind == QuestionKind.text:
                cells.append(privacy.mask_text(row.free_text))
            else:
                cells.append(_answer_text(question, row.answers.get(str(question.id))))
        writer.writerow(cells)
    return out.getvalue()
