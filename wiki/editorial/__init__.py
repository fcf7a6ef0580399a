"""Editorial tools with public logs: moves and redirects, deletion, protection, blocks,
patrol, and the log that records each of them."""
