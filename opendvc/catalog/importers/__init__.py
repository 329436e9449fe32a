"""Reading the national procedure data (list, details, page texts, BQP records) into the catalog.

`run.run_import` is the entry point: it reads JSONL files (plain or gzipped), recognises each
line's source by its shape, merges the records by procedure code and writes what changed.
"""
