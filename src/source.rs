//! Source files and the line index that turns byte offsets into lines and columns, and the one
//! way the scan reads a file from disk ([`read_regular`]) and decodes it ([`decode`]).

use std::path::{Path, PathBuf};

/// Index of a file in the scan's file table.
pub type FileId = usize;

/// How a file's bytes encode its text. UTF-16 files (what Windows PowerShell 5 writes by default)
/// are decoded to UTF-8 on reading; their lines and UTF-16 columns are the file's own, and
/// [`SourceFile::original_offset`] gives the byte offset in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// One input file, read and decoded. The text never contains a byte-order mark: it is stripped
/// on reading (`had_bom` remembers it), so offsets and columns never count it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as found on disk.
    pub path: PathBuf,
    /// `/`-separated path relative to the scan root; used in every report.
    pub rel: String,
    pub text: String,
    pub had_bom: bool,
    /// How the file on disk encodes `text`.
    pub encoding: Encoding,
    /// The line index, made when first asked for ([`SourceFile::lines`]): most files of a large
    /// scan have no result and never need one.
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    /// A file whose text is `raw` (UTF-8; a leading byte-order mark is stripped).
    pub fn new(id: FileId, path: PathBuf, rel: String, raw: &str) -> SourceFile {
        let (text, had_bom) = match raw.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_string(), true),
            None => (raw.to_string(), false),
        };
        SourceFile::decoded(id, path, rel, text, had_bom, Encoding::Utf8)
    }

    /// A file decoded from `encoding`; `text` holds no byte-order mark.
    pub fn decoded(
        id: FileId,
        path: PathBuf,
        rel: String,
        text: String,
        had_bom: bool,
        encoding: Encoding,
    ) -> SourceFile {
        SourceFile {
            id,
            path,
            rel,
            text,
            had_bom,
            encoding,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The file's line index.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Line and columns of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        self.lines().position(&self.text, offset)
    }

    /// The byte offset in the file on disk of a byte offset of `text`: after the byte-order mark,
    /// and for a UTF-16 file two bytes per UTF-16 code unit.
    pub fn original_offset(&self, offset: usize) -> usize {
        match self.encoding {
            Encoding::Utf8 => offset.min(self.text.len()) + 3 * usize::from(self.had_bom),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                2 * usize::from(self.had_bom) + 2 * self.lines().utf16_before(&self.text, offset)
            }
        }
    }
}

/// `path` with `.` and `..` resolved in the text, as Bicep resolves module paths and Azure a
/// linked template's `relativePath`: nothing is looked up on disk.
pub fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Reads a file that must be a regular file of at most `max` bytes. Anything else (a folder, a
/// named pipe, a socket, a device) is refused before it is opened, and opened without blocking
/// where that is possible, so that reading never waits for a writer.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    // What was opened may not be what was looked at a moment ago.
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(&meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// What a path that is not a regular file is, in words.
pub fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A folder, named pipe, socket or device: what it is.
    NotRegular(&'static str),
    /// Larger than the limit: its size in bytes.
    TooLarge(u64),
    Io(std::io::Error),
}

/// A file's bytes decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte-order mark; what is not valid in the encoding is U+FFFD.
    pub text: String,
    pub had_bom: bool,
    pub encoding: Encoding,
    /// The first byte sequence that is not valid in the encoding.
    pub invalid: Option<Invalid>,
}

/// Where a file stops being valid text: the offset in the decoded text (where U+FFFD stands for
/// it) and in the file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub at: usize,
    pub byte: usize,
}

/// Decodes a file: UTF-8 (with or without byte-order mark), or UTF-16 in either byte order with
/// its byte-order mark (or, without one, when it starts with two ASCII characters in UTF-16).
/// UTF-32 is refused with the reason.
pub fn decode(mut bytes: Vec<u8>) -> Result<Decoded, String> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(
            "the file is UTF-32 text, which batchguard does not read; save it as UTF-8".into(),
        );
    }
    let ascii = |b: u8| b != 0 && b.is_ascii();
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => Some((Encoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Encoding::Utf16Be, 2)),
        [a, 0, b, 0, ..] if ascii(*a) && ascii(*b) => Some((Encoding::Utf16Le, 0)),
        [0, a, 0, b, ..] if ascii(*a) && ascii(*b) => Some((Encoding::Utf16Be, 0)),
        _ => None,
    };
    if let Some((encoding, bom)) = utf16 {
        return Ok(decode_utf16(&bytes, encoding, bom));
    }
    let had_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    if had_bom {
        bytes.drain(..3);
    }
    let bom = 3 * usize::from(had_bom);
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            had_bom,
            encoding: Encoding::Utf8,
            invalid: None,
        },
        Err(e) => {
            // The text before the first invalid byte is unchanged by the replacement.
            let at = e.utf8_error().valid_up_to();
            Decoded {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                had_bom,
                encoding: Encoding::Utf8,
                invalid: Some(Invalid { at, byte: at + bom }),
            }
        }
    })
}

/// UTF-16 after a byte-order mark of `bom` bytes, with the standard library's decoder.
fn decode_utf16(bytes: &[u8], encoding: Encoding, bom: usize) -> Decoded {
    let body = &bytes[bom..];
    let unit = |c: &[u8]| match encoding {
        Encoding::Utf16Be => u16::from_be_bytes([c[0], c[1]]),
        _ => u16::from_le_bytes([c[0], c[1]]),
    };
    let mut text = String::with_capacity(body.len() / 2 * 3 / 2 + 4);
    let mut invalid = None;
    let mut units = 0usize;
    for r in char::decode_utf16(body.chunks_exact(2).map(unit)) {
        match r {
            Ok(ch) => {
                text.push(ch);
                units += ch.len_utf16();
            }
            Err(_) => {
                invalid.get_or_insert(Invalid {
                    at: text.len(),
                    byte: bom + 2 * units,
                });
                text.push(char::REPLACEMENT_CHARACTER);
                units += 1;
            }
        }
    }
    if body.len() % 2 == 1 {
        invalid.get_or_insert(Invalid {
            at: text.len(),
            byte: bytes.len() - 1,
        });
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Decoded {
        text,
        had_bom: bom > 0,
        encoding,
        invalid,
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
///
/// Columns are counted from the line's start, or on a long line of text that is not ASCII from
/// the nearest of the marks kept every [`MARK_STEP`] bytes, so that finding a position costs at
/// most a few kilobytes of counting whatever the length of its line (a minified template is one
/// line of megabytes).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// UTF-16 units and chars before each mark; empty for ASCII text, whose columns are byte
    /// counts.
    marks: Vec<Mark>,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    offset: usize,
    utf16: usize,
    chars: usize,
}

/// Bytes between two marks of a [`LineIndex`].
const MARK_STEP: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut marks = Vec::new();
        if !text.is_ascii() {
            let (mut utf16, mut chars, mut next) = (0, 0, 0);
            for (i, ch) in text.char_indices() {
                if i >= next {
                    marks.push(Mark {
                        offset: i,
                        utf16,
                        chars,
                    });
                    next = i + MARK_STEP;
                }
                utf16 += ch.len_utf16();
                chars += 1;
            }
        }
        LineIndex { starts, marks }
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

    /// UTF-16 units and chars of `text[..offset]` (`offset` on a char boundary), counted from
    /// the nearest mark.
    fn counts(&self, text: &str, offset: usize) -> (usize, usize) {
        if self.marks.is_empty() {
            return (offset, offset);
        }
        let i = match self.marks.binary_search_by(|m| m.offset.cmp(&offset)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let m = self.marks[i];
        let rest = &text[m.offset..offset];
        (
            m.utf16 + rest.encode_utf16().count(),
            m.chars + rest.chars().count(),
        )
    }

    /// UTF-16 code units before `offset` (moved back to a char boundary).
    pub fn utf16_before(&self, text: &str, offset: usize) -> usize {
        self.counts(text, text.floor_char_boundary(offset)).0
    }

    /// The position of `offset`. An offset inside a UTF-8 sequence is moved back to the char
    /// boundary; an offset between `\r` and `\n` is moved before the `\r`, so that a region never
    /// ends inside a CRLF pair.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = text.floor_char_boundary(offset);
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
        let (utf16, chars) = if self.marks.is_empty() {
            (offset - start, offset - start)
        } else if offset - start <= MARK_STEP {
            let prefix = &text[start..offset];
            (prefix.encode_utf16().count(), prefix.chars().count())
        } else {
            let (u1, c1) = self.counts(text, start);
            let (u2, c2) = self.counts(text, offset);
            (u2 - u1, c2 - c1)
        };
        Position {
            line: line_idx + 1,
            col_utf16: utf16 + 1,
            col_byte: offset - start + 1,
            col_char: chars + 1,
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
        assert_eq!(f.original_offset(1), 4);
    }

    /// The position counted the slow way: from the line's start.
    fn counted(text: &str, offset: usize) -> Position {
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &text[start..offset];
        Position {
            line: text[..offset].matches('\n').count() + 1,
            col_utf16: prefix.encode_utf16().count() + 1,
            col_byte: prefix.len() + 1,
            col_char: prefix.chars().count() + 1,
        }
    }

    #[test]
    fn columns_on_long_lines_are_counted_from_the_marks() {
        // Two long lines of mixed ASCII, 2-, 3- and 4-byte characters, and a short one.
        let unit = "ab\"é€𝄞\": [1, 2], ";
        let text = format!("{}\nshort é\n{}", unit.repeat(2000), unit.repeat(1500));
        let idx = LineIndex::new(&text);
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(97)
            .chain([text.len()])
            .collect();
        for off in offsets {
            assert_eq!(idx.position(&text, off), counted(&text, off), "at {off}");
            assert_eq!(
                idx.utf16_before(&text, off),
                text[..off].encode_utf16().count()
            );
        }
        // ASCII text keeps no marks.
        let ascii = "x".repeat(3 * MARK_STEP);
        let idx = LineIndex::new(&ascii);
        assert!(idx.marks.is_empty());
        assert_eq!(idx.position(&ascii, 9000).col_utf16, 9001);
    }

    #[test]
    fn utf16_files_are_decoded_in_both_byte_orders() {
        let text = "{\"é𝄞\": 1}\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, encoding) in [(le, Encoding::Utf16Le), (be, Encoding::Utf16Be)] {
            let d = decode(bytes).unwrap();
            assert_eq!(d.text, text);
            assert_eq!((d.had_bom, d.encoding, d.invalid), (true, encoding, None));
            let f =
                SourceFile::decoded(0, "a.json".into(), "a.json".into(), d.text, true, encoding);
            // `1` follows 8 UTF-16 units (`𝄞` is two): bytes 2 + 2 * 8.
            let one = f.text.find('1').unwrap();
            assert_eq!(f.original_offset(one), 18);
            assert_eq!(f.position(one).col_utf16, 9);
        }
        // Without a byte-order mark, two ASCII characters in UTF-16 say which order.
        let d = decode(b"{\0}\0".to_vec()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.had_bom),
            ("{}", Encoding::Utf16Le, false)
        );
        let d = decode(b"\0{\0}".to_vec()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("{}", Encoding::Utf16Be));
    }

    #[test]
    fn invalid_text_is_located_in_the_text_and_in_the_file() {
        let d = decode(b"\xEF\xBB\xBFab\xFFc".to_vec()).unwrap();
        assert_eq!(d.text, "ab\u{FFFD}c");
        assert_eq!(d.invalid, Some(Invalid { at: 2, byte: 5 }));
        // An unpaired surrogate, then an odd last byte.
        let d = decode(vec![0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0, b'c']).unwrap();
        assert_eq!(d.text, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(d.invalid, Some(Invalid { at: 1, byte: 4 }));
        assert!(decode(vec![0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).is_err());
        // NUL bytes are text.
        assert_eq!(decode(b"a\0\0b".to_vec()).unwrap().text, "a\0\0b");
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.tf");
        std::fs::write(&f, "x = 1\n").unwrap();
        assert_eq!(read_regular(&f, 100).unwrap(), b"x = 1\n");
        assert!(matches!(read_regular(&f, 3), Err(ReadError::TooLarge(6))));
        assert!(matches!(
            read_regular(dir.path(), 100),
            Err(ReadError::NotRegular("a folder"))
        ));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("x.tf");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            // Without a writer, opening a FIFO for reading would wait forever.
            assert!(matches!(
                read_regular(&fifo, 100),
                Err(ReadError::NotRegular("a named pipe"))
            ));
        }
    }
}
