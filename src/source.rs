//! Source files and the line index that turns byte offsets into lines and columns.

use std::path::PathBuf;

/// Index of a file in the scan's file table.
pub type FileId = usize;

/// One input file, read and decoded. The text never contains the UTF-8 byte-order mark: it is
/// stripped on reading (`had_bom` remembers it), so offsets and columns never count it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as found on disk.
    pub path: PathBuf,
    /// `/`-separated path relative to the scan root; used in every report.
    pub rel: String,
    pub text: String,
    pub had_bom: bool,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(id: FileId, path: PathBuf, rel: String, raw: &str) -> SourceFile {
        let (text, had_bom) = match raw.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_string(), true),
            None => (raw.to_string(), false),
        };
        let lines = LineIndex::new(&text);
        SourceFile {
            id,
            path,
            rel,
            text,
            had_bom,
            lines,
        }
    }

    /// Line and columns of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }
}

/// A 1-based line with 1-based columns counted in bytes, chars and UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col_utf16: usize,
    pub col_byte: usize,
    pub col_char: usize,
}

/// Start offsets of every line. Lines end at `\n`; a `\r` before it belongs to the line break.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[(line.max(1) - 1).min(self.starts.len() - 1)]
    }

    /// Byte range of 1-based `line`, without its line break (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = if line < self.starts.len() {
            self.starts[line] - 1
        } else {
            text.len()
        };
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The position of `offset`. An offset inside a UTF-8 sequence is moved back to the char
    /// boundary; an offset between `\r` and `\n` is moved before the `\r`, so that a region never
    /// ends inside a CRLF pair.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset > 0
            && text.as_bytes().get(offset) == Some(&b'\n')
            && text.as_bytes()[offset - 1] == b'\r'
        {
            offset -= 1;
        }
        let line_idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line_idx];
        let prefix = &text[start..offset];
        Position {
            line: line_idx + 1,
            col_utf16: prefix.encode_utf16().count() + 1,
            col_byte: prefix.len() + 1,
            col_char: prefix.chars().count() + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_after_non_ascii_text() {
        let text = "ab\n\"é𝄞\": 1\r\nx";
        let idx = LineIndex::new(text);
        // `1` on line 2: after `"é𝄞": ` — é is 1 UTF-16 unit (2 bytes), 𝄞 is 2 units (4 bytes).
        let off = text.find('1').unwrap();
        let p = idx.position(text, off);
        assert_eq!((p.line, p.col_utf16, p.col_byte, p.col_char), (2, 8, 11, 7));
        // An end offset between \r and \n is moved before \r.
        let cr = text.find('\r').unwrap();
        assert_eq!(idx.position(text, cr + 1), idx.position(text, cr));
        assert_eq!(idx.position(text, text.len()).line, 3);
        assert_eq!(idx.line_range(text, 2), 3..text.find('\r').unwrap());
    }

    #[test]
    fn bom_is_stripped_and_never_counted() {
        let f = SourceFile::new(0, "a.json".into(), "a.json".into(), "\u{feff}{\"a\": 1}");
        assert!(f.had_bom);
        assert_eq!(f.position(1).col_utf16, 2);
    }
}
