//! Snapshot tests of `#[derive(Schema)]`'s expansion: representative structs
//! expanded against `tests/fixtures/codegen/derive/schema.sql`, pretty-printed
//! and compared with `tests/fixtures/codegen/derive/<case>.rs`. Rewrite the
//! files with `SCHEMA_BLESS=1` and review their diff.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use super::derive_at;
use crate::codegen::Host;

/// The fixtures' directory, from the workspace's root.
const DIR: &str = "tests/fixtures/codegen/derive";

/// The workspace's root, as the derive sees a crate's manifest directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `tokens` (a file's items) pretty-printed.
fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens.clone())
        .unwrap_or_else(|e| panic!("not a file of items ({e}): {tokens}"));
    prettyplease::unparse(&file)
}

/// Expands `input` and compares the expansion with the snapshot `<name>.rs`.
fn snapshot(name: &str, input: TokenStream) {
    let root = root();
    let host = Host::for_tests();
    let expansion = pretty(derive_at(&host, &root, input.clone()));
    // The absolute path of the tracked schema file is the machine's.
    let expansion = expansion.replace(&root.display().to_string(), "$ROOT");
    let input: String = pretty(input)
        .lines()
        .map(|line| format!("// {line}").trim_end().to_string() + "\n")
        .collect();
    let text = format!(
        "// @generated: the expansion of `#[derive(Schema)]` on this struct (schema: {DIR}/schema.sql).\n\
         // Rewrite: SCHEMA_BLESS=1 and the snapshot tests of the derive.\n//\n{input}\n{expansion}"
    );
    let file = root.join(DIR).join(format!("{name}.rs"));
    if std::env::var_os("SCHEMA_BLESS").is_some() {
        std::fs::write(&file, &text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        expected == text,
        "the expansion differs from {}; rerun with SCHEMA_BLESS=1 and review the diff\n{text}",
        file.display()
    );
}

#[test]
fn a_struct_of_every_column_is_a_model_and_a_record() {
    snapshot(
        "plain",
        quote! {
            #[derive(Schema)]
            #[schema(table = "memberships", schema = "tests/fixtures/codegen/derive/schema.sql")]
            pub struct Membership {
                pub user_id: i32,
                pub group_id: i32,
                pub rank: Option<i16>,
            }
        },
    );
}

#[test]
fn a_partial_struct_is_a_model_only() {
    snapshot(
        "partial",
        quote! {
            #[derive(Schema)]
            #[schema(table = "users", partial, schema = "tests/fixtures/codegen/derive/schema.sql")]
            struct UserEmail {
                id: i32,
                email: String,
            }
        },
    );
}

#[test]
fn errors_are_placed_and_come_with_fallback_impls() {
    snapshot(
        "errors",
        quote! {
            #[derive(Schema)]
            #[schema(table = "users", schema = "tests/fixtures/codegen/derive/schema.sql")]
            struct BadUser {
                id: i64,
                emial: String,
                #[schema(column = "displayName")]
                display_name: String,
            }
        },
    );
    snapshot(
        "errors_unknown_table",
        quote! {
            #[derive(Schema)]
            #[schema(table = "user", partial, schema = "tests/fixtures/codegen/derive/schema.sql")]
            struct Login<'a> {
                id: i32,
                name: &'a str,
            }
        },
    );
}

#[test]
fn renamed_fields_enum_columns_options_and_arrays() {
    snapshot(
        "renamed_enums_arrays",
        quote! {
            #[derive(Schema)]
            #[schema(table = "users", schema = "tests/fixtures/codegen/derive/schema.sql")]
            struct User {
                id: i32,
                #[schema(column = "email")]
                address: ::std::string::String,
                #[schema(column = "displayName")]
                display_name: Option<String>,
                r#type: String,
                mood: models::Mood,
                moods: Option<Vec<Mood>>,
                tags: Vec<String>,
                scores: ::core::option::Option<Vec<i32>>,
                avatar: Option<Vec<u8>>,
            }
        },
    );
}
