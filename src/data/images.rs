//! `transforms/base-images.toml`: images, their variants and sizes.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `transforms/base-images.toml`: images by short name, and the reserved
/// tables `build-tools`, `apt-to-apk`, `distroless` and `release-in-name`
/// (see the file's header for every field).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BaseImages {
    #[serde(default)]
    pub build_tools: BuildTools,
    #[serde(default)]
    pub apt_to_apk: AptToApk,
    #[serde(default)]
    pub distroless: Distroless,
    #[serde(default)]
    pub release_in_name: ReleaseInName,
    /// Every other table: an image.
    #[serde(flatten)]
    pub images: BTreeMap<String, BaseImage>,
}

/// Where the slim word goes in a tag that ends in a distro word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlimPosition {
    /// `3.12-bookworm` → `3.12-slim-bookworm`.
    BeforeDistro,
    /// `20-bookworm` → `20-bookworm-slim`.
    #[default]
    AfterDistro,
}

/// One official image.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct BaseImage {
    pub used_by: Vec<String>,
    pub slim: Option<String>,
    pub slim_position: SlimPosition,
    /// What the slim variant leaves out, for DS101's message.
    pub slim_drops: Option<String>,
    /// The slim variant has the same packages (only documentation is
    /// left out): a stage that compiles with tools it installs itself
    /// builds the same on it.
    pub slim_same_packages: bool,
    pub alpine: Option<String>,
    pub distros: Vec<String>,
    pub variants: Vec<String>,
    pub jre: Option<String>,
    pub jre_majors: Vec<u32>,
    pub sizes: Vec<ImageSize>,
}

/// The size of one tag, and where the figure comes from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct ImageSize {
    pub tag: String,
    pub bytes: u64,
    pub source: String,
}

/// Commands and packages that mean a stage compiles code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct BuildTools {
    pub used_by: Vec<String>,
    pub commands: Vec<String>,
    pub subcommands: Vec<String>,
    pub packages: Vec<String>,
    pub native_installs: Vec<String>,
    pub glibc: Vec<String>,
    /// [`BuildTools::index`], built on first use.
    #[serde(skip)]
    index: std::sync::OnceLock<ToolIndex>,
}

/// The lists of [`BuildTools`] as lookups, for a scan of every token of
/// every RUN (linear searches of the lists were a fifth of `check` on a
/// file of 100k commands).
#[derive(Debug, Clone, Default)]
pub struct ToolIndex {
    /// `commands` and `packages`.
    pub commands: rustc_hash::FxHashSet<String>,
    pub packages: rustc_hash::FxHashSet<String>,
    /// By first word: the number of each `subcommands` phrase starting with
    /// it (in table order) and its other words.
    pub phrases: rustc_hash::FxHashMap<String, Vec<(usize, Vec<String>)>>,
    /// The first bytes of `commands` and of the phrases' first words: a
    /// word starting otherwise is neither, with no lookup (most words of
    /// a RUN are not).
    pub command_starts: ByteSet,
    /// The first bytes of `packages`.
    pub package_starts: ByteSet,
    /// Finds any of `commands`, `packages` and the phrases' first words in
    /// a text: one that holds none has none of them as a word, and is not
    /// read word by word (most RUNs compile nothing).
    pub any: Option<aho_corasick::AhoCorasick>,
}

impl ToolIndex {
    /// Whether `text` may hold a command, package or phrase (see
    /// [`ToolIndex::any`]).
    pub fn may_hold(&self, text: &str) -> bool {
        self.any.as_ref().is_none_or(|ac| ac.is_match(text))
    }
}

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    pub fn insert(&mut self, b: u8) {
        self.0[usize::from(b / 64)] |= 1 << (b % 64);
    }
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b / 64)] & (1 << (b % 64)) != 0
    }
    /// Whether `w` starts with a byte of the set.
    pub fn starts(&self, w: &str) -> bool {
        w.as_bytes().first().is_some_and(|&b| self.contains(b))
    }
    /// Whether `w` ends with a byte of the set.
    pub fn ends(&self, w: &str) -> bool {
        w.as_bytes().last().is_some_and(|&b| self.contains(b))
    }
    /// The first bytes of `words`.
    pub fn firsts<'a>(words: impl IntoIterator<Item = &'a str>) -> ByteSet {
        ByteSet::of(words.into_iter().filter_map(|w| w.bytes().next()))
    }
    /// The last bytes of `words`.
    pub fn lasts<'a>(words: impl IntoIterator<Item = &'a str>) -> ByteSet {
        ByteSet::of(words.into_iter().filter_map(|w| w.bytes().next_back()))
    }
    fn of(bytes: impl IntoIterator<Item = u8>) -> ByteSet {
        let mut set = ByteSet::default();
        for b in bytes {
            set.insert(b);
        }
        set
    }
}

impl BuildTools {
    /// The lists as lookups (see [`ToolIndex`]).
    pub fn index(&self) -> &ToolIndex {
        self.index.get_or_init(|| {
            let mut phrases: rustc_hash::FxHashMap<String, Vec<(usize, Vec<String>)>> =
                Default::default();
            for (j, s) in self.subcommands.iter().enumerate() {
                let mut w = s.split_whitespace();
                let Some(head) = w.next() else { continue };
                phrases
                    .entry(head.to_string())
                    .or_default()
                    .push((j, w.map(str::to_string).collect()));
            }
            ToolIndex {
                commands: self.commands.iter().cloned().collect(),
                packages: self.packages.iter().cloned().collect(),
                command_starts: ByteSet::firsts(
                    self.commands
                        .iter()
                        .chain(phrases.keys())
                        .map(String::as_str),
                ),
                package_starts: ByteSet::firsts(self.packages.iter().map(String::as_str)),
                any: aho_corasick::AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(
                        self.commands
                            .iter()
                            .chain(&self.packages)
                            .chain(phrases.keys())
                            .filter(|w| !w.is_empty()),
                    )
                    .ok(),
                phrases,
            }
        })
    }
}

/// Debian package names → Alpine package names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct AptToApk {
    pub used_by: Vec<String>,
    pub packages: BTreeMap<String, String>,
}

/// The distroless images DS103 proposes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Distroless {
    pub used_by: Vec<String>,
    #[serde(rename = "static")]
    pub static_: String,
    pub cc: String,
    pub java: String,
    pub python: String,
    pub nodejs: String,
    /// Tag words of releases newer than the images' own (glibc too new).
    pub newer_releases: Vec<String>,
    pub replaces: Vec<String>,
    pub users: Vec<String>,
    pub needs_files: Vec<String>,
    pub sizes: Vec<ImageSize>,
}

/// Images whose release is part of the name (`gcr.io/distroless/*-debian12`):
/// they publish no version tags, so DS205 does not ask for one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct ReleaseInName {
    pub used_by: Vec<String>,
    /// Label → name pattern (registry and repository, `*` matching any run
    /// of characters but `/`); an empty pattern is turned off.
    pub patterns: BTreeMap<String, String>,
}
