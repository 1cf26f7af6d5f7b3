//! Turning what a user typed into a term: query checks, normalisation, and exact, alias,
//! prefix and fuzzy resolution with "did you mean" suggestions.

use std::fmt;

use strsim::osa_distance;

use crate::glossary::Glossary;
use crate::schema::{Term, keys, normalize_key, normalized_chars};

/// The longest query accepted, in characters. Longer input is a paste accident, not a term.
pub const MAX_QUERY_CHARS: usize = 200;

/// The fewest characters a prefix needs to pick a term on its own: shorter ones list their
/// candidates (`show b`, `show bu`).
const MIN_PREFIX_CHARS: usize = 3;

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
    /// A plausible typo or abbreviation of one term's id, name or alias, and clearly closer to
    /// it than to any other.
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
    /// 1.0 for exact and alias matches; for a prefix the share of the key typed; for a typo
    /// `1 - edits / length`.
    pub score: f64,
}

/// What a query resolves to.
#[derive(Debug, Clone)]
pub enum Resolution<'g> {
    /// One term, with how it was found.
    Found(Match<'g>),
    /// Several terms fit equally well; the user must choose.
    Ambiguous(Vec<&'g Term>),
    /// No term fits, not even as a plausible typo.
    NotFound,
}

/// One id, name or alias of a term, normalised.
struct Key<'g> {
    term: &'g Term,
    text: String,
    is_alias: bool,
}

/// Resolves a query: exact id, name or alias (also in the singular, and without a leading
/// `docker`), then a unique prefix of three characters or more, then a plausible typo or
/// abbreviation of exactly one term (see [`typo_edits`]). Anything else is not found: lookup
/// never guesses.
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
    if last.len() > 2
        && !last.ends_with("ss")
        && let Some(stem) = last.strip_suffix('s')
    {
        out.push(format!("{head}{stem}"));
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
    if form.is_empty() {
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
    if form.chars().count() < MIN_PREFIX_CHARS {
        // Too short to pick one term: list the candidates, however many there are.
        return (!hits.is_empty()).then(|| Err(hits.iter().map(|h| h.term).collect()));
    }
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

/// How many edits (insertions, deletions, substitutions, swaps of neighbours) a typo of a key
/// of `chars` characters may have: none below four characters (every short word is a typo of
/// several others), then one per four or five characters.
fn max_edits(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        8..=12 => 2,
        _ => 3,
    }
}

/// The edits that make `query` into `key`, when `query` is a plausible typo of it: few edits
/// for the length of the shorter of the two, and the same first letter or the first two
/// swapped (`venv` is not a typo of `env`, nor `lockfile` of `dockerfile`).
pub fn typo_edits(query: &str, key: &str) -> Option<usize> {
    // Cheap checks first: search calls this for every word of the index.
    let (q_len, k_len) = (query.chars().count(), key.chars().count());
    let allowed = max_edits(q_len.min(k_len));
    if allowed == 0 || q_len.abs_diff(k_len) > allowed {
        return None;
    }
    let mut q = query.chars();
    let mut k = key.chars();
    let same_start = match (q.next(), q.next(), k.next(), k.next()) {
        (Some(a), _, Some(b), _) if a == b => true,
        (Some(a), Some(b), Some(c), Some(d)) => a == d && b == c,
        _ => false,
    };
    if !same_start {
        return None;
    }
    let edits = osa_distance(query, key);
    (edits <= allowed).then_some(edits)
}

/// How many letters `query` leaves out when it abbreviates a one-word `key` the way people
/// shorten words (`img` for image, `dkrfile` for dockerfile): three letters or more, the same
/// first letter, every letter in the key in order, and more than half the key's letters.
fn abbreviation_gap(query: &str, key: &str) -> Option<usize> {
    let q: Vec<char> = query.chars().collect();
    let k: Vec<char> = key.chars().collect();
    if q.len() < 3 || k.contains(&' ') || q.len() * 2 <= k.len() || q.len() >= k.len() {
        return None;
    }
    let mut rest = k.iter();
    let ordered = q.first() == k.first() && q.iter().all(|c| rest.any(|k| k == c));
    ordered.then(|| k.len() - q.len())
}

/// What an abbreviation costs beside typos: more than any typo, more for more letters left out.
const ABBREVIATION_COST: usize = 10;

/// Typos and abbreviations: each term's fewest edits over its keys and the query's forms (an
/// abbreviation costs more than any typo, see [`ABBREVIATION_COST`]). One term with strictly
/// fewer edits than every other is found; several tied are ambiguous; none is not found.
fn by_similarity<'g>(keys: &[Key<'g>], forms: &[String]) -> Resolution<'g> {
    let mut scored: Vec<(&'g Term, usize, f64)> = Vec::new();
    for key in keys {
        for form in forms {
            let cost = typo_edits(form, &key.text)
                .or_else(|| abbreviation_gap(form, &key.text).map(|gap| ABBREVIATION_COST + gap));
            let Some(cost) = cost else { continue };
            let edits = cost.checked_sub(ABBREVIATION_COST).unwrap_or(cost);
            let closeness = 1.0 - edits as f64 / key.text.chars().count().max(1) as f64;
            match scored
                .iter_mut()
                .find(|(t, _, _)| std::ptr::eq(*t, key.term))
            {
                Some(entry) if cost < entry.1 => *entry = (key.term, cost, closeness),
                Some(_) => {}
                None => scored.push((key.term, cost, closeness)),
            }
        }
    }
    // Stable sort: equal costs keep file order.
    scored.sort_by_key(|&(_, cost, _)| cost);
    match scored.as_slice() {
        [] => Resolution::NotFound,
        [(term, _, closeness)] => Resolution::Found(Match {
            term,
            kind: MatchKind::Fuzzy,
            score: *closeness,
        }),
        [(term, best, closeness), (_, second, _), ..] if best < second => {
            Resolution::Found(Match {
                term,
                kind: MatchKind::Fuzzy,
                score: *closeness,
            })
        }
        [(_, best, _), ..] => Resolution::Ambiguous(
            scored
                .iter()
                .take_while(|(_, cost, _)| cost == best)
                .map(|(t, _, _)| *t)
                .collect(),
        ),
    }
}

/// Whether `query` could be meant as a name of `term`: one of its words is a word of the
/// term's id, name or an alias, as written or as a plausible typo ([`typo_edits`]). `show`
/// offers only such terms as the closest when it finds none: `show sudo` names nothing, even
/// though a term's example runs `sudo`.
pub fn names_part_of(term: &Term, query: &str) -> bool {
    let query_words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    keys(term).any(|key| {
        key.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|key_word| {
                let key_word = key_word.to_lowercase();
                query_words
                    .iter()
                    .any(|w| *w == key_word || typo_edits(w, &key_word).is_some())
            })
    })
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
    fn unknown_queries_find_nothing() {
        for query in [
            "xyzzy",
            "kubernetes operator quantum",
            "nonexistent",
            "sudo",
        ] {
            assert!(
                matches!(resolve(&Glossary::builtin(), query), Resolution::NotFound),
                "{query}"
            );
        }
    }

    #[test]
    fn near_misses_that_are_not_typos_are_not_guessed() {
        // From issue 14: each of these used to show or suggest an unrelated term.
        let glossary = Glossary::builtin();
        for query in [
            "venv",
            "lockfile",
            "sudo",
            "conda",
            "nonexistent",
            "msb",
            "pip",
        ] {
            let resolved = resolve(&glossary, query);
            let guessed = match &resolved {
                Resolution::Found(m) => m.term.id.to_string(),
                _ => continue,
            };
            // Once the glossary has a term of that name, finding it is right.
            assert!(
                normalize_key(&guessed).replace(' ', "") == query
                    || keys(glossary.get(&guessed).expect("found"))
                        .any(|k| normalize_key(k) == query),
                "{query} resolved to {guessed}"
            );
        }
    }

    #[test]
    fn typos_need_few_edits_and_the_same_start() {
        assert_eq!(typo_edits("contianer", "container"), Some(1));
        assert_eq!(typo_edits("iamge", "image"), Some(1));
        assert_eq!(typo_edits("mage", "image"), None, "first letter differs");
        assert_eq!(
            typo_edits("venv", "env"),
            None,
            "too short and first letter differs"
        );
        assert_eq!(typo_edits("lockfile", "dockerfile"), None);
        assert_eq!(
            typo_edits("tga", "tag"),
            None,
            "three letters allow no edit"
        );
        assert_eq!(typo_edits("volmue", "volume"), Some(1));
        assert_eq!(
            typo_edits("multi stgae biuld", "multi stage build"),
            Some(2)
        );
    }

    #[test]
    fn short_prefixes_list_candidates_instead_of_picking_one() {
        let glossary = Glossary::builtin();
        for query in ["b", "bu"] {
            let Resolution::Ambiguous(candidates) = resolve(&glossary, query) else {
                panic!("{query} starts several terms");
            };
            assert!(candidates.iter().all(|t| t.id.starts_with('b')), "{query}");
            assert!(candidates.len() >= 2, "{query}");
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

    #[test]
    fn closest_terms_share_a_word_of_their_names_with_the_query() {
        let glossary = Glossary::builtin();
        let term = |id: &str| glossary.get(id).expect("core term");
        assert!(names_part_of(term("docker-hub"), "regstry hub"));
        assert!(names_part_of(term("registry"), "regstry hub"));
        assert!(!names_part_of(term("nvidia-container-toolkit"), "sudo"));
        assert!(!names_part_of(term("pip"), "pytorch"));
    }
}
