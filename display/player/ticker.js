// The ticker (滚动字幕) along the bottom of a screen: the state's lines crawl one after another at
// their speed in characters per second, with their pause between passes. The crawl is one Web
// Animation of `transform` (linear, composited), so it moves the same number of pixels every
// frame whatever the panel's refresh rate: no jerk on a 30 fps panel and no work on the page's
// main thread. Which lines run is the server's rule (kiosk/screens/state.py tickers_at): in their
// windows and not ended; while an urgent line runs, only the urgent ones.
import {el, playable} from "./slides.js";

const LOOK_MS = 1000;   // how often the lines in effect are looked at again (windows, ends)

export function linesAt(state, at) {
  const running = ((state && state.tickers) || []).filter((t) => t.starts <= at && playable(t, at));
  const urgent = running.filter((t) => t.urgent);
  return urgent.length ? urgent : running;
}

export class Ticker {
  // `box`: the strip; `onShown(lines)`: told when the strip appears, changes or goes.
  constructor(box, onShown = () => {}) {
    this.box = box;
    this.onShown = onShown;
    this.state = null;
    this.signature = "";
    this.lines = [];
    this.index = 0;
    this.animation = null;
    this.pauseTimer = null;
    setInterval(() => this.look(), LOOK_MS);
  }

  update(state) {
    this.state = state;
    this.look();
  }

  look() {
    const lines = linesAt(this.state, Date.now());
    const signature = JSON.stringify(lines.map((t) => [t.id, t.text, t.speed, t.pause, t.urgent]));
    if (signature === this.signature) return;
    const wasUrgent = this.lines.some((t) => t.urgent);
    this.signature = signature;
    this.lines = lines;
    this.box.hidden = !lines.length;
    this.onShown(lines);
    // An urgent line starts at once; otherwise the line crawling now finishes its pass first.
    if (!lines.length || !this.animation || lines.some((t) => t.urgent) !== wasUrgent) this.restart();
  }

  restart() {
    if (this.animation) this.animation.cancel();
    this.animation = null;
    clearTimeout(this.pauseTimer);
    this.index = 0;
    this.box.replaceChildren();
    if (this.lines.length) this.crawl();
  }

  crawl() {
    const line = this.lines[this.index % this.lines.length];
    const text = el("span", "ticker-text", line.text);
    this.box.classList.toggle("urgent", Boolean(line.urgent));
    this.box.replaceChildren(text);
    // A character is the line's own average width, so Chinese and Latin text both go at `speed`.
    const characters = Math.max(1, [...line.text].length);
    const pxPerSecond = line.speed * text.offsetWidth / characters;
    const from = this.box.clientWidth, to = -text.offsetWidth;
    text.dataset.id = String(line.id);
    text.dataset.pxPerSecond = pxPerSecond.toFixed(3);
    const animation = text.animate([{transform: `translate3d(${from}px, 0, 0)`},
                                    {transform: `translate3d(${to}px, 0, 0)`}],
                                   {duration: (from - to) / pxPerSecond * 1000, easing: "linear", fill: "both"});
    this.animation = animation;
    animation.onfinish = () => {
      if (this.animation !== animation) return;
      this.animation = null;
      this.index += 1;
      this.pauseTimer = setTimeout(() => { if (!this.animation && this.lines.length) this.crawl(); },
                                   line.pause * 1000);
      // The lines may have changed during the pass: the next one comes from the current list.
      this.look();
    };
  }
}
