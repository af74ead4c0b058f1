//! Tracking the files a macro read: an `include_bytes!` of each in the
//! expansion, so that editing one rebuilds the crate.

use std::fmt::Write as _;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::host::Host;

/// `const _: &[u8] = include_bytes!("<absolute path>");` for each file.
pub(crate) fn track(files: &[PathBuf], host: &Host) -> TokenStream {
    let paths = files.iter().filter_map(|p| p.to_str());
    // One string for the compiler's lexer: a project with a thousand
    // migrations tracks two thousand files, and building each item token
    // by token costs a call into the compiler per token.
    let mut text = String::new();
    for path in paths.clone() {
        // `{:?}` of a `str` is a valid Rust string literal.
        let _ = write!(text, "const _: &[u8] = include_bytes!({path:?});");
    }
    if let Some(tokens) = (host.lex)(&text) {
        return tokens;
    }
    quote! {
        #(const _: &[u8] = include_bytes!(#paths);)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_included_once_by_its_absolute_path() {
        let files = [
            PathBuf::from("/p/schema.sql"),
            PathBuf::from("/p/m \"1\"/up.sql"),
        ];
        let out = track(&files, &Host::for_tests()).to_string();
        assert_eq!(out.matches("include_bytes").count(), 2, "{out}");
        assert!(out.contains(r#""/p/m \"1\"/up.sql""#), "{out}");
    }
}
