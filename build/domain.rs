//! The words that put a query in Docker's world: checks `data/search-domain.txt` and emits
//! `DOMAIN`, the sorted word starts, for search's confidence rule.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use crate::fail;

const SOURCE: &str = "data/search-domain.txt";
const GLOSSARY: &str = "data/terms.yaml";

/// Checks data/search-domain.txt (lowercase words, sorted, each the start of a word of the
/// glossary) and writes `$OUT_DIR/domain.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let glossary =
        fs::read_to_string(GLOSSARY).unwrap_or_else(|err| fail(&format!("{GLOSSARY}: {err}")));
    let glossary_words: Vec<String> = glossary
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut starts: Vec<&str> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let at = number + 1;
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if !line.bytes().all(|b| b.is_ascii_lowercase()) {
            fail(&format!(
                "{SOURCE}:{at}: '{line}' is not one lowercase word"
            ));
        }
        if starts.last().is_some_and(|previous| *previous >= line) {
            fail(&format!(
                "{SOURCE}:{at}: '{line}' is out of order or repeated"
            ));
        }
        if !glossary_words.iter().any(|w| w.starts_with(line)) {
            fail(&format!(
                "{SOURCE}:{at}: no word of {GLOSSARY} starts with '{line}'"
            ));
        }
        starts.push(line);
    }
    if starts.is_empty() {
        fail(&format!("{SOURCE}: no words"));
    }
    let mut code = String::from(
        "/// Word starts that put a query in Docker's world, sorted (data/search-domain.txt).\n\
         pub static DOMAIN: &[&str] = &[\n",
    );
    for start in &starts {
        let _ = writeln!(code, "    {start:?},");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("domain.rs");
    fs::write(&out, code).unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}
