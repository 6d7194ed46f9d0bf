//! How much memory a file's syntax tree will take, estimated from its text before it is parsed,
//! so that a file whose tree would not fit the scan's memory bound is refused with a located
//! error instead of being parsed (D40).
//!
//! The trees are far larger than the text: `hcl-edit` spends about 1 KB on the three bytes
//! `x.y` (an expression, a boxed traversal and a vector of operators), so 15 MiB of
//! `[x.y, x.y, …]` would take about 4 GB; a JSON value costs about 150 bytes once parsed and
//! lowered. Ordinary files are far from these limits (a 15 MiB file of `azurerm` network
//! security groups is estimated at a fifth of the HCL budget); they stop only text that is
//! dense in expressions on purpose or by a generator gone wrong.
//!
//! Both estimates read the text once, skip comments and the literal text of strings, and stop
//! at the first byte past the budget, which is where the error points.

/// Estimated bytes of an `hcl-edit` tree that a Terraform or tfvars file may take.
pub const HCL_TREE_BYTES: u64 = 480 << 20;

/// JSON values (objects, arrays, strings — member names too — numbers and literals) an ARM
/// template or parameters file may hold: about 600 MB once parsed and lowered.
pub const JSON_VALUES: u64 = 4_000_000;

/// Tokens a Bicep file may hold. A token costs about 500 bytes once parsed by tree-sitter,
/// lowered and evaluated (15 MiB of `[1 1 1 …]`, 7 million values, peaked at 3.9 GB): about
/// 500 MB. An Azure Verified Module's `main.bicep` holds a few thousand.
pub const BICEP_TOKENS: u64 = 1_000_000;

/// The number of tokens of Bicep `text` (names, numbers, strings, punctuation; a string
/// counts once, with one more per interpolation), or the byte offset of the token that passes
/// `limit`. Comments are skipped.
pub fn bicep_tokens(text: &str, limit: u64) -> Result<u64, usize> {
    let b = text.as_bytes();
    let mut count: u64 = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            i = line_end(b, i);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                    count += 1;
                }
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
        } else {
            i += 1;
        }
        count += 1;
        if count > limit {
            return Err(start);
        }
    }
    Ok(count)
}

// What the parts of an HCL tree cost, in bytes, from the sizes of `hcl-edit`'s types (an
// `Expression` is 128 bytes, a `Structure` 304, a traversal operator 200, a template element
// 160) and the spare capacity of the vectors that hold them.
/// An attribute, or an object element: its structure and key.
const ASSIGNMENT: u64 = 480;
/// A block or object body.
const BRACE: u64 = 320;
/// An operand inside an array, a function call's arguments or an index: an expression in a
/// vector. Elsewhere an operand is held inline by its attribute, traversal or template.
const OPERAND: u64 = 190;
/// The first `.name` or `[…]` after an operand: a boxed traversal and its operator vector,
/// which starts with room for four operators.
const FIRST_OPERATOR: u64 = 1030;
/// Each further operator of the same traversal.
const NEXT_OPERATOR: u64 = 200;
/// A template interpolation or directive, `${…}` or `%{…}`: an element of the template's
/// vector.
const INTERPOLATION: u64 = 330;

/// The most any one token of [`hcl_tree_bytes_and_ends`] costs; every token is at least a
/// byte long, so a text's estimate is at most this many times its length.
const MOST_PER_TOKEN: u64 = {
    let costs = [
        ASSIGNMENT,
        BRACE,
        OPERAND,
        FIRST_OPERATOR,
        NEXT_OPERATOR,
        INTERPOLATION,
    ];
    let (mut most, mut i) = (0, 0);
    while i < costs.len() {
        if costs[i] > most {
            most = costs[i];
        }
        i += 1;
    }
    most
};

/// Can no HCL text of `len` bytes pass `limit` in [`hcl_tree_bytes_and_ends`], whatever it
/// holds? Then a file too short to be cut into parts needs no pass of its own: up to 477 KiB
/// against [`HCL_TREE_BYTES`], which is nearly every file of a repository.
pub fn hcl_always_within(len: usize, limit: u64) -> bool {
    (len as u64).saturating_mul(MOST_PER_TOKEN) <= limit
}

/// What the lexer is inside.
enum Mode {
    /// Expressions and structure; `braces` counts the `{` opened in this frame, so that the
    /// `}` closing an interpolation is told apart.
    Code { braces: u32 },
    /// A quoted string.
    Quoted,
    /// A heredoc up to the line that holds only `marker`.
    Heredoc { marker: Vec<u8>, line_start: bool },
}

/// The estimated tree size of HCL `text`, or the byte offset where it passes `limit`; and onto
/// `ends` the offset just past each `}` that closes a top-level block or object (outside any
/// string, comment, bracket or parenthesis), in order: where the text can be cut into parts that
/// parse on their own ([`super::terraform`] parses a big file a part at a time).
pub fn hcl_tree_bytes_and_ends(
    text: &str,
    limit: u64,
    ends: &mut Vec<usize>,
) -> Result<u64, usize> {
    let b = text.as_bytes();
    let mut stack = vec![Mode::Code { braces: 0 }];
    let mut total: u64 = 0;
    // Operators read since the last operand of the current traversal, or None when the last
    // token was not an operand or operator.
    let mut chain: Option<u32> = None;
    // For each open `[` or `(`: the traversal it indexes (its operators so far), to go on with
    // after the `]`; None for an array or parenthesis, which starts a new operand.
    let mut brackets: Vec<Option<u32>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let mut cost = 0;
        let top = stack.len() - 1;
        match &mut stack[top] {
            Mode::Code { braces } => {
                let c = b[i];
                let next = b.get(i + 1).copied();
                let mut operand = false;
                let mut operator = false;
                let mut resume = None;
                match c {
                    b'#' => i = line_end(b, i),
                    b'/' if next == Some(b'/') => i = line_end(b, i),
                    b'/' if next == Some(b'*') => {
                        i += 2;
                        while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                            i += 1;
                        }
                        i += 2;
                    }
                    b'"' => {
                        cost = OPERAND;
                        operand = true;
                        stack.push(Mode::Quoted);
                        i += 1;
                    }
                    // A run of spaces costs nothing and keeps the traversal going (`a . b`).
                    b' ' | b'\t' => {
                        while i < b.len() && matches!(b[i], b' ' | b'\t') {
                            i += 1;
                        }
                    }
                    b'<' if next == Some(b'<') => {
                        i += 2;
                        if b.get(i) == Some(&b'-') {
                            i += 1;
                        }
                        let name = i;
                        while i < b.len() && is_name(b[i]) {
                            i += 1;
                        }
                        let marker = b[name..i].to_vec();
                        while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'\r') {
                            i += 1;
                        }
                        if !marker.is_empty() && b.get(i) == Some(&b'\n') {
                            cost = OPERAND;
                            operand = true;
                            i += 1;
                            stack.push(Mode::Heredoc {
                                marker,
                                line_start: true,
                            });
                        }
                    }
                    b'{' => {
                        cost = BRACE;
                        *braces += 1;
                        i += 1;
                    }
                    b'}' => {
                        if *braces == 0 && top > 0 {
                            stack.pop();
                        } else {
                            *braces = braces.saturating_sub(1);
                            if *braces == 0 && top == 0 && brackets.is_empty() {
                                ends.push(i + 1);
                            }
                        }
                        // A closed object or interpolation can be followed by operators.
                        operand = true;
                        i += 1;
                    }
                    b'[' if chain.is_some() => {
                        operator = true;
                        brackets.push(chain.map(|n| n + 1));
                        i += 1;
                    }
                    b'[' | b'(' => {
                        cost = OPERAND;
                        brackets.push(None);
                        i += 1;
                    }
                    b']' | b')' => {
                        operand = true;
                        resume = brackets.pop().flatten();
                        i += 1;
                    }
                    b'.' if chain.is_some() && next.is_some_and(|n| is_name(n) || n == b'*') => {
                        operator = true;
                        i += 1;
                        while i < b.len() && (is_name(b[i]) || b[i] == b'*') {
                            i += 1;
                        }
                    }
                    b'=' if !comparison(b, start) => {
                        cost = ASSIGNMENT;
                        i += 1;
                    }
                    c if is_name(c) && !c.is_ascii_digit() && c != b'-' => {
                        while i < b.len() && is_name(b[i]) {
                            i += 1;
                        }
                        cost = OPERAND;
                        operand = true;
                    }
                    c if c.is_ascii_digit() => {
                        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                            i += 1;
                        }
                        cost = OPERAND;
                        operand = true;
                    }
                    _ => i += 1,
                }
                if operator {
                    let n = chain.unwrap_or(0);
                    cost = if n == 0 {
                        FIRST_OPERATOR
                    } else {
                        NEXT_OPERATOR
                    };
                    chain = Some(n + 1);
                } else if operand {
                    chain = Some(resume.unwrap_or(0));
                } else if !matches!(b[start], b' ' | b'\t') {
                    chain = None;
                }
            }
            Mode::Quoted => {
                chain = None;
                // Literal text costs nothing: on to the next byte that can end it.
                let run = b[i..]
                    .iter()
                    .position(|c| matches!(c, b'\\' | b'"' | b'\n' | b'$' | b'%'))
                    .unwrap_or(b.len() - i);
                if run > 0 {
                    i += run;
                    continue;
                }
                match b[i] {
                    b'\\' => i += 2,
                    b'"' | b'\n' => {
                        stack.pop();
                        // The closed string can be followed by operators (`"a"[0]`).
                        if b[i] == b'"' {
                            chain = Some(0);
                        }
                        i += 1;
                    }
                    c @ (b'$' | b'%')
                        if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') =>
                    {
                        i += 3
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        cost = INTERPOLATION;
                        stack.push(Mode::Code { braces: 0 });
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
            Mode::Heredoc { marker, line_start } => {
                chain = None;
                if *line_start {
                    *line_start = false;
                    let end = line_end(b, i);
                    let line = b[i..end].trim_ascii();
                    if line == marker.as_slice() {
                        stack.pop();
                        chain = Some(0);
                        i = end;
                        continue;
                    }
                }
                let run = b[i..]
                    .iter()
                    .position(|c| matches!(c, b'\n' | b'$' | b'%'))
                    .unwrap_or(b.len() - i);
                if run > 0 {
                    i += run;
                    continue;
                }
                match b[i] {
                    b'\n' => {
                        *line_start = true;
                        i += 1;
                    }
                    c @ (b'$' | b'%')
                        if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') =>
                    {
                        i += 3
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        cost = INTERPOLATION;
                        stack.push(Mode::Code { braces: 0 });
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
        }
        if cost == OPERAND && brackets.is_empty() {
            cost = 0;
        }
        total += cost;
        if total > limit {
            return Err(start);
        }
        // Every arm moves forward; a safeguard against a slip all the same.
        i = i.max(start + 1);
    }
    Ok(total)
}

/// Is the `=` at `at` part of `==`, `!=`, `<=`, `>=` or `=>` rather than an assignment?
fn comparison(b: &[u8], at: usize) -> bool {
    matches!(b.get(at + 1), Some(b'=' | b'>'))
        || (at > 0 && matches!(b[at - 1], b'=' | b'!' | b'<' | b'>'))
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The offset of the `"` that closes a JSON string whose text starts at `from` (a `\\` escapes
/// the byte after it), or an offset at or past the end when it is not closed.
pub(crate) fn string_end(b: &[u8], mut from: usize) -> usize {
    loop {
        match memchr::memchr2(b'"', b'\\', b.get(from..).unwrap_or_default()) {
            Some(p) if b[from + p] == b'\\' => from += p + 2,
            Some(p) => return from + p,
            None => return b.len(),
        }
    }
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

/// Whether `text` holds at most `limit` JSON values ([`json_values`]), or the offset of the
/// value that passes it. Every value is at least a byte long, so a text of at most `limit`
/// bytes is not read: at [`JSON_VALUES`], every file of up to 4 MB.
pub fn json_values_within(text: &str, limit: u64) -> Result<(), usize> {
    if text.len() as u64 <= limit {
        return Ok(());
    }
    json_values(text, limit).map(drop)
}

/// The number of JSON values in `text` (member names count as strings), or the byte offset of
/// the value that passes `limit`. Reads JSON with comments; malformed text is counted as far as
/// it goes (the parser reports it).
pub fn json_values(text: &str, limit: u64) -> Result<u64, usize> {
    let b = text.as_bytes();
    let scalar = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.');
    let mut count: u64 = 0;
    let mut i = 0;
    // Runs of blanks (a template's indentation) and of a scalar's characters are passed over
    // whole: this runs before every JSON file is parsed.
    while let Some(&c) = b.get(i) {
        let start = i;
        match c {
            b' ' | b'\n' | b'\r' | b'\t' | b',' | b':' | b'}' | b']' => {
                i += 1;
                continue;
            }
            b'"' => i = string_end(b, i + 1) + 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i) + 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'{' | b'[' => i += 1,
            c if scalar(c) => {
                i += 1;
                while b.get(i).is_some_and(|&c| scalar(c)) {
                    i += 1;
                }
            }
            _ => {
                i += 1;
                continue;
            }
        }
        count += 1;
        if count > limit {
            return Err(start);
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bicep_tokens_skip_comments_and_count_interpolations() {
        assert_eq!(bicep_tokens("var x = 1 // a b c\n", 100), Ok(4));
        assert_eq!(bicep_tokens("var x = 'a ${b} c'", 100), Ok(5));
        assert_eq!(bicep_tokens("var x = [1 2 3]", 4), Err(9));
    }

    fn hcl_tree_bytes(text: &str, limit: u64) -> Result<u64, usize> {
        hcl_tree_bytes_and_ends(text, limit, &mut Vec::new())
    }

    fn est(text: &str) -> u64 {
        hcl_tree_bytes(text, u64::MAX).unwrap()
    }

    #[test]
    fn json_values_are_counted_outside_strings_and_comments() {
        assert_eq!(json_values("", 10), Ok(0));
        assert_eq!(json_values("[1, -2.5e3, true, null]", 10), Ok(5));
        assert_eq!(json_values(r#"{"a": {"b": "x\"]{[1"}}"#, 10), Ok(5));
        assert_eq!(json_values("// [1,2]\n/* {3} */ [4]", 10), Ok(2));
        // A scalar is one value however long; one ends at anything that is not part of it.
        assert_eq!(json_values("tru e\"x\"1/*2*/3//4\n5", 10), Ok(6));
        assert_eq!(json_values("\t\r\n  12345678  ", 10), Ok(1));
        // Unterminated strings and comments end the text.
        assert_eq!(json_values("[\"abc", 10), Ok(2));
        assert_eq!(json_values("[1 /* 2", 10), Ok(2));
        // The offset is the value that passes the limit.
        assert_eq!(json_values("[1,2,3]", 3), Err(5));
        // No text has more values than bytes: the shortest values, packed.
        for text in [
            "1",
            "[1,2,3]",
            "[[[[]]]]",
            "{\"\":1}",
            "[\"\",\"\"]",
            "1 2 3",
            "truefalse",
        ] {
            let n = json_values(text, u64::MAX).unwrap();
            assert!(n <= text.len() as u64, "{text:?}: {n}");
            assert_eq!(json_values_within(text, text.len() as u64), Ok(()));
        }
        assert_eq!(json_values_within("[1,2,3]", 3), Err(5));
        assert_eq!(json_values_within("[1,2,3]", 4), Ok(()));
    }

    #[test]
    fn hcl_estimates_grow_with_what_hcl_edit_builds() {
        // Literal text costs nothing, whatever its length; comments neither.
        assert_eq!(
            est("a = \"xxxxxxxxxxxxxxxxxxx\"\n"),
            est("a = \"x\"\n# [x.y, x.y, x.y]\n// z.z\n/* q.q */")
        );
        // An attribute holds its value inline; an array its elements in a vector.
        assert_eq!(est("a = 1\n"), ASSIGNMENT);
        assert_eq!(est("a = [1, b, \"c\"]\n"), ASSIGNMENT + 4 * OPERAND);
        assert_eq!(est("a = f(1, 2)\n"), ASSIGNMENT + 3 * OPERAND);
        // A traversal's first operator costs the boxed traversal and its operator vector; the
        // next ones an operator each, indexes too.
        let one = est("a = x.y\n");
        assert_eq!(one, ASSIGNMENT + FIRST_OPERATOR);
        assert_eq!(est("a = x.y.z\n") - one, NEXT_OPERATOR);
        assert_eq!(est("a = x[0]\n"), one + OPERAND);
        assert_eq!(est("a = x[0].b\n"), one + OPERAND + NEXT_OPERATOR);
        assert_eq!(
            est("a = [x.y, x.y]\n"),
            ASSIGNMENT + OPERAND + 2 * (OPERAND + FIRST_OPERATOR)
        );
        // Interpolations in strings and heredocs are code; `$${` is text.
        let empty = est("a = \"\"\n");
        assert_eq!(
            est("a = \"${x.y}\"\n"),
            empty + INTERPOLATION + FIRST_OPERATOR
        );
        assert_eq!(est("a = \"$${x.y}\"\n"), empty);
        assert_eq!(
            est("a = <<EOT\n  ${x.y} x.y\n  EOT\nb = 1\n"),
            est("a = <<EOT\nEOT\nb = 1\n") + INTERPOLATION + FIRST_OPERATOR
        );
        // The `}` of an interpolation ends it, not an object inside it.
        assert_eq!(
            est("a = \"${ {k = 1}.k }\" # x.y\n"),
            empty + INTERPOLATION + BRACE + ASSIGNMENT + FIRST_OPERATOR
        );
        // Comparisons and `for` arrows are not assignments.
        assert_eq!(est("a = b == c\n"), ASSIGNMENT);
        assert_eq!(est("a = {for k, v in m : k => v}\n"), ASSIGNMENT + BRACE);
        assert_eq!(est("a = [for k in m : k]\n"), ASSIGNMENT + 6 * OPERAND);
    }

    /// The dearest texts there are, token for token, stay within the bound that lets a short
    /// file skip the pass: chains of traversals, arrays of them, interpolations, braces and
    /// assignments, and random mixes of every byte that starts a token.
    #[test]
    fn no_text_costs_more_than_its_bound() {
        let within = |text: &str| {
            let bound = text.len() as u64 * MOST_PER_TOKEN;
            assert!(est(text) <= bound, "{text:?}: {} > {bound}", est(text));
            assert!(hcl_always_within(text.len(), bound));
            assert!(!hcl_always_within(text.len() + 1, bound));
        };
        for text in [
            "a.b",
            "a.b.c.d.e",
            "[a.b,a.b,a.b]",
            "a[0][1][2]",
            "\"${a.b}${a.b}\"",
            "{{{{{{",
            "a=1\nb=2\nc=3\n",
            "x={a=b.c,d=[e.f]}",
            "<<A\n${a.b}\nA\n",
        ] {
            within(text);
        }
        let pieces = [
            "a", ".", "[", "]", "(", ")", "{", "}", "=", "\"", "${", "%{", " ", "\n", "<<E\n",
            "E\n", "0", "*", ",", "#", "//", "/*", "*/", "\\", "==",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..3000 {
            within(&crate::testing::random_text(&pieces, round % 60, &mut seed));
        }
    }

    #[test]
    fn hcl_stops_where_the_limit_is_passed() {
        let text = "locals {\n  a = [x.y, x.y, x.y]\n}\n";
        let whole = est(text);
        let at = hcl_tree_bytes(text, whole - 1).unwrap_err();
        assert_eq!(&text[at..], ".y]\n}\n");
        // Unterminated constructs end with the text.
        for bad in [
            "a = \"${",
            "a = <<EOT\n${x",
            "/* x",
            "a = \"x",
            "}}}}",
            "${",
            "<<",
        ] {
            assert!(hcl_tree_bytes(bad, u64::MAX).is_ok(), "{bad}");
        }
    }
}
