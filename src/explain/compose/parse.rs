//! YAML into a tree of [`Node`]s with line numbers (read by [`yaml`](super::yaml)): anchors and
//! aliases expanded under a cap, merge keys (`<<`) applied, `!reset` values dropped, as Compose
//! reads a file.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use super::yaml;
use crate::yaml_budget;

/// The most values one file may expand to, aliases included. A real compose file has a few
/// thousand; an alias bomb of a few lines asks for billions.
pub const MAX_NODES: usize = 200_000;

/// One value of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    /// What it holds.
    pub value: Value<'t>,
    /// Its 1-based line: where it is written, or for a value that came through an alias or a
    /// merge key, where the anchored original is written.
    pub line: usize,
    /// The YAML tag, such as `reset` for `!reset`, if any.
    pub tag: Option<Cow<'t, str>>,
    /// The file it is written in: 0 for the file explained, else an included or extended one.
    pub file: FileId,
}

/// Which file a node or key is written in: an index into the files read, 0 being the file
/// explained.
pub type FileId = u16;

/// A YAML value. Text is borrowed from the file where it is written as it reads (most keys
/// and plain scalars), so that reading and copying aliases allocate little.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'t> {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as text.
    Number(Cow<'t, str>),
    /// A string.
    String(Cow<'t, str>),
    /// A sequence.
    Seq(Vec<Node<'t>>),
    /// A mapping, in file order; keys are text.
    Map(Vec<(Key<'t>, Node<'t>)>),
}

/// A mapping key.
#[derive(Debug, Clone, PartialEq)]
pub struct Key<'t> {
    /// The key as text.
    pub name: Cow<'t, str>,
    /// Its 1-based line.
    pub line: usize,
    /// The file it is written in.
    pub file: FileId,
}

/// Why a file could not be read as YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl<'t> Node<'t> {
    /// The scalar as text (strings, numbers and booleans).
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) | Value::Number(s) => Some(s),
            Value::Bool(true) => Some("true"),
            Value::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// The mapping's entries, if it is one.
    pub fn entries(&self) -> Option<&[(Key<'t>, Node<'t>)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The sequence's items, if it is one.
    pub fn items(&self) -> Option<&[Node<'t>]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key and value under `key`.
    pub fn entry(&self, key: &str) -> Option<(&Key<'t>, &Node<'t>)> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v))
    }

    /// Whether this is `null` (or an empty value).
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// How it is written, for messages: the scalar, or a short description.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
            _ => self.text().unwrap_or_default().to_owned(),
        }
    }
}

/// The limits the reader keeps (those of dterms' other YAML, read by the pre-scan). A real compose file
/// nests about eight levels and has a few thousand nodes; Airflow's official file, the largest
/// common one, has about 60 aliases that add about 15 KiB.
pub const BUDGET: yaml_budget::Budget = yaml_budget::Budget {
    max_depth: 64,
    max_nodes: MAX_NODES,
    max_aliases: 10_000,
    max_alias_bytes: 4 * 1024 * 1024,
};

/// Parses `text` into a tree with lines, aliases expanded (at most [`MAX_NODES`] values) and
/// merge keys applied, within [`BUDGET`].
pub fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    parse_keeping_resets(text, false)
}

/// [`parse`], but with `keep_resets` the values tagged `!reset` stay in the tree, for a merge
/// with another file (`extends`, `include`) to apply; [`drop_resets`] removes them after.
pub fn parse_keeping_resets(text: &str, keep_resets: bool) -> Result<Node<'_>, ParseError> {
    let mut root = yaml::read(text, BUDGET)?;
    merge(&mut root, keep_resets);
    Ok(root)
}

/// Every YAML document of `text` as [`parse_keeping_resets`] reads one, each with the line of
/// the `---` that starts it; one at least.
pub fn parse_documents(
    text: &str,
    keep_resets: bool,
) -> Result<Vec<(Node<'_>, usize)>, ParseError> {
    let mut documents = yaml::read_documents(text, BUDGET)?;
    for (root, _) in &mut documents {
        merge(root, keep_resets);
    }
    Ok(documents)
}

/// Whether a value is tagged `!reset`.
pub fn is_reset(node: &Node) -> bool {
    node.tag.as_deref() == Some("reset")
}

/// Removes every mapping entry whose value is tagged `!reset`.
pub fn drop_resets(node: &mut Node) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &mut node.value {
            Value::Map(entries) => {
                entries.retain(|(_, v)| !is_reset(v));
                stack.extend(entries.iter_mut().map(|(_, v)| v));
            }
            Value::Seq(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// The tree with its text copied, so that it no longer borrows the text it was read from.
pub fn into_owned(node: Node<'_>) -> Node<'static> {
    let owned = |t: Cow<'_, str>| Cow::Owned(t.into_owned());
    Node {
        value: match node.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(owned(n)),
            Value::String(s) => Value::String(owned(s)),
            Value::Seq(items) => Value::Seq(items.into_iter().map(into_owned).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = Key {
                            name: owned(k.name),
                            line: k.line,
                            file: k.file,
                        };
                        (key, into_owned(v))
                    })
                    .collect(),
            ),
        },
        line: node.line,
        tag: node.tag.map(owned),
        file: node.file,
    }
}

/// Marks every node and key of a tree as written in `file`.
pub fn set_file(node: &mut Node, file: FileId) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        node.file = file;
        match &mut node.value {
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    k.file = file;
                    stack.push(v);
                }
            }
            Value::Seq(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// How many nodes a tree holds.
pub fn size(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        count += 1;
        match &node.value {
            Value::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
            Value::Seq(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    count
}

/// Applies `<<` merge keys: the merged mapping's entries are added where the key is not
/// already present, the first merged mapping winning over later ones. Then drops `!reset`
/// unless `keep_resets`.
fn merge(node: &mut Node, keep_resets: bool) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &mut node.value {
            Value::Map(entries) => {
                // A merged mapping may carry its own `<<`: it is merged in turn, with lower
                // priority, by the next round of the loop.
                while let Some(at) = entries.iter().position(|(k, _)| k.name == "<<") {
                    let (_, merged) = entries.remove(at);
                    let sources = match merged.value {
                        Value::Map(m) => vec![m],
                        Value::Seq(items) => items
                            .into_iter()
                            .filter_map(|i| match i.value {
                                Value::Map(m) => Some(m),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    // Small mappings (nearly all) are searched; large ones hashed, to stay
                    // linear.
                    let incoming: usize = sources.iter().map(Vec::len).sum();
                    if entries.len() + incoming <= 32 {
                        for source in sources {
                            for (k, v) in source {
                                if !entries.iter().any(|(e, _)| e.name == k.name) {
                                    entries.push((k, v));
                                }
                            }
                        }
                    } else {
                        let mut present: HashSet<Cow<'_, str>> =
                            entries.iter().map(|(k, _)| k.name.clone()).collect();
                        for source in sources {
                            for (k, v) in source {
                                if present.insert(k.name.clone()) {
                                    entries.push((k, v));
                                }
                            }
                        }
                    }
                }
                if !keep_resets {
                    entries.retain(|(_, v)| !is_reset(v));
                }
                stack.extend(entries.iter_mut().map(|(_, v)| v));
            }
            Value::Seq(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_fill_in_what_is_missing() {
        // The merge example of the Compose Specification, 10-fragments.md.
        let root = parse(
            "x-common: &common\n  restart: always\n  image: base\nservices:\n  web:\n    <<: *common\n    image: web\n",
        )
        .expect("valid");
        let web = root
            .get("services")
            .and_then(|s| s.get("web"))
            .expect("web");
        assert_eq!(web.get("image").and_then(Node::text), Some("web"));
        assert_eq!(web.get("restart").and_then(Node::text), Some("always"));
        assert_eq!(web.get("restart").map(|n| n.line), Some(2));
        assert!(web.get("<<").is_none());
    }

    #[test]
    fn a_list_of_merged_mappings_lets_the_first_win() {
        let root = parse("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n").expect("valid");
        let c = root.get("c").expect("c");
        assert_eq!(c.get("x").and_then(Node::text), Some("1"));
        assert_eq!(c.get("y").and_then(Node::text), Some("2"));
    }

    #[test]
    fn reset_drops_a_value() {
        let root = parse("base: &b\n  ports: [\"80\"]\nweb:\n  <<: *b\n  ports: !reset []\n")
            .expect("valid");
        assert!(root.get("web").and_then(|w| w.get("ports")).is_none());
    }

    #[test]
    fn an_alias_bomb_stops_at_the_cap() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            let list = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{list}]\n"));
        }
        let err = parse(&text).expect_err("too big");
        assert!(err.message.contains("aliases"), "{}", err.message);
    }

    #[test]
    fn a_wide_alias_expansion_stops_at_the_node_cap() {
        let items = vec!["x"; 1000].join(", ");
        let mut text = format!("a0: &a0 [{items}]\n");
        for i in 1..4 {
            let list = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{list}]\n"));
        }
        let err = parse(&text).expect_err("too big");
        assert!(
            err.message.contains(&MAX_NODES.to_string()),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_refused_with_a_line() {
        let text = "[".repeat(10_000);
        let err = parse(&text).expect_err("too deep");
        assert!(err.line.is_some());
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse("services:\n  a: {}\n  a: {}\n").expect_err("duplicate");
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[test]
    fn scalars_keep_their_kind() {
        let root = parse("a: 8080\nb: \"8080\"\nc: true\nd:\ne: 1.5\n").expect("valid");
        assert_eq!(
            root.get("a").map(|n| &n.value),
            Some(&Value::Number("8080".into()))
        );
        assert_eq!(
            root.get("b").map(|n| &n.value),
            Some(&Value::String("8080".into()))
        );
        assert_eq!(root.get("c").map(|n| &n.value), Some(&Value::Bool(true)));
        assert_eq!(root.get("d").map(|n| &n.value), Some(&Value::Null));
        assert_eq!(root.get("e").and_then(Node::text), Some("1.5"));
    }
}
