"""Files: bounded, safe reading of what a user names; the limits that guard
the machine; the output-folder lock; the per-user cache folder; where the
built-in templates, fixtures and seeds are."""
