//! Is it clean? Whether a RUN already keeps a manager's cache out of the
//! layer (a `cache-env` variable, a config file setting the cache flag), and
//! whether the stage shows the tool version a fix needs (`gate`).

use super::*;

/// A variable value that turns a `*_NO_CACHE*` setting on.
pub(super) fn truthy(v: &str) -> bool {
    let v = v.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    !matches!(v.as_str(), "" | "0" | "false" | "no" | "off")
}

/// Splits a pattern or text into words for gate matching.
pub(super) fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .map(|w| w.trim_matches(['"', '\'']).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

pub(super) fn word_matches(pat: &str, w: &str) -> bool {
    let base = w.rsplit('/').next().unwrap_or(w);
    match pat.strip_suffix('*') {
        Some(p) => w.starts_with(p) || base.starts_with(p),
        None => w == pat || base == pat,
    }
}

/// Whether the word sequence `pat` occurs in `words`.
pub(super) fn pattern_in(pat: &str, words: &[String]) -> bool {
    let p: Vec<&str> = pat.split(' ').collect();
    words
        .windows(p.len())
        .any(|win| win.iter().zip(&p).all(|(w, p)| word_matches(p, w)))
}

impl CacheFacts<'_> {
    /// A `cache-env` variable is set for the install `call`.
    pub(super) fn env_disables(
        &self,
        i: usize,
        script: &Script,
        call: &PmCall,
        pm: &PackageManager,
    ) -> bool {
        if pm.cache_env.is_empty() {
            return false;
        }
        let named = |n: &str| pm.cache_env.iter().any(|e| e == n);
        // ENV / ARG in the stage lineage (the last setting wins).
        let instrs = self.doc.instructions();
        let mut set = None;
        // Only the ENV and ARG instructions of each range, in the order
        // `lineage` gives: a stage of thousands of RUNs is not walked again
        // for each install.
        let env_args = self.env_args;
        for r in self.lineage_ranges(i) {
            let from = env_args.partition_point(|&j| j < r.start);
            let upto = env_args.partition_point(|&j| j < r.end);
            for &j in &env_args[from..upto] {
                let x = &instrs[j];
                for (k, v) in x.pairs() {
                    if named(&k) {
                        set = Some(v.as_deref().is_some_and(truthy));
                    }
                }
            }
        }
        if set == Some(true) {
            return true;
        }
        let assigns = |w: &shell::Word| {
            w.literal
                .as_deref()
                .and_then(|l| l.split_once('='))
                .is_some_and(|(k, v)| named(k) && truthy(v))
        };
        let c = &script.commands[call.command];
        // `VAR=1 pip …`, `env VAR=1 pip …`, `sudo VAR=1 pip …`.
        if c.assignments.iter().any(assigns) || c.words[..call.name].iter().any(assigns) {
            return true;
        }
        // `export VAR=1` earlier in the same shell: the end of the first
        // such export, found once per RUN and manager (a merged RUN has
        // thousands of installs).
        let key = (
            script as *const Script as usize,
            pm as *const PackageManager as usize,
        );
        let first_export = *self.exports.borrow_mut().entry(key).or_insert_with(|| {
            script
                .commands
                .iter()
                .filter(|e| {
                    !e.isolated && e.name() == Some("export") && e.words[1..].iter().any(assigns)
                })
                .map(|e| e.span.end)
                .min()
        });
        first_export.is_some_and(|end| end <= c.span.start)
    }

    /// A config file written in the stage sets one of the flag's keys.
    pub(super) fn configured(
        &self,
        i: usize,
        pm: &PackageManager,
        spec: Option<&FlagSpec>,
    ) -> bool {
        let Some(spec) = spec else { return false };
        if pm.config_files.is_empty() || spec.config_keys.is_empty() {
            return false;
        }
        let instrs = self.doc.instructions();
        self.lineage(i).any(|j| {
            let x = &instrs[j];
            match x.keyword {
                Keyword::Run => {
                    let words = words_of(x.args_text());
                    let t = x.args_text();
                    pm.config_files.iter().any(|f| pattern_in(f, &words))
                        && spec.config_keys.iter().any(|k| t.contains(k.as_str()))
                }
                // A copied config file: its content is unknown, trust it.
                Keyword::Copy | Keyword::Add => x
                    .copy_parts()
                    .is_some_and(|(_, dst)| pm.config_files.iter().any(|f| word_matches(f, dst))),
                _ => false,
            }
        })
    }

    /// `Err(why)` when the gate does not let the cache fix through.
    pub(super) fn gate(&self, i: usize, gate: &Gate) -> Result<(), String> {
        let instrs = self.doc.instructions();
        let mut words = Vec::new();
        for j in self.lineage(i) {
            let x = &instrs[j];
            match x.keyword {
                Keyword::Run | Keyword::Env | Keyword::Arg => {
                    words.push(String::new());
                    words.extend(words_of(x.args_text()));
                }
                Keyword::Copy | Keyword::Add => {
                    words.push(String::new());
                    words.extend(
                        x.values()
                            .iter()
                            .map(|v| v.trim_end_matches('/').to_string()),
                    );
                }
                _ => {}
            }
        }
        if let Some(b) = gate.blocks.iter().find(|p| pattern_in(p, &words)) {
            return Err(format!("the stage shows `{b}`: {}", gate.why));
        }
        if gate.needs.iter().any(|p| pattern_in(p, &words)) {
            return Ok(());
        }
        Err(format!("cannot tell the version in use: {}", gate.why))
    }
}
