//! Relevance of `search` and safety of `show`, measured on real queries: keywords, questions,
//! pasted errors, jargon and off-topic questions in `tests/relevance/*.tsv`, written from
//! Stack Overflow and forum titles and GitHub issues rather than from the glossary's wording.
//!
//! Every fourth query of each file is held out: the ranking was tuned on the others only, and
//! the report shows both parts. `fresh.tsv` was written after that tuning and measured once
//! before any change for it. `fresh2.tsv` holds every third title of a later gathering (the
//! others went to the tuned files); it was committed before it was first run, printed only when
//! asked for by name until then, and measured once after the tuning that followed.
//! `bench/relevance.sh` prints the report.

use dterms::glossary::Glossary;
use dterms::lookup::{Resolution, resolve};
use dterms::search::{Shown, answer};

/// What the tuned part must reach: top-3 and top-1 of on-topic queries in percent, the share
/// of on-topic queries answered with confidence, and at most this share of off-topic queries
/// answered with confidence. (The tuned part grew by 116 harder real titles in this round, so
/// top-1 is measured on a harder set than the 92 % floor before it. Title labels not counted
/// as words raised top-3 to 99.4 % and the confident share to 95.2 %.)
const MIN_TOP3: f64 = 99.0;
const MIN_TOP1: f64 = 89.5;
const MIN_CONFIDENT_ON_TOPIC: f64 = 94.5;
const MAX_CONFIDENT_OFF_TOPIC: f64 = 10.0;

/// Regression floors for the fresh set (tests/relevance/fresh.tsv), set from its last
/// measurement less a margin (top-3 90.0 %, top-1 70.0 % at first; 94.0 % and 80.0 % after
/// the asked phrases and the in-domain rule, tuned on other queries): a guard, not a target to
/// tune for, or the set stops measuring anything.
const MIN_FRESH_TOP3: f64 = 92.0;
const MIN_FRESH_TOP1: f64 = 78.0;

/// One query of the set.
struct Case {
    form: &'static str,
    query: String,
    expected: Vec<String>,
    held_out: bool,
}

const FORMS: [(&str, &str); 5] = [
    ("keywords", include_str!("relevance/keywords.tsv")),
    ("questions", include_str!("relevance/questions.tsv")),
    ("errors", include_str!("relevance/errors.tsv")),
    ("jargon", include_str!("relevance/jargon.tsv")),
    ("off-topic", include_str!("relevance/offtopic.tsv")),
];

/// A held-out set written after the ranking was tuned, each line with its source: measured
/// once before any change made for it, and only reported.
const FRESH: &str = include_str!("relevance/fresh.tsv");

/// A second held-out set (every third of a later gathering of real titles; the rest went to
/// the tuned files), committed before it was first run and measured once after tuning.
const FRESH2: &str = include_str!("relevance/fresh2.tsv");

/// Regression floors for fresh2 (top-3, top-1 of on-topic queries in percent), set from its
/// one measurement after tuning (top-3 93.2 %, top-1 78.0 %, at 3772ccd) less a margin.
const MIN_FRESH2_TOP3: f64 = 91.0;
const MIN_FRESH2_TOP1: f64 = 76.0;

/// Whether fresh2 has been measured: until then nothing about it is asserted or printed.
const FRESH2_MEASURED: bool = true;

/// The queries of one file: query, then acceptable ids, then (fresh.tsv) the source.
fn parse(form: &'static str, text: &str, held_out: impl Fn(usize) -> bool) -> Vec<Case> {
    let lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    lines
        .enumerate()
        .map(|(n, line)| {
            let mut columns = line.split('\t');
            let query = columns.next().unwrap_or(line);
            let expected = columns.next().unwrap_or("");
            Case {
                form,
                query: query.to_owned(),
                expected: expected
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(String::from)
                    .collect(),
                held_out: held_out(n),
            }
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (form, text) in FORMS {
        out.extend(parse(form, text, |n| n % 4 == 3));
    }
    out
}

/// Results over a group of queries.
#[derive(Default)]
struct Tally {
    queries: usize,
    top1: usize,
    top3: usize,
    reciprocal_ranks: f64,
    confident: usize,
    misses: Vec<String>,
    /// The calibrated score of each query's top hit.
    scores: Vec<f64>,
}

impl Tally {
    fn percent(n: usize, of: usize) -> f64 {
        100.0 * n as f64 / of.max(1) as f64
    }
}

fn measure(glossary: &Glossary, cases: &[&Case]) -> Tally {
    let mut tally = Tally::default();
    for case in cases {
        let found = answer(glossary, &case.query, 10);
        tally.queries += 1;
        // One list, as `search` shows it: recognised errors or the entries found by the
        // query's words, and terms, in the order `Shown` says. An error entry is right when it
        // is expected or links to an expected term.
        let shown = found.shown();
        let confident = shown != Shown::Weak;
        let entry = |id: &str, terms: &[&str]| {
            let right = case
                .expected
                .iter()
                .any(|e| e == id || terms.contains(&e.as_str()));
            (id.to_owned(), 1.0, right)
        };
        let recognised = found
            .errors
            .iter()
            .map(|e| entry(e.entry.id, e.entry.terms));
        let entries = found.entries.iter().map(|e| {
            (
                e.entry.id.to_owned(),
                e.score,
                entry(e.entry.id, e.entry.terms).2,
            )
        });
        let terms = found.hits.iter().map(|h| {
            let right = case.expected.iter().any(|id| *id == h.term.id);
            (h.term.id.to_string(), h.score, right)
        });
        let hits: Vec<(String, f64, bool)> = match shown {
            Shown::EntriesFirst => entries.chain(terms).collect(),
            Shown::Answer | Shown::Weak => recognised.chain(terms).collect(),
            Shown::Entries => entries.collect(),
        };
        tally.scores.push(hits.first().map_or(0.0, |h| h.1));
        tally.confident += usize::from(confident);
        if case.expected.is_empty() {
            if confident {
                tally.misses.push(format!(
                    "{:?}: confident {} ({})",
                    case.query, hits[0].0, hits[0].1
                ));
            }
            continue;
        }
        let rank = hits.iter().position(|h| h.2);
        if let Some(rank) = rank {
            tally.reciprocal_ranks += 1.0 / (rank + 1) as f64;
            tally.top1 += usize::from(rank == 0);
            tally.top3 += usize::from(rank < 3);
        }
        if rank.is_none_or(|r| r > 0) || !confident {
            let got: Vec<String> = hits
                .iter()
                .take(3)
                .map(|h| format!("{} {}", h.0, h.1))
                .collect();
            tally.misses.push(format!(
                "{:?}: want {:?}, rank {:?}, got {got:?}",
                case.query,
                case.expected,
                rank.map(|r| r + 1)
            ));
        }
    }
    tally
}

/// `show` may decline, but never shows a term the query does not mean.
fn wrong_shows(glossary: &Glossary, cases: &[Case]) -> Vec<String> {
    cases
        .iter()
        .filter_map(|case| match resolve(glossary, &case.query) {
            Resolution::Found(found) if !case.expected.iter().any(|id| *id == found.term.id) => {
                Some(format!("{:?} -> {}", case.query, found.term.id))
            }
            _ => None,
        })
        .collect()
}

fn report_line(name: &str, t: &Tally, on_topic: bool) -> String {
    if on_topic {
        format!(
            "| {name:<22} | {:>3} | {:>5.1} % | {:>5.1} % | {:.3} | {:>5.1} % |",
            t.queries,
            Tally::percent(t.top1, t.queries),
            Tally::percent(t.top3, t.queries),
            t.reciprocal_ranks / t.queries.max(1) as f64,
            Tally::percent(t.confident, t.queries),
        )
    } else {
        format!(
            "| {name:<22} | {:>3} |         |         |       | {:>5.1} % |",
            t.queries,
            Tally::percent(t.confident, t.queries),
        )
    }
}

#[test]
#[allow(clippy::print_stderr)]
fn relevance_meets_the_targets() {
    let glossary = Glossary::builtin();
    let all = cases();
    for (form, _) in FORMS {
        let count = all.iter().filter(|c| c.form == form).count();
        assert!(count >= 60, "{form}: only {count} queries");
    }
    for case in &all {
        for id in &case.expected {
            assert!(
                glossary.get(id).is_some() || dterms::errors::get(id).is_some(),
                "{:?}: unknown id {id}",
                case.query
            );
        }
    }

    let mut lines = vec![
        "| set                    |   n |  top-1  |  top-3  |  MRR  | confident |".to_owned(),
        "|------------------------|-----|---------|---------|-------|-----------|".to_owned(),
    ];
    let mut failures = Vec::new();
    let mut broken = Vec::new();
    let mut score_lines = Vec::new();
    for held_out in [false, true] {
        let part = if held_out { "held-out" } else { "tuned" };
        let select = |on_topic: bool, form: Option<&str>| -> Vec<&Case> {
            all.iter()
                .filter(|c| c.held_out == held_out)
                .filter(|c| (c.form != "off-topic") == on_topic)
                .filter(|c| form.is_none_or(|f| c.form == f))
                .collect()
        };
        for (form, _) in FORMS {
            let on_topic = form != "off-topic";
            let tally = measure(&glossary, &select(on_topic, Some(form)));
            lines.push(report_line(&format!("{part} {form}"), &tally, on_topic));
            for miss in &tally.misses {
                failures.push(format!("{part} {form}: {miss}"));
            }
        }
        let on = measure(&glossary, &select(true, None));
        let off = measure(&glossary, &select(false, None));
        lines.push(report_line(&format!("{part} on-topic"), &on, true));
        let top1 = Tally::percent(on.top1, on.queries);
        let top3 = Tally::percent(on.top3, on.queries);
        let confident_off = Tally::percent(off.confident, off.queries);
        lines.push(report_line(&format!("{part} off-topic"), &off, false));
        if !held_out {
            let deciles = |mut scores: Vec<f64>| -> String {
                scores.sort_by(f64::total_cmp);
                (0..=10)
                    .map(|d| format!("{:.2}", scores[(scores.len() - 1) * d / 10]))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            score_lines.push(format!(
                "top score deciles, on-topic:  {}",
                deciles(on.scores.clone())
            ));
            score_lines.push(format!(
                "top score deciles, off-topic: {}",
                deciles(off.scores.clone())
            ));
        }
        // The held-out part is reported, and asserted only on request: it must stay unseen.
        if !held_out || std::env::var_os("DTERMS_RELEVANCE_STRICT").is_some() {
            if top3 < MIN_TOP3 {
                broken.push(format!("{part}: top-3 {top3:.1} % < {MIN_TOP3} %"));
            }
            if top1 < MIN_TOP1 {
                broken.push(format!("{part}: top-1 {top1:.1} % < {MIN_TOP1} %"));
            }
            let confident_on = Tally::percent(on.confident, on.queries);
            if confident_on < MIN_CONFIDENT_ON_TOPIC {
                broken.push(format!(
                    "{part}: on-topic confident {confident_on:.1} % < {MIN_CONFIDENT_ON_TOPIC} %"
                ));
            }
            if confident_off > MAX_CONFIDENT_OFF_TOPIC {
                broken.push(format!(
                    "{part}: off-topic confident {confident_off:.1} % > {MAX_CONFIDENT_OFF_TOPIC} %"
                ));
            }
        }
    }
    let fresh = parse("fresh", FRESH, |_| true);
    let fresh2 = parse("fresh2", FRESH2, |_| true);
    // Until it was measured, fresh2 was reported only when asked for by name, so that tuning
    // could not look at it; its misses still are.
    let report = std::env::var("DTERMS_RELEVANCE_REPORT").unwrap_or_default();
    let show_fresh2 = FRESH2_MEASURED || report == "all" || report == "fresh2";
    for (name, set, floors, shown, asserted) in [
        (
            "fresh",
            &fresh,
            (MIN_FRESH_TOP3, MIN_FRESH_TOP1),
            true,
            true,
        ),
        (
            "fresh2",
            &fresh2,
            (MIN_FRESH2_TOP3, MIN_FRESH2_TOP1),
            show_fresh2,
            FRESH2_MEASURED,
        ),
    ] {
        for case in set {
            assert!(
                case.expected
                    .iter()
                    .all(|id| glossary.get(id).is_some() || dterms::errors::get(id).is_some()),
                "{:?}: unknown id",
                case.query
            );
        }
        let on: Vec<&Case> = set.iter().filter(|c| !c.expected.is_empty()).collect();
        let off: Vec<&Case> = set.iter().filter(|c| c.expected.is_empty()).collect();
        let on = measure(&glossary, &on);
        let off = measure(&glossary, &off);
        if shown {
            lines.push(report_line(&format!("{name} on-topic"), &on, true));
            lines.push(report_line(&format!("{name} off-topic"), &off, false));
            for miss in on.misses.iter().chain(&off.misses) {
                failures.push(format!("{name}: {miss}"));
            }
        }
        let top3 = Tally::percent(on.top3, on.queries);
        let top1 = Tally::percent(on.top1, on.queries);
        let confident_off = Tally::percent(off.confident, off.queries);
        let (min_top3, min_top1) = floors;
        if !asserted {
            continue;
        }
        if top3 < min_top3 || top1 < min_top1 {
            broken.push(format!(
                "{name}: top-3 {top3:.1} % (floor {min_top3} %), top-1 {top1:.1} % (floor {min_top1} %)"
            ));
        }
        if confident_off > MAX_CONFIDENT_OFF_TOPIC {
            broken.push(format!(
                "{name}: off-topic confident {confident_off:.1} % > {MAX_CONFIDENT_OFF_TOPIC} %"
            ));
        }
    }
    let mut wrong = wrong_shows(&glossary, &all);
    wrong.extend(wrong_shows(&glossary, &fresh));
    if show_fresh2 {
        wrong.extend(wrong_shows(&glossary, &fresh2));
    }
    lines.push(format!(
        "show resolved {} queries to a wrong term",
        wrong.len()
    ));
    if let Some(which) = std::env::var_os("DTERMS_RELEVANCE_REPORT") {
        eprintln!("{}", lines.join("\n"));
        eprintln!("{}", score_lines.join("\n"));
        // Misses of the held-out part are listed only when asked for by name.
        let shown: Vec<&String> = failures
            .iter()
            .filter(|f| {
                which == "all"
                    || f.starts_with("tuned")
                    || (which == "fresh2" && f.starts_with("fresh2"))
            })
            .filter(|f| which == "all" || which == "fresh2" || !f.starts_with("fresh"))
            .collect();
        eprintln!("\nmisses:");
        for miss in shown {
            eprintln!("{miss}");
        }
        eprintln!("\nwrong shows:\n{}", wrong.join("\n"));
    }
    assert!(wrong.is_empty(), "show guessed wrong: {wrong:?}");
    assert!(
        broken.is_empty(),
        "{}\n{}",
        broken.join("\n"),
        lines.join("\n")
    );
}
