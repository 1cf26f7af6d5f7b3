//! Dockerfile tips: parses and checks `data/dockerfile-tips.yaml` (ids unique and well formed,
//! every field filled, every term id in data/terms.yaml, a firing and a silent example for each)
//! and emits the `TipId` enum and the `TIPS` table. `src/explain/dockerfile/tips.rs` matches on
//! `TipId` exhaustively, so a tip in the data without code, or code without data, cannot build.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use serde::Deserialize;

use crate::fail;

const SOURCE: &str = "data/dockerfile-tips.yaml";
const TERMS: &str = "data/terms.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tip {
    id: String,
    linter: String,
    title: String,
    why: String,
    fix: String,
    terms: Vec<String>,
    #[serde(default)]
    fires: String,
    #[serde(default)]
    silent: String,
    #[serde(default)]
    off: bool,
    #[serde(default)]
    registry: bool,
}

#[derive(Deserialize)]
struct TermId {
    id: String,
}

/// `apt-pin-versions` → `AptPinVersions`; BuildKit names stay as they are.
fn variant(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Checks data/dockerfile-tips.yaml and writes `$OUT_DIR/dockerfile_tips.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let tips: Vec<Tip> = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{SOURCE}:{line}: {err}"))
    });
    let terms_text =
        fs::read_to_string(TERMS).unwrap_or_else(|err| fail(&format!("{TERMS}: {err}")));
    let term_ids: HashSet<String> = serde_yaml::from_str::<Vec<TermId>>(&terms_text)
        .unwrap_or_else(|err| fail(&format!("{TERMS}: {err}")))
        .into_iter()
        .map(|t| t.id)
        .collect();
    let line_of = |id: &str| {
        text.lines()
            .position(|l| l.trim() == format!("- id: {id}"))
            .map_or(0, |n| n + 1)
    };
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for tip in &tips {
        let at = format!("{SOURCE}:{}: tip {}", line_of(&tip.id), tip.id);
        let well_formed = tip
            .id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && tip
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !well_formed {
            problems.push(format!("{at}: the id must be letters, digits and dashes"));
        }
        if !seen.insert(variant(&tip.id)) {
            problems.push(format!("{at}: duplicate id"));
        }
        for (field, value) in [
            ("linter", &tip.linter),
            ("title", &tip.title),
            ("why", &tip.why),
            ("fix", &tip.fix),
        ] {
            if value.trim().is_empty() {
                problems.push(format!("{at}: '{field}' is empty"));
            }
        }
        // A check that needs the registry never runs, so it has no examples; every other
        // tip has both.
        for (field, value) in [("fires", &tip.fires), ("silent", &tip.silent)] {
            match (tip.registry, value.trim().is_empty()) {
                (false, true) => problems.push(format!("{at}: '{field}' is empty")),
                (true, false) => problems.push(format!(
                    "{at}: '{field}' given, but a registry check never runs"
                )),
                _ => {}
            }
        }
        if tip.terms.is_empty() {
            problems.push(format!("{at}: no terms"));
        }
        for term in &tip.terms {
            if !term_ids.contains(term) {
                problems.push(format!("{at}: unknown term id '{term}'"));
            }
        }
        if !tip.registry && tip.fires == tip.silent {
            problems.push(format!("{at}: the firing and silent examples are the same"));
        }
    }
    if tips.is_empty() {
        problems.push(format!("{SOURCE}: no tips"));
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{problem}");
        }
        fail(&format!(
            "{SOURCE}: {} problem(s), see above",
            problems.len()
        ));
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("dockerfile_tips.rs");
    fs::write(&out, generate(&tips))
        .unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}

fn generate(tips: &[Tip]) -> String {
    let mut code = String::from(
        "/// Every Dockerfile tip, one variant per entry of data/dockerfile-tips.yaml.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum TipId {\n",
    );
    for tip in tips {
        let _ = writeln!(code, "    /// {}\n    {},", tip.title, variant(&tip.id));
    }
    code.push_str("}\n\n/// The tips' descriptions, in the data file's order.\npub static TIPS: &[TipInfo] = &[\n");
    for tip in tips {
        let terms: Vec<String> = tip.terms.iter().map(|t| format!("{t:?}")).collect();
        let _ = writeln!(
            code,
            "    TipInfo {{ id: TipId::{}, name: {:?}, linter: {:?}, title: {:?}, why: {:?}, fix: {:?}, terms: &[{}], fires: {:?}, silent: {:?}, off: {}, registry: {} }},",
            variant(&tip.id),
            tip.id,
            tip.linter,
            tip.title,
            tip.why,
            tip.fix,
            terms.join(", "),
            tip.fires,
            tip.silent,
            tip.off,
            tip.registry,
        );
    }
    code.push_str("];\n");
    code
}
