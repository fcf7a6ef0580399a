// suggestions: filled by the search issue
