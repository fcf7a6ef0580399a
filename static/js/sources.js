// The edit page's Sources panel: each reference of the text being edited, with its
// publication type (PubMed's), its age and the hints a medical editor expects (a primary
// study, an old source). Never blocks a save. Asks the server when the panel is opened (the
// references are parsed there, with wiki/citations.py) and again on "Check again".
(function () {
  "use strict";
  // The words in the page's language, from the edit page's #editor-words ({% editor_words %},
  // wiki/templatetags/editor_words.py); English when a phrase is not there. {name}: a value.
  const WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");
  const T = (words, values) => (WORDS[words] || words)
    .replace(/\{(\w+)\}/g, (all, name) => (values && name in values ? values[name] : all));
  const panel = document.querySelector(".sources-panel");
  const text = document.querySelector(".edit-form textarea");
  if (!panel || !text) return;
  panel.hidden = false;
  const list = panel.querySelector(".sources-list");
  const status = panel.querySelector(".sources-status");
  let asking = null;

  function ageWords(source) {
    const age = source.hints.age;
    if (age === null) return "no year";
    if (age === 0) return `${source.year}, this year`;
    return `${source.year}, ${age} year${age === 1 ? "" : "s"} old`;
  }

  function flag(words, kind) {
    const item = document.createElement("span");
    item.className = `source-flag source-flag--${kind}`;
    item.textContent = words;
    return item;
  }

  function entry(source, oldYears) {
    const item = document.createElement("li");
    item.className = "source";
    const head = document.createElement("p");
    head.className = "source-head";
    const name = document.createElement("code");
    name.textContent = `[^${source.name}]`;
    const title = document.createElement("span");
    title.className = "source-title";
    title.textContent = source.title || "(no title)";
    head.append(name, " ", title, ` (${ageWords(source)})`);
    const facts = document.createElement("p");
    facts.className = "source-facts";
    const types = source.hints.types.length ? source.hints.types.join(", ") : "";
    facts.textContent = types ? T("Publication type: {types}.", { types }) : (source.note || T("A {kind} reference; no publication type known.", { kind: source.kind }));
    item.append(head, facts);
    const flags = [];
    if (source.hints.primary) flags.push(flag(T("Primary study"), "primary"));
    if (source.hints.old) flags.push(flag(T("Older than {years} years", { years: oldYears }), "old"));
    if (!source.hints.primary && !source.hints.old && types) flags.push(flag(T("No flag"), "fine"));
    if (flags.length) {
      const row = document.createElement("p");
      row.className = "source-flags";
      row.append(...flags);
      item.append(row);
    }
    source.hints.messages.forEach((message) => {
      const hint = document.createElement("p");
      hint.className = "source-hint";
      hint.textContent = message;
      item.append(hint);
    });
    return item;
  }

  async function check() {
    if (asking) return asking;
    status.textContent = T("Reading the references…");
    const body = new FormData();
    body.append("text", text.value);
    if (panel.dataset.article) body.append("article", panel.dataset.article);
    const token = document.querySelector("[name=csrfmiddlewaretoken]");
    asking = (async () => {
      let answer;
      try {
        const response = await fetch(panel.dataset.sourcesUrl, {
          method: "POST", body, credentials: "same-origin",
          headers: token ? { "X-CSRFToken": token.value } : {},
        });
        answer = await response.json();
      } catch (failure) {
        answer = { error: T("The sources could not be checked just now; try again later.") };
      }
      if (answer.error) {
        status.textContent = answer.error;
        return;
      }
      list.replaceChildren(...answer.sources.map((source) => entry(source, answer.old_years)));
      const flagged = answer.sources.filter((s) => s.hints.primary || s.hints.old).length;
      const count = answer.sources.length;
      status.textContent = count
        ? `${count} reference${count === 1 ? "" : "s"}, ${flagged} with a hint.`
        : T("This text has no references yet: the Cite button adds one.");
    })();
    try { await asking; } finally { asking = null; }
  }

  panel.addEventListener("toggle", () => { if (panel.open) check(); });
  panel.querySelector("[data-sources-refresh]").addEventListener("click", check);
})();
