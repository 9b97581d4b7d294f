//! Terraform's JSON syntax (`*.tf.json`), read by rewriting it as HCL text.
//!
//! The rewrite keeps every value's meaning (JSON strings are templates in both syntaxes)
//! and records, for every key, value and block header it writes, where it came from in
//! the JSON. The HCL pipeline then reads the rewritten text, and [`Remap::map`] turns its
//! spans back into spans of the JSON file.
//!
//! JSON does not say which objects are nested blocks and which are attribute values;
//! Terraform asks the provider's schema. Without schemas, the block names peerlint reads
//! are listed in [`BLOCKS`]; every other object is an attribute value.

use jsonc_parser::ast::{Object, ObjectPropName, Value as Json};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
use std::fmt::Write as _;
use std::ops::Range;

/// Nested blocks of the resources peerlint lowers (and the meta-blocks that hold them).
const BLOCKS: &[&str] = &[
    "subnet",
    "ip_configuration",
    "dynamic",
    "content",
    "features",
    "ddos_protection_plan",
    "encryption",
    "bgp_settings",
    "vpn_client_configuration",
    "timeouts",
];

/// Top-level block types and how many labels they take.
const TOP: &[(&str, usize)] = &[
    ("resource", 2),
    ("data", 2),
    ("module", 1),
    ("variable", 1),
    ("output", 1),
    ("provider", 1),
    ("locals", 0),
];

/// Spans of the rewritten HCL text, mapped back to spans of the JSON.
#[derive(Debug, Default)]
pub(crate) struct Remap {
    /// `(HCL range, JSON range)`, properly nested.
    segments: Vec<(Range<usize>, Range<usize>)>,
}

impl Remap {
    /// The JSON span of the smallest recorded piece of HCL that contains `hcl`.
    pub(crate) fn map(&self, hcl: Range<usize>) -> Range<usize> {
        self.segments
            .iter()
            .filter(|(h, _)| h.start <= hcl.start && hcl.end <= h.end)
            .min_by_key(|(h, _)| h.end - h.start)
            .map_or(0..0, |(_, j)| j.clone())
    }
}

/// Rewrites a `.tf.json` file as HCL; `Err((offset, message))` when it is not valid JSON
/// or not an object.
pub(crate) fn to_hcl(json: &str) -> Result<(String, Remap), (usize, String)> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = parse_to_ast(json, &CollectOptions::default(), &options)
        .map_err(|e| (e.range().start, e.kind().to_string()))?;
    let Some(Json::Object(root)) = parsed.value else {
        return Err((0, "a Terraform JSON file holds an object".to_string()));
    };
    let mut w = Writer::default();
    for prop in &root.properties {
        let kind = name(&prop.name);
        let Some(&(_, labels)) = TOP.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        w.labelled(kind, labels, &prop.value, &mut Vec::new(), range(prop));
    }
    Ok((w.out, w.remap))
}

fn name<'a>(n: &'a ObjectPropName<'a>) -> &'a str {
    match n {
        ObjectPropName::String(s) => &s.value,
        ObjectPropName::Word(w) => w.value,
    }
}

fn range(r: &impl Ranged) -> Range<usize> {
    r.start()..r.end()
}

#[derive(Default)]
struct Writer {
    out: String,
    remap: Remap,
}

impl Writer {
    fn record(&mut self, hcl_start: usize, json: Range<usize>) {
        let hcl = hcl_start..self.out.len();
        self.remap.segments.push((hcl, json));
    }

    /// `kind "label"… { body }` for every body under `labels` levels of nesting.
    fn labelled(
        &mut self,
        kind: &str,
        labels: usize,
        value: &Json<'_>,
        path: &mut Vec<String>,
        header: Range<usize>,
    ) {
        if path.len() == labels {
            let bodies: Vec<&Object<'_>> = match value {
                Json::Object(o) => vec![o],
                Json::Array(a) => a
                    .elements
                    .iter()
                    .filter_map(|e| match e {
                        Json::Object(o) => Some(o),
                        _ => None,
                    })
                    .collect(),
                _ => return,
            };
            for body in bodies {
                let start = self.out.len();
                self.out.push_str(kind);
                for label in path.iter() {
                    self.out.push(' ');
                    self.string(label);
                }
                self.record(start, header.clone());
                self.out.push_str(" {\n");
                self.body(body, kind == "variable");
                self.out.push_str("}\n");
                self.record(start, range(body));
            }
            return;
        }
        let Json::Object(o) = value else {
            return;
        };
        for prop in &o.properties {
            path.push(name(&prop.name).to_string());
            let header = prop.name.start()..prop.name.end();
            self.labelled(kind, labels, &prop.value, path, header);
            path.pop();
        }
    }

    fn body(&mut self, o: &Object<'_>, variable: bool) {
        for prop in &o.properties {
            let key = name(&prop.name);
            if key == "//" || !is_identifier(key) {
                continue;
            }
            let start = self.out.len();
            match (key, &prop.value) {
                ("depends_on" | "lifecycle", _) => continue,
                // Expressions written as strings: `provider = "azurerm.hub"`,
                // `type = "list(string)"`, `iterator = "s"`.
                ("provider" | "iterator", Json::StringLit(s)) => {
                    let _ = write!(self.out, "{key} = {}", s.value);
                }
                ("type", Json::StringLit(s)) if variable => {
                    let _ = write!(self.out, "{key} = {}", s.value);
                }
                ("dynamic", Json::Object(labels)) => {
                    for label in &labels.properties {
                        if let Json::Object(b) = &label.value {
                            let block = self.out.len();
                            self.out.push_str("dynamic ");
                            self.string(name(&label.name));
                            self.out.push_str(" {\n");
                            self.body(b, false);
                            self.out.push_str("}\n");
                            self.record(block, range(label));
                        }
                    }
                    continue;
                }
                (k, Json::Object(b)) if BLOCKS.contains(&k) => {
                    self.out.push_str(k);
                    self.out.push_str(" {\n");
                    self.body(b, false);
                    self.out.push('}');
                }
                (k, Json::Array(items))
                    if BLOCKS.contains(&k)
                        && items.elements.iter().all(|e| matches!(e, Json::Object(_))) =>
                {
                    for (i, item) in items.elements.iter().enumerate() {
                        if let Json::Object(b) = item {
                            let block = self.out.len();
                            if i > 0 {
                                self.out.push('\n');
                            }
                            self.out.push_str(k);
                            self.out.push_str(" {\n");
                            self.body(b, false);
                            self.out.push('}');
                            self.record(block, range(b));
                        }
                    }
                }
                (k, v) => {
                    self.out.push_str(k);
                    self.out.push_str(" = ");
                    self.expr(v);
                }
            }
            self.record(start, range(prop));
            self.out.push('\n');
        }
    }

    fn expr(&mut self, v: &Json<'_>) {
        let start = self.out.len();
        match v {
            Json::StringLit(s) => self.string(&s.value),
            Json::NumberLit(n) => self.out.push_str(n.value),
            Json::BooleanLit(b) => self.out.push_str(if b.value { "true" } else { "false" }),
            Json::NullKeyword(_) => self.out.push_str("null"),
            Json::Array(a) => {
                self.out.push('[');
                for (i, e) in a.elements.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(e);
                }
                self.out.push(']');
            }
            Json::Object(o) => {
                self.out.push('{');
                for (i, p) in o.properties.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let member = self.out.len();
                    self.string(name(&p.name));
                    self.out.push_str(" = ");
                    self.expr(&p.value);
                    self.record(member, range(p));
                }
                self.out.push('}');
            }
        }
        self.record(start, range(v));
    }

    /// A quoted HCL string with the same template text (`${…}` stays a template).
    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_blocks_and_maps_spans_back() {
        let json = r#"{
  "resource": {
    "azurerm_virtual_network": {
      "hub": {
        "name": "vnet-${var.env}",
        "address_space": ["10.0.0.0/16"],
        "subnet": [{"name": "a", "address_prefixes": ["10.0.1.0/24"]}],
        "tags": {"owner": "net"}
      }
    }
  },
  "variable": {"env": {"type": "string", "default": "prod"}},
  "locals": {"x": 1}
}"#;
        let (hcl, remap) = to_hcl(json).unwrap();
        let body = hcl::edit::parser::parse_body(&hcl).unwrap();
        let blocks: Vec<_> = body.blocks().collect();
        assert_eq!(blocks.len(), 3);
        let vnet = &blocks[0];
        assert_eq!(vnet.labels[1].as_str(), "hub");
        assert_eq!(vnet.body.get_blocks("subnet").count(), 1);
        assert!(vnet.body.get_attribute("tags").is_some());
        let attr = vnet.body.get_attribute("address_space").unwrap();
        let at = remap.map(hcl::edit::Span::span(&attr.value).unwrap());
        assert_eq!(&json[at], r#"["10.0.0.0/16"]"#);
        let at = remap.map(hcl::edit::Span::span(attr).unwrap());
        assert_eq!(&json[at], r#""address_space": ["10.0.0.0/16"]"#);
    }

    #[test]
    fn invalid_json_is_an_error_at_its_offset() {
        let (at, _) = to_hcl("{\"resource\": [}").unwrap_err();
        assert_eq!(at, 14);
    }
}
