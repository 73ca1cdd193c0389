"""Reading the site's sources: files, front matter, the model, the checks and the ledger (never imports site, cache or the edges)."""
