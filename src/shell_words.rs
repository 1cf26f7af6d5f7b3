//! Splitting one pasted command line into words the way a POSIX shell would, without running
//! anything: `$(…)`, `${…}` and backquoted commands stay whole and as written (the shell would
//! fill them in), quotes are removed, and each word remembers how it was written.
//!
//! Pasted lines from Windows are read too: a word that starts with a drive letter (`C:\…`)
//! keeps its backslashes, and a line ending in PowerShell's backquote or cmd's `^` continues.
//! One pass over the input; nesting is counted, never recursed.

use std::fmt;

/// Why a string cannot be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quote was opened and never closed.
    UnterminatedQuote(char),
    /// A `$(`, `${` or backquote was opened and never closed.
    UnterminatedSubstitution(&'static str),
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::UnterminatedQuote(q) => {
                write!(f, "the command line has an unterminated {q} quote")
            }
            SplitError::UnterminatedSubstitution(what) => {
                write!(f, "the command line has an unterminated {what}")
            }
        }
    }
}

impl std::error::Error for SplitError {}

/// One word of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word as the program would receive it, quotes removed; substitutions as written.
    pub text: String,
    /// The word as written on the line, quotes included.
    pub raw: String,
    /// Whether the shell would change it first: `$VAR`, `${…}`, `$(…)`, backquotes, or a
    /// leading `~`.
    pub expands: bool,
    /// Whether it is an unquoted shell operator (`|`, `&&`, `;`, `>`, `2>&1`…), which the
    /// shell acts on instead of passing it to the program.
    pub operator: bool,
}

impl Word {
    /// Whether it is an operator that ends one command and starts another (`|`, `&&`, `;`).
    pub fn is_control(&self) -> bool {
        self.operator && !self.is_redirection()
    }

    /// Whether it is a redirection (`>`, `>>`, `<`, `2>`, `2>&1`, `&>`).
    pub fn is_redirection(&self) -> bool {
        self.operator && self.text.contains(['<', '>'])
    }
}

impl Word {
    /// A word that was already split (a program argument); it is quoted when shown only if it
    /// holds spaces or quotes, which a shell would need quoted.
    pub fn literal(text: &str) -> Word {
        let needs_quotes =
            text.is_empty() || text.contains(|c: char| c.is_whitespace() || "'\"\\".contains(c));
        Word {
            text: text.to_owned(),
            raw: if needs_quotes {
                quote(text)
            } else {
                text.to_owned()
            },
            expands: false,
            operator: false,
        }
    }
}

/// Splits on unquoted whitespace and returns the words' texts.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    Ok(split_words(line)?.into_iter().map(|w| w.text).collect())
}

/// Splits on unquoted whitespace. Single quotes keep everything literally; double quotes keep
/// everything but `\"`, `\\`, `\$`, `` \` `` and backslash-newline; outside quotes a backslash
/// keeps the next character, and backslash-newline (a README's line continuation) vanishes.
pub fn split_words(line: &str) -> Result<Vec<Word>, SplitError> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut expands = false;
    let mut start: Option<usize> = None;
    // Set once a word starts like `C:\`: from then on its backslashes are path separators.
    let mut windows = false;
    let mut i = 0;
    let end_of = |i: usize| chars.get(i).map_or(line.len(), |&(at, _)| at);
    macro_rules! finish {
        ($at:expr) => {
            if let Some(s) = start.take() {
                words.push(Word {
                    text: std::mem::take(&mut word),
                    raw: line[s..$at].to_owned(),
                    expands,
                    operator: false,
                });
                expands = false;
                windows = false;
            }
        };
    }
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            '\'' => {
                start.get_or_insert(at);
                i += 1;
                loop {
                    match chars.get(i) {
                        Some((_, '\'')) => break,
                        Some(&(_, c)) => word.push(c),
                        None => return Err(SplitError::UnterminatedQuote('\'')),
                    }
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                start.get_or_insert(at);
                i += 1;
                loop {
                    match chars.get(i) {
                        Some((_, '"')) => {
                            i += 1;
                            break;
                        }
                        Some((_, '\\')) => {
                            match chars.get(i + 1) {
                                Some((_, '\n')) => {}
                                Some(&(_, c @ ('"' | '\\' | '$' | '`'))) => word.push(c),
                                Some(&(_, c)) => {
                                    word.push('\\');
                                    word.push(c);
                                }
                                None => return Err(SplitError::UnterminatedQuote('"')),
                            }
                            i += 2;
                        }
                        Some((_, '$' | '`')) => {
                            let next = substitution(&chars, i, &mut word)?;
                            expands |= next > i + 1 || chars[i].1 == '`';
                            i = next;
                        }
                        Some(&(_, c)) => {
                            word.push(c);
                            i += 1;
                        }
                        None => return Err(SplitError::UnterminatedQuote('"')),
                    }
                }
            }
            '\\' if windows => {
                word.push('\\');
                i += 1;
            }
            '\\' => {
                match chars.get(i + 1) {
                    Some((_, '\n')) => {}
                    Some((_, '\r')) if matches!(chars.get(i + 2), Some((_, '\n'))) => i += 1,
                    Some(&(_, c)) => {
                        start.get_or_insert(at);
                        word.push(c);
                    }
                    None => {}
                }
                i += 2;
            }
            // PowerShell's line continuation: a backquote at the end of a line.
            '`' if continues_line(&chars, i + 1) => {
                finish!(at);
                i = skip_line_end(&chars, i + 1);
            }
            // cmd.exe's line continuation: a caret at the end of a line.
            '^' if start.is_none() && continues_line(&chars, i + 1) => {
                i = skip_line_end(&chars, i + 1);
            }
            '|' | '&' | ';' | '<' | '>' => {
                // `2>` and `2>&1`: a file descriptor number right before a redirection is part
                // of it, if it was written bare.
                let from = match start {
                    Some(s)
                        if matches!(c, '<' | '>')
                            && !word.is_empty()
                            && word.bytes().all(|b| b.is_ascii_digit())
                            && line[s..at] == word =>
                    {
                        start = None;
                        word.clear();
                        expands = false;
                        windows = false;
                        s
                    }
                    _ => {
                        finish!(at);
                        at
                    }
                };
                let mut j = i;
                while matches!(chars.get(j), Some((_, '|' | '&' | ';' | '<' | '>'))) {
                    j += 1;
                }
                // `>&2`, `2>&1`, `<&-`: the descriptor it points to belongs to it.
                if chars[j - 1].1 == '&' && j - i >= 2 {
                    while matches!(chars.get(j), Some((_, '0'..='9' | '-'))) {
                        j += 1;
                    }
                }
                let to = end_of(j);
                words.push(Word {
                    text: line[from..to].to_owned(),
                    raw: line[from..to].to_owned(),
                    expands: false,
                    operator: true,
                });
                i = j;
            }
            '$' | '`' => {
                start.get_or_insert(at);
                let next = substitution(&chars, i, &mut word)?;
                expands |= next > i + 1 || c == '`';
                i = next;
            }
            c if c.is_whitespace() => {
                finish!(at);
                i += 1;
            }
            c => {
                if start.is_none() && c == '~' {
                    expands = true;
                }
                start.get_or_insert(at);
                word.push(c);
                i += 1;
                if c == ':' && matches!(chars.get(i), Some((_, '\\'))) && drive_letter_before(&word)
                {
                    windows = true;
                }
            }
        }
    }
    if let Some(s) = start {
        words.push(Word {
            text: word,
            raw: line[s..end_of(chars.len())].to_owned(),
            expands,
            operator: false,
        });
    }
    Ok(words)
}

/// Whether the word so far ends in a drive letter and colon at its start or after `=`/`,`
/// (`C:`, `source=D:`).
fn drive_letter_before(word: &str) -> bool {
    let bytes = word.as_bytes();
    let n = bytes.len();
    n >= 2
        && bytes[n - 1] == b':'
        && bytes[n - 2].is_ascii_alphabetic()
        && (n == 2 || matches!(bytes[n - 3], b'=' | b','))
}

/// Whether only spaces or tabs stand between `i` and the end of the line.
fn continues_line(chars: &[(usize, char)], mut i: usize) -> bool {
    while let Some((_, c)) = chars.get(i) {
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\n' => return true,
            _ => return false,
        }
    }
    false
}

fn skip_line_end(chars: &[(usize, char)], mut i: usize) -> usize {
    while let Some((_, c)) = chars.get(i) {
        i += 1;
        if *c == '\n' {
            break;
        }
    }
    i
}

/// Copies a `$…` or backquoted part starting at `i` into `word` as written and returns the
/// index after it. `$(…)` and `${…}` are matched by counting, with quotes inside skipped.
fn substitution(chars: &[(usize, char)], i: usize, word: &mut String) -> Result<usize, SplitError> {
    let c = chars[i].1;
    if c == '`' {
        word.push('`');
        let mut j = i + 1;
        loop {
            match chars.get(j) {
                Some((_, '`')) => {
                    word.push('`');
                    return Ok(j + 1);
                }
                Some((_, '\\')) if chars.get(j + 1).is_some() => {
                    word.push('\\');
                    word.push(chars[j + 1].1);
                    j += 2;
                }
                Some(&(_, c)) => {
                    word.push(c);
                    j += 1;
                }
                None => return Err(SplitError::UnterminatedSubstitution("backquote")),
            }
        }
    }
    let (open, close, what) = match chars.get(i + 1) {
        Some((_, '(')) => ('(', ')', "$( … )"),
        Some((_, '{')) => ('{', '}', "${ … }"),
        _ => {
            word.push('$');
            // `$NAME`: the name is copied by the caller, one character at a time; report it
            // as expanding by consuming nothing more than the `$` and the name's first char.
            return match chars.get(i + 1) {
                Some(&(_, n)) if n.is_ascii_alphanumeric() || "_@*#?$!-".contains(n) => {
                    word.push(n);
                    Ok(i + 2)
                }
                _ => Ok(i + 1),
            };
        }
    };
    word.push('$');
    word.push(open);
    let mut depth = 1usize;
    let mut j = i + 2;
    let mut quote: Option<char> = None;
    while let Some(&(_, c)) = chars.get(j) {
        word.push(c);
        j += 1;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(&(_, n)) = chars.get(j) {
                    word.push(n);
                    j += 1;
                }
            }
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Ok(j);
                }
            }
            _ => {}
        }
    }
    Err(SplitError::UnterminatedSubstitution(what))
}

/// `word` quoted for a POSIX shell when it needs it, so an echoed command line can be pasted
/// back: `echo a && echo b` becomes `'echo a && echo b'`.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=,@%+^".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        split(line).expect("valid")
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            texts(r#"docker run -v "$PWD/my data":/data -e 'A=b c' x\ y"#),
            [
                "docker",
                "run",
                "-v",
                "$PWD/my data:/data",
                "-e",
                "A=b c",
                "x y"
            ]
        );
        assert_eq!(texts("a \\\n  b"), ["a", "b"]);
        assert_eq!(texts(r#""a\"b" '' """#), ["a\"b", "", ""]);
        assert_eq!(texts("  "), Vec::<String>::new());
    }

    #[test]
    fn substitutions_stay_whole_and_are_marked() {
        let words = split_words(r#"-u $(id -u $USER):$(id -g) -e NB_UID=$(id -u) -v `pwd`:/app "$(dirname "$0")"/x ${HOME:-/root} plain"#)
            .expect("valid");
        let t: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            t,
            [
                "-u",
                "$(id -u $USER):$(id -g)",
                "-e",
                "NB_UID=$(id -u)",
                "-v",
                "`pwd`:/app",
                r#"$(dirname "$0")/x"#,
                "${HOME:-/root}",
                "plain"
            ]
        );
        assert!(words[1].expands && words[3].expands && words[5].expands && words[7].expands);
        assert!(!words[8].expands && !words[0].expands);
        assert!(split_words("$HOME").expect("valid")[0].expands);
        assert!(split_words("~/data:/data").expect("valid")[0].expands);
    }

    #[test]
    fn raw_keeps_the_quoting() {
        let words = split_words(r#"sh -c 'echo a && echo b'"#).expect("valid");
        assert_eq!(words[2].text, "echo a && echo b");
        assert_eq!(words[2].raw, "'echo a && echo b'");
    }

    #[test]
    fn windows_paths_keep_their_backslashes() {
        assert_eq!(
            texts(r"docker run -v C:\Users\me\proj:/app img"),
            ["docker", "run", "-v", r"C:\Users\me\proj:/app", "img"]
        );
        assert_eq!(
            texts(r"--mount type=bind,source=D:\data,target=/d"),
            ["--mount", r"type=bind,source=D:\data,target=/d"]
        );
        assert_eq!(
            texts("docker run `\n  -it img"),
            ["docker", "run", "-it", "img"]
        );
        assert_eq!(
            texts("docker run ^\r\n  -it img"),
            ["docker", "run", "-it", "img"]
        );
    }

    #[test]
    fn unterminated_quotes_and_substitutions_are_errors() {
        assert_eq!(
            split("echo 'oops"),
            Err(SplitError::UnterminatedQuote('\''))
        );
        assert_eq!(
            split("echo \"oops"),
            Err(SplitError::UnterminatedQuote('"'))
        );
        assert!(matches!(
            split("echo $(id"),
            Err(SplitError::UnterminatedSubstitution(_))
        ));
        assert!(matches!(
            split("echo `id"),
            Err(SplitError::UnterminatedSubstitution(_))
        ));
    }

    #[test]
    fn shell_operators_are_words_of_their_own() {
        let words = split_words("echo $T | docker login -u me --password-stdin && docker save img 2>&1 >img.tar; ls 2> err").expect("valid");
        let ops: Vec<&str> = words
            .iter()
            .filter(|w| w.operator)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(ops, ["|", "&&", "2>&1", ">", ";", "2>"]);
        assert!(words.iter().any(|w| w.text == "img.tar" && !w.operator));
        assert!(words.iter().filter(|w| w.is_control()).count() == 3);
        assert_eq!(texts("a 'x|y' \"p&q\" b\\;c"), ["a", "x|y", "p&q", "b;c"]);
    }

    #[test]
    fn quote_round_trips_through_split() {
        for w in ["plain", "a b", "it's", "", "a&&b", "$HOME"] {
            assert_eq!(texts(&quote(w)), [w], "{w:?}");
        }
    }

    #[test]
    fn deep_nesting_is_linear() {
        let line = format!("{}{}", "$(".repeat(50_000), ")".repeat(50_000));
        assert_eq!(split(&line).expect("valid").len(), 1);
    }
}
