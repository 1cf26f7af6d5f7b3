//! dterms: a Docker glossary for data scientists and ML engineers, in the terminal.
//!
//! The binary is a thin shell around [`run`], which decides presentation once, dispatches the
//! subcommand and writes to any `impl Write`, so every command can be tested into a `Vec<u8>`.

pub mod cli;
pub mod explain;
pub mod glossary;
pub mod index;
pub mod lookup;
pub mod plain;
pub mod render;
pub mod schema;
pub mod search;

use std::fmt;
use std::io::{self, IsTerminal, Read, Write};

use cli::{Cli, ColorWhen, Command};
use glossary::Glossary;
use lookup::{QueryError, Resolution};
use render::{MIN_WIDTH, Presentation, sanitize_line};

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Something was found and printed: exit 0.
    Found,
    /// Nothing was found, or the query was ambiguous: exit 1. Stdout is empty.
    NotFound,
}

/// Why a run failed: exit 2.
#[derive(Debug)]
pub enum Error {
    /// The query cannot be looked up.
    Query(QueryError),
    /// The input to `explain` is invalid or unreadable.
    Explain(explain::ExplainError),
    /// Writing the output failed (a closed pipe among other things).
    Io(io::Error),
}

impl Error {
    /// Whether this is a write to a closed pipe, which ends the run quietly and successfully.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(err) if err.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Query(err) => err.fmt(f),
            Error::Explain(err) => err.fmt(f),
            Error::Io(err) => write!(f, "cannot write output: {err}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::Io(err)
    }
}

impl From<QueryError> for Error {
    fn from(err: QueryError) -> Self {
        Error::Query(err)
    }
}

impl Presentation {
    /// Decides presentation from the flags and the environment: the one place that looks at
    /// the terminal, `NO_COLOR` and `COLUMNS`. Never spawns a process.
    pub fn detect(cli: &Cli) -> Self {
        let terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let styled = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !no_color,
        };
        let terminal_width =
            || terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0));
        let columns = || {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
        };
        let width = cli
            .width
            .map(usize::from)
            .or_else(|| if terminal { terminal_width() } else { None })
            .or_else(columns)
            .unwrap_or(80)
            .clamp(MIN_WIDTH, 1000);
        Presentation {
            format: cli.format,
            styled,
            rich: terminal || cli.color == ColorWhen::Always,
            width,
        }
    }
}

/// The streams a run reads and writes.
pub struct Streams<'a> {
    /// Standard input, read only by `explain -`.
    pub input: &'a mut dyn Read,
    /// Results.
    pub out: &'a mut dyn Write,
    /// Notes, not-found messages and candidates.
    pub err: &'a mut dyn Write,
}

/// Runs a parsed command line.
pub fn run(cli: &Cli, streams: Streams<'_>) -> Result<Outcome, Error> {
    let presentation = Presentation::detect(cli);
    let glossary = Glossary::builtin();
    execute(&cli.command, &glossary, &presentation, streams)
}

/// Runs one subcommand against a glossary with a given presentation.
pub fn execute(
    command: &Command,
    glossary: &Glossary,
    p: &Presentation,
    streams: Streams<'_>,
) -> Result<Outcome, Error> {
    let Streams { input, out, err } = streams;
    match command {
        Command::Show { term } => {
            let query = lookup::query_from_words(term)?;
            show(glossary, &query, p, out, err)
        }
        Command::List { category, names } => {
            let terms: Vec<_> = glossary
                .terms()
                .iter()
                .filter(|t| category.is_none_or(|c| t.category == c))
                .collect();
            render::term_list(out, &terms, *names, p)?;
            Ok(Outcome::Found)
        }
        Command::Search { query, limit } => {
            let query = lookup::query_from_words(query)?;
            let hits = search::search(glossary, &query, usize::from(*limit));
            if hits.is_empty() {
                writeln!(err, "no term mentions '{}'", sanitize_line(&query))?;
                writeln!(
                    err,
                    "hint: try fewer or other words, or 'dterms list' to see every term"
                )?;
                return Ok(Outcome::NotFound);
            }
            render::search_hits(out, &hits, p)?;
            Ok(Outcome::Found)
        }
        Command::Explain { kind, input: words } => {
            let explained = explain::explain(words, *kind, input).map_err(Error::Explain)?;
            match p.format {
                render::Format::Json => render::json(out, &explained.json())?,
                _ => render::document(out, &explained.markdown(), p)?,
            }
            Ok(Outcome::Found)
        }
    }
}

fn show(
    glossary: &Glossary,
    query: &str,
    p: &Presentation,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let shown = sanitize_line(query);
    match lookup::resolve(glossary, query) {
        Resolution::Found(found) => {
            if found.kind == lookup::MatchKind::Fuzzy {
                writeln!(err, "showing '{}' for '{shown}'", found.term.name)?;
            }
            render::term_page(out, glossary, &found, query, p)?;
            Ok(Outcome::Found)
        }
        Resolution::Ambiguous(candidates) => {
            writeln!(err, "error: '{shown}' could mean several terms:")?;
            let width = candidates.iter().map(|t| t.id.len()).max().unwrap_or(0);
            for term in &candidates {
                writeln!(
                    err,
                    "  {:width$}  {}",
                    term.id,
                    sanitize_line(&term.summary)
                )?;
            }
            writeln!(err, "hint: run 'dterms show' with one of these")?;
            Ok(Outcome::NotFound)
        }
        Resolution::NotFound(suggestions) => {
            writeln!(err, "error: no term '{shown}'")?;
            match suggestions.as_slice() {
                [] => writeln!(
                    err,
                    "hint: 'dterms search {shown}' looks inside definitions too"
                )?,
                [one] => writeln!(err, "Did you mean '{}'?", one.id)?,
                several => {
                    let ids: Vec<_> = several.iter().map(|t| format!("'{}'", t.id)).collect();
                    writeln!(err, "Did you mean one of {}?", ids.join(", "))?;
                }
            }
            Ok(Outcome::NotFound)
        }
    }
}
