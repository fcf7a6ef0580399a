/* The reader's theme: Light, Dark or Automatic (the system's), remembered in this browser.
   Loaded in <head> without defer, so it sets <html data-theme> before the first paint and no
   page shows in the wrong theme first. The choice is kept in localStorage under "theme", the key
   and the values ("light", "dark", "auto") of the Django admin's own switch, so the site and the
   admin follow one choice. The HTML never varies by theme: cached pages stay one copy.
   Without JavaScript the switch stays hidden and the system's setting applies (static/css/theme.css).

   The same early moment lays out the reading page as the deferred scripts will leave it, so that
   nothing moves once they run (no layout shift): classes on <html> that static/css/layout.css
   reads until layout.js and sections.js have wired the page and taken them off —
   "js" (the wide-text switch has its place), "reading-wide" (the reader's remembered width),
   "toc-folded" (the contents closed into their button below 1000 px) and "sections-folded"
   (an article's sections folded on a phone; the one the address's #fragment points to stays
   open through CSS :target). Without JavaScript none is set: every section and the contents open. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "theme";
  var THEMES = ["auto", "light", "dark"];

  function stored() {
    var value = null;
    try {
      value = window.localStorage.getItem(KEY);
    } catch (blocked) {
      // Storage refused (a private mode, a policy): the choice lasts for this page only.
    }
    return THEMES.indexOf(value) >= 0 ? value : "auto";
  }

  function apply(theme) {
    root.setAttribute("data-theme", theme);
    var choice = document.getElementById("theme-choice");
    if (choice) choice.value = theme;
  }

  apply(stored());

  function remembered(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (blocked) {
      return null;
    }
  }

  function narrower(px) {
    return window.matchMedia && window.matchMedia("(max-width: " + px + "px)").matches;
  }

  var classes = ["js"];
  if (remembered("reading-width") === "wide") classes.push("reading-wide");
  if (narrower(999)) classes.push("toc-folded");
  if (narrower(719) && !/[?&]printable=yes/.test(window.location.search)) {
    classes.push("sections-folded");
  }
  classes.forEach(function (name) {
    root.classList.add(name);
  });
  // Should a deferred script not run at all (a failed download), open what it would have wired.
  window.addEventListener("load", function () {
    root.classList.remove("toc-folded", "sections-folded");
  });

  document.addEventListener("DOMContentLoaded", function () {
    var choice = document.getElementById("theme-choice");
    if (!choice) return;
    choice.value = root.getAttribute("data-theme");
    choice.addEventListener("change", function () {
      apply(choice.value);
      try {
        window.localStorage.setItem(KEY, choice.value);
      } catch (blocked) {
        // Not remembered, but this page shows the choice.
      }
    });
  });

  // A choice made in another tab (or in the admin) applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) apply(stored());
  });
})();
