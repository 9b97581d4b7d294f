//! ARM template functions that depend on their arguments only. Those that read the
//! template (`parameters`, `variables`, `copyIndex`, `resourceGroup`, `reference`, …) are
//! in the evaluator. A function not implemented here returns `Unknown`.
//!
//! Strings with unknown or symbolic parts pass through the functions that only move text
//! around (`concat`, `format`, `toLower`, …), so an id built from an unknown subscription
//! still names its resource group and resource; functions that inspect text see them as
//! unknown.

use crate::frontend::value::{Value, any_equal, equal};
use crate::ir::token;
use std::collections::BTreeMap;

/// The functions [`call`] evaluates (and those the evaluator does), lowercase: a call of any
/// other function is unknown, and `--verbose` says so.
pub(crate) const IMPLEMENTED: &[&str] = &[
    "true",
    "false",
    "null",
    "concat",
    "array",
    "flatten",
    "join",
    "objectkeys",
    "shallowmerge",
    "intersection",
    "indexfromend",
    "tryindexfromend",
    "float",
    "cidrsubnet",
    "parsecidr",
    "format",
    "tolower",
    "toupper",
    "string",
    "int",
    "bool",
    "equals",
    "not",
    "and",
    "or",
    "empty",
    "length",
    "first",
    "last",
    "take",
    "skip",
    "split",
    "replace",
    "union",
    "createarray",
    "createobject",
    "contains",
    "coalesce",
    "json",
    "indexof",
    "lastindexof",
    "substring",
    "startswith",
    "endswith",
    "trim",
    "padleft",
    "range",
    "min",
    "max",
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "less",
    "lessorequals",
    "greater",
    "greaterorequals",
    "items",
    "tryget",
    // Read by the evaluator; unknown by nature (runtime values, hashes, secrets).
    "reference",
    "references",
    "list",
    "listkeys",
    "listsecrets",
    "listaccountsas",
    "uniquestring",
    "guid",
    "newguid",
    "utcnow",
    "lambda",
];

/// Calls a function (name lowercased) on evaluated arguments.
pub(crate) fn call(name: &str, args: &[Value]) -> Value {
    if let Some(e) = args.iter().find(|a| a.is_error()) {
        return e.clone();
    }
    match name {
        "true" if args.is_empty() => Value::Bool(true),
        "false" if args.is_empty() => Value::Bool(false),
        "null" if args.is_empty() => Value::Null,
        "concat" => concat(args),
        "array" => match args {
            [l @ Value::List(_)] => l.clone(),
            [Value::Unknown] => Value::Unknown,
            [v] => Value::List(vec![v.clone()]),
            _ => arity("array"),
        },
        "flatten" => match args {
            [Value::List(outer)] => {
                let mut out = Vec::new();
                for inner in outer {
                    match inner {
                        Value::List(l) => out.extend(l.iter().cloned()),
                        _ => return Value::Unknown,
                    }
                }
                Value::List(out)
            }
            [_] => Value::Unknown,
            _ => arity("flatten"),
        },
        "join" => match args {
            [Value::List(items), Value::String(sep)] => items
                .iter()
                .map(text_of)
                .collect::<Option<Vec<_>>>()
                .map_or(Value::Unknown, |parts| Value::String(parts.join(sep))),
            [_, _] => Value::Unknown,
            _ => arity("join"),
        },
        "objectkeys" => match args {
            [Value::Object(m)] => Value::List(m.keys().cloned().map(Value::String).collect()),
            [_] => Value::Unknown,
            _ => arity("objectKeys"),
        },
        "shallowmerge" => match args {
            [Value::List(objects)] => {
                let mut out = BTreeMap::new();
                for o in objects {
                    match o {
                        Value::Object(m) => {
                            out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())))
                        }
                        _ => return Value::Unknown,
                    }
                }
                Value::Object(out)
            }
            [_] => Value::Unknown,
            _ => arity("shallowMerge"),
        },
        "intersection" => intersection(args),
        "indexfromend" | "tryindexfromend" => match args {
            [Value::List(l), Value::Number(i)] if *i >= 1.0 && (*i as usize) <= l.len() => {
                l[l.len() - *i as usize].clone()
            }
            [Value::List(_), Value::Number(_)] if name == "tryindexfromend" => Value::Null,
            [Value::List(_), Value::Number(i)] => {
                Value::error(format!("indexFromEnd(): index {i} is out of range"))
            }
            [_, _] => Value::Unknown,
            _ => arity(name),
        },
        "float" => match args {
            [v] => match v.to_number() {
                Ok(Some(n)) => Value::Number(n),
                Ok(None) => Value::Unknown,
                Err(e) => e,
            },
            _ => arity("float"),
        },
        "cidrsubnet" => cidr_subnet(args),
        "parsecidr" => parse_cidr(args),
        "format" => format(args),
        "tolower" => text(args, |s| s.to_lowercase()),
        "toupper" => text(args, |s| s.to_uppercase()),
        "string" => match args {
            [Value::String(s)] => Value::String(s.clone()),
            [v @ (Value::List(_) | Value::Object(_))] => {
                v.to_json().map_or(Value::Unknown, Value::String)
            }
            [v] => v
                .to_str()
                .ok()
                .flatten()
                .map_or(Value::Unknown, Value::String),
            _ => arity("string"),
        },
        "int" => match args {
            [v] => match v.to_number() {
                Ok(Some(n)) => Value::Number(n.trunc()),
                Ok(None) => Value::Unknown,
                Err(e) => e,
            },
            _ => arity("int"),
        },
        "bool" => match args {
            [Value::Number(n)] => Value::Bool(*n != 0.0),
            [Value::String(s)] if s.eq_ignore_ascii_case("true") => Value::Bool(true),
            [Value::String(s)] if s.eq_ignore_ascii_case("false") => Value::Bool(false),
            [v] => match v.to_bool() {
                Ok(Some(b)) => Value::Bool(b),
                Ok(None) => Value::Unknown,
                Err(e) => e,
            },
            _ => arity("bool"),
        },
        "equals" => match args {
            [a, b] => equal(a, b).map_or(Value::Unknown, Value::Bool),
            _ => arity("equals"),
        },
        "not" => match args {
            [v] => v
                .to_bool()
                .ok()
                .flatten()
                .map_or(Value::Unknown, |b| Value::Bool(!b)),
            _ => arity("not"),
        },
        "and" | "or" => logic(args, name == "and"),
        "empty" => match args {
            [Value::Null] => Value::Bool(true),
            [Value::List(l)] => Value::Bool(l.is_empty()),
            [Value::Object(m)] => Value::Bool(m.is_empty()),
            [Value::String(s)] if !token::is_opaque(s) => Value::Bool(s.is_empty()),
            [Value::String(s)] if !s.is_empty() => Value::Bool(false),
            [_] => Value::Unknown,
            _ => arity("empty"),
        },
        "length" => match args {
            [Value::List(l)] => Value::Number(l.len() as f64),
            [Value::Object(m)] => Value::Number(m.len() as f64),
            [Value::String(s)] if !token::is_opaque(s) => Value::Number(s.chars().count() as f64),
            [_] => Value::Unknown,
            _ => arity("length"),
        },
        "first" | "last" => match args {
            [Value::List(l)] => {
                let item = if name == "first" { l.first() } else { l.last() };
                item.cloned().unwrap_or(Value::Null)
            }
            [Value::String(s)] if !token::is_opaque(s) => {
                let c = if name == "first" {
                    s.chars().next()
                } else {
                    s.chars().last()
                };
                Value::String(c.map(String::from).unwrap_or_default())
            }
            [_] => Value::Unknown,
            _ => arity(name),
        },
        "take" | "skip" => match args {
            [v, n] => {
                let Ok(Some(n)) = n.to_number() else {
                    return Value::Unknown;
                };
                let n = n.max(0.0) as usize;
                match v {
                    Value::List(l) => Value::List(if name == "take" {
                        l.iter().take(n).cloned().collect()
                    } else {
                        l.iter().skip(n).cloned().collect()
                    }),
                    Value::String(s) if !token::is_opaque(s) => Value::String(if name == "take" {
                        s.chars().take(n).collect()
                    } else {
                        s.chars().skip(n).collect()
                    }),
                    _ => Value::Unknown,
                }
            }
            _ => arity(name),
        },
        "split" => match args {
            [Value::String(s), sep] if !token::is_opaque(s) => {
                let seps: Vec<String> = match sep {
                    Value::String(d) => vec![d.clone()],
                    Value::List(ds) => ds
                        .iter()
                        .filter_map(|d| d.to_str().ok().flatten())
                        .collect(),
                    _ => return Value::Unknown,
                };
                let mut parts = vec![s.clone()];
                for d in seps.iter().filter(|d| !d.is_empty()) {
                    parts = parts
                        .iter()
                        .flat_map(|p| p.split(d.as_str()).map(str::to_string).collect::<Vec<_>>())
                        .collect();
                }
                Value::List(parts.into_iter().map(Value::String).collect())
            }
            [_, _] => Value::Unknown,
            _ => arity("split"),
        },
        "replace" => match args {
            [Value::String(s), Value::String(from), Value::String(to)]
                if !token::is_opaque(s) && !from.is_empty() =>
            {
                Value::String(s.replace(from.as_str(), to))
            }
            [_, _, _] => Value::Unknown,
            _ => arity("replace"),
        },
        "union" => union(args),
        "createarray" => Value::List(args.to_vec()),
        "createobject" => {
            let mut map = BTreeMap::new();
            for pair in args.chunks(2) {
                match pair {
                    [Value::String(k), v] if !token::is_opaque(k) => {
                        map.insert(k.clone(), v.clone());
                    }
                    [_, _] => return Value::Unknown,
                    _ => return Value::error("createObject takes pairs of keys and values"),
                }
            }
            Value::Object(map)
        }
        "contains" => match args {
            [Value::List(l), v] => any_equal(l, v),
            [Value::Object(m), Value::String(k)] if !token::is_opaque(k) => {
                Value::Bool(m.keys().any(|key| key.eq_ignore_ascii_case(k)))
            }
            [Value::String(s), Value::String(sub)]
                if !token::is_opaque(s) && !token::is_opaque(sub) =>
            {
                Value::Bool(s.contains(sub.as_str()))
            }
            [_, _] => Value::Unknown,
            _ => arity("contains"),
        },
        "coalesce" => {
            for a in args {
                match a {
                    Value::Null => {}
                    Value::Unknown | Value::Symbol(_) => return Value::Unknown,
                    other => return other.clone(),
                }
            }
            Value::Null
        }
        // Read as templates are: comments and trailing commas are fine.
        "json" => match args {
            [Value::String(s)] if !token::is_opaque(s) => match crate::frontend::json::parse(s) {
                Ok(node) => super::literal(&node),
                Err((_, e)) => Value::error(format!("json(): {e}")),
            },
            [_] => Value::Unknown,
            _ => arity("json"),
        },
        "indexof" | "lastindexof" => match args {
            [Value::String(s), Value::String(sub)]
                if !token::is_opaque(s) && !token::is_opaque(sub) =>
            {
                let (s, sub) = (s.to_lowercase(), sub.to_lowercase());
                let at = if name == "indexof" {
                    s.find(&sub)
                } else {
                    s.rfind(&sub)
                };
                Value::Number(at.map_or(-1.0, |i| s[..i].chars().count() as f64))
            }
            [Value::List(l), v] => {
                let mut found = -1.0;
                for (i, item) in l.iter().enumerate() {
                    match equal(item, v) {
                        Some(true) => {
                            found = i as f64;
                            if name == "indexof" {
                                break;
                            }
                        }
                        Some(false) => {}
                        None => return Value::Unknown,
                    }
                }
                Value::Number(found)
            }
            [_, _] => Value::Unknown,
            _ => arity(name),
        },
        "substring" => match args {
            [Value::String(s), start, rest @ ..] if !token::is_opaque(s) => {
                let chars: Vec<char> = s.chars().collect();
                let Ok(Some(start)) = start.to_number() else {
                    return Value::Unknown;
                };
                let start = start.max(0.0) as usize;
                let len = match rest.first() {
                    Some(l) => match l.to_number() {
                        Ok(Some(l)) => l.max(0.0) as usize,
                        _ => return Value::Unknown,
                    },
                    None => chars.len().saturating_sub(start),
                };
                if start + len > chars.len() {
                    return Value::error("substring: the index and length are out of range");
                }
                Value::String(chars[start..start + len].iter().collect())
            }
            [_, ..] => Value::Unknown,
            _ => arity("substring"),
        },
        "startswith" | "endswith" => match args {
            [Value::String(s), Value::String(p)]
                if !token::is_opaque(s) && !token::is_opaque(p) =>
            {
                let (s, p) = (s.to_lowercase(), p.to_lowercase());
                Value::Bool(if name == "startswith" {
                    s.starts_with(&p)
                } else {
                    s.ends_with(&p)
                })
            }
            [_, _] => Value::Unknown,
            _ => arity(name),
        },
        "trim" => match args {
            [Value::String(s)] if !token::is_opaque(s) => Value::String(s.trim().to_string()),
            [_] => Value::Unknown,
            _ => arity("trim"),
        },
        "padleft" => match args {
            [v, n, rest @ ..] => {
                let Ok(Some(s)) = v.to_str() else {
                    return Value::Unknown;
                };
                let Ok(Some(n)) = n.to_number() else {
                    return Value::Unknown;
                };
                if token::is_opaque(&s) {
                    return Value::Unknown;
                }
                let pad = match rest.first() {
                    Some(Value::String(p)) => p.chars().next().unwrap_or(' '),
                    _ => ' ',
                };
                let len = s.chars().count();
                let mut out: String =
                    std::iter::repeat_n(pad, (n as usize).saturating_sub(len)).collect();
                out.push_str(&s);
                Value::String(out)
            }
            _ => arity("padLeft"),
        },
        "range" => match args {
            [start, count] => match (start.to_number(), count.to_number()) {
                (Ok(Some(s)), Ok(Some(c))) if (0.0..=100_000.0).contains(&c) => {
                    Value::List((0..c as i64).map(|i| Value::Number(s + i as f64)).collect())
                }
                (Ok(Some(_)), Ok(Some(_))) => Value::error("range: the count is out of range"),
                _ => Value::Unknown,
            },
            _ => arity("range"),
        },
        "min" | "max" => {
            let nums: Vec<&Value> = match args {
                [Value::List(l)] => l.iter().collect(),
                other => other.iter().collect(),
            };
            let mut best: Option<f64> = None;
            for n in nums {
                let Ok(Some(n)) = n.to_number() else {
                    return Value::Unknown;
                };
                best = Some(match best {
                    None => n,
                    Some(b) if name == "max" => b.max(n),
                    Some(b) => b.min(n),
                });
            }
            best.map_or(Value::Unknown, Value::Number)
        }
        "add" | "sub" | "mul" | "div" | "mod" => match args {
            [a, b] => match (a.to_number(), b.to_number()) {
                (Ok(Some(a)), Ok(Some(b))) => match name {
                    "add" => Value::Number(a + b),
                    "sub" => Value::Number(a - b),
                    "mul" => Value::Number(a * b),
                    _ if b == 0.0 => Value::error(format!("{name}: division by zero")),
                    "div" => Value::Number((a / b).trunc()),
                    _ => Value::Number(a % b),
                },
                _ => Value::Unknown,
            },
            _ => arity(name),
        },
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            let order = match args {
                // Strings compare ordinally, numbers as numbers.
                [Value::String(a), Value::String(b)]
                    if !token::is_opaque(a) && !token::is_opaque(b) =>
                {
                    Some(a.cmp(b))
                }
                [a @ Value::Number(_), b @ Value::Number(_)] => {
                    match (a.to_number(), b.to_number()) {
                        (Ok(Some(a)), Ok(Some(b))) => a.partial_cmp(&b),
                        _ => None,
                    }
                }
                [_, _] => None,
                _ => return arity(name),
            };
            match order {
                Some(o) => Value::Bool(match name {
                    "less" => o.is_lt(),
                    "lessorequals" => o.is_le(),
                    "greater" => o.is_gt(),
                    _ => o.is_ge(),
                }),
                None => Value::Unknown,
            }
        }
        "items" => match args {
            [Value::Object(m)] => Value::List(
                m.iter()
                    .map(|(k, v)| {
                        Value::Object(BTreeMap::from([
                            ("key".to_string(), Value::String(k.clone())),
                            ("value".to_string(), v.clone()),
                        ]))
                    })
                    .collect(),
            ),
            [_] => Value::Unknown,
            _ => arity("items"),
        },
        "tryget" => match args {
            [v, keys @ ..] => {
                let mut cur = v.clone();
                for k in keys {
                    cur = match (cur, k) {
                        (Value::Object(m), Value::String(k)) => {
                            get_ci(&m, k).cloned().unwrap_or(Value::Null)
                        }
                        (Value::List(l), Value::Number(i)) => {
                            l.get(*i as usize).cloned().unwrap_or(Value::Null)
                        }
                        (Value::Null, _) => Value::Null,
                        _ => return Value::Unknown,
                    };
                }
                cur
            }
            _ => arity("tryGet"),
        },
        _ => Value::Unknown,
    }
}

/// An object member, looked up case-insensitively as ARM does.
pub(crate) fn get_ci<'m>(map: &'m BTreeMap<String, Value>, key: &str) -> Option<&'m Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// `intersection(a, b, …)`: the elements (or members) all of them have.
fn intersection(args: &[Value]) -> Value {
    match args.first() {
        Some(Value::List(first)) => {
            let mut out = Vec::new();
            for item in first {
                let mut everywhere = true;
                for other in &args[1..] {
                    let Value::List(l) = other else {
                        return Value::Unknown;
                    };
                    match any_equal(l, item) {
                        Value::Bool(true) => {}
                        Value::Bool(false) => everywhere = false,
                        _ => return Value::Unknown,
                    }
                }
                if everywhere && any_equal(&out, item) == Value::Bool(false) {
                    out.push(item.clone());
                }
            }
            Value::List(out)
        }
        Some(Value::Object(first)) => {
            let mut out = BTreeMap::new();
            for (k, v) in first {
                let mut everywhere = true;
                for other in &args[1..] {
                    let Value::Object(m) = other else {
                        return Value::Unknown;
                    };
                    match m.get(k).map(|w| equal(v, w)) {
                        Some(Some(true)) => {}
                        Some(Some(false)) | None => everywhere = false,
                        Some(None) => return Value::Unknown,
                    }
                }
                if everywhere {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Object(out)
        }
        _ => Value::Unknown,
    }
}

/// A CIDR network argument.
fn network(v: &Value) -> Result<ipnet::IpNet, Value> {
    match v {
        Value::String(s) if !token::is_opaque(s) => s
            .trim()
            .parse::<ipnet::IpNet>()
            .map_err(|_| Value::error(format!("\"{s}\" is not in CIDR notation"))),
        _ => Err(Value::Unknown),
    }
}

/// `cidrSubnet(network, newCIDR, subnetIndex)`: subnet `subnetIndex` of length `newCIDR`.
fn cidr_subnet(args: &[Value]) -> Value {
    let [net, len, index] = args else {
        return arity("cidrSubnet");
    };
    let net = match network(net) {
        Ok(n) => n.trunc(),
        Err(e) => return e,
    };
    let (Value::Number(len), Value::Number(index)) = (len, index) else {
        return Value::Unknown;
    };
    let (len, index) = (*len as i64, *index as i64);
    let max = net.max_prefix_len() as i64;
    if len < net.prefix_len() as i64 || len > max {
        return Value::error(format!(
            "cidrSubnet(): {len} is not a prefix length within {net}"
        ));
    }
    let bits = len - net.prefix_len() as i64;
    if index < 0 || (bits < 64 && index >= 1i64 << bits) {
        return Value::error(format!(
            "cidrSubnet(): {net} has no /{len} subnet number {index}"
        ));
    }
    let offset = (index as u128).checked_shl((max - len) as u32).unwrap_or(0);
    let subnet = match net {
        ipnet::IpNet::V4(n) => ipnet::Ipv4Net::new(
            std::net::Ipv4Addr::from(u32::from(n.network()).wrapping_add(offset as u32)),
            len as u8,
        )
        .map(ipnet::IpNet::V4),
        ipnet::IpNet::V6(n) => ipnet::Ipv6Net::new(
            std::net::Ipv6Addr::from(u128::from(n.network()).wrapping_add(offset)),
            len as u8,
        )
        .map(ipnet::IpNet::V6),
    };
    subnet.map_or(Value::Unknown, |n| Value::String(n.to_string()))
}

/// `parseCidr(network)`: the range's network, netmask, broadcast (IPv4), first and last
/// usable addresses and prefix length.
fn parse_cidr(args: &[Value]) -> Value {
    let [net] = args else {
        return arity("parseCidr");
    };
    let net = match network(net) {
        Ok(n) => n.trunc(),
        Err(e) => return e,
    };
    let mut out = BTreeMap::new();
    let s = |v: String| Value::String(v);
    out.insert("network".to_string(), s(net.network().to_string()));
    out.insert("netmask".to_string(), s(net.netmask().to_string()));
    out.insert("cidr".to_string(), Value::Number(net.prefix_len() as f64));
    match net {
        ipnet::IpNet::V4(n) => {
            let (first, last) = (u32::from(n.network()), u32::from(n.broadcast()));
            out.insert("broadcast".to_string(), s(n.broadcast().to_string()));
            let (lo, hi) = if n.prefix_len() >= 31 {
                (first, last)
            } else {
                (first + 1, last - 1)
            };
            out.insert(
                "firstUsable".to_string(),
                s(std::net::Ipv4Addr::from(lo).to_string()),
            );
            out.insert(
                "lastUsable".to_string(),
                s(std::net::Ipv4Addr::from(hi).to_string()),
            );
        }
        ipnet::IpNet::V6(n) => {
            out.insert("firstUsable".to_string(), s(n.network().to_string()));
            out.insert("lastUsable".to_string(), s(n.broadcast().to_string()));
        }
    }
    Value::Object(out)
}

fn arity(name: &str) -> Value {
    Value::error(format!("wrong number of arguments to {name}()"))
}

/// A string argument for functions that only move text: unknown parts kept as markers.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Unknown => Some(token::UNKNOWN.to_string()),
        other => other.to_str().ok().flatten(),
    }
}

fn text(args: &[Value], f: impl Fn(&str) -> String) -> Value {
    match args {
        [v] => text_of(v).map_or(Value::Unknown, |s| Value::String(f(&s))),
        _ => arity("string function"),
    }
}

fn concat(args: &[Value]) -> Value {
    if let Some(Value::List(_)) = args.first() {
        let mut out = Vec::new();
        for a in args {
            match a {
                Value::List(l) => out.extend(l.iter().cloned()),
                Value::Null => {}
                _ => return Value::Unknown,
            }
        }
        return Value::List(out);
    }
    let mut out = String::new();
    for a in args {
        match a {
            Value::List(_) | Value::Object(_) => {
                return Value::error("concat: mixes strings and arrays");
            }
            Value::Null => {}
            other => match text_of(other) {
                Some(s) => out.push_str(&s),
                None => return Value::Unknown,
            },
        }
    }
    Value::String(out)
}

/// .NET composite formatting: `{0}`, `{1:D3}`; `{{` and `}}` for braces.
fn format(args: &[Value]) -> Value {
    let Some((Value::String(fmt), rest)) = args.split_first() else {
        return Value::Unknown;
    };
    if token::is_opaque(fmt) {
        return Value::Unknown;
    }
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let (index, format) = spec.split_once(':').unwrap_or((&spec, ""));
                let Ok(i) = index.trim().parse::<usize>() else {
                    return Value::error(format!("format: invalid placeholder {{{spec}}}"));
                };
                let Some(arg) = rest.get(i) else {
                    return Value::error("format: not enough arguments");
                };
                let Some(s) = text_of(arg) else {
                    return Value::Unknown;
                };
                let digits = format
                    .strip_prefix(['D', 'd'])
                    .and_then(|d| d.parse::<usize>().ok());
                match (digits, arg) {
                    (Some(width), Value::Number(n)) => {
                        let _ = std::fmt::Write::write_fmt(
                            &mut out,
                            format_args!("{:0width$}", *n as i64),
                        );
                    }
                    _ => out.push_str(&s),
                }
            }
            c => out.push(c),
        }
    }
    Value::String(out)
}

fn logic(args: &[Value], all: bool) -> Value {
    let mut unknown = false;
    for a in args {
        match a.to_bool() {
            Ok(Some(b)) if b != all => return Value::Bool(!all),
            Ok(Some(_)) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(all)
    }
}

fn union(args: &[Value]) -> Value {
    match args.first() {
        Some(Value::Object(_)) => {
            let mut out = BTreeMap::new();
            for a in args {
                match a {
                    Value::Object(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    _ => return Value::Unknown,
                }
            }
            Value::Object(out)
        }
        Some(Value::List(_)) => {
            let mut out: Vec<Value> = Vec::new();
            for a in args {
                let Value::List(l) = a else {
                    return Value::Unknown;
                };
                for item in l {
                    match any_equal(&out, item) {
                        Value::Bool(true) => {}
                        Value::Bool(false) => out.push(item.clone()),
                        _ => return Value::Unknown,
                    }
                }
            }
            Value::List(out)
        }
        _ => Value::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    #[test]
    fn strings_and_arrays() {
        assert_eq!(call("concat", &[s("a-"), Value::Number(1.0)]), s("a-1"));
        assert_eq!(
            call(
                "concat",
                &[Value::List(vec![s("a")]), Value::List(vec![s("b")])]
            ),
            Value::List(vec![s("a"), s("b")])
        );
        assert_eq!(
            call("format", &[s("{0}-{1:D2}"), s("vnet"), Value::Number(3.0)]),
            s("vnet-03")
        );
        assert_eq!(
            call("toLower".to_lowercase().as_str(), &[s("HUB")]),
            s("hub")
        );
        assert_eq!(
            call("split", &[s("a/b"), s("/")]),
            Value::List(vec![s("a"), s("b")])
        );
        assert_eq!(call("last", &[Value::List(vec![s("a"), s("b")])]), s("b"));
        assert_eq!(
            call("startswith", &[s("Hub-vnet"), s("hub")]),
            Value::Bool(true)
        );
        assert_eq!(
            call(
                "substring",
                &[s("abcdef"), Value::Number(1.0), Value::Number(3.0)]
            ),
            s("bcd")
        );
        assert_eq!(
            call("range", &[Value::Number(1.0), Value::Number(3.0)]),
            Value::List(vec![
                Value::Number(1.0),
                Value::Number(2.0),
                Value::Number(3.0)
            ])
        );
        assert_eq!(
            call("padleft", &[Value::Number(7.0), Value::Number(3.0), s("0")]),
            s("007")
        );
    }

    #[test]
    fn arrays_objects_and_networks() {
        let l = |v: &[&str]| Value::List(v.iter().map(|x| s(x)).collect());
        assert_eq!(
            call("flatten", &[Value::List(vec![l(&["a"]), l(&["b", "c"])])]),
            l(&["a", "b", "c"])
        );
        assert_eq!(call("join", &[l(&["a", "b"]), s("/")]), s("a/b"));
        assert_eq!(
            call("intersection", &[l(&["a", "b", "c"]), l(&["c", "a"])]),
            l(&["a", "c"])
        );
        assert_eq!(
            call("indexfromend", &[l(&["a", "b", "c"]), Value::Number(1.0)]),
            s("c")
        );
        assert_eq!(
            call(
                "cidrsubnet",
                &[s("10.144.0.0/20"), Value::Number(24.0), Value::Number(2.0)]
            ),
            s("10.144.2.0/24")
        );
        assert_eq!(
            call(
                "cidrsubnet",
                &[
                    s("fdad:3236:5555::/48"),
                    Value::Number(52.0),
                    Value::Number(1.0)
                ]
            ),
            s("fdad:3236:5555:1000::/52")
        );
        assert!(
            call(
                "cidrsubnet",
                &[s("10.0.0.0/24"), Value::Number(26.0), Value::Number(4.0)]
            )
            .is_error()
        );
        let parsed = call("parsecidr", &[s("10.144.0.0/20")]);
        let Value::Object(m) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(m["broadcast"], s("10.144.15.255"));
        assert_eq!(m["firstUsable"], s("10.144.0.1"));
        assert_eq!(m["lastUsable"], s("10.144.15.254"));
        assert_eq!(m["netmask"], s("255.255.240.0"));
        assert_eq!(m["cidr"], Value::Number(20.0));
    }

    #[test]
    fn unknown_parts_pass_through_text_only() {
        let partial = format!("/subscriptions/{}/x", token::symbol(2));
        assert_eq!(
            call("concat", &[s(&partial), s("/y")]),
            s(&format!("{partial}/y"))
        );
        assert_eq!(call("length", &[s(&partial)]), Value::Unknown);
        assert_eq!(call("uniquestring", &[s("x")]), Value::Unknown);
    }
}
