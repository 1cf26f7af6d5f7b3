//! Unstyled output: the markdown that dterms itself writes, laid out as plain wrapped text with
//! no escape codes, the way termimad's style-less skin would, at a fraction of its cost.
//!
//! termimad renders one compound (a run of same-styled text) at a time through crossterm even
//! when there is no style to apply, which made it three quarters of the work of a piped
//! `show`. Output for people on a terminal still goes through termimad; a test checks that
//! both say the same words.

/// Lays out markdown as plain text at `width` columns: headings lose their `#`, inline marks
/// (`**`, `*`, `` ` ``, `~~`) go, paragraphs are wrapped, list items and quotes wrap with a
/// hanging indent, and code blocks are indented by two spaces; in them only `# ` comments wrap.
pub fn plain_text(markdown: &str, width: usize) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 8);
    let mut in_code = false;
    // One buffer for the text of every line with its marks removed.
    let mut buf = String::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            // A comment wraps as more comment lines; a command stays whole for copy and paste.
            match line.strip_prefix("# ") {
                Some(comment) => wrap_into(&mut out, comment, width, "  # ", "  # "),
                None => {
                    out.push_str("  ");
                    out.push_str(line.trim_end());
                }
            }
        } else if let Some(heading) = heading(line) {
            wrap_into(&mut out, strip_marks(&mut buf, heading), width, "", "");
        } else if let Some(item) = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")) {
            wrap_into(&mut out, strip_marks(&mut buf, item), width, "* ", "  ");
        } else if let Some(quote) = line.strip_prefix("> ") {
            wrap_into(&mut out, strip_marks(&mut buf, quote), width, "| ", "| ");
        } else {
            wrap_into(&mut out, strip_marks(&mut buf, line), width, "", "");
        }
        out.push('\n');
    }
    out
}

fn heading(line: &str) -> Option<&str> {
    let text = line.trim_start_matches('#');
    (text.len() < line.len() && text.starts_with(' ')).then(|| text.trim_start())
}

/// Removes inline markdown marks; inside a code span every character is kept as written, and
/// outside one a backslash keeps the mark after it (`\*` is a star), as termimad does. The
/// result is written over `out`, and returned.
fn strip_marks<'b>(out: &'b mut String, text: &str) -> &'b str {
    out.clear();
    let bytes = text.as_bytes();
    let mut in_code = false;
    // Every mark is ASCII, so runs of other text are copied whole between marks.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(eight) = bytes.get(i..i + 8) {
            // Straight to the first byte that can be a mark, or past all eight.
            match first_mark(eight) {
                None => {
                    i += 8;
                    continue;
                }
                Some(at) => i += at,
            }
        }
        let mark = match bytes[i] {
            b'`' => {
                in_code = !in_code;
                1
            }
            b'\\'
                if !in_code
                    && matches!(bytes.get(i + 1), Some(b'*' | b'~' | b'|' | b'`' | b'\\')) =>
            {
                1
            }
            b'*' if !in_code => 1,
            b'~' if !in_code && bytes.get(i + 1) == Some(&b'~') => 2,
            _ => 0,
        };
        if mark == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..i]);
        i += mark;
        copied = i;
        if bytes[i - mark] == b'\\' {
            // The escaped character is kept as text.
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the first byte that can be a mark (`` ` ``, `\\`, `*` or `~`) is among eight bytes,
/// tested in one 64-bit word: a byte equal to the mark is zero after the XOR, and subtracting
/// one from a zero byte sets its top bit. A borrow can also set the bit of a byte after a zero
/// byte, never before one, so the lowest bit set is exact.
fn first_mark(eight: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut word = [0; 8];
    word.copy_from_slice(eight);
    let w = u64::from_le_bytes(word);
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let found = [b'`', b'\\', b'*', b'~'].iter().fold(0, |found, &mark| {
        found | zeros(w ^ (ONES * u64::from(mark)))
    });
    (found != 0).then(|| found.trailing_zeros() as usize / 8)
}

/// Greedy word wrap of one line of text into `out`, `first` before the first line and `rest`
/// before the others. A word longer than the line gets a line of its own, unbroken.
fn wrap_into(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    // Most text is ASCII: then bytes are columns, and splitting needs no UTF-8 decoding.
    if is_single_spaced(text) {
        wrap_spaced(out, text, width, first, rest);
    } else if text.is_ascii() {
        wrap_words(out, text.split_ascii_whitespace(), width, first, rest);
    } else {
        wrap_words(out, text.split_whitespace(), width, first, rest);
    }
}

/// Whether the words of `text` are separated by single spaces, with none before the first or
/// after the last and no other white space: then each line of the wrap is one slice of it.
/// One pass over the bytes; a character is decoded only where one of Unicode's other spaces
/// could start (they all begin 0xc2, 0xe1, 0xe2 or 0xe3).
fn is_single_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut after_space = false;
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if after_space => return false,
            b' ' => {
                after_space = true;
                continue;
            }
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return false,
            0xc2 | 0xe1 | 0xe2 | 0xe3
                if text[at..].chars().next().is_some_and(char::is_whitespace) =>
            {
                return false;
            }
            _ => {}
        }
        after_space = false;
    }
    true
}

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// Columns of `text`: one per character, as the word-by-word wrap counts them.
fn columns(text: &str) -> usize {
    text.bytes().filter(|&b| starts_char(b)).count()
}

/// The byte where the character at column `column` starts, if `text` is wider than that.
fn byte_at_column(text: &str, column: usize) -> Option<usize> {
    let mut seen = 0;
    for (at, &b) in text.as_bytes().iter().enumerate() {
        if starts_char(b) {
            if seen == column {
                return Some(at);
            }
            seen += 1;
        }
    }
    None
}

/// The same greedy wrap as [`wrap_words`] for single-spaced text, a line at a time: the line
/// ends at the last space that still fits, or after the first word when none does.
fn wrap_spaced(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    let ascii = text.is_ascii();
    let mut left = text;
    let mut prefix = first;
    while !left.is_empty() {
        out.push_str(prefix);
        let room = width.saturating_sub(columns(prefix));
        // The byte at column `room`, if the rest is wider than the room.
        let over = if ascii {
            (left.len() > room).then_some(room)
        } else {
            byte_at_column(left, room)
        };
        let end = match over {
            None => left.len(),
            Some(over) => match left.as_bytes()[..=over].iter().rposition(|&b| b == b' ') {
                Some(space) if space > 0 => space,
                _ => left.find(' ').unwrap_or(left.len()),
            },
        };
        out.push_str(&left[..end]);
        left = left.get(end + 1..).unwrap_or("");
        if !left.is_empty() {
            out.push('\n');
        }
        prefix = rest;
    }
}

fn wrap_words<'a>(
    out: &mut String,
    words: impl Iterator<Item = &'a str>,
    width: usize,
    first: &str,
    rest: &str,
) {
    let width_of = |s: &str| {
        if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        }
    };
    let mut line_len = 0;
    let mut started = false;
    for word in words {
        let word_len = width_of(word);
        if !started {
            out.push_str(first);
            line_len = width_of(first);
            started = true;
        } else if line_len + 1 + word_len > width {
            out.push('\n');
            out.push_str(rest);
            line_len = width_of(rest);
        } else {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word_len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_go_and_code_spans_keep_their_contents() {
        let mut buf = String::from("left over");
        assert_eq!(
            strip_marks(&mut buf, "**bold** *it* ~~link~~ `a*b~~c`"),
            "bold it link a*b~~c"
        );
        assert_eq!(
            strip_marks(&mut buf, r"\*.yaml \`x\` a\\b c\d"),
            r"*.yaml `x` a\b c\d"
        );
    }

    #[test]
    fn marks_are_found_in_every_lane() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut eight = *b"abcdefgh";
                eight[lane] = b;
                let expected = b"`\\*~".contains(&b).then_some(lane);
                assert_eq!(first_mark(&eight), expected, "{b:#x} at {lane}");
                // A mark after the lane is never reported before it.
                eight[7] = b'*';
                let expected = if b"`\\*~".contains(&b) { lane } else { 7 };
                assert_eq!(
                    first_mark(&eight),
                    Some(expected),
                    "{b:#x} at {lane}, * last"
                );
            }
        }
        let mut buf = String::new();
        assert_eq!(
            strip_marks(
                &mut buf,
                "a long run of plain words, then **bold** after them"
            ),
            "a long run of plain words, then bold after them"
        );
    }

    #[test]
    fn blocks_are_laid_out_like_termimad() {
        let md = "# Title\n\n**Summary** text\n\n* item that wraps\n> a quote that wraps\n\n```\n# note\ncmd --flag\n```\n";
        assert_eq!(
            plain_text(md, 12),
            "Title\n\nSummary text\n\n* item that\n  wraps\n| a quote\n| that wraps\n\n  # note\n  cmd --flag\n"
        );
    }

    proptest::proptest! {
        /// Text is single-spaced exactly when joining its words with one space gives it back.
        #[test]
        fn single_spaced_means_words_joined_by_one_space(
            text in "[a é…\u{a0}\u{85}\u{1680}\u{2003}\u{2028}\u{202f}\u{3000}\u{b}\t\n]{0,12}",
        ) {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_single_spaced(&text), joined == text);
        }

        /// Wrapping a line at a time gives exactly what wrapping word by word gives.
        #[test]
        fn slices_wrap_as_words_do(
            words in proptest::collection::vec("[a-zé…→中]{1,12}", 0..30),
            width in 1usize..40,
            first in "[*| ]{0,3}",
            rest in "[ |]{0,3}",
        ) {
            let text = words.join(" ");
            let mut by_words = String::new();
            wrap_words(&mut by_words, text.split_whitespace(), width, &first, &rest);
            let mut by_slices = String::new();
            wrap_spaced(&mut by_slices, &text, width, &first, &rest);
            proptest::prop_assert_eq!(by_slices, by_words);
        }
    }

    #[test]
    fn long_words_are_not_broken() {
        assert_eq!(
            plain_text("see https://example.com/long/path", 10),
            "see\nhttps://example.com/long/path\n"
        );
    }
}
