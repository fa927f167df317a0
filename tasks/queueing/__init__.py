"""The RQ side of a run: enqueueing, the job functions, events, stop flags and local workers."""
