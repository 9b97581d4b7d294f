//! Where an expression is evaluated: its file and the names bound around it (`for`
//! variables, `each`, `count`, a `dynamic` block's iterator), and the instance keys of
//! resources and module calls with `count` or `for_each`.

use crate::frontend::value::Value;
use crate::source::FileId;
use std::collections::BTreeMap;
use std::rc::Rc;

struct Frame {
    name: String,
    value: Value,
    parent: Option<Rc<Frame>>,
}

/// A file and the local names in scope. Cheap to clone: frames are shared.
#[derive(Clone)]
pub(crate) struct Scope {
    pub file: FileId,
    frame: Option<Rc<Frame>>,
}

impl Scope {
    pub(crate) fn root(file: FileId) -> Scope {
        Scope { file, frame: None }
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<&Value> {
        let mut f = self.frame.as_deref();
        while let Some(frame) = f {
            if frame.name == name {
                return Some(&frame.value);
            }
            f = frame.parent.as_deref();
        }
        None
    }

    /// This scope with `name` bound to `value`.
    pub(crate) fn with(&self, name: &str, value: Value) -> Scope {
        Scope {
            file: self.file,
            frame: Some(Rc::new(Frame {
                name: name.to_string(),
                value,
                parent: self.frame.clone(),
            })),
        }
    }
}

/// The key of one instance of a resource or module call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Key {
    /// Neither `count` nor `for_each`.
    None,
    Index(u32),
    Name(String),
}

impl Key {
    /// How Terraform writes the key after the address: ``, `[0]`, `["payments"]`.
    pub(crate) fn suffix(&self) -> String {
        match self {
            Key::None => String::new(),
            Key::Index(i) => format!("[{i}]"),
            Key::Name(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }
}

/// The instances of a resource or module call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Instances {
    Single,
    /// `count = n`.
    Count(u32),
    /// `for_each`: each key with its `each.value`.
    ForEach(BTreeMap<String, Value>),
    /// `count` or `for_each` is not known: the instances are not either.
    Unknown,
}

impl Instances {
    /// Every instance: its key, and the scope its arguments are evaluated in.
    pub(crate) fn each(&self, file: FileId) -> Vec<(Key, Scope)> {
        let root = Scope::root(file);
        match self {
            Instances::Single => vec![(Key::None, root)],
            Instances::Count(n) => (0..*n)
                .map(|i| {
                    let count = Value::Object(BTreeMap::from([(
                        "index".to_string(),
                        Value::Number(i as f64),
                    )]));
                    (Key::Index(i), root.with("count", count))
                })
                .collect(),
            Instances::ForEach(map) => map
                .iter()
                .map(|(k, v)| {
                    let each = Value::Object(BTreeMap::from([
                        ("key".to_string(), Value::String(k.clone())),
                        ("value".to_string(), v.clone()),
                    ]));
                    (Key::Name(k.clone()), root.with("each", each))
                })
                .collect(),
            Instances::Unknown => Vec::new(),
        }
    }

    /// The scope of one instance, if it exists.
    pub(crate) fn scope(&self, key: &Key, file: FileId) -> Option<Scope> {
        let root = Scope::root(file);
        match (self, key) {
            (Instances::Single, Key::None) => Some(root),
            (Instances::Count(n), Key::Index(i)) if i < n => {
                let count = Value::Object(BTreeMap::from([(
                    "index".to_string(),
                    Value::Number(*i as f64),
                )]));
                Some(root.with("count", count))
            }
            (Instances::ForEach(map), Key::Name(k)) => map.get(k).map(|v| {
                let each = Value::Object(BTreeMap::from([
                    ("key".to_string(), Value::String(k.clone())),
                    ("value".to_string(), v.clone()),
                ]));
                root.with("each", each)
            }),
            _ => None,
        }
    }

    /// The key an index value selects (`[0]`, `["a"]`): `Ok(None)` when it is not
    /// known, `Err` when no such instance exists.
    pub(crate) fn key_for(&self, index: &Value) -> Result<Option<Key>, Value> {
        let none = match self {
            Instances::Count(0) => true,
            Instances::ForEach(map) => map.is_empty(),
            _ => false,
        };
        if none {
            return Err(Value::error("there are no instances to index"));
        }
        match self {
            Instances::Count(n) => match index.to_number() {
                Ok(Some(i)) if i >= 0.0 && i.fract() == 0.0 && (i as u32) < *n => {
                    Ok(Some(Key::Index(i as u32)))
                }
                Ok(Some(i)) => Err(Value::error(format!(
                    "index {} is out of range for {n} instances",
                    crate::frontend::value::format_number(i)
                ))),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            },
            Instances::ForEach(map) => match index.to_str() {
                Ok(Some(k)) if crate::ir::token::is_opaque(&k) => Ok(None),
                Ok(Some(k)) if map.contains_key(&k) => Ok(Some(Key::Name(k))),
                Ok(Some(k)) => Err(Value::error(format!("no instance has the key \"{k}\""))),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            },
            Instances::Single => Err(Value::error(
                "the resource has no `count` or `for_each`: it cannot be indexed",
            )),
            Instances::Unknown => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_print_as_terraform_writes_them() {
        assert_eq!(Key::None.suffix(), "");
        assert_eq!(Key::Index(2).suffix(), "[2]");
        assert_eq!(
            Key::Name("pay\"ments".into()).suffix(),
            "[\"pay\\\"ments\"]"
        );
    }

    #[test]
    fn scopes_bind_each_and_count() {
        let inst = Instances::ForEach(BTreeMap::from([("a".to_string(), Value::Number(1.0))]));
        let all = inst.each(FileId(0));
        assert_eq!(all.len(), 1);
        let Some(Value::Object(each)) = all[0].1.lookup("each") else {
            panic!("each is bound")
        };
        assert_eq!(each["key"], Value::str("a"));
        assert_eq!(
            inst.key_for(&Value::str("a")),
            Ok(Some(Key::Name("a".into())))
        );
        assert!(inst.key_for(&Value::str("b")).is_err());
        assert_eq!(
            Instances::Count(2).key_for(&Value::Number(1.0)),
            Ok(Some(Key::Index(1)))
        );
        assert!(
            Instances::Count(2)
                .scope(&Key::Index(2), FileId(0))
                .is_none()
        );
    }
}
