//! Team glossaries read at run time: finding the files, refusing hostile ones, parsing them with
//! line and column for every problem (recovering term by term), checking them against the
//! built-in glossary, and ordering the categories they declare or use.
//!
//! A team file is either a list of terms (the built-in glossary's format), or a mapping with
//! `terms:` and `categories:`. Reading goes through [`crate::read`] (regular files only, capped)
//! and [`crate::yaml_budget`] (nesting, nodes and aliases bounded) before the YAML library.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::glossary::{BUILTIN_CATEGORIES, TEAM_COLOURS};
use crate::schema::{
    self, Category, Term, is_bidi_control, is_hex_colour, is_kebab_case, title_from_id,
};
use crate::yaml_budget;

/// The largest glossary file read: 4 MiB, about 7,000 small terms. A 1,000-term glossary is about
/// 480 KiB. Parsing a file this size takes about 0.2 s; checking a broken one, at most about
/// three times as long.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The most team categories, over all files.
pub const MAX_CATEGORIES: usize = 1_000;

/// The most problems reported for one term or category before moving on to the next.
const MAX_PROBLEMS_PER_ITEM: usize = 16;

/// One thing wrong with a glossary file, with its position when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file, as given.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
    /// Whether the file could not be checked at all (missing, not a regular file, unreadable,
    /// over a limit), rather than checked and found wrong.
    pub fatal: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            (Some(line), None) => write!(f, "{}:{line}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Where a user term came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file, as given.
    pub file: String,
    /// Whether it replaces a built-in term with the same id.
    pub replaces_builtin: bool,
}

/// The glossary files to load, and what was skipped on the way.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Discovered {
    /// The files, in order.
    pub files: Vec<PathBuf>,
    /// One line per entry of the config folder that was skipped, and why.
    pub warnings: Vec<String>,
}

/// The glossary files to load, in order: `--glossary` flags, then `DTERMS_GLOSSARY` (a
/// `:`-separated list), then every regular `*.yaml` and `*.yml` file in the config folder, by
/// name. Other entries there (folders, FIFOs, dangling links) are skipped with a warning, and so
/// is a folder that cannot be read. When nothing is configured this costs one directory look-up.
pub fn discover(flags: &[PathBuf], env: Option<&OsStr>, config_dir: Option<&Path>) -> Discovered {
    let mut found = Discovered {
        files: flags.to_vec(),
        warnings: Vec::new(),
    };
    if let Some(list) = env {
        found
            .files
            .extend(std::env::split_paths(list).filter(|p| !p.as_os_str().is_empty()));
    }
    let Some(dir) = config_dir else {
        return found;
    };
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut in_folder: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect();
            in_folder.sort();
            for path in in_folder {
                let why = match std::fs::metadata(&path) {
                    Ok(meta) => match crate::read::regular(&meta) {
                        Ok(()) => {
                            found.files.push(path);
                            continue;
                        }
                        Err(reason) => reason.to_string(),
                    },
                    Err(err) => format!("cannot read it: {err}"),
                };
                found
                    .warnings
                    .push(format!("skipping {}: {why}", path.display()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {}
        Err(e) => found.warnings.push(format!(
            "skipping the glossary folder {}: {e}",
            dir.display()
        )),
    }
    found
}

/// The config folder: `$XDG_CONFIG_HOME/dterms`, else `$HOME/.config/dterms`.
pub fn config_dir(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    match xdg_config_home.filter(|x| !x.is_empty() && Path::new(x).is_absolute()) {
        Some(xdg) => Some(Path::new(xdg).join("dterms")),
        None => home
            .filter(|h| !h.is_empty())
            .map(|h| Path::new(h).join(".config").join("dterms")),
    }
}

/// Reads a glossary file as text through [`crate::read`]: a regular file of at most
/// [`MAX_FILE_BYTES`], UTF-8, no NUL bytes.
pub fn read(path: &Path) -> Result<String, Problem> {
    crate::read::read_file(path, MAX_FILE_BYTES).map_err(|e| Problem {
        file: e.file,
        line: e.line,
        column: None,
        message: e.reason.to_string(),
        fatal: true,
    })
}

/// What one file holds, parsed in one go when it is well-formed.
#[derive(Debug, Default)]
struct FileDoc {
    categories: Vec<Category>,
    terms: Vec<Term>,
}

impl<'de> Deserialize<'de> for FileDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = FileDoc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of terms, or a mapping with 'terms' and 'categories'")
    }

    fn visit_unit<E: de::Error>(self) -> Result<FileDoc, E> {
        Ok(FileDoc::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FileDoc, A::Error> {
        let mut terms = Vec::new();
        while let Some(term) = seq.next_element::<Term>()? {
            terms.push(term);
        }
        Ok(FileDoc {
            categories: Vec::new(),
            terms,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FileDoc, A::Error> {
        let mut doc = FileDoc::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "terms" => doc.terms = map.next_value()?,
                "categories" => doc.categories = map.next_value()?,
                other => return Err(de::Error::unknown_field(other, &["categories", "terms"])),
            }
        }
        Ok(doc)
    }
}

/// Where one term or category stands in its file: its lines (0-based, end exclusive) and the
/// column its fields start at.
#[derive(Debug, Clone)]
struct Span {
    lines: Range<usize>,
    field_indent: usize,
}

/// The items of a file's `terms` and `categories`, found in the text, and top-level keys that
/// are neither.
#[derive(Debug, Default)]
struct Layout {
    terms: Vec<Span>,
    categories: Vec<Span>,
    /// 0-based line of `terms:` / `categories:`, when the file is a mapping.
    terms_key: Option<usize>,
    categories_key: Option<usize>,
    /// (0-based line, key) of every other top-level key.
    unknown_keys: Vec<(usize, String)>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_dash(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")
}

fn ignorable(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// A file's lines, found by their start offsets: no copy, 8 bytes a line.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text,
            starts: line_starts(text),
        }
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Line `n` (0-based), without its line break.
    fn get(&self, n: usize) -> &'t str {
        line_at(self.text, &self.starts, n)
    }

    /// The lines from `n` on, with their numbers.
    fn from(&self, n: usize) -> impl Iterator<Item = (usize, &'t str)> + '_ {
        (n..self.len()).map(|i| (i, self.get(i)))
    }
}

/// Finds the items of a file by their `- ` lines: the top-level list, or the lists under
/// `terms:` and `categories:`. Text in block scalars is indented deeper than any item, so it
/// is never taken for one. Flow-style lists (`terms: [...]`) have no item lines.
fn layout(lines: &Lines<'_>) -> Layout {
    #[derive(Clone, Copy, PartialEq)]
    enum Section {
        None,
        Terms,
        Categories,
    }
    let mut out = Layout::default();
    let first = lines
        .from(0)
        .find(|(_, l)| !ignorable(l) && !l.starts_with("---") && !l.starts_with('%'))
        .map(|(n, _)| n);
    let Some(first) = first else {
        return out;
    };
    let bare_list = is_dash(lines.get(first).trim_start_matches(' '));
    let mut section = if bare_list {
        Section::Terms
    } else {
        Section::None
    };
    let mut item_indent: Option<usize> = None;
    let mut open: Option<(Section, usize, usize)> = None; // (section, start, field indent)
    let close = |out: &mut Layout, open: &mut Option<(Section, usize, usize)>, end: usize| {
        if let Some((section, start, field_indent)) = open.take() {
            let span = Span {
                lines: start..end,
                field_indent,
            };
            match section {
                Section::Terms => out.terms.push(span),
                Section::Categories => out.categories.push(span),
                Section::None => {}
            }
        }
    };
    for (n, line) in lines.from(first) {
        if ignorable(line) {
            continue;
        }
        let indent = indent_of(line);
        let rest = &line[indent..];
        if !bare_list && indent == 0 && !is_dash(rest) {
            // A top-level key.
            close(&mut out, &mut open, n);
            item_indent = None;
            let key = rest.split(':').next().unwrap_or("").trim();
            section = match key {
                "terms" => {
                    out.terms_key = Some(n);
                    Section::Terms
                }
                "categories" => {
                    out.categories_key = Some(n);
                    Section::Categories
                }
                _ => {
                    if !line.starts_with("---") && !line.starts_with("...") {
                        out.unknown_keys.push((n, key.to_owned()));
                    }
                    Section::None
                }
            };
            continue;
        }
        if section == Section::None || !is_dash(rest) {
            continue;
        }
        if *item_indent.get_or_insert(indent) != indent {
            continue;
        }
        close(&mut out, &mut open, n);
        let after_dash = &rest[1..];
        let field_indent = if after_dash.trim().is_empty() {
            // `-` alone: the fields start on the next line.
            lines
                .from(n + 1)
                .find(|(_, l)| !ignorable(l))
                .map_or(indent + 2, |(_, l)| indent_of(l))
        } else {
            indent + 1 + (after_dash.len() - after_dash.trim_start().len())
        };
        open = Some((section, n, field_indent));
    }
    close(&mut out, &mut open, lines.len());
    out
}

/// Line `n` (0-based) of `text`, without its line break.
fn line_at<'t>(text: &'t str, starts: &[usize], n: usize) -> &'t str {
    let Some(&from) = starts.get(n) else {
        return "";
    };
    let to = starts.get(n + 1).copied().unwrap_or(text.len());
    text.get(from..to)
        .unwrap_or("")
        .trim_end_matches(['\n', '\r'])
}

/// The 1-based line and column of `field` within an item, or of the item itself.
fn locate(text: &str, starts: &[usize], span: &Span, field: Option<&str>) -> (usize, usize) {
    let start = span.lines.start;
    if let Some(field) = field {
        for n in span.lines.clone() {
            let line = line_at(text, starts, n);
            let at = if n == start {
                // Past the `- ` of the item's first line.
                span.field_indent.min(line.len())
            } else if indent_of(line) == span.field_indent {
                span.field_indent
            } else {
                continue;
            };
            let (Some(before), Some(rest)) = (line.get(..at), line.get(at..)) else {
                continue;
            };
            if rest
                .strip_prefix(field)
                .is_some_and(|r| r.trim_start().starts_with(':'))
            {
                return (n + 1, before.chars().count() + 1);
            }
        }
    }
    (start + 1, indent_of(line_at(text, starts, start)) + 1)
}

/// A term or category that parsed (perhaps after recovery), where it is, and the fields that
/// had a problem already (so the semantic checks do not report them twice).
struct Item<T> {
    value: T,
    span: Option<Span>,
    bad: HashSet<String>,
}

/// One file, parsed.
struct Parsed {
    file: String,
    text: String,
    line_starts: Vec<usize>,
    terms: Vec<Item<Term>>,
    categories: Vec<Item<Category>>,
}

/// The top-level field an error message is about, when it starts with one of the item's keys
/// (`name: invalid type…`, `examples[0].command: …`).
fn field_of_message<'m>(message: &'m str, keys: &HashSet<&str>) -> Option<&'m str> {
    let end = message.find([':', '.', '['])?;
    let field = &message[..end];
    keys.contains(field).then_some(field)
}

/// The text between the first pair of backticks after `what`, as in "unknown field `x`".
fn quoted_after<'m>(message: &'m str, what: &str) -> Option<&'m str> {
    let rest = &message[message.find(what)? + what.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}

/// The fields a `T` cannot be without, learnt from parsing an empty mapping, then one with each
/// field found missing filled in (as an empty string), until it parses or fails otherwise.
fn required_fields<T: DeserializeOwned>() -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for _ in 0..32 {
        let text: String = if fields.is_empty() {
            "{}".to_owned()
        } else {
            fields.iter().map(|f| format!("{f}: \"\"\n")).collect()
        };
        match serde_yaml::from_str::<T>(&text) {
            Err(err) => match quoted_after(&err.to_string(), "missing field ") {
                Some(field) if !fields.iter().any(|f| f == field) => fields.push(field.to_owned()),
                _ => break,
            },
            Ok(_) => break,
        }
    }
    fields
}

/// Parses one item's lines as a `T`, reporting every problem it can: after each error the
/// field at fault is set aside (or a missing one filled in) and the item parsed again, at most
/// [`MAX_PROBLEMS_PER_ITEM`] times and within `budget` bytes of parsing overall.
fn recover<T: DeserializeOwned>(
    file: &str,
    lines: &Lines<'_>,
    span: &Span,
    budget: &mut usize,
    problems: &mut Vec<Problem>,
) -> Option<Item<T>> {
    let start = span.lines.start;
    let mut own: Vec<String> = span
        .lines
        .clone()
        .map(|n| lines.get(n).to_owned())
        .collect();
    // The item as a mapping of its own: `- ` becomes two spaces, so columns stay the same.
    if let Some(first) = own.first_mut() {
        let indent = indent_of(first);
        first.replace_range(indent..indent + 1, " ");
    }
    let field_lines =
        |own: &[String], n: usize| -> bool { n == 0 || indent_of(&own[n]) == span.field_indent };
    let keys_of = |own: &[String]| -> HashSet<String> {
        (0..own.len())
            .filter(|&n| field_lines(own, n) && !ignorable(&own[n]))
            .filter_map(|n| {
                let rest = own[n].get(span.field_indent..)?;
                let key = rest.split(':').next()?.trim();
                (!key.is_empty() && rest.contains(':')).then(|| key.to_owned())
            })
            .collect()
    };
    let mut bad: HashSet<String> = HashSet::new();
    let mut filled: HashSet<String> = HashSet::new();
    let mut report = |line: usize, column: usize, message: String| {
        problems.push(Problem {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            message,
            fatal: false,
        });
    };
    for _ in 0..MAX_PROBLEMS_PER_ITEM {
        let mut text = own.join("\n");
        for field in &filled {
            text.push_str(&format!("\n{}{field}: \"\"", " ".repeat(span.field_indent)));
        }
        text.push('\n');
        if *budget < text.len() {
            return None;
        }
        *budget -= text.len();
        let err = match serde_yaml::from_str::<T>(&text) {
            Ok(value) => {
                return Some(Item {
                    value,
                    span: Some(span.clone()),
                    bad,
                });
            }
            Err(err) => err,
        };
        let raw = err.to_string();
        let message = error_message(&err);
        let (line0, column) = err.location().map_or((0, span.field_indent + 1), |l| {
            (l.line().saturating_sub(1), l.column())
        });
        let line0 = line0.min(own.len().saturating_sub(1));
        let keys = keys_of(&own);
        let key_set: HashSet<&str> = keys.iter().map(String::as_str).collect();
        // Blanks the field whose key line is at or above `from`, with its value's lines.
        let blank = |own: &mut Vec<String>, field: &str, from: usize| -> bool {
            let Some(key_line) = (0..=from).rev().find(|&n| {
                field_lines(own, n)
                    && own[n].get(span.field_indent..).is_some_and(|r| {
                        r.starts_with(field) && r[field.len()..].trim_start().starts_with(':')
                    })
            }) else {
                return false;
            };
            let mut end = key_line + 1;
            while end < own.len()
                && (ignorable(&own[end]) || indent_of(&own[end]) > span.field_indent)
            {
                end += 1;
            }
            for line in &mut own[key_line..end] {
                line.clear();
            }
            true
        };
        let progressed = if let Some(field) = field_of_message(&raw, &key_set) {
            // A problem inside one field (`name: invalid type…`, `examples[0]: unknown field…`).
            report(start + line0 + 1, column, message.clone());
            bad.insert(field.to_owned());
            let field = field.to_owned();
            blank(&mut own, &field, line0)
        } else if let Some(field) = quoted_after(&raw, "unknown field ") {
            report(start + line0 + 1, column, message.clone());
            bad.insert(field.to_owned());
            // "did you mean 'summary'?": a missing summary is the same mistake.
            if let Some(meant) = message
                .split("did you mean '")
                .nth(1)
                .and_then(|m| m.split('\'').next())
            {
                bad.insert(meant.to_owned());
            }
            let field = field.to_owned();
            blank(&mut own, &field, line0)
        } else if let Some(field) = quoted_after(&raw, "duplicate field ") {
            report(
                start + line0 + 1,
                column,
                format!("'{field}' is given twice"),
            );
            let field = field.to_owned();
            blank(&mut own, &field, line0)
        } else if let Some(field) = quoted_after(&raw, "missing field ") {
            // serde names one missing field at a time: fill in every required one that is
            // missing at once, rather than parsing again for each.
            let mut missing: Vec<String> = vec![field.to_owned()];
            missing.extend(
                required_fields::<T>()
                    .into_iter()
                    .filter(|r| r != field && !keys.contains(r) && !filled.contains(r)),
            );
            let mut progressed = false;
            for field in missing {
                if !bad.contains(&field) {
                    let (line, column) = (start + 1, span.field_indent + 1);
                    report(line, column, format!("missing field '{field}'"));
                    bad.insert(field.clone());
                }
                progressed |= filled.insert(field);
            }
            progressed
        } else {
            // A syntax error, or one that names no field: nothing to set aside.
            report(start + line0 + 1, column, message);
            return None;
        };
        if !progressed {
            return None;
        }
    }
    None
}

/// The most problems reported for one file; after that, checking the file stops.
pub const MAX_PROBLEMS_PER_FILE: usize = 500;

/// How many items are parsed together before falling back to one at a time.
const BATCH_ITEMS: usize = 16;

/// The byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Item-by-item parsing of a file that does not parse whole, within a budget.
struct Recovery<'a> {
    file: &'a str,
    text: &'a str,
    lines: &'a Lines<'a>,
    line_starts: &'a [usize],
    /// Bytes of parsing left.
    budget: usize,
    /// The 0-based line where checking stopped (budget or problem count), if it did.
    stopped: Option<usize>,
    problems: &'a mut Vec<Problem>,
}

impl Recovery<'_> {
    /// The items of one list that parse, each problem of the others reported. Batches of items
    /// that parse together are taken as they are; a batch that does not is parsed item by item.
    fn items<T: DeserializeOwned>(&mut self, spans: &[Span]) -> Vec<Item<T>> {
        let mut items = Vec::new();
        for batch in spans.chunks(BATCH_ITEMS) {
            if self.stopped.is_some() {
                break;
            }
            let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
                continue;
            };
            let from = self.line_starts[first.lines.start];
            let to = self
                .line_starts
                .get(last.lines.end)
                .copied()
                .unwrap_or(self.text.len());
            if self.budget < to - from {
                self.stopped = Some(first.lines.start);
                break;
            }
            // One item alone is parsed by `recover`, which reports its problems.
            let together = batch.len() > 1 && {
                self.budget -= to - from;
                true
            };
            if together
                && let Ok(values) = serde_yaml::from_str::<Vec<T>>(&self.text[from..to])
                && values.len() == batch.len()
            {
                items.extend(values.into_iter().zip(batch).map(|(value, span)| Item {
                    value,
                    span: Some(span.clone()),
                    bad: HashSet::new(),
                }));
                continue;
            }
            for span in batch {
                if self.problems.len() >= MAX_PROBLEMS_PER_FILE {
                    self.stopped = Some(span.lines.start);
                    break;
                }
                let before = self.budget;
                if let Some(item) =
                    recover(self.file, self.lines, span, &mut self.budget, self.problems)
                {
                    items.push(item);
                } else if self.budget == before || self.budget == 0 {
                    // Out of budget before this item could be parsed.
                    self.stopped = Some(span.lines.start);
                    break;
                }
            }
        }
        items
    }
}

/// Parses one file: in one go when it is well-formed, else item by item so that every problem
/// is found.
fn parse(file: &str, text: String, problems: &mut Vec<Problem>) -> Option<Parsed> {
    let lines = Lines::new(&text);
    let layout = layout(&lines);
    let mut parsed = Parsed {
        file: file.to_owned(),
        text: String::new(),
        line_starts: Vec::new(),
        terms: Vec::new(),
        categories: Vec::new(),
    };
    if lines.from(0).all(|(_, l)| ignorable(l)) {
        return Some(parsed);
    }
    // The YAML library's own limits come too late (see yaml_budget): measure first.
    if let Err(over) = yaml_budget::scan(&text, yaml_budget::GLOSSARY) {
        problems.push(Problem {
            file: file.to_owned(),
            line: Some(over.line),
            column: Some(over.column),
            message: over.limit.to_string(),
            fatal: true,
        });
        return None;
    }
    match serde_yaml::from_str::<FileDoc>(&text) {
        Ok(doc) => {
            let spans = |found: &[Span], count: usize| -> Vec<Option<Span>> {
                (0..count)
                    .map(|i| (found.len() == count).then(|| found[i].clone()))
                    .collect()
            };
            let term_spans = spans(&layout.terms, doc.terms.len());
            let category_spans = spans(&layout.categories, doc.categories.len());
            parsed.terms = doc
                .terms
                .into_iter()
                .zip(term_spans)
                .map(|(value, span)| Item {
                    value,
                    span,
                    bad: HashSet::new(),
                })
                .collect();
            parsed.categories = doc
                .categories
                .into_iter()
                .zip(category_spans)
                .map(|(value, span)| Item {
                    value,
                    span,
                    bad: HashSet::new(),
                })
                .collect();
        }
        Err(whole) => {
            let before = problems.len();
            // Recovery parses items again (in batches, then one by one where a batch fails, a
            // few times each at most): within a budget of twice the file's size.
            let mut recovery = Recovery {
                file,
                text: &text,
                lines: &lines,
                line_starts: &lines.starts,
                budget: text.len().saturating_mul(2).max(256 * 1024),
                stopped: None,
                problems,
            };
            for (n, key) in &layout.unknown_keys {
                recovery.problems.push(Problem {
                    file: file.to_owned(),
                    line: Some(n + 1),
                    column: Some(1),
                    message: format!(
                        "unknown key '{}'; a team file has 'terms' and 'categories'",
                        crate::render::quote(key)
                    ),
                    fatal: false,
                });
            }
            parsed.categories = recovery.items(&layout.categories);
            parsed.terms = recovery.items(&layout.terms);
            let stopped = recovery.stopped;
            if let Some(line) = stopped {
                problems.push(Problem {
                    file: file.to_owned(),
                    line: Some(line + 1),
                    column: Some(1),
                    message: format!(
                        "stopped checking here, after {} problems: fix these and check again",
                        problems.len() - before
                    ),
                    fatal: false,
                });
            }
            if stopped.is_none() && problems.len() == before {
                // Nothing found item by item (a flow-style list, a problem between items, or
                // recovery out of budget): the whole file's first error.
                let location = whole.location();
                problems.push(Problem {
                    file: file.to_owned(),
                    line: location.as_ref().map(|l| l.line()),
                    column: location.as_ref().map(|l| l.column()),
                    message: error_message(&whole),
                    fatal: false,
                });
            }
        }
    }
    parsed.line_starts = lines.starts;
    parsed.text = text;
    Some(parsed)
}

/// yaml_serde's message, made to read well beside a position: without the position it appends,
/// without the `.[0].` path into the list, and with a suggestion for a misspelt field.
fn error_message(err: &serde_yaml::Error) -> String {
    let mut message = err.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    if let Some((path, rest)) = message.split_once(": ")
        && !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._[]-".contains(c))
    {
        // The item's place in its list (`[3].`, `terms[3].`) is shown as a line instead.
        let mut path = path.trim_start_matches('.');
        for list in ["terms[", "categories[", "["] {
            if let Some(after) = path.strip_prefix(list)
                && let Some(end) = after.find(']')
                && after[..end].bytes().all(|b| b.is_ascii_digit())
            {
                path = after[end + 1..].trim_start_matches('.');
                break;
            }
        }
        message = if path.is_empty() {
            rest.to_owned()
        } else {
            format!("{path}: {rest}")
        };
    }
    // "unknown field `sumary`, expected one of `id`, `name`, …" → a suggestion.
    for what in ["unknown field", "unknown variant"] {
        if let Some(start) = message.find(&format!("{what} `")) {
            let rest = &message[start + what.len() + 2..];
            let Some((wrong, expected)) = rest.split_once('`') else {
                continue;
            };
            let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let best = candidates
                .iter()
                .map(|c| (c, strsim::damerau_levenshtein(c, wrong)))
                .filter(|(_, d)| *d <= 2)
                .min_by_key(|(_, d)| *d);
            let prefix = &message[..start];
            let wrong = crate::render::quote(wrong);
            message = match best {
                Some((c, _)) => format!("{prefix}{what} '{wrong}' (did you mean '{c}'?)"),
                None => format!(
                    "{prefix}{what} '{wrong}'; expected one of {}",
                    candidates.join(", ")
                ),
            };
        }
    }
    message
}

/// One file as loaded, for `check` to summarise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// The file, as given.
    pub file: String,
    /// Its terms.
    pub terms: usize,
    /// The categories it declares.
    pub categories: usize,
    /// Whether it was skipped as the same file as an earlier one (by device and inode).
    pub duplicate: bool,
}

/// Everything loaded from the team files, and every problem found in them, sorted by file (in
/// the order given), line and column.
#[derive(Debug)]
pub struct Loaded {
    /// The team terms, each with its file.
    pub terms: Vec<(Term, Origin)>,
    /// Every category in display order: the built-in ones, then the teams' own.
    pub categories: Vec<Category>,
    /// The files, in order.
    pub files: Vec<FileSummary>,
    /// The problems; the terms and categories are usable only when this is empty.
    pub problems: Vec<Problem>,
}

/// The identity of a file, to load each file once however it is named.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    let _ = path;
    None
}

/// Reads, parses and checks glossary files against the built-in terms. Each file is read once
/// (by device and inode). Every problem is found, however many files and terms have one.
pub fn load(paths: &[PathBuf], builtin: &[Term]) -> Loaded {
    let mut problems = Vec::new();
    let mut files: Vec<Parsed> = Vec::new();
    // (Parsed files are kept whole until the checks have placed their problems.)
    let mut summaries: Vec<FileSummary> = Vec::new();
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut order: HashMap<String, usize> = HashMap::new();
    for path in paths {
        let file = path.display().to_string();
        let next = order.len();
        order.entry(file.clone()).or_insert(next);
        if let Some(id) = identity(path)
            && !seen.insert(id)
        {
            summaries.push(FileSummary {
                file,
                terms: 0,
                categories: 0,
                duplicate: true,
            });
            continue;
        }
        let text = match read(path) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        if let Some(parsed) = parse(&file, text, &mut problems) {
            summaries.push(FileSummary {
                file,
                terms: parsed.terms.len(),
                categories: parsed.categories.len(),
                duplicate: false,
            });
            files.push(parsed);
        }
    }
    // Every file's terms in one list for the checks, each with its file and place.
    let mut all: Vec<Term> = Vec::new();
    let mut places: Vec<Place> = Vec::new();
    for (file, parsed) in files.iter_mut().enumerate() {
        for item in parsed.terms.drain(..) {
            all.push(item.value);
            places.push(Place {
                file,
                span: item.span,
                bad: item.bad,
            });
        }
    }
    let categories = check_categories(&files, &all, &places, &mut problems);
    check_terms(&files, builtin, &all, &places, &mut problems);

    problems.sort_by_key(|p| {
        (
            order.get(&p.file).copied().unwrap_or(usize::MAX),
            p.line.unwrap_or(0),
            p.column.unwrap_or(0),
        )
    });
    // However many problems a file has, the first MAX_PROBLEMS_PER_FILE are listed.
    let mut per_file: HashMap<String, usize> = HashMap::new();
    let mut left_out: Vec<(String, usize)> = Vec::new();
    problems.retain(|p| {
        let count = per_file.entry(p.file.clone()).or_insert(0);
        *count += 1;
        if *count <= MAX_PROBLEMS_PER_FILE {
            return true;
        }
        match left_out.last_mut() {
            Some((file, n)) if *file == p.file => *n += 1,
            _ => left_out.push((p.file.clone(), 1)),
        }
        false
    });
    for (file, n) in left_out {
        let at = problems
            .iter()
            .rposition(|p| p.file == file)
            .map_or(problems.len(), |i| i + 1);
        problems.insert(
            at,
            Problem {
                file,
                line: None,
                column: None,
                message: format!("{n} more problem(s) not listed: fix these and check again"),
                fatal: false,
            },
        );
    }
    let builtin_ids: HashSet<&str> = builtin.iter().map(|b| &*b.id).collect();
    let terms = all
        .into_iter()
        .zip(places)
        .map(|(term, place)| {
            let replaces_builtin = builtin_ids.contains(&*term.id);
            let file = files[place.file].file.clone();
            (
                term,
                Origin {
                    file,
                    replaces_builtin,
                },
            )
        })
        .collect();
    Loaded {
        terms,
        categories,
        files: summaries,
        problems,
    }
}

fn problem_at(
    parsed: &Parsed,
    span: Option<&Span>,
    field: Option<&str>,
    message: String,
) -> Problem {
    let (line, column) = match span {
        Some(span) => {
            let (line, column) = locate(&parsed.text, &parsed.line_starts, span, field);
            (Some(line), Some(column))
        }
        None => (None, None),
    };
    Problem {
        file: parsed.file.clone(),
        line,
        column,
        message,
        fatal: false,
    }
}

/// Checks the declared categories and returns every category in display order: the built-in
/// ones, then the declared ones (each after the category its `after` names, else after the
/// built-in ones, in the order declared), then the ones terms use without declaring them.
fn check_categories(
    files: &[Parsed],
    terms: &[Term],
    places: &[Place],
    problems: &mut Vec<Problem>,
) -> Vec<Category> {
    let builtin_index = |id: &str| BUILTIN_CATEGORIES.iter().position(|c| c.id == id);
    let last_builtin = BUILTIN_CATEGORIES.len() - 1;
    // (sort key, category), with the key (built-in position it follows, declaration order).
    let mut declared: Vec<((usize, usize), Category)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for parsed in files {
        for item in &parsed.categories {
            let c = &item.value;
            let mut report = |field: Option<&str>, message: String| {
                if field.is_none_or(|f| !item.bad.contains(f)) {
                    problems.push(problem_at(parsed, item.span.as_ref(), field, message));
                }
            };
            if !is_kebab_case(&c.id) {
                report(
                    Some("id"),
                    format!(
                        "category id '{}' must be kebab-case: lowercase letters and digits joined by single hyphens",
                        crate::render::quote(&c.id)
                    ),
                );
                continue;
            }
            if builtin_index(&c.id).is_some() {
                report(
                    Some("id"),
                    format!("'{}' is a built-in category; choose another id", c.id),
                );
                continue;
            }
            for (field, value) in [("title", Some(&c.title)), ("about", c.about.as_ref())] {
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    if value.chars().any(is_bidi_control) {
                        report(
                            Some(field),
                            format!(
                                "{field} contains a bidirectional control character, which can make text display in another order than it is written"
                            ),
                        );
                    } else if value.chars().any(char::is_control) {
                        report(
                            Some(field),
                            format!("{field} contains a control character or line break"),
                        );
                    }
                }
            }
            if let Some(colour) = c.colour.as_deref().filter(|c| !is_hex_colour(c)) {
                report(
                    Some("colour"),
                    format!(
                        "colour must be #rrggbb, such as #e6fcf5, not '{}'",
                        crate::render::quote(colour)
                    ),
                );
            }
            let anchor = match c.after.as_deref() {
                None => Some(last_builtin),
                Some(after) => match builtin_index(after) {
                    Some(i) => Some(i),
                    None => match by_id.get(after) {
                        Some(&earlier) => Some(declared[earlier].0.0),
                        None => {
                            report(
                                Some("after"),
                                format!(
                                    "after: '{}' is not a built-in category or one declared before this one",
                                    crate::render::quote(after)
                                ),
                            );
                            None
                        }
                    },
                },
            };
            if let Some(&earlier) = by_id.get(&*c.id) {
                let same =
                    declared[earlier].1.title == c.title && declared[earlier].1.after == c.after;
                if !same {
                    report(
                        Some("id"),
                        format!("category '{}' is declared twice, differently", c.id),
                    );
                }
                continue;
            }
            if declared.len() >= MAX_CATEGORIES {
                report(
                    None,
                    format!("more than {MAX_CATEGORIES} categories, the limit"),
                );
                break;
            }
            let mut category = c.clone();
            if category.title.trim().is_empty() {
                category.title = title_from_id(&c.id).into();
            }
            by_id.insert(c.id.to_string(), declared.len());
            let order = declared.len();
            declared.push(((anchor.unwrap_or(last_builtin), 1 + order), category));
        }
    }
    // Categories used by terms without being declared; near misses of known ones are problems.
    let known: Vec<String> = BUILTIN_CATEGORIES
        .iter()
        .map(|c| c.id.to_string())
        .chain(by_id.keys().cloned())
        .collect();
    let mut used: Vec<((usize, usize), Category)> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    for (term, place) in terms.iter().zip(places) {
        let parsed = &files[place.file];
        {
            let id = &*term.category;
            if place.bad.contains("category")
                || known.iter().any(|k| k == id)
                || used_ids.contains(id)
            {
                continue;
            }
            let mut report = |message: String| {
                problems.push(problem_at(
                    parsed,
                    place.span.as_ref(),
                    Some("category"),
                    message,
                ));
            };
            if !is_kebab_case(id) {
                let lower = id.to_ascii_lowercase();
                let hint = if known.contains(&lower) {
                    format!(" (did you mean '{lower}'?)")
                } else {
                    String::new()
                };
                report(format!(
                    "category '{}' must be kebab-case: lowercase letters and digits joined by single hyphens{hint}",
                    crate::render::quote(id)
                ));
                continue;
            }
            let near = known
                .iter()
                .map(|k| (k, strsim::damerau_levenshtein(k, id)))
                .filter(|&(k, d)| d <= 1 || (d == 2 && k.len() > 4 && id.len() > 4))
                .min_by_key(|&(_, d)| d);
            if let Some((meant, _)) = near {
                report(format!(
                    "unknown category '{id}' (did you mean '{meant}'?); to start a new one, declare it under 'categories:'"
                ));
                continue;
            }
            if declared.len() + used.len() >= MAX_CATEGORIES {
                report(format!("more than {MAX_CATEGORIES} categories, the limit"));
                continue;
            }
            used_ids.insert(id.to_owned());
            let order = MAX_CATEGORIES + used.len();
            used.push((
                (last_builtin, 1 + order),
                Category {
                    id: id.to_owned().into(),
                    title: title_from_id(id).into(),
                    about: None,
                    after: None,
                    colour: None,
                },
            ));
        }
    }
    let mut team: Vec<((usize, usize), Category)> = declared.into_iter().chain(used).collect();
    team.sort_by_key(|(key, _)| *key);
    // Built-in i sorts as (i, 0): before the team categories that follow it.
    let mut all: Vec<((usize, usize), Category)> = BUILTIN_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| ((i, 0), c.clone()))
        .collect();
    let mut next_colour = 0;
    for (key, mut category) in team {
        if !category.colour.as_deref().is_some_and(is_hex_colour) {
            category.colour = Some(TEAM_COLOURS[next_colour % TEAM_COLOURS.len()].into());
            next_colour += 1;
        }
        all.push((key, category));
    }
    all.sort_by_key(|(key, _)| *key);
    all.into_iter().map(|(_, c)| c).collect()
}

/// Where a term of the combined list came from.
struct Place {
    file: usize,
    span: Option<Span>,
    bad: HashSet<String>,
}

/// The file checks on every term of every file together, reported where each term stands.
fn check_terms(
    files: &[Parsed],
    builtin: &[Term],
    terms: &[Term],
    places: &[Place],
    problems: &mut Vec<Problem>,
) {
    for found in schema::check(terms, builtin) {
        let place = &places[found.term];
        if found.field.is_some_and(|field| place.bad.contains(field)) {
            continue;
        }
        problems.push(problem_at(
            &files[place.file],
            place.span.as_ref(),
            found.field,
            found.message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Glossary;

    /// Writes `contents` to `NAME` in `dir`.
    fn temp(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, contents).expect("temp file");
        path
    }

    fn load_one(dir: &tempfile::TempDir, name: &str, text: &str) -> (Loaded, String) {
        let path = temp(dir, name, text.as_bytes());
        let loaded = load(std::slice::from_ref(&path), Glossary::builtin().terms());
        (loaded, path.display().to_string())
    }

    const GOOD: &str = "- id: feature-store\n  name: Feature store\n  category: ml\n  summary: Where our features live.\n  body: Built on [[volume|volumes]].\n  related: [volume]\n  docs: https://docs.docker.com/\n";

    #[test]
    fn a_good_file_loads_and_may_link_to_builtin_terms() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (loaded, _) = load_one(&dir, "good.yaml", GOOD);
        assert_eq!(loaded.problems, []);
        assert_eq!(loaded.terms.len(), 1);
        assert_eq!(loaded.terms[0].0.id, "feature-store");
        assert!(!loaded.terms[0].1.replaces_builtin);
        assert_eq!(loaded.categories, BUILTIN_CATEGORIES);
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "- id: a\n  name: A\n  category: ml\n  sumary: typo\n  body: x\n  docs: https://x\n- id: b\n  name: B\n  category: imgae\n  summary: s\n  body: x\n  docs: https://x\n- id: c\n  name: Image\n  category: ml\n  summary: s\n  body: see [[nowhere]]\n  docs: https://x\n";
        let (loaded, file) = load_one(&dir, "bad.yaml", text);
        let shown: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        let has = |line: usize, needle: &str| {
            shown
                .iter()
                .any(|p| p.starts_with(&format!("{file}:{line}:")) && p.contains(needle))
        };
        assert!(has(4, "sumary"), "{shown:#?}");
        assert!(has(9, "did you mean 'image'"), "{shown:#?}");
        assert!(has(14, "built-in term 'image'"), "{shown:#?}");
        assert!(has(17, "[[nowhere]]"), "{shown:#?}");
        assert_eq!(loaded.problems.len(), 4, "{shown:#?}");
    }

    #[test]
    fn one_term_with_several_mistakes_reports_them_all_and_the_others_are_still_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "- id: a\n  name: [not, a, string]\n  category: ml\n  sumary: typo\n  body: see [[nowhere]]\n  examples:\n    - command: x\n      nte: y\n  docs: https://x\n- id: b\n  name: B\n  category: ml\n  summary: s\n  body: x\n  related: [also-nowhere]\n  docs: https://x\n";
        let (loaded, file) = load_one(&dir, "many.yaml", text);
        let shown: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        let expected = [
            (2, "name: invalid type"),
            (4, "unknown field 'sumary' (did you mean 'summary'?)"),
            (5, "[[nowhere]]"),
            (8, "unknown field 'nte'"),
            (15, "'also-nowhere'"),
        ];
        for (line, needle) in expected {
            assert!(
                shown
                    .iter()
                    .any(|p| p.starts_with(&format!("{file}:{line}:")) && p.contains(needle)),
                "{line} {needle}: {shown:#?}"
            );
        }
        assert_eq!(shown.len(), expected.len(), "{shown:#?}");
        // Sorted by position.
        let lines: Vec<usize> = loaded.problems.iter().filter_map(|p| p.line).collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    }

    #[test]
    fn every_missing_field_is_reported_from_one_extra_parse() {
        assert_eq!(
            required_fields::<Term>(),
            ["id", "name", "category", "summary", "body", "docs"]
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let (loaded, _) = load_one(&dir, "bare.yaml", "- id: a\n  nme: A\n");
        let messages: Vec<&str> = loaded.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            // Sorted by position: the missing ones belong to the term's first line.
            [
                "missing field 'category'",
                "missing field 'summary'",
                "missing field 'body'",
                "missing field 'docs'",
                "unknown field 'nme' (did you mean 'name'?)",
            ]
        );
    }

    #[test]
    fn team_categories_are_declared_or_derived_and_ordered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "categories:\n  - id: mlops\n    title: MLOps at Acme\n    colour: \"#123456\"\n  - id: early\n    after: image\nterms:\n  - id: pipeline\n    name: Pipeline\n    category: mlops\n    summary: s\n    body: b\n    docs: https://x\n  - id: infra-thing\n    name: Infra thing\n    category: our-infra\n    summary: s\n    body: b\n    docs: https://x\n";
        let (loaded, _) = load_one(&dir, "cats.yaml", text);
        assert_eq!(loaded.problems, []);
        let ids: Vec<&str> = loaded.categories.iter().map(|c| &*c.id).collect();
        assert_eq!(
            ids,
            [
                "build",
                "image",
                "early",
                "run",
                "storage",
                "network",
                "distribution",
                "orchestration",
                "runtime",
                "ml",
                "mlops",
                "our-infra"
            ]
        );
        let title = |id: &str| {
            loaded
                .categories
                .iter()
                .find(|c| c.id == id)
                .map(|c| (c.title.to_string(), c.colour.clone()))
        };
        assert_eq!(
            title("mlops"),
            Some(("MLOps at Acme".into(), Some("#123456".into())))
        );
        assert_eq!(title("our-infra").map(|t| t.0), Some("Our infra".into()));
        assert!(
            title("early")
                .and_then(|t| t.1)
                .is_some_and(|c| is_hex_colour(&c))
        );
    }

    #[test]
    fn bad_categories_are_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "categories:\n  - id: ml\n  - id: Bad_Id\n  - id: x\n    colour: red\n    after: nowhere\n  - id: y\n    title: \"a\\u202Eb\"\nterms: []\n";
        let (loaded, file) = load_one(&dir, "cats.yaml", text);
        let shown: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        for (line, needle) in [
            (2, "built-in category"),
            (3, "kebab-case"),
            (5, "#rrggbb"),
            (6, "'nowhere' is not"),
            (8, "bidirectional"),
        ] {
            assert!(
                shown
                    .iter()
                    .any(|p| p.starts_with(&format!("{file}:{line}:")) && p.contains(needle)),
                "{line} {needle}: {shown:#?}"
            );
        }
    }

    #[test]
    fn a_builtin_id_is_a_deliberate_override() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = GOOD
            .replace("feature-store", "image")
            .replace("Feature store", "Image (ours)");
        let (loaded, _) = load_one(&dir, "override.yaml", &text);
        assert_eq!(loaded.problems, []);
        assert!(loaded.terms[0].1.replaces_builtin);
    }

    #[test]
    fn the_same_file_twice_is_loaded_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = temp(&dir, "team.yaml", GOOD.as_bytes());
        let link = dir.path().join("link.yaml");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        let loaded = load(&[path.clone(), link, path], Glossary::builtin().terms());
        assert_eq!(loaded.problems, []);
        assert_eq!(loaded.terms.len(), 1);
        assert_eq!(loaded.files.iter().filter(|f| f.duplicate).count(), 2);
    }

    #[test]
    fn hostile_files_are_refused_quickly_and_cleanly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let cases: Vec<(&str, Vec<u8>, bool)> = vec![
            ("bomb.yaml", bomb.as_bytes().to_vec(), true),
            ("deep.yaml", deep.into_bytes(), true),
            ("binary.yaml", vec![0x7f, b'E', b'L', b'F', 0, 0, 1], true),
            ("latin1.yaml", b"- id: caf\xe9\n".to_vec(), true),
            ("map.yaml", b"id: not-a-list\n".to_vec(), false),
            ("alias.yaml", b"- *nowhere\n".to_vec(), false),
            ("scalar.yaml", b"just text\n".to_vec(), false),
        ];
        for (name, bytes, fatal) in cases {
            let path = temp(&dir, name, &bytes);
            let loaded = load(&[path], &[]);
            assert!(!loaded.problems.is_empty(), "{name}");
            assert_eq!(
                loaded.problems[0].fatal, fatal,
                "{name}: {:?}",
                loaded.problems
            );
        }
        let loaded = load(&[dir.path().to_path_buf()], &[]);
        assert!(loaded.problems[0].message.contains("directory"));
        assert!(loaded.problems[0].fatal);
        assert!(load(&[PathBuf::from("/no/such/file.yaml")], &[]).problems[0].fatal);
    }

    #[test]
    fn discovery_order_and_config_dir() {
        let dir = tempfile::tempdir().expect("temp dir");
        temp(&dir, "team.yml", b"");
        temp(&dir, "a.yaml", b"");
        temp(&dir, "notes.txt", b"");
        std::fs::create_dir(dir.path().join("folder.yaml")).expect("dir");
        #[cfg(unix)]
        std::os::unix::fs::symlink("/no/such/target", dir.path().join("dangling.yaml"))
            .expect("symlink");
        let found = discover(
            &[PathBuf::from("flag.yaml")],
            Some(OsStr::new("env1.yaml::env2.yaml")),
            Some(dir.path()),
        );
        let names: Vec<String> = found
            .files
            .iter()
            .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["flag.yaml", "env1.yaml", "env2.yaml", "a.yaml", "team.yml"]
        );
        assert_eq!(found.warnings.len(), 2, "{:?}", found.warnings);
        assert!(
            found
                .warnings
                .iter()
                .any(|w| w.contains("folder.yaml") && w.contains("directory"))
        );
        assert_eq!(
            discover(&[], None, Some(Path::new("/no/such/dir"))),
            Discovered::default()
        );
        assert_eq!(
            config_dir(Some(OsStr::new("/x")), Some(OsStr::new("/home/u"))),
            Some(PathBuf::from("/x/dterms"))
        );
        assert_eq!(
            config_dir(Some(OsStr::new("relative")), Some(OsStr::new("/home/u"))),
            Some(PathBuf::from("/home/u/.config/dterms"))
        );
        assert_eq!(config_dir(None, None), None);
    }
}
