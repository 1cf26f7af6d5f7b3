//! The search index: every word stem of a glossary, and every pair of neighbouring stems, sorted,
//! with the terms and fields they occur in, and each field's length.
//!
//! Like `schema.rs`, this file is compiled into `build.rs` too, which builds the built-in
//! glossary's index at compile time and embeds it as five flat arrays. They hold no pointers, so
//! the loader has nothing to relocate and start-up pays nothing for them. Glossaries loaded at
//! run time get their index from [`Index::build`].
//!
//! Words are lowercased and reduced to their English stem (Snowball's Porter 2, from
//! `rust-stemmers`), so `mounted`, `mounts` and `mounting` are one entry. A pair of stems that
//! stand next to each other in a name, summary or body is indexed too, as the two stems
//! joined by a space (`share memori`), so that search can reward a query's phrases.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};

use crate::schema::{Segment, Term, keys, segments};

/// Where in a term a word occurs; search weighs a name match above a body match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The id, name or an alias.
    Name,
    /// The one-sentence summary.
    Summary,
    /// The body or the analogy.
    Body,
    /// An example command or its note.
    Example,
    /// A phrase of the term's `asked` list: how people ask about it in their own words.
    Asked,
}

impl Field {
    /// Every field, in the order of their numbers.
    pub const ALL: [Field; 5] = [
        Field::Name,
        Field::Summary,
        Field::Body,
        Field::Example,
        Field::Asked,
    ];
}

/// One occurrence record: a word occurs `count` times in `field` of the term at index `term`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Index of the term in the glossary.
    pub term: usize,
    /// Which part of the term.
    pub field: Field,
    /// How many times.
    pub count: usize,
}

// A posting packed into a u32: term in the high 16 bits, field in 3 bits, count in 13.
const COUNT_BITS: u32 = 13;
const FIELD_MASK: u32 = 0b111;
const MAX_COUNT: usize = (1 << COUNT_BITS) - 1;

/// Pairs of stems are indexed only when neither stem is in more than this share of the terms:
/// `of the` says nothing, `share memori` does.
const PAIR_MAX_SHARE: f64 = 0.25;

/// The index proper, as flat arrays: `words` is every distinct stem and stem pair concatenated
/// in sorted order; word `i` ends at `word_ends[i]` and its postings end at `posting_ends[i]`;
/// `lengths[4 * t + f]` is how many words field `f` of term `t` has; `keys` holds each term's
/// id, name and aliases as stems (stems joined by a space, keys ended by a tab), term `t`'s
/// ending at `key_ends[t]`.
#[derive(Debug, Clone)]
pub struct Index {
    words: Cow<'static, str>,
    word_ends: Cow<'static, [u32]>,
    posting_ends: Cow<'static, [u32]>,
    postings: Cow<'static, [u32]>,
    lengths: Cow<'static, [u32]>,
    keys: Cow<'static, str>,
    key_ends: Cow<'static, [u32]>,
}

/// Byte ranges of the words of `text`: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
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

/// Reduces words to their stems; one per search or index build, as it is cheap to make.
pub struct Stems(Stemmer);

impl Default for Stems {
    fn default() -> Self {
        Stems(Stemmer::create(Algorithm::English))
    }
}

impl Stems {
    /// The stem of one word, lowercased first: `Mounted` → `mount`, `registries` → `registri`.
    pub fn of(&self, word: &str) -> String {
        if word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            return self.0.stem(word).into_owned();
        }
        self.0.stem(&word.to_lowercase()).into_owned()
    }

    /// The stems of every word of `text`, in order.
    pub fn all<'t>(&'t self, text: &'t str) -> impl Iterator<Item = String> + 't {
        words(text).map(move |range| self.of(&text[range]))
    }
}

/// What an index holds of one document (a glossary term, an error entry): its keys (id, name,
/// aliases), which are also its Name field, and the texts of its other fields. Each text is a
/// run of prose in which neighbouring words are a phrase.
#[derive(Debug, Clone, Default)]
pub struct Document<'a> {
    /// The id, name and aliases: the Name field, and what a query may name the document by.
    pub keys: Vec<Cow<'a, str>>,
    /// The one-sentence summary (an error entry: its message's fragments).
    pub summary: Vec<Cow<'a, str>>,
    /// The body and the analogy (an error entry: its cause and fix).
    pub body: Vec<Cow<'a, str>>,
    /// Example commands and their notes.
    pub examples: Vec<Cow<'a, str>>,
    /// Phrases people ask about it with (a term's `asked`); each is a run of prose.
    pub asked: Vec<Cow<'a, str>>,
}

impl<'a> Document<'a> {
    /// A glossary term as a document. Inline links count by their label, as the reader sees
    /// them.
    pub fn of_term(term: &'a Term) -> Self {
        let body: String = segments(&term.body)
            .map(|segment| match segment {
                Segment::Text(text) => text,
                Segment::Link { label, .. } => label,
            })
            .collect();
        Document {
            keys: keys(term).map(Cow::Borrowed).collect(),
            summary: vec![Cow::Borrowed(&*term.summary)],
            body: std::iter::once(Cow::Owned(body))
                .chain(term.analogy.as_deref().map(Cow::Borrowed))
                .collect(),
            examples: term
                .examples
                .iter()
                .flat_map(|e| [Cow::Borrowed(&*e.command), Cow::Borrowed(&*e.note)])
                .collect(),
            asked: term.asked.iter().map(|a| Cow::Borrowed(&**a)).collect(),
        }
    }

    fn texts(&self, field: Field) -> &[Cow<'a, str>] {
        match field {
            Field::Name => &self.keys,
            Field::Summary => &self.summary,
            Field::Body => &self.body,
            Field::Example => &self.examples,
            Field::Asked => &self.asked,
        }
    }
}

/// Word counts by stem and by pair, for each (term, field).
type Table = BTreeMap<String, BTreeMap<(usize, Field), usize>>;

impl Index {
    /// An index over pre-built arrays; build.rs generates the call for the built-in glossary.
    pub const fn from_static(
        words: &'static str,
        word_ends: &'static [u32],
        posting_ends: &'static [u32],
        postings: &'static [u32],
        lengths: &'static [u32],
        keys: &'static str,
        key_ends: &'static [u32],
    ) -> Self {
        Index {
            words: Cow::Borrowed(words),
            word_ends: Cow::Borrowed(word_ends),
            posting_ends: Cow::Borrowed(posting_ends),
            postings: Cow::Borrowed(postings),
            lengths: Cow::Borrowed(lengths),
            keys: Cow::Borrowed(keys),
            key_ends: Cow::Borrowed(key_ends),
        }
    }

    /// Indexes every word of every term by its stem, and neighbouring stems as pairs.
    pub fn build(terms: &[Term]) -> Self {
        let documents: Vec<Document<'_>> = terms.iter().map(Document::of_term).collect();
        Self::build_documents(&documents)
    }

    /// Indexes every word of every document by its stem, and neighbouring stems as pairs.
    pub fn build_documents(terms: &[Document<'_>]) -> Self {
        let stems = Stems::default();
        let mut table = Table::new();
        let mut pairs = Table::new();
        let mut lengths = vec![0_u32; terms.len() * Field::ALL.len()];
        let mut key_stems = String::new();
        let mut key_ends = Vec::with_capacity(terms.len());
        for (t, term) in terms.iter().enumerate() {
            for key in &term.keys {
                let stemmed: Vec<String> = stems.all(key).collect();
                // A one-word option (`--memory`, `-it`) is marked: it names its term only
                // when the query writes it as an option too (`--network host` says enough
                // without its dashes).
                if key.trim_start().starts_with('-') && stemmed.len() == 1 {
                    key_stems.push('-');
                }
                key_stems.push_str(&stemmed.join(" "));
                key_stems.push('\t');
            }
            key_ends.push(offset(key_stems.len()));
            for field in Field::ALL {
                for text in term.texts(field) {
                    let mut previous: Option<String> = None;
                    for stem in stems.all(text) {
                        lengths[t * Field::ALL.len() + field as usize] += 1;
                        if let Some(before) = previous.take()
                            && field != Field::Example
                        {
                            *pairs
                                .entry(format!("{before} {stem}"))
                                .or_default()
                                .entry((t, field))
                                .or_default() += 1;
                        }
                        *table
                            .entry(stem.clone())
                            .or_default()
                            .entry((t, field))
                            .or_default() += 1;
                        previous = Some(stem);
                    }
                }
            }
        }
        // Pairs of words that say something: neither is in a quarter of the terms or more.
        let common: BTreeSet<&str> = table
            .iter()
            .filter(|(_, occurrences)| {
                let documents: BTreeSet<usize> = occurrences.keys().map(|(t, _)| *t).collect();
                documents.len() as f64 > PAIR_MAX_SHARE * terms.len() as f64
            })
            .map(|(word, _)| word.as_str())
            .collect();
        pairs.retain(|pair, _| pair.split(' ').all(|stem| !common.contains(stem)));
        table.append(&mut pairs);

        let mut index = Index {
            words: Cow::Owned(String::new()),
            word_ends: Cow::Owned(Vec::new()),
            posting_ends: Cow::Owned(Vec::new()),
            postings: Cow::Owned(Vec::new()),
            lengths: Cow::Owned(lengths),
            keys: Cow::Owned(key_stems),
            key_ends: Cow::Owned(key_ends),
        };
        for (word, occurrences) in table {
            index.words.to_mut().push_str(&word);
            let word_end = offset(index.words.len());
            index.word_ends.to_mut().push(word_end);
            for ((term, field), count) in occurrences {
                let term = u32::from(
                    u16::try_from(term).expect("the loader caps glossaries below 65,536 terms"),
                );
                let packed =
                    term << 16 | (field as u32) << COUNT_BITS | offset(count.min(MAX_COUNT));
                index.postings.to_mut().push(packed);
            }
            let posting_end = offset(index.postings.len());
            index.posting_ends.to_mut().push(posting_end);
        }
        index
    }

    /// The arrays, for build.rs to write out as Rust.
    pub fn parts(&self) -> Parts<'_> {
        Parts {
            words: &self.words,
            word_ends: &self.word_ends,
            posting_ends: &self.posting_ends,
            postings: &self.postings,
            lengths: &self.lengths,
            keys: &self.keys,
            key_ends: &self.key_ends,
        }
    }

    /// Rust source of a `pub static NAME: Index` holding this index, after the doc comment
    /// `doc`: how build.rs compiles an index into the binary.
    pub fn static_item(&self, doc: &str, name: &str) -> String {
        let Parts {
            words,
            word_ends,
            posting_ends,
            postings,
            lengths,
            keys,
            key_ends,
        } = self.parts();
        format!(
            "/// {doc}\npub static {name}: Index = Index::from_static(\n    {words:?},\n    &{word_ends:?},\n    &{posting_ends:?},\n    &{postings:?},\n    &{lengths:?},\n    {keys:?},\n    &{key_ends:?},\n);\n"
        )
    }

    /// The id, name and aliases of term `term`, each as its stems joined by spaces; a one-word
    /// alias written as a command-line option starts with `-` (`-memori` for `--memory`).
    pub fn key_stems(&self, term: usize) -> impl Iterator<Item = &str> {
        let start = if term == 0 {
            0
        } else {
            self.key_ends[term - 1] as usize
        };
        self.keys[start..self.key_ends[term] as usize].split_terminator('\t')
    }

    /// How many distinct words and pairs there are.
    pub fn len(&self) -> usize {
        self.word_ends.len()
    }

    /// Whether the index has no words.
    pub fn is_empty(&self) -> bool {
        self.word_ends.is_empty()
    }

    /// How many terms the index covers.
    pub fn terms(&self) -> usize {
        self.lengths.len() / Field::ALL.len()
    }

    /// How many words field `field` of term `term` has.
    pub fn length(&self, term: usize, field: Field) -> usize {
        self.lengths[term * Field::ALL.len() + field as usize] as usize
    }

    /// Word number `i`, in sorted order: a stem, or two stems joined by a space.
    pub fn word(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.word_ends[i - 1] as usize
        };
        &self.words[start..self.word_ends[i] as usize]
    }

    /// The number of a word or pair, when it is indexed.
    pub fn find(&self, word: &str) -> Option<usize> {
        let at = self.partition(|w| w < word);
        (at < self.len() && self.word(at) == word).then_some(at)
    }

    /// Where word number `i` occurs.
    pub fn postings(&self, i: usize) -> impl Iterator<Item = Posting> + '_ {
        let start = if i == 0 {
            0
        } else {
            self.posting_ends[i - 1] as usize
        };
        self.postings[start..self.posting_ends[i] as usize]
            .iter()
            .map(|&packed| Posting {
                term: (packed >> 16) as usize,
                field: Field::ALL[((packed >> COUNT_BITS) & FIELD_MASK) as usize],
                count: (packed & MAX_COUNT as u32) as usize,
            })
    }

    /// In how many terms word number `i` occurs, in any field.
    pub fn document_frequency(&self, i: usize) -> usize {
        let mut count = 0;
        let mut last = usize::MAX;
        for posting in self.postings(i) {
            if posting.term != last {
                count += 1;
                last = posting.term;
            }
        }
        count
    }

    /// The numbers of the words that start with `prefix` (the word itself included), found by
    /// binary search. Pairs are included: callers that want single stems skip words with a
    /// space.
    pub fn with_prefix(&self, prefix: &str) -> Range<usize> {
        let start = self.partition(|word| word < prefix);
        let end = self.partition(|word| word < prefix || word.starts_with(prefix));
        start..end
    }

    fn partition(&self, before: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            if before(self.word(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

/// The arrays of an [`Index`], for build.rs to write out as Rust.
#[derive(Debug, PartialEq, Eq)]
pub struct Parts<'i> {
    /// Every stem and pair, concatenated in sorted order.
    pub words: &'i str,
    /// Where each word ends in `words`.
    pub word_ends: &'i [u32],
    /// Where each word's postings end in `postings`.
    pub posting_ends: &'i [u32],
    /// Packed postings.
    pub postings: &'i [u32],
    /// Words per field per term.
    pub lengths: &'i [u32],
    /// Each term's keys as stems.
    pub keys: &'i str,
    /// Where each term's keys end in `keys`.
    pub key_ends: &'i [u32],
}

/// Glossaries are far below 4 GiB of text: the loader caps file sizes.
fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("index offsets fit in 32 bits")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Glossary;

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let text = "docker run --rm python:3.12";
        let found: Vec<_> = words(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["docker", "run", "rm", "python", "3", "12"]);
    }

    #[test]
    fn compiled_index_is_what_build_makes() {
        let glossary = Glossary::builtin();
        let rebuilt = Index::build(glossary.terms());
        assert_eq!(glossary.index().parts(), rebuilt.parts());
    }

    #[test]
    fn prefix_lookup_finds_every_word_with_that_start() {
        let index = Index::build(Glossary::builtin().terms());
        let found: Vec<&str> = index.with_prefix("tag").map(|i| index.word(i)).collect();
        assert!(found.contains(&"tag"), "{found:?}");
        assert!(found.iter().all(|w| w.starts_with("tag")));
        let all: Vec<&str> = (0..index.len()).map(|i| index.word(i)).collect();
        assert!(
            all.windows(2).all(|w| w[0] < w[1]),
            "words are sorted and distinct"
        );
        assert!(index.with_prefix("zzzzzz").is_empty());
    }

    #[test]
    fn words_are_stemmed_and_phrases_indexed_as_pairs() {
        let stems = Stems::default();
        let all: Vec<String> = stems.all("Mounted volumes, MOUNTING registries").collect();
        assert_eq!(all, ["mount", "volum", "mount", "registri"]);
        let glossary = Glossary::builtin();
        let index = glossary.index();
        let pair = index.find("share memori").expect("a phrase of a name");
        let shm = glossary
            .terms()
            .iter()
            .position(|t| t.id == "shared-memory")
            .expect("core term");
        assert!(
            index
                .postings(pair)
                .any(|p| p.term == shm && p.field == Field::Name)
        );
        assert!(index.find("of the").is_none(), "common words make no pairs");
        assert!(index.length(shm, Field::Summary) > 3);
        assert_eq!(index.terms(), glossary.terms().len());
    }

    #[test]
    fn postings_record_term_field_and_count() {
        let glossary = Glossary::builtin();
        let index = glossary.index();
        let word = index.find("dockerfil").expect("indexed by its stem");
        let dockerfile = glossary
            .terms()
            .iter()
            .position(|t| t.id == "dockerfile")
            .expect("core term");
        assert!(
            index
                .postings(word)
                .any(|p| p.term == dockerfile && p.field == Field::Name && p.count >= 1)
        );
    }
}
