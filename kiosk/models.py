"""Every feature's models, imported once so that SQLAlchemy and Alembic see the whole schema."""
from kiosk.org.models import Unit, UnitKind  # noqa: F401
from kiosk.accounts.models import ApiToken, Role, User, UserRole  # noqa: F401
from kiosk.audit.models import AuditArchive, AuditEntry  # noqa: F401
from kiosk.scheduling.models import SchedulerLease  # noqa: F401
from kiosk.core.settings import Setting  # noqa: F401
from kiosk.workdays.models import Holiday  # noqa: F401
from kiosk.disclosures.models import Attachment, Category, IndexCounter, Notice, NoticeVersion  # noqa: F401
from kiosk.screens.models import (DisplayReport, PairingRequest, Rotation, Screen, ScreenConnection,  # noqa: F401
                                   ScreenGroup, ScreenGroupMember, Slide, SlideImage, UrgentDelivery,
                                   UrgentNotice, UrgentTarget)
from kiosk.queue.models import (FollowUp, QueueService, Rating, ServiceWindow, Ticket, TicketCounter,  # noqa: F401
                                TicketEvent, WindowService)
from kiosk.public.models import Comment, ContactChannel, PublicPage  # noqa: F401
from kiosk.touch.models import KioskMessage, ServiceGuide  # noqa: F401
from kiosk.broadcast.models import (Ticker, TickerTarget, WarningAlert, WarningPlacement, WarningPolicy,  # noqa: F401
                                     WarningSource)
from kiosk.video.models import Video, VideoCacheReport, VideoGroupSetting  # noqa: F401
from kiosk.applications.models import Application, ApplicationCounter, ApplicationEvent  # noqa: F401
from kiosk.reports.models import AnnualReport, NormativeDocument  # noqa: F401
from kiosk.villages.models import (CommitteeMember, ListItem, PublicDay, SignOff, SignOffCategory,  # noqa: F401
                                   public_day_item)
from kiosk.consultation.models import CommentHandling  # noqa: F401
from kiosk.surveys.models import Survey, SurveyQuestion, SurveyResponse  # noqa: F401
from kiosk.incidents.models import AlertChannel, AlertDelivery, Incident  # noqa: F401
