//! Turning what a user typed into a term: query checks, normalisation, and exact, alias,
//! prefix and fuzzy resolution with "did you mean" suggestions.

use std::fmt;

use strsim::normalized_damerau_levenshtein;

use crate::glossary::Glossary;
use crate::schema::{Term, keys, normalize_key, normalized_chars};

/// The longest query accepted, in characters. Longer input is a paste accident, not a term.
pub const MAX_QUERY_CHARS: usize = 200;

/// Fuzzy scores at or above this show a term outright (given the margin below).
const ACCEPT: f64 = 0.7;
/// How far the best fuzzy candidate must lead the runner-up to be shown without asking.
const MARGIN: f64 = 0.08;
/// Fuzzy scores at or above this are worth suggesting.
const SUGGEST: f64 = 0.45;
/// A match on one word of a multi-word name counts for less than a match on the whole name.
const WORD_WEIGHT: f64 = 0.85;

/// A query that is not worth looking up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Nothing but spaces and punctuation.
    Empty,
    /// More than [`MAX_QUERY_CHARS`] characters.
    TooLong(usize),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Empty => f.write_str("the query is empty: give a term, such as 'image'"),
            QueryError::TooLong(n) => write!(
                f,
                "the query is {n} characters long; the limit is {MAX_QUERY_CHARS}"
            ),
        }
    }
}

impl std::error::Error for QueryError {}

/// Joins the words of a query (`show image id` is `show "image id"`) and checks it.
pub fn query_from_words(words: &[String]) -> Result<String, QueryError> {
    let query = words.join(" ");
    let length = query.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong(length));
    }
    if normalize_key(&query).is_empty() {
        return Err(QueryError::Empty);
    }
    Ok(query.trim().to_owned())
}

/// How a query reached its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The term's id or name.
    Exact,
    /// One of the term's aliases.
    Alias,
    /// The start of exactly one term's id, name or alias.
    Prefix,
    /// Close enough to one term, and clearly closer than to any other.
    Fuzzy,
}

impl MatchKind {
    /// The word used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Alias => "alias",
            MatchKind::Prefix => "prefix",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// A term found for a query.
#[derive(Debug, Clone, Copy)]
pub struct Match<'g> {
    /// The term.
    pub term: &'g Term,
    /// How it was found.
    pub kind: MatchKind,
    /// 1.0 for exact and alias matches; otherwise how close the query came, from 0 to 1.
    pub score: f64,
}

/// What a query resolves to.
#[derive(Debug, Clone)]
pub enum Resolution<'g> {
    /// One term, with how it was found.
    Found(Match<'g>),
    /// Several terms fit equally well; the user must choose.
    Ambiguous(Vec<&'g Term>),
    /// No term fits; these (at most three) come closest.
    NotFound(Vec<&'g Term>),
}

/// One id, name or alias of a term, normalised.
struct Key<'g> {
    term: &'g Term,
    text: String,
    is_alias: bool,
}

/// Resolves a query: exact id, name or alias (also in the singular, and without a leading
/// `docker`), then a unique prefix, then a fuzzy match that must be clearly the best.
pub fn resolve<'g>(glossary: &'g Glossary, query: &str) -> Resolution<'g> {
    let forms = query_forms(&normalize_key(query));

    // The common case, an exact key, allocates nothing per key.
    for form in &forms {
        for term in glossary.terms() {
            if let Some(position) =
                keys(term).position(|key| normalized_chars(key).eq(form.chars()))
            {
                let kind = if position >= 2 {
                    MatchKind::Alias
                } else {
                    MatchKind::Exact
                };
                return Resolution::Found(Match {
                    term,
                    kind,
                    score: 1.0,
                });
            }
        }
    }

    let all_keys: Vec<Key<'g>> = glossary
        .terms()
        .iter()
        .flat_map(|term| {
            keys(term).enumerate().map(move |(position, key)| Key {
                term,
                text: normalize_key(key),
                is_alias: position >= 2,
            })
        })
        .collect();

    // Prefixes of ids and names first: `cont` means container, even though an alias of
    // another term (`containerfile`) starts the same way.
    for with_aliases in [false, true] {
        for form in &forms {
            match by_prefix(&all_keys, form, with_aliases) {
                Some(Ok(found)) => return Resolution::Found(found),
                Some(Err(candidates)) => return Resolution::Ambiguous(candidates),
                None => {}
            }
        }
    }

    by_similarity(&all_keys, &forms)
}

/// The spellings of a normalised query worth trying, most literal first: as typed, in the
/// singular, and without a leading `docker`.
fn query_forms(query: &str) -> Vec<String> {
    let mut forms = vec![query.to_owned()];
    if let Some(rest) = query.strip_prefix("docker ") {
        forms.push(rest.to_owned());
    }
    for form in forms.clone() {
        for singular in singulars(&form) {
            if !forms.contains(&singular) {
                forms.push(singular);
            }
        }
    }
    forms
}

/// Possible singulars of the last word: `registries` → `registry`, `images` → `image`,
/// `caches` → `cache`, `boxes` → `box`.
fn singulars(form: &str) -> Vec<String> {
    let (head, last) = match form.rsplit_once(' ') {
        Some((head, last)) => (format!("{head} "), last),
        None => (String::new(), form),
    };
    let mut out = Vec::new();
    if last.len() > 3 {
        if let Some(stem) = last.strip_suffix("ies") {
            out.push(format!("{head}{stem}y"));
        }
        if let Some(stem) = last.strip_suffix("es") {
            out.push(format!("{head}{stem}"));
        }
    }
    if last.len() > 2 && !last.ends_with("ss") {
        if let Some(stem) = last.strip_suffix('s') {
            out.push(format!("{head}{stem}"));
        }
    }
    out
}

/// Terms with a key that starts with `form`. One term, or one whose key every other
/// candidate's key merely extends (`imag` → `image`, not `image id`; `cont` → `container`, not
/// `containerd`), is found; several are ambiguous; none is `None`.
fn by_prefix<'g>(
    keys: &[Key<'g>],
    form: &str,
    with_aliases: bool,
) -> Option<Result<Match<'g>, Vec<&'g Term>>> {
    if form.chars().count() < 2 {
        return None;
    }
    let mut hits: Vec<&Key<'g>> = Vec::new();
    let candidates = keys.iter().filter(|k| with_aliases || !k.is_alias);
    for key in candidates.filter(|k| k.text.starts_with(form)) {
        match hits.iter_mut().find(|h| std::ptr::eq(h.term, key.term)) {
            // Keep each term's shortest matching key.
            Some(hit) if key.text.len() < hit.text.len() => *hit = key,
            Some(_) => {}
            None => hits.push(key),
        }
    }
    let found = |key: &Key<'g>| Match {
        term: key.term,
        kind: MatchKind::Prefix,
        score: form.len() as f64 / key.text.len() as f64,
    };
    match hits.as_slice() {
        [] => None,
        [one] => Some(Ok(found(one))),
        _ => {
            let shortest = hits.iter().min_by_key(|h| h.text.len())?;
            let extends = |h: &&Key<'g>| h.text.starts_with(shortest.text.as_str());
            if hits.iter().all(extends) {
                Some(Ok(found(shortest)))
            } else {
                Some(Err(hits.iter().map(|h| h.term).collect()))
            }
        }
    }
}

/// How close a normalised query is to a normalised key, from 0 to 1: the best of the whole
/// key, each word of a multi-word key (weighted down), and an abbreviation check.
pub(crate) fn similarity(query: &str, key: &str) -> f64 {
    let mut best = normalized_damerau_levenshtein(query, key);
    if key.contains(' ') && !query.contains(' ') {
        for word in key.split(' ') {
            best = best.max(WORD_WEIGHT * normalized_damerau_levenshtein(query, word));
        }
    }
    best.max(abbreviation(query, key))
}

/// Scores `query` as an abbreviation of `key`: both start alike and every letter of the query
/// appears in the key in order (`img` → `image`, `msb` → `multi stage build`).
fn abbreviation(query: &str, key: &str) -> f64 {
    let query: Vec<char> = query.chars().filter(|c| *c != ' ').collect();
    let key: Vec<char> = key.chars().filter(|c| *c != ' ').collect();
    // Nearly full-length queries are typos, not abbreviations: leave them to the edit distance.
    let short_enough = query.len() * 10 <= key.len() * 7;
    if query.len() < 2 || !short_enough || query.first() != key.first() {
        return 0.0;
    }
    let mut rest = key.iter();
    if query.iter().all(|q| rest.any(|k| k == q)) {
        0.3 + 0.7 * query.len() as f64 / key.len() as f64
    } else {
        0.0
    }
}

fn by_similarity<'g>(keys: &[Key<'g>], forms: &[String]) -> Resolution<'g> {
    // Each term's best score over its keys and the query's forms.
    let mut scored: Vec<(&'g Term, f64)> = Vec::new();
    for key in keys {
        let score = forms
            .iter()
            .map(|form| similarity(form, &key.text))
            .fold(0.0, f64::max);
        match scored.iter_mut().find(|(t, _)| std::ptr::eq(*t, key.term)) {
            Some((_, best)) => *best = best.max(score),
            None => scored.push((key.term, score)),
        }
    }
    // Stable sort: equal scores keep file order.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));

    let best = scored.first().map_or(0.0, |s| s.1);
    let runner_up = scored.get(1).map_or(0.0, |s| s.1);
    if best >= ACCEPT && best - runner_up >= MARGIN {
        return Resolution::Found(Match {
            term: scored[0].0,
            kind: MatchKind::Fuzzy,
            score: best,
        });
    }
    if best >= ACCEPT {
        let close = scored
            .iter()
            .take_while(|(_, s)| best - s < MARGIN)
            .map(|(t, _)| *t)
            .collect();
        return Resolution::Ambiguous(close);
    }
    let suggestions = scored
        .iter()
        .take_while(|(_, s)| *s >= SUGGEST)
        .take(3)
        .map(|(t, _)| *t)
        .collect();
    Resolution::NotFound(suggestions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(query: &str) -> (String, MatchKind) {
        match resolve(&Glossary::builtin(), query) {
            Resolution::Found(m) => (m.term.id.to_string(), m.kind),
            other => panic!("{query:?} resolved to {other:?}"),
        }
    }

    fn id(query: &str) -> String {
        found(query).0
    }

    #[test]
    fn exact_ids_names_and_aliases() {
        assert_eq!(found("image"), ("image".into(), MatchKind::Exact));
        assert_eq!(found("Image ID"), ("image-id".into(), MatchKind::Exact));
        assert_eq!(found("image_id"), ("image-id".into(), MatchKind::Exact));
        assert_eq!(found("IMAGE.ID"), ("image-id".into(), MatchKind::Exact));
        assert_eq!(
            found("  dockerfile  "),
            ("dockerfile".into(), MatchKind::Exact)
        );
        assert_eq!(found("repo").1, MatchKind::Alias);
    }

    #[test]
    fn plurals_and_a_leading_docker_are_forgiven() {
        assert_eq!(id("images"), "image");
        assert_eq!(id("registries"), "registry");
        assert_eq!(id("volumes"), "volume");
        assert_eq!(id("image ids"), "image-id");
        assert_eq!(id("docker volume"), "volume");
        assert_eq!(id("docker images"), "image");
        assert_eq!(id("Docker Containers"), "container");
    }

    #[test]
    fn unique_prefixes_resolve() {
        assert_eq!(found("dockerf"), ("dockerfile".into(), MatchKind::Prefix));
        assert_eq!(found("regis"), ("registry".into(), MatchKind::Prefix));
        // `image` is a prefix of `image id` and `image name` too, but they only extend it.
        assert_eq!(found("imag"), ("image".into(), MatchKind::Prefix));
        // Ids and names come before aliases that start the same way (`containerfile`).
        assert_eq!(found("cont"), ("container".into(), MatchKind::Prefix));
    }

    #[test]
    fn typos_and_transpositions_resolve_fuzzily() {
        for (typo, want) in [
            ("contianer", "container"),
            ("containr", "container"),
            ("voluem", "volume"),
            ("regsitry", "registry"),
            ("dockrfile", "dockerfile"),
            ("imgae", "image"),
            ("layr", "layer"),
            ("imgae id", "image-id"),
            ("base imgae", "base-image"),
        ] {
            assert_eq!(found(typo), (want.into(), MatchKind::Fuzzy), "{typo}");
        }
    }

    #[test]
    fn abbreviations_resolve() {
        assert_eq!(id("img"), "image");
        assert_eq!(id("dkrfile"), "dockerfile");
    }

    #[test]
    fn ambiguous_prefixes_list_every_candidate() {
        let glossary = Glossary::builtin();
        let Resolution::Ambiguous(candidates) = resolve(&glossary, "re") else {
            panic!("'re' starts both registry and repository");
        };
        let ids: Vec<_> = candidates.iter().map(|t| &*t.id).collect();
        assert!(
            ids.contains(&"registry") && ids.contains(&"repository"),
            "{ids:?}"
        );
    }

    #[test]
    fn one_letter_never_picks_a_term() {
        let glossary = Glossary::builtin();
        assert!(!matches!(resolve(&glossary, "q"), Resolution::Found(_)));
        // Unless it is an alias, as `-d` is for detached mode.
        assert_eq!(id("-d"), "detached-mode");
    }

    #[test]
    fn unknown_queries_find_nothing_but_may_suggest() {
        match resolve(&Glossary::builtin(), "xyzzy") {
            Resolution::NotFound(s) => assert!(s.is_empty(), "{s:?}"),
            other => panic!("{other:?}"),
        }
        match resolve(&Glossary::builtin(), "kubernetes operator quantum") {
            Resolution::NotFound(s) => assert!(s.len() <= 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn query_words_are_joined_and_checked() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            query_from_words(&words(&["image", "id"])),
            Ok("image id".into())
        );
        assert_eq!(query_from_words(&words(&["  "])), Err(QueryError::Empty));
        assert_eq!(query_from_words(&words(&["--"])), Err(QueryError::Empty));
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            query_from_words(&words(&[&long])),
            Err(QueryError::TooLong(MAX_QUERY_CHARS + 1))
        );
    }

    #[test]
    fn singulars_cover_common_english_plurals() {
        assert!(singulars("registries").contains(&"registry".to_string()));
        assert!(singulars("caches").contains(&"cache".to_string()));
        assert!(singulars("boxes").contains(&"box".to_string()));
        assert!(singulars("image ids").contains(&"image id".to_string()));
        assert!(singulars("class").is_empty());
    }
}
