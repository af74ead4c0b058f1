//! Building an expansion as text, away from the compiler's token bridge.
//!
//! Inside a macro, every `proc_macro2` token is the compiler's: making one is
//! a call across the proc-macro bridge, and `to_string` of the result (for
//! the disk cache) another walk over all of them. The bulk of `schema!()`'s
//! expansion (the models and `MIGRATIONS`, megabytes for a large project) is
//! made instead with `proc_macro2`'s own tokens ([`detached`]), turned into
//! text there, and handed to the compiler's lexer in one call: the same path
//! an expansion read back from the disk cache takes, so the compiler sees the
//! same tokens either way (every token of the expansion has the call site's
//! span). Only without `derive(..)` or `attr(..)` arguments: those are the
//! user's tokens, whose spans point at the argument when a derive fails, and
//! text would lose them.
//!
//! `proc_macro2` chooses between its own tokens and the compiler's with one
//! switch per library, not per thread: while it is switched
//! ([`detached`]), no compiler token may be made or mixed in. Nothing else in
//! this macro library may run meanwhile: the macro's own threads make no
//! tokens, and this assumes the compiler expands one macro at a time (rustc
//! does; rust-analyzer's proc-macro server answers one request at a time).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

thread_local! {
    /// True inside [`detached`] on this thread.
    static DETACHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `proc_macro2` making its own tokens, not the compiler's; the
/// compiler's are used again afterwards, even if `f` panics. Tokens made by
/// `f` must not outlive it: turn them into text inside. Not nested: the
/// inner call would switch back too early.
pub(crate) fn detached<T>(f: impl FnOnce() -> T) -> T {
    /// Switches back on drop.
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            DETACHED.set(false);
            // Asks the compiler whether it is there: on this (the
            // compiler's) thread, inside a macro, it is.
            proc_macro2::fallback::unforce();
        }
    }
    debug_assert!(!DETACHED.get(), "`detached` does not nest");
    DETACHED.set(true);
    proc_macro2::fallback::force();
    let _restore = Restore;
    f()
}

/// How long [`making_text_is_fast`]'s sample may take for text to be chosen.
const FAST_ENOUGH: Duration = Duration::from_micros(200);

/// How many times [`making_text_is_fast`] times its sample.
const SAMPLE_ROUNDS: usize = 5;

/// Whether making an expansion as text is the faster way in this build, and
/// how long the sample that told took: text when `proc_macro2` and `quote`
/// are optimised (the README's `opt-level = 3` lines). Unoptimised, their own
/// tokens cost more than the compiler's, whose side of the bridge is always
/// optimised. Told by timing a sample once per process (on a 2-core machine
/// about 100 microseconds optimised, 360 not); a wrong answer costs time, never a
/// different expansion.
///
/// `SCHEMA_MACRO_AS_TEXT=1` (or `0`) decides instead, without a sample.
pub(crate) fn making_text_is_fast() -> (bool, Duration) {
    /// The answer and the sample's time, once per process.
    static FAST: OnceLock<(bool, Duration)> = OnceLock::new();
    *FAST.get_or_init(|| {
        match std::env::var("SCHEMA_MACRO_AS_TEXT").as_deref() {
            Ok("1") => return (true, Duration::ZERO),
            Ok("0") => return (false, Duration::ZERO),
            _ => {}
        }
        // The fastest of a few rounds: a round the machine interrupted, or
        // the first (which warms up), does not count.
        let took = detached(|| {
            (0..SAMPLE_ROUNDS)
                .map(|_| {
                    let started = Instant::now();
                    let text = sample();
                    let took = started.elapsed();
                    if text.is_empty() { Duration::MAX } else { took }
                })
                .min()
                .unwrap_or(Duration::MAX)
        });
        (took < FAST_ENOUGH, took)
    })
}

/// A sample of what models are made of, as text.
fn sample() -> String {
    let mut tokens = TokenStream::new();
    for i in 0..20_u32 {
        let name = quote::format_ident!("Sample{i}");
        tokens.extend(quote::quote! {
            #[doc = " `id bigint NOT NULL`"]
            pub struct #name { pub id: i64, pub note: ::core::option::Option<String> }
            impl #name { fn key(&self) -> ::std::vec::Vec<i64> { ::std::vec::Vec::from([self.id]) } }
        });
    }
    tokens.to_string()
}
