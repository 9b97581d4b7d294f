//! Parsing `.tf` text with hcl-edit, around its known gaps.
//!
//! hcl-edit rejects or misreads three forms that Terraform accepts: an empty heredoc (it
//! reads on to the next line that closes any heredoc of that name, silently swallowing the
//! declarations in between), a key written twice in one object (Terraform keeps the last
//! value), and a line break right after an operator inside a `for` expression. Each is
//! rewritten in a copy of the text into an equivalent form of the same byte length, with
//! every line break kept, so that every span the parser reports is still a span of the
//! original text.

use hcl::edit::parser::{Error, parse_body};
use hcl::edit::structure::Body;

/// Most rewrites tried on one file before its error is reported.
const MAX_RETRIES: usize = 64;

/// Parses `text`, working around hcl-edit's gaps.
pub(crate) fn parse(text: &str) -> Result<Body, Error> {
    let mut patched: Option<Vec<u8>> = patch_empty_heredocs(text);
    for _ in 0..MAX_RETRIES {
        let current = patched
            .as_deref()
            .map_or(text, |b| std::str::from_utf8(b).unwrap_or(text));
        let err = match parse_body(current) {
            Ok(body) => return Ok(body),
            Err(e) => e,
        };
        let mut bytes = current.as_bytes().to_vec();
        let at = err.location().offset();
        let fixed = if err.message().contains("redefined object key") {
            quote_duplicate_key(&mut bytes, at)
        } else if err.message().starts_with("invalid expression") {
            join_line_after_operator(&mut bytes, at)
        } else {
            false
        };
        if !fixed || std::str::from_utf8(&bytes).is_err() {
            return Err(err);
        }
        patched = Some(bytes);
    }
    parse_body(
        patched
            .as_deref()
            .map_or(text, |b| std::str::from_utf8(b).unwrap_or(text)),
    )
}

/// Rewrites every empty heredoc (`<<EOT` directly followed by its closing `EOT` line) as
/// `""`, padded with spaces; `None` when there is none.
fn patch_empty_heredocs(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while let Some(pos) = text[i..].find("<<") {
        let start = i + pos;
        i = start + 2;
        let mut j = i;
        if bytes.get(j) == Some(&b'-') {
            j += 1;
        }
        let ident_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        if j == ident_start || !bytes[ident_start].is_ascii_alphabetic() {
            continue;
        }
        let ident = &text[ident_start..j];
        let line_end = match text[j..].find('\n') {
            Some(n) if text[j..j + n].trim().is_empty() => j + n,
            _ => continue,
        };
        let next = line_end + 1;
        let next_end = text[next..].find('\n').map_or(text.len(), |n| next + n);
        if text[next..next_end].trim() != ident {
            continue;
        }
        let closing = next + text[next..next_end].find(ident).unwrap_or(0) + ident.len();
        let buf = out.get_or_insert_with(|| bytes.to_vec());
        for (k, b) in buf[start..closing].iter_mut().enumerate() {
            if *b != b'\n' && *b != b'\r' {
                *b = match k {
                    0 | 1 => b'"',
                    _ => b' ',
                };
            }
        }
        i = closing;
    }
    out
}

/// At a key that repeats an earlier key of the same object, rewrites `key = ` as
/// `"key"=` (or `"key" = ` as `("key")=`), which the parser takes for a different key and
/// the evaluator for the same one, the later value winning as in Terraform. Needs two
/// spaces around the `=` or `:` to keep the length; false when it cannot.
fn quote_duplicate_key(bytes: &mut [u8], at: usize) -> bool {
    let quoted = bytes.get(at) == Some(&b'"');
    let key_end = if quoted {
        match bytes[at + 1..].iter().position(|&b| b == b'"') {
            Some(n) => at + 1 + n + 1,
            None => return false,
        }
    } else {
        let mut e = at;
        while e < bytes.len()
            && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'_' || bytes[e] == b'-')
        {
            e += 1;
        }
        e
    };
    if key_end == at {
        return false;
    }
    // The separator and the whitespace around it.
    let mut sep = key_end;
    while sep < bytes.len() && (bytes[sep] == b' ' || bytes[sep] == b'\t') {
        sep += 1;
    }
    if !matches!(bytes.get(sep), Some(b'=' | b':')) {
        return false;
    }
    let mut after = sep + 1;
    while after < bytes.len() && (bytes[after] == b' ' || bytes[after] == b'\t') {
        after += 1;
    }
    let room = (sep - key_end) + (after - sep - 1);
    if room < 2 {
        return false;
    }
    let key = bytes[at..key_end].to_vec();
    let separator = bytes[sep];
    let mut rewritten = Vec::with_capacity(after - at);
    if quoted {
        rewritten.push(b'(');
        rewritten.extend_from_slice(&key);
        rewritten.push(b')');
    } else {
        rewritten.push(b'"');
        rewritten.extend_from_slice(&key);
        rewritten.push(b'"');
    }
    rewritten.push(separator);
    rewritten.resize(after - at, b' ');
    bytes[at..after].copy_from_slice(&rewritten);
    true
}

/// When the parser stops at a line break that follows a binary operator, replaces the
/// break (and the indentation after it) with spaces; false when the error is elsewhere.
fn join_line_after_operator(bytes: &mut [u8], at: usize) -> bool {
    // The error points at the line break or at the start of the next line.
    let mut nl = at.min(bytes.len());
    while nl > 0 && matches!(bytes.get(nl), Some(b' ' | b'\t') | None) {
        nl -= 1;
    }
    if bytes.get(nl) != Some(&b'\n') {
        // At the start of the continuation line: look back over its indentation.
        let mut k = at.min(bytes.len());
        while k > 0 && matches!(bytes[k - 1], b' ' | b'\t') {
            k -= 1;
        }
        if k == 0 || bytes[k - 1] != b'\n' {
            return false;
        }
        nl = k - 1;
    }
    let mut end = nl;
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    let before = &bytes[..end];
    let operator = [
        "&&", "||", "==", "!=", "<=", ">=", "=>", "+", "-", "*", "/", "%", "<", ">", "?", ":",
    ]
    .iter()
    .any(|op| before.ends_with(op.as_bytes()));
    if !operator {
        return false;
    }
    for b in &mut bytes[end..=nl] {
        *b = b' ';
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcl::edit::Span;

    #[test]
    fn empty_heredocs_do_not_swallow_what_follows() {
        let text = "variable \"a\" {\n  description = <<EOT\nEOT\n}\n\nlocals {\n  x = <<-EOT\n    text\n  EOT\n}\n";
        let body = parse(text).unwrap();
        assert_eq!(body.blocks().count(), 2);
        let local = body
            .blocks()
            .nth(1)
            .unwrap()
            .body
            .get_attribute("x")
            .unwrap();
        // Spans are spans of the original text.
        assert_eq!(&text[local.span().unwrap()], "x = <<-EOT\n    text\n  EOT");
    }

    #[test]
    fn duplicate_object_keys_parse_with_spans_kept() {
        let text = "locals {\n  o = { a = 1, a = 2, \"b\" = 3, \"b\" = 4 }\n  p = 1\n}\n";
        let body = parse(text).unwrap();
        let p = body
            .blocks()
            .next()
            .unwrap()
            .body
            .get_attribute("p")
            .unwrap();
        assert_eq!(&text[p.span().unwrap()], "p = 1");
        // No room around the `=`: reported.
        assert!(parse("locals {\n  o = { a=1, a=2 }\n}\n").is_err());
    }

    #[test]
    fn line_breaks_after_operators_in_for_expressions() {
        let text =
            "locals {\n  m = {\n    for k in [\"a\"] :\n    k => true &&\n    k == \"a\"\n  }\n}\n";
        assert!(parse(text).is_ok());
        // A genuine error stays an error.
        assert!(parse("locals {\n  x = \n}\n").is_err());
    }
}
