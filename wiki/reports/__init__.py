"""Reader reports: "Report a problem with this article", and the editors' triage queue."""
