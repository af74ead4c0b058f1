//! What the proc-macro crate tells the expansions of `schema!()` and
//! `#[derive(Schema)]`: the features of `sqlschema`, its own version and build,
//! and the compiler's lexer. Everything else of an expansion runs here.

use proc_macro2::TokenStream;

use super::types::Features;

/// The proc-macro crate's side of an expansion: what only it knows.
#[derive(Debug, Clone, Copy)]
pub struct Host {
    /// The features of `sqlschema` this build has, which decide the generated
    /// types (the macro crate reads its same-named features with `cfg!`).
    pub features: Features,
    /// The macro crate's version: part of the disk cache's key.
    pub macro_version: &'static str,
    /// The macro crate's source directory (its `CARGO_MANIFEST_DIR` when it
    /// was built): a build from a registry's or a vendor directory's sources,
    /// which never change under one version, is told apart by its version.
    pub macro_source: &'static str,
    /// Tokens from their text by the compiler's own lexer; `None` outside a
    /// macro (or when it refuses the text), and `proc_macro2`'s lexer is used.
    pub lex: fn(&str) -> Option<TokenStream>,
}

impl Host {
    /// A host outside any compiler, for tests: the default features, this
    /// crate's version and sources, no compiler lexer.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Host {
            features: Features::default(),
            macro_version: env!("CARGO_PKG_VERSION"),
            macro_source: env!("CARGO_MANIFEST_DIR"),
            lex: |_| None,
        }
    }

    /// The workspace root, for tests that expand the repository's fixtures.
    #[cfg(test)]
    pub(crate) fn workspace_root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }
}
