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
    // Scratch room for a line with its marks removed, and with its spacing made single.
    let mut buf = String::new();
    let mut spaced = String::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            // A comment wraps as more comment lines; a command stays whole for copy and paste.
            match line.strip_prefix("# ") {
                Some(comment) => wrap_into(&mut out, &mut spaced, comment, width, "  # ", "  # "),
                None => {
                    out.push_str("  ");
                    out.push_str(line.trim_end());
                }
            }
        } else if let Some(heading) = heading(line) {
            wrap_into(
                &mut out,
                &mut spaced,
                strip_marks(&mut buf, heading),
                width,
                "",
                "",
            );
        } else if let Some(item) = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")) {
            wrap_into(
                &mut out,
                &mut spaced,
                strip_marks(&mut buf, item),
                width,
                "* ",
                "  ",
            );
        } else if let Some(quote) = line.strip_prefix("> ") {
            wrap_into(
                &mut out,
                &mut spaced,
                strip_marks(&mut buf, quote),
                width,
                "| ",
                "| ",
            );
        } else {
            wrap_into(
                &mut out,
                &mut spaced,
                strip_marks(&mut buf, line),
                width,
                "",
                "",
            );
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
/// before the others. A word longer than the line gets a line of its own, unbroken. Words are
/// separated by any white space and joined by one space, as `split_whitespace` splits them;
/// `spaced` is scratch room for the text with its spacing made single, when it is not already.
fn wrap_into(
    out: &mut String,
    spaced: &mut String,
    text: &str,
    width: usize,
    first: &str,
    rest: &str,
) {
    wrap_spaced(out, single_spaced(spaced, text), width, first, rest);
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` from `at` as one little-endian word, zero past the end.
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    match bytes.get(at..at + 8) {
        Some(eight) => word.copy_from_slice(eight),
        None => {
            let tail = bytes.get(at..).unwrap_or_default();
            word[..tail.len()].copy_from_slice(tail);
        }
    }
    u64::from_le_bytes(word)
}

/// The top bit of every byte of `word` equal to `byte`, exactly (no borrow between bytes): the
/// low seven bits plus 0x7f carry into the top bit unless they are zero.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & !HIGH).wrapping_add(ONES * 0x7f)) | x) & HIGH
}

/// `text` without white space before its first word or after its last, with every run of
/// white space between words made one space: borrowed when it already is (nearly always),
/// else written over `spaced`.
fn single_spaced<'t>(spaced: &'t mut String, text: &'t str) -> &'t str {
    let text = text.trim();
    let Some(mut at) = irregular_space(text, 0) else {
        return text;
    };
    spaced.clear();
    let mut copied = 0;
    loop {
        // The run of white space around `at`: a single space may come just before it.
        let start = if at > 0 && text.as_bytes()[at - 1] == b' ' {
            at - 1
        } else {
            at
        };
        let after = text.get(at..).unwrap_or_default();
        let end = at
            + after
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(after.len());
        spaced.push_str(text.get(copied..start).unwrap_or_default());
        spaced.push(' ');
        copied = end;
        match irregular_space(text, end) {
            Some(next) => at = next,
            None => break,
        }
    }
    spaced.push_str(text.get(copied..).unwrap_or_default());
    spaced
}

/// Whether the words of `text` are separated by single spaces, with none before the first or
/// after the last and no other white space: then each line of the wrap is one slice of it.
#[cfg(test)]
fn is_single_spaced(text: &str) -> bool {
    text.trim().len() == text.len() && irregular_space(text, 0).is_none()
}

/// The first white space at or after `from` (a character start, not after a space) that is not
/// a single space after a non-space: a second space, a tab or line break, or one of Unicode's
/// other spaces. Eight bytes at a time in a 64-bit word; a character is decoded only where one
/// of Unicode's other spaces could start (they all begin 0xc2, 0xe1, 0xe2 or 0xe3).
fn irregular_space(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // The top bit of the first byte's lane when the byte before the word is a space.
    let mut space_before = 0;
    let mut at = from;
    while at < bytes.len() {
        let word = word_at(bytes, at);
        let ascii = !word & HIGH;
        let low = word & !HIGH;
        let spaces = bytes_equal(word, b' ');
        // Tab, line feed, vertical tab, form feed, carriage return: 0x09 to 0x0d. On seven
        // bits, adding 0x77 reaches the top bit from 0x09 up, adding 0x72 from 0x0e up.
        let breaks = low.wrapping_add(ONES * 0x77) & !low.wrapping_add(ONES * 0x72) & ascii;
        let doubled = spaces & ((spaces << 8) | space_before);
        // 0xe0 is let in with 0xe1 to 0xe3, and decoded like them: it starts no space.
        let mut leads = bytes_equal(word, 0xc2) | bytes_equal(word & (ONES * 0xfc), 0xe0);
        let mut found = doubled | breaks;
        while leads != 0 {
            let lane = leads.trailing_zeros() as usize / 8;
            let c = text.get(at + lane..).and_then(|s| s.chars().next());
            if c.is_some_and(char::is_whitespace) {
                found |= 0x80 << (lane * 8);
            }
            leads &= leads - 1;
        }
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        space_before = (spaces >> 56) & 0x80;
        at += 8;
    }
    None
}

/// How many bytes of `bytes` continue a character (0b10xx_xxxx) rather than start one.
fn continuation_bytes(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let word = word_at(chunk, 0);
        if word & HIGH != 0 {
            count += (word & !(word << 1) & HIGH).count_ones() as usize;
        }
    }
    count
        + chunks
            .remainder()
            .iter()
            .filter(|&&b| !starts_char(b))
            .count()
}

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// Columns of `text`: one per character, as the word-by-word wrap counts them.
fn columns(text: &str) -> usize {
    text.len() - continuation_bytes(text.as_bytes())
}

/// The byte where the character at column `column` starts, if `text` is wider than that.
/// Each character is at least one byte, so `column` characters end at `column` bytes plus
/// the continuation bytes among them: counted a stretch at a time until none are new.
fn byte_at_column(text: &str, column: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = column;
    let mut counted = 0;
    let mut continuations = 0;
    loop {
        continuations += continuation_bytes(bytes.get(counted..end)?);
        counted = end;
        end = column + continuations;
        if end == counted {
            break;
        }
    }
    // `end` may fall inside the last character counted: its start is further on.
    let over = end
        + bytes
            .get(end..)?
            .iter()
            .take_while(|&&b| !starts_char(b))
            .count();
    (over < bytes.len()).then_some(over)
}

/// Greedy wrap of single-spaced text (see [`single_spaced`]), a line at a time: the line ends
/// at the last space that still fits, or after the first word when none does.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule every fast path is held to: words as `split_whitespace` finds them, one at a
    /// time, counted in characters.
    fn wrap_words(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
        let mut line_len = 0;
        let mut started = false;
        for word in text.split_whitespace() {
            let word_len = word.chars().count();
            if !started {
                out.push_str(first);
                line_len = first.chars().count();
                started = true;
            } else if line_len + 1 + word_len > width {
                out.push('\n');
                out.push_str(rest);
                line_len = rest.chars().count();
            } else {
                out.push(' ');
                line_len += 1;
            }
            out.push_str(word);
            line_len += word_len;
        }
    }

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

    /// Text for the property tests: ASCII letters and marks, every kind of white space
    /// (ASCII and Unicode's), characters of two, three and four bytes (one of them wide on a
    /// terminal), a combining mark, and the lead bytes that could start a space (0xc2, 0xe0 to
    /// 0xe3) in characters that are not one.
    const MIXED: &str = "[a-c*`~\\\\ é…→中🐳\u{301}\u{800}\u{a0}\u{a9}\u{85}\u{1680}\u{1681}\u{2003}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}\u{b}\u{c}\u{1c}\t\r\n]";

    fn mixed(max: usize) -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex(&format!("{MIXED}{{0,{max}}}")).expect("a valid regex")
    }

    proptest::proptest! {
        /// Text is single-spaced exactly when joining its words with one space gives it back,
        /// wherever the spaces fall against the eight-byte steps.
        #[test]
        fn single_spaced_means_words_joined_by_one_space(text in mixed(40)) {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_single_spaced(&text), joined == text);
            let mut spaced = String::from("left over");
            proptest::prop_assert_eq!(single_spaced(&mut spaced, &text), joined);
        }

        /// Mostly single-spaced text with the odd irregular space: what the scan skips.
        #[test]
        fn long_runs_are_made_single_spaced(
            words in proptest::collection::vec("[a-zé→中🐳]{1,9}", 1..20),
            gaps in proptest::collection::vec(mixed(3), 1..20),
        ) {
            let mut text = String::new();
            for (i, word) in words.iter().enumerate() {
                text.push_str(word);
                text.push_str(if i % 3 == 2 { &gaps[i % gaps.len()] } else { " " });
            }
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut spaced = String::new();
            proptest::prop_assert_eq!(single_spaced(&mut spaced, &text), joined);
        }

        /// Columns and the byte of a column, counted a word at a time, are the characters'.
        #[test]
        fn columns_are_characters(text in mixed(40), column in 0usize..45) {
            proptest::prop_assert_eq!(columns(&text), text.chars().count());
            let expected = text.char_indices().nth(column).map(|(at, _)| at);
            proptest::prop_assert_eq!(byte_at_column(&text, column), expected);
        }

        /// Wrapping a line at a time gives exactly what wrapping word by word gives.
        #[test]
        fn slices_wrap_as_words_do(
            words in proptest::collection::vec("[a-zé…→中🐳\u{301}]{1,12}", 0..30),
            width in 1usize..40,
            first in "[*| ]{0,3}",
            rest in "[ |]{0,3}",
        ) {
            let text = words.join(" ");
            let mut by_words = String::new();
            wrap_words(&mut by_words, &text, width, &first, &rest);
            let mut by_slices = String::new();
            wrap_spaced(&mut by_slices, &text, width, &first, &rest);
            proptest::prop_assert_eq!(by_slices, by_words);
        }

        /// Any text, however it is spaced, wraps as its words do.
        #[test]
        fn any_text_wraps_as_words_do(
            text in mixed(60),
            width in 1usize..30,
            first in "[*| #]{0,4}",
            rest in "[ |#]{0,4}",
        ) {
            let mut by_words = String::new();
            wrap_words(&mut by_words, &text, width, &first, &rest);
            let mut wrapped = String::from("before ");
            let mut spaced = String::from("left over");
            wrap_into(&mut wrapped, &mut spaced, &text, width, &first, &rest);
            proptest::prop_assert_eq!(wrapped, format!("before {by_words}"));
        }
    }

    #[test]
    fn irregular_spaces_are_found_in_every_lane() {
        let spaces = [
            " ",
            "  ",
            "\t",
            " \t",
            "\n",
            "\u{b}",
            "\u{c}",
            "\r",
            "\u{85}",
            "\u{a0}",
            " \u{a0}",
            "\u{1680}",
            "\u{2003}",
            "\u{2028}",
            "\u{205f}",
            " \u{3000}",
            "\u{1c}",
            "\u{a9}",
            "\u{800}",
            "\u{3001}",
        ];
        for lead in ["", "é", "→", "🐳"] {
            for before in 0..20 {
                for space in spaces {
                    let text = format!("{lead}{}{space}b", "a".repeat(before));
                    // The first white space that is not one space after a non-space.
                    let mut previous = 'a';
                    let expected = text.char_indices().find_map(|(at, c)| {
                        let irregular = c.is_whitespace() && (c != ' ' || previous == ' ');
                        previous = c;
                        irregular.then_some(at)
                    });
                    assert_eq!(irregular_space(&text, 0), expected, "{text:?}");
                }
            }
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
