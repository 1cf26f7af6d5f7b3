//! The in-memory glossary: the built-in terms compiled from `data/terms.yaml`, with the links
//! between them.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

use crate::index::Index;
use crate::load::Origin;
use crate::schema::{Category, Example, Term, outgoing_links};

mod builtin {
    use super::{Category, Cow, Example, Index, Term};
    include!(concat!(env!("OUT_DIR"), "/terms.rs"));
    include!(concat!(env!("OUT_DIR"), "/categories.rs"));
}

pub use builtin::{BUILTIN_CATEGORIES, TEAM_COLOURS};

/// Every term dterms knows, in file order, with its search index. Lookup, search and rendering
/// all read this one view, whether it holds the built-in terms alone or team terms too.
#[derive(Debug, Clone)]
pub struct Glossary {
    terms: Cow<'static, [Term]>,
    /// Built when first needed: only search uses it, and building one for a big team glossary
    /// would slow every `show`.
    index: OnceCell<Cow<'static, Index>>,
    /// For each term, where it came from when not built in.
    origins: Vec<Option<Origin>>,
    /// Every category, in display order: the built-in ones, then the teams' own.
    categories: Cow<'static, [Category]>,
}

impl Glossary {
    /// The glossary compiled into the binary. Costs nothing: the data is static.
    pub fn builtin() -> Self {
        Glossary {
            terms: Cow::Borrowed(builtin::BUILTIN),
            index: OnceCell::from(Cow::Borrowed(&builtin::INDEX)),
            origins: Vec::new(),
            categories: Cow::Borrowed(BUILTIN_CATEGORIES),
        }
    }

    /// A glossary of the given terms, trusted to have passed [`crate::schema::check`].
    pub fn from_terms(mut terms: Vec<Term>) -> Self {
        for term in &mut terms {
            term.links = Cow::Owned(outgoing_links(term));
        }
        Glossary {
            terms: Cow::Owned(terms),
            index: OnceCell::new(),
            origins: Vec::new(),
            categories: Cow::Borrowed(BUILTIN_CATEGORIES),
        }
    }

    /// The built-in terms with team terms merged in: a team term with a built-in id takes
    /// that term's place; the others follow, in order. `categories` are all categories in
    /// display order (see [`crate::load::Loaded`]). The terms are trusted to have passed
    /// [`crate::load::load`].
    pub fn with_team_terms(team: Vec<(Term, Origin)>, categories: Vec<Category>) -> Self {
        if team.is_empty() && categories.len() == BUILTIN_CATEGORIES.len() {
            return Self::builtin();
        }
        let mut terms: Vec<Term> = builtin::BUILTIN.to_vec();
        let mut origins: Vec<Option<Origin>> = vec![None; terms.len()];
        let builtin_position: HashMap<String, usize> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.to_string(), i))
            .collect();
        for (term, origin) in team {
            match builtin_position.get(&*term.id) {
                Some(&at) => {
                    terms[at] = term;
                    origins[at] = Some(origin);
                }
                None => {
                    terms.push(term);
                    origins.push(Some(origin));
                }
            }
        }
        Glossary {
            origins,
            categories: Cow::Owned(categories),
            ..Self::from_terms(terms)
        }
    }

    /// Where a term came from, when it is a team term.
    pub fn origin(&self, term: &Term) -> Option<&Origin> {
        let at = self.terms.iter().position(|t| std::ptr::eq(t, term))?;
        self.origins.get(at)?.as_ref()
    }

    /// The search index over [`Glossary::terms`].
    pub fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Cow::Owned(Index::build(&self.terms)))
    }

    /// All terms, in file order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The term with this exact id.
    pub fn get(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    /// Every category, in display order.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The category with this id, written in any case (`--category ML`).
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// The title of a term's category.
    pub fn category_title<'a>(&'a self, term: &'a Term) -> &'a str {
        self.category(&term.category)
            .map_or(&*term.category, |c| &*c.title)
    }

    /// Terms grouped by category, in the order categories are listed; empty groups are
    /// skipped. Linear in the terms and categories.
    pub fn by_category<'g>(&'g self, terms: &[&'g Term]) -> Vec<(&'g Category, Vec<&'g Term>)> {
        let position: HashMap<&str, usize> = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (&*c.id, i))
            .collect();
        let mut groups: Vec<Vec<&Term>> = vec![Vec::new(); self.categories.len()];
        for &term in terms {
            if let Some(&at) = position.get(&*term.category) {
                groups[at].push(term);
            }
        }
        self.categories
            .iter()
            .zip(groups)
            .filter(|(_, group)| !group.is_empty())
            .collect()
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

    /// The editorial rules every built-in entry must meet (README, "Adding a term").
    #[test]
    fn every_builtin_entry_meets_the_content_rules() {
        // The projects' own documentation: Docker's, and that of the tools a term is about.
        const AUTHORITIES: [&str; 15] = [
            "https://docs.docker.com/",
            "https://kubernetes.io/",
            "https://docs.nvidia.com/",
            "https://github.com/opencontainers/",
            "https://containerd.io/",
            "https://hub.docker.com/",
            "https://jupyter-docker-stacks.readthedocs.io/",
            "https://apptainer.org/docs/",
            "https://docs.podman.io/",
            "https://containers.dev/",
            "https://docs.conda.io/",
            "https://pip.pypa.io/",
            "https://docs.python.org/",
            "https://packaging.python.org/",
            "https://huggingface.co/docs/",
        ];
        let mut problems = Vec::new();
        for term in Glossary::builtin().terms() {
            let id = &term.id;
            let summary = term.summary.chars().count();
            if !(20..=140).contains(&summary) {
                problems.push(format!(
                    "{id}: summary has {summary} characters, not 20-140"
                ));
            }
            let words = term.body.split_whitespace().count();
            if !(60..=250).contains(&words) {
                problems.push(format!("{id}: body has {words} words, not 60-250"));
            }
            if term.examples.is_empty() {
                problems.push(format!("{id}: no example"));
            }
            if term.related.len() < 2 {
                problems.push(format!("{id}: fewer than two related terms"));
            }
            if crate::schema::inline_links(&term.body).next().is_none() {
                problems.push(format!("{id}: the body links no other term inline"));
            }
            if term.checked.is_none() || term.sources.is_empty() {
                problems.push(format!("{id}: no provenance (checked and sources)"));
            }
            if !AUTHORITIES.iter().any(|a| term.docs.starts_with(a)) {
                problems.push(format!(
                    "{id}: docs {} is not an official source",
                    term.docs
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_glossary_covers_the_map() {
        let glossary = Glossary::builtin();
        assert!(
            glossary.terms().len() >= 60,
            "{} terms",
            glossary.terms().len()
        );
        let categories: std::collections::BTreeSet<_> =
            glossary.terms().iter().map(|t| &t.category).collect();
        assert!(categories.len() >= 5, "{categories:?}");
        for id in [
            "dockerfile",
            "base-image",
            "parent-image",
            "layer",
            "image",
            "image-name",
            "tag",
            "image-id",
            "digest",
            "repository",
            "container",
            "volume",
            "registry",
            "dockerignore",
            "multi-stage-build",
            "buildkit",
            "entrypoint",
            "bind-mount",
            "docker-hub",
            "docker-compose",
        ] {
            assert!(glossary.get(id).is_some(), "missing core term {id}");
        }
        let compose = glossary.get("docker-compose").expect("checked above");
        assert!(compose.aliases.iter().any(|a| a == "compose"));
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
