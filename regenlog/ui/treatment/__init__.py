"""The treatment page: details, codes, procedure lines, linked records and the checklist."""
