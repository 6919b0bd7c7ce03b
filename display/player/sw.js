// The player's service worker: keeps the player page, its files, its pictures and videos, so a screen
// keeps cycling through an outage and through a reload during it.
// Needs a secure context: http://localhost and http://127.0.0.1 count; elsewhere the launcher
// passes --unsafely-treat-insecure-origin-as-secure (see display/launcher/README.md) or uses HTTPS.
const SHELL_CACHE = "kiosk-shell-v2";
const MEDIA_CACHE = "kiosk-media-v1";   // filled by the player itself (warmMedia)
const SHELL = ["/display/player", "/display/files/player.css", "/display/files/player.js",
               "/display/files/slides.css", "/display/files/slides.js",
               "/display/files/device.js", "/display/files/fleet.js", "/display/files/ticker.js",
               "/display/files/ticker.css", "/display/vendor/socket.io.min.js"];
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => ![SHELL_CACHE, MEDIA_CACHE].includes(n)).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

// A dropped 4G link often hangs rather than fails: give the network a few seconds, then the cache.
function networkWithin(request, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    fetch(request).then((response) => { clearTimeout(timer); resolve(response); },
                        (error) => { clearTimeout(timer); reject(error); });
  });
}

async function networkFirst(request, cacheKey) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await networkWithin(request, NETWORK_TIMEOUT_MS);
    if (response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(MEDIA_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// A kept video answers the player's Range requests itself (206 and the bytes asked for), so it
// plays with the link down; one not kept goes to the network as asked.
async function videoFromCache(request) {
  const cache = await caches.open(MEDIA_CACHE);
  const cached = await cache.match(request.url, {ignoreVary: true});
  if (!cached) return fetch(request);
  const range = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get("range") || "").trim());
  if (!range) return cached;
  const blob = await cached.blob();
  const size = blob.size;
  let start = Number(range[1]), end = range[2] === "" ? size - 1 : Math.min(Number(range[2]), size - 1);
  if (range[1] === "") { start = Math.max(0, size - Number(range[2])); end = size - 1; }
  if (!(start <= end && start < size)) {
    return new Response(null, {status: 416, headers: {"Content-Range": `bytes */${size}`}});
  }
  return new Response(blob.slice(start, end + 1), {status: 206, headers: {
    "Content-Type": cached.headers.get("Content-Type") || "video/mp4", "Accept-Ranges": "bytes",
    "Content-Length": String(end - start + 1), "Content-Range": `bytes ${start}-${end}/${size}`}});
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === "/display/player") {
    // One shell for every screen; the ?token= of the first visit does not matter.
    event.respondWith(networkFirst(event.request, "/display/player"));
  } else if (url.pathname.startsWith("/display/files/") || url.pathname === "/display/vendor/socket.io.min.js") {
    event.respondWith(networkFirst(event.request, url.pathname));
  } else if (url.pathname.startsWith("/display/videos/") && url.pathname.endsWith(".mp4")) {
    event.respondWith(videoFromCache(event.request));
  } else if (url.pathname.startsWith("/display/images/") || url.pathname.startsWith("/display/qr/")
             || url.pathname.startsWith("/qr/") || url.pathname.startsWith("/display/videos/")) {
    event.respondWith(cacheFirst(event.request));
  }
});
