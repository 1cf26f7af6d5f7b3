//! Normalising pasted error text and the fragments of data/errors.yaml the same way, so that a
//! fragment written as Docker prints it is found in a paste whatever its case, quoting, colours
//! or line wrapping.
//!
//! Compiled twice, like `schema.rs`: into the library and into build.rs (through `#[path]`),
//! which normalises every fragment at build time. So it depends on std only.

/// Text after normalisation, with a map back to the lines of the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// ASCII lowercased; quotes and terminal escape sequences removed; every run of white space
    /// and line breaks one space; a carriage return that ends no line written as `\r`.
    pub text: String,
    /// For each line of the original, in order: the offset in `text` where its first kept
    /// character went, and the byte offset of the line in the original.
    pub lines: Vec<(usize, usize)>,
}

/// The quote characters that pastes add, drop or change (`"x"`, `'x'`, `` `x` ``, curly quotes).
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '«' | '»'
    )
}

/// Normalises `input` in one pass, in time linear in its length.
pub fn normalize(input: &str) -> Normalized {
    run(input, None)
}

/// Like [`normalize`], with the byte offset in `input` of every byte of the result: for
/// showing where in a line a fragment was found.
pub fn normalize_mapped(input: &str) -> (Normalized, Vec<usize>) {
    let mut map = Vec::with_capacity(input.len());
    let normalized = run(input, Some(&mut map));
    (normalized, map)
}

// Byte by byte, decoding a character only where a byte is not ASCII: most pastes are ASCII,
// and this runs over every byte of a log.
fn run(input: &str, mut map: Option<&mut Vec<usize>>) -> Normalized {
    let bytes = input.as_bytes();
    let mut out = Normalized {
        text: String::with_capacity(input.len()),
        lines: vec![(0, 0)],
    };
    let mut pending_space = false;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let at = i;
        if is_plain(byte) {
            // A run of bytes that are copied lowercased: the bulk of any log.
            let end = bytes[at..]
                .iter()
                .position(|&b| !is_plain(b))
                .map_or(bytes.len(), |n| at + n);
            if pending_space && !out.text.is_empty() {
                out.text.push(' ');
            }
            pending_space = false;
            let from = out.text.len();
            out.text.push_str(&input[at..end]);
            out.text[from..].make_ascii_lowercase();
            if let Some(map) = map.as_deref_mut() {
                // The space, if one went in, maps to the run's first byte.
                map.resize(from, at);
                map.extend(at..end);
            }
            i = end;
            continue;
        }
        if byte.is_ascii() {
            i += 1;
            match byte {
                0x1b => i = skip_escape(input, i),
                b'\r' if bytes.get(i) == Some(&b'\n') => {}
                b'\r' => push(&mut out.text, &mut pending_space, "\\r"),
                b'\n' => {
                    pending_space = true;
                    let start = out.text.len() + usize::from(!out.text.is_empty());
                    out.lines.push((start, at + 1));
                }
                // White space and control characters.
                0..=0x20 | 0x7f => pending_space = true,
                // Quotes; every other ASCII byte is plain, copied above.
                _ => {}
            }
        } else {
            let c = input[i..].chars().next().unwrap_or_default();
            i += c.len_utf8().max(1);
            if c.is_whitespace() || c.is_control() {
                pending_space = true;
            } else if !is_quote(c) {
                let mut buffer = [0; 4];
                push(
                    &mut out.text,
                    &mut pending_space,
                    c.encode_utf8(&mut buffer),
                );
            }
        }
        if let Some(map) = map.as_deref_mut() {
            map.resize(out.text.len(), at);
        }
    }
    out
}

/// An ASCII byte that is kept as it is, lowercased: printable, and not a quote.
fn is_plain(byte: u8) -> bool {
    (0x21..=0x7e).contains(&byte) && !matches!(byte, b'"' | b'\'' | b'`')
}

fn push(text: &mut String, pending_space: &mut bool, piece: &str) {
    if *pending_space && !text.is_empty() {
        text.push(' ');
    }
    *pending_space = false;
    text.push_str(piece);
}

/// Where the rest of an escape sequence ends, its ESC just read and `i` the next byte: CSI
/// (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`), or a two-character sequence.
/// Bounded by the input.
fn skip_escape(input: &str, mut i: usize) -> usize {
    let bytes = input.as_bytes();
    // The end of the character at `at` (`at` is always on a character boundary).
    let after_char = |at: usize| at + input[at..].chars().next().map_or(0, char::len_utf8);
    match bytes.get(i) {
        Some(b'[') => {
            i += 1;
            while let Some(&byte) = bytes.get(i) {
                i += 1;
                // A final byte; the bytes of a non-ASCII character never are one.
                if (0x40..=0x7e).contains(&byte) {
                    break;
                }
            }
        }
        Some(b']') => {
            i += 1;
            while let Some(&byte) = bytes.get(i) {
                i += 1;
                if byte == 0x07 {
                    break;
                }
                if byte == 0x1b {
                    i = after_char(i);
                    break;
                }
            }
        }
        Some(_) => i = after_char(i),
        None => {}
    }
    i
}

/// A fragment of a pattern, normalised as pasted text is.
pub fn fragment(text: &str) -> String {
    normalize(text.trim()).text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, a character at a time: what `run` does byte by byte.
    fn by_chars(input: &str) -> (Normalized, Vec<usize>) {
        let mut out = Normalized {
            text: String::new(),
            lines: vec![(0, 0)],
        };
        let mut map = Vec::new();
        let mut chars = input.char_indices().peekable();
        let mut pending_space = false;
        while let Some((at, c)) = chars.next() {
            match c {
                '\u{1b}' => match chars.next() {
                    Some((_, '[')) => {
                        for (_, c) in chars.by_ref() {
                            if ('\u{40}'..='\u{7e}').contains(&c) {
                                break;
                            }
                        }
                    }
                    Some((_, ']')) => {
                        while let Some((_, c)) = chars.next() {
                            if c == '\u{7}' {
                                break;
                            }
                            if c == '\u{1b}' {
                                chars.next();
                                break;
                            }
                        }
                    }
                    _ => {}
                },
                '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {}
                '\r' => push(&mut out.text, &mut pending_space, "\\r"),
                '\n' => {
                    pending_space = true;
                    let start = out.text.len() + usize::from(!out.text.is_empty());
                    out.lines.push((start, at + 1));
                }
                c if c.is_whitespace() || c.is_control() => pending_space = true,
                c if is_quote(c) => {}
                c => {
                    let mut buffer = [0; 4];
                    let lower = c.to_ascii_lowercase();
                    push(
                        &mut out.text,
                        &mut pending_space,
                        lower.encode_utf8(&mut buffer),
                    );
                }
            }
            map.resize(out.text.len(), at);
        }
        (out, map)
    }

    proptest! {
        #[test]
        fn byte_by_byte_is_the_same_as_by_characters(
            input in "([a-zA-Z0-9 :/.\\-]|[\\x00-\\x1f\\x7f]|\\x1b[\\[\\]]?|[\"'`«»é€\\u{85}\\u{a0}\\u{2028}\\u{2018}\\u{201c}\\u{1F600}]){0,40}"
        ) {
            let (expected, expected_map) = by_chars(&input);
            prop_assert_eq!(normalize(&input), expected.clone());
            prop_assert_eq!(normalize_mapped(&input), (expected, expected_map));
        }
    }

    #[test]
    fn case_quotes_colours_and_spaces_do_not_matter() {
        let n = normalize(
            "docker: \u{1b}[31mError\u{1b}[0m response  from\n  \"Daemon\": `x` \u{2018}y\u{2019}",
        );
        assert_eq!(n.text, "docker: error response from daemon: x y");
    }

    #[test]
    fn crlf_ends_lines_and_a_lone_cr_is_written_out() {
        let n = normalize("a\r\nb 'bash\r': No such file");
        assert_eq!(n.text, "a b bash\\r: no such file");
        assert_eq!(n.lines, [(0, 0), (2, 3)]);
    }

    #[test]
    fn lines_map_back_to_the_original() {
        let source = "first line\n\n  Second\n";
        let n = normalize(source);
        assert_eq!(n.text, "first line second");
        let (at, original) = n.lines[2];
        assert_eq!(&n.text[at..at + 6], "second");
        assert_eq!(&source[original..original + 8], "  Second");
    }

    #[test]
    fn the_map_points_each_byte_back_to_its_source() {
        let (n, map) = normalize_mapped("A  \"b\"");
        assert_eq!(n.text, "a b");
        assert_eq!(map, [0, 4, 4]);
    }

    #[test]
    fn fragments_are_normalised_like_text() {
        assert_eq!(
            fragment(" Could not select device driver \"\" "),
            "could not select device driver"
        );
    }
}
