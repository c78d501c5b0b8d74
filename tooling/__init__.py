"""Developer tooling kept apart from the product: the demo data generator and the region table builder."""
