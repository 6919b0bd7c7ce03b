// The hall's ticket page for hall staff issuing a number for a visitor: touch a service, then "take
// a number" (or the priority lane); the ticket prints (if the hall has a printer) and shows its QR
// code. The touch kiosk has its own app (display/touch/), which also takes ratings.
import { fill, follow, getJSON, postJSON, strings } from "./live.js";

const root = document.getElementById("kiosk");
const hall = root.dataset.hall;
const text = strings();
const RESET_AFTER_MS = 45000;
let chosen = null;
let resetTimer = null;

function step(name) {
  for (const section of root.querySelectorAll(".step")) section.hidden = section.id !== name;
  document.getElementById("error").hidden = true;
  clearTimeout(resetTimer);
  if (name !== "choose") resetTimer = setTimeout(() => step("choose"), RESET_AFTER_MS);
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message || text.failed;
  box.hidden = false;
}

root.querySelector(".services").addEventListener("click", (event) => {
  const button = event.target.closest("button.service");
  if (!button) return;
  chosen = button.dataset.prefix;
  document.getElementById("confirm-name").textContent = `${button.dataset.prefix} ${button.dataset.name}`;
  document.getElementById("confirm-materials").replaceChildren(...JSON.parse(button.dataset.materials).map((line) => {
    const item = document.createElement("li");
    item.textContent = line;
    return item;
  }));
  step("confirm");
});

function printInBrowser(ticket) {
  const frame = document.getElementById("print-frame");
  frame.onload = () => frame.contentWindow.print();
  frame.src = `/hall/${hall}/tickets/${ticket.id}/print?paper=80`;
}

for (const button of root.querySelectorAll("button.take")) {
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    try {
      const result = await postJSON(`/api/v1/queue/halls/${hall}/tickets`,
        { service: chosen, priority: button.dataset.priority, print: true });
      if (!result.ok) { showError(result.data.message); return; }
      const ticket = result.data;
      step("issued");
      document.getElementById("ticket-code").textContent = ticket.code;
      document.getElementById("ticket-service").textContent = ticket.service.name;
      document.getElementById("ticket-green").hidden = ticket.priority !== "green";
      document.getElementById("ticket-ahead").textContent = fill(text.ahead, { n: ticket.ahead });
      document.getElementById("ticket-qr").src = `/qr/${ticket.qr_path}.svg`;
      // Only a ticket that is really printing sends the visitor to the printer; without one, the QR is the ticket.
      const printing = ticket.printed || ticket.print_mode === "browser";
      document.getElementById("ticket-print").textContent = printing ? text.printing : text.no_printer;
      if (ticket.print_mode === "browser") printInBrowser(ticket);
    } catch (error) {
      showError();
    } finally {
      button.disabled = false;
    }
  });
}

for (const button of root.querySelectorAll("[data-back]")) button.addEventListener("click", () => step("choose"));

// Keep the waiting counts on the service buttons current.
follow({ hall }, async () => {
  const state = await getJSON(`/hall/${hall}/status.json`);
  for (const service of state.services) {
    const count = root.querySelector(`[data-waiting="${service.prefix}"]`);
    if (count) {
      count.textContent = service.open ? fill(text.waiting, { n: service.waiting }) : text.closed;
      count.closest("button").classList.toggle("closed", !service.open);
    }
  }
});
