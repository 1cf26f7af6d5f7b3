//! Ranked full-text search over names, aliases, summaries, bodies and examples, tolerant of
//! typos, with a snippet around the best match.

use std::ops::Range;

use strsim::normalized_damerau_levenshtein;

use crate::glossary::Glossary;
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

/// The snippet's length in characters, about.
const SNIPPET_CHARS: usize = 90;

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit<'g> {
    /// The term found.
    pub term: &'g Term,
    /// Higher is better; only comparable within one search.
    pub score: f64,
    /// A short piece of the term's text around the best match.
    pub snippet: Snippet,
}

/// A piece of plain text with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Plain text, no markdown.
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<Range<usize>>,
}

/// How one query word matches a text word.
#[derive(Debug, Clone, Copy, PartialEq)]
enum WordMatch {
    None,
    Fuzzy(f64),
    Prefix,
    Exact,
}

impl WordMatch {
    fn strength(self) -> f64 {
        match self {
            WordMatch::None => 0.0,
            WordMatch::Fuzzy(similarity) => FUZZY * similarity,
            WordMatch::Prefix => PREFIX,
            WordMatch::Exact => EXACT,
        }
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

/// Byte ranges of the words of `text`: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// How `word` (lowercase) matches `token` as written, without fuzzy matching.
fn literal_match(word: &str, token: &str) -> WordMatch {
    if token.len() == word.len() && token.eq_ignore_ascii_case(word) {
        WordMatch::Exact
    } else if word.len() >= 2
        && token.len() > word.len()
        && token.is_char_boundary(word.len())
        && token[..word.len()].eq_ignore_ascii_case(word)
    {
        WordMatch::Prefix
    } else {
        WordMatch::None
    }
}

/// How `word` (lowercase) matches `token`, allowing a typo when `fuzzy` is set.
fn word_match(word: &str, token: &str, fuzzy: bool) -> WordMatch {
    let literal = literal_match(word, token);
    if literal != WordMatch::None || !fuzzy {
        return literal;
    }
    // Cheap length filter first: a typo or two never changes the length by more than two.
    if token.len().abs_diff(word.len()) > 2 || token.chars().count() < FUZZY_MIN_CHARS {
        return WordMatch::None;
    }
    let similarity = normalized_damerau_levenshtein(word, &token.to_lowercase());
    if similarity >= FUZZY_MIN_SIMILARITY {
        WordMatch::Fuzzy(similarity)
    } else {
        WordMatch::None
    }
}

/// The best match of `word` anywhere in `text`, and how many words of `text` match it.
fn best_in(word: &str, text: &str, fuzzy: bool) -> (WordMatch, usize) {
    let mut best = WordMatch::None;
    let mut count = 0;
    for range in words(text) {
        let found = word_match(word, &text[range], fuzzy);
        if found != WordMatch::None {
            count += 1;
            if found.strength() > best.strength() {
                best = found;
            }
        }
    }
    (best, count)
}

/// The texts of a term that search looks at, with their weights.
fn fields(term: &Term) -> impl Iterator<Item = (&str, f64)> {
    keys(term)
        .map(|k| (k, NAME_WEIGHT))
        .chain([(&*term.summary, SUMMARY_WEIGHT), (&*term.body, BODY_WEIGHT)])
        .chain(term.analogy.iter().map(|a| (&**a, BODY_WEIGHT)))
        .chain(
            term.examples
                .iter()
                .flat_map(|e| [(&*e.command, EXAMPLE_WEIGHT), (&*e.note, EXAMPLE_WEIGHT)]),
        )
}

/// How well one term matches one word: the best weighted match over its fields, plus a little
/// for every further mention.
fn word_score(term: &Term, word: &str, fuzzy: bool) -> f64 {
    let mut best: f64 = 0.0;
    let mut mentions = 0;
    for (text, weight) in fields(term) {
        let (found, count) = best_in(word, text, fuzzy);
        best = best.max(weight * found.strength());
        mentions += count;
    }
    if best == 0.0 {
        return 0.0;
    }
    best + 0.1 * mentions.min(10) as f64
}

/// Searches the glossary. Every query word is matched literally (whole word or word prefix);
/// a word that matches nowhere in the glossary is then matched fuzzily, to forgive typos.
/// Terms that match more of the query's words rank first. At most `limit` hits.
pub fn search<'g>(glossary: &'g Glossary, query: &str, limit: usize) -> Vec<Hit<'g>> {
    let words = query_words(query);
    let terms = glossary.terms();
    // scores[t][w]: how term t matches word w.
    let mut scores: Vec<Vec<f64>> = terms
        .iter()
        .map(|term| words.iter().map(|w| word_score(term, w, false)).collect())
        .collect();
    for (w, word) in words.iter().enumerate() {
        let matched_anywhere = scores.iter().any(|s| s[w] > 0.0);
        if !matched_anywhere && word.chars().count() >= FUZZY_MIN_CHARS {
            for (t, term) in terms.iter().enumerate() {
                scores[t][w] = word_score(term, word, true);
            }
        }
    }

    let mut hits: Vec<(usize, f64)> = scores
        .iter()
        .enumerate()
        .filter_map(|(t, per_word)| {
            let matched = per_word.iter().filter(|s| **s > 0.0).count();
            if matched == 0 {
                return None;
            }
            let sum: f64 = per_word.iter().sum();
            // A term that matches every word outranks any term that misses one.
            Some((t, sum + 100.0 * matched as f64))
        })
        .collect();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(terms[a.0].id.cmp(&terms[b.0].id)));
    hits.truncate(limit);
    hits.into_iter()
        .map(|(t, score)| Hit {
            term: &terms[t],
            score: (score * 100.0).round() / 100.0,
            snippet: snippet(&terms[t], &words),
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

/// About [`SNIPPET_CHARS`] characters of the body around the first matching word, with every
/// matching word in it marked. Falls back to the summary when the body does not match.
fn snippet(term: &Term, query: &[String]) -> Snippet {
    let body = plain_body(&term.body);
    let matches_at = |text: &str| -> Vec<Range<usize>> {
        words(text)
            .filter(|r| {
                query
                    .iter()
                    .any(|q| word_match(q, &text[r.clone()], true) != WordMatch::None)
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
        let hits = search(&glossary, "layer", 10);
        let hit = hits
            .iter()
            .find(|h| h.term.id == "image")
            .expect("image mentions layers");
        assert!(!hit.snippet.highlights.is_empty());
        for range in &hit.snippet.highlights {
            let word = hit.snippet.text[range.clone()].to_lowercase();
            assert!(word.starts_with("layer"), "{word}");
        }
        assert!(hit.snippet.text.chars().count() <= SNIPPET_CHARS + 2);
    }

    #[test]
    fn plain_body_drops_links_and_marks() {
        assert_eq!(
            plain_body("An [[image|*image*]] has `layers`.\n\nMore."),
            "An image has layers. More."
        );
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let text = "docker run --rm python:3.12";
        let found: Vec<_> = words(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["docker", "run", "rm", "python", "3", "12"]);
    }
}
