"""Templates as pages: which pages use which template, re-rendering the users of a template
that changed (on the task queue, with its progress), and the "What uses this template" page.
The expansion itself is the core's (`wiki.transcluding`)."""
