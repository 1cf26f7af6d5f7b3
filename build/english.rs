//! English word frequencies: checks `data/english-frequency.tsv` and emits `ENGLISH`, sorted by
//! word, for search to weigh common words down.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use crate::fail;

const SOURCE: &str = "data/english-frequency.tsv";

/// Checks data/english-frequency.tsv and writes `$OUT_DIR/english.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let mut entries: Vec<(&str, u16)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let at = number + 1;
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let Some((word, zipf)) = line.split_once('\t') else {
            fail(&format!("{SOURCE}:{at}: expected WORD<TAB>ZIPF"));
        };
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            fail(&format!("{SOURCE}:{at}: '{word}' is not a lowercase word"));
        }
        let zipf: f64 = zipf
            .parse()
            .ok()
            .filter(|z| (0.0..=9.0).contains(z))
            .unwrap_or_else(|| fail(&format!("{SOURCE}:{at}: '{zipf}' is not a Zipf frequency")));
        if let Some((previous, _)) = entries.last()
            && *previous >= word
        {
            fail(&format!(
                "{SOURCE}:{at}: '{word}' is out of order or repeated"
            ));
        }
        entries.push((word, (zipf * 100.0).round() as u16));
    }
    let mut code = String::from(
        "/// Common English words and their Zipf frequency times 100, sorted by word.\n\
         pub static ENGLISH: &[(&str, u16)] = &[\n",
    );
    for (word, zipf) in &entries {
        let _ = writeln!(code, "    ({word:?}, {zipf}),");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("english.rs");
    fs::write(&out, code).unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}
