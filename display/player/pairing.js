// The pairing page: asks every two seconds whether a screen manager has entered the code.
const page = document.getElementById("pairing");
const known = page.dataset.token;

function become(token) {
  localStorage.setItem("kiosk.token", token);
  location.replace(page.dataset.player + location.hash);  // the launcher's part of the address goes along
}

async function poll() {
  try {
    const response = await fetch(page.dataset.status, {credentials: "same-origin", cache: "no-store"});
    if (response.status === 410) { location.reload(); return; }  // code expired: show a new one
    const answer = await response.json();
    if (answer.paired) { become(answer.token); return; }
  } catch { /* the server is unreachable: keep asking */ }
  setTimeout(poll, 2000);
}

if (known) become(known);
else setTimeout(poll, 2000);
