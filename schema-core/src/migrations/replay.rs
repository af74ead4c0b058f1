//! Replaying migrations into the migrated schema.
