"""Read-only queries shared by services and notification cause loaders; they never write."""
