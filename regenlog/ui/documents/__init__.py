"""Documents: attaching files (drag and drop or Attach, on a worker thread), previewing them,
opening them in the system viewer, renaming and linking them to more records."""
