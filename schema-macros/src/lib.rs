//! Procedural macros of the schema toolkit; a thin layer over `schema-core`
//! (the `schema!()` and `#[derive(Schema)]` macros arrive with the compile-time issue).
