// The reading layout, added to pages that work without it: the header's search and menu on a
// phone, the sticky top bar, the contents beside the text with the section in view marked, the
// wide-text switch (remembered in this browser only), menus that close with Escape, and on a
// phone sections folded under their headings. Without JavaScript every section stays open.
(function () {
  "use strict";
  var SIDEBAR = window.matchMedia("(min-width: 1000px)");
  var WIDTH_KEY = "reading-width";
  var root = document.documentElement;

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not kept */ }
  }

  // Wide text: theme.js, in <head>, has applied it before the first paint; again here for safety.
  if (stored(WIDTH_KEY) === "wide") root.classList.add("reading-wide");

  function widthSwitch() {
    var button = document.querySelector(".width-switch");
    if (!button) return;
    button.hidden = false;
    button.setAttribute("aria-pressed", String(root.classList.contains("reading-wide")));
    button.addEventListener("click", function () {
      var wide = root.classList.toggle("reading-wide");
      button.setAttribute("aria-pressed", String(wide));
      store(WIDTH_KEY, wide ? "wide" : "standard");
    });
  }

  // Menus made of <details>: one open at a time, closed by Escape or a click elsewhere.
  function menus() {
    var all = document.querySelectorAll("details.menu");
    Array.prototype.forEach.call(all, function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        Array.prototype.forEach.call(all, function (other) {
          if (other !== menu) other.open = false;
        });
      });
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      Array.prototype.forEach.call(all, function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  }

  // The search icon of a phone's header opens the search box (it links to the search page).
  function searchToggle() {
    var toggle = document.querySelector(".search-toggle");
    var header = document.querySelector(".site-header");
    var input = document.getElementById("search-q");
    if (!toggle || !header || !input) return;
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");
    function flip(event) {
      event.preventDefault();
      var open = header.classList.toggle("site-header--searching");
      toggle.setAttribute("aria-expanded", String(open));
      if (open) input.focus();
    }
    toggle.addEventListener("click", flip);
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") flip(event);
    });
  }

  // The top bar appears once the site header has scrolled out of sight.
  function stickyHeader() {
    var bar = document.querySelector(".sticky-header");
    var header = document.querySelector(".site-header");
    if (!bar || !header || !window.IntersectionObserver) return;
    bar.hidden = false;
    new IntersectionObserver(function (entries) {
      var gone = !entries[0].isIntersecting && entries[0].boundingClientRect.bottom <= 0;
      bar.classList.toggle("is-shown", gone);
      document.body.classList.toggle("has-sticky-header", gone);
    }).observe(header);
    var tocButton = bar.querySelector(".sticky-header__toc");
    var toc = document.getElementById("toc");
    if (tocButton && toc) {
      tocButton.hidden = false;
      tocButton.addEventListener("click", function () {
        var details = toc.querySelector("details");
        details.open = true;
        toc.scrollIntoView({block: "start"});
        details.querySelector("summary").focus({preventScroll: true});
      });
    }
  }

  // The contents: closed into a button on a narrow screen; the section in view marked.
  function contents() {
    var toc = document.getElementById("toc");
    if (!toc) { root.classList.remove("toc-folded"); return; }
    var details = toc.querySelector("details");
    if (!SIDEBAR.matches) details.open = false;
    root.classList.remove("toc-folded");  // theme.js's stand-in until now: the same look
    SIDEBAR.addEventListener("change", function () { details.open = SIDEBAR.matches; });
    if (!window.IntersectionObserver) return;
    var links = {};
    Array.prototype.forEach.call(toc.querySelectorAll("a[href^='#']"), function (link) {
      links[decodeURIComponent(link.hash.slice(1))] = link;
    });
    var sections = Array.prototype.filter.call(
      document.querySelectorAll(".article .article-section"),
      function (section) { var h = section.querySelector(".section-heading"); return h && links[h.id]; }
    );
    var inView = new Set();
    var current = null;
    function mark() {
      var first = sections.find(function (s) { return inView.has(s); });
      var link = first ? links[first.querySelector(".section-heading").id] : null;
      if (link === current) return;
      if (current) { current.classList.remove("is-current"); current.removeAttribute("aria-current"); }
      current = link;
      if (link) { link.classList.add("is-current"); link.setAttribute("aria-current", "location"); }
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) inView.add(entry.target); else inView.delete(entry.target);
      });
      mark();
    }, {rootMargin: "-10% 0px -60% 0px"});
    sections.forEach(function (section) { observer.observe(section); });
  }

  function ready() {
    widthSwitch();
    menus();
    searchToggle();
    stickyHeader();
    contents();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
