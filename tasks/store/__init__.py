"""Where postings are kept: the database (SQLModel, migrations), screening, Parquet exports."""
