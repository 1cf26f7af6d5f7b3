//! `.env` files as Compose reads them for `env_file` (the Compose Specification's "Env_file
//! format" and compose-go's dotenv parser): `NAME=value`, `NAME: value`, `export NAME=value`,
//! a bare `NAME` taken from the environment, comments, single quotes kept literally, double
//! quotes with `\n`, `\r`, `\t`, `\\` and `\"` escapes, values over several lines inside quotes,
//! an inline comment after a space. A name with any other character, or a quote never closed,
//! makes Compose refuse the file: that is reported with its line, as Compose reports it.

use std::collections::HashMap;

use super::interpolate::{MAX_OUTPUT, Substitution};

/// One variable a file sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Its name.
    pub name: String,
    /// Its value, interpolated unless single-quoted.
    pub value: String,
    /// The 1-based line of the file it is set on.
    pub line: usize,
}

/// Why Compose refuses a file, or why dterms stops reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The 1-based line of the file.
    pub line: usize,
    /// Compose's reason, or dterms' limit.
    pub message: String,
    /// Whether it is dterms' limit on what the values may expand to, not Compose's refusal.
    pub limit: bool,
}

impl Refused {
    fn compose(line: usize, message: String) -> Refused {
        Refused {
            line,
            message,
            limit: false,
        }
    }
}

/// Reads `text`; `lookup` gives the variables of the environment (for a bare `NAME` and for
/// `${…}` in values, which also see the variables set above them). The values together may
/// come to at most [`MAX_OUTPUT`] bytes (`${A}${A}` doubles a value a line), so the work and
/// memory stay linear in the text and that cap.
pub fn parse(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Assignment>, Refused> {
    let mut out: Vec<Assignment> = Vec::new();
    // Where each name was last set in `out`, for `${NAME}` in the values below it.
    let mut latest: HashMap<String, usize> = HashMap::new();
    let mut total = 0usize;
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut line = 1;
    loop {
        // The next statement: skip blank space and comment lines.
        while pos < bytes.len() {
            match bytes[pos] {
                b'\n' => {
                    line += 1;
                    pos += 1;
                }
                b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => pos += 1,
                b'#' => {
                    while pos < bytes.len() && bytes[pos] != b'\n' {
                        pos += 1;
                    }
                }
                _ => break,
            }
        }
        if pos >= bytes.len() {
            return Ok(out);
        }
        let statement = line;
        let rest = &text[pos..];
        let first_line = rest.split('\n').next().unwrap_or_default();
        if let Some(after) = rest.strip_prefix("export")
            && after.starts_with([' ', '\t'])
        {
            pos += "export".len();
            while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t') {
                pos += 1;
            }
        }
        // The name, up to '=', ':' or the end of the line.
        let start = pos;
        let mut end = None;
        for (i, c) in text[start..].char_indices() {
            match c {
                '=' | ':' | '\n' => {
                    end = Some((start + i, c));
                    break;
                }
                ' ' | '\t' | '\r' => {}
                c if c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']') => {}
                c => {
                    return Err(Refused::compose(
                        statement,
                        format!(
                            "line {statement}: unexpected character {c:?} in variable name {:?}",
                            first_line.trim_end_matches('\r')
                        ),
                    ));
                }
            }
        }
        let (end, stop) = end.unwrap_or((bytes.len(), '\n'));
        let name = text[start..end].trim_end();
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(Refused::compose(
                statement,
                format!(
                    "line {statement}: invalid statement {:?}",
                    first_line.trim_end_matches('\r')
                ),
            ));
        }
        if stop == '\n' {
            // A bare name: the value comes from the environment, if it has one.
            if let Some(value) = lookup(name) {
                let assignment = Assignment {
                    name: name.to_owned(),
                    value,
                    line: statement,
                };
                add(&mut out, &mut latest, &mut total, assignment)?;
            }
            pos = end;
            continue;
        }
        pos = end + 1;
        while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t') {
            pos += 1;
        }
        let (raw, quote) = match bytes.get(pos) {
            Some(&q @ (b'"' | b'\'')) => {
                // The closing quote is the first one not escaped with '\'; it may be lines away.
                let open = pos;
                let mut i = open + 1;
                let close = loop {
                    match bytes.get(i) {
                        None => {
                            return Err(Refused::compose(
                                statement,
                                format!(
                                    "line {statement}: unterminated quoted value {}",
                                    first_line.trim_end_matches('\r')
                                ),
                            ));
                        }
                        Some(&b) if b == q && bytes[i - 1] != b'\\' => break i,
                        Some(_) => i += 1,
                    }
                };
                line += text[open..close].matches('\n').count();
                pos = close + 1;
                // What follows the closing quote on its line is a comment or nothing.
                while pos < bytes.len() && bytes[pos] != b'\n' {
                    pos += 1;
                }
                (&text[open + 1..close], Some(q))
            }
            _ => {
                let from = pos;
                while pos < bytes.len() && bytes[pos] != b'\n' {
                    pos += 1;
                }
                let mut value = &text[from..pos];
                if let Some(at) = value.find(" #").or_else(|| value.find("\t#")) {
                    value = &value[..at];
                }
                if value.starts_with('#') {
                    value = "";
                }
                (value.trim_end(), None)
            }
        };
        let value = match quote {
            Some(b'\'') => raw.replace("\\'", "'"),
            Some(_) => interpolate(&unescape(raw), &out, &latest, lookup),
            None => interpolate(raw, &out, &latest, lookup),
        };
        let assignment = Assignment {
            name: name.to_owned(),
            value,
            line: statement,
        };
        add(&mut out, &mut latest, &mut total, assignment)?;
    }
}

/// Adds a variable to `out`, keeping `latest` and the `total` bytes of the values up to date.
fn add(
    out: &mut Vec<Assignment>,
    latest: &mut HashMap<String, usize>,
    total: &mut usize,
    assignment: Assignment,
) -> Result<(), Refused> {
    *total += assignment.value.len();
    if *total > MAX_OUTPUT {
        return Err(Refused {
            line: assignment.line,
            message: format!(
                "line {}: the values set up to here come to more than {} MiB",
                assignment.line,
                MAX_OUTPUT >> 20
            ),
            limit: true,
        });
    }
    latest.insert(assignment.name.clone(), out.len());
    out.push(assignment);
    Ok(())
}

/// `${…}` in a value: the variables set above it in the file, then the environment.
fn interpolate(
    text: &str,
    above: &[Assignment],
    latest: &HashMap<String, usize>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> String {
    if !text.contains('$') {
        return text.to_owned();
    }
    let see = |name: &str| {
        latest
            .get(name)
            .map(|&at| above[at].value.clone())
            .or_else(|| lookup(name))
    };
    let mut sub = Substitution::new(&see);
    sub.run(text).unwrap_or_else(|_| text.to_owned())
}

/// The escapes of a double-quoted value.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other @ ('\\' | '"' | '\'' | '$')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<(String, String)>, Refused> {
        let lookup = |n: &str| (n == "HOME").then(|| "/home/me".to_owned());
        parse(text, &lookup).map(|v| v.into_iter().map(|a| (a.name, a.value)).collect())
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn values_that_keep_doubling_stop_at_the_cap() {
        // Found in review: each line doubles A, then many lines copy it; without a cap on the
        // values together this asked for hundreds of gigabytes.
        let mut text = format!("A={}\n", "x".repeat(512 * 1024));
        for _ in 0..3 {
            text.push_str("A=${A}${A}\n");
        }
        for n in 0..50_000 {
            text.push_str(&format!("B{n}=${{A}}\n"));
        }
        let refused = read(&text).expect_err("over the cap");
        assert!(refused.limit, "{refused:?}");
        assert!(
            refused.message.contains("more than 8 MiB"),
            "{}",
            refused.message
        );
        assert_eq!(refused.line, 5);
        // Below the cap, later lines see the latest value of a name.
        assert_eq!(
            read("A=1\nA=${A}2\nB=${A}3\n").expect("valid"),
            pairs(&[("A", "1"), ("A", "12"), ("B", "123")])
        );
    }

    #[test]
    fn the_specification_examples() {
        // The examples of the Compose Specification, 05-services.md, "Env_file format".
        let text = "# Set Rails/Rack environment\nRACK_ENV=development\nVAR=\"quoted\"\nA=VAL # comment\nB=VAL# not a comment\nC=\"VAL # not a comment\"\nD=\"VAL\" # comment\nE='$OTHER'\nF='Let\\'s go!'\nG=\"{\\\"hello\\\": \\\"json\\\"}\"\nH=\"some\\tvalue\"\nI='some\\tvalue'\nJ=some\\tvalue\nK=\n";
        assert_eq!(
            read(text).expect("valid"),
            pairs(&[
                ("RACK_ENV", "development"),
                ("VAR", "quoted"),
                ("A", "VAL"),
                ("B", "VAL# not a comment"),
                ("C", "VAL # not a comment"),
                ("D", "VAL"),
                ("E", "$OTHER"),
                ("F", "Let's go!"),
                ("G", "{\"hello\": \"json\"}"),
                ("H", "some\tvalue"),
                ("I", "some\\tvalue"),
                ("J", "some\\tvalue"),
                ("K", ""),
            ])
        );
    }

    #[test]
    fn export_colons_bare_names_multi_line_values_and_interpolation() {
        let text =
            "export A=1\nB: two\nHOME\nUNSET\nC=\"one\nline two\"\nD=${A}-${HOME}\r\nE='x'\n";
        let got = parse(text, &|n: &str| (n == "HOME").then(|| "/h".to_owned())).expect("valid");
        let lines: Vec<(&str, &str, usize)> = got
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_str(), a.line))
            .collect();
        assert_eq!(
            lines,
            [
                ("A", "1", 1),
                ("B", "two", 2),
                ("HOME", "/h", 3),
                ("C", "one\nline two", 5),
                ("D", "1-/h", 7),
                ("E", "x", 8),
            ]
        );
    }

    #[test]
    fn what_compose_refuses_is_reported_with_its_line() {
        let err = read("A=1\n\nMY VAR=1\n").expect_err("space in name");
        assert_eq!(err.line, 3);
        let err = read("A=1\nB$=2\n").expect_err("bad character");
        assert_eq!(err.line, 2);
        assert!(
            err.message
                .contains("unexpected character '$' in variable name"),
            "{}",
            err.message
        );
        let err = read("A=1\nB=\"open\nC=3\n").expect_err("unterminated");
        assert_eq!(err.line, 2);
        assert!(err.message.contains("unterminated quoted value"));
    }
}
