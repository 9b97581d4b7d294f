//! Variable type constraints: parsing `type = …` and converting values to it the way
//! Terraform does, `optional()` attributes and their defaults included.

use crate::frontend::value::Value;
use hcl::edit::expr::{Expression, ObjectKey};
use std::collections::BTreeMap;

/// A Terraform type constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<Attr>),
}

impl Type {
    /// A string, number or bool (what a `--var` value is taken literally as).
    pub(crate) fn is_primitive(&self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Bool)
    }
}

/// An attribute of an object type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attr {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    /// The `optional(T, default)` default, already evaluated.
    pub default: Option<Value>,
}

/// Parses a type expression; `eval` evaluates `optional()` defaults. Unrecognised
/// constraints are `Any`.
pub(crate) fn parse(expr: &Expression, eval: &dyn Fn(&Expression) -> Value) -> Type {
    match expr {
        Expression::Variable(v) => match v.as_str() {
            "string" => Type::String,
            "number" => Type::Number,
            "bool" => Type::Bool,
            _ => Type::Any,
        },
        Expression::Parenthesis(p) => parse(p.inner(), eval),
        Expression::FuncCall(f) => {
            let args: Vec<&Expression> = f.args.iter().collect();
            match (f.name.name.as_str(), args.as_slice()) {
                ("list" | "set", [t]) => Type::List(Box::new(parse(t, eval))),
                ("map", [t]) => Type::Map(Box::new(parse(t, eval))),
                ("tuple", [Expression::Array(items)]) => {
                    Type::Tuple(items.iter().map(|t| parse(t, eval)).collect())
                }
                ("object", [Expression::Object(obj)]) => Type::Object(
                    obj.iter()
                        .filter_map(|(k, v)| {
                            let name = match k {
                                ObjectKey::Ident(id) => id.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                                ObjectKey::Expression(Expression::Variable(v)) => {
                                    v.as_str().to_string()
                                }
                                ObjectKey::Expression(_) => return None,
                            };
                            Some(attr(name, v.expr(), eval))
                        })
                        .collect(),
                ),
                _ => Type::Any,
            }
        }
        _ => Type::Any,
    }
}

fn attr(name: String, expr: &Expression, eval: &dyn Fn(&Expression) -> Value) -> Attr {
    if let Expression::FuncCall(f) = expr
        && f.name.name.as_str() == "optional"
    {
        let args: Vec<&Expression> = f.args.iter().collect();
        let ty = args.first().map_or(Type::Any, |t| parse(t, eval));
        let default = args.get(1).map(|d| convert(eval(d), &ty));
        return Attr {
            name,
            ty,
            optional: true,
            default,
        };
    }
    Attr {
        name,
        ty: parse(expr, eval),
        optional: false,
        default: None,
    }
}

/// Converts `v` to `ty` as Terraform converts a variable's value: missing optional
/// attributes take their defaults (or null), undeclared attributes are dropped, scalars
/// convert between string, number and bool. What cannot convert is an `Error`.
pub(crate) fn convert(v: Value, ty: &Type) -> Value {
    match (v, ty) {
        (v @ (Value::Unknown | Value::Symbol(_) | Value::Error(_) | Value::Null), _) => v,
        (v, Type::Any) => v,
        (v, Type::String) => match v.to_str() {
            Ok(Some(s)) => Value::String(s),
            Ok(None) => Value::Unknown,
            Err(e) => e,
        },
        (v, Type::Number) => match v.to_number() {
            Ok(Some(n)) => Value::Number(n),
            Ok(None) => Value::Unknown,
            Err(e) => e,
        },
        (v, Type::Bool) => match v.to_bool() {
            Ok(Some(b)) => Value::Bool(b),
            Ok(None) => Value::Unknown,
            Err(e) => e,
        },
        (Value::List(items), Type::List(t)) => {
            Value::List(items.into_iter().map(|i| convert(i, t)).collect())
        }
        (Value::List(items), Type::Tuple(types)) if items.len() == types.len() => Value::List(
            items
                .into_iter()
                .zip(types)
                .map(|(i, t)| convert(i, t))
                .collect(),
        ),
        (Value::Object(map) | Value::OpenObject(map), Type::Map(t)) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, convert(v, t))).collect())
        }
        (Value::Object(mut map) | Value::OpenObject(mut map), Type::Object(attrs)) => {
            let mut out = BTreeMap::new();
            for a in attrs {
                let v = match map.remove(&a.name) {
                    Some(Value::Null) if a.optional => a.default.clone().unwrap_or(Value::Null),
                    Some(v) => convert(v, &a.ty),
                    None if a.optional => a.default.clone().unwrap_or(Value::Null),
                    None => {
                        return Value::error(format!("attribute \"{}\" is required", a.name));
                    }
                };
                out.insert(a.name.clone(), v);
            }
            Value::Object(out)
        }
        (v @ Value::OpenObject(_), _) => v,
        (v, t) => Value::error(format!(
            "a {} cannot convert to {}",
            v.type_name(),
            describe(t)
        )),
    }
}

fn describe(t: &Type) -> &'static str {
    match t {
        Type::Any => "any",
        Type::String => "string",
        Type::Number => "number",
        Type::Bool => "bool",
        Type::List(_) => "a list",
        Type::Map(_) => "a map",
        Type::Tuple(_) => "a tuple",
        Type::Object(_) => "an object",
    }
}
