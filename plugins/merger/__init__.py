"""`invoke merge`: another province's portal merged into this one after the 2025 merger.

Not a Pelican plugin: a tool on the editors' floor that reads both content
folders through the contract and writes the merged one (``cli``), with the
planning itself pure (``core``) and the options checked once (``settings``).
"""
