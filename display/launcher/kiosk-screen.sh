#!/bin/sh
# Start Chromium in kiosk mode on this screen's player, for a mini PC or a Raspberry Pi, through
# the launcher agent (agent.py: display power, screenshots, restarts; it starts Chromium again
# whenever it exits). Run by kiosk-screen.service (systemd restarts the agent if it dies).
#
# Settings come from /etc/default/kiosk-screen (see README.md):
#   KIOSK_SERVER      the server, e.g. http://10.0.0.5:5000            (required)
#   KIOSK_PLAYER_URL  the player URL from createScreen / the staff pages, used once for pairing;
#                     afterwards the browser profile keeps the device token (default: $KIOSK_SERVER/display/)
#   KIOSK_PROFILE     Chromium profile directory (default: $HOME/.local/share/kiosk-screen)
#   CHROMIUM          the browser binary (default: chromium, else chromium-browser)
#   KIOSK_PRINTING    1 on a touch kiosk whose ticket printer is a system (CUPS) printer: tickets
#                     print silently on the default printer, with no print dialog (default: 0)
#   KIOSK_AGENT       the launcher agent (default: /usr/local/lib/kiosk-screen/agent.py); its own
#                     settings (power, restarts, ports) are listed in agent.py and README.md
set -eu

set -a   # the agent reads its settings from the same file
[ -r /etc/default/kiosk-screen ] && . /etc/default/kiosk-screen
set +a
: "${KIOSK_SERVER:?set KIOSK_SERVER in /etc/default/kiosk-screen}"
PROFILE="${KIOSK_PROFILE:-$HOME/.local/share/kiosk-screen}"
BROWSER="${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}"
mkdir -p "$PROFILE"
# Silent printing and Linux speech (speech-dispatcher, for the kiosk's read-aloud) only where asked.
EXTRA=""
[ "${KIOSK_PRINTING:-0}" = 1 ] && EXTRA="--kiosk-printing"

# First start: open the player URL (it stores the device token); later starts: the player itself,
# which the service worker can serve from its cache even when the link is down.
if [ -f "$PROFILE/.paired" ]; then
  URL="$KIOSK_SERVER/display/player"
else
  URL="${KIOSK_PLAYER_URL:-$KIOSK_SERVER/display/}"
  touch "$PROFILE/.paired"
fi

# Chromium keeps a "restore pages?" bubble after a crash; clear the flag so it never shows.
sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"Crashed"/"exit_type":"Normal"/' \
  "$PROFILE/Default/Preferences" 2>/dev/null || true

exec python3 "${KIOSK_AGENT:-/usr/local/lib/kiosk-screen/agent.py}" --url "$URL" -- "$BROWSER" \
  --kiosk \
  --user-data-dir="$PROFILE" \
  --unsafely-treat-insecure-origin-as-secure="$KIOSK_SERVER" \
  --noerrdialogs --disable-infobars --no-first-run --disable-session-crashed-bubble \
  --disable-translate --disable-features=Translate,TranslateUI --disable-pinch --overscroll-history-navigation=0 \
  --autoplay-policy=no-user-gesture-required --check-for-update-interval=31536000 \
  --disable-component-update --lang=zh-CN --enable-speech-dispatcher $EXTRA
