"""Statistics over the cases (the domain layer of /stats/ and /api/v1/stats/)."""
