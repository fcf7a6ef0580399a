/* The reader's theme: Light, Dark or Automatic (the system's), remembered in this browser.
   Loaded in <head> without defer, so it sets <html data-theme> before the first paint and no
   page shows in the wrong theme first. The choice is kept in localStorage under "theme", the key
   and the values ("light", "dark", "auto") of the Django admin's own switch, so the site and the
   admin follow one choice. The HTML never varies by theme: cached pages stay one copy.
   Without JavaScript the switch stays hidden and the system's setting applies (static/css/theme.css). */
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
