"""The certificate as the API returns it; times carry the township's offset (+08:00)."""
from datetime import date, datetime

from pydantic import BaseModel, Field

from kiosk.core import clock
from kiosk.proof.certificate import GapReason, Status
from kiosk.proof.operations import Certificate, ScreenRow


class GapOut(BaseModel):
    start: datetime
    end: datetime
    seconds: int
    reason: GapReason = Field(description="offline: not connected, nothing reported; not_shown: the screen ran "
                                          "other slides; silent: connected but reporting nothing")


class PeriodOut(BaseModel):
    start: datetime
    end: datetime
    seconds: int


class DayOut(BaseModel):
    number: int = Field(description="1 for the first local day of the window")
    date: date
    seconds: int = Field(description="the window's part of this day")
    shown_seconds: int
    offline_seconds: int
    missing_seconds: int = Field(description="time without the notice on the screen (in gaps)")


class ScreenProofOut(BaseModel):
    screen_id: int
    name: str
    kind: str
    unit: str
    unit_name: str
    status: Status
    first_shown: datetime | None
    last_shown: datetime | None
    showings: int
    shown_seconds: int
    shown_while_offline_seconds: int = Field(description="showings the player made offline and reported later")
    offline_showings: int = Field(description="showings made while the link was down, reported after it returned")
    coverage: float | None = Field(description="share of the window with the notice on the screen, 0 to 1")
    missing_seconds: int
    offline_seconds: int
    gaps: list[GapOut]
    offline_periods: list[PeriodOut]
    days: list[DayOut]


class NoticeRef(BaseModel):
    id: int
    title: str
    index_number: str | None
    unit: str
    unit_name: str
    category: str
    state: str


class CertificateOut(BaseModel):
    notice: NoticeRef
    window_start: datetime
    window_end: datetime
    open_ended: bool = Field(description="the notice has no end: evaluated up to generated_at")
    generated_at: datetime
    days_left: int | None = Field(None, description="days left in the publicity period at generated_at "
                                                    "(the rule on the public guide page); null without one")
    timezone: str
    screens_total: int
    screens_honoured: int
    screens: list[ScreenProofOut]


def _local(moment: datetime | None) -> datetime | None:
    return clock.to_local(moment) if moment else None


def _seconds(delta) -> int:
    return round(delta.total_seconds())


def _screen_out(row: ScreenRow) -> ScreenProofOut:
    screen, proof = row.screen, row.proof
    return ScreenProofOut(
        screen_id=screen.id, name=screen.name, kind=screen.kind.value, unit=screen.unit.code,
        unit_name=screen.unit.name, status=proof.status, first_shown=_local(proof.first_shown),
        last_shown=_local(proof.last_shown), showings=proof.showings, shown_seconds=_seconds(proof.shown),
        shown_while_offline_seconds=_seconds(proof.shown_while_offline), offline_showings=proof.offline_showings,
        coverage=None if proof.coverage is None else round(proof.coverage, 4),
        missing_seconds=_seconds(proof.missing), offline_seconds=_seconds(proof.offline),
        gaps=[GapOut(start=_local(g.start), end=_local(g.end), seconds=_seconds(g.duration), reason=g.reason)
              for g in proof.gaps],
        offline_periods=[PeriodOut(start=_local(s), end=_local(e), seconds=_seconds(e - s))
                         for s, e in proof.offline_periods],
        days=[DayOut(number=d.number, date=d.day, seconds=_seconds(d.length), shown_seconds=_seconds(d.shown),
                     offline_seconds=_seconds(d.offline), missing_seconds=_seconds(d.missing))
              for d in proof.days])


def certificate_out(certificate: Certificate) -> CertificateOut:
    notice = certificate.notice
    version = notice.published_version
    return CertificateOut(
        notice=NoticeRef(id=notice.id, title=version.title, index_number=notice.index_number,
                         unit=notice.unit.code, unit_name=notice.unit.name, category=version.category.name,
                         state=notice.state.value),
        window_start=_local(certificate.window[0]), window_end=_local(certificate.window[1]),
        open_ended=certificate.open_ended, generated_at=_local(certificate.generated_at),
        days_left=certificate.publicity.days_left if certificate.publicity else None,
        timezone=clock.local_zone().key, screens_total=len(certificate.rows),
        screens_honoured=certificate.honoured, screens=[_screen_out(row) for row in certificate.rows])
