"""The editors' tools (`invoke check`, `invoke new`): above every plugin, since they
run the contract's checks and the photos' checks without building the site."""
