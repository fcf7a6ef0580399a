// On a phone an article's sections fold under their headings, as on Wikipedia's mobile view:
// the lead and the infobox stay open; a heading's button opens its section, one button opens
// them all; a link, an address's #fragment or printing opens what it needs. Without JavaScript
// (or on a wider screen) every section is open. The page is already drawn folded: theme.js, in
// <head>, set "sections-folded" on <html> and layout.css folds under it, in the same places;
// this script adds the buttons, ARIA and the "hidden" state, then takes the class off, all before
// the browser paints again, so nothing moves (no layout shift).
(function () {
  "use strict";
  var root = document.documentElement;
  var PHONE = window.matchMedia("(max-width: 719px)");
  var groups = [];
  var allButton = null;
  // The button's words in the page's language, from the script tag (wiki/article.html).
  var words = (document.currentScript && document.currentScript.dataset) || {};

  // A top-level section with the subsections after it (they are its siblings in the page).
  function collectGroups(article) {
    var found = [];
    var current = null;
    Array.prototype.forEach.call(article.children, function (node) {
      var heading = node.tagName === "SECTION" && node.querySelector(":scope > h2");
      if (heading) {
        current = {heading: heading, parts: []};
        Array.prototype.forEach.call(node.children, function (child) {
          if (child !== heading) current.parts.push(child);
        });
        found.push(current);
      } else if (current && node.tagName === "SECTION" && node.classList.contains("article-section")) {
        current.parts.push(node);  // a subsection after it (layout.css: .level-2 ~ .article-section)
      }
    });
    return found;
  }

  function setOpen(group, open) {
    group.open = open;
    group.button.setAttribute("aria-expanded", String(open));
    group.parts.forEach(function (part) { part.hidden = !open; });
    if (allButton) {
      var every = groups.every(function (g) { return g.open; });
      allButton.textContent = every ? words.collapse || "Collapse all sections" : words.expand || "Expand all sections";
    }
  }

  function fold(group, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "section-toggle";
    var ids = group.parts.map(function (part, n) {
      if (!part.id) part.id = "section-part-" + index + "-" + n;
      return part.id;
    });
    button.setAttribute("aria-controls", ids.join(" "));
    var title = group.heading.querySelector(".section-title");
    if (title) button.appendChild(title);
    else while (group.heading.firstChild) button.appendChild(group.heading.firstChild);
    group.heading.insertBefore(button, group.heading.firstChild);
    group.heading.classList.add("section-heading--folding");
    group.button = button;
    button.addEventListener("click", function () { setOpen(group, !group.open); });
    setOpen(group, false);
  }

  function unfold(group) {
    var button = group.button;
    while (button.firstChild) group.heading.insertBefore(button.firstChild, button);
    button.remove();
    group.heading.classList.remove("section-heading--folding");
    group.parts.forEach(function (part) { part.hidden = false; });
  }

  // Opens the section that holds (or is headed by) the element an address points to.
  function reveal(hash) {
    if (!hash || hash.length < 2) return null;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return null;
    groups.forEach(function (group) {
      if (group.open) return;
      var holds = group.heading.contains(target) || group.parts.some(function (part) {
        return part.contains(target);
      });
      if (holds) setOpen(group, true);
    });
    return target;
  }

  function start(article) {
    groups = collectGroups(article);
    if (!groups.length) return;
    var bar = document.createElement("p");
    bar.className = "sections-all";
    allButton = document.createElement("button");
    allButton.type = "button";
    allButton.className = "link-button";
    allButton.addEventListener("click", function () {
      var open = !groups.every(function (g) { return g.open; });
      groups.forEach(function (group) { setOpen(group, open); });
    });
    bar.appendChild(allButton);
    // At the top of the first section, where layout.css kept its room before the first paint.
    groups[0].heading.parentNode.insertBefore(bar, groups[0].heading.parentNode.firstChild);
    groups.forEach(fold);
    var target = reveal(window.location.hash);
    root.classList.remove("sections-folded");
    if (target) target.scrollIntoView();
  }

  function stop() {
    groups.forEach(unfold);
    groups = [];
    if (allButton) allButton.parentNode.remove();
    allButton = null;
  }

  function ready() {
    var article = document.querySelector(".article-page .article");
    if (!article || /[?&]printable=yes/.test(window.location.search)) {
      root.classList.remove("sections-folded");
      return;
    }
    if (PHONE.matches) start(article);
    root.classList.remove("sections-folded");
    PHONE.addEventListener("change", function () {
      if (PHONE.matches) start(article); else stop();
    });
    window.addEventListener("hashchange", function () {
      var target = reveal(window.location.hash);
      if (target) target.scrollIntoView();
    });
    // A link to the fragment already in the address fires no hashchange: open it on the click.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href*='#']");
      if (link && link.pathname === window.location.pathname) reveal(link.hash);
    }, true);
    window.addEventListener("beforeprint", function () {
      groups.forEach(function (group) { setOpen(group, true); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
