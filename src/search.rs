//! Ranked full-text search over names, aliases, summaries, bodies and examples: BM25F over word
//! stems with field weights and each word's rarity in the glossary, a bonus for the query's
//! phrases, typo tolerance for words the glossary does not have, and a calibrated score that
//! says when nothing matches well.
//!
//! There is no list of stop words: a word's weight is its inverse document frequency, so `the`
//! and `how`, which are in nearly every term, weigh almost nothing, while `too` in `image too
//! large` still counts for what it is worth.

use std::ops::Range;

use crate::english;
use crate::errors::ErrorHit;
use crate::explain::error::{ErrorMatch, recognise};
use crate::glossary::Glossary;
use crate::index::{Field, Index, Stems, words};
use crate::lookup::typo_edits;
use crate::schema::{Segment, Term, segments};

/// How much an occurrence counts, by field (BM25F's field weights).
fn weight(field: Field) -> f64 {
    match field {
        Field::Name => 6.0,
        Field::Summary => 2.5,
        Field::Body => 1.0,
        Field::Example => 0.7,
        Field::Asked => ASKED_WEIGHT,
    }
}

/// How much a field's length dampens its counts (BM25F's `b` per field): long bodies mention
/// everything, a name is short by nature.
fn length_damping(field: Field) -> f64 {
    match field {
        Field::Name => 0.3,
        Field::Summary => 0.5,
        Field::Body => 0.75,
        Field::Example => 0.5,
        Field::Asked => 0.5,
    }
}

/// How much a word of a term's `asked` phrases counts: they are written for search, in the
/// words people use, but they are not what the term is named.
const ASKED_WEIGHT: f64 = 2.5;

/// BM25's saturation: the tenth mention of a word adds less than the first.
const K1: f64 = 1.2;

/// How strongly a query word matches an indexed stem it is not equal to.
const PREFIX: f64 = 0.8;
const TYPO: f64 = 0.7;
/// The shortest query words matched as a prefix, and as a typo.
const PREFIX_MIN_CHARS: usize = 3;
const TYPO_MIN_CHARS: usize = 4;

/// What a word the glossary does not have weighs in the query's best possible score, as a share
/// of the rarest word's weight: an unknown word is more likely off-topic content ("sourdough")
/// than filler, but it is not proof.
const UNKNOWN_SHARE: f64 = 1.0;

/// A word common in English weighs at most `ENGLISH_SCALE * (ENGLISH_TOP - zipf)²`: `the`
/// nearly nothing, `how` and `my` about a third of a rare word, words at Zipf 5 (`memory`,
/// `network`) about as much as a word in a quarter of the terms.
const ENGLISH_TOP: f64 = 7.8;
const ENGLISH_SCALE: f64 = 0.15;

/// The bonus for two query words found side by side, as a share of their weights.
const PHRASE: f64 = 0.5;

/// The bonus for a name or alias written out in the query, as a share of its words' weights.
const MENTION: f64 = 1.0;

/// How much more each further word of a name written out in the query adds to the mention
/// bonus of every word of it: a longer name is more specific (`rate limit` against `dockerhub`
/// in `DockerHub rate limit`).
const LONGER_NAME: f64 = 0.5;

/// The mention bonus's factor for a term whose names written out in the query hold `words`
/// distinct words.
fn longer_name(words: usize) -> f64 {
    1.0 + LONGER_NAME * words.saturating_sub(1) as f64
}

/// The least share of the query's weight a name written out in it must carry to count as
/// what the query is about.
const MENTION_SHARE: f64 = 0.3;

/// The most a word earns in the calibrated score, as a share of its weight, unless it belongs
/// to a name or alias the query writes out in full.
const PARTIAL: f64 = 0.7;

/// The calibrated score at which a hit is an answer rather than a mention.
pub const CONFIDENT: f64 = 0.45;

/// The top hit of a query that says it is about Docker (a word of data/search-domain.txt:
/// `docker…`, `container…`) is confident from this score on: the glossary is the place for
/// such a question, and the best term, if it matches at all, is the answer to show.
pub const CONFIDENT_IN_DOMAIN: f64 = 0.2;

/// The same for a query whose only such words are shared with other worlds (`container` is
/// also Azure's bucket of blobs and Python's word for a list; data/search-domain.txt marks
/// them `shared`): the glossary is likely the place, not certainly.
pub const CONFIDENT_IN_SHARED_DOMAIN: f64 = 0.3;

/// How surely a query's words put it in Docker's world (see [`CONFIDENT_IN_DOMAIN`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Domain {
    /// No word of data/search-domain.txt.
    Outside,
    /// Only words marked `shared` there (`container`).
    Shared,
    /// A word only Docker's world uses (`docker`, `dockerfile`, `podman`).
    Docker,
}

/// The word starts of data/search-domain.txt, compiled by build/domain.rs.
mod domain {
    include!(concat!(env!("OUT_DIR"), "/domain.rs"));
}

/// A top hit whose rank is `LEAD` times the runner-up's is confident from
/// `CONFIDENT_WITH_LEAD` on.
const LEAD: f64 = 2.0;
const CONFIDENT_WITH_LEAD: f64 = 0.35;

/// How much the calibrated score counts in the order of the hits, against the rank divided
/// by the best rank (see [`rank`]).
const COVERAGE_IN_ORDER: f64 = 3.0;

/// The snippet's length in characters, about.
const SNIPPET_CHARS: usize = 90;

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit<'g> {
    /// The term found.
    pub term: &'g Term,
    /// Calibrated score from 0 to 1: how much of the query's best possible score the term
    /// reaches (1 when the query names the term, or every word is in its name).
    pub score: f64,
    /// Whether the score reaches [`CONFIDENT`].
    pub confident: bool,
    /// The indexed stems the query matched, for [`Hit::snippet`].
    pub matched: Vec<&'g str>,
}

impl Hit<'_> {
    /// A short piece of the term's text around the first matched word. Computed on demand:
    /// output for scripts does not show it.
    pub fn snippet(&self) -> Snippet {
        snippet(self.term, &self.matched)
    }
}

/// A piece of plain text with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Plain text, no markdown.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<Range<usize>>,
}

/// Inverse document frequency, BM25's: near 0 for a word in every term, highest for a word in
/// one.
fn idf(terms: usize, frequency: usize) -> f64 {
    let (n, df) = (terms as f64, frequency as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// How rare indexed word `i` is among all terms, and among the names of terms. A word in many
/// bodies may still be in few names: `image` is everywhere, but only a few terms are named
/// after it, and a query that says `image` means one of those.
fn rarities(index: &Index, i: usize) -> (f64, f64) {
    let n = index.terms();
    let (mut all, mut named) = (0, 0);
    let (mut last, mut last_named) = (usize::MAX, usize::MAX);
    for posting in index.postings(i) {
        if posting.term != last {
            all += 1;
            last = posting.term;
        }
        if posting.field == Field::Name && posting.term != last_named {
            named += 1;
            last_named = posting.term;
        }
    }
    let anywhere = idf(n, all);
    let in_names = if named > 0 { idf(n, named) } else { 0.0 };
    (anywhere, anywhere.max(in_names))
}

fn saturate(tf: f64) -> f64 {
    tf * (K1 + 1.0) / (tf + K1)
}

/// One query word and the indexed stems it matches.
struct QueryWord {
    /// Its stem.
    stem: String,
    /// Indexed words it matches with their strength (1 for the stem itself).
    matches: Vec<(usize, f64)>,
    /// Whether the matches are the two halves of a compound (`dockerhost`): each is only part
    /// of the word, so neither may stand for it in a term's name (`imagenet` names no image).
    halves: bool,
    /// What the word weighs in the best possible score: the rarity of what it matched, or of
    /// an unknown word.
    weight: f64,
}

/// The index's words that a query stem matches: itself; else the stems it starts (three
/// letters or more: `kube`, `dockerf`); else, for four letters or more, stems it is a
/// plausible typo of (`registy`). Only a word the glossary does not have is matched loosely.
/// The flag says whether the matches are the two halves of a compound (see [`compound`]).
fn matching_words(index: &Index, stem: &str, word: &str) -> (Vec<(usize, f64)>, bool) {
    if let Some(i) = index.find(stem) {
        return (vec![(i, 1.0)], false);
    }
    if word.chars().count() >= PREFIX_MIN_CHARS {
        let prefixed: Vec<(usize, f64)> = index
            .with_prefix(word)
            .filter(|&i| !index.word(i).contains(' '))
            .map(|i| (i, PREFIX))
            .collect();
        if !prefixed.is_empty() {
            return (prefixed, false);
        }
    }
    // A version stuck to a name (`wsl2`, `python3`, `cuda12`) finds the name.
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit());
    if letters.len() >= 2
        && letters.len() < word.len()
        && let Some(i) = index.find(letters)
    {
        return (vec![(i, PREFIX)], false);
    }
    // Two words run together (`dockerhost`, `ratelimited`, `healthchecks`): both halves, when
    // the glossary has each, the longest first half first.
    if let Some(halves) = compound(index, word) {
        return (halves, true);
    }
    // A typo needs four letters or more, and the same first letter or the first two swapped
    // (see `typo_edits`): only words starting with the query's first or second letter can be
    // one, and each such start is one range of the sorted index.
    if word.chars().count().max(stem.chars().count()) < TYPO_MIN_CHARS {
        return (Vec::new(), false);
    }
    let mut starts: Vec<char> = word.chars().take(2).chain(stem.chars().take(2)).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut buffer = [0_u8; 4];
    // Only the closest candidates: `contaner` is one edit from `contain` (container's stem)
    // and two from `containerd`.
    let typos: Vec<(usize, usize)> = starts
        .iter()
        .flat_map(|c| index.with_prefix(c.encode_utf8(&mut buffer)))
        .filter_map(|i| {
            let candidate = index.word(i);
            if candidate.contains(' ') {
                return None;
            }
            let edits = [typo_edits(stem, candidate), typo_edits(word, candidate)]
                .into_iter()
                .flatten()
                .min()?;
            Some((i, edits))
        })
        .collect();
    let fewest = typos.iter().map(|&(_, edits)| edits).min();
    let mut found: Vec<(usize, f64)> = typos
        .into_iter()
        .filter(|&(_, edits)| Some(edits) == fewest)
        .map(|(i, _)| (i, TYPO))
        .collect();
    // In index order, as a scan of the whole index would give them.
    found.sort_unstable_by_key(|&(i, _)| i);
    (found, false)
}

/// The shortest half of a compound word that is matched as a word of its own.
const COMPOUND_MIN_CHARS: usize = 3;

/// The two indexed stems a word the glossary lacks is made of, when it is two words run
/// together (`dockerhost` → `docker`, `host`), each at [`PREFIX`] strength: one of them a
/// word of Docker's world, or the two a phrase the glossary has.
fn compound(index: &Index, word: &str) -> Option<Vec<(usize, f64)>> {
    if !word.is_ascii() || word.len() < 2 * COMPOUND_MIN_CHARS {
        return None;
    }
    let stems = Stems::default();
    (COMPOUND_MIN_CHARS..=word.len() - COMPOUND_MIN_CHARS)
        .rev()
        .find_map(|at| {
            let (left, right) = word.split_at(at);
            let (left_stem, right_stem) = (stems.of(left), stems.of(right));
            // Both halves indexed first (two lookups), before the phrase test scans the names.
            let left = index.find(&left_stem)?;
            let right = index.find(&right_stem)?;
            // Only a Docker compound (`dockerhost`) or a phrase of the glossary run together
            // (`ratelimit`): `imagenet`, `codebase` and `softmax` are words of their own.
            if !is_domain_stem(&left_stem) && !is_domain_stem(&right_stem) {
                let phrase = format!("{left_stem} {right_stem}");
                let is_name = |t: usize| index.key_stems(t).any(|key| key == phrase);
                if index.find(&phrase).is_none() && !(0..index.terms()).any(is_name) {
                    return None;
                }
            }
            let mut halves = vec![(left.min(right), PREFIX), (left.max(right), PREFIX)];
            halves.dedup();
            Some(halves)
        })
}

/// A query's words, lowercased and stemmed once for every index it is ranked against.
pub struct Query {
    /// Each word of the query in order: lowercased, and its stem.
    words: Vec<(String, String)>,
    /// Which words are written as command-line options (`-it`, `--rm`).
    options: Vec<bool>,
    /// Whether a word puts the query in Docker's world (see [`CONFIDENT_IN_DOMAIN`]).
    domain: Domain,
}

/// How surely a lowercased word puts a query in Docker's world: the data/search-domain.txt
/// word it starts with, and whether that one is marked shared.
fn domain_of(word: &str) -> Domain {
    domain::DOMAIN
        .iter()
        .filter(|(start, _)| word.starts_with(start))
        .map(|&(_, shared)| {
            if shared {
                Domain::Shared
            } else {
                Domain::Docker
            }
        })
        .max()
        .unwrap_or(Domain::Outside)
}

/// The longest label a leading `[...]` group may be (`[Feature Request]`).
const LABEL_MAX_CHARS: usize = 40;

/// Where the words of a title start after its labels: leading `[BUG]`, `[Feature Request]:`
/// groups of listed words, a conventional commit's `fix(docker):` (a listed word with a scope), and `feat:`,
/// `Bug:`, `ENH:` (the words of data/title-prefixes.txt). Error text starts with words
/// followed by `:` too (`toomanyrequests:`, `docker:`), so a label without a scope must be
/// one of that list.
fn after_labels(text: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        let start = at + rest.len() - trimmed.len();
        let label_end = if let Some(group) = trimmed.strip_prefix('[') {
            // Only a group of listed words (`[BUG]`, `[Feature Request]`): `[volume]` is the
            // title's subject.
            group
                .find(']')
                .filter(|&close| close <= LABEL_MAX_CHARS && all_listed(&group[..close]))
                .map(|close| {
                    let after = &group[close + 1..];
                    close + 2 + usize::from(after.starts_with(':'))
                })
        } else {
            let word = trimmed
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(trimmed.len());
            let after = &trimmed[word..];
            let scope = after
                .strip_prefix('(')
                .and_then(|s| s.find(')'))
                .filter(|&close| close <= LABEL_MAX_CHARS)
                .map(|close| close + 2);
            let after_scope = &after[scope.unwrap_or(0)..];
            let bang = usize::from(after_scope.starts_with('!'));
            let colon = &after_scope[bang..];
            let listed = || {
                domain::TITLE_PREFIXES
                    .binary_search(&trimmed[..word].to_ascii_lowercase().as_str())
                    .is_ok()
            };
            (word > 0
                && colon.starts_with(':')
                && colon[1..].starts_with(char::is_whitespace)
                && listed())
            .then(|| word + scope.unwrap_or(0) + bang + 1)
        };
        match label_end {
            // Only labels before more words: a title that is all label keeps its words.
            Some(end) if words(&trimmed[end..]).next().is_some() => at = start + end,
            _ => return at,
        }
    }
}

/// Whether every word of a label is one of data/title-prefixes.txt's.
fn all_listed(label: &str) -> bool {
    let mut listed = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            domain::TITLE_PREFIXES
                .binary_search(&w.to_lowercase().as_str())
                .is_ok()
        })
        .peekable();
    listed.peek().is_some() && listed.all(|ok| ok)
}

/// Whether a stem is one of data/search-domain.txt's words or a stem of one (`contain`).
fn is_domain_stem(stem: &str) -> bool {
    domain_of(stem) != Domain::Outside
        || (stem.len() >= DOMAIN_STEM_MIN_CHARS
            && domain::DOMAIN
                .iter()
                .any(|(start, _)| start.starts_with(stem)))
}

/// The shortest stem of a domain word [`is_domain_stem`] takes for one (`dock` is not).
const DOMAIN_STEM_MIN_CHARS: usize = 6;

impl Query {
    /// Splits `text` into words and stems them; a title's leading labels (see
    /// [`after_labels`]) are not words of the query, though a label that says `docker` or
    /// `containers` still puts it in Docker's world.
    pub fn new(text: &str) -> Self {
        let stems = Stems::default();
        let mut options = Vec::new();
        let start = after_labels(text);
        let query_words = words(&text[start..])
            .map(|range| {
                let range = start + range.start..start + range.end;
                let before = &text[..range.start];
                options.push(
                    before.ends_with('-')
                        && before
                            .trim_end_matches('-')
                            .chars()
                            .next_back()
                            .is_none_or(char::is_whitespace),
                );
                let word = text[range].to_lowercase();
                let stem = stems.of(&word);
                (word, stem)
            })
            .collect::<Vec<(String, String)>>();
        let domain = words(&text[..start])
            .map(|range| domain_of(&text[range].to_lowercase()))
            .chain(query_words.iter().map(|(word, _)| domain_of(word)))
            .max()
            .unwrap_or(Domain::Outside);
        Query {
            words: query_words,
            options,
            domain,
        }
    }
}

/// The query's distinct words, stemmed, with what they match.
fn query_words(index: &Index, query: &Query) -> Vec<QueryWord> {
    let terms = index.terms();
    let unknown = UNKNOWN_SHARE * idf(terms, 1);
    let mut out: Vec<QueryWord> = Vec::new();
    for ((word, stem), &option) in query.words.iter().zip(&query.options) {
        if out.iter().any(|w| w.stem == *stem) {
            continue;
        }
        let stem = stem.clone();
        let (matches, halves) = matching_words(index, &stem, word);
        let rarity = matches
            .iter()
            .map(|&(i, _)| rarities(index, i).1)
            .fold(None, |best: Option<f64>, w| {
                Some(best.map_or(w, |b| b.max(w)))
            })
            .unwrap_or(unknown);
        // An option (`-it`, `-d`) is a precise name, however common the word is in English.
        let weight = match english::zipf(word) {
            Some(zipf) if !option => {
                rarity.min(ENGLISH_SCALE * (ENGLISH_TOP - zipf).max(0.0).powi(2))
            }
            _ => rarity,
        };
        out.push(QueryWord {
            stem,
            matches,
            halves,
            weight,
        });
    }
    out
}

/// How many other words may stand among the words of a name of two words or more that the
/// query writes in another order or with words between (`size of docker image` writes
/// `image size`).
const NAME_GAP: usize = 2;

/// Whether the query's stems hold `key` (stems joined by spaces) as a run of whole words, or,
/// for a key of two words or more, all its words within a few more than their number (see
/// [`NAME_GAP`]) in any order; a key marked as an option (`-memori`) only where the query
/// writes that word as an option (`--memory`), so `CUDA out of memory` does not name
/// `--memory`'s term. Allocates nothing: it runs for every key of every term that might be
/// named.
fn contains_words(query: &[&str], options: &[bool], key: &str) -> bool {
    let (key, as_option) = match key.strip_prefix('-') {
        Some(option) => (option, true),
        None => (key, false),
    };
    let first = key.split(' ').next().unwrap_or(key);
    let length = key.split(' ').count();
    let in_a_run = query.windows(length).enumerate().any(|(at, run)| {
        run[0] == first
            && (!as_option || options.get(at).copied().unwrap_or(false))
            && key.split(' ').eq(run.iter().copied())
    });
    in_a_run
        || (length > 1
            && !as_option
            // Most keys have a word the query lacks: one pass finds that.
            && key.split(' ').all(|k| query.contains(&k))
            // Docker's own words are in every kind of question: a name with one counts only
            // as written.
            && !key.split(' ').any(is_domain_stem)
            && (0..query.len()).any(|at| {
                let near = &query[at..query.len().min(at + length + NAME_GAP)];
                key.split(' ').any(|k| k == query[at]) && key.split(' ').all(|k| near.contains(&k))
            }))
}

/// Whether the query is this key (an id, name or alias as stems), word for word, also without
/// a leading `docker`. Each query word may be read as any indexed stem it matched (`registy`
/// as registry's stem).
fn names(key: &str, query: &[Vec<&str>]) -> bool {
    let key = key.strip_prefix('-').unwrap_or(key);
    let without_docker = match query {
        [first, rest @ ..] if first.contains(&"docker") && !rest.is_empty() => rest,
        _ => query,
    };
    let same = |words: &[Vec<&str>]| {
        let mut key_words = key.split(' ');
        words
            .iter()
            .all(|readings| key_words.next().is_some_and(|k| readings.contains(&k)))
            && key_words.next().is_none()
    };
    same(query) || same(without_docker)
}

/// Searches the glossary and returns at most `limit` hits, best first.
///
/// Each query word is reduced to its stem and matched in the index (or loosely, when the
/// glossary lacks it). A term's rank is BM25F: for each word, its occurrences weighted by
/// field and dampened by field length, saturated, times the word's rarity; plus a bonus for
/// each pair of neighbouring query words that stand side by side in the term. The query that
/// is a term's id, name or alias ranks that term first. The calibrated [`Hit::score`] is the
/// term's score without the phrase bonus, over the score of a term with every known word in
/// its name, counting unknown words too (see [`UNKNOWN_SHARE`]).
pub fn search<'g>(glossary: &'g Glossary, query: &str, limit: usize) -> Vec<Hit<'g>> {
    rank_terms(glossary, &Query::new(query), limit, &[])
}

/// What a query finds: the Docker errors recognised in it (when it is pasted error text),
/// then the glossary's terms.
#[derive(Debug, Clone)]
pub struct Answer<'g> {
    /// Errors of data/errors.yaml recognised in the query, most relevant first.
    pub errors: Vec<ErrorMatch>,
    /// Terms, best first; the terms the recognised errors link to come first.
    pub hits: Vec<Hit<'g>>,
    /// Error entries the query's words find ([`crate::errors::search`]), best first.
    pub entries: Vec<ErrorHit>,
}

/// What `search` shows for an [`Answer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The error entries the query's words find, then the terms: nothing was recognised, and
    /// the query is a piece of an entry's message or finds an entry better than any term.
    EntriesFirst,
    /// The recognised errors, then the terms: the best result is an answer.
    Answer,
    /// Only the error entries found: no term matches well.
    Entries,
    /// Nothing matches well; the terms are only the closest.
    Weak,
}

impl Answer<'_> {
    /// Whether the best result is an answer rather than a mention: a recognised error, or a
    /// confident term.
    pub fn confident(&self) -> bool {
        !self.errors.is_empty() || self.hits.first().is_some_and(|h| h.confident)
    }

    /// Whether nothing at all was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.hits.is_empty() && self.entries.is_empty()
    }

    /// What `search` shows, and in which order.
    pub fn shown(&self) -> Shown {
        let entry_leads = self.entries.first().is_some_and(|e| {
            e.phrase
                || self
                    .hits
                    .first()
                    .is_none_or(|h| !h.confident || e.score >= h.score + ENTRY_LEAD)
        });
        if self.errors.is_empty() && entry_leads {
            Shown::EntriesFirst
        } else if self.confident() {
            Shown::Answer
        } else if !self.entries.is_empty() {
            Shown::Entries
        } else {
            Shown::Weak
        }
    }
}

/// Error text is pasted, not typed: a query this short is not worth matching against every
/// error pattern, which keeps `search tag` as fast as it was.
const MIN_ERROR_CHARS: usize = 12;

/// Answers a query: pasted error text goes to the error knowledge base first
/// ([`crate::explain::error::recognise`]); the terms each recognised error links to then rank
/// first among the glossary's hits, confidently, in the order the entries give them. At most
/// `limit` terms.
pub fn answer<'g>(glossary: &'g Glossary, query: &str, limit: usize) -> Answer<'g> {
    let errors = if query.chars().count() >= MIN_ERROR_CHARS {
        recognise(query)
    } else {
        Vec::new()
    };
    let mut linked: Vec<&str> = Vec::new();
    for found in &errors {
        for id in found.entry.terms {
            if !linked.contains(id) {
                linked.push(id);
            }
        }
    }
    let prepared = Query::new(query);
    let hits = rank_terms(glossary, &prepared, limit, &linked);
    let entries = crate::errors::search_ranked(query, rank_errors(&prepared), limit);
    Answer {
        errors,
        hits,
        entries,
    }
}

/// The search index of the error entries, compiled by build/error_index.rs.
mod error_index {
    use crate::index::Index;
    include!(concat!(env!("OUT_DIR"), "/error_index.rs"));
}

/// An error entry ranked by [`rank_errors`].
#[derive(Debug, Clone, Copy)]
pub struct RankedError {
    /// Its number in [`crate::errors::entries`].
    pub entry: usize,
    /// Calibrated score, as [`Hit::score`].
    pub score: f64,
    /// Whether the score is an answer: confident by the terms' rule, and the query's words
    /// say more than one thing the entry holds, or one that few entries hold (`toomanyrequests`,
    /// not `tag`).
    pub confident: bool,
}

/// The least calibrated score of an error entry that answers a query: above the terms' bar, as
/// entries are long texts that share many words.
const ENTRY_CONFIDENT: f64 = 0.55;

/// How much better than the best term's an error entry's score must be to list it first.
const ENTRY_LEAD: f64 = 0.2;

/// An entry found by one query word only must be one of at most this many holding it.
const ENTRY_ONE_WORD_MAX: usize = 2;

/// The error entries a query's words find, ranked like terms (see [`search`]) over each
/// entry's id and title, its message's fragments, its cause and its fix, best first.
pub fn rank_errors(query: &Query) -> Vec<RankedError> {
    let entries = crate::errors::entries();
    let index = &error_index::ERROR_INDEX;
    rank(index, query, entries.len(), &[], |e| entries[e].id, false)
        .into_iter()
        .map(|r| {
            let telling = match r.words_found {
                0 => false,
                1 => r.documents_of_word <= ENTRY_ONE_WORD_MAX,
                _ => true,
            };
            RankedError {
                entry: r.document,
                score: r.score,
                confident: r.confident && r.score >= ENTRY_CONFIDENT && telling,
            }
        })
        .collect()
}

/// The compiled index of the error entries.
pub fn error_index() -> &'static Index {
    &error_index::ERROR_INDEX
}

/// Ranks the glossary's terms for a query (see [`search`]); the terms of `first`, when there
/// are any, rank above all others in that order and count as confident.
fn rank_terms<'g>(
    glossary: &'g Glossary,
    query: &Query,
    limit: usize,
    first: &[&str],
) -> Vec<Hit<'g>> {
    let terms = glossary.terms();
    let first: Vec<usize> = first
        .iter()
        .filter_map(|id| terms.iter().position(|t| t.id == *id))
        .collect();
    rank(
        glossary.index(),
        query,
        limit,
        &first,
        |t| &terms[t].id,
        true,
    )
    .into_iter()
    .map(|ranked| Hit {
        term: &terms[ranked.document],
        score: ranked.score,
        confident: ranked.confident,
        matched: ranked.matched,
    })
    .collect()
}

/// One document ranked by [`rank`].
struct Ranked<'i> {
    /// Its number in the index.
    document: usize,
    /// Calibrated, see [`Hit::score`].
    score: f64,
    confident: bool,
    /// The indexed stems the query matched, when asked for.
    matched: Vec<&'i str>,
    /// How many of the query's distinct words it has.
    words_found: usize,
    /// In how many documents the last of them is.
    documents_of_word: usize,
}

/// Ranks the documents of `index` for a query (see [`search`]): at most `limit`, best first,
/// ties in the order of `id`. The documents of `first`, when there are any, rank above all
/// others in that order and count as confident.
fn rank<'i, 'd>(
    index: &'i Index,
    query: &Query,
    limit: usize,
    first: &[usize],
    id: impl Fn(usize) -> &'d str,
    with_matched: bool,
) -> Vec<Ranked<'i>> {
    let query_words = query_words(index, query);
    let n = index.terms();

    // Average field lengths, for BM25's length normalisation.
    let mut average = [0.0_f64; Field::ALL.len()];
    for field in Field::ALL {
        let total: usize = (0..n).map(|t| index.length(t, field)).sum();
        average[field as usize] = (total as f64 / n.max(1) as f64).max(1.0);
    }
    let normalised_count = |term: usize, field: Field, count: usize| -> f64 {
        let b = length_damping(field);
        let relative = index.length(term, field) as f64 / average[field as usize];
        weight(field) * count as f64 / (1.0 - b + b * relative)
    };
    // What one mention in a name of average length is worth: the best a word can do.
    let best_per_weight = saturate(weight(Field::Name));

    // Names and aliases written out in the query (`what does --rm do`): the query mentions
    // the term itself. Only the words of such a name earn a term full credit in the
    // calibrated score; the query that is a name is certain.
    let query_stems: Vec<&str> = query.words.iter().map(|(_, stem)| stem.as_str()).collect();
    let readings: Vec<Vec<&str>> = query_stems
        .iter()
        .map(|&stem| {
            let mut readings = vec![stem];
            if let Some(word) = query_words.iter().find(|w| w.stem == stem && !w.halves) {
                readings.extend(word.matches.iter().map(|&(i, _)| index.word(i)));
            }
            readings
        })
        .collect();
    // Only a term with one of the query's words in a name or alias can be named or mentioned
    // by it: every key's stems are in its term's Name field.
    let mut candidate = vec![false; n];
    for word in &query_words {
        for &(i, _) in &word.matches {
            for posting in index.postings(i) {
                candidate[posting.term] |= posting.field == Field::Name;
            }
        }
    }
    let mut named = vec![false; n];
    let mut mentioned: Vec<Vec<&str>> = vec![Vec::new(); n];
    for (t, words_of_names) in mentioned.iter_mut().enumerate() {
        if !candidate[t] {
            continue;
        }
        for key in index.key_stems(t) {
            if key.is_empty() {
                continue;
            }
            if names(key, &readings) {
                named[t] = true;
            }
            if contains_words(&query_stems, &query.options, key) {
                words_of_names.extend(key.trim_start_matches('-').split(' '));
            }
        }
    }
    for words_of_names in &mut mentioned {
        words_of_names.sort_unstable();
        words_of_names.dedup();
    }
    // The more specific name wins: a name whose words are all in a longer name the query
    // also writes out is part of that one (`image` in `size of docker image`, which writes
    // `image size`), not what the query is about.
    let within_longer: Vec<usize> = (0..n)
        .filter(|&t| {
            let words = &mentioned[t];
            !words.is_empty()
                && mentioned.iter().any(|other| {
                    other.len() > words.len() && words.iter().all(|w| other.contains(w))
                })
        })
        .collect();
    for t in within_longer {
        mentioned[t].clear();
    }
    // A name that is a small part of what the query says is incidental: `container` in `how
    // do I share data between two containers` does not make the question about containers.
    let total: f64 = query_words.iter().map(|w| w.weight).sum();
    for words_of_names in &mut mentioned {
        let share: f64 = words_of_names
            .iter()
            .filter_map(|stem| query_words.iter().find(|w| w.stem == *stem))
            .map(|w| w.weight)
            .sum();
        if share < MENTION_SHARE * total {
            words_of_names.clear();
        }
    }

    let mut coverage = vec![0.0_f64; n];
    let mut rank = vec![0.0_f64; n];
    let mut possible = 0.0;
    let mut best = vec![0.0_f64; n];
    // How many of the query's words each document has, and in how many documents the last
    // word found in it is.
    let mut found = vec![0_usize; n];
    let mut last_found_in = vec![0_usize; n];
    for word in &query_words {
        possible += word.weight;
        best.fill(0.0);
        for &(i, strength) in &word.matches {
            let (anywhere, in_names) = rarities(index, i);
            // Postings come grouped by term: one run per term, no per-term table needed.
            let mut postings = index.postings(i).peekable();
            while let Some(first) = postings.next() {
                let t = first.term;
                let mut tf = strength * normalised_count(t, first.field, first.count);
                let mut in_name = first.field == Field::Name;
                while let Some(next) = postings.next_if(|p| p.term == t) {
                    tf += strength * normalised_count(t, next.field, next.count);
                    in_name |= next.field == Field::Name;
                }
                // Rare among names only counts for a name the query writes out in full:
                // `machine` in `host machine` does not make the query about virtual machines.
                let whole_name = in_name && mentioned[t].contains(&word.stem.as_str());
                let rarity = if whole_name { in_names } else { anywhere };
                let score = rarity.min(word.weight) * saturate(tf);
                if score > best[t] {
                    best[t] = score;
                }
            }
        }
        let documents = best.iter().filter(|&&b| b > 0.0).count();
        for t in 0..n {
            if best[t] > 0.0 {
                found[t] += 1;
                last_found_in[t] = documents;
            }
            let credit = if mentioned[t].contains(&word.stem.as_str()) {
                word.weight
            } else {
                (best[t] / best_per_weight).min(PARTIAL * word.weight)
            };
            coverage[t] += credit;
            rank[t] += best[t];
            // The mention bonus: the words of a name the query writes out count again.
            if mentioned[t].contains(&word.stem.as_str()) {
                rank[t] += MENTION * word.weight * longer_name(mentioned[t].len());
            }
        }
    }
    // Phrases: neighbouring query words side by side in the term.
    for pair in query_words.windows(2) {
        let Some(i) = index.find(&format!("{} {}", pair[0].stem, pair[1].stem)) else {
            continue;
        };
        let rarity = (pair[0].weight + pair[1].weight) / 2.0;
        let mut postings = index.postings(i).peekable();
        while let Some(first) = postings.next() {
            let t = first.term;
            let mut tf = normalised_count(t, first.field, first.count);
            while let Some(next) = postings.next_if(|p| p.term == t) {
                tf += normalised_count(t, next.field, next.count);
            }
            rank[t] += PHRASE * rarity * saturate(tf);
        }
    }

    let mut hits: Vec<(usize, f64, f64)> = (0..n)
        .filter(|&t| rank[t] > 0.0 || first.contains(&t))
        .map(|t| {
            let calibrated = if possible > 0.0 {
                coverage[t] / possible
            } else {
                0.0
            };
            if let Some(at) = first.iter().position(|&f| f == t) {
                // Linked from a recognised error: above everything, in the entry's order.
                (t, 10_000.0 - at as f64, calibrated.max(CONFIDENT))
            } else if named[t] {
                // Named: first, and as sure as can be.
                (t, rank[t] + 1000.0, 1.0)
            } else {
                (t, rank[t], calibrated)
            }
        })
        .collect();
    // A top hit far ahead of the rest is an answer at a lower score: off-topic queries touch
    // many terms a little, a question about one idea touches that one much more.
    let (mut best, mut second) = (0.0_f64, 0.0_f64);
    for hit in &hits {
        if hit.1 > best {
            second = best;
            best = hit.1;
        } else if hit.1 > second {
            second = hit.1;
        }
    }
    let clear_lead = !hits.is_empty() && best >= LEAD * second;
    // The order blends the rank with the calibrated score: of two terms ranked alike, the
    // one that answers more of the query comes first (a name written in the query wins rank,
    // not coverage: `restarting … wipes data` is about volumes, not restart policies). Named
    // and linked terms keep their place above the rest.
    let best_plain = hits
        .iter()
        .filter(|h| !named[h.0] && !first.contains(&h.0))
        .map(|h| h.1)
        .fold(0.0_f64, f64::max);
    if best_plain > 0.0 {
        for hit in &mut hits {
            if !named[hit.0] && !first.contains(&hit.0) {
                hit.1 = hit.1 / best_plain + COVERAGE_IN_ORDER * hit.2;
            }
        }
    }
    let order = |a: &(usize, f64, f64), b: &(usize, f64, f64)| {
        b.1.total_cmp(&a.1).then(id(a.0).cmp(id(b.0)))
    };
    // Only the best `limit` need sorting.
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, order);
    }
    hits.truncate(limit);
    hits.sort_by(order);
    hits.into_iter()
        .enumerate()
        .map(|(at, (t, _, calibrated))| {
            let score = (calibrated.min(1.0) * 1000.0).round() / 1000.0;
            let in_domain_bar = match query.domain {
                Domain::Outside => f64::INFINITY,
                Domain::Shared => CONFIDENT_IN_SHARED_DOMAIN,
                Domain::Docker => CONFIDENT_IN_DOMAIN,
            };
            let leads =
                at == 0 && ((clear_lead && score >= CONFIDENT_WITH_LEAD) || score >= in_domain_bar);
            // The stems matched, only for the documents returned: a term's snippet marks them.
            let matched = if with_matched {
                query_words
                    .iter()
                    .flat_map(|w| &w.matches)
                    .filter(|&&(i, _)| index.postings(i).any(|p| p.term == t))
                    .map(|&(i, _)| index.word(i))
                    .collect()
            } else {
                Vec::new()
            };
            Ranked {
                document: t,
                score,
                confident: score >= CONFIDENT || leads,
                matched,
                words_found: found[t],
                documents_of_word: last_found_in[t],
            }
        })
        .collect()
}

/// A term's body as plain text: inline links become their labels and markdown marks go.
fn plain_body(body: &str) -> String {
    let mut plain = String::with_capacity(body.len());
    for segment in segments(body) {
        match segment {
            Segment::Text(text) => plain.push_str(text),
            Segment::Link { label, .. } => plain.push_str(label),
        }
    }
    let without_marks: String = plain
        .chars()
        .filter(|c| !matches!(c, '`' | '*' | '#'))
        .collect();
    without_marks
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// About [`SNIPPET_CHARS`] characters of the body around the first word the search matched,
/// with every such word marked. Falls back to the summary when the body does not match.
fn snippet(term: &Term, vocabulary: &[&str]) -> Snippet {
    let body = plain_body(&term.body);
    let stems = Stems::default();
    let matches_at = |text: &str| -> Vec<Range<usize>> {
        words(text)
            .filter(|r| vocabulary.contains(&stems.of(&text[r.clone()]).as_str()))
            .collect()
    };
    let mut text = body;
    let mut found = matches_at(&text);
    if found.is_empty() {
        text = term.summary.to_string();
        found = matches_at(&text);
    }
    let first = found.first().map_or(0, |r| r.start);
    // Start a few words before the first match, on a word boundary.
    let mut start = first.saturating_sub(SNIPPET_CHARS / 3);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..first]
            .find(' ')
            .map_or(first, |i| start + i + 1);
    }
    let mut end = (start + SNIPPET_CHARS).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[..end].rfind(' ').filter(|&i| i > first).unwrap_or(end);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let offset = out.len() as isize - start as isize;
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    let highlights = found
        .into_iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| (r.start as isize + offset) as usize..(r.end as isize + offset) as usize)
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(query: &str) -> Vec<String> {
        search(&Glossary::builtin(), query, 10)
            .into_iter()
            .map(|h| h.term.id.to_string())
            .collect()
    }

    #[test]
    fn names_rank_above_mentions() {
        assert_eq!(ids("tag").first().map(String::as_str), Some("tag"));
        assert_eq!(ids("volume").first().map(String::as_str), Some("volume"));
        assert!(ids("tag").len() > 1, "other terms mention tags too");
    }

    #[test]
    fn every_word_counts_and_common_words_weigh_little() {
        let hits = ids("what is the image id");
        assert_eq!(hits.first().map(String::as_str), Some("image-id"));
        let hits = ids("how do I use my gpu");
        assert_eq!(hits.first().map(String::as_str), Some("gpu-access"));
    }

    #[test]
    fn stems_match_other_forms_of_a_word() {
        let hits = ids("mounted folders");
        assert!(hits.iter().take(3).any(|id| id == "bind-mount"), "{hits:?}");
    }

    #[test]
    fn named_terms_are_certain_and_off_topic_queries_are_not_confident() {
        let glossary = Glossary::builtin();
        let hits = search(&glossary, "shared memory", 3);
        assert_eq!(hits[0].term.id, "shared-memory");
        assert_eq!(hits[0].score, 1.0);
        assert!(hits[0].confident);
        let hits = search(&glossary, "how to bake sourdough bread at home", 3);
        assert!(
            hits.iter().all(|h| !h.confident),
            "{:?}",
            hits.first().map(|h| (&h.term.id, h.score))
        );
    }

    #[test]
    fn asked_phrases_are_searched_but_never_names() {
        let glossary = Glossary::builtin();
        let desktop = glossary.get("docker-desktop").expect("core term");
        assert!(desktop.asked.iter().any(|a| a.contains("vmmem")));
        assert!(!desktop.body.to_lowercase().contains("vmmem"));
        assert_eq!(
            ids("vmmem").first().map(String::as_str),
            Some("docker-desktop")
        );
        assert!(matches!(
            crate::lookup::resolve(&glossary, "vmmem"),
            crate::lookup::Resolution::NotFound
        ));
    }

    #[test]
    fn a_question_about_docker_is_answered_from_a_lower_score() {
        let glossary = Glossary::builtin();
        let question = "How can I keep a container running after the command finishes?";
        assert_eq!(Query::new(question).domain, Domain::Shared);
        let hits = search(&glossary, question, 3);
        assert_eq!(hits[0].term.id, "detached-mode");
        assert!(
            hits[0].score < CONFIDENT && hits[0].confident,
            "{}",
            hits[0].score
        );
        assert!(!hits[1].confident, "only the top hit");
        assert_eq!(Query::new("Dockerized app").domain, Domain::Docker);
        assert_eq!(
            Query::new("docker containers").domain,
            Domain::Docker,
            "the surest word decides"
        );
        assert_eq!(
            Query::new("How do I check if a list contains a value?").domain,
            Domain::Outside
        );
    }

    #[test]
    fn container_alone_needs_a_higher_score_than_docker() {
        let glossary = Glossary::builtin();
        let query = "Is it possible to list the blobs in a blob container?";
        assert_eq!(Query::new(query).domain, Domain::Shared);
        let hits = search(&glossary, query, 1);
        assert!(
            hits[0].score >= CONFIDENT_IN_DOMAIN && !hits[0].confident,
            "{} {}",
            hits[0].term.id,
            hits[0].score
        );
    }

    #[test]
    fn the_longer_name_written_in_the_query_wins() {
        let glossary = Glossary::builtin();
        let words = |query: &str| Query::new(query).words;
        let stems = |query: &str| -> Vec<String> {
            words(query).into_iter().map(|(_, stem)| stem).collect()
        };
        let key = |name: &str| stems(name).join(" ");
        let holds = |query: &str, name: &str| {
            let query = stems(query);
            let query: Vec<&str> = query.iter().map(String::as_str).collect();
            contains_words(&query, &vec![false; query.len()], &key(name))
        };
        assert!(holds("size of my image", "image size"), "any order, a gap");
        assert!(holds("image size", "image size"));
        assert!(
            !holds("size of all the layers of my image", "image size"),
            "too far"
        );
        assert!(
            !holds("docker host", "host docker"),
            "names with docker: only as written"
        );
        let hits = search(&glossary, "what is the size of my image", 2);
        assert_eq!(hits[0].term.id, "image-size", "{:?}", hits[1].term.id);
    }

    #[test]
    fn title_labels_are_not_words() {
        let stems = |text: &str| -> Vec<String> {
            Query::new(text).words.into_iter().map(|(w, _)| w).collect()
        };
        assert_eq!(stems("[BUG] no output in docker logs")[0], "no");
        assert_eq!(stems("[Feature Request]: gpu support")[0], "gpu");
        assert_eq!(stems("[bug][question] gpu")[0], "gpu");
        // A label that is the subject stays: only listed words are labels.
        assert_eq!(stems("[volume] missing")[0], "volume");
        assert_eq!(stems("healthcheck(s): how to write one")[0], "healthcheck");
        assert_eq!(stems("[a] gpu")[0], "a");
        assert_eq!(stems("fix(docker): use tini")[0], "use");
        assert_eq!(stems("feat!: use tini")[0], "use");
        assert_eq!(stems("Bug: port not published")[0], "port");
        assert_eq!(stems("ENH: smaller image")[0], "smaller");
        // Error text keeps its first word; a label is only one before more words.
        assert_eq!(stems("toomanyrequests: rate limit")[0], "toomanyrequests");
        assert_eq!(stems("docker: Error response")[0], "docker");
        assert_eq!(stems("[BUG]"), ["bug"]);
        assert_eq!(stems("fix: "), ["fix"]);
        // A label that says docker still puts the query in Docker's world.
        assert_eq!(Query::new("fix(docker): use tini").domain, Domain::Docker);
    }

    #[test]
    fn an_option_counts_however_common_its_word_is() {
        let hits = ids("what does -it mean");
        assert_eq!(hits.first().map(String::as_str), Some("interactive-tty"));
        let hits = ids("What does docker run -d mean?");
        assert_eq!(hits.first().map(String::as_str), Some("detached-mode"));
    }

    #[test]
    fn typos_are_forgiven_per_word() {
        assert_eq!(ids("registy").first().map(String::as_str), Some("registry"));
        assert_eq!(ids("kube").first().map(String::as_str), Some("kubernetes"));
        assert_eq!(
            ids("contaner").first().map(String::as_str),
            Some("container")
        );
    }

    #[test]
    fn compiled_error_index_is_what_build_makes() {
        use std::borrow::Cow;
        let documents: Vec<crate::index::Document<'_>> = crate::errors::searchable()
            .map(|s| crate::index::Document {
                keys: vec![Cow::Borrowed(s.id), Cow::Borrowed(s.title)],
                summary: s.fragments.iter().map(|f| Cow::Borrowed(*f)).collect(),
                body: s.body.iter().map(|b| Cow::Borrowed(*b)).collect(),
                examples: Vec::new(),
                asked: Vec::new(),
            })
            .collect();
        assert_eq!(
            error_index().parts(),
            Index::build_documents(&documents).parts()
        );
    }

    #[test]
    fn error_entries_are_found_by_their_words() {
        let ids = |q: &str| {
            crate::errors::search(q, 5)
                .iter()
                .map(|h| h.entry.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids("port already allocated").first(),
            Some(&"port-already-allocated")
        );
        assert_eq!(
            ids("no space left on device").first(),
            Some(&"no-space-left-on-device")
        );
        let glossary = Glossary::builtin();
        let found = answer(&glossary, "port already allocated", 5);
        assert_eq!(found.shown(), Shown::EntriesFirst);
        assert!(ids("tag").is_empty(), "{:?}", ids("tag"));
        assert!(ids("how to bake sourdough bread").is_empty());
    }

    #[test]
    fn a_one_word_option_names_its_term_only_written_as_an_option() {
        let glossary = Glossary::builtin();
        let hits = search(&glossary, "--memory", 1);
        assert_eq!(hits[0].term.id, "resource-limits");
        let hits = search(&glossary, "Cuda out of memory", 1);
        assert!(!hits[0].confident, "{} {}", hits[0].term.id, hits[0].score);
        assert!(contains_words(&["memori"], &[true], "-memori"));
        assert!(!contains_words(&["memori"], &[false], "-memori"));
        assert!(contains_words(
            &["network", "host"],
            &[false, false],
            "network host"
        ));
    }

    #[test]
    fn two_words_run_together_are_read_as_both() {
        let glossary = Glossary::builtin();
        let index = glossary.index();
        let halves = |word: &str| -> Vec<&str> {
            compound(index, word)
                .unwrap_or_default()
                .iter()
                .map(|&(i, _)| index.word(i))
                .collect()
        };
        assert_eq!(halves("dockerhost"), ["docker", "host"]);
        assert_eq!(halves("ratelimited"), ["limit", "rate"]);
        assert!(halves("qqqzzz").is_empty());
        assert_eq!(
            ids("ratelimited").first().map(String::as_str),
            Some("rate-limit")
        );
        // Words of their own that happen to be two glossary words (found in review): neither
        // half is Docker's and the two are no phrase of the glossary, so nothing is named.
        for word in ["imagenet", "codebase", "softmax", "homework", "sourcefile"] {
            assert!(halves(word).is_empty(), "{word}");
            let confident = search(&glossary, word, 3).iter().any(|hit| hit.confident);
            assert!(!confident, "{word}");
        }
    }

    #[test]
    fn nothing_matches_gibberish() {
        assert!(ids("qqqzzzxxx").is_empty());
    }

    #[test]
    fn the_limit_is_respected() {
        assert!(search(&Glossary::builtin(), "image", 2).len() <= 2);
    }

    #[test]
    fn snippets_mark_the_matched_words() {
        let glossary = Glossary::builtin();
        let hits = search(&glossary, "layer", 100);
        let hit = hits
            .iter()
            .find(|h| h.term.id == "image")
            .expect("image mentions layers");
        assert!(!hit.snippet().highlights.is_empty());
        for range in &hit.snippet().highlights {
            let word = hit.snippet().text[range.clone()].to_lowercase();
            assert!(word.starts_with("layer"), "{word}");
        }
        assert!(hit.snippet().text.chars().count() <= SNIPPET_CHARS + 2);
    }

    #[test]
    fn plain_body_drops_links_and_marks() {
        assert_eq!(
            plain_body("An [[image|*image*]] has `layers`.\n\nMore."),
            "An image has layers. More."
        );
    }
}
