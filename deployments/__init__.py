"""Deployment helpers: the sample careers site used by the demo, the tests and the benchmark."""
