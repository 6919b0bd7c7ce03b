"""Every word the kiosk app shows or speaks, from the catalogue, handed to the browser in one
bundle (the app's JavaScript holds no text of its own)."""
from flask_babel import gettext as _
from flask_babel import pgettext

from kiosk.applications.operations import kiosk_words


def kiosk_strings() -> dict:
    return {
        "touch_to_start": _("Touch the screen to start"),
        "home_title": _("What would you like to do?"),
        "take": _("Take a number"), "take_hint": _("Queue for a window"),
        "gov": _("Township disclosures"), "gov_hint": _("Government information"),
        "village": _("Village disclosures"), "village_hint": _("Choose your village"),
        "guides": _("Service guides"), "guides_hint": _("What to bring, the steps"),
        "complain": _("Complaints and supervision"), "complain_hint": _("Hotlines and messages"),
        "rate": _("Rate a service"), "rate_hint": _("With your ticket"),
        "search": _("Search"), "home": _("Home"), "back": _("Back"), "done": _("Done"),
        "large_text": _("Large text"), "contrast": _("High contrast"), "read_aloud": _("Read aloud"),
        "stop_reading": _("Stop reading"),
        # The button names the language it switches to, in that language: English on the Chinese
        # kiosk, 中文 on the English one.
        "language": pgettext("the language the kiosk's button switches to", "中文"),
        "wait": _("Please wait a moment…"), "reconnecting": _("Please wait, reconnecting…"),
        "error": _("Sorry, that did not work. Please try again or ask the staff."),
        # taking a number
        "choose_service": _("Touch the service you need"), "waiting": _("%(count)s waiting", count="{n}"),
        "closed": _("closed now"), "bring": _("Please have ready"), "take_normal": _("Take a number"),
        "green": _("Priority lane"), "green_hint": _("for the elderly, the disabled and military personnel"),
        "your_number": _("Your number"), "ahead": _("%(count)s waiting before you", count="{n}"),
        "estimate": _("Estimated wait: about %(minutes)s minutes", minutes="{m}"),
        "estimate_unknown": _("No wait estimate yet today"),
        "take_ticket": _("Take your printed ticket below."),
        "no_printer": _("Scan the QR code with your phone to keep your number and follow it."),
        "rating_code": _("Rating code %(code)s", code="{code}"),
        # browsing
        "choose_category": _("Touch a kind of disclosure"), "choose_village": _("Touch your village"),
        "all": _("All"), "none_found": _("Nothing is published here now."),
        "days_left": _("Publicity: %(n)s days left", n="{n}"), "last_day": _("Publicity ends today"),
        "published": _("Published %(date)s", date="{date}"),
        "previous": _("Previous page"), "next": _("Next page"), "page": _("Page %(n)s of %(total)s", n="{n}", total="{total}"),
        "scan_notice": _("Scan to read it on your phone"), "documents": _("Attached documents"),
        "document_page": _("%(name)s, page %(n)s of %(total)s", name="{name}", n="{n}", total="{total}"),
        # search
        "search_title": _("Type pinyin letters, e.g. dbgs for 低保公示"),
        "search_hint": _("Results appear as you type."),
        "nothing_matched": _("Nothing found for “%(words)s”. Try fewer letters or other words.", words="{words}"),
        "clear": _("Clear"), "delete": _("Delete"),
        "space": _("Space"),
        # guides
        "materials": _("Materials to bring"), "steps": _("Steps"), "time_limit": _("Time limit"),
        "fee": _("Fee"), "window": _("Window"), "hours": _("Opening hours"), "office": _("Responsible office"),
        "take_for": _("Take a number for %(service)s", service="{service}"), "scan_guide": _("Scan to keep this guide"),
        "no_guides": _("No service guides yet. Please ask at the information desk."),
        # complaints
        "channels": _("Call or scan to reach them"), "scan_call": _("Scan to call"),
        "leave_message": _("Leave a message for the hall"), "about": _("What is it about?"),
        "message_words": _("A few words (optional)"), "phone": _("Your phone, for a call back (optional)"),
        "pinyin_hint": _("Type pinyin, then touch the word you mean"), "more_words": _("More"),
        "send": _("Send"), "sent": _("Thank you. Your message has reached the hall's staff."),
        "too_many": _("This kiosk has taken many messages just now. Please try again later or call a line above."),
        # rating
        "rate_title": _("Type the number on your ticket and its rating code"),
        "rate_scan": _("Or hold your ticket's QR code to the scanner."),
        "ticket_number": _("Ticket number"), "ticket_code": _("Rating code"),
        "rate_level": _("How satisfied are you?"), "thanks": _("Thank you for rating our service."),
        "type_both": _("Type the ticket number and its rating code first."),
        **kiosk_words(),
    }
