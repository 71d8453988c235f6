//! Files on worker threads: a progress counter, big stacks, results in input
//! order.

use super::*;

/// A `\r`-updated `N/M files` counter on stderr, shown only when stderr is a
/// terminal and there are more than [`Progress::MIN_FILES`] files.
pub struct Progress {
    label: &'static str,
    total: usize,
    pub(super) done: AtomicUsize,
    pub(super) enabled: bool,
}

impl Progress {
    /// Runs with fewer files finish before a counter would be worth reading.
    pub const MIN_FILES: usize = 200;

    pub fn new(label: &'static str, total: usize) -> Progress {
        let enabled = total > Self::MIN_FILES && io::stderr().is_terminal();
        Progress::with(label, total, enabled)
    }

    pub fn with(label: &'static str, total: usize, enabled: bool) -> Progress {
        Progress {
            label,
            total,
            done: AtomicUsize::new(0),
            enabled,
        }
    }

    /// One more file done; redraws every few files.
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled && (n.is_multiple_of(16) || n == self.total) {
            let _ = write!(io::stderr().lock(), "{}", self.line(n));
        }
    }

    pub(super) fn line(&self, n: usize) -> String {
        format!("\r{} {n}/{} files", self.label, self.total)
    }

    /// Clears the counter line.
    pub fn finish(&self) {
        if self.enabled {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

/// [`par_map`] with a [`Progress`] counter.
pub fn par_map_progress<T, R, F>(label: &'static str, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let progress = Progress::new(label, items.len());
    let out = par_map(items, |x| {
        let r = f(x);
        progress.tick();
        r
    });
    progress.finish();
    out
}

/// Files are handled on worker threads only above this many: a thread pool
/// costs more than it saves for a handful of small files.
pub(super) const PARALLEL_THRESHOLD: usize = 8;

/// The stack of every thread that parses or fixes a file: the same on
/// worker threads as on the main thread, whatever `ulimit -s` says.
/// Shell nesting is bounded ([`crate::shell`] makes deeper text opaque);
/// this leaves a wide margin over what the bound needs.
pub const STACK_SIZE: usize = 16 << 20;

/// A thread builder with a [`STACK_SIZE`] stack.
pub(super) fn stack_thread() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(STACK_SIZE)
}

/// Runs `f` on a thread with a [`STACK_SIZE`] stack and returns its result
/// (a panic is passed on).
pub fn with_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| {
        stack_thread()
            .spawn_scoped(s, f)
            .expect("cannot start a thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// `f` over `items`, results in the order of `items`; on scoped threads
/// (2 or more) when there are more than [`PARALLEL_THRESHOLD`] items, each
/// with a [`STACK_SIZE`] stack.
pub fn par_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    if items.len() <= PARALLEL_THRESHOLD {
        return items.iter().map(f).collect();
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 32)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                stack_thread()
                    .spawn_scoped(s, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, f(item)));
                        }
                        done
                    })
                    .expect("cannot start a worker thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}
