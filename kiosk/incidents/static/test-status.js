// A channel's page: follow its queued test message until it is sent or has failed (the server words it).
const status = document.getElementById("test-status");

async function refresh() {
  try {
    const response = await fetch(status.dataset.source, {credentials: "same-origin", headers: {Accept: "application/json"}});
    if (response.ok) {
      const report = await response.json();
      status.textContent = report.text;
      status.dataset.state = report.state;
      status.classList.toggle("form-error", report.state === "failed");
    }
  } catch { /* keep trying */ }
  if (status.dataset.state === "queued") setTimeout(refresh, 1000);
}

if (status.dataset.state === "queued") setTimeout(refresh, 1000);
