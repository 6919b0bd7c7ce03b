// The kiosk's service worker: what the kiosk has loaded keeps working without the server.
// Pages, state and lists: from the network, the last copy when it is out of reach (marked with
// X-Kiosk-Offline so the page can show its calm "please wait"). Document pages and QR codes never
// change under their address: from the cache first.
const CACHE = "kiosk-touch-v1";
const SHELL = ["/touch/", "/touch/files/app.js", "/touch/files/attract.js", "/touch/files/keyboard.js",
  "/touch/files/net.js", "/touch/files/speech.js", "/touch/files/touch.css", "/display/files/slides.js",
  "/display/files/slides.css", "/display/files/device.js", "/display/files/fleet.js", "/display/vendor/socket.io.min.js"];
const KEEP_FIRST = [/^\/touch\/documents\//, /^\/qr\//, /^\/touch\/qr\//, /^\/n\/[^/]+\/f\//];
const FROM_NETWORK = [/^\/touch\//, /^\/display\/files\//, /^\/display\/vendor\//, /^\/display\/state$/,
  /^\/display\/images\//];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

async function offlineCopy(request) {
  const cached = await caches.match(request);
  if (!cached) return new Response(JSON.stringify({ error: "offline" }), { status: 503,
    headers: { "Content-Type": "application/json", "X-Kiosk-Offline": "1" } });
  const headers = new Headers(cached.headers);
  headers.set("X-Kiosk-Offline", "1");
  return new Response(cached.body, { status: cached.status, headers });
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    // Searches are what a visitor typed: never kept on the device.
    if (response.ok && !new URL(request.url).searchParams.has("q")) (await caches.open(CACHE)).put(request, response.clone());
    return response;
  } catch {
    return offlineCopy(request);
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (KEEP_FIRST.some((pattern) => pattern.test(url.pathname))) event.respondWith(cacheFirst(event.request));
  else if (FROM_NETWORK.some((pattern) => pattern.test(url.pathname))) event.respondWith(networkFirst(event.request));
});
