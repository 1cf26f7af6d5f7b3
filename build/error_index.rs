//! The search index of the error knowledge base: reads the texts search ranks (id, title,
//! message fragments, cause, fix) from `data/errors.yaml`, which build/errors.rs checks, and
//! emits `ERROR_INDEX` in the order of the entries.

use std::borrow::Cow;
use std::path::PathBuf;
use std::{env, fs};

use serde::Deserialize;

use crate::error_text;
use crate::fail;
use crate::index::{Document, Index};

const SOURCE: &str = "data/errors.yaml";

/// The part of an entry search reads; build/errors.rs checks the rest.
#[derive(Deserialize)]
struct Entry {
    id: String,
    title: String,
    patterns: Vec<Pattern>,
    cause: String,
    fix: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Pattern {
    One(String),
    Many { all: Vec<String> },
}

/// Writes `$OUT_DIR/error_index.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let entries: Vec<Entry> = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{SOURCE}:{line}: {err}"))
    });
    let documents: Vec<Document<'_>> = entries.iter().map(document).collect();
    let index = Index::build_documents(&documents);
    let code = index.static_item("The search index of ENTRIES.", "ERROR_INDEX");
    let out =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("error_index.rs");
    fs::write(&out, code).unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}

/// An entry as search indexes it: named by its id and title, its message's fragments as the
/// summary (normalised, distinct, in order, as `errors::searchable` gives them), its cause and
/// fix as the body.
fn document(entry: &Entry) -> Document<'_> {
    let mut fragments: Vec<String> = Vec::new();
    for pattern in &entry.patterns {
        let all = match pattern {
            Pattern::One(one) => std::slice::from_ref(one),
            Pattern::Many { all } => all.as_slice(),
        };
        for fragment in all.iter().map(|f| error_text::fragment(f)) {
            if !fragments.contains(&fragment) {
                fragments.push(fragment);
            }
        }
    }
    Document {
        keys: vec![Cow::Borrowed(&entry.id), Cow::Borrowed(&entry.title)],
        summary: fragments.into_iter().map(Cow::Owned).collect(),
        body: std::iter::once(Cow::Borrowed(entry.cause.as_str()))
            .chain(entry.fix.iter().map(|f| Cow::Borrowed(f.as_str())))
            .collect(),
        examples: Vec::new(),
        asked: Vec::new(),
    }
}
