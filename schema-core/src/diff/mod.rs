//! Differences between two schemas.
