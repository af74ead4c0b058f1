//! Helpers shared by the workspace's integration tests.

pub(crate) mod pg;
pub(crate) mod roundtrip;
pub(crate) mod runs;
pub(crate) mod schemagen;
