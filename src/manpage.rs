//! The roff man page: clap_mangen's page for the command line, followed by every subcommand's
//! options, the exit status, the environment, and the glossary file format.

use std::io::{self, Write};

use crate::cli::Cli;

/// Text for roff: backslashes and hyphens escaped, no line starting with a control character.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|line| {
            if line.starts_with(['.', '\'']) {
                format!("\\&{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Found and printed."),
    (
        "1",
        "Not found, ambiguous, no search hit good enough, or problems found by check. Nothing is printed on standard output.",
    ),
    (
        "2",
        "Error: bad usage, an empty or over-long query, a non-UTF-8 argument, an invalid image reference or Dockerfile, an unreadable or invalid glossary file, or a failed write.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "When set and not empty, output is not styled unless --color=always.",
    ),
    (
        "COLUMNS",
        "The width to wrap to when standard output is not a terminal and --width is not given.",
    ),
    (
        "DTERMS_GLOSSARY",
        "A colon-separated list of team glossary files to load.",
    ),
    (
        "XDG_CONFIG_HOME",
        "Team glossaries are also read from $XDG_CONFIG_HOME/dterms/*.yaml and *.yml (default ~/.config/dterms/).",
    ),
    (
        "DTERMS_PAGER",
        "The pager for long output on a terminal; an empty value turns paging off.",
    ),
    (
        "PAGER",
        "The pager when DTERMS_PAGER is not set; the default is less -FRX.",
    ),
    (
        "LESS",
        "Options for less; set to FRX when unset, so colours survive.",
    ),
];

const FILE_FORMAT: &str = "A team glossary file is a YAML list of terms (the built-in glossary's format), or a mapping with terms: and, optionally, categories: of the team's own:

categories:                    # optional
  - id: mlops                  # kebab-case, not a built-in id
    title: MLOps at Acme       # optional: made from the id when left out
    about: How we ship models. # optional
    after: ml                  # optional: listed after this category
    colour: \"#e6fcf5\"          # optional: its colour in graphs
terms:
  - id: feature-store          # kebab-case, unique
    name: Feature store        # display name
    aliases: [fs]              # other names (optional)
    asked: [feature table]     # how people ask (optional; searched, never a name)
    category: mlops            # built-in: build, image, run, storage, network,
                               # distribution, orchestration, runtime, ml
    summary: One sentence.
    body: |                    # markdown; [[id]] or [[id|label]] links terms
      Where our [[volume|volumes]] of features live.
    analogy: Optional comparison.
    examples:                  # optional
      - command: fs pull
        note: what it does
    related: [volume]          # built-in or team ids
    docs: https://example.com/feature-store
    checked: 2026-11           # optional: the month its facts were checked
    sources:                   # optional: the pages they were checked against
      - https://example.com/feature-store

A category a term uses without declaring it is listed after the declared ones, titled from its id (our-infra: Our infra); one that is a near miss of a known category (imgae) is reported instead. Declared categories without after follow the built-in ones in the order declared. Every built-in term has checked and sources; show prints them under Docs. A team term with the id of a built-in term replaces it. The same file reached twice (a link, DTERMS_GLOSSARY and the config folder) is read once.

Limits: only regular files are read (other entries of the config folder are skipped with a warning), at most 4 MiB, UTF-8 without NUL bytes; nesting at most 32 levels deep, at most 250000 YAML nodes, 10000 aliases, and 1 MiB added by expanding aliases; at most 1000 team categories.

dterms check FILE... reports every problem of every file, sorted, one FILE:LINE:COL: message line each, then a summary line; --format json gives {ok, files, problems} for editors and CI. Exit status 0 when clean, 1 when problems were found, 2 when a file could not be checked (missing, not a regular file, unreadable, over a limit). explain, man and completions never fail because of a team file.";

/// Writes the whole man page.
pub fn write(out: &mut dyn Write) -> io::Result<()> {
    let mut command = Cli::command();
    // Subcommands add their arguments when built.
    command.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    // dterms' own options are in every subcommand too; the main OPTIONS section covers them.
    let shared: Vec<&str> = command
        .get_arguments()
        .map(|a| a.get_id().as_str())
        .collect();
    let mut extra = String::from(".SH \"COMMAND DETAILS\"\n");
    for sub in command.get_subcommands() {
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        extra.push_str(&format!(
            ".SS \"dterms {}\"\n{}\n",
            sub.get_name(),
            roff(&about)
        ));
        let own = |a: &&clap::Arg| !a.is_hide_set() && !shared.contains(&a.get_id().as_str());
        for arg in sub.get_arguments().filter(own) {
            let name = match (arg.get_long(), arg.get_short()) {
                (Some(long), Some(short)) => {
                    format!("\\fB\\-{short}\\fR, \\fB\\-\\-{}\\fR", roff(long))
                }
                (Some(long), None) => format!("\\fB\\-\\-{}\\fR", roff(long)),
                (None, Some(short)) => format!("\\fB\\-{short}\\fR"),
                (None, None) => format!(
                    "\\fI{}\\fR",
                    arg.get_value_names()
                        .and_then(|v| v.first())
                        .map_or(arg.get_id().to_string(), |v| v.to_string())
                ),
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            extra.push_str(&format!(".TP\n{name}\n{}\n", roff(&help)));
        }
    }
    extra.push_str(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in EXIT_STATUS {
        extra.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", roff(meaning)));
    }
    extra.push_str(".SH ENVIRONMENT\n");
    for (name, meaning) in ENVIRONMENT {
        extra.push_str(&format!(".TP\n\\fB{name}\\fR\n{}\n", roff(meaning)));
    }
    extra.push_str(&format!(
        ".SH \"GLOSSARY FILES\"\n.nf\n{}\n.fi\n",
        roff(FILE_FORMAT)
    ));
    page.extend_from_slice(extra.as_bytes());
    out.write_all(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_covers_commands_exit_codes_environment_and_format() {
        let mut out = Vec::new();
        write(&mut out).expect("writes to a Vec");
        let page = String::from_utf8(out).expect("UTF-8");
        assert!(
            page.starts_with(".ie") || page.starts_with(".TH"),
            "{}",
            &page[..40]
        );
        for needle in [
            "dterms show",
            "dterms explain",
            "dterms check",
            "dterms graph",
            "EXIT STATUS",
            "DTERMS_GLOSSARY",
            "GLOSSARY FILES",
            "\\-\\-limit",
        ] {
            assert!(page.contains(needle), "missing {needle}");
        }
        assert!(
            page.contains("\\- id: feature\\-store"),
            "hyphens are escaped"
        );
    }

    #[test]
    fn roff_escapes_control_lines_and_hyphens() {
        assert_eq!(roff(".x\n'y\na-b\\c"), "\\&.x\n\\&'y\na\\-b\\ec");
    }
}
