//! `analyze_sources` on arbitrary bytes: the input is split on `0xFF` (never part
//! of UTF-8) into schema.sql, up.sql and down.sql of one migration (no migration
//! when there is no `0xFF`). Besides not panicking, every diagnostic must have a
//! message and point at a line of the file it names, and render.

#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_core::analyze::analyze_sources;
use schema_core::diagnostic::{Diagnostic, Origin, Source, render_all};
use schema_core::migrations::MigrationFiles;

fn check_origin(origin: &Origin, d: &Diagnostic) {
    // The empty line after a final newline counts: "unexpected EOF" points there.
    let lines = origin.source.text.split('\n').count();
    assert!(
        origin.line >= 1 && origin.line as usize <= lines && origin.column >= 1,
        "`{}` points at {}:{} of `{}`, which has {lines} line(s)",
        d.message,
        origin.line,
        origin.column,
        origin.source.path
    );
}

fn check(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
        if let Some(origin) = &d.origin {
            check_origin(origin, d);
        }
        for (origin, _) in &d.related {
            check_origin(origin, d);
        }
    }
    let _ = render_all(diagnostics, false);
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0xFF);
    let text = |part: Option<&[u8]>| String::from_utf8_lossy(part.unwrap_or_default()).into_owned();
    let schema = Source::new("schema.sql", text(parts.next()));
    let migrations = match parts.next() {
        None => Vec::new(),
        Some(up) => {
            let dir_name = "20240101000000_fuzz".to_string();
            vec![MigrationFiles {
                version: 20_240_101_000_000,
                version_text: "20240101000000".to_string(),
                slug: "fuzz".to_string(),
                up: Source::new(format!("migrations/{dir_name}/up.sql"), text(Some(up))),
                down: Source::new(
                    format!("migrations/{dir_name}/down.sql"),
                    text(parts.next()),
                ),
                dir_name,
            }]
        }
    };
    match analyze_sources(&schema, &migrations) {
        Ok(analysis) => check(&analysis.warnings),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "Err without a diagnostic");
            check(&diagnostics);
        }
    }
});
