//! Source files held in memory: paths, text, and the byte → line/column mapping.
//!
//! Everything upstream of the reports speaks in byte offsets; line and column numbers
//! (characters or UTF-16 units) are computed here, only when output is written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// One loaded file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or discovered (relative paths stay relative).
    pub path: PathBuf,
    /// The path as shown to users: relative to the working directory when the file is
    /// under it, always with `/` separators.
    pub display: String,
    /// The text, without a leading UTF-8 byte-order mark.
    pub text: Arc<str>,
    /// Whether the file on disk starts with a byte-order mark (3 bytes before `text`).
    pub bom: bool,
    line_starts: Vec<u32>,
}

/// A 1-based line and column; the column counts characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| (i + 1) as u32),
        );
        SourceFile {
            path,
            display,
            text,
            bom: false,
            line_starts,
        }
    }

    /// Decodes file bytes: strips a UTF-8 byte-order mark, and on invalid UTF-8 keeps a
    /// lossy text (for display) and returns the offset of the first invalid byte.
    pub fn decode(path: PathBuf, display: String, bytes: &[u8]) -> (SourceFile, Option<u32>) {
        let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let (text, invalid_at) = match std::str::from_utf8(body) {
            Ok(t) => (t.to_string(), None),
            Err(e) => (
                String::from_utf8_lossy(body).into_owned(),
                Some(e.valid_up_to() as u32),
            ),
        };
        let mut file = SourceFile::new(path, display, text);
        file.bom = bom;
        (file, invalid_at)
    }

    /// The offset in the file on disk of an offset in `text`.
    pub fn disk_offset(&self, offset: u32) -> u32 {
        offset + if self.bom { 3 } else { 0 }
    }

    /// Line and character column of a byte offset (clamped to the text, and moved back to
    /// a character boundary).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..offset as usize].chars().count() as u32 + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// Line (0-based) and UTF-16 column (0-based), as the Language Server Protocol counts.
    pub fn line_utf16(&self, offset: u32) -> (u32, u32) {
        let offset = self.clamp(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column: usize = self.text[start..offset as usize]
            .chars()
            .map(char::len_utf16)
            .sum();
        (line as u32, column as u32)
    }

    fn clamp(&self, offset: u32) -> u32 {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset as u32
    }
}

/// Every file of one run, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// The path shown to users: relative to `cwd` when under it, `/`-separated, without a
/// leading `./`.
pub fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let shown = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut parts: Vec<String> = Vec::new();
    for component in shown.components() {
        use std::path::Component;
        match component {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if joined.is_empty() {
        if shown.is_absolute() {
            "/".to_string()
        } else {
            ".".to_string()
        }
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a.tf".into(), "a.tf".into(), "ab\nçé = 1\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "çé" is 4 bytes; the space after it is the third character.
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 3 });
        assert_eq!(f.line_utf16(7), (1, 2));
        // Past the end clamps; inside a character moves back to its start.
        assert_eq!(f.line_col(100), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn decode_strips_bom_and_finds_invalid_utf8() {
        let (f, bad) = SourceFile::decode("a".into(), "a".into(), b"\xEF\xBB\xBFx = 1");
        assert!(f.bom);
        assert_eq!(&*f.text, "x = 1");
        assert_eq!(bad, None);
        assert_eq!(f.disk_offset(0), 3);
        let (f, bad) = SourceFile::decode("a".into(), "a".into(), b"ab\n\xFFc");
        assert_eq!(bad, Some(3));
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn display_paths_are_relative_and_slashed() {
        let cwd = Path::new("/work/repo");
        assert_eq!(
            display_path(Path::new("/work/repo/net/hub.tf"), Some(cwd)),
            "net/hub.tf"
        );
        assert_eq!(
            display_path(Path::new("./net/hub.tf"), Some(cwd)),
            "net/hub.tf"
        );
        assert_eq!(
            display_path(Path::new("/elsewhere/x.tf"), Some(cwd)),
            "/elsewhere/x.tf"
        );
    }
}
