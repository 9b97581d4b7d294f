//! Terraform's built-in functions, as far as network code uses them.
//!
//! A function that is not implemented returns `Unknown`, never an error: peerlint stays
//! silent rather than guess. Arguments that are `Error` propagate; `Unknown` arguments
//! give `Unknown` results, except that strings with unknown parts pass through the
//! functions that only move text around (`format`, `join`, `lower`, …), so a resource id
//! built from an unknown subscription still names its resource group and resource.

use crate::frontend::value::{Value, equal, format_number};
use crate::ir::token;
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Calls `name` (without a provider namespace) on evaluated arguments. `try` and `can`
/// are evaluated lazily by the evaluator, not here.
pub(crate) fn call(name: &str, args: Vec<Value>) -> Value {
    if let Some(err) = args.iter().find(|a| a.is_error()) {
        return err.clone();
    }
    match name {
        // Strings.
        "format" => format(&args),
        "formatlist" => formatlist(&args),
        "join" => join(&args),
        "split" => split(&args),
        "replace" => replace(&args),
        "lower" => map_text(&args, |s| s.to_lowercase()),
        "upper" => map_text(&args, |s| s.to_uppercase()),
        "title" => map_str(&args, title),
        "trimprefix" => str2(&args, |s, p| Value::str(s.strip_prefix(p).unwrap_or(s))),
        "trimsuffix" => str2(&args, |s, p| Value::str(s.strip_suffix(p).unwrap_or(s))),
        "trimspace" => map_str(&args, |s| s.trim().to_string()),
        "trim" => str2(&args, |s, cut| {
            Value::str(s.trim_matches(|c| cut.contains(c)).to_string())
        }),
        "chomp" => map_str(&args, |s| s.trim_end_matches(['\n', '\r']).to_string()),
        "strrev" => map_str(&args, |s| s.chars().rev().collect()),
        "startswith" => str2(&args, |s, p| Value::Bool(s.starts_with(p))),
        "endswith" => str2(&args, |s, p| Value::Bool(s.ends_with(p))),
        "strcontains" => str2(&args, |s, p| Value::Bool(s.contains(p))),
        "substr" => substr(&args),
        "tostring" => tostring(&args),
        // Collections.
        "concat" => concat(&args),
        "merge" => merge(&args),
        "lookup" => lookup(&args),
        "keys" => keys_values(&args, true),
        "values" => keys_values(&args, false),
        "flatten" => flatten(&args),
        "distinct" => distinct(&args),
        "contains" => contains(&args),
        "element" => element(&args),
        "index" => index(&args),
        "length" => length(&args),
        "zipmap" => zipmap(&args),
        "tolist" => tolist(&args),
        "toset" => toset(&args),
        "tomap" => tomap(&args),
        "one" => one(&args),
        "compact" => compact(&args),
        "range" => range(&args),
        "coalesce" => coalesce(&args),
        "coalescelist" => coalescelist(&args),
        "reverse" => reverse(&args),
        "slice" => slice(&args),
        "sort" => sort(&args),
        "setunion" => setunion(&args),
        "setintersection" => set_filter(&args, true),
        "setsubtract" => set_filter(&args, false),
        "setproduct" => setproduct(&args),
        "chunklist" => chunklist(&args),
        "matchkeys" => matchkeys(&args),
        "transpose" => transpose(&args),
        "basename" => path_part(&args, false),
        "dirname" => path_part(&args, true),
        "sum" => sum(&args),
        "alltrue" => all_any(&args, true),
        "anytrue" => all_any(&args, false),
        // Numbers and types.
        "tonumber" => tonumber(&args),
        "tobool" => tobool(&args),
        "max" => min_max(&args, true),
        "min" => min_max(&args, false),
        "abs" => num1(&args, f64::abs),
        "ceil" => num1(&args, f64::ceil),
        "floor" => num1(&args, f64::floor),
        "parseint" => parseint(&args),
        "pow" => pow(&args),
        // Encoding.
        "jsonencode" => jsonencode(&args),
        "jsondecode" => jsondecode(&args),
        // Networks.
        "cidrsubnet" => cidrsubnet(&args),
        "cidrsubnets" => cidrsubnets(&args),
        "cidrhost" => cidrhost(&args),
        "cidrnetmask" => cidrnetmask(&args),
        // Identity for our purposes.
        "sensitive" | "nonsensitive" => args.into_iter().next().unwrap_or(Value::Unknown),
        _ => Value::Unknown,
    }
}

// ----- argument helpers -------------------------------------------------------------

/// A string argument whose content is inspected: strings with unknown or symbolic parts
/// are unknown.
fn strict_str(v: &Value) -> Result<Option<String>, Value> {
    match v.to_str()? {
        Some(s) if token::is_opaque(&s) => Ok(None),
        other => Ok(other),
    }
}

fn wrong_arity(name: &str) -> Value {
    Value::error(format!("wrong number of arguments to {name}()"))
}

macro_rules! get {
    ($e:expr) => {
        match $e {
            Ok(Some(v)) => v,
            Ok(None) => return Value::Unknown,
            Err(e) => return e,
        }
    };
}

fn map_text(args: &[Value], f: impl Fn(&str) -> String) -> Value {
    match args {
        [v] => Value::String(f(&get!(v.to_str()))),
        _ => wrong_arity("string function"),
    }
}

fn map_str(args: &[Value], f: impl Fn(&str) -> String) -> Value {
    match args {
        [v] => Value::String(f(&get!(strict_str(v)))),
        _ => wrong_arity("string function"),
    }
}

fn str2(args: &[Value], f: impl Fn(&str, &str) -> Value) -> Value {
    match args {
        [a, b] => f(&get!(strict_str(a)), &get!(strict_str(b))),
        _ => wrong_arity("string function"),
    }
}

fn list_of(v: &Value) -> Result<Option<&Vec<Value>>, Value> {
    match v {
        Value::List(items) => Ok(Some(items)),
        Value::Unknown | Value::Symbol(_) | Value::OpenObject(_) => Ok(None),
        Value::Error(e) => Err(Value::Error(e.clone())),
        other => Err(Value::error(format!(
            "a list is required, found {}",
            other.type_name()
        ))),
    }
}

fn object_of(v: &Value) -> Result<Option<&BTreeMap<String, Value>>, Value> {
    match v {
        Value::Object(map) => Ok(Some(map)),
        Value::Unknown | Value::Symbol(_) | Value::OpenObject(_) => Ok(None),
        Value::Error(e) => Err(Value::Error(e.clone())),
        other => Err(Value::error(format!(
            "a map is required, found {}",
            other.type_name()
        ))),
    }
}

fn int_of(v: &Value) -> Result<Option<i64>, Value> {
    match v.to_number()? {
        Some(n) if n.fract() == 0.0 => Ok(Some(n as i64)),
        Some(n) => Err(Value::error(format!(
            "a whole number is required, found {}",
            format_number(n)
        ))),
        None => Ok(None),
    }
}

// ----- strings ------------------------------------------------------------------------

/// Go-style `format`: `%s %d %v %q %f %t %%`, with flags, width and precision.
fn format(args: &[Value]) -> Value {
    let Some((fmt, rest)) = args.split_first() else {
        return wrong_arity("format");
    };
    let fmt = get!(strict_str(fmt));
    format_with(&fmt, rest)
}

fn format_with(fmt: &str, args: &[Value]) -> Value {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut left = false;
        let mut zero = false;
        let mut plus = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let mut digits = String::new();
            while let Some(&d) = chars.peek() {
                chars.next();
                if d == ']' {
                    break;
                }
                digits.push(d);
            }
            match digits.parse::<usize>() {
                Ok(n) if n >= 1 => next = n - 1,
                _ => return Value::error("invalid argument index in format string"),
            }
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            return Value::error("format string ends in the middle of a verb");
        };
        let Some(arg) = args.get(next) else {
            return Value::error("not enough arguments for format string");
        };
        next += 1;
        let text = match verb {
            's' | 'v' => match arg {
                Value::Unknown => token::UNKNOWN.to_string(),
                Value::List(_) | Value::Object(_) if verb == 'v' => match arg.to_json() {
                    Some(j) => j,
                    None => return Value::Unknown,
                },
                other => match other.to_str() {
                    Ok(Some(s)) => s,
                    Ok(None) => token::UNKNOWN.to_string(),
                    Err(e) => return e,
                },
            },
            'q' => {
                let s = get!(strict_str(arg));
                serde_json::Value::String(s).to_string()
            }
            't' => get!(arg.to_bool()).to_string(),
            'd' => {
                let n = get!(arg.to_number());
                if n.fract() != 0.0 {
                    return Value::error(format!(
                        "%d requires a whole number, found {}",
                        format_number(n)
                    ));
                }
                let s = format!("{}", n as i64);
                if plus && n >= 0.0 { format!("+{s}") } else { s }
            }
            'f' | 'e' | 'g' => {
                let n = get!(arg.to_number());
                format!("{:.*}", precision.unwrap_or(6), n)
            }
            'x' | 'X' | 'o' | 'b' => {
                let n = get!(int_of(arg));
                match verb {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => format!("{n:b}"),
                }
            }
            other => return Value::error(format!("unsupported format verb %{other}")),
        };
        let width: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < width {
            let pad = width - len;
            if left {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', pad));
            } else if zero && matches!(verb, 'd' | 'f' | 'x' | 'X' | 'o' | 'b') {
                let (sign, digits) = match text.strip_prefix(['-', '+']) {
                    Some(d) => (&text[..1], d),
                    None => ("", text.as_str()),
                };
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', pad));
                out.push_str(digits);
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    Value::String(out)
}

fn formatlist(args: &[Value]) -> Value {
    let Some((fmt, rest)) = args.split_first() else {
        return wrong_arity("formatlist");
    };
    let fmt = get!(strict_str(fmt));
    let mut len: Option<usize> = None;
    for a in rest {
        match a {
            Value::List(items) => {
                if len.is_some_and(|l| l != items.len()) {
                    return Value::error("formatlist: lists have different lengths");
                }
                len = Some(items.len());
            }
            Value::Unknown | Value::Symbol(_) => return Value::Unknown,
            _ => {}
        }
    }
    let Some(len) = len else {
        return Value::List(vec![format_with(&fmt, rest)]);
    };
    let out = (0..len)
        .map(|i| {
            let row: Vec<Value> = rest
                .iter()
                .map(|a| match a {
                    Value::List(items) => items[i].clone(),
                    other => other.clone(),
                })
                .collect();
            format_with(&fmt, &row)
        })
        .collect();
    Value::List(out)
}

fn join(args: &[Value]) -> Value {
    let Some((sep, lists)) = args.split_first() else {
        return wrong_arity("join");
    };
    let sep = get!(strict_str(sep));
    let mut parts = Vec::new();
    for list in lists {
        for item in get!(list_of(list)) {
            match item.to_str() {
                Ok(Some(s)) => parts.push(s),
                Ok(None) => parts.push(token::UNKNOWN.to_string()),
                Err(e) => return e,
            }
        }
    }
    Value::String(parts.join(&sep))
}

fn split(args: &[Value]) -> Value {
    match args {
        [sep, s] => {
            let sep = get!(strict_str(sep));
            let s = get!(strict_str(s));
            if s.is_empty() {
                return Value::List(vec![]);
            }
            if sep.is_empty() {
                return Value::List(s.chars().map(|c| Value::String(c.to_string())).collect());
            }
            Value::List(s.split(sep.as_str()).map(Value::str).collect())
        }
        _ => wrong_arity("split"),
    }
}

fn replace(args: &[Value]) -> Value {
    match args {
        [s, from, to] => {
            let s = get!(strict_str(s));
            let from = get!(strict_str(from));
            let to = get!(strict_str(to));
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                // A regular expression: not evaluated.
                return Value::Unknown;
            }
            if from.is_empty() {
                return Value::String(s);
            }
            Value::String(s.replace(&from, &to))
        }
        _ => wrong_arity("replace"),
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn substr(args: &[Value]) -> Value {
    match args {
        [s, offset, length] => {
            let s = get!(strict_str(s));
            let offset = get!(int_of(offset));
            let length = get!(int_of(length));
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as i64;
            let start = if offset < 0 { n + offset } else { offset };
            if start < 0 || start > n {
                return Value::error("substr: offset is out of range");
            }
            let end = if length < 0 {
                n
            } else {
                (start + length).min(n)
            };
            Value::String(chars[start as usize..end as usize].iter().collect())
        }
        _ => wrong_arity("substr"),
    }
}

fn tostring(args: &[Value]) -> Value {
    match args {
        [Value::Null] => Value::Null,
        [v] => match v.to_str() {
            Ok(Some(s)) => Value::String(s),
            Ok(None) => Value::Unknown,
            Err(e) => e,
        },
        _ => wrong_arity("tostring"),
    }
}

// ----- collections ----------------------------------------------------------------------

fn concat(args: &[Value]) -> Value {
    let mut out = Vec::new();
    for a in args {
        out.extend(get!(list_of(a)).iter().cloned());
    }
    Value::List(out)
}

fn merge(args: &[Value]) -> Value {
    let mut out = BTreeMap::new();
    for a in args {
        if matches!(a, Value::Null) {
            continue;
        }
        for (k, v) in get!(object_of(a)) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

fn lookup(args: &[Value]) -> Value {
    let (map, key, default) = match args {
        [m, k] => (m, k, None),
        [m, k, d] => (m, k, Some(d)),
        _ => return wrong_arity("lookup"),
    };
    let map = get!(object_of(map));
    let key = get!(strict_str(key));
    match (map.get(&key), default) {
        (Some(v), _) => v.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => Value::error(format!("lookup: the map has no key \"{key}\"")),
    }
}

fn keys_values(args: &[Value], keys: bool) -> Value {
    match args {
        [m] => {
            let map = get!(object_of(m));
            Value::List(if keys {
                map.keys().cloned().map(Value::String).collect()
            } else {
                map.values().cloned().collect()
            })
        }
        _ => wrong_arity(if keys { "keys" } else { "values" }),
    }
}

fn flatten(args: &[Value]) -> Value {
    fn go(v: &[Value], out: &mut Vec<Value>) -> bool {
        for item in v {
            match item {
                Value::List(inner) => {
                    if !go(inner, out) {
                        return false;
                    }
                }
                Value::Unknown | Value::Symbol(_) => return false,
                other => out.push(other.clone()),
            }
        }
        true
    }
    match args {
        [v] => {
            let mut out = Vec::new();
            if go(get!(list_of(v)), &mut out) {
                Value::List(out)
            } else {
                Value::Unknown
            }
        }
        _ => wrong_arity("flatten"),
    }
}

/// Deduplicates keeping the first occurrence; `None` if that depends on unknowns.
fn dedup(items: &[Value]) -> Option<Vec<Value>> {
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        let mut seen = false;
        for o in &out {
            match equal(o, item) {
                Some(true) => {
                    seen = true;
                    break;
                }
                Some(false) => {}
                None => return None,
            }
        }
        if !seen {
            out.push(item.clone());
        }
    }
    Some(out)
}

fn distinct(args: &[Value]) -> Value {
    match args {
        [v] => dedup(get!(list_of(v))).map_or(Value::Unknown, Value::List),
        _ => wrong_arity("distinct"),
    }
}

fn contains(args: &[Value]) -> Value {
    match args {
        [list, v] => {
            let items: Vec<&Value> = match list {
                Value::Object(m) => m.values().collect(),
                other => get!(list_of(other)).iter().collect(),
            };
            crate::frontend::value::any_equal(items, v)
        }
        _ => wrong_arity("contains"),
    }
}

fn element(args: &[Value]) -> Value {
    match args {
        [list, i] => {
            let items = get!(list_of(list));
            let i = get!(int_of(i));
            if items.is_empty() {
                return Value::error("element: cannot use element() with an empty list");
            }
            if i < 0 {
                return Value::error("element: the index must not be negative");
            }
            items[(i as usize) % items.len()].clone()
        }
        _ => wrong_arity("element"),
    }
}

fn index(args: &[Value]) -> Value {
    match args {
        [list, v] => {
            for (i, item) in get!(list_of(list)).iter().enumerate() {
                match equal(item, v) {
                    Some(true) => return Value::Number(i as f64),
                    Some(false) => {}
                    None => return Value::Unknown,
                }
            }
            Value::error("index: the item was not found in the list")
        }
        _ => wrong_arity("index"),
    }
}

fn length(args: &[Value]) -> Value {
    match args {
        [Value::List(items)] => Value::Number(items.len() as f64),
        [Value::Object(map)] => Value::Number(map.len() as f64),
        [v @ Value::String(_)] => Value::Number(get!(strict_str(v)).chars().count() as f64),
        [Value::Unknown | Value::Symbol(_) | Value::OpenObject(_)] => Value::Unknown,
        [other] => Value::error(format!(
            "length: cannot take the length of {}",
            other.type_name()
        )),
        _ => wrong_arity("length"),
    }
}

fn zipmap(args: &[Value]) -> Value {
    match args {
        [k, v] => {
            let keys = get!(list_of(k));
            let values = get!(list_of(v));
            if keys.len() != values.len() {
                return Value::error("zipmap: the lists have different lengths");
            }
            let mut out = BTreeMap::new();
            for (k, v) in keys.iter().zip(values) {
                out.insert(get!(strict_str(k)), v.clone());
            }
            Value::Object(out)
        }
        _ => wrong_arity("zipmap"),
    }
}

fn tolist(args: &[Value]) -> Value {
    match args {
        [v @ Value::List(_)] => v.clone(),
        [Value::Null] => Value::Null,
        [Value::Unknown | Value::Symbol(_)] => Value::Unknown,
        [other] => Value::error(format!(
            "tolist: cannot convert {} to a list",
            other.type_name()
        )),
        _ => wrong_arity("tolist"),
    }
}

/// Sets of strings iterate in lexical order in Terraform; other sets keep first-seen order.
fn toset(args: &[Value]) -> Value {
    match args {
        [v] => {
            let Some(mut items) = dedup(get!(list_of(v))) else {
                return Value::Unknown;
            };
            if items
                .iter()
                .all(|i| matches!(i, Value::String(s) if !token::is_opaque(s)))
            {
                items.sort_by(|a, b| match (a, b) {
                    (Value::String(x), Value::String(y)) => x.cmp(y),
                    _ => std::cmp::Ordering::Equal,
                });
            }
            Value::List(items)
        }
        _ => wrong_arity("toset"),
    }
}

fn tomap(args: &[Value]) -> Value {
    match args {
        [v @ Value::Object(_)] => v.clone(),
        [Value::Null] => Value::Null,
        [Value::Unknown | Value::Symbol(_)] => Value::Unknown,
        [other] => Value::error(format!(
            "tomap: cannot convert {} to a map",
            other.type_name()
        )),
        _ => wrong_arity("tomap"),
    }
}

fn one(args: &[Value]) -> Value {
    match args {
        [Value::Null] => Value::Null,
        [v] => {
            let items = get!(list_of(v));
            match items.len() {
                0 => Value::Null,
                1 => items[0].clone(),
                n => Value::error(format!(
                    "one: the list has {n} elements, at most one is allowed"
                )),
            }
        }
        _ => wrong_arity("one"),
    }
}

fn compact(args: &[Value]) -> Value {
    match args {
        [v] => {
            let mut out = Vec::new();
            for item in get!(list_of(v)) {
                match item {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    Value::Unknown | Value::Symbol(_) => return Value::Unknown,
                    other => out.push(other.clone()),
                }
            }
            Value::List(out)
        }
        _ => wrong_arity("compact"),
    }
}

fn range(args: &[Value]) -> Value {
    let mut nums = Vec::new();
    for a in args {
        nums.push(get!(a.to_number()));
    }
    let (start, end, step) = match nums[..] {
        [end] => (0.0, end, 1.0),
        [start, end] => (start, end, if end >= start { 1.0 } else { -1.0 }),
        [start, end, step] => (start, end, step),
        _ => return wrong_arity("range"),
    };
    if step == 0.0 {
        return Value::error("range: the step must not be zero");
    }
    let count = ((end - start) / step).ceil();
    if count > 1_000_000.0 {
        return Value::error("range: more than 1,000,000 elements");
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        out.push(Value::Number(x));
        x += step;
    }
    Value::List(out)
}

fn coalesce(args: &[Value]) -> Value {
    for a in args {
        match a {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Unknown | Value::Symbol(_) => return Value::Unknown,
            other => return other.clone(),
        }
    }
    Value::error("coalesce: no non-null, non-empty argument")
}

fn coalescelist(args: &[Value]) -> Value {
    for a in args {
        if !get!(list_of(a)).is_empty() {
            return a.clone();
        }
    }
    Value::List(vec![])
}

fn reverse(args: &[Value]) -> Value {
    match args {
        [v] => Value::List(get!(list_of(v)).iter().rev().cloned().collect()),
        _ => wrong_arity("reverse"),
    }
}

fn slice(args: &[Value]) -> Value {
    match args {
        [v, s, e] => {
            let items = get!(list_of(v));
            let (s, e) = (get!(int_of(s)), get!(int_of(e)));
            if s < 0 || e < s || e as usize > items.len() {
                return Value::error("slice: the indexes are out of range");
            }
            Value::List(items[s as usize..e as usize].to_vec())
        }
        _ => wrong_arity("slice"),
    }
}

fn sort(args: &[Value]) -> Value {
    match args {
        [v] => {
            let mut out = Vec::new();
            for item in get!(list_of(v)) {
                out.push(get!(strict_str(item)));
            }
            out.sort();
            Value::List(out.into_iter().map(Value::String).collect())
        }
        _ => wrong_arity("sort"),
    }
}

fn setunion(args: &[Value]) -> Value {
    let mut all = Vec::new();
    for a in args {
        all.extend(get!(list_of(a)).iter().cloned());
    }
    toset(&[Value::List(all)])
}

/// `basename` and `dirname` (`dir`). A path with unknown or symbolic parts still has a
/// known last part when no marker follows its last `/` (as in an id whose subscription is
/// unknown): then the result is exact, markers kept.
fn path_part(args: &[Value], dir: bool) -> Value {
    let [v] = args else {
        return wrong_arity(if dir { "dirname" } else { "basename" });
    };
    let s = get!(v.to_str());
    let trimmed = s.trim_end_matches('/');
    let (head, tail) = match trimmed.rsplit_once('/') {
        Some((head, tail)) => (Some(head), tail),
        None => (None, trimmed),
    };
    if token::is_opaque(tail) {
        return Value::Unknown;
    }
    Value::String(match (dir, head) {
        (false, _) => tail.to_string(),
        (true, Some("")) => "/".to_string(),
        (true, Some(head)) => head.to_string(),
        (true, None) => ".".to_string(),
    })
}

/// `setintersection` (`keep` = true) and `setsubtract`: the elements of the first set that
/// are (or are not) in every other one.
fn set_filter(args: &[Value], keep: bool) -> Value {
    let Some((first, others)) = args.split_first() else {
        return wrong_arity(if keep {
            "setintersection"
        } else {
            "setsubtract"
        });
    };
    let first = get!(list_of(first)).clone();
    let mut rest = Vec::new();
    for o in others {
        rest.push(get!(list_of(o)).clone());
    }
    let mut out = Vec::new();
    for item in first {
        let mut in_all = true;
        for other in &rest {
            let mut found = false;
            for o in other {
                match equal(&item, o) {
                    Some(true) => {
                        found = true;
                        break;
                    }
                    Some(false) => {}
                    None => return Value::Unknown,
                }
            }
            in_all &= found;
        }
        if in_all == keep {
            out.push(item);
        }
    }
    toset(&[Value::List(out)])
}

fn setproduct(args: &[Value]) -> Value {
    let mut product: Vec<Vec<Value>> = vec![Vec::new()];
    for a in args {
        let items = get!(list_of(a));
        if product.len().saturating_mul(items.len()) > 100_000 {
            return Value::Unknown;
        }
        product = product
            .into_iter()
            .flat_map(|prefix| {
                items.iter().map(move |item| {
                    let mut row = prefix.clone();
                    row.push(item.clone());
                    row
                })
            })
            .collect();
    }
    if args.is_empty() {
        return wrong_arity("setproduct");
    }
    Value::List(product.into_iter().map(Value::List).collect())
}

fn chunklist(args: &[Value]) -> Value {
    match args {
        [list, size] => {
            let items = get!(list_of(list));
            let size = get!(int_of(size));
            if size < 0 {
                return Value::error("chunklist: the size must not be negative");
            }
            if size == 0 {
                return Value::List(vec![Value::List(items.clone())]);
            }
            Value::List(
                items
                    .chunks(size as usize)
                    .map(|c| Value::List(c.to_vec()))
                    .collect(),
            )
        }
        _ => wrong_arity("chunklist"),
    }
}

fn matchkeys(args: &[Value]) -> Value {
    match args {
        [values, keys, search] => {
            let (values, keys, search) = (
                get!(list_of(values)),
                get!(list_of(keys)),
                get!(list_of(search)),
            );
            if values.len() != keys.len() {
                return Value::error("matchkeys: the lists have different lengths");
            }
            let mut out = Vec::new();
            for (v, k) in values.iter().zip(keys) {
                let mut hit = false;
                for s in search {
                    match equal(k, s) {
                        Some(true) => hit = true,
                        Some(false) => {}
                        None => return Value::Unknown,
                    }
                }
                if hit {
                    out.push(v.clone());
                }
            }
            Value::List(out)
        }
        _ => wrong_arity("matchkeys"),
    }
}

fn transpose(args: &[Value]) -> Value {
    match args {
        [m] => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (k, v) in get!(object_of(m)) {
                for item in get!(list_of(v)) {
                    out.entry(get!(strict_str(item)))
                        .or_default()
                        .push(Value::String(k.clone()));
                }
            }
            Value::Object(out.into_iter().map(|(k, v)| (k, Value::List(v))).collect())
        }
        _ => wrong_arity("transpose"),
    }
}

fn sum(args: &[Value]) -> Value {
    match args {
        [v] => {
            let mut total = 0.0;
            for item in get!(list_of(v)) {
                total += get!(item.to_number());
            }
            Value::Number(total)
        }
        _ => wrong_arity("sum"),
    }
}

fn all_any(args: &[Value], all: bool) -> Value {
    match args {
        [v] => {
            let mut unknown = false;
            for item in get!(list_of(v)) {
                match item.to_bool() {
                    Ok(Some(b)) if b != all => return Value::Bool(!all),
                    Ok(Some(_)) => {}
                    Ok(None) => unknown = true,
                    Err(e) => return e,
                }
            }
            if unknown {
                Value::Unknown
            } else {
                Value::Bool(all)
            }
        }
        _ => wrong_arity(if all { "alltrue" } else { "anytrue" }),
    }
}

// ----- numbers and types ------------------------------------------------------------------

fn tonumber(args: &[Value]) -> Value {
    match args {
        [Value::Null] => Value::Null,
        [v] => Value::Number(get!(v.to_number())),
        _ => wrong_arity("tonumber"),
    }
}

fn tobool(args: &[Value]) -> Value {
    match args {
        [Value::Null] => Value::Null,
        [v] => Value::Bool(get!(v.to_bool())),
        _ => wrong_arity("tobool"),
    }
}

fn min_max(args: &[Value], max: bool) -> Value {
    let mut best: Option<f64> = None;
    for a in args {
        let n = get!(a.to_number());
        best = Some(match best {
            None => n,
            Some(b) if max => b.max(n),
            Some(b) => b.min(n),
        });
    }
    best.map_or_else(
        || wrong_arity(if max { "max" } else { "min" }),
        Value::Number,
    )
}

fn num1(args: &[Value], f: impl Fn(f64) -> f64) -> Value {
    match args {
        [v] => Value::Number(f(get!(v.to_number()))),
        _ => wrong_arity("numeric function"),
    }
}

fn parseint(args: &[Value]) -> Value {
    match args {
        [s, base] => {
            let s = get!(strict_str(s));
            let base = get!(int_of(base));
            if !(2..=62).contains(&base) {
                return Value::error("parseint: the base must be between 2 and 62");
            }
            match i64::from_str_radix(&s, base as u32) {
                Ok(n) => Value::Number(n as f64),
                Err(_) => Value::error(format!("parseint: cannot parse \"{s}\" in base {base}")),
            }
        }
        _ => wrong_arity("parseint"),
    }
}

fn pow(args: &[Value]) -> Value {
    match args {
        [a, b] => Value::Number(get!(a.to_number()).powf(get!(b.to_number()))),
        _ => wrong_arity("pow"),
    }
}

// ----- encoding -----------------------------------------------------------------------------

fn jsonencode(args: &[Value]) -> Value {
    match args {
        [v] => v.to_json().map_or(Value::Unknown, Value::String),
        _ => wrong_arity("jsonencode"),
    }
}

fn jsondecode(args: &[Value]) -> Value {
    match args {
        [v] => {
            let s = get!(strict_str(v));
            match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(j) => Value::from_json(&j),
                Err(e) => Value::error(format!("jsondecode: {e}")),
            }
        }
        _ => wrong_arity("jsondecode"),
    }
}

// ----- networks -----------------------------------------------------------------------------

fn parse_prefix(v: &Value) -> Result<Option<IpNet>, Value> {
    let Some(s) = strict_str(v)? else {
        return Ok(None);
    };
    s.trim()
        .parse::<IpNet>()
        .map(Some)
        .map_err(|_| Value::error(format!("invalid CIDR address \"{s}\"")))
}

fn bits(net: &IpNet) -> u8 {
    match net {
        IpNet::V4(_) => 32,
        IpNet::V6(_) => 128,
    }
}

fn addr_value(net: &IpNet) -> u128 {
    match net.network() {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

fn make_net(v6: bool, addr: u128, len: u8) -> Option<IpNet> {
    if v6 {
        IpNet::new(IpAddr::V6(Ipv6Addr::from(addr)), len).ok()
    } else {
        IpNet::new(IpAddr::V4(Ipv4Addr::from(addr as u32)), len).ok()
    }
}

fn subnet_of(net: &IpNet, newbits: i64, netnum: i64) -> Result<IpNet, Value> {
    let total = bits(net);
    let new_len = net.prefix_len() as i64 + newbits;
    if newbits < 0 || new_len > total as i64 {
        return Err(Value::error(format!(
            "cidrsubnet: insufficient address space to extend prefix of {} by {newbits} bits",
            net.prefix_len()
        )));
    }
    if netnum < 0 || (newbits < 127 && (netnum as u128) >= (1u128 << newbits)) {
        return Err(Value::error(format!(
            "cidrsubnet: prefix extension of {newbits} bits does not accommodate a subnet numbered {netnum}"
        )));
    }
    let shift = total as i64 - new_len;
    let base = addr_value(&net.trunc());
    let addr = base | ((netnum as u128).checked_shl(shift as u32).unwrap_or(0));
    make_net(matches!(net, IpNet::V6(_)), addr, new_len as u8)
        .ok_or_else(|| Value::error("cidrsubnet: invalid result"))
}

fn cidrsubnet(args: &[Value]) -> Value {
    match args {
        [p, nb, num] => {
            let net = get!(parse_prefix(p));
            let (nb, num) = (get!(int_of(nb)), get!(int_of(num)));
            match subnet_of(&net, nb, num) {
                Ok(n) => Value::String(n.to_string()),
                Err(e) => e,
            }
        }
        _ => wrong_arity("cidrsubnet"),
    }
}

fn cidrsubnets(args: &[Value]) -> Value {
    let Some((p, rest)) = args.split_first() else {
        return wrong_arity("cidrsubnets");
    };
    let net = get!(parse_prefix(p));
    let total = bits(&net) as u32;
    let base = addr_value(&net.trunc());
    let end = base + (1u128 << (total - net.prefix_len() as u32)).wrapping_sub(1);
    let mut next = base;
    let mut out = Vec::new();
    for nb in rest {
        let nb = get!(int_of(nb));
        let new_len = net.prefix_len() as i64 + nb;
        if nb < 1 || new_len > total as i64 {
            return Value::error(format!(
                "cidrsubnets: cannot extend the prefix by {nb} bits"
            ));
        }
        let size = 1u128 << (total as i64 - new_len) as u32;
        let start = next.div_ceil(size) * size;
        if start > end || start + (size - 1) > end {
            return Value::error("cidrsubnets: not enough remaining address space");
        }
        match make_net(matches!(net, IpNet::V6(_)), start, new_len as u8) {
            Some(n) => out.push(Value::String(n.to_string())),
            None => return Value::error("cidrsubnets: invalid result"),
        }
        next = start + size;
    }
    Value::List(out)
}

fn cidrhost(args: &[Value]) -> Value {
    match args {
        [p, n] => {
            let net = get!(parse_prefix(p));
            let n = get!(int_of(n));
            let hostbits = bits(&net) as u32 - net.prefix_len() as u32;
            let size: i128 = if hostbits >= 127 {
                i128::MAX
            } else {
                1i128 << hostbits
            };
            let offset = if n < 0 { size + n as i128 } else { n as i128 };
            if offset < 0 || offset >= size {
                return Value::error(format!(
                    "cidrhost: prefix of {} does not accommodate a host numbered {n}",
                    net.prefix_len()
                ));
            }
            let addr = addr_value(&net.trunc()) + offset as u128;
            let ip = if matches!(net, IpNet::V6(_)) {
                IpAddr::V6(Ipv6Addr::from(addr))
            } else {
                IpAddr::V4(Ipv4Addr::from(addr as u32))
            };
            Value::String(ip.to_string())
        }
        _ => wrong_arity("cidrhost"),
    }
}

fn cidrnetmask(args: &[Value]) -> Value {
    match args {
        [p] => match get!(parse_prefix(p)) {
            IpNet::V4(n) => Value::String(n.netmask().to_string()),
            IpNet::V6(_) => Value::error("cidrnetmask: only IPv4 prefixes have a netmask"),
        },
        _ => wrong_arity("cidrnetmask"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn format_handles_verbs_and_padding() {
        assert_eq!(
            call("format", vec![s("spoke%02d-%s"), n(7.0), s("x")]),
            s("spoke07-x")
        );
        assert_eq!(call("format", vec![s("%q"), s("a")]), s("\"a\""));
        assert_eq!(call("format", vec![s("100%%")]), s("100%"));
        assert!(call("format", vec![s("%s")]).is_error());
        // An unknown argument becomes an unknown part of the string.
        let v = call("format", vec![s("/subscriptions/%s/x"), Value::Unknown]);
        assert_eq!(v, s(&format!("/subscriptions/{}/x", token::UNKNOWN)));
    }

    #[test]
    fn cidr_functions_match_terraform() {
        assert_eq!(
            call("cidrsubnet", vec![s("10.1.0.0/16"), n(8.0), n(2.0)]),
            s("10.1.2.0/24")
        );
        assert_eq!(
            call("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        assert_eq!(
            call(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert!(call("cidrsubnet", vec![s("10.0.0.0/16"), n(2.0), n(4.0)]).is_error());
        assert_eq!(
            call("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            call("cidrhost", vec![s("10.12.112.0/20"), n(-2.0)]),
            s("10.12.127.254")
        );
        assert_eq!(
            call("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(
            call(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            Value::List(vec![
                s("10.1.0.0/20"),
                s("10.1.16.0/20"),
                s("10.1.32.0/24"),
                s("10.1.48.0/20")
            ])
        );
    }

    #[test]
    fn collections() {
        let list = Value::List(vec![s("b"), s("a"), s("b")]);
        assert_eq!(
            call("toset", vec![list.clone()]),
            Value::List(vec![s("a"), s("b")])
        );
        assert_eq!(
            call("distinct", vec![list.clone()]),
            Value::List(vec![s("b"), s("a")])
        );
        assert_eq!(call("length", vec![list.clone()]), n(3.0));
        assert_eq!(call("element", vec![list.clone(), n(4.0)]), s("a"));
        assert_eq!(
            call("contains", vec![list.clone(), s("a")]),
            Value::Bool(true)
        );
        assert_eq!(call("join", vec![s("-"), list]), s("b-a-b"));
        let m = call(
            "zipmap",
            vec![Value::List(vec![s("k")]), Value::List(vec![n(1.0)])],
        );
        assert_eq!(call("lookup", vec![m.clone(), s("k")]), n(1.0));
        assert_eq!(call("lookup", vec![m.clone(), s("z"), n(0.0)]), n(0.0));
        assert!(call("lookup", vec![m, s("z")]).is_error());
        assert_eq!(
            call("range", vec![n(3.0)]),
            Value::List(vec![n(0.0), n(1.0), n(2.0)])
        );
    }

    #[test]
    fn set_and_path_functions() {
        let l = |xs: &[&str]| Value::List(xs.iter().map(|x| s(x)).collect());
        assert_eq!(
            call("setsubtract", vec![l(&["a", "b", "c"]), l(&["b"])]),
            l(&["a", "c"])
        );
        assert_eq!(
            call("setintersection", vec![l(&["a", "b"]), l(&["b", "c"])]),
            l(&["b"])
        );
        assert_eq!(
            call("setproduct", vec![l(&["a", "b"]), l(&["x"])]),
            Value::List(vec![l(&["a", "x"]), l(&["b", "x"])])
        );
        assert_eq!(
            call("basename", vec![s("/subscriptions/s/x/vnet-hub")]),
            s("vnet-hub")
        );
        assert_eq!(call("dirname", vec![s("a/b/c")]), s("a/b"));
        assert_eq!(
            call("chunklist", vec![l(&["a", "b", "c"]), n(2.0)]),
            Value::List(vec![l(&["a", "b"]), l(&["c"])])
        );
    }

    #[test]
    fn unknowns_stay_unknown_where_content_matters() {
        let partial = s(&format!("a{}b", token::UNKNOWN));
        assert_eq!(call("length", vec![partial.clone()]), Value::Unknown);
        assert_eq!(call("split", vec![s("/"), partial.clone()]), Value::Unknown);
        assert_eq!(
            call("lower", vec![partial.clone()]),
            s(&format!("a{}b", token::UNKNOWN))
        );
        assert_eq!(
            call("contains", vec![Value::List(vec![partial]), s("ab")]),
            Value::Unknown
        );
        assert_eq!(call("no_such_function", vec![s("x")]), Value::Unknown);
    }
}

// ----- provider-defined functions ------------------------------------------------------------

/// Calls `provider::<provider>::<name>`: the resource-id functions of the azapi and azurerm
/// providers, which network modules use to take ids apart and build them. Ids keep their
/// unknown and symbolic parts. Other provider functions are `Unknown`.
pub(crate) fn provider_call(provider: &str, name: &str, args: Vec<Value>) -> Value {
    if let Some(err) = args.iter().find(|a| a.is_error()) {
        return err.clone();
    }
    match (provider, name) {
        ("azapi", "parse_resource_id") => match args.as_slice() {
            [ty, id] => azapi_parse(&get!(strict_str(ty)), &get!(id_text(id))),
            _ => wrong_arity("parse_resource_id"),
        },
        ("azapi", "build_resource_id") => match args.as_slice() {
            [parent, ty, name] => {
                let (parent, ty, name) = (
                    get!(id_text(parent)),
                    get!(strict_str(ty)),
                    get!(id_text(name)),
                );
                Value::String(build_id(&parent, &ty, &[name]))
            }
            _ => wrong_arity("build_resource_id"),
        },
        ("azapi", "resource_group_resource_id") => match args.as_slice() {
            [sub, rg, ty, names] => {
                let parent = format!(
                    "/subscriptions/{}/resourceGroups/{}",
                    get!(id_text(sub)),
                    get!(id_text(rg))
                );
                let ty = get!(strict_str(ty));
                let mut parts = Vec::new();
                for n in get!(list_of(names)) {
                    parts.push(get!(id_text(n)));
                }
                Value::String(build_id(&parent, &ty, &parts))
            }
            _ => wrong_arity("resource_group_resource_id"),
        },
        ("azapi", "subscription_resource_id") => match args.as_slice() {
            [sub, ty, names] => {
                let parent = format!("/subscriptions/{}", get!(id_text(sub)));
                let ty = get!(strict_str(ty));
                let mut parts = Vec::new();
                for n in get!(list_of(names)) {
                    parts.push(get!(id_text(n)));
                }
                Value::String(build_id(&parent, &ty, &parts))
            }
            _ => wrong_arity("subscription_resource_id"),
        },
        ("azurerm", "normalise_resource_id") => match args.as_slice() {
            [id] => Value::String(get!(id_text(id))),
            _ => wrong_arity("normalise_resource_id"),
        },
        ("azurerm", "parse_resource_id") => match args.as_slice() {
            [id] => azurerm_parse(&get!(id_text(id))),
            _ => wrong_arity("parse_resource_id"),
        },
        _ => Value::Unknown,
    }
}

/// An id argument: its text with unknown and symbolic parts kept.
fn id_text(v: &Value) -> Result<Option<String>, Value> {
    match v.to_str()? {
        Some(s) if s.chars().all(|c| c == token::UNKNOWN) => Ok(None),
        other => Ok(other),
    }
}

/// `{parent}/providers/{type}/{name}`, or `{parent}/{child type}/{name}` when `parent`
/// already names a resource of the parent type; more names for nested types.
fn build_id(parent: &str, ty: &str, names: &[String]) -> String {
    let ty = ty.split('@').next().unwrap_or_default();
    let mut segs = ty.split('/');
    let namespace = segs.next().unwrap_or_default();
    let types: Vec<&str> = segs.collect();
    let parent = parent.trim_end_matches('/');
    if namespace.eq_ignore_ascii_case("Microsoft.Resources") && types == ["resourceGroups"] {
        return format!(
            "{parent}/resourceGroups/{}",
            names.first().map_or("", |s| s)
        );
    }
    let under_provider = parent.to_ascii_lowercase().contains("/providers/");
    let mut out = parent.to_string();
    if names.len() >= types.len() || !under_provider {
        out.push_str(&format!("/providers/{namespace}"));
        for (t, n) in types.iter().zip(names) {
            out.push_str(&format!("/{t}/{n}"));
        }
    } else {
        // A child of `parent`: only the last type and name are added.
        let t = types.last().copied().unwrap_or_default();
        out.push_str(&format!("/{t}/{}", names.last().map_or("", |s| s)));
    }
    out
}

/// The `(type, name)` pairs after `/providers/<namespace>`, with the subscription and
/// resource group of an id.
struct IdParts {
    subscription: Option<String>,
    resource_group: Option<String>,
    namespace: Option<String>,
    path: Vec<(String, String)>,
}

fn id_parts(id: &str) -> IdParts {
    let segs: Vec<&str> = id.trim_matches('/').split('/').collect();
    let mut parts = IdParts {
        subscription: None,
        resource_group: None,
        namespace: None,
        path: Vec::new(),
    };
    let mut i = 0;
    while i + 1 < segs.len() {
        let (k, v) = (segs[i], segs[i + 1]);
        if k.eq_ignore_ascii_case("subscriptions") && parts.subscription.is_none() {
            parts.subscription = Some(v.to_string());
        } else if k.eq_ignore_ascii_case("resourceGroups") && parts.resource_group.is_none() {
            parts.resource_group = Some(v.to_string());
        } else if k.eq_ignore_ascii_case("providers") {
            parts.namespace = Some(v.to_string());
        } else if parts.namespace.is_some() {
            parts.path.push((k.to_string(), v.to_string()));
        }
        i += 2;
    }
    parts
}

fn opt(s: Option<String>) -> Value {
    s.map_or(Value::Null, Value::String)
}

fn azapi_parse(ty: &str, id: &str) -> Value {
    let p = id_parts(id);
    let name = p.path.last().map(|(_, n)| n.clone());
    let trimmed = id.trim_end_matches('/');
    let parent_id = match p.path.len() {
        0 => trimmed.rsplitn(3, '/').nth(2).map(str::to_string),
        1 => trimmed
            .to_ascii_lowercase()
            .rfind("/providers/")
            .map(|at| trimmed[..at].to_string()),
        _ => trimmed.rsplitn(3, '/').nth(2).map(str::to_string),
    };
    let parts: BTreeMap<String, Value> = p
        .path
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    Value::Object(BTreeMap::from([
        ("id".to_string(), Value::String(trimmed.to_string())),
        (
            "type".to_string(),
            Value::String(ty.split('@').next().unwrap_or_default().to_string()),
        ),
        ("name".to_string(), opt(name)),
        ("parent_id".to_string(), opt(parent_id)),
        ("subscription_id".to_string(), opt(p.subscription)),
        ("resource_group_name".to_string(), opt(p.resource_group)),
        ("provider_namespace".to_string(), opt(p.namespace)),
        ("parts".to_string(), Value::Object(parts)),
    ]))
}

fn azurerm_parse(id: &str) -> Value {
    let p = id_parts(id);
    let (resource_type, resource_name) = p.path.last().cloned().unzip();
    let parents: BTreeMap<String, Value> = p.path[..p.path.len().saturating_sub(1)]
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let full_type = p.namespace.as_ref().map(|ns| {
        let types: Vec<&str> = p.path.iter().map(|(t, _)| t.as_str()).collect();
        format!("{ns}/{}", types.join("/"))
    });
    Value::Object(BTreeMap::from([
        ("subscription_id".to_string(), opt(p.subscription)),
        ("resource_group_name".to_string(), opt(p.resource_group)),
        ("resource_provider".to_string(), opt(p.namespace)),
        ("resource_type".to_string(), opt(resource_type)),
        ("resource_name".to_string(), opt(resource_name)),
        ("full_resource_type".to_string(), opt(full_type)),
        ("parent_resources".to_string(), Value::Object(parents)),
    ]))
}

#[cfg(test)]
mod provider_tests {
    use super::*;

    const VNET: &str =
        "/subscriptions/s1/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub";

    #[test]
    fn azapi_parse_and_build_round_trip() {
        let Value::Object(p) = provider_call(
            "azapi",
            "parse_resource_id",
            vec![
                Value::str("Microsoft.Network/virtualNetworks"),
                Value::str(VNET),
            ],
        ) else {
            panic!("an object")
        };
        assert_eq!(p["name"], Value::str("hub"));
        assert_eq!(p["resource_group_name"], Value::str("rg-hub"));
        assert_eq!(
            p["parent_id"],
            Value::str("/subscriptions/s1/resourceGroups/rg-hub")
        );
        let built = provider_call(
            "azapi",
            "build_resource_id",
            vec![
                p["parent_id"].clone(),
                Value::str("Microsoft.Network/virtualNetworks"),
                Value::str("hub"),
            ],
        );
        assert_eq!(built, Value::str(VNET));
        let peering = provider_call(
            "azapi",
            "build_resource_id",
            vec![
                Value::str(VNET),
                Value::str("Microsoft.Network/virtualNetworks/virtualNetworkPeerings"),
                Value::str("p"),
            ],
        );
        assert_eq!(
            peering,
            Value::str(format!("{VNET}/virtualNetworkPeerings/p"))
        );
        assert_eq!(
            provider_call(
                "azapi",
                "resource_group_resource_id",
                vec![
                    Value::str("s1"),
                    Value::str("rg-hub"),
                    Value::str("Microsoft.Network/virtualNetworks"),
                    Value::List(vec![Value::str("hub")])
                ],
            ),
            Value::str(VNET)
        );
    }

    #[test]
    fn azurerm_parse_keeps_symbolic_parts() {
        let id = format!(
            "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
            token::symbol(4)
        );
        let Value::Object(p) = provider_call("azurerm", "parse_resource_id", vec![Value::str(&id)])
        else {
            panic!("an object")
        };
        assert_eq!(p["subscription_id"], Value::str(token::symbol(4)));
        assert_eq!(p["resource_name"], Value::str("s"));
        assert_eq!(
            p["full_resource_type"],
            Value::str("Microsoft.Network/virtualNetworks/subnets")
        );
        assert_eq!(provider_call("azurerm", "no_such", vec![]), Value::Unknown);
    }
}
