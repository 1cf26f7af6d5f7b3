//! Shell completion scripts (clap_complete) in which `show` and `graph` complete term ids and
//! one-word aliases, built-in and team ones alike (in bash, zsh and fish; PowerShell and elvish
//! get subcommands and options).

use std::io::{self, Write};

use clap::builder::PossibleValuesParser;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::glossary::Glossary;
use crate::schema::keys;

/// The words offered for a term: ids, and aliases a shell can complete as one word.
pub fn term_words(glossary: &Glossary) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for term in glossary.terms() {
        for (i, key) in keys(term).enumerate() {
            // keys() yields the id, then the name, then aliases; the name is offered only when
            // it is the id, so that completion never suggests two spellings of one term.
            if i == 1 {
                continue;
            }
            let one_word = !key.is_empty()
                && !key.starts_with('-')
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if one_word && !words.iter().any(|w| w == key) {
                words.push(key.to_owned());
            }
        }
    }
    words
}

/// Writes the completion script for `shell`. Term words are injected into a copy of the
/// command used only here, so that `show` itself still accepts typos for fuzzy lookup.
pub fn write(shell: Shell, glossary: &Glossary, out: &mut dyn Write) -> io::Result<()> {
    let words = term_words(glossary);
    let mut command = Cli::command();
    // Subcommands add their arguments when built; `term` must exist before it is changed.
    command.build();
    for name in ["show", "graph"] {
        let words = words.clone();
        command = command.mut_subcommand(name, move |sub| {
            sub.mut_arg("term", move |arg| {
                arg.value_parser(PossibleValuesParser::new(words))
            })
        });
    }
    // `--category` is checked at run time against the loaded categories; offer them all here.
    let categories: Vec<String> = glossary
        .categories()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    command = command.mut_subcommand("list", move |sub| {
        sub.mut_arg("category", move |arg| {
            arg.value_parser(PossibleValuesParser::new(categories))
        })
    });
    // clap_complete panics when its writer fails (a closed pipe), so it writes to memory.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "dterms", &mut script);
    if shell == Shell::Fish {
        // clap_complete's fish script completes options and subcommands, not positional values.
        for name in ["show", "graph"] {
            let line = format!(
                "complete -c dterms -n \"__fish_dterms_using_subcommand {name}\" -f -a \"{}\"\n",
                words.join(" ")
            );
            script.extend_from_slice(line.as_bytes());
        }
    }
    out.write_all(&script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_words_are_ids_and_one_word_aliases() {
        let words = term_words(&Glossary::builtin());
        assert!(words.contains(&"container".to_owned()));
        assert!(words.contains(&"repo".to_owned()), "one-word alias");
        assert!(
            !words.iter().any(|w| w.contains(' ')),
            "no multi-word aliases"
        );
        assert!(
            !words.iter().any(|w| w.starts_with('-')),
            "no option-like aliases"
        );
    }

    #[test]
    fn every_shell_gets_a_script_with_the_terms() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let mut out = Vec::new();
            write(shell, &Glossary::builtin(), &mut out).expect("writes to a Vec");
            let script = String::from_utf8(out).expect("UTF-8");
            // clap_complete's PowerShell and elvish scripts complete subcommands and options
            // only, not positional values, so term names are offered in bash, zsh and fish.
            if matches!(shell, Shell::Bash | Shell::Zsh | Shell::Fish) {
                assert!(script.contains("container"), "{shell:?}");
            }
            assert!(script.contains("format"), "{shell:?}");
        }
    }
}
