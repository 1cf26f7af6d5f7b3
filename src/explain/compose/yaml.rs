//! A purpose-built YAML reader for compose files: block and flow collections, plain, quoted and
//! block scalars, anchors and aliases, tags and comments, with the line of every key and value.
//!
//! It reads the text once, front to back, and builds [`Node`]s directly: no event list, no
//! second pass to find lines. Scalars are typed the way yaml_serde types them (YAML 1.2 core
//! schema: `null`/`~`, `true`/`false`, integers in decimal, `0x`, `0o`, `0b`, floats). What it
//! does not read (explicit `? ` keys, collections as keys) is refused with
//! its line.
//!
//! It keeps the limits of a [`yaml_budget::Budget`] as it reads, with the pre-scan's messages,
//! so compose files need no separate pre-scan: collections nest at most `max_depth` levels; at
//! most `max_aliases` aliases, which together copy at most `max_alias_bytes` (an anchored
//! node's size is its text from the anchor to its end, plus what the aliases inside it add);
//! and at most `max_nodes` nodes, counted as aliases copy them.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::parse::{Key, Node, ParseError, Value};
use crate::yaml_budget::{Budget, Limit, is_blank, is_break, is_flow_indicator};

/// Reads `text` (one YAML document) into a tree of nodes with lines, within `budget`.
pub fn read(text: &str, budget: Budget) -> Result<Node<'_>, ParseError> {
    let mut documents = read_documents(text, budget)?;
    if documents.len() > 1 {
        let line = documents[1].1;
        return Err(ParseError {
            line: Some(line),
            message: "the file holds more than one YAML document (---); dterms reads one".into(),
        });
    }
    Ok(documents.swap_remove(0).0)
}

/// Reads every YAML document of `text` (separated by `---` lines), within one `budget` for
/// them all; each with the line of the `---` that starts it (1 for the first). Empty
/// documents are left out, but there is always at least one.
pub fn read_documents(text: &str, budget: Budget) -> Result<Vec<(Node<'_>, usize)>, ParseError> {
    let mut r = Reader {
        budget,
        aliases: 0,
        alias_bytes: 0,
        b: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        anchors: HashMap::new(),
        used: 0,
        depth: 0,
    };
    if r.b.starts_with("\u{feff}".as_bytes()) {
        r.pos = 3;
        r.line_start = 3;
    }
    r.documents()
}

/// Where a node stands: it decides what may follow on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The document's root.
    Document,
    /// After `key:`.
    MapValue,
    /// After `- `.
    SeqItem,
}

/// Why a plain scalar's first line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At the end of the line (or of the text).
    End,
    /// At a ` #` comment.
    Comment,
    /// At a `: ` (the scalar is a key).
    Colon,
}

/// A node's anchor and tag.
#[derive(Debug, Default)]
struct Props<'t> {
    /// The name, and where its `&` stands.
    anchor: Option<(&'t str, usize)>,
    tag: Option<&'t str>,
}

impl Props<'_> {
    fn is_some(&self) -> bool {
        self.anchor.is_some() || self.tag.is_some()
    }
}

/// An anchored node and how many nodes a copy of it adds.
struct Anchored<'t> {
    node: Node<'t>,
    size: usize,
    /// The bytes a copy adds to the document.
    bytes: u64,
}

struct Reader<'t> {
    b: &'t [u8],
    pos: usize,
    /// The 1-based line of `pos`.
    line: usize,
    /// Where that line starts.
    line_start: usize,
    anchors: HashMap<&'t str, Anchored<'t>>,
    /// Nodes made so far, copies of aliases included.
    used: usize,
    depth: usize,
    budget: Budget,
    aliases: usize,
    /// Bytes the aliases so far add to the document.
    alias_bytes: u64,
}

fn is_anchor_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

impl<'t> Reader<'t> {
    // ---- the cursor ----

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.pos + offset).copied()
    }

    /// Whether the byte at `offset` is a space, a line break or the end.
    fn blank_at(&self, offset: usize) -> bool {
        self.at(offset).is_none_or(|b| is_blank(b) || is_break(b))
    }

    fn col(&self) -> usize {
        self.pos - self.line_start
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        self.error_at(self.line, message)
    }

    fn error_at<T>(&self, line: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            line: Some(line),
            message: message.into(),
        })
    }

    fn text(&self, from: usize, to: usize) -> &'t str {
        // Only ever cut at ASCII bytes, so always on a character boundary.
        std::str::from_utf8(&self.b[from..to]).unwrap_or_default()
    }

    /// Moves past one line break (`\r\n` counts once).
    fn newline(&mut self) {
        if self.peek() == Some(b'\r') && self.at(1) == Some(b'\n') {
            self.pos += 1;
        }
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    fn skip_to_line_end(&mut self) {
        while self.peek().is_some_and(|b| !is_break(b)) {
            self.pos += 1;
        }
    }

    /// Whether the cursor is at a comment, a line break or the end (after blanks).
    fn at_line_end(&mut self) -> bool {
        self.skip_blanks();
        match self.peek() {
            None => true,
            Some(b) if is_break(b) => true,
            Some(b'#') => true,
            _ => false,
        }
    }

    /// Skips blanks, comments and line breaks up to the next content; false at the end.
    fn skip_to_content(&mut self) -> bool {
        loop {
            match self.peek() {
                None => return false,
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'#') => self.skip_to_line_end(),
                Some(b) if is_break(b) => self.newline(),
                Some(_) => return true,
            }
        }
    }

    /// Whether the cursor is the first content of its line, with only spaces before it.
    fn first_on_line(&self) -> bool {
        self.b[self.line_start..self.pos].iter().all(|&b| b == b' ')
    }

    /// Whether a tab stands in this line's indentation (YAML forbids it).
    fn tab_in_indentation(&self) -> bool {
        self.b[self.line_start..self.pos].contains(&b'\t')
    }

    /// A `---` or `...` at the start of a line.
    fn at_document_marker(&self) -> bool {
        self.pos == self.line_start
            && (self.b[self.pos..].starts_with(b"---") || self.b[self.pos..].starts_with(b"..."))
            && self.blank_at(3)
    }

    fn at_dash_entry(&self) -> bool {
        self.peek() == Some(b'-') && self.blank_at(1)
    }

    /// Ends the line after a value: blanks and a comment may follow, nothing else.
    fn end_line(&mut self) -> Result<(), ParseError> {
        if self.at_line_end() {
            Ok(())
        } else if self.peek() == Some(b':') && self.blank_at(1) {
            self.error("mapping values are not allowed here (a value cannot be a key too)")
        } else {
            self.error("unexpected text after the value")
        }
    }

    // ---- nodes and limits ----

    fn make(&mut self, value: Value<'t>, line: usize) -> Result<Node<'t>, ParseError> {
        self.used += 1;
        if self.used > self.budget.max_nodes {
            return self.too_many(line);
        }
        Ok(Node {
            value,
            line,
            tag: None,
            file: 0,
        })
    }

    fn too_many<T>(&self, line: usize) -> Result<T, ParseError> {
        self.error_at(
            line,
            format!(
                "the file expands to more than {} values (aliases repeat too much)",
                self.budget.max_nodes
            ),
        )
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.budget.max_depth {
            return self.error(Limit::Depth(self.budget.max_depth).to_string());
        }
        Ok(())
    }

    /// Reads `&anchor` and `!tag` properties (blanks between them skipped).
    fn props(&mut self, props: &mut Props<'t>, flow: bool) -> Result<(), ParseError> {
        loop {
            self.skip_blanks();
            match self.peek() {
                Some(b'&') => {
                    let at = self.pos;
                    self.pos += 1;
                    let name = self.anchor_name(flow)?;
                    props.anchor = Some((name, at));
                }
                Some(b'!') => {
                    let start = self.pos;
                    while self.peek().is_some_and(|b| {
                        !(is_blank(b) || is_break(b) || (flow && is_flow_indicator(b)))
                    }) {
                        self.pos += 1;
                    }
                    props.tag = Some(self.text(start, self.pos));
                }
                _ => return Ok(()),
            }
        }
    }

    /// The name after `&` or `*`, by libyaml's rule: letters, digits, `_` and `-`.
    fn anchor_name(&mut self, flow: bool) -> Result<&'t str, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(is_anchor_char) {
            self.pos += 1;
        }
        let ends = self.blank_at(0)
            || matches!(self.peek(), Some(b':' | b',' | b']' | b'}'))
            || (flow && self.peek() == Some(b'['));
        if self.pos == start || !ends {
            return self.error("an anchor or alias name is letters, digits, '_' and '-'");
        }
        Ok(self.text(start, self.pos))
    }

    /// Applies properties to a finished node: its tag, and its anchor (recording a copy). The
    /// copy counts against the node budget like the values an alias repeats: anchors nested
    /// in anchors copy the same content once per level, and a small file must not make that
    /// quadratic.
    fn finish(
        &mut self,
        mut node: Node<'t>,
        props: Props<'t>,
        before: (usize, u64),
    ) -> Result<Node<'t>, ParseError> {
        if let Some(tag) = props.tag {
            apply_tag(&mut node, tag);
        }
        if let Some((name, at)) = props.anchor {
            let size = self.used - before.0;
            self.used += size;
            if self.used > self.budget.max_nodes {
                return self.too_many(node.line);
            }
            let bytes = (self.pos.saturating_sub(at)) as u64 + (self.alias_bytes - before.1);
            self.anchors.insert(
                name,
                Anchored {
                    node: node.clone(),
                    size,
                    bytes,
                },
            );
        }
        Ok(node)
    }

    /// `*name`: a copy of the anchored node, with the alias's line.
    fn alias(&mut self, line: usize, flow: bool) -> Result<Node<'t>, ParseError> {
        self.pos += 1;
        let name = self.anchor_name(flow)?;
        let Some(anchored) = self.anchors.get(name) else {
            return self.error_at(
                line,
                format!("unknown anchor '{name}' (an alias must follow its anchor)"),
            );
        };
        self.aliases += 1;
        if self.aliases > self.budget.max_aliases {
            return self.error_at(line, Limit::Aliases(self.budget.max_aliases).to_string());
        }
        self.alias_bytes += anchored.bytes;
        if self.alias_bytes > self.budget.max_alias_bytes {
            return self.error_at(
                line,
                Limit::AliasBytes(self.budget.max_alias_bytes).to_string(),
            );
        }
        self.used += anchored.size;
        if self.used > self.budget.max_nodes {
            return self.too_many(line);
        }
        let mut node = anchored.node.clone();
        node.line = line;
        Ok(node)
    }

    // ---- documents ----

    fn documents(&mut self) -> Result<Vec<(Node<'t>, usize)>, ParseError> {
        // Directives and the start marker.
        loop {
            if !self.skip_to_content() {
                return Ok(vec![(self.make(Value::Null, 1)?, 1)]);
            }
            if self.pos == self.line_start && self.peek() == Some(b'%') {
                self.skip_to_line_end();
            } else if self.at_document_marker() && self.peek() == Some(b'-') {
                self.pos += 3;
                break;
            } else {
                break;
            }
        }
        let mut documents = vec![(self.node(-1, Context::Document, 1)?, 1)];
        while self.skip_to_content() {
            if self.at_document_marker() && self.peek() == Some(b'-') {
                let line = self.line;
                self.pos += 3;
                if self.skip_to_content() && !self.at_document_marker() {
                    // Anchors belong to their document.
                    self.anchors.clear();
                    let root = self.node(-1, Context::Document, line)?;
                    documents.push((root, line));
                }
            } else if self.at_document_marker() {
                self.pos += 3;
            } else {
                return self.error(
                    "unexpected text: it is not part of the value above (check its indentation)",
                );
            }
        }
        Ok(documents)
    }

    // ---- block context ----

    /// The node after `key:`, after `- `, or at the document's start, whose block content is
    /// indented more than `parent`. `line` is the line it is reported at.
    fn node(
        &mut self,
        parent: isize,
        context: Context,
        line: usize,
    ) -> Result<Node<'t>, ParseError> {
        let before = (self.used, self.alias_bytes);
        let mut props = Props::default();
        let mut same_line = context != Context::Document;
        loop {
            self.props(&mut props, false)?;
            if !self.at_line_end() {
                break;
            }
            // The content is on a following line, or there is none.
            if !self.skip_to_content() || self.at_document_marker() {
                let node = self.make(Value::Null, line)?;
                return self.finish(node, props, before);
            }
            let col = self.col() as isize;
            let sequence_under_key =
                context == Context::MapValue && col == parent && self.at_dash_entry();
            if col <= parent && !sequence_under_key {
                let node = self.make(Value::Null, line)?;
                return self.finish(node, props, before);
            }
            if self.tab_in_indentation() {
                return self.error("a tab is used for indentation (YAML allows only spaces)");
            }
            same_line = false;
        }
        let may_hold_mapping = !same_line || context != Context::MapValue;
        let flow = matches!(self.peek(), Some(b'{' | b'['));
        let node = self.content(parent, may_hold_mapping, line)?;
        // `- &svc image: nginx`: YAML gives the anchor (or tag) to the key `image`, not to the
        // mapping, so `<<: *svc` would merge a string, which Compose refuses. This reader keeps
        // properties for whole nodes, so it says so rather than read it another way.
        if same_line && !flow && matches!(node.value, Value::Map(_)) && props.is_some() {
            return self.error_at(
                line,
                "an anchor or tag before a key on the same line names the key, not the mapping; put it on a line of its own above the mapping",
            );
        }
        self.finish(node, props, before)
    }

    /// The content at the cursor: a block collection, a scalar, a flow collection or an alias.
    fn content(
        &mut self,
        parent: isize,
        may_hold_mapping: bool,
        line: usize,
    ) -> Result<Node<'t>, ParseError> {
        let col = self.col();
        let here = self.line;
        match self.peek() {
            Some(b'-') if self.blank_at(1) => {
                if !may_hold_mapping {
                    return self.error(
                        "a list cannot start on the line of its key (put it on the next line)",
                    );
                }
                self.block_sequence(col, line)
            }
            Some(b'?') if self.blank_at(1) => {
                self.error("explicit keys ('? ') are not supported in compose files")
            }
            Some(b'|' | b'>') => {
                let text = self.block_scalar(parent)?;
                self.make(Value::String(Cow::Owned(text)), line)
            }
            Some(b'[' | b'{') => {
                let node = self.flow_collection(line)?;
                self.after_single(node)
            }
            Some(b'*') => {
                let node = self.alias(line, false)?;
                self.after_single(node)
            }
            Some(b'"' | b'\'') => {
                let text = self.quoted()?;
                self.skip_blanks();
                if self.peek() == Some(b':') && self.blank_at(1) {
                    if !may_hold_mapping {
                        return self.error(
                            "mapping values are not allowed here (a value cannot be a key too)",
                        );
                    }
                    self.pos += 1;
                    return self.block_mapping(col, text, here, line);
                }
                self.end_line()?;
                self.make(Value::String(text), line)
            }
            Some(b'@' | b'`') => self.error("'@' and '`' cannot start a value (quote it)"),
            _ => {
                let (first, stop) = self.plain_first_line(false)?;
                match stop {
                    Stop::Colon => {
                        if !may_hold_mapping {
                            return self.error(
                                "mapping values are not allowed here (a value cannot be a key too)",
                            );
                        }
                        let key = key_name(first);
                        self.pos += 1;
                        self.block_mapping(col, key, here, line)
                    }
                    Stop::Comment => {
                        let value = resolve(first);
                        self.make(value, line)
                    }
                    Stop::End => {
                        let text = self.plain_continuation(first, parent)?;
                        let value = match text {
                            Some(folded) => Value::String(Cow::Owned(folded)),
                            None => resolve(first),
                        };
                        self.make(value, line)
                    }
                }
            }
        }
    }

    /// After a flow collection or an alias in block context: the line must end (a key here
    /// would be a collection or an alias used as a key, which compose files never need).
    fn after_single(&mut self, node: Node<'t>) -> Result<Node<'t>, ParseError> {
        self.skip_blanks();
        if self.peek() == Some(b':') && self.blank_at(1) {
            return self.error("a mapping key must be a plain value");
        }
        self.end_line()?;
        Ok(node)
    }

    /// A block mapping at `col`, whose first key has been read up to and including its `:`.
    fn block_mapping(
        &mut self,
        col: usize,
        first: Cow<'t, str>,
        first_line: usize,
        line: usize,
    ) -> Result<Node<'t>, ParseError> {
        self.enter()?;
        let mut map = self.make(Value::Null, line)?;
        let mut entries: Vec<(Key<'t>, Node<'t>)> = Vec::new();
        let mut seen: Option<HashSet<Cow<'t, str>>> = None;
        let (mut name, mut key_line) = (first, first_line);
        loop {
            // A key counts as a value, as the library counted it.
            self.used += 1;
            let value = self.node(col as isize, Context::MapValue, key_line)?;
            if is_duplicate(&entries, &mut seen, &name) {
                return self.error_at(key_line, format!("duplicate key '{name}'"));
            }
            entries.push((
                Key {
                    name,
                    line: key_line,
                    file: 0,
                },
                value,
            ));
            if !self.skip_to_content() || self.at_document_marker() {
                break;
            }
            let here = self.col();
            if here < col {
                break;
            }
            if here > col || !self.first_on_line() {
                return self.error("this line is indented more than the keys above it");
            }
            if self.tab_in_indentation() {
                return self.error("a tab is used for indentation (YAML allows only spaces)");
            }
            key_line = self.line;
            name = self.block_key()?;
        }
        map.value = Value::Map(entries);
        self.depth -= 1;
        Ok(map)
    }

    /// A key of a block mapping and its `:`.
    fn block_key(&mut self) -> Result<Cow<'t, str>, ParseError> {
        let name = match self.peek() {
            Some(b'"' | b'\'') => {
                let text = self.quoted()?;
                self.skip_blanks();
                text
            }
            Some(b'-') if self.blank_at(1) => {
                return self.error("a list item where a key was expected (check the indentation)");
            }
            Some(b'?') if self.blank_at(1) => {
                return self.error("explicit keys ('? ') are not supported in compose files");
            }
            Some(b'[' | b'{' | b'*' | b'&' | b'!' | b'|' | b'>') => {
                return self.error("a mapping key must be a plain value");
            }
            _ => {
                let (text, stop) = self.plain_first_line(false)?;
                if stop != Stop::Colon {
                    return self.error("expected 'key: value' (a ':' after the key)");
                }
                key_name(text)
            }
        };
        if self.peek() != Some(b':') || !self.blank_at(1) {
            return self.error("expected 'key: value' (a ':' after the key)");
        }
        self.pos += 1;
        Ok(name)
    }

    /// A block sequence whose first `- ` is at the cursor, at `col`.
    fn block_sequence(&mut self, col: usize, line: usize) -> Result<Node<'t>, ParseError> {
        self.enter()?;
        let mut seq = self.make(Value::Null, line)?;
        let mut items = Vec::new();
        loop {
            let item_line = self.line;
            self.pos += 1;
            items.push(self.node(col as isize, Context::SeqItem, item_line)?);
            if !self.skip_to_content() || self.at_document_marker() {
                break;
            }
            let here = self.col();
            if here < col || !self.at_dash_entry() {
                if here > col {
                    return self.error("this line is indented more than the list items above it");
                }
                break;
            }
            if here > col || !self.first_on_line() {
                return self.error("this line is indented more than the list items above it");
            }
        }
        seq.value = Value::Seq(items);
        self.depth -= 1;
        Ok(seq)
    }

    // ---- scalars ----

    /// The first line of a plain scalar, up to the end of the line, a ` #` comment, or a `: `
    /// (in flow context also `,[]{}`). The cursor stops at what ended it.
    fn plain_first_line(&mut self, flow: bool) -> Result<(&'t str, Stop), ParseError> {
        let start = self.pos;
        let stop = loop {
            match self.peek() {
                None => break Stop::End,
                Some(b) if is_break(b) => break Stop::End,
                Some(b':')
                    if self.blank_at(1) || (flow && self.at(1).is_some_and(is_flow_indicator)) =>
                {
                    break Stop::Colon;
                }
                Some(b'#') if self.pos > start && is_blank(self.b[self.pos - 1]) => {
                    break Stop::Comment;
                }
                Some(b) if flow && is_flow_indicator(b) => break Stop::End,
                Some(_) => self.pos += 1,
            }
        };
        let text = self.text(start, self.pos).trim_end_matches([' ', '\t']);
        Ok((text, stop))
    }

    /// The lines that continue a plain scalar (indented more than `parent`), folded into it;
    /// `None` when it has none. The cursor stays at the end of the scalar's last line.
    fn plain_continuation(
        &mut self,
        first: &str,
        parent: isize,
    ) -> Result<Option<String>, ParseError> {
        let mut folded: Option<String> = None;
        loop {
            let (pos, line, line_start) = (self.pos, self.line, self.line_start);
            let mut breaks = 0;
            while self.peek().is_some_and(is_break) {
                self.newline();
                breaks += 1;
                self.skip_blanks();
            }
            let continues = breaks > 0
                && self.peek().is_some_and(|b| b != b'#')
                && self.col() as isize > parent
                && !self.at_document_marker();
            if !continues {
                (self.pos, self.line, self.line_start) = (pos, line, line_start);
                return Ok(folded);
            }
            let (more, stop) = self.plain_first_line(false)?;
            if stop == Stop::Colon {
                return self
                    .error("mapping values are not allowed here (a value cannot be a key too)");
            }
            let text = folded.get_or_insert_with(|| first.to_owned());
            if breaks == 1 {
                text.push(' ');
            } else {
                for _ in 1..breaks {
                    text.push('\n');
                }
            }
            text.push_str(more);
            if stop == Stop::Comment {
                return Ok(folded);
            }
        }
    }

    /// A single- or double-quoted scalar at the cursor, over as many lines as it takes.
    fn quoted(&mut self) -> Result<Cow<'t, str>, ParseError> {
        let quote = self.b[self.pos];
        let opened = self.line;
        self.pos += 1;
        let mut out = String::new();
        let start = self.pos;
        let mut run = self.pos;
        loop {
            let Some(b) = self.peek() else {
                return self.error_at(opened, "a quoted value is not closed");
            };
            match b {
                // Nothing escaped or folded: the text as it stands in the file.
                _ if b == quote
                    && run == start
                    && !(quote == b'\'' && self.at(1) == Some(b'\'')) =>
                {
                    let text = self.text(start, self.pos);
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                _ if b == quote => {
                    out.push_str(self.text(run, self.pos));
                    if quote == b'\'' && self.at(1) == Some(b'\'') {
                        out.push('\'');
                        self.pos += 2;
                        run = self.pos;
                        continue;
                    }
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' if quote == b'"' => {
                    out.push_str(self.text(run, self.pos));
                    self.pos += 1;
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                b'\n' | b'\r' => {
                    out.push_str(self.text(run, self.pos));
                    let kept = out.trim_end_matches([' ', '\t']).len();
                    out.truncate(kept);
                    self.fold_lines(&mut out);
                    run = self.pos;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// At a line break inside a quoted scalar: one break becomes a space, each empty line a
    /// line feed; the next line's leading blanks go.
    fn fold_lines(&mut self, out: &mut String) {
        let mut breaks = 0;
        while self.peek().is_some_and(is_break) {
            self.newline();
            breaks += 1;
            self.skip_blanks();
        }
        if breaks == 1 {
            out.push(' ');
        } else {
            for _ in 1..breaks {
                out.push('\n');
            }
        }
    }

    /// One escape of a double-quoted scalar, after its `\`.
    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let Some(b) = self.peek() else {
            return self.error("a quoted value is not closed");
        };
        self.pos += 1;
        let c = match b {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' | b'\t' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let len = match b {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let digits = self.b.get(self.pos..self.pos + len).unwrap_or_default();
                let code = std::str::from_utf8(digits)
                    .ok()
                    .filter(|d| d.len() == len)
                    .and_then(|d| u32::from_str_radix(d, 16).ok())
                    .and_then(char::from_u32);
                let Some(c) = code else {
                    return self.error("an escape (\\x, \\u or \\U) is not a valid character code");
                };
                self.pos += len;
                c
            }
            b'\n' | b'\r' => {
                // An escaped line break: the lines join with nothing between them.
                self.pos -= 1;
                self.newline();
                while self.peek().is_some_and(|b| is_blank(b) || is_break(b)) {
                    if self.peek().is_some_and(is_break) {
                        self.newline();
                        out.push('\n');
                    } else {
                        self.pos += 1;
                    }
                }
                return Ok(());
            }
            _ => return self.error("an unknown escape in a double-quoted value"),
        };
        out.push(c);
        Ok(())
    }

    /// A literal (`|`) or folded (`>`) block scalar, its header at the cursor; its lines are
    /// indented more than `parent`.
    fn block_scalar(&mut self, parent: isize) -> Result<String, ParseError> {
        let literal = self.b[self.pos] == b'|';
        self.pos += 1;
        let mut chomp = b' ';
        let mut explicit = None;
        for _ in 0..2 {
            match self.peek() {
                Some(c @ (b'+' | b'-')) if chomp == b' ' => {
                    chomp = c;
                    self.pos += 1;
                }
                Some(d @ b'1'..=b'9') if explicit.is_none() => {
                    explicit = Some(usize::from(d - b'0'));
                    self.pos += 1;
                }
                _ => {}
            }
        }
        if !self.at_line_end() {
            return self.error("a block scalar header (| or >) is followed by text");
        }
        self.skip_to_line_end();
        let base = parent.max(0) as usize;
        // The lines: (text without indentation) until one is indented too little.
        let mut lines: Vec<&'t str> = Vec::new();
        let mut indent = explicit.map(|d| if parent < 0 { d - 1 } else { base + d });
        loop {
            let (pos, line, line_start) = (self.pos, self.line, self.line_start);
            if self.peek().is_none() {
                break;
            }
            self.newline();
            let start = self.pos;
            while self.peek() == Some(b' ') {
                self.pos += 1;
            }
            let spaces = self.pos - start;
            let blank = self.b[self.pos..]
                .iter()
                .take_while(|&&b| !is_break(b))
                .all(|&b| is_blank(b));
            if blank {
                self.skip_to_line_end();
                let end = self.pos;
                let text = match indent {
                    Some(n) if spaces > n => self.text(start + n, end).trim_end_matches('\r'),
                    _ => "",
                };
                lines.push(text);
                continue;
            }
            let n = *indent.get_or_insert(spaces);
            if spaces < n
                || (spaces as isize) <= parent
                || (spaces == 0 && self.at_document_marker())
            {
                (self.pos, self.line, self.line_start) = (pos, line, line_start);
                break;
            }
            self.skip_to_line_end();
            lines.push(self.text(start + n, self.pos).trim_end_matches('\r'));
        }
        // Trailing empty lines belong to chomping, not to the content.
        let content = lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(0, |i| i + 1);
        let trailing = lines.len() - content;
        let mut out = String::new();
        if literal {
            for (i, l) in lines[..content].iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(l);
            }
        } else {
            fold(&lines[..content], &mut out);
        }
        match chomp {
            b'-' => {}
            b'+' => {
                if content > 0 {
                    out.push('\n');
                }
                for _ in 0..trailing {
                    out.push('\n');
                }
            }
            _ => {
                if content > 0 {
                    out.push('\n');
                }
            }
        }
        Ok(out)
    }

    // ---- flow context ----

    /// Skips blanks, line breaks and comments inside a flow collection.
    fn skip_flow_space(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'#') if self.pos == 0 || !self.b[self.pos - 1].is_ascii_graphic() => {
                    self.skip_to_line_end();
                }
                Some(b) if is_break(b) => self.newline(),
                _ => return,
            }
        }
    }

    /// A flow collection (`[…]` or `{…}`) at the cursor.
    fn flow_collection(&mut self, line: usize) -> Result<Node<'t>, ParseError> {
        self.enter()?;
        let opened = self.line;
        let open = self.b[self.pos];
        let close = if open == b'[' { b']' } else { b'}' };
        self.pos += 1;
        let mut node = self.make(Value::Null, line)?;
        let mut items = Vec::new();
        let mut entries: Vec<(Key<'t>, Node<'t>)> = Vec::new();
        let mut seen: Option<HashSet<Cow<'t, str>>> = None;
        loop {
            self.skip_flow_space();
            match self.peek() {
                None => {
                    return self.error_at(opened, format!("'{}' is never closed", open as char));
                }
                Some(b) if b == close => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let item_line = self.line;
            // After a quoted key, a ':' is the separator even without a space ({"a":1}).
            let quoted = matches!(self.peek(), Some(b'"' | b'\''));
            let key = self.flow_node(item_line)?;
            self.skip_flow_space();
            let is_pair = self.peek() == Some(b':')
                && (quoted || self.blank_at(1) || self.at(1).is_some_and(is_flow_indicator));
            let pair = if is_pair {
                self.pos += 1;
                self.skip_flow_space();
                let value = match self.peek() {
                    Some(b',') | None => self.make(Value::Null, item_line)?,
                    Some(b) if b == close => self.make(Value::Null, item_line)?,
                    _ => self.flow_node(item_line)?,
                };
                Some(value)
            } else {
                None
            };
            if open == b'{' {
                let name = match key.value {
                    Value::String(t) | Value::Number(t) => t,
                    Value::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
                    Value::Null => Cow::Borrowed("null"),
                    _ => return self.error_at(item_line, "a mapping key must be a plain value"),
                };
                let value = match pair {
                    Some(v) => v,
                    None => self.make(Value::Null, item_line)?,
                };
                if is_duplicate(&entries, &mut seen, &name) {
                    return self.error_at(item_line, format!("duplicate key '{name}'"));
                }
                entries.push((
                    Key {
                        name,
                        line: item_line,
                        file: 0,
                    },
                    value,
                ));
            } else if let Some(value) = pair {
                let name = match key.value {
                    Value::String(t) | Value::Number(t) => t,
                    Value::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
                    Value::Null => Cow::Borrowed("null"),
                    _ => return self.error_at(item_line, "a mapping key must be a plain value"),
                };
                let mut single = self.make(Value::Null, item_line)?;
                single.value = Value::Map(vec![(
                    Key {
                        name,
                        line: item_line,
                        file: 0,
                    },
                    value,
                )]);
                items.push(single);
            } else {
                items.push(key);
            }
            self.skip_flow_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {}
                None => {
                    return self.error_at(opened, format!("'{}' is never closed", open as char));
                }
                Some(_) => {
                    return self.error(format!(
                        "expected ',' or '{}' in a flow collection",
                        close as char
                    ));
                }
            }
        }
        node.value = if open == b'[' {
            Value::Seq(items)
        } else {
            Value::Map(entries)
        };
        self.depth -= 1;
        Ok(node)
    }

    /// One node inside a flow collection.
    fn flow_node(&mut self, line: usize) -> Result<Node<'t>, ParseError> {
        let before = (self.used, self.alias_bytes);
        let mut props = Props::default();
        self.props(&mut props, true)?;
        self.skip_flow_space();
        let node = match self.peek() {
            Some(b'[' | b'{') => self.flow_collection(line)?,
            Some(b'*') => self.alias(line, true)?,
            Some(b'"' | b'\'') => {
                let text = self.quoted()?;
                self.make(Value::String(text), line)?
            }
            None | Some(b',' | b']' | b'}') => self.make(Value::Null, line)?,
            Some(b':')
                if !self
                    .at(1)
                    .is_some_and(|b| !is_blank(b) && !is_break(b) && !is_flow_indicator(b)) =>
            {
                self.make(Value::Null, line)?
            }
            Some(b'@' | b'`') => return self.error("'@' and '`' cannot start a value (quote it)"),
            _ => {
                let value = self.plain_flow()?;
                self.make(value, line)?
            }
        };
        self.finish(node, props, before)
    }

    /// A plain scalar in a flow collection, over several lines if need be.
    fn plain_flow(&mut self) -> Result<Value<'t>, ParseError> {
        let (first, stop) = self.plain_first_line(true)?;
        if stop != Stop::End || self.peek().is_none_or(|b| !is_break(b)) {
            return Ok(resolve(first));
        }
        let mut text: Option<String> = None;
        loop {
            let (pos, line, line_start) = (self.pos, self.line, self.line_start);
            let mut breaks = 0;
            while self.peek().is_some_and(is_break) {
                self.newline();
                breaks += 1;
                self.skip_blanks();
            }
            let continues = breaks > 0
                && self.peek().is_some_and(|b| {
                    b != b'#' && !is_flow_indicator(b) && !(b == b':' && self.blank_at(1))
                });
            if !continues {
                (self.pos, self.line, self.line_start) = (pos, line, line_start);
                break;
            }
            let (more, stop) = self.plain_first_line(true)?;
            let t = text.get_or_insert_with(|| first.to_owned());
            if breaks == 1 {
                t.push(' ');
            } else {
                for _ in 1..breaks {
                    t.push('\n');
                }
            }
            t.push_str(more);
            if stop != Stop::End || self.peek().is_none_or(|b| !is_break(b)) {
                break;
            }
        }
        Ok(match text {
            Some(t) => Value::String(Cow::Owned(t)),
            None => resolve(first),
        })
    }
}

/// Folds the lines of a `>` scalar: lines join with a space, an empty line is a line feed, and
/// more-indented lines keep their breaks.
fn fold(lines: &[&str], out: &mut String) {
    let mut empty = 0;
    let mut previous_more = false;
    let mut first = true;
    for l in lines {
        if l.is_empty() {
            empty += 1;
            continue;
        }
        let more = l.starts_with([' ', '\t']);
        if first {
            for _ in 0..empty {
                out.push('\n');
            }
        } else if more || previous_more {
            for _ in 0..=empty {
                out.push('\n');
            }
        } else if empty == 0 {
            out.push(' ');
        } else {
            for _ in 0..empty {
                out.push('\n');
            }
        }
        out.push_str(l);
        previous_more = more;
        first = false;
        empty = 0;
    }
}

/// Whether `name` is a key of `entries` already. Small mappings are searched; a large one
/// builds a set once, so a mapping of many keys stays linear.
// The name is a Cow, not a &str, so that the set keeps a borrowed name without copying it.
#[allow(clippy::ptr_arg)]
fn is_duplicate<'t>(
    entries: &[(Key<'t>, Node<'t>)],
    seen: &mut Option<HashSet<Cow<'t, str>>>,
    name: &Cow<'t, str>,
) -> bool {
    const SEARCHED: usize = 16;
    if entries.len() < SEARCHED {
        return entries.iter().any(|(k, _)| k.name == *name);
    }
    let set = seen.get_or_insert_with(|| entries.iter().map(|(k, _)| k.name.clone()).collect());
    !set.insert(name.clone())
}

/// A plain key as text: a number or boolean key as it reads back, a null key as `null`.
fn key_name(text: &str) -> Cow<'_, str> {
    match resolve(text) {
        Value::Null => Cow::Borrowed("null"),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        Value::Number(n) | Value::String(n) => n,
        Value::Seq(_) | Value::Map(_) => Cow::Borrowed(text),
    }
}

/// Sets a node's tag: a local tag (`!reset`) is kept without its `!`; `!!str` makes a plain
/// scalar text again; other standard tags leave the value as resolved.
fn apply_tag<'t>(node: &mut Node<'t>, tag: &'t str) {
    if let Some(standard) = tag.strip_prefix("!!") {
        if standard == "str"
            && let Value::Number(t) = &node.value
        {
            node.value = Value::String(t.clone());
        }
        if standard == "str" && matches!(node.value, Value::Bool(_) | Value::Null) {
            let text = match node.value {
                Value::Bool(true) => "true",
                Value::Bool(false) => "false",
                _ => "",
            };
            node.value = Value::String(Cow::Borrowed(text));
        }
        return;
    }
    if let Some(local) = tag.strip_prefix('!')
        && !local.is_empty()
        && !local.starts_with('<')
    {
        node.tag = Some(Cow::Borrowed(local));
    }
}

/// Types a plain scalar as yaml_serde does: null, boolean, integer, float, else text.
pub fn resolve(text: &str) -> Value<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::String(Cow::Borrowed(text));
    }
    if let Some(n) = integer(text) {
        // Plain decimal digits read back as written.
        if n == text {
            return Value::Number(Cow::Borrowed(text));
        }
        return Value::Number(Cow::Owned(n));
    }
    if !digits_but_not_number(text)
        && let Some(f) = float(text)
    {
        return Value::Number(Cow::Owned(f.to_string()));
    }
    Value::String(Cow::Borrowed(text))
}

/// Leading zeros followed by digits: text in YAML 1.2, not an octal number.
fn digits_but_not_number(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    t.len() > 1 && t.starts_with('0') && t[1..].bytes().all(|b| b.is_ascii_digit())
}

/// An integer in yaml_serde's forms, as decimal text.
fn integer(text: &str) -> Option<String> {
    let (negative, rest) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if rest.starts_with(['+', '-']) {
        return None;
    }
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b") {
        (2, d)
    } else {
        if digits_but_not_number(text) {
            return None;
        }
        (10, rest)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if negative {
        let value = i128::try_from(magnitude).ok().map(|m| -m)?;
        Some(value.to_string())
    } else {
        Some(magnitude.to_string())
    }
}

/// A float in yaml_serde's forms.
fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // Rust also reads "inf", "nan" and "infinity", which YAML does not.
    if unsigned
        .bytes()
        .any(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+')))
    {
        return None;
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::super::parse::{BUDGET, parse};
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

    fn scalar<'a>(root: &'a Node, path: &[&str]) -> &'a str {
        let mut node = root;
        for step in path {
            node = match step.parse::<usize>() {
                Ok(i) => &node.items().expect("a list")[i],
                Err(_) => node.get(step).unwrap_or_else(|| panic!("no {step}")),
            };
        }
        node.text()
            .unwrap_or_else(|| panic!("{path:?} is not a scalar"))
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
        assert_eq!(text_of(&root, "services.web.image"), "nginx");
        assert_eq!(
            text_of(&root, "services.web.command"),
            "run this and: this\n"
        );
        assert_eq!(line(&root, &["services", "web", "ports", "0"]), 9);
        assert_eq!(line(&root, &["services", "web", "ports", "1"]), 10);
        assert_eq!(scalar(&root, &["services", "web", "ports", "1"]), "443:443");
        assert_eq!(
            line(&root, &["services", "web", "volumes", "0", "source"]),
            13
        );
        assert_eq!(
            line(&root, &["services", "web", "volumes", "0", "target"]),
            14
        );
        // Inside a flow mapping over two lines, B has its own line (the old line index gave
        // the line of the key above).
        assert_eq!(line(&root, &["services", "web", "environment", "B"]), 16);
        assert_eq!(line(&root, &["services", "db", "image"]), 18);
    }

    fn text_of<'a>(root: &'a Node, dotted: &str) -> &'a str {
        let path: Vec<&str> = dotted.split('.').collect();
        scalar(root, &path)
    }

    #[test]
    fn aliased_content_points_at_the_anchor() {
        let root = parse("x-env: &env\n  A: 1\n  B: 2\nservices:\n  a:\n    environment: *env\n")
            .expect("valid");
        assert_eq!(line(&root, &["services", "a", "environment"]), 6);
        assert_eq!(line(&root, &["services", "a", "environment", "B"]), 3);
        let err = parse("a: *nowhere\nb: &nowhere x\n").expect_err("alias before anchor");
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn an_anchor_on_its_own_line_names_the_value_below() {
        // As Airflow's official docker-compose.yaml writes its shared settings.
        let text =
            "x-common:\n  &common\n  image: x\n  user: \"0:0\"\nservices:\n  a:\n    <<: *common\n";
        let root = parse(text).expect("valid");
        assert_eq!(line(&root, &["services", "a", "user"]), 4);
        assert_eq!(scalar(&root, &["services", "a", "user"]), "0:0");
    }

    #[test]
    fn quoted_keys_and_colons_in_values() {
        let root = parse("\"a b\": x\nc: \"http://h:1\"\n'd': 'it''s'\ne: x # c: y\nf: 1\n")
            .expect("valid");
        assert_eq!(line(&root, &["a b"]), 1);
        assert_eq!(line(&root, &["d"]), 3);
        assert_eq!(scalar(&root, &["d"]), "it's");
        assert_eq!(scalar(&root, &["c"]), "http://h:1");
        assert_eq!(scalar(&root, &["e"]), "x");
        assert_eq!(line(&root, &["f"]), 5);
    }

    #[test]
    fn a_list_under_a_key_may_stand_at_the_key_column() {
        let root = parse("a:\n- x\n- y\nb: z\n").expect("valid");
        assert_eq!(scalar(&root, &["a", "1"]), "y");
        assert_eq!(line(&root, &["a", "1"]), 3);
        assert_eq!(line(&root, &["b"]), 4);
    }

    #[test]
    fn compact_nested_lists_and_mappings_in_items() {
        let root = parse("- - a\n  - b\n- k: 1\n  l: 2\n-\n  m: 3\n- \n").expect("valid");
        assert_eq!(scalar(&root, &["0", "1"]), "b");
        assert_eq!(scalar(&root, &["1", "l"]), "2");
        assert_eq!(line(&root, &["1", "l"]), 4);
        assert_eq!(scalar(&root, &["2", "m"]), "3");
        assert!(root.items().expect("list")[3].is_null());
    }

    #[test]
    fn block_scalars_keep_or_fold_lines_and_chomp() {
        let root = parse(
            "a: |\n  one\n   two\n\n  three\nb: >-\n  one\n  two\n\n  three\n\nc: |+\n  x\n\nd: >\n  p\n    indented\n  q\ne: |2\n    two more\nf: |\ng: x\n",
        )
        .expect("valid");
        assert_eq!(scalar(&root, &["a"]), "one\n two\n\nthree\n");
        assert_eq!(scalar(&root, &["b"]), "one two\nthree");
        assert_eq!(scalar(&root, &["c"]), "x\n\n");
        assert_eq!(scalar(&root, &["d"]), "p\n  indented\nq\n");
        assert_eq!(scalar(&root, &["e"]), "  two more\n");
        assert_eq!(scalar(&root, &["f"]), "");
        assert_eq!(line(&root, &["g"]), 22);
    }

    #[test]
    fn quoted_scalars_unescape_and_fold() {
        let root = parse(
            "a: \"tab\\there \\u00e9 \\x41 \\\"q\\\"\"\nb: 'one\n  two\n\n  three'\nc: \"join\\\n  ed\"\n",
        )
        .expect("valid");
        assert_eq!(scalar(&root, &["a"]), "tab\there é A \"q\"");
        assert_eq!(scalar(&root, &["b"]), "one two\nthree");
        assert_eq!(scalar(&root, &["c"]), "joined");
        assert_eq!(line(&root, &["c"]), 6);
    }

    #[test]
    fn plain_scalars_continue_on_more_indented_lines() {
        let root = parse("a: one\n  two\n\n  three\nb: x # not: a key\n").expect("valid");
        assert_eq!(scalar(&root, &["a"]), "one two\nthree");
        assert_eq!(scalar(&root, &["b"]), "x");
    }

    #[test]
    fn flow_collections_over_lines_with_comments_and_pairs() {
        let root = parse(
            "a: [x, \"y\", {k: v, \"j\":1}, [z],\n   # a comment\n   w]\nb: {p: 1, q}\nc: [k: v, http://h:80]\nd: []\n",
        )
        .expect("valid");
        assert_eq!(scalar(&root, &["a", "1"]), "y");
        assert_eq!(scalar(&root, &["a", "2", "j"]), "1");
        assert_eq!(scalar(&root, &["a", "3", "0"]), "z");
        assert_eq!(scalar(&root, &["a", "4"]), "w");
        assert_eq!(line(&root, &["a", "4"]), 3);
        assert!(
            root.get("b")
                .and_then(|b| b.get("q"))
                .is_some_and(Node::is_null)
        );
        assert_eq!(scalar(&root, &["c", "0", "k"]), "v");
        assert_eq!(scalar(&root, &["c", "1"]), "http://h:80");
        assert_eq!(
            root.get("d").and_then(Node::items).map(<[Node]>::len),
            Some(0)
        );
    }

    #[test]
    fn tags_are_kept_and_standard_ones_applied() {
        let text = "a: !reset []\nb: !override\n  - x\nc: !!str 8080\nd: !reset\n";
        assert!(
            parse(text).expect("valid").get("d").is_none(),
            "!reset drops the key"
        );
        let root = read(text, BUDGET).expect("valid");
        assert_eq!(root.get("a").and_then(|n| n.tag.as_deref()), Some("reset"));
        assert_eq!(
            root.get("b").and_then(|n| n.tag.as_deref()),
            Some("override")
        );
        assert_eq!(scalar(&root, &["b", "0"]), "x");
        assert_eq!(
            root.get("c").map(|n| &n.value),
            Some(&Value::String("8080".into()))
        );
        assert_eq!(root.get("d").and_then(|n| n.tag.as_deref()), Some("reset"));
    }

    #[test]
    fn scalars_are_typed_as_yaml_serde_types_them() {
        for (text, value) in [
            ("~", Value::Null),
            ("Null", Value::Null),
            ("TRUE", Value::Bool(true)),
            ("yes", Value::String("yes".into())),
            ("0x1f", Value::Number("31".into())),
            ("-0o10", Value::Number("-8".into())),
            ("010", Value::String("010".into())),
            ("+5", Value::Number("5".into())),
            ("1e3", Value::Number("1000".into())),
            (".5", Value::Number("0.5".into())),
            ("inf", Value::String("inf".into())),
            ("-.inf", Value::Number("-inf".into())),
            ("8080:80", Value::String("8080:80".into())),
            ("1.2.3", Value::String("1.2.3".into())),
        ] {
            assert_eq!(resolve(text), value, "{text}");
        }
    }

    #[test]
    fn documents_markers_and_directives() {
        let root = parse("%YAML 1.2\n---\na: 1\n...\n").expect("valid");
        assert_eq!(scalar(&root, &["a"]), "1");
        assert_eq!(line(&root, &["a"]), 3);
        let err = parse("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!(err.line, Some(2));
        let docs = read_documents("a: &x 1\n---\n---\nb: 2\n...\n--- \nc: 3\n", BUDGET)
            .expect("three documents");
        let starts: Vec<usize> = docs.iter().map(|(_, line)| *line).collect();
        assert_eq!(starts, [1, 3, 6]);
        assert_eq!(line(&docs[2].0, &["c"]), 7);
        // Anchors belong to their document.
        assert!(read_documents("a: &x 1\n---\nb: *x\n", BUDGET).is_err());
        assert!(parse("\u{feff}a: 1\r\nb: 2\r\n").is_ok_and(|r| r.get("b").is_some()));
    }

    #[test]
    fn broken_yaml_is_refused_with_its_line() {
        for (text, line) in [
            ("a: [x, y\n", 1),
            ("a: \"open\nb: 1\n", 1),
            ("a: 1\n  b: 2\n", 2),
            ("a: b: c\n", 1),
            ("a:\n  - x\n  y: 1\n", 3),
            ("a: 1\nb\n", 2),
            ("a:\n\tb: 1\n", 2),
            ("a: x\n  b: y\n", 2),
            ("? a\n: b\n", 1),
            ("a: \"\\q\"\n", 1),
            ("[a]: b\n", 1),
        ] {
            let err = parse(text).expect_err(text);
            assert_eq!(err.line, Some(line), "{text:?}: {}", err.message);
        }
    }

    /// A value written the same way whichever reader produced it, lines and tags left out.
    fn canonical(node: &Node, out: &mut String) {
        match &node.value {
            Value::Null => out.push('~'),
            Value::Bool(b) => out.push_str(if *b { "B:true" } else { "B:false" }),
            Value::Number(n) => {
                out.push_str("N:");
                out.push_str(n);
            }
            Value::String(t) => {
                out.push_str("S:");
                out.push_str(&format!("{t:?}"));
            }
            Value::Seq(items) => {
                out.push('[');
                for item in items {
                    canonical(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::Map(entries) => {
                out.push('{');
                for (k, v) in entries {
                    out.push_str(&format!("{:?}=", k.name));
                    canonical(v, out);
                    out.push(',');
                }
                out.push('}');
            }
        }
    }

    fn canonical_serde(value: &serde_yaml::Value, out: &mut String) {
        use serde_yaml::Value as V;
        match value {
            V::Null => out.push('~'),
            V::Bool(b) => out.push_str(if *b { "B:true" } else { "B:false" }),
            V::Number(n) => {
                out.push_str("N:");
                match n.as_f64() {
                    Some(f) if !n.is_i64() && !n.is_u64() => out.push_str(&f.to_string()),
                    _ => out.push_str(&n.to_string()),
                }
            }
            V::String(t) => {
                out.push_str("S:");
                out.push_str(&format!("{t:?}"));
            }
            V::Sequence(items) => {
                out.push('[');
                for item in items {
                    canonical_serde(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            V::Mapping(entries) => {
                out.push('{');
                for (k, v) in entries {
                    let name = match k {
                        V::String(t) => t.clone(),
                        V::Null => "null".to_owned(),
                        V::Bool(b) => b.to_string(),
                        V::Number(_) => {
                            let mut n = String::new();
                            canonical_serde(k, &mut n);
                            n[2..].to_owned()
                        }
                        _ => "?".to_owned(),
                    };
                    out.push_str(&format!("{name:?}="));
                    canonical_serde(v, out);
                    out.push(',');
                }
                out.push('}');
            }
            V::Tagged(tagged) => canonical_serde(&tagged.value, out),
        }
    }

    /// Reads `text` with this reader and with yaml_serde: both accept it and agree on every
    /// value, or both refuse it.
    fn same_as_yaml_serde(name: &str, text: &str) -> Result<(), String> {
        let ours = read(text, BUDGET);
        let theirs = serde_yaml::from_str::<serde_yaml::Value>(text);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                let (mut x, mut y) = (String::new(), String::new());
                canonical(&a, &mut x);
                canonical_serde(&b, &mut y);
                if x == y {
                    Ok(())
                } else {
                    let at = x.bytes().zip(y.bytes()).take_while(|(a, b)| a == b).count();
                    let from = at.saturating_sub(60);
                    Err(format!(
                        "{name}: values differ\n ours:   {}\n theirs: {}",
                        x.get(from..(at + 60).min(x.len())).unwrap_or(""),
                        y.get(from..(at + 60).min(y.len())).unwrap_or("")
                    ))
                }
            }
            (Err(_), Err(_)) => Ok(()),
            (Ok(_), Err(e)) => Err(format!("{name}: yaml_serde refuses it ({e}), we read it")),
            (Err(e), Ok(_)) => Err(format!(
                "{name}: we refuse it at line {:?} ({}), yaml_serde reads it",
                e.line, e.message
            )),
        }
    }

    #[test]
    fn reads_real_compose_files_as_yaml_serde_does() {
        // The compose files of the end-to-end tests (their sources are named in tests/compose.rs)
        // and the bench file. DTERMS_YAML_CORPUS names a folder of more to compare by hand.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> =
            std::fs::read_dir(root.join("tests/fixtures/compose"))
                .expect("fixtures")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect();
        files.push(root.join("bench/compose-350.yaml"));
        if let Some(dir) = std::env::var_os("DTERMS_YAML_CORPUS") {
            files.extend(
                std::fs::read_dir(dir)
                    .expect("corpus")
                    .map(|e| e.expect("entry").path()),
            );
        }
        assert!(files.len() >= 6);
        let failures: Vec<String> = files
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                same_as_yaml_serde(&p.display().to_string(), &text).err()
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn an_anchor_before_a_key_on_its_line_is_refused_not_misread() {
        // Found in review: libyaml anchors the key `image` here, so `*svc` is a string.
        let err = parse("x-base:\n  - &svc image: nginx\nservices:\n  web:\n    <<: *svc\n")
            .expect_err("refused");
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("names the key"), "{}", err.message);
        // On its own line, or before a flow mapping, the anchor names the mapping.
        for text in [
            "x-base:\n  - &svc\n    image: nginx\nservices:\n  web:\n    <<: *svc\n",
            "x-base:\n  - &svc {image: nginx}\nservices:\n  web:\n    <<: *svc\n",
        ] {
            let root = parse(text).expect("valid");
            assert_eq!(
                line(&root, &["services", "web", "image"]),
                2 + usize::from(text.contains("&svc\n"))
            );
        }
    }

    #[test]
    fn tricky_yaml_reads_as_yaml_serde_reads_it() {
        for text in [
            "a: 'x'\nb: \"y\" # c\nc: [1, 2.5, -3, 0x10, '4']\n",
            "k: v\nl:\n- a\n-  b\n- - c\n  - d\n- e: 1\n  f: 2\n",
            "a: &x {p: 1}\nb: *x\nc: [*x, *x]\n",
            "a: |-\n  x\n  y\nb: >+\n  x\n\n  y\n\nc: end\n",
            "a: multi\n  line plain\n\n  scalar\nb: 1\n",
            "\"q\": 1\n'r': 2\n",
            "a: {x: [1, {y: 2}], z: \"w\"}\n",
            "a: \"line\n  folded\n\n  twice\"\n",
            "a:\n  - x\n  # c\n  - y\nb: ~\nc:\nd: null\n",
            "x: !reset []\ny: !override [a]\n",
            "- 1\n- -1\n- 1.0\n- 1e2\n- .inf\n- 007\n- 0o7\n- +1\n- true\n- yes\n",
            "a: 'it''s'\nb: \"\\t\\u263A\"\n",
            "a: x:y\nb: http://h:80/p#frag\nc: a #b\n",
        ] {
            same_as_yaml_serde(text, text).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn the_pre_scan_limits_hold_while_reading() {
        // The cases of tests/hostile.rs's YAML pre-scan, at the compose budget.
        let refused = |text: &str, needle: &str| {
            let err = parse(text).expect_err("over a limit");
            assert!(err.message.contains(needle), "{}", err.message);
            assert!(err.line.is_some());
        };
        let many = format!("a: &a x\nl: [{}]\n", vec!["*a"; 10_001].join(","));
        refused(&many, "more than 10000 aliases");
        let string = format!(
            "s: &s {}\nl: [{}]\n",
            "x".repeat(600_000),
            ["*s"; 8].join(", ")
        );
        refused(&string, "aliases (*name) would expand");
        let mut fan = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let refs = vec![format!("*a{}", level - 1); 9].join(", ");
            fan.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        refused(&fan, "expand");
        // Anchors nested sixty deep around many aliases of a long list: each level's copy
        // counts, so the file is refused instead of taking seconds and a gigabyte.
        let mut nested = format!("x-a: &a [{}]\nx-b:", vec!["x"; 1000].join(", "));
        for level in 0..60 {
            nested.push_str(&format!(" &b{level} ["));
        }
        nested.push_str(&vec!["*a"; 190].join(", "));
        nested.push_str(&"]".repeat(60));
        nested.push('\n');
        refused(&nested, "the file expands to more than");
        for deep in [
            "[".repeat(100_000),
            "{a: ".repeat(100_000),
            format!("{}x\n", "- ".repeat(100_000)),
            (0..200)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect(),
        ] {
            refused(&deep, "nesting is deeper than 64 levels");
        }
        let wide = format!("l: [{}]\n", vec!["x"; 200_001].join(","));
        refused(&wide, "more than 200000 values");
        // Within the limits: nesting of 64, and the aliases Airflow's file uses.
        let ok = format!("{}{}", "[".repeat(63), "]".repeat(63));
        assert!(parse(&ok).is_ok());
    }
}
