//! What the workspace's tests and benchmarks share, as one crate (a
//! dev-dependency of each crate whose tests use it, never published).
//!
//! - [`pg`]: a PostgreSQL server for tests (skip, or fail with
//!   `SCHEMA_TEST_REQUIRE_DB=1`), a throwaway database per test, and what the
//!   tests watch on the server (sessions, advisory locks, catalog facts).
//! - [`scratch`]: throwaway Cargo packages that depend on the workspace.
//! - [`golden`]: files of expected output, checked or rewritten (`SCHEMA_BLESS=1`).
//! - [`replay`]: generated migrations analysed as a project (replay, lints, drift).
//! - [`runs`]: numbers and seeds from the environment, cases shared between threads.
//! - [`schemagen`]: random valid pairs of schemas for property tests.
//! - [`synthetic`]: a deterministic synthetic project for performance measurements.
//! - `roundtrip` (feature `roundtrip`): a generated migration up and down on a server.
//!
//! A test reports failure by panicking, so the helpers do too.

#![allow(clippy::panic, reason = "a test helper reports failure by panicking")]

pub mod golden;
pub mod pg;
pub mod replay;
#[cfg(feature = "roundtrip")]
pub mod roundtrip;
pub mod runs;
pub mod schemagen;
pub mod scratch;
pub mod synthetic;
