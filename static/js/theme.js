/* In <head> without defer: before the first paint it sets the reader's theme (localStorage
   "theme": auto, light or dark, as the Django admin's switch) on <html data-theme>, and the
   classes layout.css draws the reading page with as the deferred scripts will leave it (no
   layout shift): js, reading-wide, toc-folded (< 1000 px), sections-folded (phone). Without
   JavaScript: the system's theme, every section open (README: "Reading"). */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "theme";
  var THEMES = ["auto", "light", "dark"];

  function read(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (blocked) {
      return null; // storage refused (private mode): nothing is remembered
    }
  }

  function stored() {
    var value = read(KEY);
    return THEMES.indexOf(value) >= 0 ? value : "auto";
  }

  function apply(theme) {
    root.setAttribute("data-theme", theme);
    var choice = document.getElementById("theme-choice");
    if (choice) choice.value = theme;
  }

  function narrow(px) {
    return window.matchMedia("(max-width: " + px + "px)").matches;
  }

  apply(stored());
  root.classList.add("js");
  if (read("reading-width") === "wide") root.classList.add("reading-wide");
  if (narrow(999)) root.classList.add("toc-folded");
  if (narrow(719) && !/[?&]printable=yes/.test(location.search)) {
    root.classList.add("sections-folded");
    openTarget(location.hash.slice(1));
  }

  // The group of sections holding the address's #fragment stays open (CSS :target is not set
  // before the deferred scripts have run). A constructed style sheet: the CSP allows it.
  function openTarget(hash) {
    if (!hash) return;
    try {
      var t = '[id="' + CSS.escape(decodeURIComponent(hash)) + '"]';
      var sheet = new CSSStyleSheet();
      var h = ".level-2", s = ".article-section:not(.level-2)";
      var own = h + ":has(" + t + ")", sub = s + ":has(" + t + ")";
      var not = ":not(:has(~" + h + "~" + s + " " + t + "))";
      var head = h + ":has(~" + s + " " + t + ")" + not;
      var all = function (list) {
        return list.map(function (rule) { return ".sections-folded .article--sections>" + rule; }).join();
      };
      sheet.replaceSync("@media screen and (max-width:719px){" +
        all([own + ">:not(h2)", own + "~" + s + ":not(" + own + "~" + h + "~*)", head + ">:not(h2)", sub,
          sub + "~" + s + ":not(" + sub + "~" + h + "~*)", s + ":has(~" + s + " " + t + ")" + not]) +
        "{display:block}" + all([own + ">h2>*::before", head + ">h2>*::before"]) + "{transform:rotate(45deg)}}");
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat(sheet);
    } catch (old) {
      // an older browser, a malformed address: sections.js opens it
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var choice = document.getElementById("theme-choice");
    if (!choice) return;
    choice.value = root.getAttribute("data-theme");
    choice.addEventListener("change", function () {
      apply(choice.value);
      try {
        window.localStorage.setItem(KEY, choice.value);
      } catch (blocked) {
        // not remembered, but this page shows the choice
      }
    });
  });

  window.addEventListener("load", function () {
    // Had a deferred script not run (a failed download), open what it would have wired.
    root.classList.remove("toc-folded", "sections-folded");
  });

  // A choice made in another tab (or in the admin) applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) apply(stored());
  });
})();
