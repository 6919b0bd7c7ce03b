// Spoken calls for the hall board: a chime (WebAudio, no sound files), then the sentence through
// the browser's speech synthesis. Announcements wait in a queue: one never cuts off another.
// Kiosk browsers run with --autoplay-policy=no-user-gesture-required so sound needs no touch.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let audio = null;
function chime() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") audio.resume();
    const start = audio.currentTime + 0.05;
    // "Ding-dong": two soft bell tones, a major third apart.
    [[659.25, 0], [523.25, 0.45]].forEach(([frequency, offset]) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.5, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.9);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 1);
    });
  } catch (error) {
    console.warn("no chime", error);
  }
  return sleep(1400);
}

function speak(text, lang) {
  return new Promise((resolve) => {
    if (!("speechSynthesis" in window)) { resolve(); return; }
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    const voice = window.speechSynthesis.getVoices().find((v) => v.lang.replace("_", "-").startsWith(lang));
    if (voice) utterance.voice = voice;
    // Some engines never fire onend (no voice installed): do not let one call block the queue.
    const fallback = setTimeout(resolve, 3000 + text.length * 350);
    utterance.onend = utterance.onerror = () => { clearTimeout(fallback); resolve(); };
    window.speechSynthesis.speak(utterance);
  });
}

export class Announcer {
  constructor(lang) {
    this.lang = lang;
    this.waiting = [];
    this.busy = false;
  }

  say(text) {
    this.waiting.push(text);
    if (!this.busy) this.run();
  }

  async run() {
    this.busy = true;
    while (this.waiting.length) {
      const text = this.waiting.shift();
      await chime();
      await speak(text, this.lang);
      await sleep(700);
    }
    this.busy = false;
  }
}
