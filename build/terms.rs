//! The glossary: parses and checks `data/terms.yaml` and emits `BUILTIN` and its search index.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use crate::fail;

use crate::index;
use crate::schema::{self, Example, Term};

const SOURCE: &str = "data/terms.yaml";

/// Checks data/terms.yaml (every term's category one of `categories`) and writes
/// `$OUT_DIR/terms.rs`.
pub fn compile(categories: &[String]) {
    println!("cargo::rerun-if-changed={SOURCE}");
    println!("cargo::rerun-if-changed=src/schema.rs");

    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let terms: Vec<Term> = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{SOURCE}:{line}: {err}"))
    });
    if terms.is_empty() {
        fail(&format!("{SOURCE}: the glossary has no terms"));
    }
    let mut problems = schema::check(&terms, &[]);
    // The built-in glossary must say when and against what each term was checked.
    problems.extend(schema::check_provenance(&terms));
    for (index, term) in terms.iter().enumerate() {
        if !categories.iter().any(|c| *c == *term.category) {
            problems.push(schema::Problem {
                term: index,
                field: Some("category"),
                message: format!(
                    "category '{}' is not one of data/categories.yaml: {}",
                    term.category,
                    categories.join(", ")
                ),
            });
        }
    }
    if !problems.is_empty() {
        for problem in &problems {
            let line = schema::locate(&text, problem.term, problem.field).unwrap_or(0);
            eprintln!("{SOURCE}:{line}: {}", problem.message);
        }
        fail(&format!(
            "{SOURCE}: {} problem(s), see above",
            problems.len()
        ));
    }

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("terms.rs");
    fs::write(&out, generate(&terms))
        .unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}

/// Rust source for `static BUILTIN: &[Term]`. `{:?}` of a `str` is a valid Rust string literal.
fn generate(terms: &[Term]) -> String {
    let mut code = String::from("/// The glossary compiled in from data/terms.yaml.\n");
    code.push_str("pub static BUILTIN: &[Term] = &[\n");
    for term in terms {
        let analogy = match &term.analogy {
            Some(text) => format!("Some(Cow::Borrowed({text:?}))"),
            None => "None".into(),
        };
        let checked = match &term.checked {
            Some(text) => format!("Some(Cow::Borrowed({text:?}))"),
            None => "None".into(),
        };
        let _ = writeln!(
            code,
            "    Term {{ id: Cow::Borrowed({:?}), name: Cow::Borrowed({:?}), aliases: {}, asked: {}, \
             category: Cow::Borrowed({:?}), summary: Cow::Borrowed({:?}), body: Cow::Borrowed({:?}), \
             analogy: {analogy}, examples: {}, related: {}, docs: Cow::Borrowed({:?}), checked: {checked}, sources: {}, links: {} }},",
            term.id,
            term.name,
            list(&term.aliases),
            list(&term.asked),
            term.category,
            term.summary,
            term.body,
            examples(&term.examples),
            list(&term.related),
            term.docs,
            list(&term.sources),
            list(&schema::outgoing_links(term)),
        );
    }
    code.push_str("];\n\n");
    let index = index::Index::build(terms);
    code.push_str(&index.static_item("The search index of BUILTIN.", "INDEX"));
    code
}

fn list(items: &[schema::Text]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|i| format!("Cow::Borrowed({i:?})"))
        .collect();
    format!("Cow::Borrowed(&[{}])", items.join(", "))
}

fn examples(items: &[Example]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|e| {
            format!(
                "Example {{ command: Cow::Borrowed({:?}), note: Cow::Borrowed({:?}) }}",
                e.command, e.note
            )
        })
        .collect();
    format!("Cow::Borrowed(&[{}])", items.join(", "))
}
