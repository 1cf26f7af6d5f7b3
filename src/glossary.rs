//! The in-memory glossary: the built-in terms compiled from `data/terms.yaml`, with the links
//! between them.

use std::borrow::Cow;

use crate::index::Index;
use crate::schema::{Category, Example, Term, outgoing_links};

mod builtin {
    use super::{Category, Cow, Example, Index, Term};
    include!(concat!(env!("OUT_DIR"), "/terms.rs"));
}

/// Every term dterms knows, in file order, with its search index. Lookup, search and rendering
/// all read this one view.
#[derive(Debug, Clone)]
pub struct Glossary {
    terms: Cow<'static, [Term]>,
    index: Cow<'static, Index>,
}

impl Glossary {
    /// The glossary compiled into the binary. Costs nothing: the data is static.
    pub fn builtin() -> Self {
        Glossary {
            terms: Cow::Borrowed(builtin::BUILTIN),
            index: Cow::Borrowed(&builtin::INDEX),
        }
    }

    /// A glossary of the given terms, trusted to have passed [`crate::schema::check`].
    pub fn from_terms(mut terms: Vec<Term>) -> Self {
        for term in &mut terms {
            term.links = Cow::Owned(outgoing_links(term));
        }
        Glossary {
            index: Cow::Owned(Index::build(&terms)),
            terms: Cow::Owned(terms),
        }
    }

    /// The search index over [`Glossary::terms`].
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// All terms, in file order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The term with this exact id.
    pub fn get(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    /// The terms in a category, in file order.
    pub fn in_category(&self, category: Category) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(move |t| t.category == category)
    }

    /// What a term points to: its `related` list, then the terms its body links inline, each
    /// once.
    pub fn links_from(&self, term: &Term) -> Vec<&Term> {
        term.links.iter().filter_map(|id| self.get(id)).collect()
    }

    /// The terms that point to this one, through `related` or an inline link, in file order.
    pub fn links_to(&self, term: &Term) -> Vec<&Term> {
        self.terms
            .iter()
            .filter(|other| other.links.contains(&term.id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::check;

    #[test]
    fn builtin_glossary_passes_the_file_checks() {
        // build.rs already refuses a broken file; this keeps the guarantee visible in tests.
        assert_eq!(check(Glossary::builtin().terms(), &[]), []);
    }

    #[test]
    fn compiled_links_are_what_the_terms_say() {
        let builtin = Glossary::builtin();
        let rebuilt = Glossary::from_terms(builtin.terms().to_vec());
        for (compiled, derived) in builtin.terms().iter().zip(rebuilt.terms()) {
            assert_eq!(compiled.links, derived.links, "{}", compiled.id);
            assert!(
                compiled
                    .related
                    .iter()
                    .all(|id| compiled.links.contains(id))
            );
        }
    }

    #[test]
    fn links_go_both_ways() {
        let glossary = Glossary::builtin();
        let image = glossary.get("image").expect("image is a core term");
        for target in glossary.links_from(image) {
            let back = glossary.links_to(target);
            assert!(
                back.iter().any(|t| t.id == "image"),
                "{} does not list image",
                target.id
            );
        }
    }

    #[test]
    fn links_from_lists_each_term_once() {
        let glossary = Glossary::builtin();
        for term in glossary.terms() {
            let links = glossary.links_from(term);
            let mut ids: Vec<_> = links.iter().map(|t| &t.id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), links.len(), "{} links a term twice", term.id);
        }
    }
}
