// The hall board: the latest call large and blinking, the last calls, how many wait per service,
// and every new call spoken once (recalls as recalls). Works alone on any screen's browser; on a
// registered hall-board screen it also plays the screen's notices between calls (notices.js).
import { Announcer } from "./speech.js";
import { fill, follow, getJSON, strings } from "./live.js";
import { playNotices } from "./notices.js";

const root = document.getElementById("board");
const text = strings();
const announcer = new Announcer(text.speech_lang);
// Calls older than this when the board first hears of them (after an outage) are not spoken.
const SPEAK_WITHIN_SECONDS = 120;
let lastCall = null;
let notices = null;

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function render(state) {
  const [latest, ...rest] = state.calls;
  // a recall repeats a call: each number is listed once, under its latest call
  const seen = new Set(latest ? [latest.code] : []);
  const earlier = rest.filter((call) => !seen.has(call.code) && seen.add(call.code));
  const now = document.getElementById("now");
  document.getElementById("now-code").textContent = latest ? latest.code : "";
  document.getElementById("now-window").textContent = latest ? fill(text.window, { window: latest.window }) : text.nobody;
  now.classList.toggle("empty", !latest);
  document.getElementById("recent").replaceChildren(...earlier.map((call) => {
    const row = element("li");
    row.append(element("span", "code", call.code), element("span", "window", fill(text.window, { window: call.window })));
    return row;
  }));
  document.getElementById("services").replaceChildren(...state.services.map((service) => {
    const cell = element("li", service.open ? "" : "closed");
    cell.append(element("span", "prefix", service.prefix), element("span", "name", service.name),
      element("span", "count", service.open ? fill(text.people, { n: service.waiting }) : text.closed));
    return cell;
  }));
}

function blink() {
  const now = document.getElementById("now");
  now.classList.remove("blink");
  void now.offsetWidth; // restart the animation
  now.classList.add("blink");
}

function announceNew(state) {
  const ids = state.calls.map((call) => call.id);
  const newest = ids.length ? Math.max(...ids) : 0;
  if (lastCall === null) { lastCall = newest; return; } // what was called before the board started
  const serverNow = Date.parse(state.at);
  const fresh = state.calls.filter((call) => call.id > lastCall).reverse();
  lastCall = Math.max(lastCall, newest);
  if (!fresh.length) return;
  if (notices) notices.giveWayToCall();
  blink();
  for (const call of fresh) {
    if ((serverNow - Date.parse(call.ts)) / 1000 <= SPEAK_WITHIN_SECONDS) announcer.say(call.text);
  }
}

async function refresh() {
  const state = await getJSON(`/hall/${root.dataset.hall}/status.json`);
  render(state);
  announceNew(state);
  root.dataset.loaded = "true"; // calls from now on are announced
}

function tick() {
  const now = new Date();
  document.getElementById("clock").textContent = now.toLocaleTimeString(document.documentElement.lang, {
    hour: "2-digit", minute: "2-digit", timeZone: root.dataset.timezone });
}

render(JSON.parse(document.getElementById("initial-state").textContent));
tick();
setInterval(tick, 10000);
const { socket } = follow({ hall: root.dataset.hall }, refresh, (online) => {
  document.getElementById("offline").hidden = online;
});
const noticeArea = document.getElementById("notices");
if (noticeArea) notices = playNotices(root, noticeArea, socket);
