// Read-aloud: the text of the screen spoken by the browser's own speech synthesis, in Mandarin
// (or English when the kiosk is switched to English). Staff are warned when no Chinese voice
// is installed, since the button would then be silent (display/launcher/README.md says how).
const VOICE_WAIT_MS = 3000;

function voices() {
  return window.speechSynthesis ? window.speechSynthesis.getVoices() : [];
}

// Voices load asynchronously in Chromium: wait a moment for them before deciding.
export function hasVoice(language) {
  const matches = () => voices().some((voice) => voice.lang.replace("_", "-").toLowerCase().startsWith(language));
  if (!window.speechSynthesis) return Promise.resolve(false);
  if (matches()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => resolve(matches());
    window.speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, VOICE_WAIT_MS);
  });
}

export class ReadAloud {
  constructor(lang) {
    this.lang = lang;
    this.on = false;
  }

  speak(text) {
    if (!this.on || !window.speechSynthesis) return;
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text.replace(/\s+/g, " ").trim());
    utterance.lang = this.lang;
    utterance.rate = 0.85;   // a little slower than usual, for older listeners
    const voice = voices().find((v) => v.lang.replace("_", "-").toLowerCase().startsWith(this.lang.slice(0, 2)));
    if (voice) utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  }

  stop() {
    this.on = false;
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }
}
