"""Pure reference data: regions (GB/T 2260), industry fields, vocabularies and validators.

Nothing here imports Flask; data files live in ``data/`` and are loaded once on first use.
"""
