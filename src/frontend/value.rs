//! Values as the evaluators see them (Terraform and ARM template expressions), with the
//! states plain JSON has not: not known before deployment (with or without an identity),
//! and failed to evaluate.

use crate::ir::token;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A Terraform value. Lists, tuples and sets are all `List`; maps and objects are all
/// `Object` (a `BTreeMap`, so keys iterate in Terraform's lexical order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    /// May contain [`token`] markers for parts not known (see [`Value::is_whole`]).
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// A resource instance (or one of its nested blocks): the attributes the code writes,
    /// plus the computed ones peerlint knows; any other attribute is `Unknown`, not an
    /// error. Functions that need all of its keys see it as `Unknown`.
    OpenObject(BTreeMap<String, Value>),
    /// Not known before apply, or not knowable by static evaluation.
    Unknown,
    /// Not known, but one value wherever this symbol appears: a variable given at plan
    /// time, a computed attribute. As a string it is a symbol token (see
    /// [`crate::ir::token`]), so ids and names built from it still identify what they
    /// name; everything else treats it as `Unknown`.
    Symbol(u32),
    /// Evaluation failed where Terraform itself would fail; the text says why. `try()` and
    /// `can()` tell this apart from `Unknown`.
    Error(String),
}

impl Value {
    pub(crate) fn error(msg: impl Into<String>) -> Value {
        Value::Error(msg.into())
    }

    pub(crate) fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// Known all the way down: no `Unknown`, no `Error`, no unknown string parts.
    pub(crate) fn is_whole(&self) -> bool {
        match self {
            Value::Unknown | Value::Symbol(_) | Value::Error(_) => false,
            Value::String(s) => !token::is_opaque(s),
            Value::List(items) => items.iter().all(Value::is_whole),
            Value::Object(map) => map.values().all(Value::is_whole),
            Value::OpenObject(_) => false,
            _ => true,
        }
    }

    pub(crate) fn is_error(&self) -> bool {
        matches!(self, Value::Error(_))
    }

    /// The first `Error` found anywhere in the value.
    pub(crate) fn find_error(&self) -> Option<&str> {
        match self {
            Value::Error(e) => Some(e),
            Value::List(items) => items.iter().find_map(Value::find_error),
            Value::Object(map) | Value::OpenObject(map) => map.values().find_map(Value::find_error),
            _ => None,
        }
    }

    /// An `Error` stays inside the expression that produced it: seen through a reference
    /// it becomes `Unknown`, so each failure is reported once, where it is written.
    pub(crate) fn errors_as_unknown(self) -> Value {
        match self {
            Value::Error(_) => Value::Unknown,
            Value::List(items) => {
                Value::List(items.into_iter().map(Value::errors_as_unknown).collect())
            }
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, v.errors_as_unknown()))
                    .collect(),
            ),
            Value::OpenObject(map) => Value::OpenObject(
                map.into_iter()
                    .map(|(k, v)| (k, v.errors_as_unknown()))
                    .collect(),
            ),
            other => other,
        }
    }

    /// The value with every symbol made plainly unknown (for values that leave the
    /// evaluation that numbered the symbols).
    pub(crate) fn without_symbols(self) -> Value {
        match self {
            Value::Symbol(_) => Value::Unknown,
            Value::String(s) if token::is_opaque(&s) => Value::Unknown,
            Value::List(items) => {
                Value::List(items.into_iter().map(Value::without_symbols).collect())
            }
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, v.without_symbols()))
                    .collect(),
            ),
            Value::OpenObject(map) => Value::OpenObject(
                map.into_iter()
                    .map(|(k, v)| (k, v.without_symbols()))
                    .collect(),
            ),
            other => other,
        }
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) | Value::OpenObject(_) => "object",
            Value::Unknown | Value::Symbol(_) => "unknown value",
            Value::Error(_) => "error",
        }
    }

    /// Terraform's automatic conversion to string (numbers and bools convert; `null`,
    /// collections don't). `Ok(None)` for `Unknown`.
    pub(crate) fn to_str(&self) -> Result<Option<String>, Value> {
        match self {
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(format_number(*n))),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Symbol(n) => Ok(Some(token::symbol(*n))),
            Value::Unknown => Ok(None),
            Value::Error(e) => Err(Value::Error(e.clone())),
            other => Err(Value::error(format!(
                "a string is required, found {}",
                other.type_name()
            ))),
        }
    }

    /// Terraform's automatic conversion to bool (`"true"`/`"false"` convert).
    pub(crate) fn to_bool(&self) -> Result<Option<bool>, Value> {
        match self {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) if s == "true" => Ok(Some(true)),
            Value::String(s) if s == "false" => Ok(Some(false)),
            Value::String(s) if token::is_opaque(s) => Ok(None),
            Value::Unknown | Value::Symbol(_) => Ok(None),
            Value::Error(e) => Err(Value::Error(e.clone())),
            other => Err(Value::error(format!(
                "a bool is required, found {}",
                describe(other)
            ))),
        }
    }

    /// Terraform's automatic conversion to number (numeric strings convert).
    pub(crate) fn to_number(&self) -> Result<Option<f64>, Value> {
        match self {
            Value::Number(n) => Ok(Some(*n)),
            Value::String(s) if token::is_opaque(s) => Ok(None),
            Value::String(s) => {
                s.trim().parse::<f64>().map(Some).map_err(|_| {
                    Value::error(format!("a number is required, found string \"{s}\""))
                })
            }
            Value::Unknown | Value::Symbol(_) => Ok(None),
            Value::Error(e) => Err(Value::Error(e.clone())),
            other => Err(Value::error(format!(
                "a number is required, found {}",
                other.type_name()
            ))),
        }
    }

    /// Converts a JSON value (from `jsondecode`, `.tf.json` files, plans).
    pub(crate) fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Writes the value as JSON (for `jsonencode`); `None` if any part is not known.
    pub(crate) fn to_json(&self) -> Option<String> {
        let mut out = String::new();
        self.write_json(&mut out).then_some(out)
    }

    fn write_json(&self, out: &mut String) -> bool {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(&format_number(*n)),
            Value::String(s) => {
                if token::is_opaque(s) {
                    return false;
                }
                out.push_str(&serde_json::Value::String(s.clone()).to_string());
            }
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.write_json(out) {
                        return false;
                    }
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    out.push(':');
                    if !v.write_json(out) {
                        return false;
                    }
                }
                out.push('}');
            }
            Value::Unknown | Value::Symbol(_) | Value::Error(_) | Value::OpenObject(_) => {
                return false;
            }
        }
        true
    }
}

/// Equality as Terraform and ARM decide it; `None` when it depends on something unknown.
pub(crate) fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Symbol(x), Value::Symbol(y)) if x == y => Some(true),
        (Value::Unknown | Value::Symbol(_) | Value::Error(_) | Value::OpenObject(_), _)
        | (_, Value::Unknown | Value::Symbol(_) | Value::Error(_) | Value::OpenObject(_)) => None,
        (Value::String(x), Value::String(y)) => {
            if token::has_unknown(x) || token::has_unknown(y) {
                None
            } else if x == y {
                // The same text, symbols included: the same value.
                Some(true)
            } else if token::is_opaque(x) || token::is_opaque(y) {
                None
            } else {
                Some(false)
            }
        }
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.values().zip(y.values()) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Null, Value::Null) => Some(true),
        _ => Some(false),
    }
}

/// The symbols one evaluation introduces (see [`Value::Symbol`]): what each stands for, in
/// number order from `base`, and the symbol of each origin, so that one origin (`var.x`,
/// `parameters('x')`) always gives the same symbol.
pub(crate) struct Symbols {
    list: std::cell::RefCell<Vec<String>>,
    base: u32,
    of: std::cell::RefCell<std::collections::HashMap<String, u32>>,
    /// The symbols whose text holds no `/` (see [`Symbols::segment`]).
    segments: std::cell::RefCell<std::collections::HashSet<u32>>,
}

impl Symbols {
    pub(crate) fn new(base: u32) -> Symbols {
        Symbols {
            list: Default::default(),
            base,
            of: Default::default(),
            segments: Default::default(),
        }
    }

    /// The symbol of a value that is one segment of a resource id whatever it is (a
    /// subscription id, a resource group name, a hash): its text holds no `/`.
    pub(crate) fn segment(&self, origin: String) -> Value {
        let v = self.symbol(origin);
        if let Value::Symbol(n) = v {
            self.segments.borrow_mut().insert(n);
        }
        v
    }

    /// Whether a symbol is one that holds no `/`.
    pub(crate) fn is_segment(&self, n: u32) -> bool {
        self.segments.borrow().contains(&n)
    }

    /// The symbol of an origin.
    pub(crate) fn symbol(&self, origin: String) -> Value {
        if let Some(&n) = self.of.borrow().get(&origin) {
            return Value::Symbol(n);
        }
        let mut list = self.list.borrow_mut();
        let n = self.base + list.len() as u32;
        list.push(origin.clone());
        self.of.borrow_mut().insert(origin, n);
        Value::Symbol(n)
    }

    /// The symbol of a part of a symbolic value (`.name`, `["key"]`); unknown for a symbol
    /// of another evaluation.
    pub(crate) fn derived(&self, n: u32, step: &str) -> Value {
        let base = n
            .checked_sub(self.base)
            .and_then(|i| self.list.borrow().get(i as usize).cloned());
        match base {
            Some(origin) => self.symbol(format!("{origin}{step}")),
            None => Value::Unknown,
        }
    }

    /// What the symbols stand for, in number order.
    pub(crate) fn descriptions(&self) -> Vec<String> {
        self.list.borrow().clone()
    }
}

/// Whether `v` equals one of `items`: unknown when it equals none for sure but some
/// comparison is unknown.
pub(crate) fn any_equal<'v>(items: impl IntoIterator<Item = &'v Value>, v: &Value) -> Value {
    let mut unknown = false;
    for item in items {
        match equal(item, v) {
            Some(true) => return Value::Bool(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(false)
    }
}

/// Numbers print as Terraform prints them: integers without a fraction.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        let mut s = String::new();
        let _ = write!(s, "{n}");
        s
    }
}

/// A short description of a value for messages: `string "yes"`, `number 3`, `list`.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("string \"{}\"", token::display(s, &[])),
        Value::Number(n) => format!("number {}", format_number(*n)),
        Value::Bool(b) => format!("bool {b}"),
        other => other.type_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_terraform() {
        assert_eq!(Value::str("true").to_bool(), Ok(Some(true)));
        assert!(Value::str("yes").to_bool().is_err());
        assert_eq!(Value::Number(3.0).to_str(), Ok(Some("3".into())));
        assert_eq!(Value::Number(0.5).to_str(), Ok(Some("0.5".into())));
        assert_eq!(Value::str(" 8 ").to_number(), Ok(Some(8.0)));
        assert!(Value::List(vec![]).to_str().is_err());
        assert_eq!(Value::Unknown.to_bool(), Ok(None));
    }

    #[test]
    fn json_round_trip() {
        let v = Value::from_json(&serde_json::json!({"b": [1, "x", null], "a": true}));
        assert_eq!(v.to_json().unwrap(), r#"{"a":true,"b":[1,"x",null]}"#);
        assert_eq!(Value::List(vec![Value::Unknown]).to_json(), None);
    }

    #[test]
    fn errors_stay_local() {
        let v = Value::List(vec![Value::error("boom"), Value::Number(1.0)]);
        assert_eq!(v.find_error(), Some("boom"));
        assert_eq!(v.clone().errors_as_unknown().find_error(), None);
        assert!(!v.is_whole());
    }
}
