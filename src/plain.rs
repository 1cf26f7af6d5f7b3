//! Unstyled output: the markdown that dterms itself writes, laid out as plain wrapped text with
//! no escape codes, the way termimad's style-less skin would, at a fraction of its cost.
//!
//! termimad renders one compound (a run of same-styled text) at a time through crossterm even
//! when there is no style to apply, which made it three quarters of the work of a piped
//! `show`. Output for people on a terminal still goes through termimad; a test checks that
//! both say the same words.

/// Lays out markdown as plain text at `width` columns: headings lose their `#`, inline marks
/// (`**`, `*`, `` ` ``, `~~`) go, the lines of a paragraph are joined (see [`logical_lines`])
/// and wrapped, list items and quotes wrap with a
/// hanging indent, and code blocks are indented by two spaces; in them only `# ` comments wrap.
pub fn plain_text(markdown: &str, width: usize) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 8);
    let mut in_code = false;
    // Scratch room for a line with its marks removed, and with its spacing made single.
    let mut buf = String::new();
    let mut spaced = String::new();
    for line in logical_lines(markdown) {
        let line = &*line;
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            // A comment wraps as more comment lines; a command stays whole for copy and paste.
            match line.strip_prefix("# ") {
                Some(comment) => {
                    wrap_into(&mut out, &mut spaced, comment, false, width, "  # ", "  # ")
                }
                None => {
                    out.push_str("  ");
                    out.push_str(line.trim_end());
                }
            }
        } else {
            let (text, first, rest) = if let Some(heading) = heading(line) {
                (heading, "", "")
            } else if let Some(item) = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")) {
                (item, "* ", "  ")
            } else if let Some(quote) = line.strip_prefix("> ") {
                (quote, "| ", "| ")
            } else {
                (line, "", "")
            };
            let (text, single) = strip_marks(&mut buf, text);
            wrap_into(&mut out, &mut spaced, text, single, width, first, rest);
        }
        out.push('\n');
    }
    out
}

/// The lines of markdown with the lines of each paragraph and list item joined by a space, as
/// markdown reads them (termimad, unlike markdown, breaks the line wherever the source does).
/// Code blocks, headings and the lines that start a block are kept as they are.
pub(crate) fn logical_lines(markdown: &str) -> LogicalLines<'_> {
    LogicalLines {
        lines: Lines { text: markdown }.peekable(),
        in_code: false,
    }
}

/// The iterator of [`logical_lines`]: a line is borrowed unless others were joined to it.
pub(crate) struct LogicalLines<'a> {
    lines: std::iter::Peekable<Lines<'a>>,
    in_code: bool,
}

/// The lines of a text as `str::lines` gives them (a line feed ends a line, and a carriage
/// return just before it goes too), with each line feed found eight bytes at a time.
struct Lines<'a> {
    text: &'a str,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.text.is_empty() {
            return None;
        }
        let newline = scan_words(self.text, 0, false, |word, _, _| {
            zero_lanes(word ^ (ONES * u64::from(b'\n')))
        });
        let (line, rest) = match newline {
            Some(at) => {
                let line = &self.text[..at];
                (
                    line.strip_suffix('\r').unwrap_or(line),
                    &self.text[at + 1..],
                )
            }
            None => (self.text, ""),
        };
        self.text = rest;
        Some(line)
    }
}

impl<'a> Iterator for LogicalLines<'a> {
    type Item = std::borrow::Cow<'a, str>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.lines.next()?;
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            self.in_code = !self.in_code;
            return Some(line.into());
        }
        if self.in_code || trimmed.is_empty() || trimmed.starts_with('#') {
            return Some(line.into());
        }
        let mut joined: Option<String> = None;
        while let Some(next) = self.lines.peek() {
            let next = next.trim_start();
            if next.is_empty() || next.starts_with("```") || starts_block(next) {
                break;
            }
            let joined = joined.get_or_insert_with(|| line.to_owned());
            joined.push(' ');
            joined.push_str(next);
            self.lines.next();
        }
        Some(joined.map_or(line.into(), Into::into))
    }
}

/// Whether a markdown line starts a block of its own rather than continuing a paragraph.
fn starts_block(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && line[digits..].starts_with(". ");
    ordered
        || ["* ", "- ", "+ ", "> ", "#", "|"]
            .iter()
            .any(|p| line.starts_with(p))
}

fn heading(line: &str) -> Option<&str> {
    let text = line.trim_start_matches('#');
    (text.len() < line.len() && text.starts_with(' ')).then(|| text.trim_start())
}

/// Removes inline markdown marks; inside a code span every character is kept as written, and
/// outside one a backslash keeps the mark after it (`\*` is a star), as termimad does. The
/// result is `text` itself when it has no mark, else written over `out`; with it, whether its
/// words are separated by single spaces (see [`single_spaced`]), found in the same pass.
fn strip_marks<'b>(out: &'b mut String, text: &'b str) -> (&'b str, bool) {
    out.clear();
    let bytes = text.as_bytes();
    let mut in_code = false;
    // Removing marks keeps every white space character, and puts side by side only the text
    // either side of them: the spacing is single unless the text has irregular spacing of its
    // own, a removed mark leaves two spaces together, or the result starts or ends with one.
    let mut single = true;
    // Every mark is ASCII, so runs of other text are copied whole between marks.
    let mut copied = 0;
    let mut i = 0;
    while let Some(at) = next_mark(text, i, in_code, single) {
        i = at;
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
            b'\\' | b'*' | b'~' => 0,
            // Not a mark: the first irregular space.
            _ => {
                single = false;
                0
            }
        };
        if mark == 0 {
            i += 1;
            continue;
        }
        push_run(out, &text[copied..i], &mut single);
        i += mark;
        copied = i;
        if bytes[i - mark] == b'\\' {
            // The escaped character is kept as text.
            i += 1;
        }
    }
    let stripped = if copied == 0 {
        text
    } else {
        push_run(out, &text[copied..], &mut single);
        out
    };
    let single = single && stripped.trim().len() == stripped.len();
    (stripped, single)
}

/// Appends a run of text between marks, noting when it puts two spaces side by side.
fn push_run(out: &mut String, run: &str, single: &mut bool) {
    if run.starts_with(' ') && out.ends_with(' ') {
        *single = false;
    }
    out.push_str(run);
}

/// The first byte at or after `from` that can be a mark: in a code span only a backtick (which
/// ends it), elsewhere also a backslash, a star or a tilde; and when `spaces`, also the first
/// irregular space (see [`irregular_space`]). Eight bytes at a time (see [`mark_lanes`]).
fn next_mark(text: &str, from: usize, in_code: bool, spaces: bool) -> Option<usize> {
    // One loop for each case, each with only its own tests.
    match (in_code, spaces) {
        (false, false) => scan_words(text, from, false, |word, _, _| mark_lanes(word)),
        (true, false) => scan_words(text, from, false, |word, _, _| backtick_lanes(word)),
        (false, true) => scan_words(text, from, true, |word, at, space_before| {
            mark_lanes(word) | irregular_lanes(text, at, word, space_before)
        }),
        (true, true) => scan_words(text, from, true, |word, at, space_before| {
            backtick_lanes(word) | irregular_lanes(text, at, word, space_before)
        }),
    }
}

/// Runs `lanes` over `text` eight bytes at a time from `from` (the last word padded with zero
/// bytes) and says where the lowest lane it marks is. `lanes` is given the word, where it
/// starts, and, when `track_spaces`, the top bit of its first byte when the byte before it is a
/// space (else 0).
#[inline(always)]
fn scan_words(
    text: &str,
    from: usize,
    track_spaces: bool,
    lanes: impl Fn(u64, usize, u64) -> u64,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let rest = bytes.get(from..)?;
    let mut space_before = 0;
    if track_spaces && from > 0 && bytes.get(from - 1) == Some(&b' ') {
        space_before = 0x80;
    }
    let mut at = from;
    let mut words = rest.chunks_exact(8);
    for eight in &mut words {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        let found = lanes(word, at, space_before);
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        if track_spaces {
            space_before = (space_lanes(word) >> 56) & 0x80;
        }
        at += 8;
    }
    let tail = words.remainder();
    if tail.is_empty() {
        return None;
    }
    let found = lanes(word_at(tail, 0), at, space_before);
    (found != 0).then(|| at + found.trailing_zeros() as usize / 8)
}

/// The first byte at or after `from` that markdown escaping must put a backslash before (`*`,
/// `~`, `` ` ``, `|` or `\\`), found eight bytes at a time (see [`zero_lanes`]).
pub(crate) fn next_escapable(text: &str, from: usize) -> Option<usize> {
    scan_words(text, from, false, |word, _, _| {
        mark_lanes(word) | zero_lanes(word ^ (ONES * u64::from(b'|')))
    })
}

/// The top bit of each backtick among eight bytes, as [`zero_lanes`] says: the lowest is exact.
#[inline(always)]
fn backtick_lanes(word: u64) -> u64 {
    zero_lanes(word ^ (ONES * u64::from(b'`')))
}

/// The top bit of zero bytes of `v`, and maybe of bytes after one: subtracting one from a zero
/// byte sets its top bit, and its borrow can set the bit of a later byte, never of an earlier
/// one, so the lowest bit set is exact.
#[inline(always)]
fn zero_lanes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGH
}

/// Where the bytes that can be a mark (`` ` ``, `\\`, `*` or `~`) are among eight, as
/// [`zero_lanes`] says: the lowest is exact.
#[inline(always)]
fn mark_lanes(word: u64) -> u64 {
    [b'`', b'\\', b'*', b'~'].iter().fold(0, |found, &mark| {
        found | zero_lanes(word ^ (ONES * u64::from(mark)))
    })
}

/// Where the first byte that can be a mark is among eight bytes.
#[cfg(test)]
fn first_mark(eight: &[u8]) -> Option<usize> {
    let found = mark_lanes(word_at(eight, 0));
    (found != 0).then(|| found.trailing_zeros() as usize / 8)
}

/// Greedy word wrap of one line of text into `out`, `first` before the first line and `rest`
/// before the others. A word longer than the line gets a line of its own, unbroken. Words are
/// separated by any white space and joined by one space, as `split_whitespace` splits them;
/// unless `single` says the text is already single-spaced, it is checked, and made so in
/// `spaced` if need be.
fn wrap_into(
    out: &mut String,
    spaced: &mut String,
    text: &str,
    single: bool,
    width: usize,
    first: &str,
    rest: &str,
) {
    let text = if single {
        text
    } else {
        single_spaced(spaced, text)
    };
    wrap_spaced(out, text, width, first, rest);
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
#[inline(always)]
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
/// other spaces. Eight bytes at a time (see [`irregular_lanes`]).
fn irregular_space(text: &str, from: usize) -> Option<usize> {
    scan_words(text, from, true, |word, at, space_before| {
        irregular_lanes(text, at, word, space_before)
    })
}

/// For the eight bytes `word` of `text` at `at`: the top bit of each byte that starts an
/// irregular space (see [`irregular_space`]), exactly. `space_before` is the top bit of the
/// first byte when the byte before `at` is a space.
#[inline(always)]
fn irregular_lanes(text: &str, at: usize, word: u64, space_before: u64) -> u64 {
    let low = word & !HIGH;
    // On seven bits nothing carries out of a byte: adding 0x5f reaches the top bit from 0x21
    // up, adding 0x60 (in space_lanes) from 0x20 up.
    let below_bang = !low.wrapping_add(ONES * 0x5f) & !word & HIGH;
    let spaces = space_lanes(word);
    let mut found = spaces & ((spaces << 8) | space_before);
    let controls = below_bang & !spaces;
    if controls != 0 {
        // Tab, line feed, vertical tab, form feed, carriage return: 0x09 to 0x0d.
        found |= controls & low.wrapping_add(ONES * 0x77) & !low.wrapping_add(ONES * 0x72);
    }
    if word & HIGH != 0 {
        found |= other_spaces(text, at, word);
    }
    found
}

/// The top bit of each space among eight bytes, exactly.
#[inline(always)]
fn space_lanes(word: u64) -> u64 {
    bytes_equal(word, b' ')
}

/// The top bit of each byte of `word` (at `at` in `text`) that starts one of Unicode's spaces
/// other than U+0020: only bytes 0xc2 and 0xe0 to 0xe3 are decoded (0xe0 starts no space).
#[inline(never)]
fn other_spaces(text: &str, at: usize, word: u64) -> u64 {
    let mut leads = bytes_equal(word, 0xc2) | bytes_equal(word & (ONES * 0xfc), 0xe0);
    let mut found = 0;
    while leads != 0 {
        let lane = leads.trailing_zeros() as usize / 8;
        let c = text.get(at + lane..).and_then(|s| s.chars().next());
        if c.is_some_and(char::is_whitespace) {
            found |= 0x80 << (lane * 8);
        }
        leads &= leads - 1;
    }
    found
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
    let mut left = text;
    let mut room = width.saturating_sub(columns(first));
    let rest_room = width.saturating_sub(columns(rest));
    if text.is_empty() {
        return;
    }
    out.push_str(first);
    while !left.is_empty() {
        // The byte at column `room`, if the rest is wider than the room. Where the line is
        // ASCII up to it, that is byte `room`.
        let over = match left.as_bytes().get(..=room) {
            None => None,
            Some(line) if line.is_ascii() => Some(room),
            Some(_) => byte_at_column(left, room),
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
            out.push_str(rest);
        }
        room = rest_room;
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
            strip_marks(&mut buf, "**bold** *it* ~~link~~ `a*b~~c`").0,
            "bold it link a*b~~c"
        );
        assert_eq!(
            strip_marks(&mut buf, r"\*.yaml \`x\` a\\b c\d").0,
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
            )
            .0,
            "a long run of plain words, then bold after them"
        );
    }

    #[test]
    fn stripping_marks_tells_single_spacing() {
        let mut buf = String::new();
        for (text, single) in [
            ("**a** b `c d` e", true),
            ("a \\* b", true),
            ("a * b", false),
            ("a ** ~~ b", false),
            ("* a", false),
            ("a `", false),
            ("`a  b`", false),
            ("a\u{3000}`b`", false),
            ("`a`\tb", false),
            ("a ~ b", true),
        ] {
            assert_eq!(strip_marks(&mut buf, text).1, single, "{text:?}");
        }
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
    const MIXED: &str = "[a-c*`~|\\\\ é…→中🐳\u{301}\u{800}\u{a0}\u{a9}\u{85}\u{1680}\u{1681}\u{2003}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}\u{b}\u{c}\u{1c}\t\r\n]";

    fn mixed(max: usize) -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex(&format!("{MIXED}{{0,{max}}}")).expect("a valid regex")
    }

    /// Mark stripping a character at a time: the rule the byte scan is held to.
    fn strip_by_chars(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut in_code = false;
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            let next = chars.get(i + 1).copied();
            match c {
                '`' => in_code = !in_code,
                '\\' if !in_code && matches!(next, Some('*' | '~' | '|' | '`' | '\\')) => {
                    out.extend(next);
                    i += 1;
                }
                '*' if !in_code => {}
                '~' if !in_code && next == Some('~') => i += 1,
                _ => out.push(c),
            }
            i += 1;
        }
        out
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

        /// Marks go as the character-at-a-time rule says, wherever they fall against the
        /// eight-byte steps, in and out of code spans.
        #[test]
        fn marks_go_as_the_char_rule_says(
            // Words of marks between single spaces leave two spaces together when they go.
            text in proptest::prop_oneof![mixed(50), "([ab*`~\\\\|é→]{1,3} ){0,8}[ab*`~]{0,2}"],
        ) {
            let mut buf = String::from("left over");
            let (stripped, single) = strip_marks(&mut buf, &text);
            proptest::prop_assert_eq!(stripped, strip_by_chars(&text));
            proptest::prop_assert_eq!(single, is_single_spaced(stripped), "{:?}", stripped);
        }

        /// The bytes escaping stops at are exactly the five marks, in order.
        #[test]
        fn escapable_bytes_are_the_marks(text in mixed(40)) {
            let mut found = Vec::new();
            let mut from = 0;
            while let Some(at) = next_escapable(&text, from) {
                found.push(at);
                from = at + 1;
            }
            let expected: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| b"*~`|\\".contains(b))
                .map(|(at, _)| at)
                .collect();
            proptest::prop_assert_eq!(found, expected);
        }

        /// Lines are what `str::lines` gives, wherever the line feeds fall.
        #[test]
        fn lines_are_the_standard_lines(text in "[a\r\n é→]{0,40}") {
            let ours: Vec<&str> = Lines { text: &text }.collect();
            proptest::prop_assert_eq!(ours, text.lines().collect::<Vec<_>>());
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
            wrap_into(&mut wrapped, &mut spaced, &text, false, width, &first, &rest);
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
