"""The nine themes of the library: the list, their CKAN groups, and each
resource's memberships kept in step with its ``themes`` field."""
