"""`make new-project` (and its template) and `make domain-sync`."""
