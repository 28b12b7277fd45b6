"""Backups of the database: ``operations`` writes and restores them, ``cli`` runs them."""
