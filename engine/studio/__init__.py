"""The designer's studio: one set of checks, the dialects of other modelers, drafts, publishing, trials."""
