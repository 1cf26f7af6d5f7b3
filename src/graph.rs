//! The map of terms: the whole glossary, or the neighbourhood of one term, as Graphviz DOT, a
//! Mermaid flowchart or JSON. Nodes are grouped by category; edges are related and inline links.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::glossary::Glossary;
use crate::schema::{Category, Term, inline_links};

/// How one term points to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// Listed in `related`.
    Related,
    /// Linked from the body only.
    Inline,
}

/// A set of terms and the links between them.
#[derive(Debug, Clone)]
pub struct Graph<'g> {
    /// The terms, in glossary order.
    pub nodes: Vec<&'g Term>,
    /// (from, to, kind), as indexes into `nodes`.
    pub edges: Vec<(usize, usize, EdgeKind)>,
    /// The term the graph is centred on, if any.
    pub focus: Option<&'g Term>,
    /// The glossary the terms are from, for their categories.
    pub glossary: &'g Glossary,
}

/// Every term and every link.
pub fn whole(glossary: &Glossary) -> Graph<'_> {
    build(glossary, glossary.terms().iter().collect(), None)
}

/// The terms within `depth` links of `center`, following links both ways.
pub fn around<'g>(glossary: &'g Glossary, center: &'g Term, depth: usize) -> Graph<'g> {
    let mut chosen: Vec<&Term> = vec![center];
    let mut frontier: Vec<&Term> = vec![center];
    for _ in 0..depth {
        let mut next = Vec::new();
        for term in frontier {
            for neighbour in glossary
                .links_from(term)
                .into_iter()
                .chain(glossary.links_to(term))
            {
                if !chosen.iter().any(|t| std::ptr::eq(*t, neighbour)) {
                    chosen.push(neighbour);
                    next.push(neighbour);
                }
            }
        }
        frontier = next;
    }
    // Glossary order keeps the output stable and readable.
    let nodes = glossary
        .terms()
        .iter()
        .filter(|t| chosen.iter().any(|c| std::ptr::eq(*c, *t)))
        .collect();
    build(glossary, nodes, Some(center))
}

fn build<'g>(glossary: &'g Glossary, nodes: Vec<&'g Term>, focus: Option<&'g Term>) -> Graph<'g> {
    let position = |id: &str| nodes.iter().position(|t| t.id == id);
    let mut edges = Vec::new();
    for (from, term) in nodes.iter().enumerate() {
        for id in term.related.iter() {
            if let Some(to) = position(id) {
                edges.push((from, to, EdgeKind::Related));
            }
        }
        for id in inline_links(&term.body) {
            if let Some(to) = position(id)
                && !term.related.iter().any(|r| r == id)
                && to != from
                && !edges.contains(&(from, to, EdgeKind::Inline))
            {
                edges.push((from, to, EdgeKind::Inline));
            }
        }
    }
    Graph {
        nodes,
        edges,
        focus,
        glossary,
    }
}

/// A category's fill colour: its own (data/categories.yaml, or given or assigned when a team
/// glossary was loaded), always a checked `#rrggbb`.
fn colour(category: &Category) -> &str {
    category
        .colour
        .as_deref()
        .filter(|c| crate::schema::is_hex_colour(c))
        .unwrap_or("#f1f3f5")
}

/// A category id as a DOT or Mermaid identifier: ids are kebab-case, so `_` for `-` is safe.
fn ident(category: &Category) -> String {
    category.id.replace('-', "_")
}

/// A DOT string literal.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars().filter(|c| !c.is_control()) {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

impl Graph<'_> {
    fn is_focus(&self, term: &Term) -> bool {
        self.focus.is_some_and(|f| std::ptr::eq(f, term))
    }

    /// Graphviz DOT: one cluster per category, related links solid, inline links dashed.
    pub fn dot(&self) -> String {
        let mut out = String::from("digraph dterms {\n");
        out.push_str("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11];\n");
        out.push_str(
            "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n",
        );
        out.push_str("  edge [color=\"#868e96\", arrowsize=0.7];\n");
        for (category, members) in self.glossary.by_category(&self.nodes) {
            let _ = writeln!(
                out,
                "  subgraph cluster_{} {{\n    label={};\n    style=\"rounded,dashed\";\n    color=\"#adb5bd\";",
                ident(category),
                quoted(&category.title)
            );
            for term in members {
                let extra = if self.is_focus(term) {
                    ", penwidth=2.5"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {} [label={}, fillcolor=\"{}\"{extra}];",
                    quoted(&term.id),
                    quoted(&term.name),
                    colour(category)
                );
            }
            out.push_str("  }\n");
        }
        for &(from, to, kind) in &self.edges {
            let style = match kind {
                EdgeKind::Related => "",
                EdgeKind::Inline => " [style=dashed]",
            };
            let _ = writeln!(
                out,
                "  {} -> {}{style};",
                quoted(&self.nodes[from].id),
                quoted(&self.nodes[to].id)
            );
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart (GitHub renders it): one subgraph per category, related links solid,
    /// inline links dotted.
    pub fn mermaid(&self) -> String {
        // Mermaid ids may not contain '-' safely; labels are quoted with entities for quotes.
        let node_id = |term: &Term| format!("t_{}", term.id.replace('-', "_"));
        let label = |text: &str| {
            text.chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .replace('"', "#quot;")
        };
        let mut out = String::from("flowchart LR\n");
        for (category, members) in self.glossary.by_category(&self.nodes) {
            let _ = writeln!(
                out,
                "  subgraph c_{}[\"{}\"]",
                ident(category),
                label(&category.title)
            );
            for term in members {
                let _ = writeln!(out, "    {}[\"{}\"]", node_id(term), label(&term.name));
            }
            out.push_str("  end\n");
        }
        for &(from, to, kind) in &self.edges {
            let arrow = match kind {
                EdgeKind::Related => "-->",
                EdgeKind::Inline => "-.->",
            };
            let _ = writeln!(
                out,
                "  {} {arrow} {}",
                node_id(self.nodes[from]),
                node_id(self.nodes[to])
            );
        }
        for (category, members) in self.glossary.by_category(&self.nodes) {
            let members: Vec<String> = members.into_iter().map(node_id).collect();
            let _ = writeln!(
                out,
                "  classDef {} fill:{},stroke:#868e96",
                ident(category),
                colour(category)
            );
            let _ = writeln!(out, "  class {} {}", members.join(","), ident(category));
        }
        if let Some(focus) = self.focus {
            let _ = writeln!(out, "  style {} stroke-width:3px", node_id(focus));
        }
        out
    }

    /// `{"nodes":[{"id","name","category"}],"edges":[{"from","to","kind"}]}`.
    pub fn json(&self) -> Value {
        json!({
            "focus": self.focus.map(|t| &*t.id),
            "nodes": self.nodes.iter().map(|t| json!({"id": t.id, "name": t.name, "category": t.category})).collect::<Vec<_>>(),
            "edges": self.edges.iter().map(|&(from, to, kind)| json!({
                "from": self.nodes[from].id,
                "to": self.nodes[to].id,
                "kind": match kind { EdgeKind::Related => "related", EdgeKind::Inline => "inline" },
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neighbourhood_grows_with_depth() {
        let glossary = Glossary::builtin();
        let image = glossary.get("image").expect("core term");
        let zero = around(&glossary, image, 0);
        assert_eq!(zero.nodes.len(), 1);
        let one = around(&glossary, image, 1);
        let two = around(&glossary, image, 2);
        assert!(one.nodes.len() > 1 && two.nodes.len() >= one.nodes.len());
        for neighbour in glossary
            .links_from(image)
            .into_iter()
            .chain(glossary.links_to(image))
        {
            assert!(
                one.nodes.iter().any(|t| t.id == neighbour.id),
                "{} missing",
                neighbour.id
            );
        }
    }

    #[test]
    fn dot_is_well_formed_and_styles_inline_links() {
        let glossary = Glossary::builtin();
        let graph = whole(&glossary);
        let dot = graph.dot();
        assert!(dot.starts_with("digraph dterms {") && dot.ends_with("}\n"));
        assert_eq!(dot.matches('{').count(), dot.matches('}').count());
        assert!(dot.contains("\"image\" -> \"container\";"));
        assert!(dot.contains("[style=dashed]"));
        assert!(dot.contains("subgraph cluster_ml"));
        assert_eq!(graph.nodes.len(), glossary.terms().len());
    }

    #[test]
    fn mermaid_uses_safe_ids_and_one_subgraph_per_category() {
        let glossary = Glossary::builtin();
        let image = glossary.get("image").expect("core term");
        let text = around(&glossary, image, 1).mermaid();
        assert!(text.starts_with("flowchart LR\n"));
        assert!(text.contains("t_image_id[\"Image ID\"]"));
        assert!(!text.lines().any(|l| l.trim_start().starts_with("t_")
            && l.contains("-->")
            && l.contains("t_image-")));
        assert_eq!(
            text.matches("subgraph").count(),
            text.matches("\n  end\n").count()
        );
        assert!(text.contains("style t_image stroke-width:3px"));
    }

    #[test]
    fn json_lists_nodes_and_edges() {
        let glossary = Glossary::builtin();
        let v = whole(&glossary).json();
        assert_eq!(
            v["nodes"].as_array().map(Vec::len),
            Some(glossary.terms().len())
        );
        assert!(
            v["edges"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["kind"] == "inline"))
        );
    }

    #[test]
    fn dot_strings_are_escaped() {
        assert_eq!(quoted("a \"b\" \\ c\u{1b}"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
