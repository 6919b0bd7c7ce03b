// The staff comment page: a note appears when a visitor's comment arrives on one of our notices.
const strings = JSON.parse(document.getElementById("comment-strings").textContent);
const note = document.getElementById("live-note");
const socket = window.io("/staff", { transports: ["websocket", "polling"] });

socket.on("connect", () => { note.dataset.listening = "1"; });
socket.on("disconnect", () => { delete note.dataset.listening; });
socket.on("comment.created", (event) => {
  const line = document.createElement("span");
  line.textContent = " " + strings.arrived.replace("{title}", event.title);
  note.append(line);
  note.hidden = false;
});
