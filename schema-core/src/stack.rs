//! Running the analysis on a thread with a stack of its own.
//!
//! Parsing, canonical forms and rendering walk expression trees recursively,
//! and a debug build spends tens of kilobytes of stack a level: more than the
//! 8 MiB of a main thread (or of the compiler's thread a macro runs on) for an
//! expression of a few hundred terms. [`crate::model::depth`] bounds the depth;
//! this stack holds that bound with room to spare. The memory is reserved, not
//! used: only the pages the analysis touches are ever allocated.

/// The stack of the analysis thread: 256 MiB.
pub(crate) const STACK_SIZE: usize = 256 << 20;

thread_local! {
    /// True on a thread started by [`on_big_stack`]: nested calls run in place.
    static ON_BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on a thread with a [`STACK_SIZE`] stack and returns what it returns.
///
/// Called on such a thread already, or when no such thread can be started, `f`
/// runs on the calling thread. A panic
/// in `f` continues on the calling thread.
pub fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if ON_BIG_STACK.get() {
        return f();
    }
    let mut slot = Some(f);
    let on_thread: Option<T> = std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("schema-analysis".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || {
                ON_BIG_STACK.set(true);
                slot.take().map(|f| f())
            })
            .ok()?;
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    match (on_thread, slot.take()) {
        (Some(value), _) => value,
        // The thread could not start, so `f` is still here.
        (None, Some(f)) => f(),
        (None, None) => unreachable!("a thread that started took `f` and returned its value"),
    }
}

/// Runs `a` and `b` at once, `a` on a thread with a [`STACK_SIZE`] stack and
/// `b` here, and returns both results (`a` runs here after `b` when no thread
/// can be started). A panic in either continues on the calling thread.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    let mut slot = Some(a);
    let (on_thread, b) = std::thread::scope(|scope| {
        let handle = spawn_scoped(scope, "schema-join", || slot.take().map(|a| a()));
        let b = b();
        let a = handle.and_then(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (a, b)
    });
    match (on_thread, slot.take()) {
        (Some(a), _) => (a, b),
        (None, Some(a)) => (a(), b),
        (None, None) => unreachable!("a thread that started took `a` and returned its value"),
    }
}

/// Starts `f` on a scoped thread with a [`STACK_SIZE`] stack, where nested
/// [`on_big_stack`] calls run in place; `None` when no thread can be started.
pub(crate) fn spawn_scoped<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Option<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .name(name.into())
        .stack_size(STACK_SIZE)
        .spawn_scoped(scope, || {
            ON_BIG_STACK.set(true);
            f()
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recurses `n` levels with a kilobyte of stack a level.
    fn deep(n: usize) -> usize {
        let pad = std::hint::black_box([1u8; 1024]);
        if n == 0 {
            usize::from(pad[0])
        } else {
            deep(n - 1) + usize::from(pad[n % 1024])
        }
    }

    #[test]
    fn the_work_gets_a_stack_far_larger_than_a_main_thread() {
        // 64 MiB of frames: more than any default stack, well within STACK_SIZE.
        assert_eq!(on_big_stack(|| deep(64 * 1024)), 64 * 1024 + 1);
        let borrowed = String::from("abc");
        assert_eq!(on_big_stack(|| borrowed.len()), 3);
        // Nested: the same thread, no second one.
        let outer = on_big_stack(|| {
            let here = std::thread::current().id();
            (here, on_big_stack(|| std::thread::current().id()))
        });
        assert_eq!(outer.0, outer.1);
        assert_ne!(outer.0, std::thread::current().id());
    }
}
