//! JSON with a byte span for every value (ARM templates, Terraform plans, inventories),
//! read as Azure's CLI and PowerShell read templates: `//` and `/* */` comments, trailing
//! commas and raw line breaks in strings are accepted. Member names compare
//! case-insensitively, as ARM compares them.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
use std::ops::Range;

/// A JSON value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: Json,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// An object member: its name (and where the name is written) and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Member {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: Node,
}

impl Node {
    /// The member `name` of an object (case-insensitively).
    pub(crate) fn member(&self, name: &str) -> Option<&Member> {
        match &self.kind {
            Json::Object(members) => members.iter().find(|m| m.name.eq_ignore_ascii_case(name)),
            _ => None,
        }
    }

    /// The value of the member `name` of an object (case-insensitively).
    pub(crate) fn get(&self, name: &str) -> Option<&Node> {
        self.member(name).map(|m| &m.value)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn members(&self) -> &[Member] {
        match &self.kind {
            Json::Object(members) => members,
            _ => &[],
        }
    }

    pub(crate) fn items(&self) -> &[Node] {
        match &self.kind {
            Json::Array(items) => items,
            _ => &[],
        }
    }
}

/// The members that repeat a name already used in their object (exactly: ARM's JSON
/// reader refuses them), each with the span of its name.
pub(crate) fn duplicate_keys(root: &Node) -> Vec<&Member> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.kind {
            Json::Object(members) => {
                let mut seen = std::collections::HashSet::new();
                for m in members {
                    if !seen.insert(m.name.as_str()) {
                        out.push(m);
                    }
                    stack.push(&m.value);
                }
            }
            Json::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out.sort_by_key(|m| m.name_span.start);
    out
}

/// Parses a JSON text (without a byte-order mark); `Err((offset, message))` when it is
/// not JSON.
pub(crate) fn parse(text: &str) -> Result<Node, (usize, String)> {
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = parse_to_ast(text, &CollectOptions::default(), &options)
        .map_err(|e| (e.range().start, e.kind().to_string()))?;
    match parsed.value {
        Some(v) => Ok(convert(&v)),
        None => Err((0, "the file holds no JSON value".to_string())),
    }
}

fn span(r: &impl Ranged) -> Range<usize> {
    r.start()..r.end()
}

/// Converts the parser's tree; iterative over arrays and objects' members only as deep as
/// the document is (JSON nesting in templates is shallow next to the stack we run on).
fn convert(v: &Ast<'_>) -> Node {
    let kind = match v {
        Ast::NullKeyword(_) => Json::Null,
        Ast::BooleanLit(b) => Json::Bool(b.value),
        Ast::NumberLit(n) => Json::Number(n.value.parse().unwrap_or(f64::NAN)),
        Ast::StringLit(s) => Json::String(s.value.to_string()),
        Ast::Array(a) => Json::Array(a.elements.iter().map(convert).collect()),
        Ast::Object(o) => Json::Object(
            o.properties
                .iter()
                .map(|p| {
                    let (name, name_span) = match &p.name {
                        ObjectPropName::String(s) => (s.value.to_string(), span(s)),
                        ObjectPropName::Word(w) => (w.value.to_string(), span(w)),
                    };
                    Member {
                        name,
                        name_span,
                        value: convert(&p.value),
                    }
                })
                .collect(),
        ),
    };
    Node {
        kind,
        span: span(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_azure_cli_reads_with_byte_spans() {
        let text = "{\n  // a comment\n  \"Name\": \"é\",\n  \"list\": [1, 2,],\n  \"text\": \"a\nb\" /* x */\n}";
        let root = parse(text).unwrap();
        let name = root.get("name").unwrap();
        assert_eq!(&text[name.span.clone()], "\"é\"");
        assert_eq!(name.as_str(), Some("é"));
        assert_eq!(root.get("LIST").unwrap().items().len(), 2);
        assert_eq!(root.get("text").unwrap().as_str(), Some("a\nb"));
    }

    #[test]
    fn errors_have_offsets() {
        let (at, _) = parse("{\"a\": }").unwrap_err();
        assert_eq!(at, 6);
    }
}
