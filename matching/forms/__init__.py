"""Forms of matching, one module per area. They check and convert input; the rules live in the services."""
