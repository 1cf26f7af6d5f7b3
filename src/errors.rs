//! The error knowledge base compiled in from data/errors.yaml: the entries, finding one by id,
//! and the texts other modules (search, list) index or show.

use std::fmt;

use serde::Serialize;

/// One Docker error message and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorEntry {
    /// Stable kebab-case id, used by `show`, JSON and the hook.
    pub id: &'static str,
    /// What happened, in a few words.
    pub title: &'static str,
    /// The group it is listed under.
    pub area: Area,
    /// A catch-all (a failed RUN step, a runtime failure) listed after any specific entry
    /// found in the same paste.
    pub generic: bool,
    /// The ways the message can be recognised; any one is enough.
    pub patterns: &'static [Pattern],
    /// Why it happens, in plain language (markdown).
    pub cause: &'static str,
    /// What to do, step by step (markdown, commands in backticks).
    pub fix: &'static [&'static str],
    /// How it differs on other set-ups.
    pub variants: &'static [Variant],
    /// Glossary ids.
    pub terms: &'static [&'static str],
    /// The official documentation page.
    pub docs: &'static str,
    /// When the entry was last checked against its sources, as YYYY-MM.
    pub checked: &'static str,
    /// Where the wording and the fix were checked.
    pub sources: &'static [&'static str],
    /// Real error texts this entry recognises (tested).
    pub examples: &'static [&'static str],
}

/// Fragments that must all occur close together, unless one of `not` occurs near them. The
/// numbers index [`FRAGMENTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    /// Every one of these must be found.
    pub all: &'static [usize],
    /// None of these may be found near them.
    pub not: &'static [usize],
}

/// How an error differs on one set-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// The set-up, such as "Docker Desktop on a Mac".
    pub when: &'static str,
    /// What is different there.
    pub note: &'static str,
}

/// The groups error entries are listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// NVIDIA GPUs and CUDA.
    Gpu,
    /// Memory limits, shared memory, the OOM killer.
    Memory,
    /// CPU architectures and multi-platform images.
    Platform,
    /// Reaching the Docker daemon.
    Daemon,
    /// Disk space.
    Disk,
    /// Published ports.
    Ports,
    /// Container and image names.
    Names,
    /// Pulling and pushing.
    Registry,
    /// docker build and Dockerfiles.
    Build,
    /// Starting and running containers.
    Runtime,
    /// Mounts and file permissions.
    Storage,
    /// Docker Compose.
    Compose,
    /// Networking and DNS.
    Network,
    /// Jupyter in a container.
    Jupyter,
}

impl Area {
    /// A heading for listings.
    pub fn title(self) -> &'static str {
        match self {
            Area::Gpu => "GPUs and CUDA",
            Area::Memory => "Memory and shared memory",
            Area::Platform => "CPU architecture and platforms",
            Area::Daemon => "Reaching the Docker daemon",
            Area::Disk => "Disk space",
            Area::Ports => "Ports",
            Area::Names => "Names of containers and images",
            Area::Registry => "Registries: pull, push, login",
            Area::Build => "Building images",
            Area::Runtime => "Running containers",
            Area::Storage => "Mounts and file permissions",
            Area::Compose => "Docker Compose",
            Area::Network => "Networking",
            Area::Jupyter => "Jupyter",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

include!(concat!(env!("OUT_DIR"), "/errors.rs"));

/// Every entry, in the order of data/errors.yaml.
pub fn entries() -> &'static [ErrorEntry] {
    ENTRIES
}

/// The entry with this id, exactly.
pub fn get(id: &str) -> Option<&'static ErrorEntry> {
    ENTRIES.iter().find(|e| e.id == id)
}

/// What search indexes of one entry: its id, its title, and its other texts (the patterns'
/// fragments, the cause, the fix steps), so that a pasted fragment such as `denied: requested
/// access` finds the entry.
#[derive(Debug, Clone)]
pub struct Searchable {
    /// The entry's id.
    pub id: &'static str,
    /// The entry's title.
    pub title: &'static str,
    /// The entry itself.
    pub entry: &'static ErrorEntry,
    /// The normalised fragments of every pattern.
    pub fragments: Vec<&'static str>,
    /// The cause and the fix steps.
    pub body: Vec<&'static str>,
}

/// Every entry as [`Searchable`] texts, for a search index.
pub fn searchable() -> impl Iterator<Item = Searchable> {
    ENTRIES.iter().map(|entry| {
        let mut fragments: Vec<&'static str> = Vec::new();
        for pattern in entry.patterns {
            for &i in pattern.all {
                if !fragments.contains(&FRAGMENTS[i]) {
                    fragments.push(FRAGMENTS[i]);
                }
            }
        }
        let mut body = vec![entry.cause];
        body.extend_from_slice(entry.fix);
        Searchable {
            id: entry.id,
            title: entry.title,
            entry,
            fragments,
            body,
        }
    })
}

/// Entries a search query finds, best first, at most `limit`: ranked by their words
/// ([`crate::search::rank_errors`]: BM25F over id and title, message fragments, cause and fix),
/// listed when confident, or when the query is a piece of one of the entry's fragments, which
/// ranks first, so a pasted piece of a message finds its entry.
pub fn search(query: &str, limit: usize) -> Vec<ErrorHit> {
    let ranked = crate::search::rank_errors(&crate::search::Query::new(query));
    search_ranked(query, ranked, limit)
}

/// [`search`] for entries already ranked for `query`.
pub fn search_ranked(
    query: &str,
    ranked: Vec<crate::search::RankedError>,
    limit: usize,
) -> Vec<ErrorHit> {
    if ranked.is_empty() {
        return Vec::new();
    }
    let query = crate::error_text::normalize(query).text;
    // A phrase of three words or more: two are a term's name (`shared memory`).
    let phrase_possible = query.len() >= MIN_CONTAINED && query.split(' ').count() >= 3;
    let mut hits: Vec<ErrorHit> = ranked
        .into_iter()
        .filter_map(|ranked| {
            let entry = &ENTRIES[ranked.entry];
            // A whole fragment in the query, or all of a pattern, is for `recognise`.
            let phrase = phrase_possible
                && entry
                    .patterns
                    .iter()
                    .flat_map(|p| p.all)
                    .any(|&f| FRAGMENTS[f].contains(query.as_str()));
            (phrase || ranked.confident).then_some(ErrorHit {
                entry,
                phrase,
                score: ranked.score,
            })
        })
        .collect();
    // Pieces of a message first, each group in rank order.
    hits.sort_by_key(|h| !h.phrase);
    hits.truncate(limit);
    hits
}

/// An entry found by [`search`].
#[derive(Debug, Clone, Copy)]
pub struct ErrorHit {
    /// The entry.
    pub entry: &'static ErrorEntry,
    /// Whether the query, three words or more, is a piece of one of its message fragments.
    pub phrase: bool,
    /// Calibrated score from 0 to 1, as [`crate::search::Hit::score`].
    pub score: f64,
}

/// A query or fragment shorter than this is not matched as a whole phrase.
const MIN_CONTAINED: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_at_least_fifty_entries_in_every_area() {
        assert!(ENTRIES.len() >= 50, "{} entries", ENTRIES.len());
        for area in [
            Area::Gpu,
            Area::Memory,
            Area::Platform,
            Area::Daemon,
            Area::Disk,
            Area::Ports,
            Area::Names,
            Area::Registry,
            Area::Build,
            Area::Runtime,
            Area::Storage,
            Area::Compose,
            Area::Network,
            Area::Jupyter,
        ] {
            assert!(ENTRIES.iter().any(|e| e.area == area), "{area:?} is empty");
        }
    }

    #[test]
    fn every_term_id_exists_in_the_glossary() {
        let glossary = crate::glossary::Glossary::builtin();
        for entry in ENTRIES {
            for id in entry.terms {
                assert!(glossary.get(id).is_some(), "{}: term {id}", entry.id);
            }
        }
    }

    #[test]
    fn searchable_texts_hold_the_fragments() {
        let push = searchable().find(|s| s.id == "push-denied").expect("entry");
        assert!(
            push.fragments
                .iter()
                .any(|f| f.contains("denied: requested access"))
        );
        assert_eq!(get("push-denied").map(|e| e.id), Some("push-denied"));
        let ids = |q: &str| search(q, 5).iter().map(|h| h.entry.id).collect::<Vec<_>>();
        assert_eq!(
            ids("denied: requested access").first(),
            Some(&"push-denied")
        );
        assert!(search("denied: requested access", 5)[0].phrase);
        assert_eq!(ids("toomanyrequests").first(), Some(&"registry-rate-limit"));
        assert!(ids("shm").contains(&"shm-dataloader-bus-error"));
        assert!(ids("exit code 137").contains(&"oom-killed-137"));
        assert!(ids("kubernetes pod").is_empty());
        assert!(get("push").is_none());
    }
}
