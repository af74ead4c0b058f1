//! `parse_file` (tokenize, split into statements, read directives) on arbitrary
//! text; then the declarative apply, as `parse_schema` does.

#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_core::diagnostic::Source;
use schema_core::parse::parse_file;

fuzz_target!(|data: &[u8]| {
    let source = Source::new("schema.sql", String::from_utf8_lossy(data).into_owned());
    let (file, diagnostics) = parse_file(&source);
    for d in &diagnostics {
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
    }
    let _ = schema_core::parse::parse_schema(&source);
    drop(file);
});
