//! GitHub code scanning's `primaryLocationLineHash`.
//!
//! GitHub tracks an alert across commits by a hash of the text around the alert's first line. When a
//! SARIF upload has no `partialFingerprints.primaryLocationLineHash`, the upload action computes it
//! from the checked-out file; batchguard computes the same value itself, so that uploads made without
//! that action (the REST API, other CI systems) keep their alerts matched across pushes, and so that an
//! alert keeps its identity when unrelated lines move.
//!
//! The hash is a rolling hash over the first 100 non-blank UTF-16 code units starting at each line:
//! spaces and tabs are skipped, every line break (`\n`, `\r\n`, lone `\r`) counts as one `\n`, and the
//! end of the file is marked with the code unit 65535 followed by zeros. The value is printed as
//! unsigned hexadecimal followed by `:` and how many times that value has been seen so far in the
//! file, so identical lines get distinct fingerprints (`…:1`, `…:2`).

const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;
/// 37^[`BLOCK_SIZE`] in wrapping arithmetic: what a unit's weight in the hash is once it has
/// left the window.
const FIRST_MOD: u64 = {
    let (mut m, mut i) = (1u64, 0);
    while i < BLOCK_SIZE {
        m = m.wrapping_mul(MOD);
        i += 1;
    }
    m
};
const EOF: u16 = 65535;
const TAB: u16 = b'\t' as u16;
const SPACE: u16 = b' ' as u16;
const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;

/// GitHub's `primaryLocationLineHash` for every line of a text (index 0 = line 1), computed exactly
/// as GitHub's codeql-action computes it (its fingerprints.ts): rolling hash over UTF-16 code units,
/// BLOCK_SIZE 100, MOD 37 with 64-bit wrapping arithmetic, spaces/tabs skipped, CR→LF and LF after CR
/// skipped, an EOF marker 65535, then flushing; value printed as unsigned hex + ":" + occurrence count.
///
/// Lines are counted as GitHub counts them: a lone `\r` also ends a line. The text must be the file
/// as GitHub reads it, so a file that started with a byte-order mark must be passed with the mark
/// (`\u{feff}`) in front: GitHub hashes it as part of line 1.
pub fn line_hashes(text: &str) -> Vec<String> {
    counted(&hashes(text, usize::MAX))
        .into_iter()
        .map(format_hash)
        .collect()
}

/// [`line_hashes`] of the lines `wanted` only (1-based), by line. The text is hashed only as far
/// as the last line wanted needs (a line's hash reads the next 100 code units after its start, and
/// its count the lines before it), and only the lines wanted are formatted: a report with a finding
/// near the top of a big file does not hash the whole file.
pub fn line_hashes_of(
    text: &str,
    wanted: &std::collections::BTreeSet<usize>,
) -> std::collections::BTreeMap<usize, String> {
    let Some(&last) = wanted.last() else {
        return Default::default();
    };
    let counted = counted(&hashes(text, last));
    wanted
        .iter()
        .filter_map(|&line| {
            let h = *counted.get(line.checked_sub(1)?)?;
            Some((line, format_hash(h)))
        })
        .collect()
}

/// `hash:count`, as GitHub writes it.
fn format_hash((hash, count): (u64, usize)) -> String {
    format!("{hash:x}:{count}")
}

/// Each line's hash with how many lines had it by then, that line included.
fn counted(hashes: &[u64]) -> Vec<(u64, usize)> {
    // The keys are hashes already, so the map's own hashing is the cheapest there is.
    let mut counts: rustc_hash::FxHashMap<u64, usize> = Default::default();
    hashes
        .iter()
        .map(|&h| {
            let count = counts.entry(h).or_insert(0);
            *count += 1;
            (h, *count)
        })
        .collect()
}

/// Texts longer than this are hashed in parts of about this size, in parallel.
const PART_BYTES: usize = 1 << 20;

/// The hashes of the first `lines` lines of `text` (all of them for `usize::MAX`; fewer when
/// the text has fewer).
///
/// A line's hash depends only on the 100 code units from its start, so a big text is cut after
/// line breaks into parts hashed on their own: each part's hasher starts empty at a line start,
/// as the whole text's hasher would be there but for the units still in its window, and those
/// have left the window by the time the part's first line is hashed. A part's last lines read
/// on into the next part as far as their windows need. A text with a lone `\r` (a line break
/// that `\n` does not mark) is hashed whole.
fn hashes(text: &str, lines: usize) -> Vec<u64> {
    hashes_in_parts(text, lines, PART_BYTES)
}

/// [`hashes`] with parts of about `part_bytes`.
fn hashes_in_parts(text: &str, lines: usize, part_bytes: usize) -> Vec<u64> {
    use rayon::prelude::*;
    let bytes = text.as_bytes();
    if bytes.len() < 2 * part_bytes
        || memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
    {
        return first_lines(text, lines);
    }
    // Each part from a line start, with the number of lines that start in it (`None`: the rest).
    let mut parts: Vec<(usize, Option<usize>)> = Vec::new();
    let (mut start, mut before) = (0, 0);
    while before < lines {
        let cut = memchr::memchr(b'\n', bytes.get(start + part_bytes..).unwrap_or_default())
            .map(|i| start + part_bytes + i + 1)
            .filter(|&cut| cut < bytes.len());
        let Some(cut) = cut else {
            parts.push((start, None));
            break;
        };
        let n = memchr::memchr_iter(b'\n', &bytes[start..cut]).count();
        parts.push((start, Some(n.min(lines - before))));
        before += n;
        start = cut;
    }
    let hashed: Vec<Vec<u64>> = parts
        .par_iter()
        .map(|&(start, n)| first_lines(&text[start..], n.unwrap_or(lines - before.min(lines))))
        .collect();
    hashed.concat()
}

/// The hashes of the first `lines` lines of `text` (all of them for `usize::MAX`), in one pass
/// that stops as soon as the lines wanted are hashed. [`Hasher`], the hash written as GitHub's
/// code writes it, is what the tests compare it with.
///
/// GitHub's window hash is a polynomial in 37 over the window's code units. [`Rolling`] keeps
/// instead the same polynomial over every unit read so far, which needs no window: the hash of
/// the units from `p` to `p + 100` is that prefix hash at `p + 100` less the prefix hash at `p`
/// times 37^100 (exact in wrapping 64-bit arithmetic, as GitHub's is). So a line keeps the prefix
/// hash at its start until the 100 units after it are read.
///
/// The text is read as bytes: an ASCII byte is its own UTF-16 code unit, and most bytes are
/// printable ASCII inside a line, which go straight into the hash; other characters are encoded
/// to their one or two code units.
fn first_lines(text: &str, lines: usize) -> Vec<u64> {
    if lines == 0 {
        return Vec::new();
    }
    let mut rolling = Rolling::new(lines);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b > b' ' && b < 0x80 && !rolling.line_start {
            // Neither blank nor a line break, and no line starts here (so no `\r` before it).
            i = rolling.run(bytes, i);
        } else if b == b' ' || b == b'\t' {
            // Blanks, left out (indentation is most of them).
            rolling.prev_cr = false;
            i += 1;
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            continue;
        } else if b < 0x80 {
            rolling.read(u16::from(b));
            i += 1;
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            let mut units = [0; 2];
            for &unit in c.encode_utf16(&mut units).iter() {
                rolling.read(unit);
            }
            i += c.len_utf8();
        }
        if rolling.out.len() >= lines {
            rolling.out.truncate(lines);
            return rolling.out;
        }
    }
    // The end: the marker, then zeros until every line's window is full.
    rolling.read(EOF);
    for _ in 0..BLOCK_SIZE {
        rolling.add(0);
    }
    rolling.out.truncate(lines);
    rolling.out
}

/// The hash of [`first_lines`] over the code units read so far.
struct Rolling {
    /// How many code units were added.
    added: usize,
    /// The polynomial in [`MOD`] over all the units added: `hash × 37 + unit` for each.
    hash: u64,
    /// The lines whose windows are not yet full, in order: where each starts, with the hash there.
    pending: std::collections::VecDeque<(usize, u64)>,
    /// The unit before which the first pending line's window is full (`usize::MAX`: none).
    next: usize,
    line_start: bool,
    prev_cr: bool,
    out: Vec<u64>,
}

impl Rolling {
    fn new(lines: usize) -> Rolling {
        Rolling {
            added: 0,
            hash: 0,
            // A line has at least one unit (its line break), so at most BLOCK_SIZE are pending.
            pending: std::collections::VecDeque::with_capacity(BLOCK_SIZE + 1),
            next: usize::MAX,
            line_start: true,
            prev_cr: false,
            out: Vec::with_capacity(lines.min(1 << 16)),
        }
    }

    /// A code unit of the text: spaces and tabs are left out, `\r\n` and a lone `\r` read as
    /// `\n`, and a line starts at the first unit after a line break.
    #[inline(always)]
    fn read(&mut self, unit: u16) {
        if unit == SPACE || unit == TAB || (self.prev_cr && unit == LF) {
            self.prev_cr = false;
            return;
        }
        self.prev_cr = unit == CR;
        let unit = if self.prev_cr { LF } else { unit };
        if self.line_start {
            self.line_start = false;
            if self.pending.is_empty() {
                self.next = self.added + BLOCK_SIZE;
            }
            self.pending.push_back((self.added, self.hash));
        }
        self.line_start = unit == LF;
        self.add(unit);
    }

    /// Adds the printable ASCII bytes from `bytes[i]` (one of them) up to the next other byte
    /// or the next full window, and returns where it stopped. Inside a line each such byte is
    /// its own code unit, and most bytes are such; the loop keeps the hash in registers.
    #[inline(always)]
    fn run(&mut self, bytes: &[u8], mut i: usize) -> usize {
        // The first through `add`, which takes the hash of a window it finds full.
        self.add(u16::from(bytes[i]));
        i += 1;
        let (mut hash, mut added, next) = (self.hash, self.added, self.next);
        while let Some(&b) = bytes.get(i) {
            if b <= b' ' || b >= 0x80 || added == next {
                break;
            }
            hash = MOD.wrapping_mul(hash).wrapping_add(u64::from(b));
            added += 1;
            i += 1;
        }
        self.hash = hash;
        self.added = added;
        i
    }

    /// Adds `unit` to the hash; first, the hash of the line whose window the units before it
    /// filled.
    #[inline(always)]
    fn add(&mut self, unit: u16) {
        if self.added == self.next {
            self.full();
        }
        self.hash = MOD.wrapping_mul(self.hash).wrapping_add(u64::from(unit));
        self.added += 1;
    }

    /// The first pending line's window is full: its hash is the hash now less the hash at its
    /// start, moved up by the window's length.
    fn full(&mut self) {
        if let Some((_, at_start)) = self.pending.pop_front() {
            self.out
                .push(self.hash.wrapping_sub(FIRST_MOD.wrapping_mul(at_start)));
        }
        self.next = self
            .pending
            .front()
            .map_or(usize::MAX, |&(start, _)| start + BLOCK_SIZE);
    }
}

/// The hash as GitHub's codeql-action computes it, one code unit at a time (fingerprints.ts):
/// what [`first_lines`] is compared with.
#[cfg(test)]
struct Hasher {
    window: [u16; BLOCK_SIZE],
    /// Whether a line starts at this window slot.
    starts: [bool; BLOCK_SIZE],
    hash: u64,
    index: usize,
    line_start: bool,
    prev_cr: bool,
    /// Each line's hash, line 1 first.
    hashes: Vec<u64>,
}

#[cfg(test)]
impl Hasher {
    fn new() -> Hasher {
        Hasher {
            window: [0; BLOCK_SIZE],
            starts: [false; BLOCK_SIZE],
            hash: 0,
            index: 0,
            line_start: true,
            prev_cr: false,
            hashes: Vec::new(),
        }
    }

    /// The hashes of the first `lines` lines of `text` (all of them for `usize::MAX`), from an
    /// empty hasher: [`Hasher::run`], without the lines the end of the text may flush past them.
    fn first_lines(text: &str, lines: usize) -> Vec<u64> {
        let mut hasher = Hasher::new();
        hasher.run(text, lines);
        hasher.hashes.truncate(lines);
        hasher.hashes
    }

    /// Hashes `text` until the hashes of its first `lines` lines are known (all of them for
    /// `usize::MAX`).
    fn run(&mut self, text: &str, lines: usize) {
        // The UTF-16 code units of the text, as JavaScript's strings hold them.
        for unit in text.encode_utf16() {
            self.process(unit);
            if self.hashes.len() >= lines {
                return;
            }
        }
        self.process(EOF);
        for _ in 0..BLOCK_SIZE {
            if self.starts[self.index] {
                self.output();
            }
            self.update(0);
        }
    }

    #[inline]
    fn process(&mut self, mut unit: u16) {
        if unit == SPACE || unit == TAB || (self.prev_cr && unit == LF) {
            self.prev_cr = false;
            return;
        }
        if unit == CR {
            unit = LF;
            self.prev_cr = true;
        } else {
            self.prev_cr = false;
        }
        if self.starts[self.index] {
            self.output();
        }
        if self.line_start {
            self.line_start = false;
            self.starts[self.index] = true;
        }
        if unit == LF {
            self.line_start = true;
        }
        self.update(unit);
    }

    #[inline]
    fn update(&mut self, unit: u16) {
        let begin = self.window[self.index];
        self.window[self.index] = unit;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(u64::from(unit))
            .wrapping_sub(FIRST_MOD.wrapping_mul(u64::from(begin)));
        // The next slot of the ring, without a division per character.
        self.index = if self.index + 1 == BLOCK_SIZE {
            0
        } else {
            self.index + 1
        };
    }

    /// Emits the hash of the line starting at the current slot. Lines start in order and leave
    /// the window in order, so `hashes[n - 1]` is line `n`.
    fn output(&mut self) {
        self.hashes.push(self.hash);
        self.starts[self.index] = false;
    }
}

#[cfg(test)]
mod tests {
    use super::{line_hashes, line_hashes_of};

    // Expected values: the first five come from the test suite of GitHub's codeql-action
    // (src/fingerprints.test.ts). The others were computed with a line-by-line Python port of
    // fingerprints.ts that reproduces those five:
    //
    //   M = 2**64 - 1; first = 37**100 & M; window = [0]*100; lines = [-1]*100
    //   proc(c): skip ' ', '\t', and '\n' after '\r'; '\r' -> '\n'; output() if lines[i] != -1;
    //            start a line if at line start; h = (37*h + c - first*window[i]) & M; i = (i+1) % 100
    //   over the UTF-16 code units of the text, then proc(65535), then 100 x { output?; update(0) }
    //   output(): '%x:%d' % (h, occurrences of h so far)

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(line_hashes(text), expected, "text {text:?}");
    }

    #[test]
    fn matches_codeql_action_test_suite() {
        check("", &["c129715d7a2bc9a3:1"]);
        check(
            " a\nb\n  \t\tc\n d",
            &[
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1",
            ],
        );
        let seven = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        check(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", &seven);
        check(
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            &seven,
        );
        check(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", &seven);
        check(
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
            &seven,
        );
        check(
            &"Lorem ipsum dolor sit amet.\n".repeat(10),
            &[
                "a7f2ff13bc495cf2:1",
                "a7f2ff13bc495cf2:2",
                "a7f2ff13bc495cf2:3",
                "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5",
                "a7f2ff13bc495cf2:6",
                "a7f2ff1481e87703:1",
                "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1",
                "cc97dc7b1d7d8f7b:1",
                "c129715d7a2bc9a3:1",
            ],
        );
    }

    #[test]
    fn matches_python_port_on_templates() {
        // Non-BMP characters count as two code units.
        check(
            "é𝄞\n\"x\": 1",
            &["ee4ae9f9700b9723:1", "898e7bdf4786c06a:1"],
        );
        // A byte-order mark is part of line 1.
        check(
            "\u{feff}{\n  \"a\": 1\n}\n",
            &[
                "c2f2906220fe0544:1",
                "8266b7077bdffbc:1",
                "32dce9ccfdbc9d3e:1",
                "c129715d7a2bc9a3:1",
            ],
        );
        check(
            "resource \"azurerm_network_security_group\" \"nsg\" {\r\n  name = \"x\"\r\n}\r\n",
            &[
                "8d903e64664dfdb1:1",
                "adf08fff8c7f66a2:1",
                "32dce9ccfdbc9d3e:1",
                "c129715d7a2bc9a3:1",
            ],
        );
        // A line longer than the window.
        check(
            &format!("{}\ny", "x".repeat(250)),
            &["52b56201ffb58620:1", "ed3261245082261c:1"],
        );
    }

    #[test]
    fn one_hash_per_line() {
        for text in ["a", "a\n", "a\r\nb\r\n", "\n\n\n", "a\rb"] {
            let lines = text
                .split("\r\n")
                .flat_map(|s| s.split(['\r', '\n']))
                .count();
            assert_eq!(line_hashes(text).len(), lines, "text {text:?}");
        }
    }

    /// A text hashed in parts has the hashes of the text hashed whole, however it is cut and
    /// however many lines are asked for: lines whose windows cross a cut, blank and repeated
    /// lines, CRLF, characters of two UTF-16 units, a line longer than a part.
    #[test]
    fn a_text_in_parts_hashes_as_whole() {
        use super::{hashes_in_parts, Hasher};
        let mut text = String::new();
        for i in 0..400 {
            match i % 7 {
                0 => text.push_str("resource \"azurerm_subnet\" \"s\" {\r\n"),
                1 => text.push_str("  name = \"é𝄞\"\n"),
                2 => text.push('\n'),
                3 => text.push_str(&"x".repeat(i % 150)),
                4 => text.push_str("  \t  }\n"),
                5 => text.push_str(&format!("  priority = {i}\n")),
                _ => text.push_str("z = 1\n"),
            }
        }
        text.push_str(&"y".repeat(700));
        let whole = |lines| Hasher::first_lines(&text, lines);
        // The two-pass hash is the hash, for every number of lines.
        for lines in [0, 1, 2, 57, 58, 100, 301, 399, 400, 401, usize::MAX] {
            assert_eq!(
                super::first_lines(&text, lines),
                whole(lines),
                "{lines} lines"
            );
        }
        for part in [1, 13, 64, 200, 1000, 5000] {
            for lines in [1, 2, 57, 58, 100, 301, 399, 400, 401, usize::MAX] {
                assert_eq!(
                    hashes_in_parts(&text, lines, part),
                    whole(lines),
                    "parts of {part} bytes, {lines} lines"
                );
            }
        }
        // A lone `\r` ends a line that `\n` does not mark: such a text is hashed whole.
        let lone = text.replace("z = 1\n", "z = 1\r");
        assert_eq!(
            hashes_in_parts(&lone, usize::MAX, 64),
            Hasher::first_lines(&lone, usize::MAX)
        );
    }

    /// Random texts of blanks, line breaks of every kind, ASCII and characters of two and four
    /// UTF-8 bytes hash as GitHub's algorithm written out hashes them.
    #[test]
    fn random_texts_hash_as_written_out() {
        use super::Hasher;
        const PIECES: [&str; 12] = [
            " ",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "a",
            "{",
            "\"x\": 1,",
            "é",
            "𝄞",
            "  ",
            "\u{7f}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..2000 {
            let text = crate::testing::random_text(&PIECES, round % 400, &mut seed);
            let lines = if round % 3 == 0 {
                usize::MAX
            } else {
                round % 50
            };
            assert_eq!(
                super::first_lines(&text, lines),
                Hasher::first_lines(&text, lines),
                "text {text:?}, {lines} lines"
            );
        }
    }

    /// Hashing only as far as the lines wanted gives exactly their hashes of the whole file,
    /// repeated lines counted as before them, and nothing for lines past the end.
    #[test]
    fn the_lines_wanted_hash_as_in_the_whole_file() {
        let text = format!(
            "{}\n  a = 1\n\n  a = 1\n{}\nlast",
            "x".repeat(150),
            "y \t".repeat(80)
        );
        let all = line_hashes(&text);
        for wanted in [
            vec![1],
            vec![2, 4],
            vec![3],
            vec![1, 5, 6],
            vec![6],
            vec![2, 9],
        ] {
            let set = wanted.iter().copied().collect();
            let got = line_hashes_of(&text, &set);
            let expected: std::collections::BTreeMap<usize, String> = wanted
                .iter()
                .filter(|&&l| l <= all.len())
                .map(|&l| (l, all[l - 1].clone()))
                .collect();
            assert_eq!(got, expected, "lines {wanted:?}");
        }
        // Identical lines with identical windows: the counts of the lines wanted are those of
        // the whole file.
        let same = "z = 1\n".repeat(300);
        let all = line_hashes(&same);
        let wanted = [150, 151].into_iter().collect();
        let got = line_hashes_of(&same, &wanted);
        assert_eq!(got[&150], all[149]);
        assert_eq!(got[&151], all[150]);
        assert!(got[&151].ends_with(":151"), "{got:?}");
        assert!(line_hashes_of(&text, &Default::default()).is_empty());
    }
}
