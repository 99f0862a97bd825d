"""Data safety in the window: opening a data folder in a safe order, one window per folder,
automatic backups in the background, and the Data menu (back up, restore, verify)."""
