"""Loading historical dossiers from a legacy system (`opendvc import_dossiers`).

`parsing` checks one JSONL line on its own and turns it into an `ImportedDossier`; `loading`
resolves procedures and agencies and writes a batch of them; `run` reads the file, batches and
counts. The line format is documented in docs/formats/dossiers.md.
"""
