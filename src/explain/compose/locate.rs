//! Line numbers for a parsed YAML tree. The YAML parser gives values but not where they are
//! written, so this scans the text once, line by line, following block indentation (mappings,
//! sequences, `- key:` items, block scalars, flow collections over several lines, anchors and
//! aliases), and records the line of every key and item. Values it cannot place (inside a
//! one-line flow collection, say) take the line of the nearest placed parent.

use std::collections::HashMap;

use super::parse::{Node, Value};

/// Where each key and item of a file is written.
#[derive(Debug, Default)]
pub struct LineIndex {
    entries: Vec<Entry>,
    /// (parent entry, key) → entry.
    keys: HashMap<(usize, String), usize>,
    /// (parent entry, item index) → entry.
    items: HashMap<(usize, usize), usize>,
    /// Anchor name → the entry whose value it names (the last definition wins, as in YAML).
    anchors: HashMap<String, usize>,
}

#[derive(Debug)]
struct Entry {
    line: usize,
    /// Aliases written as this entry's value: `*a`, or `[*a, *b]`.
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Map,
    Seq,
}

#[derive(Debug)]
struct Frame {
    indent: usize,
    entry: usize,
    kind: Kind,
    next: usize,
}

/// Text that runs over several lines and is skipped until it ends.
#[derive(Debug, Clone, Copy)]
enum Skip {
    /// A block scalar (`|` or `>`): lines indented more than this column.
    Block(usize),
    /// A flow collection: until the brackets balance.
    Flow(usize),
    /// A quoted scalar: until this quote closes it.
    Quote(char),
}

struct Builder {
    index: LineIndex,
    frames: Vec<Frame>,
    pending: Option<(usize, usize)>,
    skip: Option<Skip>,
}

impl LineIndex {
    /// Scans `text` once.
    pub fn new(text: &str) -> LineIndex {
        let mut b = Builder {
            index: LineIndex::default(),
            frames: Vec::new(),
            pending: None,
            skip: None,
        };
        b.index.entries.push(Entry {
            line: 1,
            aliases: Vec::new(),
        });
        for (n, raw) in text.lines().enumerate() {
            b.line(n + 1, raw.strip_suffix('\r').unwrap_or(raw));
        }
        b.index
    }

    /// Sets the line of every node and key of `root`.
    pub fn attach(&self, root: &mut Node) {
        self.attach_node(root, Some(0), 1);
    }

    fn attach_node(&self, node: &mut Node, entry: Option<usize>, fallback: usize) {
        node.line = entry.map_or(fallback, |e| self.entries[e].line);
        let content = entry.map(|e| self.resolve(e));
        let aliases = content
            .map(|c| self.entries[c].aliases.as_slice())
            .unwrap_or_default();
        let line = node.line;
        match &mut node.value {
            Value::Map(entries) => {
                for (key, value) in entries {
                    let child =
                        content.and_then(|c| self.keys.get(&(c, key.name.clone())).copied());
                    key.line = child.map_or(line, |c| self.entries[c].line);
                    self.attach_node(value, child, key.line);
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let child = content
                        .and_then(|c| self.items.get(&(c, i)).copied())
                        .or_else(|| aliases.get(i).and_then(|a| self.anchors.get(a)).copied());
                    self.attach_node(item, child, line);
                }
            }
            _ => {}
        }
    }

    /// The entry whose children hold the content of `entry`: itself, or through one alias the
    /// anchored entry (followed a few times for an alias of an alias).
    fn resolve(&self, mut entry: usize) -> usize {
        for _ in 0..8 {
            match self.entries[entry].aliases.as_slice() {
                [one] => match self.anchors.get(one) {
                    Some(&target) if target != entry => entry = target,
                    _ => break,
                },
                _ => break,
            }
        }
        entry
    }
}

impl Builder {
    fn line(&mut self, number: usize, raw: &str) {
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let rest = &raw[indent..];
        match self.skip {
            Some(Skip::Block(column)) => {
                if rest.trim().is_empty() || indent > column {
                    return;
                }
                self.skip = None;
            }
            Some(Skip::Flow(depth)) => {
                let depth = flow_depth(rest, depth);
                self.skip = (depth > 0).then_some(Skip::Flow(depth));
                return;
            }
            Some(Skip::Quote(q)) => {
                if closes_quote(rest, q) {
                    self.skip = None;
                }
                return;
            }
            None => {}
        }
        let trimmed = rest.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%') {
            return;
        }
        if indent == 0 && (trimmed.starts_with("---") || trimmed.starts_with("...")) {
            return;
        }
        // A line holding only an anchor or a tag (`&name` under `key:`) belongs to the value
        // that follows on the next lines.
        if let Some((entry, column)) = self.pending
            && indent > column
            && (trimmed.starts_with('&') || trimmed.starts_with('!'))
        {
            let mut rest = strip_comment(trimmed).trim();
            while let Some(props) = rest.strip_prefix('&').or_else(|| rest.strip_prefix('!')) {
                let end = props.find([' ', '\t']).unwrap_or(props.len());
                if rest.starts_with('&') {
                    self.index.anchors.insert(props[..end].to_owned(), entry);
                }
                rest = props[end..].trim_start();
            }
            if rest.is_empty() {
                return;
            }
        }
        if self.frames.is_empty() {
            self.frames.push(Frame {
                indent,
                entry: 0,
                kind: if is_item(trimmed) {
                    Kind::Seq
                } else {
                    Kind::Map
                },
                next: 0,
            });
        }
        if let Some((entry, column)) = self.pending.take()
            && (indent > column || (indent == column && is_item(trimmed)))
        {
            self.frames.push(Frame {
                indent,
                entry,
                kind: if is_item(trimmed) {
                    Kind::Seq
                } else {
                    Kind::Map
                },
                next: 0,
            });
        }
        // Close deeper containers, and a sequence written at its key's indentation once a
        // line at that indentation is not an item.
        while self.frames.len() > 1
            && self.frames.last().is_some_and(|f| {
                f.indent > indent
                    || (f.indent == indent && f.kind == Kind::Seq && !is_item(trimmed))
            })
        {
            self.frames.pop();
        }
        // A line indented more than its container continues a scalar.
        if self.frames.last().is_some_and(|f| f.indent == indent) {
            self.content(number, indent, trimmed);
        }
    }

    /// One key or item at `column`, belonging to the innermost frame.
    fn content(&mut self, number: usize, column: usize, text: &str) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let parent = frame.entry;
        if is_item(text) {
            if frame.kind != Kind::Seq {
                return;
            }
            let index = frame.next;
            frame.next += 1;
            let id = self.add(number);
            self.index.items.insert((parent, index), id);
            let after = &text[1..];
            let value = after.trim_start();
            let inner = column + 1 + (after.len() - value.len());
            if is_item(value) || key_of(value).is_some() {
                self.frames.push(Frame {
                    indent: inner,
                    entry: id,
                    kind: if is_item(value) { Kind::Seq } else { Kind::Map },
                    next: 0,
                });
                self.content(number, inner, value);
            } else {
                self.value(id, column, value);
            }
        } else if let Some((key, value)) = key_of(text) {
            if frame.kind != Kind::Map {
                return;
            }
            let id = self.add(number);
            self.index.keys.insert((parent, key), id);
            self.value(id, column, value);
        }
    }

    fn add(&mut self, line: usize) -> usize {
        self.index.entries.push(Entry {
            line,
            aliases: Vec::new(),
        });
        self.index.entries.len() - 1
    }

    /// What follows a key or a `-`: nothing (the value is on the next lines), an alias, a block
    /// scalar, a flow collection or a scalar.
    fn value(&mut self, id: usize, column: usize, text: &str) {
        let mut v = strip_comment(text).trim();
        while let Some(props) = v.strip_prefix('&').or_else(|| v.strip_prefix('!')) {
            let end = props.find([' ', '\t']).unwrap_or(props.len());
            if v.starts_with('&') {
                self.index.anchors.insert(props[..end].to_owned(), id);
            }
            v = props[end..].trim_start();
        }
        match v.chars().next() {
            None => self.pending = Some((id, column)),
            Some('*') => self.index.entries[id].aliases = vec![v[1..].trim().to_owned()],
            Some('|' | '>') => self.skip = Some(Skip::Block(column)),
            Some('[' | '{') => {
                let aliases: Vec<String> = v
                    .trim_matches(|c| matches!(c, '[' | ']'))
                    .split(',')
                    .filter_map(|a| a.trim().strip_prefix('*').map(|a| a.trim().to_owned()))
                    .collect();
                self.index.entries[id].aliases = aliases;
                let depth = flow_depth(v, 0);
                if depth > 0 {
                    self.skip = Some(Skip::Flow(depth));
                }
            }
            Some(q @ ('"' | '\'')) => {
                if !closes_quote(&v[1..], q) {
                    self.skip = Some(Skip::Quote(q));
                }
            }
            Some(_) => {}
        }
    }
}

/// Whether a line's content is a sequence item.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ") || text.starts_with("-\t")
}

/// A mapping key at the start of `text`, and the text after its colon.
fn key_of(text: &str) -> Option<(String, &str)> {
    let first = text.chars().next()?;
    let (key, after) = match first {
        '"' | '\'' => {
            let end = quote_end(&text[1..], first)? + 1;
            (text[1..end].to_owned(), &text[end + 1..])
        }
        '[' | '{' | '#' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | '?' => return None,
        _ => {
            let at = colon(text)?;
            return Some((text[..at].trim_end().to_owned(), &text[at + 1..]));
        }
    };
    let after = after.trim_start();
    let rest = after.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((key, rest))
}

/// The position of the colon that ends a plain key: followed by a space or the end of line,
/// before any comment.
fn colon(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            return None;
        }
        if b == b':' && (i + 1 == bytes.len() || matches!(bytes[i + 1], b' ' | b'\t')) {
            return Some(i);
        }
    }
    None
}

/// The byte offset of the quote that closes a quoted scalar whose content starts `text`.
fn quote_end(text: &str, quote: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let q = quote as u8;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == '"' => i += 2,
            b if b == q => {
                if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn closes_quote(text: &str, quote: char) -> bool {
    quote_end(text, quote).is_some()
}

/// `text` without a trailing `# comment` (outside quotes).
fn strip_comment(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'#') if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The bracket depth after `text`, starting from `depth`, ignoring quoted text and comments.
fn flow_depth(text: &str, mut depth: usize) -> usize {
    let mut quote = None;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'[' | b'{') => depth += 1,
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            (None, b'#') if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => break,
            _ => {}
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn line(root: &Node, path: &[&str]) -> usize {
        let mut node = root;
        for step in path {
            node = match step.parse::<usize>() {
                Ok(i) => &node.items().expect("a list")[i],
                Err(_) => node.get(step).unwrap_or_else(|| panic!("no {step}")),
            };
        }
        node.line
    }

    #[test]
    fn keys_items_and_nested_items_get_their_lines() {
        let text = "\
# a comment
services:
  web:
    image: nginx   # trailing comment
    command: >
      run this
      and: this
    ports:
    - \"80:80\"
    -   \"443:443\"
    volumes:
      - type: bind
        source: ./data
        target: /data
    environment: {A: 1,
      B: 2}
  db:
    image: postgres
";
        let root = parse(text).expect("valid");
        assert_eq!(line(&root, &["services"]), 2);
        assert_eq!(line(&root, &["services", "web", "image"]), 4);
        assert_eq!(line(&root, &["services", "web", "ports", "0"]), 9);
        assert_eq!(line(&root, &["services", "web", "ports", "1"]), 10);
        assert_eq!(
            line(&root, &["services", "web", "volumes", "0", "source"]),
            13
        );
        assert_eq!(
            line(&root, &["services", "web", "volumes", "0", "target"]),
            14
        );
        assert_eq!(line(&root, &["services", "web", "environment", "B"]), 15);
        assert_eq!(line(&root, &["services", "db", "image"]), 18);
    }

    #[test]
    fn aliased_content_points_at_the_anchor() {
        let text = "\
x-env: &env
  A: 1
  B: 2
services:
  a:
    environment: *env
  b:
    <<: [*base]
x-base: &base
  image: x
";
        // An alias used before its anchor is a YAML error; this file is only for the scanner.
        let index = LineIndex::new(text);
        assert_eq!(
            index.anchors.get("env").map(|&e| index.entries[e].line),
            Some(1)
        );
        let root = parse("x-env: &env\n  A: 1\n  B: 2\nservices:\n  a:\n    environment: *env\n")
            .expect("valid");
        assert_eq!(line(&root, &["services", "a", "environment"]), 6);
        assert_eq!(line(&root, &["services", "a", "environment", "B"]), 3);
    }

    #[test]
    fn an_anchor_on_its_own_line_names_the_value_below() {
        // As Airflow's official docker-compose.yaml writes its shared settings.
        let text =
            "x-common:\n  &common\n  image: x\n  user: \"0:0\"\nservices:\n  a:\n    <<: *common\n";
        let root = parse(text).expect("valid");
        assert_eq!(line(&root, &["services", "a", "user"]), 4);
    }

    #[test]
    fn quoted_keys_and_colons_in_values() {
        let root = parse("\"a b\": x\nc: \"http://h:1\"\n'd': 'it''s'\ne: x # c: y\nf: 1\n")
            .expect("valid");
        assert_eq!(line(&root, &["a b"]), 1);
        assert_eq!(line(&root, &["d"]), 3);
        assert_eq!(line(&root, &["f"]), 5);
    }
}
