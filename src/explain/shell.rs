//! Splitting one command-line string into words the way a POSIX shell would, for
//! `dterms explain "docker run -v \"$PWD\":/data …"`. Nothing is expanded: `$PWD` stays `$PWD`.

use std::fmt;

/// Why a string cannot be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quote was opened and never closed.
    UnterminatedQuote(char),
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::UnterminatedQuote(q) => {
                write!(f, "the command line has an unterminated {q} quote")
            }
        }
    }
}

impl std::error::Error for SplitError {}

/// Splits on unquoted whitespace. Single quotes keep everything literally; double quotes keep
/// everything but `\"`, `\\`, `\$`, `` \` `` and backslash-newline; outside quotes a backslash
/// keeps the next character, and backslash-newline (a README's line continuation) vanishes.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::UnterminatedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some('\n') => {}
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::UnterminatedQuote('"')),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::UnterminatedQuote('"')),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split(r#"docker run -v "$PWD/my data":/data -e 'A=b c' x\ y"#).expect("valid"),
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
        assert_eq!(split("a \\\n  b").expect("valid"), ["a", "b"]);
        assert_eq!(split(r#""a\"b" '' """#).expect("valid"), ["a\"b", "", ""]);
        assert_eq!(split("  ").expect("valid"), Vec::<String>::new());
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        assert_eq!(
            split("echo 'oops"),
            Err(SplitError::UnterminatedQuote('\''))
        );
        assert_eq!(
            split("echo \"oops"),
            Err(SplitError::UnterminatedQuote('"'))
        );
    }
}
