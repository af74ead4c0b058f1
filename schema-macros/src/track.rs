//! Tracking the files a macro read: an `include_bytes!` of each in the
//! expansion, so that editing one rebuilds the crate.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

/// `const _: &[u8] = include_bytes!("<absolute path>");` for each file.
pub(crate) fn track(files: &[PathBuf]) -> TokenStream {
    let paths = files.iter().filter_map(|p| p.to_str());
    quote! {
        #(const _: &[u8] = include_bytes!(#paths);)*
    }
}
