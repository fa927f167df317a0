"""Keeping the system healthy: the health report and the maintenance of Redis and the runs table."""
