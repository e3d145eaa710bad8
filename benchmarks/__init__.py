"""memdiff's speed and accuracy benchmarks: scripts that print figures, never timed tests."""
