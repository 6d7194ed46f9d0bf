//! Reporters: one file per output format. They depend on `findings`, `source`, `ir` (spans) and
//! rule metadata only, never on front-ends or rules' logic.

pub mod azure;
pub mod concise;
pub mod console;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::findings::{Level, Report};
use crate::ir::Span;
use crate::source::{FileId, SourceFile};

/// A region as every format prints it: 1-based lines, 1-based UTF-16 columns, exclusive end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The file a span or notification refers to.
/// Where a finding or notification is, as line-oriented formats print it: the file's path, and
/// the 1-based line and UTF-16 column when there is a span.
pub(crate) struct Place {
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Place {
    /// `path:line:column`, or the path alone without a position.
    pub fn text(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path),
            _ => self.path.clone(),
        }
    }
}

pub(crate) fn place(
    report: &Report,
    span: Option<crate::ir::Span>,
    file: Option<FileId>,
) -> Option<Place> {
    let f = file_by_id(report.files, file?)?;
    let r = span.map(|s| region(f, s));
    Some(Place {
        path: f.rel.clone(),
        line: r.as_ref().map(|r| r.start_line),
        column: r.as_ref().map(|r| r.start_column),
    })
}

pub(crate) fn file_by_id(files: &[SourceFile], id: FileId) -> Option<&SourceFile> {
    match files.get(id) {
        Some(f) if f.id == id => Some(f),
        _ => files.iter().find(|f| f.id == id),
    }
}

/// The byte range a span covers, made safe to slice and pleasant to show: clamped to the text, on
/// char boundaries, never ending before it starts, and without trailing line breaks, so that a span
/// that swallowed the newline after a value ends on the value's line instead of at column 1 of the
/// next one.
pub(crate) fn display_range(file: &SourceFile, span: Span) -> std::ops::Range<usize> {
    let text = &file.text;
    let floor = |i: usize| text.floor_char_boundary(i);
    let start = floor(span.start);
    let mut end = floor(span.end).max(start);
    while end > start && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    start..end
}

/// The region of a span in its file.
pub(crate) fn region(file: &SourceFile, span: Span) -> Region {
    let range = display_range(file, span);
    let start = file.position(range.start);
    let end = file.position(range.end);
    Region {
        start_line: start.line,
        start_column: start.col_utf16,
        end_line: end.line,
        end_column: end.col_utf16,
    }
}

/// `n` with `word`, plural unless `n` is 1: "1 file", "3 files".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Findings per level and files scanned: the summary every format ends with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(report: &Report) -> Summary {
        let mut s = Summary {
            files: report.files.len(),
            ..Summary::default()
        };
        for f in report.findings {
            match f.level {
                Level::Error => s.errors += 1,
                Level::Warning => s.warnings += 1,
                Level::Note => s.notes += 1,
            }
        }
        s
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! A small but realistic scan, shared by the reporters' snapshot tests: a Terraform file and an
    //! ARM template (with CRLF line ends and non-ASCII text), three findings, one of them with
    //! related locations, and a parse error in a third file.

    use crate::findings::{Finding, Level, Message, Notification, Related};
    use crate::ir::Span;
    use crate::rules::meta::RuleMeta;
    use crate::source::SourceFile;

    pub const TF: &str = r#"resource "azurerm_network_security_group" "nsg" {
  name                = "batch-nsg"
  location            = var.location
  resource_group_name = "rg"

  security_rule {
    name                       = "allow-ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "*"
    source_port_range          = "*"
    destination_address_prefix = "*"
    destination_port_range     = "22"
  }
}
"#;

    pub const ARM: &str = "{\r\n  \"resources\": [\r\n    {\r\n      \"type\": \"Microsoft.Batch/batchAccounts\",\r\n      \"name\": \"lötschberg-batch\",\r\n      \"properties\": { \"publicNetworkAccess\": \"Enabled\" }\r\n    }\r\n  ]\r\n}\r\n";

    pub const BROKEN: &str = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [\n";

    pub static NET001: RuleMeta = RuleMeta {
        id: "NET001",
        name: "NsgAllowsSshFromInternet",
        title: "NSG allows SSH from the internet",
        level: Level::Error,
        security_severity: "8.8",
        tags: &["security", "network"],
        precision: "high",
        help_uri: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        peers: &["CKV_AZURE_10", "AVD-AZU-0050"],
        needs: &[],
        doc: "# NET001 — NSG allows SSH from the internet\n\nAn inbound NSG rule allows TCP 22 from\nthe internet.\n\n## How to fix\n\nRestrict the source.\n",
    };

    pub static BATCH001: RuleMeta = RuleMeta {
        id: "BATCH001",
        name: "BatchAccountPublicNetworkAccessEnabled",
        title: "Batch account public network access enabled",
        level: Level::Warning,
        security_severity: "5.3",
        tags: &["security", "batch"],
        precision: "very-high",
        help_uri: "https://learn.microsoft.com/azure/batch/security-best-practices",
        peers: &[],
        needs: &[],
        doc: "# BATCH001 — Batch account public network access enabled\n\nThe account accepts traffic from public networks.\n",
    };

    pub fn rules() -> Vec<&'static RuleMeta> {
        vec![&BATCH001, &NET001]
    }

    pub fn files() -> Vec<SourceFile> {
        vec![
            SourceFile::new(
                0,
                "infra/arm/batch.json".into(),
                "infra/arm/batch.json".into(),
                ARM,
            ),
            SourceFile::new(1, "infra/main.tf".into(), "infra/main.tf".into(), TF),
            SourceFile::new(
                2,
                "infra/arm/broken deploy.json".into(),
                "infra/arm/broken deploy.json".into(),
                BROKEN,
            ),
        ]
    }

    fn span_of(file: usize, text: &str, needle: &str) -> Span {
        let start = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
        Span::new(file, start, start + needle.len())
    }

    pub fn findings() -> Vec<Finding> {
        let prop = "\"publicNetworkAccess\": \"Enabled\"";
        vec![
            Finding {
                rule: "BATCH001",
                level: Level::Warning,
                message: Message::titled(
                    "Batch account public network access enabled",
                    Message::from("`lötschberg-batch` sets publicNetworkAccess to Enabled.").help(
                        "Set it to Disabled and reach the account through a private endpoint.",
                    ),
                ),
                subject: Some("batchAccounts 'lötschberg-batch'".into()),
                span: span_of(0, ARM, prop),
                related: vec![],
                discriminator: String::new(),
                security_severity: None,
                suppression: None,
                ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
            },
            Finding {
                rule: "NET001",
                level: Level::Error,
                message: Message::titled(
                    "NSG allows SSH from the internet",
                    Message::from(
                        "rule `allow-ssh` (priority 100) of `azurerm_network_security_group.nsg` \
                         allows TCP 22 from `*`.",
                    )
                    .help("Restrict source_address_prefix to known ranges."),
                ),
                subject: Some("azurerm_network_security_group.nsg".into()),
                span: span_of(1, TF, "destination_port_range     = \"22\""),
                related: vec![
                    Related {
                        span: span_of(1, TF, "source_address_prefix      = \"*\""),
                        message: "source is any address".into(),
                    },
                    Related {
                        span: span_of(1, TF, "access                     = \"Allow\""),
                        message: "deciding rule (priority 100)".into(),
                    },
                ],
                discriminator: "22".into(),
                security_severity: Some("9.1"),
                suppression: None,
                ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
            },
            Finding {
                rule: "NET001",
                level: Level::Note,
                message: Message::titled(
                    "NSG allows SSH from the internet",
                    Message::from("the NSG is not associated with any subnet or NIC.")
                        .help("Remove the rule or associate the NSG deliberately."),
                ),
                subject: Some("azurerm_network_security_group.nsg".into()),
                span: span_of(
                    1,
                    TF,
                    "resource \"azurerm_network_security_group\" \"nsg\" {",
                ),
                related: vec![],
                discriminator: "unassociated".into(),
                security_severity: None,
                suppression: None,
                ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
            },
        ]
    }

    pub fn notifications() -> Vec<Notification> {
        vec![Notification {
            level: Level::Error,
            message: "cannot parse ARM template: unexpected end of file, expected `]`".into(),
            span: Some(Span::new(2, BROKEN.len(), BROKEN.len())),
            file: Some(2),
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(0, "t".into(), "t".into(), text)
    }

    #[test]
    fn region_counts_utf16_units_after_non_ascii_text() {
        let f = file("{\n  \"é𝄞\": \"x\"\n}");
        let start = f.text.find("\"x\"").unwrap();
        let r = region(&f, Span::new(0, start, start + 3));
        // `  "é𝄞": ` is 2 + 1 + 1 + 2 + 1 + 1 + 1 = 9 UTF-16 units.
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 10,
                end_line: 2,
                end_column: 13
            }
        );
    }

    #[test]
    fn region_never_ends_on_the_next_line_or_inside_crlf() {
        let f = file("a = 1\r\nb = 2\r\n");
        // A span that swallowed the line break ends after `1`.
        assert_eq!(
            region(&f, Span::new(0, 0, 7)),
            Region {
                start_line: 1,
                start_column: 1,
                end_line: 1,
                end_column: 6
            }
        );
        // A span ending between `\r` and `\n` as well.
        assert_eq!(region(&f, Span::new(0, 0, 6)).end_column, 6);
    }

    #[test]
    fn region_ignores_bom_and_survives_bad_spans() {
        let f = SourceFile::new(0, "t".into(), "t".into(), "\u{feff}{\"é\": 1}");
        let one = f.text.find('1').unwrap();
        assert_eq!(region(&f, Span::new(0, one, one + 1)).start_column, 7);
        // Inside a UTF-8 sequence, reversed, past the end: clamped, never line 0.
        let r = region(&f, Span::new(0, 3, 1));
        assert_eq!((r.start_line, r.start_column, r.end_column), (1, 3, 3));
        let r = region(&f, Span::new(0, 100, 200));
        assert_eq!((r.start_line, r.start_column, r.end_column), (1, 9, 9));
    }
}

/// What stands in a JSON document for the array [`write_pretty_with_array`] writes in its place.
pub(crate) const LAZY_ARRAY: &str = "\u{0}batchguard: the array is written here\u{0}";

/// `doc` pretty-printed as `serde_json::to_string_pretty` prints it, with its first
/// [`LAZY_ARRAY`] string replaced by the array of `count` items, item `i` built by `item(i)`: a
/// report of tens of thousands of findings never holds them all as JSON values, nor its text.
/// The items are built and printed in parallel, a chunk at a time, and written in order.
pub(crate) fn write_pretty_with_array<T: serde::Serialize>(
    w: &mut dyn std::io::Write,
    doc: &serde_json::Value,
    count: usize,
    item: impl Fn(usize) -> T + Sync,
) -> std::io::Result<()> {
    write_skeleton_with_array(w, &skeleton(doc), count, item)
}

/// A document printed as [`write_pretty_with_array`] prints it, but for the array: printed
/// ahead, where it can be done beside other work.
pub(crate) fn skeleton(doc: &serde_json::Value) -> String {
    serde_json::to_string_pretty(doc).expect("a JSON value always serializes")
}

/// [`write_pretty_with_array`] of a document printed already ([`skeleton`]).
pub(crate) fn write_skeleton_with_array<T: serde::Serialize>(
    w: &mut dyn std::io::Write,
    skeleton: &str,
    count: usize,
    item: impl Fn(usize) -> T + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    /// Items printed at once: a few megabytes of text.
    const CHUNK: usize = 1024;
    let needle = serde_json::to_string(LAZY_ARRAY).expect("a string serializes");
    let Some(at) = skeleton.find(&needle) else {
        return w.write_all(skeleton.as_bytes());
    };
    let line_start = skeleton[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = skeleton[line_start..]
        .bytes()
        .take_while(|&b| b == b' ')
        .count();
    w.write_all(&skeleton.as_bytes()[..at])?;
    if count == 0 {
        w.write_all(b"[]")?;
    } else {
        // As serde_json's pretty printer writes an array `indent` deep: each item on lines of
        // its own, two spaces further in.
        let inner = vec![b' '; indent + 2];
        for start in (0..count).step_by(CHUNK) {
            let printed: Vec<Vec<u8>> = (start..count.min(start + CHUNK))
                .into_par_iter()
                .map(|i| {
                    let text = serde_json::to_vec_pretty(&item(i))
                        .expect("a report's item always serializes");
                    indented(&text, &inner)
                })
                .collect();
            for (k, text) in printed.iter().enumerate() {
                w.write_all(if start + k == 0 { b"[\n" } else { b",\n" })?;
                w.write_all(&inner)?;
                w.write_all(text)?;
            }
        }
        w.write_all(b"\n")?;
        w.write_all(&inner[..indent])?;
        w.write_all(b"]")?;
    }
    w.write_all(&skeleton.as_bytes()[at + needle.len()..])
}

/// `text` with `indent` after each line break (JSON text holds no raw line break inside a
/// string), so that a value printed at the top level sits at a deeper level.
fn indented(text: &[u8], indent: &[u8]) -> Vec<u8> {
    let breaks = memchr::memchr_iter(b'\n', text).count();
    let mut out = Vec::with_capacity(text.len() + breaks * indent.len());
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', text) {
        out.extend_from_slice(&text[from..=at]);
        out.extend_from_slice(indent);
        from = at + 1;
    }
    out.extend_from_slice(&text[from..]);
    out
}
