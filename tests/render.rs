//! Rendering through the library into a `Vec<u8>` at a fixed width: golden files, escape codes,
//! widths and JSON shapes.

mod support;

use dterms::glossary::Glossary;
use dterms::lookup::{Resolution, resolve};
use dterms::render::{Format, Presentation, search_hits, term_list, term_page};
use dterms::schema::Term;
use dterms::search::search;
use support::golden;

const PLAIN: Presentation = Presentation {
    format: Format::Text,
    styled: false,
    rich: true,
    width: 80,
    page: false,
    height: None,
};

fn page(id: &str, p: &Presentation) -> String {
    let glossary = Glossary::builtin();
    let Resolution::Found(found) = resolve(&glossary, id) else {
        panic!("{id} not found")
    };
    let mut out = Vec::new();
    term_page(&mut out, &glossary, &found, id, p).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("output is UTF-8")
}

#[test]
fn plain_page_matches_golden_file() {
    golden("show-image.txt", &page("image", &PLAIN));
}

#[test]
fn markdown_page_matches_golden_file() {
    let markdown = Presentation {
        format: Format::Markdown,
        ..PLAIN
    };
    golden("show-image.md", &page("image", &markdown));
}

#[test]
fn list_aligns_summaries_and_groups_by_category() {
    let glossary = Glossary::builtin();
    let terms: Vec<&Term> = glossary.terms().iter().collect();
    let mut out = Vec::new();
    term_list(&mut out, &glossary, &terms, false, &PLAIN).expect("writing to a Vec cannot fail");
    golden("list.txt", &String::from_utf8(out).expect("UTF-8"));
}

#[test]
fn plain_output_has_no_escape_codes_and_fits_the_width() {
    for term in Glossary::builtin().terms() {
        let text = page(&term.id, &Presentation { width: 60, ..PLAIN });
        assert!(!text.contains('\x1b'), "{} has escape codes", term.id);
        for line in text.split_terminator('\n') {
            // Example commands and long words such as URLs (also as a list item, as sources
            // are) are never broken.
            let command = term.examples.iter().any(|e| line.trim() == e.command);
            let word = line.trim();
            let one_word = !word.strip_prefix("* ").unwrap_or(word).contains(' ');
            if !command && !one_word {
                assert!(line.chars().count() <= 60, "{}: {line:?}", term.id);
            }
        }
    }
}

#[test]
fn styled_output_styles_links_and_headings() {
    let text = page(
        "image",
        &Presentation {
            styled: true,
            ..PLAIN
        },
    );
    assert!(text.contains("\x1b["));
    assert!(
        !text.contains("~~"),
        "link marks must be turned into styles"
    );
}

#[test]
fn page_has_every_section() {
    let text = page("image", &PLAIN);
    for part in [
        "Image",
        "Examples",
        "See also",
        "Referenced by",
        "Docs\n\nhttps://",
    ] {
        assert!(text.contains(part), "missing {part}");
    }
}

#[test]
fn json_page_has_the_documented_shape() {
    let text = page(
        "imgae",
        &Presentation {
            format: Format::Json,
            ..PLAIN
        },
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    for key in [
        "id",
        "name",
        "aliases",
        "category",
        "summary",
        "body",
        "analogy",
        "examples",
        "related",
        "referenced_by",
        "docs",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["id"], "image");
    assert_eq!(v["match"]["query"], "imgae");
    assert_eq!(v["match"]["kind"], "fuzzy");
    assert!(
        v["match"]["score"]
            .as_f64()
            .is_some_and(|s| s > 0.0 && s < 1.0)
    );
    assert!(v["related"][0]["summary"].is_string());
}

#[test]
fn piped_list_is_one_record_a_line() {
    let glossary = Glossary::builtin();
    let terms: Vec<&Term> = glossary.terms().iter().collect();
    let mut out = Vec::new();
    term_list(
        &mut out,
        &glossary,
        &terms,
        false,
        &Presentation {
            rich: false,
            ..PLAIN
        },
    )
    .expect("Vec");
    let text = String::from_utf8(out).expect("UTF-8");
    assert_eq!(text.lines().count(), terms.len());
    assert!(text.lines().all(|l| l.split('\t').count() == 2));
}

#[test]
fn search_hits_highlight_only_when_styled() {
    let glossary = Glossary::builtin();
    let hits = search(&glossary, "layer", 3);
    let render = |p: &Presentation| {
        let mut out = Vec::new();
        search_hits(&mut out, &hits, p).expect("Vec");
        String::from_utf8(out).expect("UTF-8")
    };
    let plain = render(&PLAIN);
    assert!(!plain.contains('\x1b') && !plain.contains('\u{1}'));
    assert!(
        render(&Presentation {
            styled: true,
            ..PLAIN
        })
        .contains("\x1b[1;33m")
    );
}
