//! The search index: every word of a glossary, sorted, with the terms and fields it occurs in.
//!
//! Like `schema.rs`, this file is compiled into `build.rs` too, which builds the built-in
//! glossary's index at compile time and embeds it as four flat arrays. They hold no pointers, so
//! the loader has nothing to relocate and start-up pays nothing for them. Glossaries loaded at
//! run time get their index from [`Index::build`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

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
}

impl Field {
    const ALL: [Field; 4] = [Field::Name, Field::Summary, Field::Body, Field::Example];
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

// A posting packed into a u32: term in the high 16 bits, field in 2 bits, count in 14.
const COUNT_BITS: u32 = 14;
const MAX_COUNT: usize = (1 << COUNT_BITS) - 1;

/// The index proper, as flat arrays: `words` is every distinct word concatenated in sorted
/// order; word `i` ends at `word_ends[i]` and its postings end at `posting_ends[i]`.
#[derive(Debug, Clone)]
pub struct Index {
    words: Cow<'static, str>,
    word_ends: Cow<'static, [u32]>,
    posting_ends: Cow<'static, [u32]>,
    postings: Cow<'static, [u32]>,
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

/// The texts of a term in one field. Inline links count by their label, as the reader sees
/// them.
fn field_texts(term: &Term, field: Field) -> Vec<&str> {
    match field {
        Field::Name => keys(term).collect(),
        Field::Summary => vec![&term.summary],
        Field::Body => segments(&term.body)
            .map(|segment| match segment {
                Segment::Text(text) => text,
                Segment::Link { label, .. } => label,
            })
            .chain(term.analogy.as_deref())
            .collect(),
        Field::Example => term
            .examples
            .iter()
            .flat_map(|e| [&*e.command, &*e.note])
            .collect(),
    }
}

impl Index {
    /// An index over pre-built arrays; build.rs generates the call for the built-in glossary.
    pub const fn from_static(
        words: &'static str,
        word_ends: &'static [u32],
        posting_ends: &'static [u32],
        postings: &'static [u32],
    ) -> Self {
        Index {
            words: Cow::Borrowed(words),
            word_ends: Cow::Borrowed(word_ends),
            posting_ends: Cow::Borrowed(posting_ends),
            postings: Cow::Borrowed(postings),
        }
    }

    /// Indexes every word of every term, lowercased.
    pub fn build(terms: &[Term]) -> Self {
        let mut table: BTreeMap<String, BTreeMap<(usize, Field), usize>> = BTreeMap::new();
        for (t, term) in terms.iter().enumerate() {
            for field in Field::ALL {
                for text in field_texts(term, field) {
                    for range in words(text) {
                        let word = text[range].to_lowercase();
                        *table
                            .entry(word)
                            .or_default()
                            .entry((t, field))
                            .or_default() += 1;
                    }
                }
            }
        }
        let mut index = Index {
            words: Cow::Owned(String::new()),
            word_ends: Cow::Owned(Vec::new()),
            posting_ends: Cow::Owned(Vec::new()),
            postings: Cow::Owned(Vec::new()),
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

    /// The four arrays, for build.rs to write out as Rust.
    pub fn parts(&self) -> (&str, &[u32], &[u32], &[u32]) {
        (
            &self.words,
            &self.word_ends,
            &self.posting_ends,
            &self.postings,
        )
    }

    /// How many distinct words there are.
    pub fn len(&self) -> usize {
        self.word_ends.len()
    }

    /// Whether the index has no words.
    pub fn is_empty(&self) -> bool {
        self.word_ends.is_empty()
    }

    /// Word number `i`, in sorted order.
    pub fn word(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.word_ends[i - 1] as usize
        };
        &self.words[start..self.word_ends[i] as usize]
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
                field: Field::ALL[((packed >> COUNT_BITS) & 0b11) as usize],
                count: (packed & MAX_COUNT as u32) as usize,
            })
    }

    /// The numbers of the words that start with `prefix` (the word itself included), found by
    /// binary search.
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
        assert!(
            found.contains(&"tag") && found.contains(&"tags"),
            "{found:?}"
        );
        assert!(found.iter().all(|w| w.starts_with("tag")));
        let all: Vec<&str> = (0..index.len()).map(|i| index.word(i)).collect();
        assert!(
            all.windows(2).all(|w| w[0] < w[1]),
            "words are sorted and distinct"
        );
        assert!(index.with_prefix("zzzzzz").is_empty());
    }

    #[test]
    fn postings_record_term_field_and_count() {
        let glossary = Glossary::builtin();
        let index = glossary.index();
        let word = index
            .with_prefix("dockerfile")
            .find(|&i| index.word(i) == "dockerfile")
            .expect("indexed");
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
