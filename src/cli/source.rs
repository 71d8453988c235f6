//! A source file's bytes as text: BOM-declared encodings other than UTF-8
//! refused with a message, size capped.

use super::*;

/// Why a source could not be had as text.
pub enum SourceError {
    Io(io::Error),
    /// Not UTF-8; the bytes as read.
    NotUtf8(Vec<u8>, std::str::Utf8Error),
}

/// The encoding a byte-order mark announces, and the mark's length.
pub(super) fn bom_encoding(b: &[u8]) -> Option<(&'static str, usize)> {
    const MARKS: [(&[u8], &str); 4] = [
        (&[0xFF, 0xFE, 0, 0], "UTF-32LE"),
        (&[0, 0, 0xFE, 0xFF], "UTF-32BE"),
        (&[0xFF, 0xFE], "UTF-16LE"),
        (&[0xFE, 0xFF], "UTF-16BE"),
    ];
    MARKS
        .iter()
        .find(|(m, _)| b.starts_with(m))
        .map(|(m, name)| (*name, m.len()))
}

impl SourceError {
    pub fn message(&self) -> String {
        match self {
            SourceError::Io(e) => fsutil::io_message(e),
            SourceError::NotUtf8(b, e) => match bom_encoding(b) {
                Some((enc, _)) => format!(
                    "{enc} text (byte-order mark at the start); dslim reads UTF-8 only \
                     (convert it: `iconv -f {enc} -t UTF-8`)"
                ),
                None => format!(
                    "not valid UTF-8 (byte 0x{:02X} at offset {})",
                    b.get(e.valid_up_to()).copied().unwrap_or(0),
                    e.valid_up_to()
                ),
            },
        }
    }

    /// The line and column of the first byte that is not UTF-8 (`None` for
    /// an I/O error or a UTF-16/32 file, which is wrong from its start).
    pub fn at(&self) -> Option<(usize, usize)> {
        match self {
            SourceError::NotUtf8(b, e) if bom_encoding(b).is_none() => {
                let valid = std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or("");
                Some(crate::syntax::line_col(valid, valid.len()))
            }
            _ => None,
        }
    }

    /// `path[:line:col]: error: message`.
    pub fn text(&self, path: &str) -> String {
        match self.at() {
            Some((l, c)) => text::error(&format!("{path}:{l}:{c}"), &self.message()),
            None => text::error(path, &self.message()),
        }
    }
}

/// Bytes as text.
pub fn decode(bytes: Vec<u8>) -> Result<String, SourceError> {
    String::from_utf8(bytes).map_err(|e| {
        let u = e.utf8_error();
        SourceError::NotUtf8(e.into_bytes(), u)
    })
}

/// A file's text: a regular file of at most
/// [`fsutil::DEFAULT_MAX_FILE_SIZE`] bytes.
pub fn read_source(path: &Path) -> Result<String, SourceError> {
    read_source_max(path, fsutil::DEFAULT_MAX_FILE_SIZE)
}

/// A file's text: a regular file of at most `max` bytes
/// ([`fsutil::read_regular`]).
pub fn read_source_max(path: &Path, max: u64) -> Result<String, SourceError> {
    decode(fsutil::read_regular(path, max).map_err(SourceError::Io)?)
}
