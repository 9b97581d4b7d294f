//! A plan's resources and their values: planned values, with what is known only after
//! apply marked unknown, and unknown values followed through the configuration's
//! references to the resources, variables and module outputs they come from.

use super::Resource;
use crate::frontend::json::{Json, Node};
use crate::frontend::value::{Symbols, Value};
use crate::frontend::{arm, json};
use crate::ir::token;
use crate::source::FileId;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

/// How many references are followed from one value before giving up.
const MAX_DEPTH: u32 = 64;

pub(crate) struct Plan<'d> {
    pub file: FileId,
    /// The plan's name in symbol descriptions.
    name: String,
    doc: &'d Node,
    pub symbols: Symbols,
    pub resources: Vec<Resource<'d>>,
    depth: Cell<u32>,
}

impl<'d> Plan<'d> {
    pub(crate) fn new(file: FileId, name: String, doc: &'d Node, symbol_base: u32) -> Self {
        let mut changes: HashMap<String, &'d Node> = HashMap::new();
        for c in doc
            .get("resource_changes")
            .map(Node::items)
            .unwrap_or_default()
        {
            if let Some(a) = c.get("address").and_then(Node::as_str) {
                changes.insert(a.to_string(), c);
            }
        }
        let mut resources = Vec::new();
        let mut by_address = HashMap::new();
        let mut add = |node: &'d Node, only_data: bool, resources: &mut Vec<Resource<'d>>| {
            let (Some(address), Some(ty), Some(name), Some(values)) = (
                node.get("address").and_then(Node::as_str),
                node.get("type").and_then(Node::as_str),
                node.get("name").and_then(Node::as_str),
                node.get("values"),
            ) else {
                return;
            };
            let data = node.get("mode").and_then(Node::as_str) == Some("data");
            if (only_data && !data) || by_address.contains_key(address) {
                return;
            }
            let local = if data {
                format!("data.{ty}.{name}")
            } else {
                format!("{ty}.{name}")
            };
            let module = module_of(address, &local);
            let change = changes.get(address).and_then(|c| c.get("change"));
            by_address.insert(address.to_string(), resources.len());
            resources.push(Resource {
                address: address.to_string(),
                module,
                data,
                ty: ty.to_string(),
                local,
                values,
                node,
                after_unknown: change.and_then(|c| c.get("after_unknown")),
                actions: change
                    .and_then(|c| c.get("actions"))
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect(),
                before: change.and_then(|c| c.get("before")),
            });
        };
        if let Some(root) = doc.get("planned_values").and_then(|p| p.get("root_module")) {
            walk_module(root, &mut |n| add(n, false, &mut resources));
        }
        // What exists now: the data sources read while planning.
        if let Some(root) = doc
            .get("prior_state")
            .and_then(|p| p.get("values"))
            .and_then(|v| v.get("root_module"))
        {
            walk_module(root, &mut |n| add(n, true, &mut resources));
        }
        Plan {
            file,
            name,
            doc,
            symbols: Symbols::new(symbol_base),
            resources,
            depth: Cell::new(0),
        }
    }

    /// The attribute at `path` (`a.b`, `block.0.arg`) of `values`, with the span of its
    /// `"name": value` member.
    pub(crate) fn node_of(&self, values: &'d Node, path: &str) -> Option<(Range<usize>, &'d Node)> {
        let mut cur = values;
        let mut span = values.span.clone();
        for seg in path.split('.') {
            match &cur.kind {
                Json::Object(members) => {
                    let m = members.iter().find(|m| m.name == seg)?;
                    span = m.name_span.start..m.value.span.end;
                    cur = &m.value;
                }
                Json::Array(items) => {
                    cur = items.get(seg.parse::<usize>().ok()?)?;
                    span = cur.span.clone();
                }
                _ => return None,
            }
        }
        Some((span, cur))
    }

    /// The value of an attribute of a resource: planned, unknown where Terraform knows it
    /// only after apply, and then followed through the configuration.
    pub(crate) fn value(&self, index: usize, path: &str) -> Value {
        let r = &self.resources[index];
        let segs: Vec<&str> = path.split('.').collect();
        let planned = r
            .values
            .get(segs[0])
            .map(arm::literal)
            .unwrap_or(Value::Null);
        // azapi 1.x keeps `body` as JSON text.
        let planned = match (&planned, segs[0]) {
            (Value::String(text), "body") => match json::parse(text) {
                Ok(node) => arm::literal(&node),
                Err(_) => planned,
            },
            _ => planned,
        };
        let unknown = r.after_unknown.map(|u| unknown_mask(u, &segs));
        let mut v = navigate(planned, &segs[1..]);
        match unknown {
            Some(Mask::All) => v = Value::Unknown,
            Some(Mask::Partly(mask)) => v = overlay(v, mask),
            _ => {}
        }
        if v == Value::Unknown {
            return self.configured(r, &segs).unwrap_or(Value::Unknown);
        }
        v
    }

    /// The value at `path` before the change, when the resource exists now.
    pub(crate) fn before(&self, index: usize, path: &str) -> Option<Value> {
        let before = self.resources[index].before?;
        let segs: Vec<&str> = path.split('.').collect();
        let top = arm::literal(before.get(segs[0])?);
        let top = match (&top, segs[0]) {
            (Value::String(text), "body") => match json::parse(text) {
                Ok(node) => arm::literal(&node),
                Err(_) => top,
            },
            _ => top,
        };
        Some(navigate(top, &segs[1..]))
    }

    /// An unknown attribute's value from the expression the configuration gives it, when
    /// that expression is a single reference peerlint can follow.
    fn configured(&self, r: &Resource<'d>, segs: &[&str]) -> Option<Value> {
        let config = self.module_config(&r.module)?;
        let resource = config.get("resources")?.items().iter().find(|c| {
            c.get("address")
                .and_then(Node::as_str)
                .is_some_and(|a| a == r.local)
        })?;
        let mut expr = resource.get("expressions")?;
        for seg in segs {
            expr = match &expr.kind {
                Json::Object(_) => expr.get(seg)?,
                Json::Array(items) => items.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(self.expression(&r.module, expr))
    }

    /// The configuration of a module instance (`module.a["x"].module.b` → the `b` call's
    /// module inside the `a` call's).
    fn module_config(&self, module: &str) -> Option<&'d Node> {
        let mut cur = self.doc.get("configuration")?.get("root_module")?;
        for (call, _) in module_calls(module) {
            cur = cur.get("module_calls")?.get(&call)?.get("module")?;
        }
        Some(cur)
    }

    /// The value of a configuration expression in a module instance.
    fn expression(&self, module: &str, expr: &'d Node) -> Value {
        if let Some(c) = expr.get("constant_value") {
            return arm::literal(c);
        }
        let Some(refs) = expr.get("references") else {
            return Value::Unknown;
        };
        let refs: Vec<&str> = refs.items().iter().filter_map(Node::as_str).collect();
        // Terraform lists each reference with its prefixes (`a.b.id`, `a.b`): keep the
        // longest; followed only when the expression refers to one thing.
        let roots: Vec<&str> = refs
            .iter()
            .copied()
            .filter(|r| {
                !refs.iter().any(|o| {
                    o.len() > r.len()
                        && (o.starts_with(&format!("{r}.")) || o.starts_with(&format!("{r}[")))
                })
            })
            .collect();
        let [only] = roots.as_slice() else {
            return Value::Unknown;
        };
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return Value::Unknown;
        }
        self.depth.set(depth + 1);
        let v = self.reference(module, only);
        self.depth.set(depth);
        v
    }

    /// The value a reference (`azurerm_virtual_network.hub.id`, `var.hub_id`,
    /// `module.hub.id`) has in a module instance.
    fn reference(&self, module: &str, reference: &str) -> Value {
        let parts = split_reference(reference);
        let [first, rest @ ..] = parts.as_slice() else {
            return Value::Unknown;
        };
        match (first.0.as_str(), rest) {
            ("var", [(name, None), ..]) => self.variable(module, name),
            ("module", [(call, key), (output, None), ..]) => {
                self.output(module, call, key.as_deref(), output)
            }
            ("data", [(ty, None), (name, key), attr @ ..]) => {
                self.resource_attr(module, &format!("data.{ty}.{name}"), key.as_deref(), attr)
            }
            (ty, [(name, key), attr @ ..]) if ty.contains('_') && first.1.is_none() => {
                self.resource_attr(module, &format!("{ty}.{name}"), key.as_deref(), attr)
            }
            _ => Value::Unknown,
        }
    }

    /// `var.name` of a module instance: the root's variable values, or what the module's
    /// call passes.
    fn variable(&self, module: &str, name: &str) -> Value {
        if module.is_empty() {
            return self
                .doc
                .get("variables")
                .and_then(|v| v.get(name))
                .and_then(|v| v.get("value"))
                .map_or(Value::Unknown, arm::literal);
        }
        let (parent, call) = match module.rfind(".module.") {
            Some(at) => (&module[..at], &module[at + 1..]),
            None => ("", module),
        };
        let Some((call, _)) = module_calls(call).into_iter().next() else {
            return Value::Unknown;
        };
        let expr = self
            .module_config(parent)
            .and_then(|c| c.get("module_calls"))
            .and_then(|c| c.get(&call))
            .and_then(|c| c.get("expressions"))
            .and_then(|e| e.get(name));
        match expr {
            Some(e) => self.expression(parent, e),
            None => Value::Unknown,
        }
    }

    /// `module.call.output`: the output's expression in the called module's instance
    /// (the only one, or the one the reference names).
    fn output(&self, module: &str, call: &str, key: Option<&str>, output: &str) -> Value {
        let prefix = if module.is_empty() {
            format!("module.{call}")
        } else {
            format!("{module}.module.{call}")
        };
        let instance = match key {
            Some(k) => format!("{prefix}[{k}]"),
            None => {
                let mut instances: Vec<&str> = self
                    .resources
                    .iter()
                    .filter_map(|r| instance_of(&r.module, &prefix))
                    .collect();
                instances.sort_unstable();
                instances.dedup();
                match instances.as_slice() {
                    [only] => only.to_string(),
                    [] => prefix.clone(),
                    _ => return Value::Unknown,
                }
            }
        };
        let expr = self
            .module_config(&instance)
            .and_then(|c| c.get("outputs"))
            .and_then(|o| o.get(output))
            .and_then(|o| o.get("expression"));
        match expr {
            Some(e) => self.expression(&instance, e),
            None => Value::Unknown,
        }
    }

    /// An attribute of a resource of a module instance (`id` built from its arguments when
    /// it is known only after apply).
    fn resource_attr(
        &self,
        module: &str,
        local: &str,
        key: Option<&str>,
        attr: &[(String, Option<String>)],
    ) -> Value {
        let candidates: Vec<usize> = self
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.module == module && r.local == local)
            .filter(|(_, r)| match key {
                Some(k) => r.address.ends_with(&format!("[{k}]")),
                None => true,
            })
            .map(|(i, _)| i)
            .collect();
        let [index] = candidates.as_slice() else {
            return Value::Unknown;
        };
        match attr {
            [(name, None)] if name == "id" => self.id_of(*index),
            [(name, None)] => self.value(*index, name),
            _ => Value::Unknown,
        }
    }

    /// The subscription of a resource's azurerm provider: its `subscription_id` when the
    /// configuration gives one peerlint can follow, else a symbol for that provider
    /// configuration in this plan.
    pub(crate) fn subscription(&self, index: usize) -> Value {
        let r = &self.resources[index];
        let key = self
            .module_config(&r.module)
            .and_then(|c| c.get("resources"))
            .and_then(|rs| {
                rs.items().iter().find(|c| {
                    c.get("address")
                        .and_then(Node::as_str)
                        .is_some_and(|a| a == r.local)
                })
            })
            .and_then(|c| c.get("provider_config_key"))
            .and_then(Node::as_str)
            .unwrap_or("azurerm");
        let given = self
            .doc
            .get("configuration")
            .and_then(|c| c.get("provider_config"))
            .and_then(|p| p.get(key))
            .and_then(|p| p.get("expressions"))
            .and_then(|e| e.get("subscription_id"))
            .map(|e| self.expression("", e));
        match given {
            Some(Value::String(s)) if !token::is_opaque(&s) && !s.is_empty() => Value::String(s),
            _ => self
                .symbols
                .segment(format!("subscription of provider `{key}` in {}", self.name)),
        }
    }

    /// A resource's id: planned, or built from its arguments as the provider builds it
    /// (in its provider's subscription).
    pub(crate) fn id_of(&self, index: usize) -> Value {
        let r = &self.resources[index];
        if let Ok(Some(id)) = navigate(
            r.values.get("id").map(arm::literal).unwrap_or(Value::Null),
            &[],
        )
        .to_str()
        {
            return Value::String(id);
        }
        let text = |path: &str| match self.value(index, path).to_str() {
            Ok(Some(s)) if !token::is_opaque(&s) => Some(s),
            _ => None,
        };
        let sub = match self.subscription(index) {
            Value::String(s) => s,
            Value::Symbol(n) => token::symbol(n),
            _ => token::UNKNOWN.to_string(),
        };
        let built = match r.ty.as_str() {
            "azurerm_virtual_network" => (|| {
                Some(format!(
                    "/subscriptions/{sub}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}",
                    text("resource_group_name")?,
                    text("name")?
                ))
            })(),
            "azurerm_subnet" => (|| {
                Some(format!(
                    "/subscriptions/{sub}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}/subnets/{}",
                    text("resource_group_name")?,
                    text("virtual_network_name")?,
                    text("name")?
                ))
            })(),
            "azapi_resource" => (|| {
                let ty = text("type")?;
                let ty = ty.split('@').next()?;
                let parent = match self.value(index, "parent_id").to_str() {
                    Ok(Some(p)) if !token::has_unknown(&p) || p.contains("/resourceGroups/") => p,
                    _ => return None,
                };
                let name = text("name")?;
                let segments = ty.split('/').count();
                Some(if segments <= 2 {
                    format!("{parent}/providers/{ty}/{name}")
                } else {
                    format!("{parent}/{}/{name}", ty.rsplit('/').next()?)
                })
            })(),
            _ => None,
        };
        built.map_or(Value::Unknown, Value::String)
    }
}

/// Calls `f` on every resource object of a module and its child modules.
fn walk_module<'d>(module: &'d Node, f: &mut dyn FnMut(&'d Node)) {
    let mut stack = vec![module];
    while let Some(m) = stack.pop() {
        for r in m.get("resources").map(Node::items).unwrap_or_default() {
            f(r);
        }
        let children = m.get("child_modules").map(Node::items).unwrap_or_default();
        stack.extend(children.iter().rev());
    }
}

/// The module instance of a resource address: what precedes `type.name`.
fn module_of(address: &str, local: &str) -> String {
    match address.find(&format!(".{local}")) {
        Some(at) if address.starts_with("module.") => address[..at].to_string(),
        _ => String::new(),
    }
}

/// The module instance `module` belongs to, if it is `prefix` or one of its instances
/// (`prefix["k"]`, `prefix[0]`), or lies within one.
fn instance_of<'m>(module: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = module.strip_prefix(prefix)?;
    if rest.is_empty() || rest.starts_with(".module.") {
        return Some(&module[..prefix.len()]);
    }
    if rest.starts_with('[') {
        let close = closing_bracket(rest)?;
        let after = &rest[close + 1..];
        if after.is_empty() || after.starts_with(".module.") {
            return Some(&module[..prefix.len() + close + 1]);
        }
    }
    None
}

/// The calls of a module instance path, in order: `module.a["x"].module.b` →
/// `[("a", Some("\"x\"")), ("b", None)]`.
fn module_calls(module: &str) -> Vec<(String, Option<String>)> {
    split_reference(module)
        .chunks(2)
        .filter_map(|pair| match pair {
            [(m, None), (call, key)] if m == "module" => Some((call.clone(), key.clone())),
            _ => None,
        })
        .collect()
}

/// Splits a reference at its dots, each part with its index (`a["x"]` → `("a", "\"x\"")`).
fn split_reference(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = rest[..end].to_string();
        rest = &rest[end..];
        let mut key = None;
        if rest.starts_with('[') {
            let Some(close) = closing_bracket(rest) else {
                break;
            };
            key = Some(rest[1..close].to_string());
            rest = &rest[close + 1..];
        }
        out.push((name, key));
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// The offset of the `]` that closes the `[` at the start of `text` (quotes respected).
fn closing_bracket(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ']' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// What `after_unknown` says of the value at a path.
enum Mask<'d> {
    All,
    Partly(&'d Node),
    None,
}

fn unknown_mask<'d>(after_unknown: &'d Node, segs: &[&str]) -> Mask<'d> {
    let mut cur = after_unknown;
    for seg in segs {
        if cur.kind == Json::Bool(true) {
            return Mask::All;
        }
        cur = match &cur.kind {
            Json::Object(_) => match cur.get(seg) {
                Some(n) => n,
                None => return Mask::None,
            },
            Json::Array(items) => match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(n) => n,
                None => return Mask::None,
            },
            _ => return Mask::None,
        };
    }
    match cur.kind {
        Json::Bool(true) => Mask::All,
        Json::Object(_) | Json::Array(_) => Mask::Partly(cur),
        _ => Mask::None,
    }
}

/// `v` with the parts `mask` marks unknown made unknown.
fn overlay(v: Value, mask: &Node) -> Value {
    match (&mask.kind, v) {
        (Json::Bool(true), _) => Value::Unknown,
        (Json::Array(marks), Value::List(items)) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match marks.get(i) {
                    Some(m) => overlay(item, m),
                    None => item,
                })
                .collect(),
        ),
        (Json::Object(_), Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, item)| match mask.get(&k) {
                    Some(m) => (k, overlay(item, m)),
                    None => (k, item),
                })
                .collect(),
        ),
        (_, v) => v,
    }
}

/// The part of a value at `segs` (object members, list indexes).
fn navigate(v: Value, segs: &[&str]) -> Value {
    let mut cur = v;
    for seg in segs {
        cur = match cur {
            Value::Object(mut m) => m.remove(*seg).unwrap_or(Value::Null),
            Value::List(mut l) => match seg.parse::<usize>() {
                Ok(i) if i < l.len() => l.swap_remove(i),
                _ => Value::Null,
            },
            Value::Unknown => Value::Unknown,
            _ => Value::Null,
        };
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_module_paths() {
        assert_eq!(
            split_reference("module.spoke[\"a.b\"].azurerm_virtual_network.this[0].id"),
            vec![
                ("module".to_string(), None),
                ("spoke".to_string(), Some("\"a.b\"".to_string())),
                ("azurerm_virtual_network".to_string(), None),
                ("this".to_string(), Some("0".to_string())),
                ("id".to_string(), None),
            ]
        );
        assert_eq!(
            module_of(
                "module.spoke[\"b\"].azurerm_virtual_network.this",
                "azurerm_virtual_network.this"
            ),
            "module.spoke[\"b\"]"
        );
        assert_eq!(
            module_of(
                "azurerm_virtual_network.hub[1]",
                "azurerm_virtual_network.hub"
            ),
            ""
        );
        assert_eq!(
            instance_of("module.spoke[\"b\"].module.peer", "module.spoke"),
            Some("module.spoke[\"b\"]")
        );
        assert_eq!(instance_of("module.spokes", "module.spoke"), None);
        assert_eq!(
            module_calls("module.a[\"x\"].module.b"),
            vec![
                ("a".to_string(), Some("\"x\"".to_string())),
                ("b".to_string(), None)
            ]
        );
    }
}
