//! How search reads a query's words: checks `data/search-domain.txt` (the words that put a
//! query in Docker's world) and `data/title-prefixes.txt` (the labels issue and commit titles
//! start with), and emits `DOMAIN` and `TITLE_PREFIXES`, both sorted.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use crate::fail;

const SOURCE: &str = "data/search-domain.txt";
const PREFIXES: &str = "data/title-prefixes.txt";
const GLOSSARY: &str = "data/terms.yaml";

/// Checks data/search-domain.txt (lowercase words, sorted, each the start of a word of the
/// glossary) and data/title-prefixes.txt (lowercase words, sorted), and writes
/// `$OUT_DIR/domain.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    println!("cargo::rerun-if-changed={PREFIXES}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let glossary =
        fs::read_to_string(GLOSSARY).unwrap_or_else(|err| fail(&format!("{GLOSSARY}: {err}")));
    let glossary_words: Vec<String> = glossary
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let starts = sorted_words(SOURCE, &text, true, |line| {
        glossary_words.iter().any(|w| w.starts_with(line))
    });
    let prefixes_text =
        fs::read_to_string(PREFIXES).unwrap_or_else(|err| fail(&format!("{PREFIXES}: {err}")));
    let prefixes = sorted_words(PREFIXES, &prefixes_text, false, |_| true);
    let mut code = String::from(
        "/// Word starts that put a query in Docker's world, sorted, and whether each is shared\n\
         /// with other worlds (data/search-domain.txt).\n\
         pub static DOMAIN: &[(&str, bool)] = &[\n",
    );
    for (start, shared) in &starts {
        let _ = writeln!(code, "    ({start:?}, {shared}),");
    }
    code.push_str(
        "];\n/// Labels issue and commit titles start with, sorted (data/title-prefixes.txt).\n\
         pub static TITLE_PREFIXES: &[&str] = &[\n",
    );
    for (prefix, _) in &prefixes {
        let _ = writeln!(code, "    {prefix:?},");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("domain.rs");
    fs::write(&out, code).unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}

/// The lines of a list of one lowercase word per line, sorted and distinct (`#` comments and
/// empty lines skipped), each accepted by `known`, and when `markable` the word followed by
/// ` shared` or not; fails naming the file and line otherwise.
fn sorted_words<'t>(
    source: &str,
    text: &'t str,
    markable: bool,
    known: impl Fn(&str) -> bool,
) -> Vec<(&'t str, bool)> {
    let mut starts: Vec<(&str, bool)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let at = number + 1;
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (line, shared) = match line.split_once(' ') {
            Some((word, "shared")) if markable => (word, true),
            Some(_) => fail(&format!(
                "{source}:{at}: '{line}' is not one word{}",
                if markable {
                    " (or a word and 'shared')"
                } else {
                    ""
                }
            )),
            None => (line, false),
        };
        if !line.bytes().all(|b| b.is_ascii_lowercase()) {
            fail(&format!(
                "{source}:{at}: '{line}' is not one lowercase word"
            ));
        }
        if starts.last().is_some_and(|previous| previous.0 >= line) {
            fail(&format!(
                "{source}:{at}: '{line}' is out of order or repeated"
            ));
        }
        if !known(line) {
            fail(&format!(
                "{source}:{at}: no word of {GLOSSARY} starts with '{line}'"
            ));
        }
        starts.push((line, shared));
    }
    if starts.is_empty() {
        fail(&format!("{source}: no words"));
    }
    starts
}
