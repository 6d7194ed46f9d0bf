//! The protocol's framing on standard input: `Content-Length` headers, a blank line, then the
//! JSON body. Read here rather than by `lsp-server`, whose reader ends the connection on the
//! first malformed frame: a frame whose headers are wrong (no or a bad `Content-Length`, a body
//! larger than [`MAX_BODY`], a line that is no header), whose body is not JSON, or whose JSON is
//! not a JSON-RPC message is answered with a parse error (code -32700, `id` null) and the server
//! reads on. After a frame whose length is not known, what follows up to the next
//! `Content-Length:` header is passed over without a second error.

use std::io::{self, BufRead, Write};

use lsp_server::Message;

/// Largest body read: a document of the scan's 128 MiB limit fits, escaped as JSON with every
/// character doubled.
pub const MAX_BODY: usize = (2 * crate::scan::MAX_FILE_BYTES as usize) + (1 << 20);
/// Longest header line kept; longer lines are garbage, searched for the next header.
const MAX_LINE: usize = 8 << 10;
const HEADER: &[u8] = b"Content-Length:";

/// One frame read.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Body(Vec<u8>),
    /// A frame that cannot be read, and why.
    Bad(String),
    /// The input ended.
    End,
}

/// Reads frames, keeping what it needs to pass over the rest of a bad one.
#[derive(Default)]
pub struct Reader {
    /// After a bad frame of unknown length: skip to the next `Content-Length:` header.
    resyncing: bool,
}

impl Reader {
    pub fn read(&mut self, r: &mut impl BufRead) -> io::Result<Frame> {
        let mut length: Option<usize> = None;
        let mut problem: Option<String> = None;
        let mut seen_header = false;
        loop {
            let Some(line) = read_line(r)? else {
                return Ok(Frame::End);
            };
            let line = match find(&line, HEADER) {
                // The body of a bad frame runs into the next header.
                Some(i) if i > 0 && (self.resyncing || !seen_header) => line[i..].to_vec(),
                _ => line,
            };
            if line.is_empty() {
                if !seen_header {
                    // Blank lines between frames.
                    continue;
                }
                break;
            }
            let text = String::from_utf8_lossy(&line);
            let Some((name, value)) = text.split_once(':') else {
                if self.resyncing {
                    continue;
                }
                self.resyncing = true;
                return Ok(Frame::Bad(format!(
                    "malformed header line `{}`: a frame starts with `Content-Length: N`",
                    shorten(&text)
                )));
            };
            if self.resyncing && !name.trim().eq_ignore_ascii_case("content-length") {
                continue;
            }
            self.resyncing = false;
            seen_header = true;
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) if n <= MAX_BODY => length = Some(n),
                    Ok(n) => {
                        problem = Some(format!(
                            "Content-Length {n} is larger than the {} MiB a message may have",
                            MAX_BODY >> 20
                        ))
                    }
                    Err(_) => {
                        problem = Some(format!(
                            "Content-Length `{}` is not a number of bytes",
                            shorten(value.trim())
                        ))
                    }
                }
            }
        }
        let length = match (problem, length) {
            (Some(why), _) => {
                self.resyncing = true;
                return Ok(Frame::Bad(why));
            }
            (None, None) => {
                self.resyncing = true;
                return Ok(Frame::Bad("the frame has no Content-Length header".into()));
            }
            (None, Some(n)) => n,
        };
        let mut body = Vec::with_capacity(length.min(1 << 20));
        let got = io::Read::read_to_end(&mut io::Read::take(&mut *r, length as u64), &mut body)?;
        if got < length {
            return Ok(Frame::End);
        }
        Ok(Frame::Body(body))
    }
}

/// A line without its `\n` or `\r\n`; `None` at the end of the input. A line longer than
/// [`MAX_LINE`] keeps from the last `Content-Length:` in it, or its last bytes.
fn read_line(r: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut line: Vec<u8> = Vec::new();
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(any.then_some(line));
        }
        any = true;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        r.consume(take);
        if line.len() > MAX_LINE {
            let keep = match rfind(&line, HEADER) {
                Some(i) => i,
                None => line.len() - (HEADER.len() - 1),
            };
            line.drain(..keep);
            if line.len() > MAX_LINE {
                // A header followed by more than a line's worth: garbage.
                line.drain(..line.len() - (HEADER.len() - 1));
            }
        }
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn shorten(s: &str) -> String {
    crate::findings::shorten(s, 60)
}

/// The JSON-RPC parse error for a frame that cannot be read.
pub fn parse_error(why: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": -32700, "message": format!("parse error: {why}") },
    })
    .to_string()
}

/// The message of a body, or why it is none.
pub fn message(body: &[u8]) -> Result<Message, String> {
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("the body is not UTF-8 (at byte {})", e.valid_up_to()))?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("the body is not JSON: {e}"))?;
    if !value.is_object() {
        return Err("the body is JSON but not a JSON-RPC message object".into());
    }
    serde_json::from_value(value)
        .map_err(|e| format!("the body is JSON but not a JSON-RPC message: {e}"))
}

/// Writes one framed body.
pub fn write_body(out: &mut impl Write, body: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Reads standard input until it ends or `exit` arrives, passing each message to the server
/// (`to_server` says false once it is gone) and answering each bad frame on standard output.
pub fn read_stdin(to_server: impl Fn(Message) -> bool) {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut reader = Reader::default();
    loop {
        let why = match reader.read(&mut input) {
            Ok(Frame::End) => return,
            Err(e) => {
                eprintln!("batchguard lsp: cannot read standard input: {e}");
                return;
            }
            Ok(Frame::Bad(why)) => why,
            Ok(Frame::Body(body)) => match message(&body) {
                Ok(m) => {
                    let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                    if !to_server(m) || exit {
                        return;
                    }
                    continue;
                }
                Err(why) => why,
            },
        };
        eprintln!("batchguard lsp: {why}");
        let stdout = io::stdout();
        let mut out = stdout.lock();
        if write_body(&mut out, &parse_error(&why)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut r = io::BufReader::with_capacity(7, input);
        let mut reader = Reader::default();
        let mut out = Vec::new();
        loop {
            match reader.read(&mut r).unwrap() {
                Frame::End => return out,
                f => out.push(f),
            }
        }
    }

    fn body(s: &str) -> Frame {
        Frame::Body(s.as_bytes().to_vec())
    }

    #[test]
    fn good_frames_are_read_and_bad_ones_reported_once() {
        let input = b"Content-Length: 2\r\n\r\n{}\
            Content-Length: abc\r\n\r\n{\"x\": 1}\
            Content-Length: 3\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n[1]\
            hello\r\nmore garbage\r\nContent-Length: 2\r\n\r\n{}\
            Content-Length: 99999999999\r\n\r\n{\"big\": 1}\r\n\
            Content-Length: 4\r\n\r\nnull\
            Content-Length: 10\r\n\r\n{}";
        let f = frames(input);
        assert_eq!(f[0], body("{}"));
        assert!(
            matches!(&f[1], Frame::Bad(w) if w.contains("`abc`")),
            "{f:?}"
        );
        assert_eq!(f[2], body("[1]"));
        assert!(
            matches!(&f[3], Frame::Bad(w) if w.contains("hello")),
            "{f:?}"
        );
        assert_eq!(f[4], body("{}"));
        assert!(
            matches!(&f[5], Frame::Bad(w) if w.contains("larger")),
            "{f:?}"
        );
        assert_eq!(f[6], body("null"));
        // The last frame is cut short by the end of the input.
        assert_eq!(f.len(), 7, "{f:?}");
    }

    #[test]
    fn a_long_bad_body_is_passed_over_to_the_next_header() {
        let mut input = b"Content-Length: x\r\n\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', 100_000));
        input.extend(b"Content-Length: 2\r\n\r\n{}");
        let f = frames(&input);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[1], body("{}"));
    }

    #[test]
    fn bodies_that_are_not_messages_are_told_apart() {
        assert!(message(b"\xff").unwrap_err().contains("UTF-8"));
        assert!(message(b"{").unwrap_err().contains("not JSON"));
        assert!(message(b"[1]").unwrap_err().contains("not a JSON-RPC"));
        assert!(message(b"{\"a\": 1}")
            .unwrap_err()
            .contains("not a JSON-RPC"));
        assert!(message(b"{\"jsonrpc\": \"2.0\", \"method\": \"exit\"}").is_ok());
        let e: serde_json::Value = serde_json::from_str(&parse_error("x")).unwrap();
        assert_eq!(e["error"]["code"], -32700);
        assert!(e["id"].is_null());
    }
}
