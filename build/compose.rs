//! The compose reader's knowledge: checks `data/compose-keys.yaml` and `data/compose-tips.yaml`
//! against the glossary and emits `$OUT_DIR/compose.rs` (key tables per scope, and the `Tip` enum).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use serde::Deserialize;

use crate::fail;

const KEYS: &str = "data/compose-keys.yaml";
const TIPS: &str = "data/compose-tips.yaml";
const IMAGES: &str = "data/compose-images.yaml";
const TERMS: &str = "data/terms.yaml";
/// The kinds of image data/compose-images.yaml may name, as written there.
const IMAGE_KINDS: &[(&str, &str)] = &[
    ("database", "Database"),
    ("notebook", "Notebook"),
    ("storage", "Storage"),
    ("tracking", "Tracking"),
    ("model-server", "ModelServer"),
    ("ui", "Ui"),
    ("pipeline", "Pipeline"),
    ("queue", "Queue"),
    ("proxy", "Proxy"),
];

/// One key of a compose file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    key: String,
    meaning: String,
    terms: Vec<String>,
    #[serde(default)]
    shape: Option<String>,
}

/// The key sets, one per place in the file where keys are checked. The field names become the
/// names of the generated statics, upper-cased.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    top: Vec<Key>,
    service: Vec<Key>,
    build: Vec<Key>,
    healthcheck: Vec<Key>,
    deploy: Vec<Key>,
    resources: Vec<Key>,
    device: Vec<Key>,
    port: Vec<Key>,
    mount: Vec<Key>,
    dependency: Vec<Key>,
    volume: Vec<Key>,
    network: Vec<Key>,
    secret: Vec<Key>,
    config: Vec<Key>,
    include: Vec<Key>,
    extends: Vec<Key>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TipEntry {
    id: String,
    advice: String,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageEntry {
    pattern: String,
    kind: String,
    what: String,
}

#[derive(Deserialize)]
struct TermId {
    id: String,
}

fn read<T: for<'de> Deserialize<'de>>(path: &str) -> (String, T) {
    println!("cargo::rerun-if-changed={path}");
    let text = fs::read_to_string(path).unwrap_or_else(|err| fail(&format!("{path}: {err}")));
    let value = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{path}:{line}: {err}"))
    });
    (text, value)
}

/// The line of the first occurrence of `needle` in `text`, for error messages.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(0, |at| text[..at].matches('\n').count() + 1)
}

/// Checks both files and writes `$OUT_DIR/compose.rs`.
pub fn compile() {
    let (_, terms): (_, Vec<TermId>) = read(TERMS);
    let known: HashSet<&str> = terms.iter().map(|t| t.id.as_str()).collect();
    let (keys_text, keys): (_, Keys) = read(KEYS);
    let (tips_text, tips): (_, Vec<TipEntry>) = read(TIPS);

    let scopes: [(&str, &Vec<Key>); 16] = [
        ("TOP", &keys.top),
        ("SERVICE", &keys.service),
        ("BUILD", &keys.build),
        ("HEALTHCHECK", &keys.healthcheck),
        ("DEPLOY", &keys.deploy),
        ("RESOURCES", &keys.resources),
        ("DEVICE", &keys.device),
        ("PORT", &keys.port),
        ("MOUNT", &keys.mount),
        ("DEPENDENCY", &keys.dependency),
        ("VOLUME", &keys.volume),
        ("NETWORK", &keys.network),
        ("SECRET", &keys.secret),
        ("CONFIG", &keys.config),
        ("INCLUDE", &keys.include),
        ("EXTENDS", &keys.extends),
    ];
    let mut code = String::new();
    for (name, entries) in scopes {
        if entries.is_empty() {
            fail(&format!(
                "{KEYS}: the scope {} has no keys",
                name.to_lowercase()
            ));
        }
        let mut seen = HashSet::new();
        let _ = writeln!(
            code,
            "/// The keys allowed in the {} scope, from data/compose-keys.yaml.\npub static {name}: &[Key] = &[",
            name.to_lowercase()
        );
        for entry in entries {
            let at = line_of(&keys_text, &format!("key: {},", entry.key));
            if !seen.insert(entry.key.as_str()) {
                fail(&format!(
                    "{KEYS}:{at}: key {} twice in one scope",
                    entry.key
                ));
            }
            check_entry(KEYS, at, &entry.key, &entry.meaning, &entry.terms, &known);
            let shape = match entry.shape.as_deref() {
                None => "Single",
                Some("list") => "List",
                Some("flag") => "Flag",
                Some("map") => "Map",
                Some(other) => fail(&format!(
                    "{KEYS}:{at}: shape {other} is not list, flag or map"
                )),
            };
            let _ = writeln!(
                code,
                "    Key {{ name: {:?}, meaning: {:?}, terms: &{:?}, shape: Shape::{shape} }},",
                entry.key, entry.meaning, entry.terms
            );
        }
        code.push_str("];\n\n");
    }

    let mut seen = HashSet::new();
    code.push_str(
        "/// Every compose tip, from data/compose-tips.yaml.\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Tip {\n",
    );
    for tip in &tips {
        let at = line_of(&tips_text, &format!("id: {},", tip.id));
        if !seen.insert(tip.id.as_str()) {
            fail(&format!("{TIPS}:{at}: tip {} twice", tip.id));
        }
        if !tip.id.starts_with("compose-")
            || !tip.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            fail(&format!(
                "{TIPS}:{at}: tip id {} must be compose- then lowercase words joined by -",
                tip.id
            ));
        }
        check_entry(TIPS, at, &tip.id, &tip.advice, &tip.terms, &known);
        let _ = writeln!(code, "    /// {}\n    {},", tip.id, variant(&tip.id));
    }
    code.push_str("}\n\nimpl Tip {\n    /// Every tip, in the order of the data file.\n    pub const ALL: &[Tip] = &[");
    for tip in &tips {
        let _ = write!(code, "Tip::{}, ", variant(&tip.id));
    }
    code.push_str("];\n\n    /// The tip's data.\n    pub fn info(self) -> &'static TipInfo {\n        match self {\n");
    for tip in &tips {
        let _ = writeln!(
            code,
            "            Tip::{} => &TipInfo {{ id: {:?}, advice: {:?}, terms: &{:?} }},",
            variant(&tip.id),
            tip.id,
            tip.advice,
            tip.terms
        );
    }
    code.push_str("        }\n    }\n}\n");

    let (images_text, images): (_, Vec<ImageEntry>) = read(IMAGES);
    let mut seen = HashSet::new();
    code.push_str("\n/// What known images are, from data/compose-images.yaml, in order.\npub static IMAGES: &[KnownImage] = &[\n");
    for image in &images {
        let at = line_of(&images_text, &image.pattern);
        if !seen.insert(image.pattern.as_str()) {
            fail(&format!("{IMAGES}:{at}: pattern {} twice", image.pattern));
        }
        if image.what.trim().is_empty() || image.pattern.trim_matches('*').is_empty() {
            fail(&format!("{IMAGES}:{at}: empty pattern or description"));
        }
        let Some((_, variant)) = IMAGE_KINDS.iter().find(|(k, _)| *k == image.kind) else {
            fail(&format!("{IMAGES}:{at}: unknown kind {}", image.kind));
        };
        let _ = writeln!(
            code,
            "    KnownImage {{ pattern: {:?}, kind: ImageKind::{variant}, what: {:?} }},",
            image.pattern, image.what
        );
    }
    code.push_str("];\n");

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("compose.rs");
    fs::write(&out, code).unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}

fn check_entry(
    file: &str,
    line: usize,
    name: &str,
    text: &str,
    terms: &[String],
    known: &HashSet<&str>,
) {
    if name.trim().is_empty() || text.trim().is_empty() {
        fail(&format!("{file}:{line}: {name}: empty name or text"));
    }
    if terms.is_empty() {
        fail(&format!("{file}:{line}: {name}: no glossary terms"));
    }
    for term in terms {
        if !known.contains(term.as_str()) {
            fail(&format!("{file}:{line}: {name}: unknown term id {term}"));
        }
    }
}

/// `compose-gpu-shm` → `GpuShm`.
fn variant(id: &str) -> String {
    id.trim_start_matches("compose-")
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
