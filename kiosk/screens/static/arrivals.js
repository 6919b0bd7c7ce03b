// The urgent notice page: watch the notice arrive on each screen (refreshes every second).
const table = document.getElementById("arrivals");
const words = JSON.parse(table.dataset.words);

async function refresh() {
  try {
    const response = await fetch(table.dataset.source, {credentials: "same-origin", headers: {Accept: "application/json"}});
    if (response.ok) {
      const notice = await response.json();
      for (const arrival of notice.arrivals) {
        const row = table.querySelector(`tr[data-screen="${arrival.screen}"]`);
        if (!row) continue;
        // once cleared, a screen that never showed it is no longer waiting for it
        const cleared = Boolean(notice.cleared_at);
        row.querySelector(".link").textContent = arrival.online ? words.online : cleared ? words.offline_now : words.offline;
        row.querySelector(".shown").textContent = arrival.shown_at ? words.seconds.replace("{s}", arrival.seconds)
          : cleared ? words.never : words.waiting;
      }
      if (notice.cleared_at) return;
    }
  } catch { /* keep trying */ }
  setTimeout(refresh, 1000);
}

refresh();
