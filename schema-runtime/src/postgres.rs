//! PostgreSQL live introspection into the schema model.
