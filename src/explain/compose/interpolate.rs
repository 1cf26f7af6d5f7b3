//! Variable interpolation as Compose does it (the Compose Specification, 12-interpolation.md,
//! and compose-go's template package): `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, nesting, and `$$` for a
//! literal dollar. Also reads `.env` files.

use std::collections::HashMap;

/// How deeply `${A:-${B:-…}}` may nest.
pub const MAX_NESTING: usize = 32;

/// The most text interpolation may produce for one file, in bytes.
pub const MAX_OUTPUT: usize = 8 * 1024 * 1024;

/// The variables interpolation can see.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    values: HashMap<String, String>,
}

impl Environment {
    /// An environment of these variables.
    pub fn new(values: impl IntoIterator<Item = (String, String)>) -> Environment {
        Environment {
            values: values.into_iter().collect(),
        }
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Adds the variables of a `.env` file that are not already set: the environment Compose
    /// runs in wins over the file. Returns the names of lines it could not read.
    pub fn add_dotenv(&mut self, text: &str) -> Vec<usize> {
        let mut bad = Vec::new();
        let mut from_file: Vec<(String, String)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            let Some((name, raw)) = line.split_once('=') else {
                bad.push(n + 1);
                continue;
            };
            let name = name.trim();
            if !is_name(name) {
                bad.push(n + 1);
                continue;
            }
            let raw = raw.trim();
            let value = if let Some(inner) = raw.strip_prefix('\'') {
                inner.split('\'').next().unwrap_or_default().to_owned()
            } else {
                let lookup = |v: &str| -> Option<String> {
                    from_file
                        .iter()
                        .rev()
                        .find(|(k, _)| k == v)
                        .map(|(_, val)| val.clone())
                        .or_else(|| self.values.get(v).cloned())
                };
                let text = if let Some(inner) = raw.strip_prefix('"') {
                    unescape(inner.rsplit_once('"').map_or(inner, |(v, _)| v))
                } else {
                    match raw.find(" #") {
                        Some(at) => raw[..at].trim_end().to_owned(),
                        None => raw.to_owned(),
                    }
                };
                let mut sub = Substitution::new(&lookup);
                sub.run(&text).unwrap_or(text)
            };
            from_file.push((name.to_owned(), value));
        }
        for (name, value) in from_file {
            self.values.entry(name).or_insert(value);
        }
        bad
    }
}

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
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Whether `name` is a variable name Compose substitutes: `[_a-zA-Z][_a-zA-Z0-9]*`.
pub fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// Something interpolation noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A variable with no value and no default: Compose substitutes an empty string.
    Unset(String),
    /// `${VAR:?message}` or `${VAR?message}` without a value: Compose stops with this message.
    Required(String, String),
    /// A `${` that Compose cannot read.
    Invalid(String),
}

/// Why interpolation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overflow {
    /// Nested more deeply than [`MAX_NESTING`].
    TooDeep,
    /// Produced more than [`MAX_OUTPUT`] bytes.
    TooLong,
}

/// One run of substitutions over a file, sharing the output budget.
pub struct Substitution<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    /// What it noticed, in order.
    pub findings: Vec<Finding>,
    produced: usize,
}

impl<'a> Substitution<'a> {
    /// Substitutes from `lookup`.
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Substitution<'a> {
        Substitution {
            lookup,
            findings: Vec::new(),
            produced: 0,
        }
    }

    /// `text` with every variable substituted.
    pub fn run(&mut self, text: &str) -> Result<String, Overflow> {
        if !text.contains('$') {
            return Ok(text.to_owned());
        }
        self.substitute(text, 0)
    }

    fn substitute(&mut self, text: &str, depth: usize) -> Result<String, Overflow> {
        if depth > MAX_NESTING {
            return Err(Overflow::TooDeep);
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            if let Some(tail) = after.strip_prefix('$') {
                out.push('$');
                rest = tail;
            } else if after.starts_with('{') {
                match closing_brace(after) {
                    Some(close) => {
                        let inner = &after[1..close];
                        let value = self.braced(inner, depth)?;
                        out.push_str(&value);
                        rest = &after[close + 1..];
                    }
                    None => {
                        self.findings.push(Finding::Invalid(rest[at..].to_owned()));
                        out.push_str(&rest[at..]);
                        rest = "";
                    }
                }
            } else {
                let len = after
                    .bytes()
                    .take_while(|&b| b == b'_' || b.is_ascii_alphanumeric())
                    .count();
                if len > 0 && !after.as_bytes()[0].is_ascii_digit() {
                    let name = &after[..len];
                    let value = self.value(name);
                    out.push_str(&value.unwrap_or_else(|| self.unset(name)));
                    rest = &after[len..];
                } else {
                    // Not a variable: Compose keeps the dollar as written.
                    out.push('$');
                    rest = after;
                }
            }
            if out.len() + self.produced > MAX_OUTPUT {
                return Err(Overflow::TooLong);
            }
        }
        out.push_str(rest);
        self.produced += out.len();
        if self.produced > MAX_OUTPUT {
            return Err(Overflow::TooLong);
        }
        Ok(out)
    }

    fn value(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    fn unset(&mut self, name: &str) -> String {
        self.findings.push(Finding::Unset(name.to_owned()));
        String::new()
    }

    /// The value of `${inner}`.
    fn braced(&mut self, inner: &str, depth: usize) -> Result<String, Overflow> {
        let len = inner
            .bytes()
            .take_while(|&b| b == b'_' || b.is_ascii_alphanumeric())
            .count();
        let name = &inner[..len];
        if !is_name(name) {
            self.findings
                .push(Finding::Invalid(format!("${{{inner}}}")));
            return Ok(String::new());
        }
        let op = &inner[len..];
        let value = self.value(name);
        let (operator, argument) = [":-", ":?", ":+", "-", "?", "+"]
            .iter()
            .find_map(|o| op.strip_prefix(o).map(|a| (*o, a)))
            .unwrap_or(("", op));
        if operator.is_empty() && !argument.is_empty() {
            self.findings
                .push(Finding::Invalid(format!("${{{inner}}}")));
            return Ok(String::new());
        }
        let set_nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
        Ok(match operator {
            "" => match value {
                Some(v) => v,
                None => self.unset(name),
            },
            ":-" if set_nonempty => value.unwrap_or_default(),
            "-" if value.is_some() => value.unwrap_or_default(),
            ":-" | "-" => self.substitute(argument, depth + 1)?,
            ":+" if set_nonempty => self.substitute(argument, depth + 1)?,
            "+" if value.is_some() => self.substitute(argument, depth + 1)?,
            ":+" | "+" => value.unwrap_or_default(),
            ":?" if set_nonempty => value.unwrap_or_default(),
            "?" if value.is_some() => value.unwrap_or_default(),
            _ => {
                let message = self.substitute(argument, depth + 1)?;
                self.findings
                    .push(Finding::Required(name.to_owned(), message));
                String::new()
            }
        })
    }
}

/// The index of the `}` that closes the `{` at the start of `text`, counting nested braces
/// as compose-go does.
fn closing_brace(text: &str) -> Option<usize> {
    let mut open = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' => open += 1,
            b'}' => {
                open = open.saturating_sub(1);
                if open == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, vars: &[(&str, &str)]) -> (String, Vec<Finding>) {
        let env = Environment::new(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let lookup = |n: &str| env.get(n).map(str::to_owned);
        let mut sub = Substitution::new(&lookup);
        let out = sub.run(text).expect("within the caps");
        (out, sub.findings)
    }

    // Inputs and expected results from compose-go's template/template_test.go, whose mapping
    // has FOO=first and BAR="" (and nothing else set).
    const VARS: &[(&str, &str)] = &[("FOO", "first"), ("BAR", "")];

    #[test]
    fn conformance_with_compose_go() {
        for (input, expected) in [
            ("$${foo}", "${foo}"),
            ("foo", "foo"),
            ("a $ string", "a $ string"),
            ("^REGEX$", "^REGEX$"),
            ("$}", "$}"),
            ("$", "$"),
            ("$FOO-bar", "first-bar"),
            ("This ${missing} var", "This  var"),
            ("This ${BAR} var", "This  var"),
            ("This $FOO var", "This first var"),
            ("This ${FOO} var", "This first var"),
            ("ok ${missing:-def}", "ok def"),
            ("ok ${missing-def}", "ok def"),
            ("${A:+${A},}B", "B"),
            ("${A:-${B}}", ""),
            ("ok ${BAR:-def}", "ok def"),
            ("ok ${FOO:-def}", "ok first"),
            ("ok ${BAR-def}", "ok "),
            ("ok ${UNSET_VAR:+presence_value}", "ok "),
            ("ok ${UNSET_VAR+presence_value}", "ok "),
            ("ok ${FOO:+presence_value}", "ok presence_value"),
            ("ok ${FOO+presence_value}", "ok presence_value"),
            ("ok ${BAR+presence_value}", "ok presence_value"),
            ("ok ${BAR:+presence_value}", "ok "),
            ("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
            ("-ok ${BAR:-defaultValue}", "-ok defaultValue"),
            ("+ok ${UNSET:-${BAR-defaultValue}}", "+ok "),
            ("-ok ${FOO:-defaultValue}", "-ok first"),
            (":-ok ${UNSET-defaultValue}", ":-ok defaultValue"),
            (":-ok ${BAR-defaultValue}", ":-ok "),
            (":?ok ${BAR-defaultValue}", ":?ok "),
            (":?ok ${BAR:-defaultValue}", ":?ok defaultValue"),
        ] {
            assert_eq!(run(input, VARS).0, expected, "{input}");
        }
        // The same file's invalid templates.
        for input in ["${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}"] {
            assert!(
                run(input, VARS)
                    .1
                    .iter()
                    .any(|f| matches!(f, Finding::Invalid(_))),
                "{input}"
            );
        }
    }

    #[test]
    fn unset_variables_are_empty_and_reported() {
        let (out, findings) = run("a${UNSET}b$ALSO_UNSET", VARS);
        assert_eq!(out, "ab");
        assert_eq!(
            findings,
            [
                Finding::Unset("UNSET".into()),
                Finding::Unset("ALSO_UNSET".into())
            ]
        );
    }

    #[test]
    fn required_variables_report_their_message() {
        let (_, findings) = run("${UNSET:?set it in .env}", VARS);
        assert_eq!(
            findings,
            [Finding::Required("UNSET".into(), "set it in .env".into())]
        );
        let (_, findings) = run("${BAR:?empty}", VARS);
        assert_eq!(findings.len(), 1);
        let (out, findings) = run("${BAR?only when unset}", VARS);
        assert_eq!((out.as_str(), findings.len()), ("", 0));
    }

    #[test]
    fn invalid_templates_are_reported() {
        assert!(matches!(run("${", VARS).1[..], [Finding::Invalid(_)]));
        assert!(matches!(
            run("${FOO/x/y}", VARS).1[..],
            [Finding::Invalid(_)]
        ));
        assert!(matches!(run("${1}", VARS).1[..], [Finding::Invalid(_)]));
    }

    #[test]
    fn nesting_and_output_are_capped() {
        let deep = format!("{}x{}", "${A:-".repeat(100), "}".repeat(100));
        let lookup = |_: &str| None;
        assert_eq!(
            Substitution::new(&lookup).run(&deep),
            Err(Overflow::TooDeep)
        );
        let big = "x".repeat(1024 * 1024);
        let lookup = |_: &str| Some(big.clone());
        let many = "$A".repeat(20);
        assert_eq!(
            Substitution::new(&lookup).run(&many),
            Err(Overflow::TooLong)
        );
    }

    #[test]
    fn dotenv_files_are_read_and_lose_to_the_environment() {
        let mut env = Environment::new([("TAG".to_string(), "from-shell".to_string())]);
        let bad = env.add_dotenv(
            "# comment\nTAG=from-file\nexport PORT=8888\nQUOTED=\"a b\"\nSINGLE='$PORT'\nREF=${PORT}0\nnot a line\n",
        );
        assert_eq!(env.get("TAG"), Some("from-shell"));
        assert_eq!(env.get("PORT"), Some("8888"));
        assert_eq!(env.get("QUOTED"), Some("a b"));
        assert_eq!(env.get("SINGLE"), Some("$PORT"));
        assert_eq!(env.get("REF"), Some("88880"));
        assert_eq!(bad, [7]);
    }
}
