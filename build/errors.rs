//! The error knowledge base: parses and checks `data/errors.yaml` and emits `ENTRIES`, the
//! normalised `FRAGMENTS` their patterns point into, and the Aho-Corasick automaton that finds
//! every fragment in one pass over a paste, built here so no run pays for building it.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use serde::Deserialize;

use crate::error_text;
use crate::fail;
use crate::schema::{Term, is_kebab_case};

const SOURCE: &str = "data/errors.yaml";
const TERMS: &str = "data/terms.yaml";

/// The areas an entry can belong to: the variants of `errors::Area`, in YAML spelling.
const AREAS: [&str; 14] = [
    "gpu", "memory", "platform", "daemon", "disk", "ports", "names", "registry", "build",
    "runtime", "storage", "compose", "network", "jupyter",
];

/// A fragment this short matches too much text on its own.
const MIN_PATTERN_CHARS: usize = 8;
/// Fragments are phrases, not paragraphs.
const MAX_FRAGMENT_CHARS: usize = 120;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    title: String,
    area: String,
    #[serde(default)]
    generic: bool,
    patterns: Vec<Pattern>,
    cause: String,
    fix: Vec<String>,
    variants: Vec<Variant>,
    terms: Vec<String>,
    docs: String,
    checked: String,
    sources: Vec<String>,
    examples: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Pattern {
    One(String),
    Many {
        all: Vec<String>,
        #[serde(default)]
        not: Vec<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    when: String,
    note: String,
}

/// Checks data/errors.yaml and writes `$OUT_DIR/errors.rs` and `$OUT_DIR/error_automaton.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    println!("cargo::rerun-if-changed=src/error_text.rs");

    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let entries: Vec<Entry> = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{SOURCE}:{line}: {err}"))
    });
    let terms_text =
        fs::read_to_string(TERMS).unwrap_or_else(|err| fail(&format!("{TERMS}: {err}")));
    let terms: Vec<Term> =
        serde_yaml::from_str(&terms_text).unwrap_or_else(|err| fail(&format!("{TERMS}: {err}")));
    let known: HashSet<&str> = terms.iter().map(|t| &*t.id).collect();

    let problems = check(&entries, &known);
    if !problems.is_empty() {
        for (index, field, message) in &problems {
            let line = crate::schema::locate(&text, *index, Some(field)).unwrap_or(0);
            eprintln!("{SOURCE}:{line}: {message}");
        }
        fail(&format!(
            "{SOURCE}: {} problem(s), see above",
            problems.len()
        ));
    }

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let (code, fragments) = generate(&entries);
    for (name, code) in [
        ("errors.rs", code),
        ("error_automaton.rs", automaton(&fragments)),
    ] {
        let out = out_dir.join(name);
        fs::write(&out, code).unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
    }
}

impl Pattern {
    fn parts(&self) -> (Vec<&str>, Vec<&str>) {
        match self {
            Pattern::One(one) => (vec![one.as_str()], Vec::new()),
            Pattern::Many { all, not } => (
                all.iter().map(String::as_str).collect(),
                not.iter().map(String::as_str).collect(),
            ),
        }
    }
}

/// Every problem as (entry index, field, message).
fn check(entries: &[Entry], known_terms: &HashSet<&str>) -> Vec<(usize, &'static str, String)> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let mut report = |field: &'static str, message: String| {
            problems.push((index, field, format!("{}: {message}", entry.id)))
        };
        if let Some(first) = seen.insert(&entry.id, index) {
            report("id", format!("duplicate id (also entry #{})", first + 1));
        }
        if !is_kebab_case(&entry.id) {
            report("id", "id must be kebab-case".into());
        }
        if !AREAS.contains(&entry.area.as_str()) {
            report(
                "area",
                format!("area '{}' is not one of {AREAS:?}", entry.area),
            );
        }
        for (field, value) in [("title", &entry.title), ("docs", &entry.docs)] {
            if let Some(problem) = line_problem(value) {
                report(field, format!("{field} {problem}"));
            }
        }
        if entry.cause.trim().is_empty() || entry.cause.chars().any(|c| c.is_control() && c != '\n')
        {
            report("cause", "cause is empty or has control characters".into());
        }
        if entry.patterns.is_empty() {
            report("patterns", "no patterns".into());
        }
        let mut shapes = HashSet::new();
        for pattern in &entry.patterns {
            let (all, not) = pattern.parts();
            if all.is_empty() {
                report("patterns", "a pattern with no fragments".into());
            }
            let normal: Vec<String> = all.iter().map(|f| error_text::fragment(f)).collect();
            for (written, fragment) in all.iter().chain(&not).zip(
                normal
                    .iter()
                    .cloned()
                    .chain(not.iter().map(|f| error_text::fragment(f))),
            ) {
                if fragment.is_empty() {
                    report(
                        "patterns",
                        format!("fragment '{written}' is empty once normalised"),
                    );
                } else if fragment.chars().count() > MAX_FRAGMENT_CHARS {
                    report(
                        "patterns",
                        format!(
                            "fragment '{written}' is longer than {MAX_FRAGMENT_CHARS} characters"
                        ),
                    );
                }
            }
            let length: usize = normal.iter().map(|f| f.chars().count()).sum();
            if length < MIN_PATTERN_CHARS {
                report(
                    "patterns",
                    format!(
                        "pattern {all:?} is too short to be specific (under {MIN_PATTERN_CHARS} characters)"
                    ),
                );
            }
            if !shapes.insert((
                normal,
                not.iter()
                    .map(|f| error_text::fragment(f))
                    .collect::<Vec<_>>(),
            )) {
                report(
                    "patterns",
                    format!("pattern {all:?} is written twice (after normalisation)"),
                );
            }
        }
        if entry.fix.is_empty() {
            report("fix", "no fix steps".into());
        }
        for step in &entry.fix {
            if let Some(problem) = line_problem(step) {
                report("fix", format!("a fix step {problem}"));
            }
        }
        for variant in &entry.variants {
            if line_problem(&variant.when)
                .or(line_problem(&variant.note))
                .is_some()
            {
                report(
                    "variants",
                    "a variant's when or note is empty or not one line".into(),
                );
            }
        }
        if entry.terms.is_empty() {
            report("terms", "no term ids".into());
        }
        for id in &entry.terms {
            if !known_terms.contains(id.as_str()) {
                report("terms", format!("term '{id}' is not in {TERMS}"));
            }
        }
        if !entry.docs.starts_with("https://") {
            report("docs", "docs must be an https:// URL".into());
        }
        if !is_year_month(&entry.checked) {
            report(
                "checked",
                format!("checked must be YYYY-MM, not '{}'", entry.checked),
            );
        }
        if entry.sources.is_empty() {
            report("sources", "no sources".into());
        }
        for source in &entry.sources {
            if !source.starts_with("https://") || line_problem(source).is_some() {
                report(
                    "sources",
                    format!("source '{source}' must be one https:// URL"),
                );
            }
        }
        if entry.examples.is_empty() {
            report(
                "examples",
                "no examples: every entry needs real error texts".into(),
            );
        }
    }
    problems
}

fn line_problem(value: &str) -> Option<&'static str> {
    if value.trim().is_empty() {
        Some("is empty")
    } else if value.chars().any(char::is_control) {
        Some("has a line break or control character")
    } else {
        None
    }
}

fn is_year_month(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'-'
        && bytes[..4].iter().chain(&bytes[5..]).all(u8::is_ascii_digit)
        && matches!(
            &text[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
}

/// Rust source for `FRAGMENTS` (each normalised fragment once) and `ENTRIES`, whose patterns
/// hold indices into `FRAGMENTS`, and the fragments themselves. `{:?}` of a `str` is a valid
/// Rust string literal.
fn generate(entries: &[Entry]) -> (String, Vec<String>) {
    let mut fragments: Vec<String> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut intern = |text: &str| -> usize {
        let normal = error_text::fragment(text);
        *index_of.entry(normal.clone()).or_insert_with(|| {
            fragments.push(normal);
            fragments.len() - 1
        })
    };
    let mut code = String::new();
    code.push_str("/// Every entry of data/errors.yaml, in file order.\npub static ENTRIES: &[ErrorEntry] = &[\n");
    for entry in entries {
        let patterns: Vec<String> = entry
            .patterns
            .iter()
            .map(|pattern| {
                let (all, not) = pattern.parts();
                let all: Vec<usize> = all.iter().map(|f| intern(f)).collect();
                let not: Vec<usize> = not.iter().map(|f| intern(f)).collect();
                format!("Pattern {{ all: &{all:?}, not: &{not:?} }}")
            })
            .collect();
        let variants: Vec<String> = entry
            .variants
            .iter()
            .map(|v| format!("Variant {{ when: {:?}, note: {:?} }}", v.when, v.note))
            .collect();
        let area = {
            let mut name = entry.area.clone();
            name[..1].make_ascii_uppercase();
            name
        };
        let _ = writeln!(
            code,
            "    ErrorEntry {{ id: {:?}, title: {:?}, area: Area::{area}, generic: {}, patterns: &[{}], \
             cause: {:?}, fix: &{:?}, variants: &[{}], terms: &{:?}, docs: {:?}, checked: {:?}, \
             sources: &{:?}, examples: &{:?} }},",
            entry.id,
            entry.title,
            entry.generic,
            patterns.join(", "),
            entry.cause.split_whitespace().collect::<Vec<_>>().join(" "),
            entry.fix,
            variants.join(", "),
            entry.terms,
            entry.docs,
            entry.checked,
            entry.sources,
            entry.examples,
        );
    }
    code.push_str("];\n\n");
    let _ = writeln!(
        code,
        "/// The normalised fragments of every pattern, each once.\npub static FRAGMENTS: &[&str] = &{fragments:?};"
    );
    (code, fragments)
}

/// How many leading bytes of each fragment the automaton holds; a longer fragment is checked
/// in full where its first bytes are found. Fewer states make a table small enough to keep
/// every transition in it.
const AUTOMATON_PREFIX: usize = 8;
/// The flag on a transition whose state ends some fragment's leading bytes.
const HAS_OUTPUT: usize = 0x8000;

/// Rust source for the Aho-Corasick automaton (Aho and Corasick, 1975) of the first
/// [`AUTOMATON_PREFIX`] bytes of each fragment, as a full deterministic table: the trie of the
/// prefixes, with each state's failure link (the longest proper suffix of its text that is
/// also in the trie) resolved here, so a search makes exactly one transition per byte. Bytes
/// are mapped to classes first (every byte in no prefix is one class). Each state lists the
/// fragments whose prefix ends in it, its own and its failure chain's.
fn automaton(fragments: &[String]) -> String {
    let prefixes: Vec<&[u8]> = fragments
        .iter()
        .map(|f| &f.as_bytes()[..f.len().min(AUTOMATON_PREFIX)])
        .collect();
    let mut classes = [0usize; 256];
    let mut count = 1;
    for &byte in prefixes
        .iter()
        .flat_map(|p| p.iter())
        .collect::<BTreeSet<_>>()
    {
        classes[usize::from(byte)] = count;
        count += 1;
    }
    let mut children: Vec<Vec<usize>> = vec![vec![0; count]];
    let mut outputs: Vec<Vec<usize>> = vec![Vec::new()];
    for (id, prefix) in prefixes.iter().enumerate() {
        let mut state = 0;
        for &byte in *prefix {
            let class = classes[usize::from(byte)];
            if children[state][class] == 0 {
                children.push(vec![0; count]);
                outputs.push(Vec::new());
                children[state][class] = children.len() - 1;
            }
            state = children[state][class];
        }
        outputs[state].push(id);
    }
    let states = children.len();
    if states >= HAS_OUTPUT {
        fail(&format!(
            "{SOURCE}: the fragments make {states} automaton states, more than {HAS_OUTPUT}"
        ));
    }
    // delta[state][class]: the state after reading a byte of that class. Breadth first, so a
    // state's failure state (always shallower) is complete before it.
    let mut delta = children.clone();
    let mut failure = vec![0usize; states];
    let mut queue: VecDeque<usize> = children[0].iter().copied().filter(|&s| s != 0).collect();
    while let Some(state) = queue.pop_front() {
        let back = failure[state];
        for class in 0..count {
            let next = children[state][class];
            if next == 0 {
                delta[state][class] = delta[back][class];
            } else {
                failure[next] = delta[back][class];
                let inherited = outputs[failure[next]].clone();
                outputs[next].extend(inherited);
                queue.push_back(next);
            }
        }
    }
    let table: Vec<usize> = delta
        .iter()
        .flatten()
        .map(|&next| {
            next | if outputs[next].is_empty() {
                0
            } else {
                HAS_OUTPUT
            }
        })
        .collect();
    let (mut first_output, mut all_outputs) = (vec![0], Vec::new());
    for list in &outputs {
        all_outputs.extend(list.iter().copied());
        first_output.push(all_outputs.len());
    }
    let mut code = String::new();
    let _ = writeln!(
        code,
        "/// The automaton of the first bytes of every fragment in \
         [`FRAGMENTS`](crate::errors::FRAGMENTS): {states} states, {count} byte classes.\n\
         pub static AUTOMATON: Automaton = Automaton {{\n    \
         prefix: {AUTOMATON_PREFIX},\n    classes: &{classes:?},\n    stride: {count},\n    \
         transitions: &{table:?},\n    \
         first_output: &{first_output:?},\n    outputs: &{all_outputs:?},\n}};\n\n\
         /// The flag on a transition to a state that ends some fragment's first bytes.\n\
         const HAS_OUTPUT: u16 = {HAS_OUTPUT:#x};"
    );
    code
}
