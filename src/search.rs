//! Ranked full-text search over names, aliases, summaries, bodies and examples, tolerant of
//! typos, with a snippet around the best match.

use std::ops::Range;

use strsim::normalized_damerau_levenshtein;

use crate::glossary::Glossary;
use crate::index::{Field, Index, words};
use crate::schema::{Segment, Term, keys, normalize_key, segments};

/// Words too common to say anything about a term; dropped unless the query is only these.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "do", "does", "for", "how", "i", "in", "is", "it", "of", "on", "or",
    "the", "to", "vs", "what", "when", "why", "with",
];

/// How much a match counts, by where it is.
const NAME_WEIGHT: f64 = 8.0;
const SUMMARY_WEIGHT: f64 = 3.0;
const BODY_WEIGHT: f64 = 1.0;
const EXAMPLE_WEIGHT: f64 = 1.0;

/// How much a match counts, by how close it is.
const EXACT: f64 = 1.0;
const PREFIX: f64 = 0.7;
const FUZZY: f64 = 0.5;
/// Typo tolerance: the least similarity for a fuzzy word match, and the shortest word it
/// applies to (shorter words have too many neighbours).
const FUZZY_MIN_SIMILARITY: f64 = 0.75;
const FUZZY_MIN_CHARS: usize = 4;

/// Added when the whole query is a term's id, name or alias: less than one more matched word
/// is worth, more than any amount of mentions.
const NAMED_BONUS: f64 = 50.0;

/// The snippet's length in characters, about.
const SNIPPET_CHARS: usize = 90;

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit<'g> {
    /// The term found.
    pub term: &'g Term,
    /// Higher is better; only comparable within one search.
    pub score: f64,
    /// The indexed words the query matched, for [`Hit::snippet`].
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

/// How much a field counts.
fn weight(field: Field) -> f64 {
    match field {
        Field::Name => NAME_WEIGHT,
        Field::Summary => SUMMARY_WEIGHT,
        Field::Body => BODY_WEIGHT,
        Field::Example => EXAMPLE_WEIGHT,
    }
}

/// The query's words, lowercased, without stop words.
fn query_words(query: &str) -> Vec<String> {
    let normal = normalize_key(query);
    let all: Vec<String> = normal
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let meaningful: Vec<String> = all
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    if meaningful.is_empty() {
        all
    } else {
        meaningful
    }
}

/// The index's words that match a query word, with how strongly: the word itself, words it
/// starts (two letters or more), or, when neither exists anywhere, words within a typo or two.
fn matching_words(index: &Index, word: &str) -> Vec<(usize, f64)> {
    let literal: Vec<(usize, f64)> = index
        .with_prefix(word)
        .filter_map(|i| {
            if index.word(i) == word {
                Some((i, EXACT))
            } else {
                (word.len() >= 2).then_some((i, PREFIX))
            }
        })
        .collect();
    if !literal.is_empty() || word.chars().count() < FUZZY_MIN_CHARS {
        return literal;
    }
    (0..index.len())
        .filter_map(|i| {
            let candidate = index.word(i);
            // A typo or two never changes the length by more than two: skip the rest cheaply.
            if candidate.len().abs_diff(word.len()) > 2
                || candidate.chars().count() < FUZZY_MIN_CHARS
            {
                return None;
            }
            let similarity = normalized_damerau_levenshtein(word, candidate);
            (similarity >= FUZZY_MIN_SIMILARITY).then_some((i, FUZZY * similarity))
        })
        .collect()
}

/// Searches the glossary. Every query word is matched whole or as a word prefix; a word that
/// matches nowhere is matched fuzzily, to forgive typos. A term scores the best weighted match
/// of each word (a name counts most, then the summary, then body and examples) plus a little
/// per mention; terms that match more of the query's words rank first. At most `limit` hits.
pub fn search<'g>(glossary: &'g Glossary, query: &str, limit: usize) -> Vec<Hit<'g>> {
    let index = glossary.index();
    let terms = glossary.terms();
    let mut totals = vec![0.0_f64; terms.len()];
    let mut matched = vec![0_usize; terms.len()];
    // For each query word, the indexed words it matched.
    let mut per_word: Vec<Vec<&str>> = Vec::new();
    for word in query_words(query) {
        let mut best = vec![0.0_f64; terms.len()];
        let mut mentions = vec![0_usize; terms.len()];
        let mut found = Vec::new();
        for (i, strength) in matching_words(index, &word) {
            found.push(index.word(i));
            for posting in index.postings(i) {
                let score = weight(posting.field) * strength;
                best[posting.term] = best[posting.term].max(score);
                mentions[posting.term] += posting.count;
            }
        }
        per_word.push(found);
        for t in 0..terms.len() {
            if best[t] > 0.0 {
                totals[t] += best[t] + 0.1 * mentions[t].min(10) as f64;
                matched[t] += 1;
            }
        }
    }

    let mut hits: Vec<(usize, f64)> = (0..terms.len())
        .filter(|&t| matched[t] > 0)
        // A term that matches every word outranks any term that misses one; among those, the
        // term the query names (`volume`, or `registy` for registry) outranks terms that
        // mention it more often.
        .map(|t| {
            let bonus = if names(&terms[t], &per_word) {
                NAMED_BONUS
            } else {
                0.0
            };
            (t, totals[t] + bonus + 100.0 * matched[t] as f64)
        })
        .collect();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(terms[a.0].id.cmp(&terms[b.0].id)));
    hits.truncate(limit);
    hits.into_iter()
        .map(|(t, score)| Hit {
            term: &terms[t],
            score: (score * 100.0).round() / 100.0,
            matched: per_word.concat(),
        })
        .collect()
}

/// Whether an id, name or alias of the term is the query, word for word, allowing each word
/// whatever the index matched it with (a prefix, a fixed typo).
fn names(term: &Term, per_word: &[Vec<&str>]) -> bool {
    keys(term).any(|key| {
        let key = normalize_key(key);
        key.split(' ').count() == per_word.len()
            && key
                .split(' ')
                .zip(per_word)
                .all(|(word, found)| found.contains(&word))
    })
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
/// Indexed words are lowercase; comparing ASCII case-insensitively avoids lowercasing every
/// word of the body.
fn snippet(term: &Term, vocabulary: &[&str]) -> Snippet {
    let body = plain_body(&term.body);
    let matches_at = |text: &str| -> Vec<Range<usize>> {
        words(text)
            .filter(|r| {
                vocabulary
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(&text[r.clone()]))
            })
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
    fn every_word_counts_and_stop_words_do_not() {
        let hits = ids("what is the image id");
        assert_eq!(hits.first().map(String::as_str), Some("image-id"));
    }

    #[test]
    fn typos_are_forgiven_per_word() {
        assert_eq!(ids("registy").first().map(String::as_str), Some("registry"));
        assert_eq!(
            ids("contaner").first().map(String::as_str),
            Some("container")
        );
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
