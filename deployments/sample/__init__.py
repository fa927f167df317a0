"""A self-contained sample careers site: see `deployments.sample.site` (SampleSite, demo_companies).

Nothing is imported here so that `python -m deployments.sample.site` runs without a double import.
"""
