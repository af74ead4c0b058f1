//! `schema!()`: resolve the project, analyse it (cached), expand to the models
//! and `MIGRATIONS` or to one `compile_error!` per diagnostic.
//!
//! A successful expansion is also stored on disk ([`super::expansion_cache`]):
//! the next compiler process that expands the same call over the same files
//! reads it back instead of analysing the project again.

mod args;
mod derives;

use std::path::Path;
use std::time::Instant;

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use syn::LitStr;

use crate::codegen::analysis_cache as cache;
use crate::codegen::as_text;
use crate::codegen::expansion_cache as disk;
use crate::codegen::host::Host;
use crate::codegen::track::track;
use crate::codegen::{self, compile_error_text};
use crate::{Diagnostic, Project};

use self::args::SchemaArgs;

/// `schema!(..)` over `proc_macro2` tokens, for a crate whose manifest
/// directory is `root`.
pub fn schema_at(host: &Host, root: &Path, input: TokenStream) -> TokenStream {
    let started = Instant::now();
    let (tokens, how) = expand(host, root, input);
    if std::env::var_os("SCHEMA_MACRO_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!(
            "schema!() in {}: {how}, {:.1} ms",
            root.display(),
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    tokens
}

/// The expansion, and how it was had (for `SCHEMA_MACRO_TIMINGS`).
fn expand(host: &Host, root: &Path, input: TokenStream) -> (TokenStream, String) {
    let args: SchemaArgs = match syn::parse2(input) {
        Ok(args) => args,
        Err(e) => return (e.into_compile_error(), "bad arguments".into()),
    };
    let mut project = Project::new(root);
    if let Some(path) = &args.schema {
        project = project.with_schema(path.value());
    }
    if let Some(path) = &args.migrations {
        project = project.with_migrations(path.value());
    }
    project = project.with_online(args.online.clone());
    let place = disk::Place::of(&project, host, &args.codegen_key());
    let (inputs, guess) = std::thread::scope(|scope| {
        // Reading and hashing every file (for the key) and reading back the
        // likely entry take about as long, and the compiler's lexer that
        // parses the entry runs on this thread only: do both at once. Not
        // when schema.sql was edited or a migration added or removed since
        // the entry was used (reading it would likely be lost time).
        let hashing = scope.spawn(|| cache::inputs(&project));
        let edited = [project.schema_path(), project.migrations_path()];
        let guess = place
            .as_ref()
            .and_then(disk::Place::newest)
            .filter(|entry| !entry.predates(&edited))
            .and_then(|entry| entry.read(host).map(|tokens| (entry, tokens)));
        let inputs = hashing.join().unwrap_or_else(|_| cache::inputs(&project));
        (inputs, guess)
    });
    let ms = |since: Instant| since.elapsed().as_secs_f64() * 1e3;
    let read = Instant::now();
    let tracked = track(&inputs.files, host);
    let entry = place.as_ref().map(|p| p.entry(&inputs));
    if let Some(entry) = &entry {
        let cached = match guess {
            Some((guessed, tokens)) if guessed.is(entry) => Some(tokens),
            _ => entry.read(host),
        };
        if let Some(tokens) = cached {
            entry.touch();
            let how = format!("read from the disk cache, entry {}", entry.path().display());
            return (quote::quote!(#tokens #tracked), how);
        }
    }
    // The models are made as soon as schema.sql is read, while the history
    // is still replayed on other threads (the compiler's tokens can only be
    // made on this thread; text, see `as_text`, is made here too); they are
    // thrown away if the project has errors.
    let (as_text, sample) = as_text::making_text_is_fast();
    let mut models_ms = None;
    let (loaded, _, early) = cache::load_with(&project, |declared| {
        declared.map(|declared| {
            let started = Instant::now();
            let extras = derives::extras(declared, &args, host.features);
            let models = extras.as_ref().ok().map(|extras| {
                let text = as_text
                    .then(|| codegen::models_text(declared, host.features, extras))
                    .flatten();
                match text {
                    Some(text) => Made::Text(text),
                    None => Made::Tokens(codegen::models_with(declared, host.features, extras)),
                }
            });
            models_ms = Some(ms(started));
            (extras, models)
        })
    });
    let (extras, models) = match early.flatten() {
        Some((extras, models)) => (Some(extras), models),
        None => (None, None),
    };
    let errors = codegen::errors(&loaded);
    if !errors.is_empty() {
        let errors = errors
            .iter()
            .map(|d| compile_error(d, span_for(d, &project, &args)));
        return (quote::quote!(#(#errors)* #tracked), "errors".into());
    }
    let extras = extras.unwrap_or_else(|| derives::extras(&loaded.declared, &args, host.features));
    let extras = match extras {
        Ok(extras) => extras,
        Err(errors) => {
            let errors = errors.iter().map(syn::Error::to_compile_error);
            return (quote::quote!(#(#errors)* #tracked), "errors".into());
        }
    };
    let analysed = Instant::now();
    let analysis_ms = ms(read);
    let renderings = place.as_ref().map(disk::Place::renderings);
    // As text lexed by the compiler in one call where that is faster and
    // no argument adds the user's tokens, else as the compiler's tokens one
    // by one.
    let (text_models, token_models) = match models {
        Some(Made::Text(models)) => (Some(models), None),
        Some(Made::Tokens(models)) => (None, Some(models)),
        None => (None, None),
    };
    let expanded = (as_text && extras.is_empty())
        .then(|| {
            codegen::expand_text(
                &loaded.declared,
                &loaded.replay,
                host.features,
                &extras,
                renderings.as_ref(),
                text_models,
            )
        })
        .flatten()
        .and_then(|text| match text {
            Ok(text) => disk::parse_tokens(&text, host).map(|tokens| Ok((tokens, Some(text)))),
            Err(diagnostics) => Some(Err(diagnostics)),
        })
        .unwrap_or_else(|| {
            codegen::expand_cached(
                &loaded.declared,
                &loaded.replay,
                host.features,
                &extras,
                renderings.as_ref(),
                token_models,
            )
            .map(|tokens| (tokens, None))
        });
    match expanded {
        Ok((tokens, text)) => {
            let text_made = text.is_some();
            let warnings: Vec<TokenStream> = loaded
                .diagnostics
                .iter()
                .filter(|d| !d.is_error())
                .map(|d| compile_warning(d, span_for(d, &project, &args)))
                .collect();
            let expansion_ms = ms(analysed);
            let written = Instant::now();
            // Stored only if the files are still those the key was made from
            // (an edit during the analysis would file it under the old key).
            if let Some(entry) = &entry {
                if codegen::inputs(&project).fingerprint == inputs.fingerprint {
                    let text = text.unwrap_or_else(|| tokens.to_string());
                    let warnings = quote::quote!(#(#warnings)*).to_string();
                    entry.write_text(&format!("{text} {warnings}"));
                }
            }
            let phases = format!(
                "analysis {analysis_ms:.1} ms (models made meanwhile: {}), \
                 expansion {expansion_ms:.1} ms, cache write {:.1} ms; made as {} \
                 (sample {:.0} us)",
                models_ms.map_or_else(|| "no".into(), |m| format!("{m:.1} ms")),
                ms(written),
                if text_made { "text" } else { "tokens" },
                sample.as_secs_f64() * 1e6
            );
            let how = match entry {
                Some(_) => format!(
                    "analysed, disk cache miss, entry {}; {phases}",
                    entry_path(entry.as_ref())
                ),
                None => format!("analysed (no disk cache); {phases}"),
            };
            (quote::quote!(#tokens #(#warnings)* #tracked), how)
        }
        Err(diagnostics) => {
            let errors = diagnostics
                .iter()
                .map(|d| compile_error(d, span_for(d, &project, &args)));
            (quote::quote!(#(#errors)* #tracked), "errors".into())
        }
    }
}

/// Models made while the history replayed.
enum Made {
    /// As text ([`codegen::models_text`]).
    Text(Result<String, Vec<Diagnostic>>),
    /// As the compiler's tokens ([`codegen::models_with`]).
    Tokens(Result<TokenStream, Vec<Diagnostic>>),
}

/// The file of a cache entry, for messages.
fn entry_path(entry: Option<&disk::Entry>) -> String {
    entry
        .map(|e| e.path().display().to_string())
        .unwrap_or_default()
}

/// `compile_error!("<the diagnostic, rendered>")` at `span`.
fn compile_error(diagnostic: &Diagnostic, span: Span) -> TokenStream {
    let text = compile_error_text(diagnostic);
    quote_spanned!(span=> ::core::compile_error!(#text);)
}

/// A compiler warning for `diagnostic` at `span`. Stable Rust gives a
/// procedural macro no warnings of its own, so this is the `deprecated`
/// lint's: a constant deprecated with the diagnostic as its note, and used.
fn compile_warning(diagnostic: &Diagnostic, span: Span) -> TokenStream {
    let text = compile_error_text(diagnostic);
    let name = quote::format_ident!("schema_warning", span = span);
    quote_spanned!(span=>
        const _: () = {
            #[deprecated(note = #text)]
            #[allow(non_upper_case_globals)]
            const #name: () = ();
            #name
        };
    )
}

/// Where a diagnostic goes in the Rust source: on the path literal of the file
/// it is about when the call names that file, else on the whole call.
fn span_for(diagnostic: &Diagnostic, project: &Project, args: &SchemaArgs) -> Span {
    let Some(file) = diagnostic.origin.as_ref().map(|o| o.source.path.as_str()) else {
        return Span::call_site();
    };
    let schema = project.display(&project.schema_path());
    let migrations = project.display(&project.migrations_path());
    let literal: Option<&LitStr> = if file == schema {
        args.schema.as_ref()
    } else if file.starts_with(&migrations) {
        args.migrations.as_ref()
    } else {
        None
    };
    literal.map_or_else(Span::call_site, LitStr::span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn a_clean_project_expands_to_models_migrations_and_tracked_files() {
        let out = schema_at(
            &Host::for_tests(),
            &Host::workspace_root(),
            quote!(
                schema = "tests/fixtures/ui/notes/schema.sql",
                migrations = "tests/fixtures/ui/notes/migrations"
            ),
        )
        .to_string();
        assert!(out.contains("pub mod models"), "{out}");
        assert!(out.contains("pub struct Note"), "{out}");
        assert!(out.contains("pub static MIGRATIONS"), "{out}");
        assert_eq!(out.matches("include_bytes").count(), 4, "{out}");
    }

    /// What `schema!()` makes as text (optimised) is what it makes as
    /// tokens (unoptimised), whatever the models and features; with
    /// `derive`/`attr` arguments it makes no text (their spans would be lost).
    #[test]
    fn text_and_tokens_make_the_same_expansion() {
        let every = codegen::Features {
            chrono: true,
            time: false,
            uuid: true,
            json: true,
            decimal: true,
            serde: true,
            sqlx: true,
        };
        let cases = [
            ("tests/fixtures/codegen/every_type", quote!(), every),
            ("tests/fixtures/codegen/views", quote!(), every),
            (
                "tests/fixtures/ui/notes",
                quote!(),
                codegen::Features::default(),
            ),
            ("tests/fixtures/ui/notes", quote!(derive(Hash)), every),
            (
                "tests/fixtures/ui/notes",
                quote!(attr(notes: serde(rename_all = "camelCase"))),
                every,
            ),
        ];
        for (fixture, args, features) in cases {
            let project = Project::new(Host::workspace_root())
                .with_schema(format!("{fixture}/schema.sql"))
                .with_migrations(format!("{fixture}/migrations"));
            let loaded = crate::load(&project);
            assert!(codegen::errors(&loaded).is_empty(), "{fixture}");
            let args: SchemaArgs = syn::parse2(args).unwrap_or_else(|e| panic!("{e}"));
            let extras = derives::extras(&loaded.declared, &args, features)
                .unwrap_or_else(|e| panic!("{fixture}: {e:?}"));
            let try_text = |models| {
                codegen::expand_text(
                    &loaded.declared,
                    &loaded.replay,
                    features,
                    &extras,
                    None,
                    models,
                )
                .and_then(Result::ok)
            };
            if !extras.is_empty() {
                assert!(try_text(None).is_none(), "{fixture}: text with arguments");
                assert!(codegen::models_text(&loaded.declared, features, &extras).is_none());
                continue;
            }
            let expand_text =
                |models| try_text(models).unwrap_or_else(|| panic!("{fixture}: no text"));
            let tokens = codegen::expand_cached(
                &loaded.declared,
                &loaded.replay,
                features,
                &extras,
                None,
                None,
            )
            .unwrap_or_else(|e| panic!("{fixture}: {e:?}"));
            let text = expand_text(None);
            let lexed: TokenStream = text.parse().unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let (lexed, tokens) = (lexed.to_string(), tokens.to_string());
            let same = lexed
                .bytes()
                .zip(tokens.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            assert!(
                lexed == tokens,
                "{fixture}: text and tokens differ at {same}: {:?} / {:?}",
                lexed.get(same.saturating_sub(80)..(same + 80).min(lexed.len())),
                tokens.get(same.saturating_sub(80)..(same + 80).min(tokens.len())),
            );
            let models = codegen::models_text(&loaded.declared, features, &extras);
            assert_eq!(expand_text(models), text, "{fixture}");
        }
    }

    #[test]
    fn each_error_is_a_compile_error_on_the_path_it_is_about() {
        let out = schema_at(
            &Host::for_tests(),
            &Host::workspace_root(),
            quote!(
                schema = "tests/fixtures/ui/table_declared_but_never_migrated/schema.sql",
                migrations = "tests/fixtures/ui/table_declared_but_never_migrated/migrations"
            ),
        )
        .to_string();
        assert_eq!(out.matches("compile_error").count(), 1, "{out}");
        assert!(out.contains("[S0204/unmigrated_object]"), "{out}");
        assert!(out.contains("include_bytes"), "{out}");
        let out = schema_at(
            &Host::for_tests(),
            &Host::workspace_root(),
            quote!(schema = 1),
        )
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
    }

    /// A project in a fresh temporary directory whose one table has `check`,
    /// with its migration and schema.sum; removed by the caller.
    fn project_with_check(name: &str, check: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("schema-deep-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let table = format!("CREATE TABLE t (id int PRIMARY KEY, b bool, CHECK ({check}));\n");
        let migration = dir.join("migrations/20240101000000_init");
        std::fs::create_dir_all(&migration).expect("temp dir");
        std::fs::write(dir.join("schema.sql"), &table).expect("write");
        std::fs::write(migration.join("up.sql"), &table).expect("write");
        std::fs::write(migration.join("down.sql"), "DROP TABLE t;\n").expect("write");
        let (found, diagnostics) =
            crate::migrations::discover(&dir.join("migrations"), "migrations");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        crate::migrations::sum::write(&dir.join("migrations"), &found).expect("sum");
        dir
    }

    /// `schema!()` on a thread with the stack rustc gives a macro (8 MiB).
    fn expand_on_a_compiler_sized_stack(dir: &Path) -> String {
        let dir = dir.to_path_buf();
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || schema_at(&Host::for_tests(), &dir, TokenStream::new()).to_string())
            .expect("thread")
            .join()
            .expect("the expansion did not panic")
    }

    #[test]
    fn deep_chains_neither_overflow_the_compilers_stack_nor_pass_unseen() {
        // Just under the depth limit: accepted, expanded on the compiler's stack.
        let near = project_with_check("near", &vec!["b"; 990].join(" OR "));
        let out = expand_on_a_compiler_sized_stack(&near);
        assert!(out.contains("pub struct T"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
        let _ = std::fs::remove_dir_all(&near);
        // 4,000 terms of each kind of chain: one located compile error each.
        for (name, check) in [
            ("or", vec!["b"; 4000].join(" OR ")),
            ("and", vec!["b"; 4000].join(" AND ")),
            (
                "concat",
                format!("{} <> ''", vec!["'x'"; 4000].join(" || ")),
            ),
            ("plus", format!("{} > 0", vec!["id"; 4000].join(" + "))),
            ("cast", format!("b{}", "::bool".repeat(4000))),
        ] {
            let dir = project_with_check(name, &check);
            let out = expand_on_a_compiler_sized_stack(&dir);
            let _ = std::fs::remove_dir_all(&dir);
            assert!(out.contains("S0003/unsupported_feature"), "{name}: {out}");
            assert!(out.contains("limit is 1000"), "{name}: {out}");
            assert!(out.contains("schema.sql:1:"), "{name}: {out}");
        }
    }
}
