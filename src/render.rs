//! Turning terms, lists and search hits into output: styled or plain text, markdown, or JSON,
//! as one [`Presentation`] (decided once, at start-up) says.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use termimad::crossterm::style::{Attribute, Color};
use termimad::{Alignment, CompoundStyle, MadSkin};

use crate::explain::error::ErrorMatch;
use crate::glossary::Glossary;
use crate::lookup::Match;
use crate::plain::plain_text;
use crate::schema::{Example, Segment, Term, segments};
use crate::search::{Answer, Hit};

/// The shape of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Text for people: styled on a terminal, plain when piped.
    #[default]
    Text,
    /// The page's markdown source.
    Markdown,
    /// One JSON document, for programs.
    Json,
    /// Graphviz DOT (graph only).
    Dot,
    /// A Mermaid flowchart (graph only).
    Mermaid,
    /// A compose file (explain of a docker run or create line only).
    Compose,
}

/// How output looks, decided once from flags and the environment, then passed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presentation {
    /// Text, markdown or JSON.
    pub format: Format,
    /// Whether to emit terminal escape codes.
    pub styled: bool,
    /// Whether text is laid out for a person (grouped, aligned, wrapped) rather than as one
    /// record per line for scripts.
    pub rich: bool,
    /// Columns to wrap to.
    pub width: usize,
    /// Whether long output goes through a pager (only on a terminal).
    pub page: bool,
    /// The terminal's height in rows, when known.
    pub height: Option<usize>,
}

/// The narrowest width we lay text out for; below it wrapping stops making sense.
pub const MIN_WIDTH: usize = 20;

/// Whether a character must not reach the terminal from data or a user: control characters
/// (escape codes among them) and the bidirectional controls that make text display in another
/// order than it is stored (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

pub use crate::schema::is_bidi_control;

/// Removes control and bidi characters (see [`is_unsafe`]) from text that came from data or a
/// user, keeping line breaks.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    strip_unsafe(text, true)
}

/// Like [`sanitize`], and line breaks go too: for text echoed on one line, such as a query.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    strip_unsafe(text, false)
}

/// Copies `text` without its unsafe characters, or borrows it when it has none (nearly always).
fn strip_unsafe(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some((mut start, mut len)) = next_unsafe(bytes, 0, keep_newlines) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        out.push_str(&text[copied..start]);
        copied = start + len;
        match next_unsafe(bytes, copied, keep_newlines) {
            Some(found) => (start, len) = found,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The start and byte length of the first character at or after `from` that [`is_unsafe`]
/// rejects (a line break is kept when `keep_newlines`). Works on the UTF-8 bytes: every such
/// character starts with a byte below 0x20, 0x7f, 0xc2 (C1 controls), 0xd8 (U+061C) or 0xe2
/// (the other bidi controls); runs of printable ASCII are skipped eight bytes at a time, and
/// other characters whole.
fn next_unsafe(bytes: &[u8], from: usize, keep_newlines: bool) -> Option<(usize, usize)> {
    let mut i = from;
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            // Straight to the first byte that is not printable ASCII, or past all eight.
            let others = not_printable_ascii(word);
            if others == 0 {
                i += 8;
                continue;
            }
            i += others.trailing_zeros() as usize / 8;
        }
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        let len = match bytes[i] {
            b'\n' if keep_newlines => 0,
            0x00..=0x1f | 0x7f => 1,
            0xc2 if (0x80..=0x9f).contains(&next(1)) => 2,
            0xd8 if next(1) == 0x9c => 2,
            0xe2 => match (next(1), next(2)) {
                (0x80, 0x8e | 0x8f | 0xaa..=0xae) | (0x81, 0xa6..=0xa9) => 3,
                _ => 0,
            },
            _ => 0,
        };
        if len > 0 {
            return Some((i, len));
        }
        // A safe character: its continuation bytes (0x80 to 0xbf) start nothing.
        i += match bytes[i] {
            0xf0.. => 4,
            0xe0.. => 3,
            0xc0.. => 2,
            _ => 1,
        };
    }
    None
}

/// The top bit of every one of eight bytes that is not printable ASCII (0x20 to 0x7e), tested
/// in one 64-bit word: on the low seven bits of each byte, adding 0x60 carries into the top bit
/// exactly when the byte is at least 0x20, and adding 0x01 exactly when it is 0x7f; no sum
/// carries into the next byte.
fn not_printable_ascii(eight: &[u8]) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut word = [0; 8];
    word.copy_from_slice(eight);
    let w = u64::from_le_bytes(word);
    let low = w & !HIGH;
    let at_least_space = low.wrapping_add(0x6060_6060_6060_6060) & HIGH;
    let delete = low.wrapping_add(0x0101_0101_0101_0101) & HIGH;
    (w & HIGH) | (!at_least_space & HIGH) | delete
}

/// How many terminal columns of the input an error message quotes, at most.
pub const QUOTE_COLUMNS: usize = 80;

/// How many columns one message line (an error, a problem found by `check`) may take at
/// most, whatever it quotes: the last guard against echoing a huge input.
pub const MESSAGE_COLUMNS: usize = 400;

/// Input echoed in a one-line message: sanitised as [`sanitize_line`] does, and cut to at most
/// [`QUOTE_COLUMNS`] terminal columns, ending in `…` when something was cut.
pub fn quote(text: &str) -> Cow<'_, str> {
    quote_to(text, QUOTE_COLUMNS)
}

/// [`quote`] with a width of `columns` (at least 1). Looks at no more of `text` than it keeps,
/// so quoting a huge input costs no more than quoting a short one.
pub fn quote_to(text: &str, columns: usize) -> Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    let columns = columns.max(1);
    let mut used = 0;
    // The end of what fits in `columns - 1`, leaving room for the ellipsis.
    let mut cut_at = None;
    for (i, c) in text.char_indices() {
        if is_unsafe(c) {
            continue;
        }
        let width = c.width().unwrap_or(0);
        if used + width > columns - 1 && cut_at.is_none() {
            cut_at = Some(i);
        }
        used += width;
        if used > columns {
            let kept = &text[..cut_at.unwrap_or(i)];
            return Cow::Owned(format!("{}…", sanitize_line(kept)));
        }
    }
    sanitize_line(text)
}

/// Terminal styles for the parts of our own layout (the term page itself goes through
/// termimad). Empty strings when output is unstyled.
pub(crate) struct Styles {
    pub(crate) heading: &'static str,
    pub(crate) name: &'static str,
    dim: &'static str,
    highlight: &'static str,
    pub(crate) reset: &'static str,
}

impl Styles {
    pub(crate) fn new(styled: bool) -> Self {
        if styled {
            Styles {
                heading: "\x1b[1;4m",
                name: "\x1b[1;36m",
                dim: "\x1b[2m",
                highlight: "\x1b[1;33m",
                reset: "\x1b[0m",
            }
        } else {
            Styles {
                heading: "",
                name: "",
                dim: "",
                highlight: "",
                reset: "",
            }
        }
    }
}

/// The termimad skin: ours when styled, and one that emits no escape codes at all otherwise.
fn skin(styled: bool) -> MadSkin {
    let mut skin = MadSkin::no_style();
    skin.bullet.set_char('*');
    skin.quote_mark.set_char('|');
    skin.code_block.left_margin = 2;
    for header in &mut skin.headers {
        header.align = Alignment::Left;
    }
    if styled {
        // Styled output is decided here, not by crossterm reading NO_COLOR behind our back.
        termimad::crossterm::style::force_color_output(true);
        skin.headers[0].add_attr(Attribute::Bold);
        skin.headers[0].set_fg(Color::Cyan);
        skin.headers[1].add_attr(Attribute::Bold);
        skin.bold.add_attr(Attribute::Bold);
        skin.italic.add_attr(Attribute::Italic);
        skin.inline_code.set_fg(Color::Yellow);
        skin.code_block.set_fg(Color::Green);
        skin.quote_mark.set_fg(Color::DarkGrey);
        // `~~text~~` marks links to other terms (bodies never strike text out).
        skin.strikeout = CompoundStyle::with_fg(Color::Cyan);
        skin.strikeout.add_attr(Attribute::Underlined);
    }
    skin
}

/// How a body's inline links are written in markdown.
#[derive(Clone, Copy)]
enum Links {
    /// `~~label~~`, which our termimad skin styles as a link.
    Styled,
    /// `[label](#id)`: a standard markdown link to the term's heading.
    Markdown,
}

fn body_markdown(body: &str, links: Links) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    for segment in segments(body) {
        match (segment, links) {
            (Segment::Text(text), _) => out.push_str(text),
            (Segment::Link { label, .. }, Links::Styled) => {
                out.push_str("~~");
                out.push_str(label);
                out.push_str("~~");
            }
            (Segment::Link { id, label }, Links::Markdown) => {
                let _ = write!(out, "[{label}](#{id})");
            }
        }
    }
    out
}

/// Joins the lines of each paragraph and list item, because termimad, unlike markdown, breaks
/// the line wherever the source does. Code blocks, headings and block starts are kept.
fn reflow(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in crate::plain::logical_lines(markdown) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A term's page as markdown.
fn page_markdown(glossary: &Glossary, term: &Term, links: Links) -> String {
    // Writing into a String cannot fail, so the fmt::Results below are always Ok.
    let mut md = String::with_capacity(4096);
    let _ = write!(md, "# {}\n\n*{}*", term.name, glossary.category_title(term));
    if !term.aliases.is_empty() {
        let _ = write!(md, " · also called *{}*", term.aliases.join("*, *"));
    }
    let _ = write!(md, "\n\n**{}**\n\n", term.summary);
    md.push_str(body_markdown(&term.body, links).trim_end());
    md.push_str("\n\n");
    if let Some(analogy) = &term.analogy {
        let _ = write!(md, "> **Analogy:** {}\n\n", analogy.trim());
    }
    if !term.examples.is_empty() {
        md.push_str("## Examples\n\n```\n");
        for Example { command, note } in term.examples.iter() {
            let _ = write!(md, "# {note}\n{command}\n");
        }
        md.push_str("```\n\n");
    }
    let see_also = glossary.links_from(term);
    if !see_also.is_empty() {
        md.push_str("## See also\n\n");
        for other in see_also {
            let _ = writeln!(
                md,
                "* **{}** (`{}`): {}",
                other.name, other.id, other.summary
            );
        }
        md.push('\n');
    }
    let referenced_by = glossary.links_to(term);
    if !referenced_by.is_empty() {
        md.push_str("## Referenced by\n\n");
        for (i, other) in referenced_by.iter().enumerate() {
            let _ = write!(md, "{}`{}`", if i == 0 { "" } else { ", " }, other.id);
        }
        md.push_str("\n\n");
    }
    let _ = writeln!(md, "## Docs\n\n{}", term.docs);
    provenance_markdown(&mut md, term);
    md
}

/// When the term's facts were last checked, and the pages they were checked against.
fn provenance_markdown(md: &mut String, term: &Term) {
    match (&term.checked, term.sources.is_empty()) {
        (Some(month), true) => {
            let _ = writeln!(md, "\nFacts last checked {month}.");
        }
        (Some(month), false) => {
            let _ = writeln!(md, "\nFacts last checked {month}, against:\n");
        }
        (None, false) => md.push_str("\nSources:\n\n"),
        (None, true) => {}
    }
    for source in term.sources.iter() {
        let _ = writeln!(md, "* {source}");
    }
}

/// Writes the page for a term found by a query.
pub fn term_page(
    w: &mut dyn Write,
    glossary: &Glossary,
    found: &Match<'_>,
    query: &str,
    p: &Presentation,
) -> io::Result<()> {
    let term = found.term;
    match p.format {
        Format::Json => json(w, &TermJson::new(glossary, found, query)),
        Format::Markdown => document(w, &page_markdown(glossary, term, Links::Markdown), p),
        // dot and mermaid are refused for anything but graph before we get here.
        Format::Text | Format::Dot | Format::Mermaid | Format::Compose => {
            document(w, &page_markdown(glossary, term, Links::Styled), p)
        }
    }
}

/// Writes a markdown document: its source for `--format markdown`, otherwise laid out as text
/// (through termimad when styled). Control characters are removed first.
pub fn document(w: &mut dyn Write, markdown: &str, p: &Presentation) -> io::Result<()> {
    let md = sanitize(markdown);
    if p.format == Format::Markdown {
        return w.write_all(md.as_bytes());
    }
    if !p.styled {
        // plain_text joins the lines of a paragraph itself, as it goes.
        return w.write_all(plain_text(&md, p.width).as_bytes());
    }
    let md = reflow(&md);
    let text = skin(p.styled).text(&md, Some(p.width)).to_string();
    for line in text.split_terminator('\n') {
        // termimad pads lines with spaces; they only get in the way of copy and paste.
        writeln!(w, "{}", line.trim_end_matches(' '))?;
    }
    Ok(())
}

/// Writes a list of terms: grouped by category for people, one `id<TAB>summary` line each for
/// scripts, or only ids when `names_only`.
pub fn term_list(
    w: &mut dyn Write,
    glossary: &Glossary,
    terms: &[&Term],
    names_only: bool,
    p: &Presentation,
) -> io::Result<()> {
    if p.format == Format::Json {
        let list: Vec<BriefJson> = terms.iter().map(|t| BriefJson::listed(t)).collect();
        return json(w, &list);
    }
    if names_only {
        for term in terms {
            writeln!(w, "{}", sanitize_line(&term.id))?;
        }
        return Ok(());
    }
    if p.format == Format::Markdown {
        for (category, group) in glossary.by_category(terms) {
            writeln!(w, "## {}\n", sanitize_line(&category.title))?;
            for term in group {
                writeln!(
                    w,
                    "* **{}** (`{}`): {}",
                    sanitize_line(&term.name),
                    term.id,
                    sanitize_line(&term.summary)
                )?;
            }
            writeln!(w)?;
        }
        return Ok(());
    }
    if !p.rich {
        for term in terms {
            writeln!(w, "{}\t{}", term.id, sanitize_line(&term.summary))?;
        }
        return Ok(());
    }
    let s = Styles::new(p.styled);
    let id_width = terms
        .iter()
        .map(|t| t.id.chars().count())
        .max()
        .unwrap_or(0);
    let indent = 2 + id_width + 2;
    let mut first = true;
    for (category, group) in glossary.by_category(terms) {
        if !first {
            writeln!(w)?;
        }
        first = false;
        writeln!(
            w,
            "{}{}{} {}({}){}",
            s.heading,
            sanitize_line(&category.title),
            s.reset,
            s.dim,
            category.id,
            s.reset
        )?;
        for term in group {
            let lines = wrap(
                &sanitize_line(&term.summary),
                p.width.saturating_sub(indent).max(MIN_WIDTH),
            );
            let pad = id_width - term.id.chars().count();
            write!(w, "  {}{}{}{:pad$}  ", s.name, term.id, s.reset, "")?;
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    write!(w, "{:indent$}", "")?;
                }
                writeln!(w, "{line}")?;
            }
        }
    }
    Ok(())
}

/// Greedy word wrap to `width` characters. A word longer than the width gets a line of its own.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Writes what a search found: the recognised errors first (each with its id, for `dterms show
/// ID`), then the terms. In JSON, one list of both, each with its `kind`.
pub fn search_answer(w: &mut dyn Write, answer: &Answer<'_>, p: &Presentation) -> io::Result<()> {
    if let Format::Json = p.format {
        let mut list: Vec<HitJson> = answer.errors.iter().map(HitJson::error).collect();
        list.extend(answer.hits.iter().map(HitJson::new));
        return json(w, &list);
    }
    for found in &answer.errors {
        let entry = found.entry;
        match p.format {
            Format::Markdown => writeln!(
                w,
                "* **Error: {}** (`{}`)\n  > {}",
                sanitize_line(entry.title),
                entry.id,
                sanitize_line(&found.matched)
            )?,
            _ if !p.rich => writeln!(w, "{}\t{}", entry.id, sanitize_line(entry.title))?,
            _ => {
                let s = Styles::new(p.styled);
                writeln!(
                    w,
                    "{}Error: {}{} {}({}){}",
                    s.name,
                    sanitize_line(entry.title),
                    s.reset,
                    s.dim,
                    entry.id,
                    s.reset
                )?;
                writeln!(w, "  recognised in: {}", sanitize_line(&found.matched))?;
                writeln!(w, "  {}dterms show {}{}", s.dim, entry.id, s.reset)?;
                writeln!(w)?;
            }
        }
    }
    search_hits(w, &answer.hits, p)
}

/// Writes search hits, best first.
pub fn search_hits(w: &mut dyn Write, hits: &[Hit<'_>], p: &Presentation) -> io::Result<()> {
    match p.format {
        Format::Json => {
            let list: Vec<HitJson> = hits.iter().map(HitJson::new).collect();
            json(w, &list)
        }
        Format::Markdown => {
            for hit in hits {
                writeln!(
                    w,
                    "* **{}** (`{}`): {}\n  > {}",
                    sanitize_line(&hit.term.name),
                    hit.term.id,
                    sanitize_line(&hit.term.summary),
                    sanitize_line(&hit.snippet().text)
                )?;
            }
            Ok(())
        }
        _ if !p.rich => {
            for hit in hits {
                writeln!(w, "{}\t{}", hit.term.id, sanitize_line(&hit.term.summary))?;
            }
            Ok(())
        }
        _ => {
            let s = Styles::new(p.styled);
            let inner = p.width.saturating_sub(2).max(MIN_WIDTH);
            for (i, hit) in hits.iter().enumerate() {
                if i > 0 {
                    writeln!(w)?;
                }
                let term = hit.term;
                writeln!(
                    w,
                    "{}{}{} {}({}){}",
                    s.name,
                    sanitize_line(&term.name),
                    s.reset,
                    s.dim,
                    term.id,
                    s.reset
                )?;
                for line in wrap(&sanitize_line(&term.summary), inner) {
                    writeln!(w, "  {line}")?;
                }
                let snippet = hit.snippet();
                for line in wrap_marked(&snippet.text, &snippet.highlights, inner) {
                    let line = line.replace('\u{1}', s.highlight).replace('\u{2}', s.reset);
                    writeln!(w, "  {}{}{}", s.dim, line, s.reset)?;
                }
            }
            Ok(())
        }
    }
}

/// Wraps a snippet, with highlighted ranges bracketed by \u{1} and \u{2} so the caller can
/// swap in styles after wrapping (the markers take no width). The snippet is sanitized first.
fn wrap_marked(text: &str, highlights: &[std::ops::Range<usize>], width: usize) -> Vec<String> {
    let mut marked = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for range in highlights {
        marked.push_str(&sanitize_line(&text[at..range.start]));
        marked.push('\u{1}');
        marked.push_str(&sanitize_line(&text[range.clone()]));
        marked.push('\u{2}');
        at = range.end;
    }
    marked.push_str(&sanitize_line(&text[at..]));
    let visible = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '\u{1}' | '\u{2}'))
            .count()
    };
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in marked.split_whitespace() {
        if !line.is_empty() && visible(&line) + 1 + visible(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Writes one JSON document, pretty-printed, with a final newline.
pub fn json(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    // Serialized into memory first: the serializer makes a write per token, and through
    // `dyn Write` each is a call; into a Vec it is a copy.
    let mut buf = Vec::with_capacity(16 * 1024);
    serde_json::to_writer_pretty(&mut buf, value)?;
    buf.push(b'\n');
    w.write_all(&buf)
}

/// A term named in another's JSON: see-also lists, `list`.
#[derive(Serialize)]
struct BriefJson<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    summary: &'a str,
}

impl<'a> BriefJson<'a> {
    fn linked(term: &'a Term) -> Self {
        BriefJson {
            id: &term.id,
            name: &term.name,
            category: None,
            summary: &term.summary,
        }
    }

    fn listed(term: &'a Term) -> Self {
        BriefJson {
            category: Some(&term.category),
            ..Self::linked(term)
        }
    }
}

#[derive(Serialize)]
struct MatchJson<'a> {
    query: &'a str,
    kind: &'static str,
    score: f64,
}

#[derive(Serialize)]
struct TermJson<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [Cow<'static, str>],
    category: &'a str,
    summary: &'a str,
    body: &'a str,
    analogy: Option<&'a str>,
    examples: &'a [Example],
    related: Vec<BriefJson<'a>>,
    referenced_by: Vec<BriefJson<'a>>,
    docs: &'a str,
    checked: Option<&'a str>,
    sources: &'a [Cow<'static, str>],
    #[serde(rename = "match")]
    matched: MatchJson<'a>,
}

impl<'a> TermJson<'a> {
    fn new(glossary: &'a Glossary, found: &Match<'a>, query: &'a str) -> Self {
        let term = found.term;
        TermJson {
            id: &term.id,
            name: &term.name,
            aliases: &term.aliases,
            category: &term.category,
            summary: &term.summary,
            body: &term.body,
            analogy: term.analogy.as_deref(),
            examples: &term.examples,
            related: glossary
                .links_from(term)
                .into_iter()
                .map(BriefJson::linked)
                .collect(),
            referenced_by: glossary
                .links_to(term)
                .into_iter()
                .map(BriefJson::linked)
                .collect(),
            docs: &term.docs,
            checked: term.checked.as_deref(),
            sources: &term.sources,
            matched: MatchJson {
                query,
                kind: found.kind.as_str(),
                score: (found.score * 1000.0).round() / 1000.0,
            },
        }
    }
}

#[derive(Serialize)]
struct HitJson<'a> {
    /// `term` or `error`.
    kind: &'static str,
    id: &'a str,
    name: &'a str,
    summary: &'a str,
    score: f64,
    confident: bool,
    snippet: String,
}

impl<'a> HitJson<'a> {
    fn error(found: &'a ErrorMatch) -> Self {
        HitJson {
            kind: "error",
            id: found.entry.id,
            name: found.entry.title,
            summary: found.entry.title,
            score: 1.0,
            confident: true,
            snippet: found.matched.clone(),
        }
    }

    fn new(hit: &'a Hit<'a>) -> Self {
        HitJson {
            kind: "term",
            id: &hit.term.id,
            name: &hit.term.name,
            summary: &hit.term.summary,
            score: hit.score,
            confident: hit.confident,
            snippet: hit.snippet().text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_escape_sequences_but_keeps_text() {
        assert_eq!(sanitize("a\x1b[31mb\nc\u{7}"), "a[31mb\nc");
        assert_eq!(sanitize_line("a\nb\r\x1b"), "ab");
        assert!(matches!(sanitize("clean\ntext · …"), Cow::Borrowed(_)));
        assert_eq!(sanitize("C1 \u{9b}31m control"), "C1 31m control");
    }

    use proptest::strategy::Strategy as _;

    #[test]
    fn every_byte_is_judged_printable_or_not_in_every_lane() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut eight = *b"abcdefgh";
                eight[lane] = b;
                let expected = if (0x20..0x7f).contains(&b) {
                    0
                } else {
                    0x80 << (lane * 8)
                };
                assert_eq!(not_printable_ascii(&eight), expected, "{b:#x} at {lane}");
            }
        }
    }

    proptest::proptest! {
        /// The byte scanner removes exactly the characters [`is_unsafe`] names, wherever they
        /// fall against its eight-byte steps.
        #[test]
        fn byte_scan_agrees_with_the_char_rule(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::string::string_regex("[ -~]{0,20}").unwrap(),
                proptest::string::string_regex("[\\x00-\\x7f]{0,12}").unwrap(),
                proptest::sample::select(vec![
                    "\n", "\t", "\x1b", "\x7f", "\u{85}", "\u{9f}", "\u{a0}", "é", "…", "—",
                    "\u{200d}", "\u{200e}", "\u{200f}", "\u{2029}", "\u{202a}", "\u{202e}",
                    "\u{202f}", "\u{2065}", "\u{2066}", "\u{2069}", "\u{206a}", "\u{061b}",
                    "\u{061c}", "\u{061d}", "中", "🐳",
                ]).prop_map(|s: &str| s.to_owned()),
            ], 0..40)
        ) {
            let text = parts.concat();
            let by_char: String = text.chars().filter(|&c| !is_unsafe(c) || c == '\n').collect();
            let line: String = text.chars().filter(|&c| !is_unsafe(c)).collect();
            proptest::prop_assert_eq!(sanitize(&text), by_char);
            proptest::prop_assert_eq!(sanitize_line(&text), line);
        }
    }

    #[test]
    fn bidi_controls_are_stripped() {
        let tricky = "admin\u{202e}txt.exe\u{2066}x\u{2069}\u{200f}\u{061c}";
        assert_eq!(sanitize_line(tricky), "admintxt.exex");
        assert_eq!(sanitize(tricky), "admintxt.exex");
        assert_eq!(quote(tricky), "admintxt.exex");
        assert!(matches!(sanitize_line("a … b"), Cow::Borrowed(_)));
    }

    #[test]
    fn quote_cuts_long_input_to_about_80_columns() {
        assert_eq!(quote("short"), "short");
        let exact = "x".repeat(QUOTE_COLUMNS);
        assert_eq!(quote(&exact), exact);
        let long = "y".repeat(100_000);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTE_COLUMNS);
        assert!(quoted.ends_with("y…"));
        // Wide characters count two columns; cuts fall on character boundaries.
        let wide = "漢".repeat(100);
        let quoted = quote(&wide);
        assert!(quoted.ends_with('…'));
        assert!(quoted.chars().count() <= QUOTE_COLUMNS / 2 + 1, "{quoted}");
        // What is removed does not count.
        let escaped = format!("{}{}", "\x1b".repeat(200), "z".repeat(10));
        assert_eq!(quote(&escaped), "z".repeat(10));
        assert_eq!(quote_to("abcdef", 3), "ab…");
    }

    #[test]
    fn plain_text_says_what_termimad_says() {
        let glossary = Glossary::builtin();
        for term in glossary.terms() {
            let md = reflow(&page_markdown(&glossary, term, Links::Styled));
            for width in [40, 80, 120] {
                let ours = plain_text(&md, width);
                let theirs = skin(false).text(&md, Some(width)).to_string();
                // Same characters in the same order; only where lines break may differ
                // (termimad also breaks long URLs; both repeat `#` and `|` on wrapped lines).
                let words = |s: &str| {
                    s.split_whitespace()
                        .filter(|w| !matches!(*w, "#" | "|"))
                        .collect::<String>()
                };
                assert_eq!(words(&ours), words(&theirs), "{} at {width}", term.id);
            }
        }
    }

    /// Reflow as it was first written, a line at a time into one String: the rule the
    /// iterator of logical lines is held to.
    fn reflow_by_lines(markdown: &str) -> String {
        let starts_block = |line: &str| {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && line[digits..].starts_with(". "))
                || ["* ", "- ", "+ ", "> ", "#", "|"]
                    .iter()
                    .any(|p| line.starts_with(p))
        };
        let mut out = String::new();
        let mut in_code = false;
        let mut joinable = false;
        for line in markdown.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                in_code = !in_code;
                joinable = false;
            } else if !in_code && joinable && !trimmed.is_empty() && !starts_block(trimmed) {
                out.pop();
                out.push(' ');
                out.push_str(trimmed);
                out.push('\n');
                continue;
            } else {
                joinable = !in_code && !trimmed.is_empty() && !trimmed.starts_with('#');
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    proptest::proptest! {
        /// Lines are joined exactly as the line-at-a-time reflow joins them, and laying out
        /// text that is already reflowed changes nothing.
        #[test]
        fn logical_lines_join_as_reflow_did(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "", "  ", "text", "  indented more", "* item", "- item", "+ x", "```", "  ```",
                "# heading", "## sub", "1. first", "12. twelfth", "3.x", "> quote", "| a | b |",
                "# comment in code", "word  two", "`code`",
            ]), 0..24),
            width in 20usize..60,
        ) {
            let md = lines.join("\n");
            proptest::prop_assert_eq!(reflow(&md), reflow_by_lines(&md));
            proptest::prop_assert_eq!(plain_text(&md, width), plain_text(&reflow(&md), width));
        }
    }

    #[test]
    fn reflow_joins_paragraph_lines_only() {
        let md = "# T\n\none\ntwo\n\n* item\n  more\n* next\n\n```\na\nb\n```\n> q\n";
        assert_eq!(
            reflow(md),
            "# T\n\none two\n\n* item more\n* next\n\n```\na\nb\n```\n> q\n"
        );
    }

    #[test]
    fn wrap_respects_width() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("abcdefgh ij", 4), ["abcdefgh", "ij"]);
    }
}
