// Sizes the letter preview to the whole letter, so it reads like a page rather
// than a small scroll box. The frame is sandboxed without scripts but same-origin,
// so its height can be read from here; without JavaScript the CSS height stays.
document.addEventListener("DOMContentLoaded", () => {
  for (const frame of document.querySelectorAll("iframe.letter-preview")) {
    const fit = () => {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement || doc.URL === "about:blank") {
        return;
      }
      const height = Math.ceil(doc.documentElement.getBoundingClientRect().height);
      if (height > 0) {
        frame.style.height = `${height}px`;
      }
    };
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") {
      fit();
    }
  }
});
