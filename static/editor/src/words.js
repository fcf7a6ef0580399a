// The words in the page's language: the edit page's #editor-words, written by {% editor_words %}
// (wiki/templatetags/editor_words.py); English when a phrase is not there. {name}: a value.
const WORDS = JSON.parse((document.getElementById("editor-words") || {}).textContent || "{}");

export const T = (words, values) => (WORDS[words] || words)
  .replace(/\{(\w+)\}/g, (all, name) => (values && name in values ? values[name] : all));
