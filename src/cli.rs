//! The command line: every subcommand, flag and option, declared with clap's derive API.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::render::Format;
use crate::schema::Category;

const AFTER_HELP: &str = "\
Examples:
  dterms show image            what an image is, and what it relates to
  dterms show contianer        typos are forgiven: shows Container
  dterms list --category run   the terms about running containers
  dterms search gpu            every term that talks about GPUs
  dterms explain python:3.12-slim           what each part of an image name means
  dterms explain docker run -it --rm alpine what each option of a command does
  dterms graph image | dot -Tsvg > image.svg
  dterms --glossary team.yaml show feature-store

Exit status: 0 found, 1 not found (or ambiguous, or no hits, or check found problems), 2 error.
Environment: NO_COLOR (set and non-empty) turns styles off unless --color=always;
COLUMNS sets the width when output is not a terminal; DTERMS_GLOSSARY lists team glossary
files (also read from ~/.config/dterms/*.yaml); DTERMS_PAGER or PAGER pages long output.
More in 'dterms man'.";

/// A Docker glossary for data scientists and ML engineers, in your terminal.
///
/// dterms explains Docker's words (image, container, tag, volume, registry…) in plain
/// language, offline, with every related idea one command away.
#[derive(Debug, Parser)]
#[command(name = "dterms", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// When to style output: auto styles only on a terminal, and not when NO_COLOR is set.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Output format: text for people, markdown source, JSON for programs; dot or mermaid for graph.
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    pub format: Format,

    /// Wrap text to this many columns (default: the terminal's width, else $COLUMNS, else 80).
    #[arg(long, global = true, value_name = "COLUMNS",
          value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,

    /// Also load this team glossary file (repeatable; see DTERMS_GLOSSARY).
    #[arg(long = "glossary", global = true, value_name = "FILE")]
    pub glossary: Vec<PathBuf>,

    /// Never send long output through a pager.
    #[arg(long, global = true)]
    pub no_pager: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explain one term: what it is, an analogy, examples, and the terms around it.
    ///
    /// The words are joined, so `show image id` looks up "image id". Case, spaces, hyphens,
    /// underscores and dots don't matter, plurals and a leading "docker" are forgiven, a unique
    /// prefix is enough, and typos are corrected when one term is clearly meant.
    Show {
        /// The term: an id, name or alias, such as `image`, `image id` or `repo`.
        #[arg(required = true, value_name = "TERM")]
        term: Vec<String>,
    },

    /// List every term, grouped by category, with its one-line summary.
    ///
    /// On a terminal the list is grouped and aligned; piped, it is one `id<TAB>summary` line
    /// per term, ready for grep, cut or fzf.
    List {
        /// Only the terms of this category.
        #[arg(long, short = 'c', value_name = "CATEGORY", value_parser = category_parser())]
        category: Option<Category>,

        /// Print only the ids, one per line (for scripts and completions).
        #[arg(long)]
        names: bool,
    },

    /// Search names, aliases, summaries, bodies and examples, best matches first.
    ///
    /// Every word of the query counts; a word found nowhere is matched loosely, so small
    /// typos still find what you meant.
    Search {
        /// Words to look for, such as `gpu` or `shared memory`.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,

        /// Show at most this many hits.
        #[arg(long, short = 'n', value_name = "N", default_value_t = 10,
              value_parser = clap::value_parser!(u16).range(1..))]
        limit: u16,
    },

    /// Take apart an image reference, a docker command line or a Dockerfile, term by term.
    ///
    /// A path to an existing file, or - for standard input, is read as a Dockerfile; words
    /// starting with docker are a command line (as separate words, or as one quoted string);
    /// anything else is an image reference. Put dterms' own options before `explain`: every
    /// word after the input belongs to it.
    #[command(after_help = "Examples:\n  \
        dterms explain nvcr.io/nvidia/pytorch:24.05-py3\n  \
        dterms explain docker run -it --rm --gpus all -p 8888:8888 quay.io/jupyter/pytorch-notebook\n  \
        dterms explain 'docker build -t my-model:dev -f docker/Dockerfile .'\n  \
        dterms explain Dockerfile\n  \
        cat Dockerfile | dterms --format json explain -")]
    Explain {
        /// Read the input as this kind instead of guessing.
        #[arg(long = "as", value_enum, value_name = "KIND")]
        kind: Option<ExplainKind>,

        /// An image reference, a docker command line, or a Dockerfile path (- for stdin).
        #[arg(
            required = true,
            value_name = "INPUT",
            trailing_var_arg = true,
            allow_hyphen_values = true
        )]
        input: Vec<String>,
    },

    /// Print the map of terms as Graphviz DOT or a Mermaid flowchart.
    ///
    /// Without a term, the whole glossary; with one, its neighbourhood to --depth links
    /// (followed both ways). Nodes are grouped by category; related links are solid, links
    /// inside definitions dashed. --format dot (the default), mermaid, markdown (a mermaid
    /// block) or json.
    #[command(after_help = "Example:\n  dterms graph image | dot -Tsvg > image.svg")]
    Graph {
        /// The term to centre on; the whole glossary when omitted.
        #[arg(value_name = "TERM")]
        term: Vec<String>,

        /// How many links away from the term to go.
        #[arg(long, short = 'd', value_name = "N", default_value_t = 1,
              value_parser = clap::value_parser!(u8).range(0..=10))]
        depth: u8,
    },

    /// Check team glossary files and report every problem, one per line as FILE:LINE:COL.
    ///
    /// Files are checked against the built-in glossary: ids and aliases must not clash with it
    /// (a term with a built-in id replaces that term on purpose), and links may point to it.
    /// Exit status 0 when every file is clean, 1 when there are problems.
    Check {
        /// The glossary files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },

    /// Print a shell completion script; term names complete after `show` and `graph`.
    #[command(after_help = "Install:\n  \
        bash: dterms completions bash > ~/.local/share/bash-completion/completions/dterms\n  \
        zsh:  dterms completions zsh > ~/.zfunc/_dterms   (with fpath+=(~/.zfunc) before compinit)\n  \
        fish: dterms completions fish > ~/.config/fish/completions/dterms.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff).
    #[command(after_help = "Install:\n  dterms man > ~/.local/share/man/man1/dterms.1")]
    Man,
}

/// What `explain` reads its input as.
pub use crate::explain::Kind as ExplainKind;

/// When to style output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Style when printing to a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always style, even when piped.
    Always,
    /// Never style.
    Never,
}

/// dterms' own options written after the input of `explain`, which takes every word after
/// its first as input (so that `explain docker run -it …` needs no `--`).
#[derive(Debug, Parser)]
#[command(no_binary_name = true)]
struct TrailingOptions {
    #[arg(long, value_enum)]
    color: Option<ColorWhen>,
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[arg(long, value_parser = clap::value_parser!(u16).range(20..=1000))]
    width: Option<u16>,
    #[arg(long = "as", value_enum)]
    kind: Option<ExplainKind>,
}

impl Cli {
    /// Parses the command line, then gives `explain dockerfile --format json` its meaning:
    /// options after a reference or a path are dterms' own, not more input. A command line
    /// (`explain docker run --rm …`) keeps every word.
    pub fn parse_args() -> Result<Self, clap::Error> {
        let mut command = Self::command();
        let parsed = command
            .try_get_matches_from_mut(std::env::args_os())
            .and_then(|mut matches| Self::from_arg_matches_mut(&mut matches));
        // The command definition is a tree of a few hundred allocations, needed until the process
        // exits; freeing it one by one cost a tenth of a `show`. The process's exit frees it.
        std::mem::forget(command);
        let mut cli = parsed?;
        cli.hoist_trailing_options();
        Ok(cli)
    }

    fn hoist_trailing_options(&mut self) {
        let Command::Explain { kind, input } = &mut self.command else {
            return;
        };
        // `explain docker run --rm …`: every word is the command's. A quoted command line is one
        // word, so options after it are dterms' own again.
        let is_command_line = input
            .first()
            .is_some_and(|w| crate::explain::starts_like_a_command(w));
        if input.len() < 2 || is_command_line {
            return;
        }
        if let Ok(trailing) = TrailingOptions::try_parse_from(&input[1..]) {
            input.truncate(1);
            self.color = trailing.color.unwrap_or(self.color);
            self.format = trailing.format.unwrap_or(self.format);
            self.width = trailing.width.or(self.width);
            *kind = trailing.kind.or(*kind);
        }
    }
}

fn category_parser() -> impl clap::builder::TypedValueParser<Value = Category> {
    PossibleValuesParser::new(Category::ALL.map(Category::as_str)).map(|name| {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .expect("clap only passes listed values")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let before =
            Cli::try_parse_from(["dterms", "--format", "json", "show", "image"]).expect("parses");
        let after =
            Cli::try_parse_from(["dterms", "show", "image", "--format", "json"]).expect("parses");
        assert_eq!(before.format, Format::Json);
        assert_eq!(after.format, Format::Json);
    }

    #[test]
    fn options_after_an_explain_input_are_dterms_options() {
        let mut cli = Cli::try_parse_from([
            "dterms",
            "explain",
            "python:3.12",
            "--format",
            "json",
            "--as",
            "reference",
        ])
        .expect("parses");
        cli.hoist_trailing_options();
        assert_eq!(cli.format, Format::Json);
        assert!(
            matches!(&cli.command, Command::Explain { input, kind: Some(ExplainKind::Reference) } if input == &["python:3.12"])
        );

        let mut cli =
            Cli::try_parse_from(["dterms", "explain", "docker", "run", "--format", "json"])
                .expect("parses");
        cli.hoist_trailing_options();
        assert_eq!(
            cli.format,
            Format::Text,
            "a docker command line keeps its words"
        );
        assert!(matches!(&cli.command, Command::Explain { input, .. } if input.len() == 4));

        let mut cli = Cli::try_parse_from(["dterms", "explain", "docker ps -a", "--width", "60"])
            .expect("parses");
        cli.hoist_trailing_options();
        assert_eq!(cli.width, Some(60), "a quoted command line is one word");
    }

    #[test]
    fn categories_parse_by_name() {
        let cli = Cli::try_parse_from(["dterms", "list", "--category", "storage"]).expect("parses");
        assert!(matches!(
            cli.command,
            Command::List {
                category: Some(Category::Storage),
                ..
            }
        ));
        assert!(Cli::try_parse_from(["dterms", "list", "--category", "nope"]).is_err());
    }
}
