/* mimpmap serve: added to the pages the live preview sends (never to the files on disk).
   A rebuild that wrote this page: fetch it again and swap its text (header, panel, table, footer) in
   place, keeping the map, its open popups and the scroll; reload only when more than the text changed
   (the map's data, its styles or scripts). The problems of an invalid save: an overlay, removed by the
   next good rebuild. Messages are put in with textContent: text, never markup. */
(() => {
  const here = decodeURIComponent(location.pathname).replace(/^\//, "") || "index.html";
  const source = new EventSource("__EVENTS__?page=" + encodeURIComponent(here));
  const PARTS = [".mm-header", ".mm-panel", ".mm-data", ".mm-footer"];
  let queue = Promise.resolve();

  source.addEventListener("changed", (event) => {
    const written = JSON.parse(event.data).written;
    queue = queue.then(() => (written.includes(here) ? patch() : true)).then((patched) => {
      if (patched) { document.getElementById("mimpmap-problems")?.remove(); }
    });
  });

  /* What the patch does not swap and the page's own scripts do not change: reload if it differs. */
  function rest(doc) {
    const kept = doc.querySelectorAll("script:not(#mimpmap-live), style, template, link[rel=stylesheet]");
    return Array.from(kept, (el) => el.getAttribute("src") || el.getAttribute("href") || el.innerHTML).join("\n\u0000");
  }

  async function patch() {
    let next;
    try {
      const answer = await fetch(location.href, { cache: "no-store" });
      next = new DOMParser().parseFromString(await answer.text(), "text/html");
    } catch (err) {
      location.reload();
      return false;
    }
    const now = PARTS.map((part) => document.querySelector(part));
    const fresh = PARTS.map((part) => next.querySelector(part));
    if (now.some((el, i) => !el !== !fresh[i]) || !now[0] || rest(document) !== rest(next)) {
      location.reload();
      return false;
    }
    swap(now, fresh);
    document.title = next.title;
    document.body.setAttribute("data-mm-patched", String(Number(document.body.getAttribute("data-mm-patched")) + 1));
    return true;
  }

  function swap(now, fresh) {
    const x = window.scrollX, y = window.scrollY;
    const boxes = (root) => (root ? Array.from(root.querySelectorAll("details.mm-fold, .mm-panel, .mm-table-wrap, .mm-scroll")) : []);
    for (let i = 0; i < now.length; i++) {
      if (!now[i]) { continue; }
      const old = [now[i], ...boxes(now[i])].map((el) => [el.tagName, el.open, el.scrollTop, el.scrollLeft]);
      const incoming = [fresh[i], ...boxes(fresh[i])];
      now[i].replaceWith(document.adoptNode(fresh[i]));
      if (old.length === incoming.length) {  // the same boxes: each stays as it was (open, scrolled)
        old.forEach(([tag, open, top, left], j) => {
          const into = incoming[j];
          if (tag === "DETAILS" && into.tagName === "DETAILS") { into.open = open; }
          into.scrollTop = top;
          into.scrollLeft = left;
        });
      }
      incoming.filter((el) => el.tagName === "DETAILS").forEach((el) => el.addEventListener("toggle", resized));
    }
    window.scrollTo(x, y);
    resized();  // the page's own script fits its scroll boxes again
  }

  function resized() { window.dispatchEvent(new Event("resize")); }

  source.addEventListener("problems", (event) => {
    const sent = JSON.parse(event.data);
    document.getElementById("mimpmap-problems")?.remove();
    const box = document.createElement("div");
    box.id = "mimpmap-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2em;" +
      "background:rgba(255,255,255,.95);color:#7a0000;font:16px/1.45 system-ui,sans-serif;white-space:pre-wrap";
    const title = document.createElement("h2");
    title.textContent = sent.title;
    const list = document.createElement("ul");
    for (const message of sent.problems) {
      const item = document.createElement("li");
      item.textContent = message;
      list.append(item);
    }
    const hint = document.createElement("p");
    hint.textContent = sent.hint;
    box.append(title, list, hint);
    document.body.append(box);
  });
})();
