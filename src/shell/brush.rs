//! The boundary with brush-parser: the options dslim reads shell text
//! with, and [`guarded`], which turns a panic inside brush into opacity.
//! `convert` (scripts) and `words` (words) both call brush through here.

use brush_parser::{ParserImpl, ParserOptions, Token};

use super::Opaque;

/// POSIX sh, as `/bin/sh` is on Debian, Ubuntu and Alpine.
pub(super) fn options() -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: false,
        posix_mode: true,
        sh_mode: true,
        tilde_expansion_at_word_start: true,
        tilde_expansion_after_colon: false,
        parser_impl: ParserImpl::Peg,
    }
}

thread_local! {
    /// Set while brush-parser runs: a panic there is expected and handled.
    static IN_BRUSH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the panic hook once so that panics inside brush-parser, which
/// [`guarded`] turns into opacity, print nothing; every other panic goes to
/// the hook that was there before (Rust's default, or a fuzzer's).
fn quiet_brush_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_BRUSH.with(|b| b.get()) {
                previous(info);
            }
        }));
    });
}

/// Runs a brush-parser entry point, turning a panic inside it into
/// opacity: brush has `unwrap`s on paths that odd input can reach (an I/O
/// number too large for its integer type, for one).
pub(super) fn guarded<T>(f: impl FnOnce() -> Result<T, Opaque>) -> Result<T, Opaque> {
    quiet_brush_panics();
    IN_BRUSH.with(|b| b.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_BRUSH.with(|b| b.set(false));
    r.unwrap_or_else(|_| {
        Err(Opaque {
            reason: "the shell parser failed".into(),
        })
    })
}

/// brush-parser's tokens of `text`, a panic inside it made opaque.
pub(super) fn tokenize(text: &str, options: &ParserOptions) -> Result<Vec<Token>, Opaque> {
    guarded(|| {
        brush_parser::uncached_tokenize_str(text, &options.tokenizer_options()).map_err(|e| {
            Opaque {
                reason: format!("shell tokens: {e}"),
            }
        })
    })
}
