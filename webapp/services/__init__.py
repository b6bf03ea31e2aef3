"""Use cases. Each public function loads, calls the domain, persists and commits:
only services commit, so a failure anywhere leaves nothing half-saved."""
