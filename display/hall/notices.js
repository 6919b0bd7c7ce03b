// The notice area of a hall board that is a registered hall-board screen: its own rotation (the
// screens feature's state, drawn by the player's slides module) plays beside the calls, and every
// slide shown is reported for proof of display like the player's.
// Calls come first: a new call hides the notices at once and the call has the whole board for a
// while; an urgent notice takes the notice area, never the calls.
// The state's ticker lines crawl along the bottom of the board (display/player/ticker.js).
// State: GET /display/state, fetched again when the screens namespace pushes a new `state` (every
// change of what the board shows, notices included) or says `changed`, and after every reconnect.
// Outside the screen's on-hours the whole board goes dark (display off through the launcher) like
// the player; an urgent notice wakes it, and so does a new call (staff working late) for its focus.
// Remote commands and what the board reports of itself: the player's fleet.js.
import { activeUrgent, chooseRotation, Cycle, measurePages, picturesReady, playable, playVideo, renderSlide,
  renderUrgent, showPage, VIDEO_GIVE_UP_MS } from "/display/files/slides.js";
import { deviceToken, reconnectWhenOnline, Reports } from "/display/files/device.js";
import { Commands, Darkness, DeviceReport, isOnAt, Launcher, nextPowerChange } from "/display/files/fleet.js";
import { Ticker } from "/display/files/ticker.js";
import { getJSON } from "./live.js";

const HEARTBEAT_MS = 20000;
const CALL_FOCUS_MS = 30000;     // how long a new call has the whole board
const IDLE_LOOK_MS = 10000;      // nothing to play: look again this often
const DARK_CHECK_MS = 60000;

export function playNotices(board, pane, queueSocket) {
  const launcher = new Launcher();
  const token = deviceToken();
  // Revoked: reload, and the server answers with the plain board (calls only).
  const reports = new Reports(token, () => location.reload());
  const cycle = new Cycle();
  // The screen's ticker lines crawl along the bottom of the whole board (under the calls too).
  const ticker = new Ticker(document.getElementById("ticker"),
    (lines) => document.documentElement.classList.toggle("with-ticker", lines.length > 0));
  let state = null;
  let current = null;            // {entry, start} of what is in the area
  let page = 0, pages = 1;
  let timer = null;
  let focusUntil = 0;
  let awake = false;               // an identify lights a dark board for its 30 s
  const darkness = new Darkness(launcher);
  const device = new DeviceReport();
  const commands = new Commands(launcher, { words: () => words(), token,
    keepAwake: (on) => { awake = on; if (on) darkness.wake(); else advance(); } });

  const words = () => (state && state.strings) || {};
  // The board already shows the queue: its slide would only repeat it.
  const notQueue = (slide) => slide.kind !== "queue";

  function finish(now) {
    if (current) reports.shown(current.entry, current.start, now, !screens.connected);
    current = null;
  }

  async function show(entry, node, now) {
    finish(now);
    current = { entry, start: now };
    pane.replaceChildren(node);
    await picturesReady(node);
    if (current?.entry !== entry) return;  // a later slide took the pane while these pictures loaded
    page = 0;
    pages = measurePages(node);
    showPage(node, page, pages, words());
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(advance, ms);
  }

  async function advance() {
    clearTimeout(timer);
    const now = Date.now();
    const urgent = activeUrgent(state, now);
    if (!urgent && !awake && now >= focusUntil && !isOnAt(state, now)) {
      finish(now);
      pane.replaceChildren();
      darkness.sleep();
      const next = nextPowerChange(state, now);
      schedule(Math.max(1000, Math.min(DARK_CHECK_MS, next === null ? DARK_CHECK_MS : next - now)));
      return;
    }
    if (darkness.shown) darkness.wake();
    if (now < focusUntil) { schedule(focusUntil - now); return; }
    pane.classList.toggle("urgent-shown", Boolean(urgent));
    if (urgent) {
      board.classList.add("with-notices");
      if (!current || current.entry.urgent_id !== urgent.id) {
        await show({ key: `u${urgent.id}`, kind: "urgent", urgent_id: urgent.id }, renderUrgent(urgent, words()), now);
      }
      schedule(1000);
      return;
    }
    const entry = current && current.entry;
    if (entry && entry.kind === "notice" && page + 1 < pages && playable(entry, now)) {
      board.classList.add("with-notices");  // back after a call's focus, on the next page of a long notice
      page += 1;
      showPage(pane.firstElementChild, page, pages, words());
      schedule(entry.duration * 1000);
      return;
    }
    const next = cycle.next(chooseRotation(state, now, notQueue));
    board.classList.toggle("with-notices", Boolean(next));
    if (!next) { finish(now); pane.replaceChildren(); schedule(IDLE_LOOK_MS); return; }
    try { await show(next, renderSlide(next, now, state), now); } catch (error) { console.error("slide failed", error); }
    if (current?.entry !== next) return;  // meanwhile a later advance or the night took over
    if (next.kind === "video") { startVideo(next); return; }
    schedule(next.duration * 1000);
  }

  // Each play reported and the group's sound, as on a noticeboard (slides.js playVideo).
  function startVideo(entry) {
    const video = pane.querySelector("video");
    if (!video) { schedule(VIDEO_GIVE_UP_MS); return; }
    schedule(playVideo(video, entry, {
      ours: () => current && current.entry === entry,
      played: (now) => {
        reports.shown(entry, current.start, now, !screens.connected);
        current.start = now;
      },
      done: advance,
      giveUp: schedule,
    }));
  }

  async function refresh() {
    try {
      const next = await getJSON("/display/state");
      const changed = !state || state.digest !== next.digest;
      state = next;
      ticker.update(state);
      if (changed) { cycle.position -= 1; finish(Date.now()); advance(); }  // an edited slide shows at once
    } catch (error) {
      console.warn("notices: state not fetched", error);  // the last state keeps playing
    }
  }

  function heartbeat() {
    if (!screens.connected) return;
    const entry = current && current.entry;
    const info = device.info();
    screens.emit("heartbeat", { ...info,
      showing: entry ? { key: entry.key, kind: entry.kind, title: entry.title || entry.caption || "",
        urgent: entry.urgent_id ?? "" } : null }, () => device.sent(info));
    reports.send();
  }

  // eslint-disable-next-line no-undef
  const screens = io("/screens", { auth: { token }, transports: ["websocket", "polling"] });
  screens.on("connect", () => { refresh(); heartbeat(); });
  screens.on("changed", refresh);
  screens.on("state", refresh);
  screens.on("revoked", () => location.reload());
  commands.attach(screens);
  reconnectWhenOnline(screens);
  setInterval(heartbeat, HEARTBEAT_MS);
  // On the queue's socket too: revoking the screen then closes that one as well.
  const follow = () => queueSocket.emit("screens.follow", { token });
  queueSocket.on("connect", follow);
  if (queueSocket.connected) follow();

  return {
    // A new call: the whole board is the call's until the hall has been quiet for a while.
    giveWayToCall() {
      focusUntil = Date.now() + CALL_FOCUS_MS;
      board.classList.remove("with-notices");
      if (darkness.shown) darkness.wake();
      schedule(CALL_FOCUS_MS);
    },
  };
}
