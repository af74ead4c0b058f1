//! Helpers shared by the workspace's integration tests.

pub(crate) mod pg;
