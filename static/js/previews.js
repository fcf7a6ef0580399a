// Page and reference previews on article pages. Pointing at a link to another article (after a
// moment), focusing it from the keyboard or pressing it long on a touch screen shows its title,
// the first sentences of its lead, its first image and its review state, read from
// /wiki/<title>/summary. Clicking or tapping a reference mark [1] shows its citation, copied from
// the page's own list of references, instead of jumping there. The card goes right after the
// link, so Tab reaches its links and its "Turn previews off" button next; the link is described
// by it (aria-describedby); Escape closes it. Readers who turn previews off keep them off
// (localStorage); without JavaScript, links and marks work as plain links.
(function () {
  "use strict";
  var KEY = "previews";
  var POINT_DELAY = 500, FOCUS_DELAY = 300, HIDE_DELAY = 300, PRESS_DELAY = 500;
  var NAMESPACE = /^(File|Special|Talk|Category|Template|Portal):/i;
  var article = document.querySelector(".article");
  if (!article || !window.fetch) return;

  var style = document.createElement("link");
  style.rel = "stylesheet";
  var words = document.currentScript.dataset;  // css, and the words in the page's language
  style.href = words.css;
  document.head.appendChild(style);

  var summaries = {};
  var card = null, owner = null, how = "", showTimer = 0, hideTimer = 0, pressTimer = 0;
  var pressed = null, dismissed = null, counter = 0;

  function stored() {
    try { return localStorage.getItem(KEY) !== "off"; } catch (e) { return true; }
  }
  function remember(on) {
    try {
      if (on) localStorage.removeItem(KEY); else localStorage.setItem(KEY, "off");
    } catch (e) { /* private mode: for this page only */ }
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The article path a link previews, or "" (other sites, tools, red links, this page).
  function previewPath(link) {
    if (!link || link.closest(".preview, .editsection, .backlinks") || link.classList.contains("new")) return "";
    var url = new URL(link.href, location.href);
    var match = /^\/wiki\/([^/]+)$/.exec(url.pathname);
    if (url.origin !== location.origin || url.search || !match) return "";
    if (NAMESPACE.test(decodeURIComponent(match[1])) || url.pathname === location.pathname) return "";
    return url.pathname;
  }

  function isMark(link) {
    return !!link && link.classList.contains("footnote-ref") && !link.closest(".preview");
  }

  function summary(path) {
    if (!summaries[path]) {
      summaries[path] = fetch(path + "/summary", { headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .catch(function () { return null; });
    }
    return summaries[path];
  }

  function dateWords(iso) {
    var lang = document.documentElement.lang;
    return new Date(iso + "T00:00:00Z").toLocaleDateString(lang === "en" ? "en-GB" : lang, {
      day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
    });
  }

  function reviewWords(review) {
    var said = words[review.state] || words.unreviewed;  // "… {by} … {date}"
    return said.replace("{by}", review.by).replace("{date}", review.on ? dateWords(review.on) : "");
  }

  function offButton() {
    var button = make("button", "preview__off", words.off);
    button.type = "button";
    button.addEventListener("click", function () {
      remember(false);
      close(true);
      settingLine();
    });
    return button;
  }

  function pageCard(data) {
    var box = make("div", "preview preview--page");
    if (data.image) {
      var image = make("img", "preview__image");
      image.src = data.image.url;
      image.alt = data.image.alt || "";
      box.appendChild(image);
    }
    box.appendChild(make("p", "preview__title", data.title));
    if (data.extract) box.appendChild(make("p", "preview__extract", data.extract));
    box.appendChild(make("p", "preview__review preview__review--" + data.review.state, reviewWords(data.review)));
    return box;
  }

  function referenceCard(mark) {
    var item = document.getElementById(decodeURIComponent(mark.hash.slice(1)));
    if (!item) return null;
    var box = make("div", "preview preview--reference");
    box.appendChild(make("p", "preview__title", words.reference.replace("{number}", mark.textContent.replace(/\D/g, ""))));
    var citation = make("div", "preview__citation");
    var copy = item.cloneNode(true);
    copy.querySelectorAll(".backlinks, .footnote-backref").forEach(function (node) { node.remove(); });
    copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    while (copy.firstChild) citation.appendChild(copy.firstChild);
    box.appendChild(citation);
    return box;
  }

  function place(box, anchor) {
    var rect = anchor.getBoundingClientRect();
    var width = Math.min(352, document.documentElement.clientWidth - 16);
    box.style.width = width + "px";
    box.style.left = "0px";
    box.style.top = "0px";
    var origin = box.getBoundingClientRect();
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var top = rect.bottom + 6;
    if (top + box.offsetHeight > window.innerHeight && rect.top - box.offsetHeight - 6 > 0) {
      top = rect.top - box.offsetHeight - 6;
    }
    box.style.left = (left - origin.left) + "px";
    box.style.top = (top - origin.top) + "px";
  }

  function open(link, box, opener) {
    close(false);
    box.id = "preview-card-" + (++counter);
    box.appendChild(make("p", "preview__footer")).appendChild(offButton());
    link.insertAdjacentElement("afterend", box);
    link.setAttribute("aria-describedby", box.id);
    link.setAttribute("aria-expanded", "true");
    card = box; owner = link; how = opener;
    place(box, link);
  }

  function close(giveFocusBack) {
    clearTimeout(showTimer); clearTimeout(hideTimer);
    if (!card) return;
    var box = card, link = owner, hadFocus = box.contains(document.activeElement);
    card = null; owner = null; how = "";
    link.removeAttribute("aria-describedby");
    link.setAttribute("aria-expanded", "false");
    box.remove();
    if (giveFocusBack || hadFocus) link.focus({ preventScroll: true });
  }

  function show(link, opener) {
    if (!stored() || owner === link) return;
    if (isMark(link)) {
      var box = referenceCard(link);
      if (box) open(link, box, opener);
      return;
    }
    summary(previewPath(link)).then(function (data) {
      var wanted = opener === "focus" ? document.activeElement === link : pressed === link || hovered === link;
      if (data && wanted && stored()) open(link, pageCard(data), opener);
    });
  }

  function target(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    return link && article.contains(link) && (isMark(link) || previewPath(link)) ? link : null;
  }

  var hovered = null;
  article.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") return;
    if (card && card.contains(event.target)) { clearTimeout(hideTimer); return; }
    var link = target(event);
    if (!link) return;
    clearTimeout(hideTimer); clearTimeout(showTimer);
    hovered = link;
    if (owner !== link) showTimer = setTimeout(function () { show(link, "point"); }, POINT_DELAY);
  });
  article.addEventListener("pointerout", function (event) {
    if (event.pointerType === "touch") return;
    var into = event.relatedTarget;
    if (into && ((card && card.contains(into)) || (owner && owner.contains(into)))) return;
    hovered = null;
    clearTimeout(showTimer);
    if (card && (how === "point" || how === "press")) hideTimer = setTimeout(function () { close(false); }, HIDE_DELAY);
  });

  article.addEventListener("focusin", function (event) {
    if (card && card.contains(event.target)) return;
    var link = target(event);
    clearTimeout(showTimer);
    if (card && owner !== link && how !== "click") close(false);
    if (link && link !== dismissed && link.matches(":focus-visible")) {
      showTimer = setTimeout(function () { show(link, "focus"); }, FOCUS_DELAY);
    }
  });
  article.addEventListener("focusout", function (event) {
    var into = event.relatedTarget;
    if (event.target === dismissed) dismissed = null;
    if (!card || how === "click" || (into && (card.contains(into) || into === owner))) return;
    clearTimeout(showTimer);
    if (how === "focus") close(false);
  });

  // A long press on a touch screen previews; the tap that ends it does not follow the link.
  article.addEventListener("pointerdown", function (event) {
    var link = target(event);
    if (event.pointerType !== "touch" || !link || isMark(link)) return;
    pressed = null;
    clearTimeout(pressTimer);
    pressTimer = setTimeout(function () { pressed = link; show(link, "press"); }, PRESS_DELAY);
  });
  ["pointerup", "pointercancel"].forEach(function (name) {
    article.addEventListener(name, function () { clearTimeout(pressTimer); });
  });
  article.addEventListener("contextmenu", function (event) {
    if (pressed && pressed.contains(event.target)) event.preventDefault();
  });

  article.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && pressed === link) {
      event.preventDefault();
      pressed = null;
      return;
    }
    if (!isMark(link) || !stored()) return;
    event.preventDefault(); // the citation shows here: the page does not jump
    if (owner === link && how === "click") { close(false); return; }
    clearTimeout(showTimer);
    close(false);
    show(link, "click");
  });

  document.addEventListener("click", function (event) {
    if (card && !card.contains(event.target) && !owner.contains(event.target)) close(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !card) return;
    dismissed = owner;
    close(true);
  });
  window.addEventListener("resize", function () { if (card) place(card, owner); });

  // When previews are off, a line at the end of the article turns them on again.
  function settingLine() {
    var line = article.querySelector(".previews-setting");
    if (stored()) { if (line) line.remove(); return; }
    if (line) return;
    line = make("p", "previews-setting", words.offNote + " ");
    var button = make("button", "link-button", words.on);
    button.type = "button";
    button.addEventListener("click", function () {
      remember(true);
      line.remove();
    });
    line.appendChild(button);
    article.appendChild(line);
  }
  settingLine();
})();
