//! Golden-file tests of rendering through the library, at a fixed width into a `Vec<u8>`.

mod support;

use dterms::glossary::Glossary;
use dterms::lookup::{Resolution, resolve};
use dterms::render::{Format, Presentation, term_list, term_page};
use dterms::schema::Term;
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
    term_list(&mut out, &terms, false, &PLAIN).expect("writing to a Vec cannot fail");
    golden("list.txt", &String::from_utf8(out).expect("UTF-8"));
}
