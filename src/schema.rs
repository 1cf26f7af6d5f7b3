//! The glossary file format: `Term` and its parts, and the checks every glossary file must pass.
//!
//! This one file is compiled twice: into the library, and into `build.rs` (through `#[path]`),
//! which uses it to parse, check and embed `data/terms.yaml`. So it depends on std and serde only.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Text that is either compiled into the binary or read from a user file at run time.
pub type Text = Cow<'static, str>;

/// A list that is either compiled into the binary or read from a user file at run time.
pub type List<T> = Cow<'static, [T]>;

/// One glossary entry, as written in a glossary YAML file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Stable kebab-case identifier, used in links, JSON and completions.
    pub id: Text,
    /// Display name.
    pub name: Text,
    /// Other names people type for this term.
    #[serde(default)]
    pub aliases: List<Text>,
    /// How people ask about the term in their own words: symptoms, everyday phrases and words
    /// of error messages that its text does not use ("data lost after restart", "nvidia-smi
    /// not found"). Only `search` reads them; they are not names, so `show` never resolves
    /// them, and nothing prints them.
    #[serde(default)]
    pub asked: List<Text>,
    /// The id of the category the term is listed under: a built-in one (data/categories.yaml)
    /// or one a team glossary declares or uses.
    pub category: Text,
    /// One sentence.
    pub summary: Text,
    /// Markdown; may link other terms inline as `[[id]]` or `[[id|label]]`.
    pub body: Text,
    /// An optional comparison with something a Python programmer already knows.
    #[serde(default)]
    pub analogy: Option<Text>,
    /// Commands that show the term in use.
    #[serde(default)]
    pub examples: List<Example>,
    /// Explicit see-also links, by id.
    #[serde(default)]
    pub related: List<Text>,
    /// The official documentation page for the term.
    pub docs: Text,
    /// When the term's facts were last checked against its `sources`, as `YYYY-MM`. Required
    /// in the built-in glossary (see [`check_provenance`]); optional in team glossaries.
    #[serde(default)]
    pub checked: Option<Text>,
    /// The pages (https:// URLs) the term's facts were checked against, most specific first.
    #[serde(default)]
    pub sources: List<Text>,
    /// Derived, never read from a file: `related`, then the body's inline links, each once (see
    /// [`outgoing_links`]). Kept so that finding the terms that link to a term does not rescan
    /// every body on every run. build.rs fills it for the built-in glossary, and
    /// `Glossary::from_terms` for terms loaded at run time.
    #[serde(skip)]
    pub links: List<Text>,
}

/// A command line with a one-line note saying what it does.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The command, exactly as a user would type it.
    pub command: Text,
    /// What the command does.
    pub note: Text,
}

/// A group terms are listed under. The built-in ones come from data/categories.yaml; a team
/// glossary may declare its own under `categories:`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable kebab-case identifier, used in term files, `--category` and JSON.
    pub id: Text,
    /// A heading for listings. In a team file it may be left out: it is then made from the id.
    #[serde(default)]
    pub title: Text,
    /// What belongs in it, in one sentence (optional).
    #[serde(default)]
    pub about: Option<Text>,
    /// The category it is listed after (team categories only; by default after the built-in
    /// ones, in the order they are declared).
    #[serde(default)]
    pub after: Option<Text>,
    /// Its fill colour in graphs, as `#rrggbb` (optional in team files).
    #[serde(default)]
    pub colour: Option<Text>,
}

/// A title made from a category id: `our-infra` becomes `Our infra`.
pub fn title_from_id(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `colour` is a `#rrggbb` hex colour (the only form put into DOT and Mermaid output).
pub fn is_hex_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a character is a bidirectional formatting control (U+061C, U+200E, U+200F, U+202A
/// to U+202E, U+2066 to U+2069): text holding one can display in another order than it is
/// stored, so glossary files may not contain them and the sanitiser strips them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A piece of a term's body: plain markdown, or an inline link to another term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Markdown text with no links in it.
    Text(&'a str),
    /// `[[id]]` or `[[id|label]]`; `label` is the id when no label is given.
    Link {
        /// The id the link points to.
        id: &'a str,
        /// The words shown to the reader.
        label: &'a str,
    },
}

/// Splits a body into text and inline links. An unclosed `[[` is kept as text (the checks
/// report it).
pub fn segments(body: &str) -> impl Iterator<Item = Segment<'_>> {
    let mut rest = body;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match find_pair(rest, b'[') {
            Some(0) => match find_pair(rest, b']') {
                Some(end) => {
                    let inner = &rest[2..end];
                    rest = &rest[end + 2..];
                    let (id, label) = inner.split_once('|').unwrap_or((inner, inner));
                    Some(Segment::Link {
                        id: id.trim(),
                        label: label.trim(),
                    })
                }
                None => Some(Segment::Text(std::mem::take(&mut rest))),
            },
            Some(start) => {
                let text = &rest[..start];
                rest = &rest[start..];
                Some(Segment::Text(text))
            }
            None => Some(Segment::Text(std::mem::take(&mut rest))),
        }
    })
}

/// Where `[[` (or `]]`) first occurs. Searching for one byte uses memchr, which matters because
/// every show scans every body for links.
fn find_pair(text: &str, byte: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find(char::from(byte)) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&byte) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The ids a body links to inline, in order of appearance.
pub fn inline_links(body: &str) -> impl Iterator<Item = &str> {
    segments(body).filter_map(|segment| match segment {
        Segment::Link { id, .. } => Some(id),
        Segment::Text(_) => None,
    })
}

/// The ids a term points to: its `related` list, then the ids its body links inline, each once
/// and never itself.
pub fn outgoing_links(term: &Term) -> Vec<Text> {
    let mut ids: Vec<Text> = Vec::new();
    let inline = inline_links(&term.body).map(|id| Cow::Owned(id.to_owned()));
    for id in term.related.iter().cloned().chain(inline) {
        if id != term.id && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Lowercases and turns every run of characters that are not letters or digits into one
/// space, so that `Image-ID`, `image_id`, `image.id` and ` image id ` are the same key.
pub fn normalize_key(text: &str) -> String {
    normalized_chars(text).collect()
}

/// The characters of [`normalize_key`]'s result, without allocating: lookup compares every
/// key of the glossary this way.
pub fn normalized_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut started = false;
    let mut pending_space = false;
    text.chars().flat_map(move |c| {
        let keep = c.is_alphanumeric();
        let space = keep && pending_space && started;
        if keep {
            started = true;
            pending_space = false;
        } else {
            pending_space = true;
        }
        let letters = c.to_lowercase().filter(move |_| keep);
        space.then_some(' ').into_iter().chain(letters)
    })
}

/// What is wrong with one term of a glossary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Index of the term in its file.
    pub term: usize,
    /// The field at fault, when one is.
    pub field: Option<&'static str>,
    /// What is wrong, in one line.
    pub message: String,
}

/// Checks a glossary file's terms: well-formed ids, required fields present, no control
/// characters, names and aliases unique after normalisation, and every link resolving.
///
/// `others` are terms the file is loaded beside (the built-in glossary, for a user file): links
/// may point at them, and a term of `terms` whose id is theirs overrides it rather than clashing.
pub fn check(terms: &[Term], others: &[Term]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |term: usize, field: Option<&'static str>, message: String| {
        problems.push(Problem {
            term,
            field,
            message,
        })
    };

    // Every key (id, name, alias) a user can type, and who owns it.
    let mut owners: HashMap<String, (usize, &str)> = HashMap::new();
    let own_ids: std::collections::HashSet<&str> = terms.iter().map(|t| &*t.id).collect();
    let overridden = |id: &str| own_ids.contains(id);
    let mut outside: HashMap<String, &str> = HashMap::new();
    for other in others.iter().filter(|t| !overridden(&t.id)) {
        for key in keys(other) {
            outside.insert(normalize_key(key), &other.id);
        }
    }
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();

    for (index, term) in terms.iter().enumerate() {
        if let Some(first) = seen_ids.insert(&term.id, index) {
            report(
                index,
                Some("id"),
                format!("duplicate id '{}' (also term #{})", term.id, first + 1),
            );
        }
        if !is_kebab_case(&term.id) {
            report(
                index,
                Some("id"),
                format!(
                    "id '{}' must be kebab-case: lowercase letters and digits joined by single hyphens",
                    term.id.escape_debug()
                ),
            );
        }
        let single_line = [
            ("name", &term.name),
            ("summary", &term.summary),
            ("docs", &term.docs),
        ];
        for (field, value) in single_line {
            check_line(value, field, &mut |m| report(index, Some(field), m));
        }
        for alias in term.aliases.iter() {
            check_line(alias, "alias", &mut |m| report(index, Some("aliases"), m));
        }
        // Sets, not a search of the earlier entries: a team file may list thousands.
        let mut seen = std::collections::HashSet::new();
        for phrase in term.asked.iter() {
            check_line(phrase, "asked phrase", &mut |m| {
                report(index, Some("asked"), m)
            });
            if !seen.insert(phrase) {
                report(
                    index,
                    Some("asked"),
                    format!("asked phrase '{}' is listed twice", phrase.escape_debug()),
                );
            }
        }
        check_block(&term.body, "body", &mut |m| report(index, Some("body"), m));
        if let Some(analogy) = &term.analogy {
            check_block(analogy, "analogy", &mut |m| {
                report(index, Some("analogy"), m)
            });
        }
        for example in term.examples.iter() {
            check_line(&example.command, "example command", &mut |m| {
                report(index, Some("examples"), m)
            });
            check_line(&example.note, "example note", &mut |m| {
                report(index, Some("examples"), m)
            });
        }
        if !term.docs.starts_with("https://") {
            report(
                index,
                Some("docs"),
                format!(
                    "docs must be an https:// URL, not '{}'",
                    term.docs.escape_debug()
                ),
            );
        }
        if let Some(checked) = term.checked.as_deref().filter(|c| !is_year_month(c)) {
            report(
                index,
                Some("checked"),
                format!(
                    "checked must be a year and month such as 2026-11, not '{}'",
                    checked.escape_debug()
                ),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for source in term.sources.iter() {
            if !source.starts_with("https://") || source.chars().any(char::is_whitespace) {
                report(
                    index,
                    Some("sources"),
                    format!(
                        "each source must be an https:// URL, not '{}'",
                        source.escape_debug()
                    ),
                );
            } else if !seen.insert(source) {
                report(
                    index,
                    Some("sources"),
                    format!("source {source} is listed twice"),
                );
            }
        }
        if term.body.matches("[[").count() != term.body.matches("]]").count() {
            report(index, Some("body"), "unbalanced [[ ]] link brackets".into());
        }

        for key in keys(term) {
            let normal = normalize_key(key);
            if normal.is_empty() {
                continue; // reported above as an empty field
            }
            if let Some(other) = outside.get(&normal) {
                report(
                    index,
                    Some(field_of(term, key)),
                    format!("'{key}' is already a name or alias of built-in term '{other}'"),
                );
            } else if let Some(&(first, first_id)) = owners.get(&normal) {
                if first != index {
                    report(
                        index,
                        Some(field_of(term, key)),
                        format!("'{key}' is already a name or alias of '{first_id}'"),
                    );
                }
            } else {
                owners.insert(normal, (index, &term.id));
            }
        }
    }

    let known: std::collections::HashSet<&str> =
        terms.iter().chain(others).map(|t| &*t.id).collect();
    let exists = |id: &str| known.contains(id);
    for (index, term) in terms.iter().enumerate() {
        for id in term.related.iter() {
            if !exists(id) {
                report(
                    index,
                    Some("related"),
                    format!("related term '{id}' does not exist"),
                );
            } else if *id == term.id {
                report(
                    index,
                    Some("related"),
                    "a term cannot be related to itself".into(),
                );
            }
        }
        for id in inline_links(&term.body) {
            if !exists(id) {
                report(
                    index,
                    Some("body"),
                    format!("link [[{id}]] points to no term"),
                );
            }
        }
    }
    problems
}

/// Checks that every term says when its facts were last checked and against what: a
/// `checked` month and at least one source. The built-in glossary must pass this (build.rs
/// refuses it otherwise); team glossaries need not. The format of both fields is checked by
/// [`check`] whenever they are present.
pub fn check_provenance(terms: &[Term]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        if term.checked.is_none() {
            problems.push(Problem {
                term: index,
                field: Some("id"),
                message: format!(
                    "term '{}' has no checked field (the month its facts were last checked, such as 2026-11)",
                    term.id
                ),
            });
        }
        if term.sources.is_empty() {
            problems.push(Problem {
                term: index,
                field: Some("id"),
                message: format!(
                    "term '{}' has no sources (the URLs its facts were checked against)",
                    term.id
                ),
            });
        }
    }
    problems
}

/// Whether `text` is a month written `YYYY-MM`, from 2000-01 to 2099-12.
fn is_year_month(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    bytes.len() == 7
        && bytes[4] == b'-'
        && bytes.starts_with(b"20")
        && digits(0..4)
        && digits(5..7)
        && matches!(
            (bytes[5], bytes[6]),
            (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2')
        )
}

/// The id, name and aliases of a term: everything `show` matches exactly.
pub fn keys(term: &Term) -> impl Iterator<Item = &str> {
    [&*term.id, &*term.name]
        .into_iter()
        .chain(term.aliases.iter().map(|a| &**a))
}

fn field_of(term: &Term, key: &str) -> &'static str {
    if key == term.id {
        "id"
    } else if key == term.name {
        "name"
    } else {
        "aliases"
    }
}

/// Whether `id` is lowercase words of ASCII letters and digits joined by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn check_line(value: &str, what: &str, report: &mut dyn FnMut(String)) {
    if value.trim().is_empty() {
        report(format!("{what} is empty"));
    } else if value.chars().any(is_bidi_control) {
        report(format!(
            "{what} contains a bidirectional control character, which can make text display in another order than it is written"
        ));
    } else if value.chars().any(char::is_control) {
        report(format!("{what} contains a control character or line break"));
    }
}

fn check_block(value: &str, what: &str, report: &mut dyn FnMut(String)) {
    if value.trim().is_empty() {
        report(format!("{what} is empty"));
    } else if value.chars().any(is_bidi_control) {
        report(format!(
            "{what} contains a bidirectional control character, which can make text display in another order than it is written"
        ));
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        report(format!("{what} contains a control character"));
    }
}

/// Finds the 1-based line of a term (and, if given, of one of its fields) in the YAML source
/// it was read from, for error messages. Terms are the top-level `- ` items of the file.
pub fn locate(source: &str, term: usize, field: Option<&str>) -> Option<usize> {
    let mut starts = source
        .lines()
        .enumerate()
        .filter(|(_, line)| *line == "-" || line.starts_with("- "))
        .map(|(number, _)| number);
    let start = starts.nth(term)?;
    let end = starts.next().unwrap_or(usize::MAX);
    let Some(field) = field else {
        return Some(start + 1);
    };
    let found = source
        .lines()
        .enumerate()
        .skip(start)
        .take(end.saturating_sub(start))
        .find(|(number, line)| {
            let line = if *number == start { &line[1..] } else { line };
            let line = line.trim_start();
            line.strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        });
    Some(found.map_or(start, |(number, _)| number) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(id: &'static str, body: &'static str, related: &'static [Text]) -> Term {
        Term {
            id: id.into(),
            name: id.into(),
            aliases: List::default(),
            asked: List::default(),
            category: "image".into(),
            summary: "A summary.".into(),
            body: body.into(),
            analogy: None,
            examples: List::default(),
            related: Cow::Borrowed(related),
            docs: "https://docs.docker.com/".into(),
            checked: None,
            sources: List::default(),
            links: List::default(),
        }
    }

    #[test]
    fn keys_normalise_separators_and_case() {
        assert_eq!(normalize_key("  Image-ID "), "image id");
        assert_eq!(normalize_key("image_id"), "image id");
        assert_eq!(normalize_key(".dockerignore"), "dockerignore");
        assert_eq!(normalize_key("multi--stage   build"), "multi stage build");
        assert_eq!(normalize_key("--"), "");
    }

    #[test]
    fn segments_split_links_with_and_without_labels() {
        let parts: Vec<_> = segments("An [[image]] is [[tag|tagged]].").collect();
        assert_eq!(
            parts,
            [
                Segment::Text("An "),
                Segment::Link {
                    id: "image",
                    label: "image"
                },
                Segment::Text(" is "),
                Segment::Link {
                    id: "tag",
                    label: "tagged"
                },
                Segment::Text("."),
            ]
        );
        let unclosed: Vec<_> = segments("a [[b").collect();
        assert_eq!(unclosed, [Segment::Text("a "), Segment::Text("[[b")]);
    }

    #[test]
    fn check_accepts_a_consistent_glossary() {
        let terms = [
            term("image", "See [[tag]].", &[]),
            term("tag", "Names an [[image]].", &[]),
        ];
        assert_eq!(check(&terms, &[]), []);
    }

    #[test]
    fn check_reports_dangling_links_duplicates_and_bad_ids() {
        static RELATED: [Text; 1] = [Cow::Borrowed("nowhere")];
        let terms = [
            term("image", "See [[missing]].", &RELATED),
            term("image", "x", &[]),
            term("Bad_Id", "x", &[]),
        ];
        let messages: Vec<_> = check(&terms, &[]).into_iter().map(|p| p.message).collect();
        assert!(
            messages.iter().any(|m| m.contains("duplicate id 'image'")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("[[missing]]")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("'nowhere' does not exist")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("kebab-case")),
            "{messages:?}"
        );
    }

    #[test]
    fn check_reports_empty_and_repeated_asked_phrases() {
        static ASKED: [Text; 3] = [
            Cow::Borrowed("data lost"),
            Cow::Borrowed(" "),
            Cow::Borrowed("data lost"),
        ];
        let mut a = term("volume", "x", &[]);
        a.asked = Cow::Borrowed(&ASKED);
        let problems = check(&[a], &[]);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            problems.iter().all(|p| p.field == Some("asked")),
            "{messages:?}"
        );
        assert!(messages.contains(&"asked phrase is empty"), "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("'data lost' is listed twice")),
            "{messages:?}"
        );
    }

    #[test]
    fn check_reports_names_that_clash_after_normalisation() {
        let mut a = term("image-id", "x", &[]);
        a.name = "Image ID".into();
        let mut b = term("digest", "x", &[]);
        b.aliases = Cow::Owned(vec!["image_id".into()]);
        let problems = check(&[a, b], &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].term, 1);
        assert_eq!(problems[0].field, Some("aliases"));
    }

    #[test]
    fn check_rejects_control_characters_and_empty_fields() {
        let mut a = term("image", "x", &[]);
        a.summary = "evil \u{1b}[31m".into();
        a.name = " ".into();
        let fields: Vec<_> = check(&[a], &[]).into_iter().map(|p| p.field).collect();
        assert!(fields.contains(&Some("summary")));
        assert!(fields.contains(&Some("name")));
    }

    #[test]
    fn user_terms_may_link_to_and_override_others() {
        let builtin = [term("image", "x", &[]), term("tag", "x", &[])];
        let user = [term("tag", "Our [[image]] tags.", &[])];
        assert_eq!(check(&user, &builtin), []);
        let mut clash = term("label", "x", &[]);
        clash.aliases = Cow::Owned(vec!["Image".into()]);
        assert_eq!(check(&[clash], &builtin).len(), 1);
    }

    #[test]
    fn provenance_is_required_by_check_provenance_and_its_format_by_check() {
        let mut a = term("image", "x", &[]);
        assert_eq!(check(std::slice::from_ref(&a), &[]), []);
        let missing: Vec<_> = check_provenance(std::slice::from_ref(&a))
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0].contains("no checked field"), "{missing:?}");
        assert!(missing[1].contains("no sources"), "{missing:?}");

        a.checked = Some("2026-11".into());
        a.sources = Cow::Owned(vec!["https://docs.docker.com/engine/".into()]);
        assert_eq!(check_provenance(std::slice::from_ref(&a)), []);
        assert_eq!(check(std::slice::from_ref(&a), &[]), []);

        for bad in [
            "2026-13",
            "2026-00",
            "26-11",
            "2026/11",
            "2026-11-27",
            "November",
        ] {
            a.checked = Some(bad.into());
            let fields: Vec<_> = check(std::slice::from_ref(&a), &[])
                .into_iter()
                .map(|p| p.field)
                .collect();
            assert_eq!(fields, [Some("checked")], "{bad}");
        }
        a.checked = Some("2026-11".into());
        a.sources = Cow::Owned(vec![
            "http://example.com".into(),
            "https://a.example/".into(),
            "https://a.example/".into(),
        ]);
        let messages: Vec<_> = check(std::slice::from_ref(&a), &[])
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("https:// URL"), "{messages:?}");
        assert!(messages[1].contains("listed twice"), "{messages:?}");
    }

    #[test]
    fn locate_finds_terms_and_fields() {
        let source = "# c\n- id: a\n  name: A\n- id: b\n  summary: s\n  name: B\n";
        assert_eq!(locate(source, 0, None), Some(2));
        assert_eq!(locate(source, 0, Some("id")), Some(2));
        assert_eq!(locate(source, 1, Some("name")), Some(6));
        assert_eq!(locate(source, 1, Some("docs")), Some(4));
        assert_eq!(locate(source, 2, None), None);
    }
}
