//! The built-in categories: parses and checks `data/categories.yaml` and emits
//! `BUILTIN_CATEGORIES` and `TEAM_COLOURS`.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use serde::Deserialize;

use crate::fail;
use crate::schema::{self, Category};

const SOURCE: &str = "data/categories.yaml";

/// The file: the categories in display order, and the colours team categories take in turn.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CategoriesFile {
    categories: Vec<Category>,
    team_colours: Vec<String>,
}

/// Checks data/categories.yaml, writes `$OUT_DIR/categories.rs` and returns the category ids,
/// for the terms' check.
pub fn compile() -> Vec<String> {
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let file: CategoriesFile = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{SOURCE}:{line}: {err}"))
    });
    let mut seen = HashSet::new();
    for category in &file.categories {
        let id = &*category.id;
        let at = |what: &str| format!("{SOURCE}: category '{id}': {what}");
        if !seen.insert(id) {
            fail(&at("duplicate id"));
        }
        if id.is_empty()
            || !id.split('-').all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
        {
            fail(&at("the id must be kebab-case"));
        }
        if category.title.trim().is_empty() {
            fail(&at("the title is missing"));
        }
        if category.after.is_some() {
            fail(&at(
                "'after' is for team categories; order this file instead",
            ));
        }
        if !category
            .colour
            .as_deref()
            .is_some_and(schema::is_hex_colour)
        {
            fail(&at("the colour must be #rrggbb"));
        }
    }
    if file.categories.is_empty() || file.team_colours.is_empty() {
        fail(&format!("{SOURCE}: needs categories and team-colours"));
    }
    if let Some(bad) = file.team_colours.iter().find(|c| !schema::is_hex_colour(c)) {
        fail(&format!("{SOURCE}: team colour '{bad}' must be #rrggbb"));
    }

    let out =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("categories.rs");
    fs::write(&out, generate(&file))
        .unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
    file.categories.iter().map(|c| c.id.to_string()).collect()
}

/// Rust source for the statics. `{:?}` of a `str` is a valid Rust string literal.
fn generate(file: &CategoriesFile) -> String {
    let text = |t: &Option<schema::Text>| match t {
        Some(t) => format!("Some(Cow::Borrowed({t:?}))"),
        None => "None".into(),
    };
    let mut code = String::from(
        "/// The categories compiled in from data/categories.yaml, in display order.\n",
    );
    code.push_str("pub static BUILTIN_CATEGORIES: &[Category] = &[\n");
    for c in &file.categories {
        let _ = writeln!(
            code,
            "    Category {{ id: Cow::Borrowed({:?}), title: Cow::Borrowed({:?}), about: {}, after: None, colour: {} }},",
            c.id,
            c.title,
            text(&c.about),
            text(&c.colour),
        );
    }
    code.push_str("];\n\n");
    let _ = writeln!(
        code,
        "/// Fill colours for team categories without their own, used in turn.\npub static TEAM_COLOURS: &[&str] = &{:?};",
        file.team_colours
    );
    code
}
