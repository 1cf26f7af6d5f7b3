//! Recognising Docker's error messages in pasted text (a message, a log, a whole terminal
//! session) against data/errors.yaml, and the explanation of what was found.
//!
//! The text and every fragment are normalised alike (see `error_text`), then one Aho-Corasick
//! automaton, built with the binary, finds every fragment in one pass: time linear in the
//! text, memory a small multiple of it, whatever the paste. A pattern matches when all its fragments occur within
//! [`WINDOW`] bytes of one another (so an error wrapped over several lines still matches) and
//! none of its `not` fragments does.

mod automaton;

use std::fmt::Write as _;
use std::io;

use serde_json::{Value, json};

use crate::error_text::{self, Normalized};
use crate::errors::{ENTRIES, ErrorEntry, ErrorHit, FRAGMENTS};
use crate::render::{self, Format, Presentation, sanitize_line};
use crate::search::Hit;

/// How far apart (in normalised bytes) the fragments of one pattern may be: a few lines.
pub const WINDOW: usize = 400;
/// Positions kept per fragment: a log that repeats one error a thousand times needs no more.
const MAX_POSITIONS: usize = 256;
/// At most this many entries are reported for one paste.
pub const MAX_MATCHES: usize = 5;
/// The matched text shown is cut to about this many characters.
pub const MATCHED_CHARS: usize = 80;

/// One recognised error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMatch {
    /// The entry.
    pub entry: &'static ErrorEntry,
    /// The line of the paste where it was found, cut to about [`MATCHED_CHARS`] characters.
    /// Not yet sanitised: renderers do that.
    pub matched: String,
    /// How specific the pattern that matched is: the length of its fragments.
    score: usize,
    /// Where in the normalised text the match starts and ends.
    span: (usize, usize),
}

/// The errors recognised in `text`, most relevant first: specific entries before generic ones,
/// then the more specific pattern, then the earlier in the text. An entry found inside the
/// text of a more specific one is left out.
pub fn recognise(text: &str) -> Vec<ErrorMatch> {
    let normalized = error_text::normalize(text);
    let positions = automaton::fragment_positions(&normalized.text, MAX_POSITIONS);
    let mut found: Vec<ErrorMatch> = ENTRIES
        .iter()
        .filter_map(|entry| {
            // The best pattern's score; the span of every pattern that matched, so the text
            // shown starts where the message does.
            let matched: Vec<(usize, (usize, usize))> = entry
                .patterns
                .iter()
                .filter_map(|pattern| {
                    let span = find_pattern(pattern.all, pattern.not, &positions)?;
                    let score: usize = pattern.all.iter().map(|&f| FRAGMENTS[f].len()).sum();
                    Some((score, span))
                })
                .collect();
            let &(score, best) = matched.iter().max_by_key(|m| m.0)?;
            let near = matched
                .iter()
                .map(|m| m.1)
                .filter(|span| span.0.abs_diff(best.0) <= WINDOW);
            let span = near.fold(best, |a, b| (a.0.min(b.0), a.1.max(b.1)));
            Some(ErrorMatch {
                entry,
                matched: String::new(),
                score,
                span,
            })
        })
        .collect();
    let kept: Vec<bool> = found
        .iter()
        .map(|m| {
            !found.iter().any(|other| {
                other.entry.id != m.entry.id
                    && other.score > m.score
                    && other.span.0 <= m.span.0
                    && m.span.1 <= other.span.1
            })
        })
        .collect();
    let mut kept_iter = kept.into_iter();
    found.retain(|_| kept_iter.next().unwrap_or(true));
    found.sort_by(|a, b| {
        a.entry
            .generic
            .cmp(&b.entry.generic)
            .then(b.score.cmp(&a.score))
            .then(a.span.0.cmp(&b.span.0))
    });
    found.truncate(MAX_MATCHES);
    for m in &mut found {
        m.matched = matched_line(text, &normalized, m.span.0);
    }
    found
}

/// The span of the first place where every fragment of `all` occurs within [`WINDOW`] of the
/// first one's occurrence and no fragment of `not` does.
fn find_pattern(all: &[usize], not: &[usize], positions: &[Vec<usize>]) -> Option<(usize, usize)> {
    let (&first, rest) = all.split_first()?;
    let near = |fragment: usize, anchor: usize| -> Option<usize> {
        let list = &positions[fragment];
        let from = anchor.saturating_sub(WINDOW);
        let i = list.partition_point(|&p| p < from);
        list.get(i).copied().filter(|&p| p <= anchor + WINDOW)
    };
    'anchors: for &anchor in &positions[first] {
        let mut span = (anchor, anchor + FRAGMENTS[first].len());
        for &fragment in rest {
            let Some(at) = near(fragment, anchor) else {
                continue 'anchors;
            };
            span = (span.0.min(at), span.1.max(at + FRAGMENTS[fragment].len()));
        }
        if not.iter().any(|&fragment| near(fragment, anchor).is_some()) {
            continue;
        }
        return Some(span);
    }
    None
}

/// The line of `text` holding normalised offset `at`, cut around it to about
/// [`MATCHED_CHARS`] characters, tabs made spaces.
fn matched_line(text: &str, normalized: &Normalized, at: usize) -> String {
    let line = normalized.lines.partition_point(|&(start, _)| start <= at);
    let (line_start, original_start) = normalized.lines[line.saturating_sub(1)];
    let rest = &text[original_start..];
    let original = rest.split('\n').next().unwrap_or(rest);
    let original = original.trim_end_matches('\r');
    // Where in the original line the match starts.
    let (_, map) = error_text::normalize_mapped(original);
    let byte = map.get(at - line_start).copied().unwrap_or(0);
    let chars: Vec<char> = original.chars().collect();
    let match_char = original[..byte].chars().count();
    let trimmed_start = chars.iter().take_while(|c| c.is_whitespace()).count();
    let trimmed_end = chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count();
    let (mut from, mut to) = (trimmed_start, trimmed_end.max(trimmed_start));
    if to - from > MATCHED_CHARS && match_char > from + MATCHED_CHARS / 2 {
        from = match_char.saturating_sub(MATCHED_CHARS / 5).max(from);
        to = (from + MATCHED_CHARS).min(to);
        from = to.saturating_sub(MATCHED_CHARS).max(trimmed_start);
    }
    let mut shown = String::new();
    if from > trimmed_start {
        shown.push('…');
    }
    shown.extend(
        chars[from..to]
            .iter()
            .map(|&c| if c == '\t' { ' ' } else { c }),
    );
    if to < trimmed_end {
        shown.push('…');
    }
    shown
}

/// The explanation of a paste: what was recognised, for text output and JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What was recognised, most relevant first; empty when nothing was.
    pub matches: Vec<ErrorMatch>,
}

impl Explanation {
    /// Recognises the errors in `text`.
    pub fn new(text: &str) -> Self {
        Explanation {
            matches: recognise(text),
        }
    }

    /// `{"kind":"error","input","matches":[{"id","title","cause","fix","variants","terms","docs","matched"}]}`.
    pub fn json(&self, input: &str) -> Value {
        json!({
            "kind": "error",
            "input": input,
            "matches": self.matches.iter().map(|m| json!({
                "id": m.entry.id,
                "title": m.entry.title,
                "cause": m.entry.cause,
                "fix": m.entry.fix,
                "variants": m.entry.variants,
                "terms": m.entry.terms,
                "docs": m.entry.docs,
                "matched": sanitize_line(&m.matched),
            })).collect::<Vec<_>>(),
        })
    }

    /// Markdown: for each match what happened, why, how to fix it, the terms and the docs.
    pub fn markdown(&self, md: &mut String) {
        match self.matches.len() {
            0 => md.push_str("# No known Docker error in this text\n\n"),
            1 => {}
            n => {
                let _ = writeln!(md, "# {n} Docker errors recognised, most relevant first\n");
            }
        }
        let heading = if self.matches.len() == 1 { "#" } else { "##" };
        for m in &self.matches {
            entry_markdown(md, m.entry, Some(&m.matched), heading);
        }
    }
}

/// One entry as markdown, under a heading of level `heading`; `matched` is the pasted text
/// that matched, when there is one. Also used by `show` for an error id.
pub fn entry_markdown(md: &mut String, entry: &ErrorEntry, matched: Option<&str>, heading: &str) {
    let _ = writeln!(md, "{heading} {}\n", entry.title);
    if let Some(matched) = matched {
        let _ = writeln!(md, "In your text: {}\n", super::code(matched));
    }
    let _ = writeln!(md, "**Why:** {}\n", entry.cause);
    md.push_str("**How to fix it:**\n\n");
    for (i, step) in entry.fix.iter().enumerate() {
        let _ = writeln!(md, "{}. {step}", i + 1);
    }
    md.push('\n');
    if !entry.variants.is_empty() {
        md.push_str("**Elsewhere:**\n\n");
        for variant in entry.variants {
            let _ = writeln!(md, "* {}: {}", variant.when, variant.note);
        }
        md.push('\n');
    }
    let _ = writeln!(md, "{}\n", super::terms(entry.terms));
    let _ = writeln!(md, "Docs: {}\n", entry.docs);
}

/// One entry as JSON, for `show`: everything but the patterns and examples.
pub fn entry_json(entry: &ErrorEntry) -> Value {
    json!({
        "kind": "error",
        "id": entry.id,
        "title": entry.title,
        "area": entry.area.title(),
        "cause": entry.cause,
        "fix": entry.fix,
        "variants": entry.variants,
        "terms": entry.terms,
        "docs": entry.docs,
        "checked": entry.checked,
        "sources": entry.sources,
    })
}

/// `dterms show ID` for an error entry.
pub fn write_entry(w: &mut dyn io::Write, entry: &ErrorEntry, p: &Presentation) -> io::Result<()> {
    if p.format == Format::Json {
        return render::json(w, &entry_json(entry));
    }
    let mut md = String::new();
    entry_markdown(&mut md, entry, None, "#");
    let _ = writeln!(
        md,
        "Checked {} against: {}",
        entry.checked,
        entry.sources.join(", ")
    );
    render::document(w, &md, p)
}

/// `dterms list --errors`: grouped by area for people, `id<TAB>title` lines when piped, ids
/// only with `names`, or JSON.
pub fn write_list(
    w: &mut dyn io::Write,
    entries: &[ErrorEntry],
    names: bool,
    p: &Presentation,
) -> io::Result<()> {
    if p.format == Format::Json {
        let list: Vec<Value> = entries
            .iter()
            .map(|e| json!({"id": e.id, "title": e.title, "area": e.area.title()}))
            .collect();
        return render::json(w, &list);
    }
    if names {
        for e in entries {
            writeln!(w, "{}", e.id)?;
        }
        return Ok(());
    }
    if !p.rich && p.format == Format::Text {
        for e in entries {
            writeln!(w, "{}\t{}", e.id, e.title)?;
        }
        return Ok(());
    }
    let mut sorted: Vec<&ErrorEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.area);
    let footer = "`dterms show ID` explains one; `dterms explain` recognises them in pasted text.";
    if p.format == Format::Text {
        return write_aligned_list(w, &sorted, footer, p);
    }
    let mut md = String::new();
    let mut area = None;
    for e in sorted {
        if area != Some(e.area) {
            let _ = writeln!(md, "\n## {}\n", e.area.title());
            area = Some(e.area);
        }
        let _ = writeln!(md, "* `{}`: {}", e.id, e.title);
    }
    let _ = writeln!(md, "\n{footer}");
    render::document(w, &md, p)
}

/// The list for people, laid out like the glossary's: a heading per area, then each id in a
/// column of its own and its title wrapped beside it, so a long title never splits from its id.
fn write_aligned_list(
    w: &mut dyn io::Write,
    sorted: &[&ErrorEntry],
    footer: &str,
    p: &Presentation,
) -> io::Result<()> {
    let s = render::Styles::new(p.styled);
    let id_width = sorted
        .iter()
        .map(|e| e.id.chars().count())
        .max()
        .unwrap_or(0);
    let indent = 2 + id_width + 2;
    let mut area = None;
    for e in sorted {
        if area != Some(e.area) {
            if area.is_some() {
                writeln!(w)?;
            }
            writeln!(w, "{}{}{}", s.heading, e.area.title(), s.reset)?;
            area = Some(e.area);
        }
        let pad = id_width - e.id.chars().count();
        write!(w, "  {}{}{}{:pad$}  ", s.name, e.id, s.reset, "")?;
        let width = p.width.saturating_sub(indent).max(render::MIN_WIDTH);
        for (i, line) in render::wrap(e.title, width).iter().enumerate() {
            if i > 0 {
                write!(w, "{:indent$}", "")?;
            }
            writeln!(w, "{line}")?;
        }
    }
    writeln!(w)?;
    for line in render::wrap(&footer.replace('`', "'"), p.width.max(render::MIN_WIDTH)) {
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Search results with error entries: the glossary's hits as `search` shows them and the
/// error entries found, the entries `first` when they lead (see `search::Shown`). In JSON one
/// list, error entries marked `"kind": "error"`.
pub fn write_search_hits(
    w: &mut dyn io::Write,
    hits: &[Hit<'_>],
    errors: &[ErrorHit],
    first: bool,
    p: &Presentation,
) -> Result<crate::Outcome, crate::Error> {
    let errors: Vec<&ErrorEntry> = errors.iter().map(|h| h.entry).collect();
    if p.format == Format::Json {
        let mut terms = Vec::new();
        render::search_hits(&mut terms, hits, p)?;
        let terms: Vec<Value> = serde_json::from_slice(&terms).unwrap_or_default();
        let found = errors
            .iter()
            .map(|e| json!({"kind": "error", "id": e.id, "name": e.title, "summary": e.cause}));
        let list: Vec<Value> = if first {
            found.chain(terms).collect()
        } else {
            terms.into_iter().chain(found).collect()
        };
        render::json(w, &list)?;
        return Ok(crate::Outcome::Found);
    }
    if !first && !hits.is_empty() {
        render::search_hits(w, hits, p)?;
        if p.rich {
            writeln!(w)?;
        }
    }
    if !p.rich && p.format == Format::Text {
        for e in &errors {
            writeln!(w, "{}\t{}", e.id, e.title)?;
        }
    } else {
        let mut md = String::from("**Docker error messages:**\n\n");
        for e in &errors {
            let _ = writeln!(md, "* {} (`dterms show {}`)", e.title, e.id);
        }
        render::document(w, &md, p)?;
    }
    if first && !hits.is_empty() {
        if p.rich {
            writeln!(w)?;
        }
        render::search_hits(w, hits, p)?;
    }
    Ok(crate::Outcome::Found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        recognise(text).iter().map(|m| m.entry.id).collect()
    }

    #[test]
    fn every_example_is_recognised_as_its_own_entry_first() {
        let mut failures = Vec::new();
        for entry in ENTRIES {
            for example in entry.examples {
                let found = ids(example);
                if found.first() != Some(&entry.id) {
                    failures.push(format!("{}: {example:?} gave {found:?}", entry.id));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn fragments_must_be_close_together() {
        let far = format!(
            "nvidia-container-cli started{}load library failed",
            " filler".repeat(WINDOW)
        );
        assert!(!ids(&far).contains(&"gpu-nvml-library-missing"));
        let near = "nvidia-container-cli: initialization error: load library failed";
        assert_eq!(ids(near).first(), Some(&"gpu-nvml-library-missing"));
    }

    #[test]
    fn not_fragments_reject_a_pattern() {
        let pull = "pull access denied for x, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
        assert_eq!(ids(pull), ["pull-access-denied"]);
    }

    #[test]
    fn the_matched_line_is_cut_around_the_match() {
        let long = format!(
            "{} Error response from daemon: No such container: jupyter {}",
            "x".repeat(200),
            "y".repeat(200)
        );
        let found = recognise(&long);
        let shown = &found[0].matched;
        assert!(shown.contains("no such container") || shown.contains("No such container"));
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= MATCHED_CHARS + 2, "{shown}");
    }

    #[test]
    fn the_matched_line_is_the_one_with_the_error() {
        let paste = "$ docker run --rm -p 8888:8888 img\n\tdocker: Error response from daemon: driver failed programming external connectivity on endpoint x: Bind for 0.0.0.0:8888 failed: port is already allocated.\n";
        let found = recognise(paste);
        assert_eq!(found[0].entry.id, "port-already-allocated");
        assert!(
            found[0].matched.contains("port is already allocated")
                || found[0].matched.contains("Bind for"),
            "{}",
            found[0].matched
        );
        assert!(!found[0].matched.starts_with('$'));
    }

    #[test]
    fn the_list_for_people_keeps_each_id_beside_its_title() {
        let p = Presentation {
            format: Format::Text,
            styled: false,
            rich: true,
            width: 60,
            page: false,
            height: None,
        };
        let mut out = Vec::new();
        write_list(&mut out, ENTRIES, false, &p).expect("writes");
        let text = String::from_utf8(out).expect("UTF-8");
        let longest = ENTRIES.iter().map(|e| e.id.len()).max().unwrap_or(0);
        for e in ENTRIES {
            let first = text
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{} ", e.id)))
                .unwrap_or_else(|| panic!("{} is not listed:\n{text}", e.id));
            // The title starts on the id's line, in the column after the longest id.
            let title_start = &first[2 + longest + 2..];
            assert!(
                e.title
                    .starts_with(title_start.split(' ').next().unwrap_or(""))
            );
            assert!(!title_start.is_empty(), "{first}");
        }
        assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with(':')),
            "{text}"
        );
    }

    #[test]
    fn a_large_log_is_read_in_one_pass() {
        let mut log = "#12 0.123 Collecting numpy==2.1.0\n".repeat(30_000);
        log.push_str("ERROR: failed to solve: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 137\n");
        assert!(log.len() > 1_000_000);
        assert_eq!(ids(&log).first(), Some(&"oom-killed-137"));
    }
}
