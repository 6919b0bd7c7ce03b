// Drawing a box over a picture attachment: drag on the picture, and the box's corners in the
// picture's own pixels go into the form field the server reads (the server paints the box).
for (const form of document.querySelectorAll("form.redact")) {
  const image = form.querySelector("img");
  const marker = form.querySelector(".redact-box");
  const field = form.elements.namedItem("boxes");
  let start = null;

  function point(event) {
    const rect = image.getBoundingClientRect();
    return { x: Math.min(Math.max(event.clientX - rect.left, 0), rect.width),
             y: Math.min(Math.max(event.clientY - rect.top, 0), rect.height), rect };
  }

  image.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    start = point(event);
    image.setPointerCapture(event.pointerId);
  });
  image.addEventListener("pointermove", (event) => {
    if (!start) return;
    const end = point(event);
    Object.assign(marker.style, { left: `${Math.min(start.x, end.x)}px`, top: `${Math.min(start.y, end.y)}px`,
                                  width: `${Math.abs(end.x - start.x)}px`, height: `${Math.abs(end.y - start.y)}px` });
    marker.hidden = false;
  });
  image.addEventListener("pointerup", (event) => {
    if (!start) return;
    const end = point(event);
    const scale = Number(image.dataset.width) / end.rect.width;
    const box = [Math.min(start.x, end.x), Math.min(start.y, end.y), Math.max(start.x, end.x), Math.max(start.y, end.y)]
      .map((value) => Math.round(value * scale));
    field.value = box.join(",");
    start = null;
  });
}
