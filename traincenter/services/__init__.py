"""Read services shared by several areas (hours, attempts, fitness for duty)."""
