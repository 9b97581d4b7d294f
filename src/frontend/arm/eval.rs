//! Evaluating ARM templates: parameters, variables, the functions that read the template
//! or its deployment (`resourceId`, `resourceGroup()`, `copyIndex`, …), copy loops, and
//! nested deployments, whose outputs `reference()` returns.
//!
//! A [`Frame`] is one template's evaluation: its parameter values, variables (memoised,
//! cycles unknown) and deployment target. A nested deployment evaluated with the `outer`
//! scope shares its parent's frame, as ARM evaluates its expressions in the parent.

use super::expr::{Classified, Expr, classify};
use super::functions::{self, get_ci};
use crate::diagnostic::Diagnostic;
use crate::frontend::json::{Json, Node};
use crate::frontend::value::{Symbols, Value};
use crate::ir::token;
use crate::source::FileId;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

/// Deeper evaluation than this is unknown rather than recursed into.
const MAX_DEPTH: u32 = 512;
/// Most instances a copy loop expands to.
pub(crate) const MAX_COPIES: usize = 10_000;

/// Deployments by evaluation and name (see [`Session`]).
type DeploymentIndex<'a> = HashMap<(String, String), Vec<Rc<Deployment<'a>>>>;

/// What one run's template evaluations share.
pub(crate) struct Session<'a> {
    pub symbols: Symbols,
    notes: RefCell<BTreeSet<String>>,
    diags: RefCell<Vec<Diagnostic>>,
    /// Linked templates (`templateLink.relativePath`), by path.
    pub linked: HashMap<PathBuf, (FileId, &'a Node)>,
    depth: Cell<u32>,
    /// The variables of the lambdas being applied, innermost last.
    lambda_vars: RefCell<Vec<(String, Value)>>,
    /// Every nested deployment built so far, by the evaluation it belongs to (the origin
    /// of its outermost template) and its name, lowercase: `reference()` reaches
    /// deployments anywhere in that evaluation by id.
    deployments: RefCell<DeploymentIndex<'a>>,
    /// What may be declared where peerlint did not look.
    gaps: Cell<crate::ir::Gaps>,
}

impl<'a> Session<'a> {
    pub(crate) fn new(symbol_base: u32, linked: HashMap<PathBuf, (FileId, &'a Node)>) -> Self {
        Session {
            symbols: Symbols::new(symbol_base),
            notes: RefCell::new(BTreeSet::new()),
            diags: RefCell::new(Vec::new()),
            linked,
            depth: Cell::new(0),
            lambda_vars: RefCell::new(Vec::new()),
            deployments: RefCell::new(HashMap::new()),
            gaps: Cell::new(crate::ir::Gaps::default()),
        }
    }

    pub(crate) fn note(&self, text: String) {
        self.notes.borrow_mut().insert(text);
    }

    /// Records what may be declared where peerlint did not look.
    pub(crate) fn gap(&self, gaps: crate::ir::Gaps) {
        let mut all = self.gaps.get();
        all.merge(gaps);
        self.gaps.set(all);
    }

    pub(crate) fn gaps(&self) -> crate::ir::Gaps {
        self.gaps.get()
    }

    pub(crate) fn notes(&self) -> Vec<String> {
        self.notes.borrow().iter().cloned().collect()
    }

    pub(crate) fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags.borrow_mut())
    }

    pub(crate) fn take_diagnostics_into(&self, diags: Vec<Diagnostic>) {
        self.diags.borrow_mut().extend(diags);
    }
}

/// Where a template is deployed: what `subscription()`, `resourceGroup()` and
/// `deployment()` return.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// A subscription id, or a symbol token string.
    pub subscription: Value,
    pub resource_group: Value,
    pub location: Value,
    pub deployment: Value,
    /// What `deployment().location` returns.
    pub deployment_location: Value,
}

/// A nested deployment resource (by address) and the copy indexes of its instance.
type NestedKey = (usize, Vec<i64>);

/// One template's evaluation.
pub(crate) struct Frame<'a> {
    pub file: FileId,
    /// The template whose parameters and variables these are.
    pub root: &'a Node,
    /// The folder of the file (where `relativePath` links start).
    pub dir: PathBuf,
    /// How symbols name this evaluation (`main.json`, `main.json > hub-vnet`).
    pub origin: String,
    /// The label prefix of the deployment that owns this frame (`deployment 'x' > `).
    pub label: String,
    /// Added to every label: which parameter file the template is linted with.
    pub suffix: String,
    pub target: Target,
    params: HashMap<String, Value>,
    vars: RefCell<HashMap<String, Value>>,
    /// Parameter defaults evaluated so far.
    defaults: RefCell<HashMap<String, Value>>,
    /// Variables and defaults being evaluated (a cycle is unknown).
    active: RefCell<HashSet<String>>,
    /// Nested deployments being built (a cycle of `reference()`s is unknown).
    building: RefCell<HashSet<NestedKey>>,
    /// For an `inner` template nested in an `outer` one: the frame (and copy indexes) that
    /// evaluates the outer template, strings and all, before this one is deployed. Its
    /// expressions are that frame's; `[[` is how this template writes its own.
    pub pre: Option<(Rc<Frame<'a>>, Copies)>,
    /// Nested deployments evaluated so far, by resource and copy index.
    nested: RefCell<HashMap<NestedKey, Rc<Deployment<'a>>>>,
}

/// A deployment: the template whose resources and outputs it deploys, the frame its
/// expressions are evaluated in, and where its resources go.
pub(crate) struct Deployment<'a> {
    pub template: &'a Node,
    pub frame: Rc<Frame<'a>>,
    /// Where its resources are deployed (for an `outer` scope, not what
    /// `resourceGroup()` returns).
    pub deploy: Target,
    /// Prefix of its resources' labels: `deployment 'hub-vnet' > `.
    pub label: String,
    /// Suffix of its resources' labels: ` (with main.parameters.json)`.
    pub suffix: String,
}

/// A copy loop's state: each enclosing loop's name (lowercase) and index.
pub(crate) type Copies = Vec<(String, i64)>;

impl<'a> Frame<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        file: FileId,
        root: &'a Node,
        dir: PathBuf,
        origin: String,
        label: String,
        suffix: String,
        target: Target,
        params: HashMap<String, Value>,
    ) -> Self {
        Frame {
            file,
            root,
            dir,
            origin,
            label,
            suffix,
            target,
            params: params
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            vars: RefCell::new(HashMap::new()),
            defaults: RefCell::new(HashMap::new()),
            active: RefCell::new(HashSet::new()),
            building: RefCell::new(HashSet::new()),
            pre: None,
            nested: RefCell::new(HashMap::new()),
        }
    }
}

/// Evaluation in a frame, inside some copy loops.
#[derive(Clone, Copy)]
pub(crate) struct Ev<'x, 'a> {
    pub session: &'x Session<'a>,
    pub frame: &'x Rc<Frame<'a>>,
    pub copies: &'x Copies,
}

impl<'x, 'a> Ev<'x, 'a> {
    /// Evaluates a JSON value: strings may be expressions; objects may hold `copy`
    /// property loops.
    pub(crate) fn node(&self, node: &Node) -> Value {
        let depth = self.session.depth.get();
        if depth >= MAX_DEPTH {
            return Value::Unknown;
        }
        self.session.depth.set(depth + 1);
        let v = self.node_inner(node);
        self.session.depth.set(depth);
        v
    }

    fn node_inner(&self, node: &Node) -> Value {
        match &node.kind {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(*n),
            Json::String(s) => {
                let evaluated_before = match &self.frame.pre {
                    // Evaluated by the outer template first: `[[x]` becomes `[x]`, which
                    // is this template's expression; `[x]` is the outer template's.
                    Some((pre, copies)) if !s.starts_with("[[") => match classify(s) {
                        Classified::Expression(Ok(e)) => Some(
                            Ev {
                                session: self.session,
                                frame: pre,
                                copies,
                            }
                            .expr(&e),
                        ),
                        Classified::Expression(Err(_)) => Some(Value::Unknown),
                        Classified::Literal(s) => Some(Value::String(s)),
                    },
                    _ => None,
                };
                if let Some(v) = evaluated_before {
                    return v;
                }
                let text = match &self.frame.pre {
                    Some(_) => &s[1..],
                    None => s.as_str(),
                };
                match classify(text) {
                    Classified::Literal(s) => Value::String(s),
                    Classified::Expression(Ok(e)) => self.expr(&e),
                    // Reported by the template check.
                    Classified::Expression(Err(_)) => Value::Unknown,
                }
            }
            Json::Array(items) => Value::List(items.iter().map(|i| self.node(i)).collect()),
            Json::Object(members) => {
                let mut map = BTreeMap::new();
                for m in members {
                    if m.name.eq_ignore_ascii_case("copy") && matches!(m.value.kind, Json::Array(_))
                    {
                        for (name, list) in self.property_copies(&m.value) {
                            map.insert(name, list);
                        }
                        continue;
                    }
                    map.insert(m.name.clone(), self.node(&m.value));
                }
                Value::Object(map)
            }
        }
    }

    /// `"copy": [{ "name": …, "count": …, "input": … }]`: each a list property.
    fn property_copies(&self, copies: &Node) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for c in copies.items() {
            let Some(name) = c.get("name").and_then(Node::as_str) else {
                continue;
            };
            let list = match self.count(c.get("count")) {
                Some(n) => {
                    let input = c.get("input");
                    Value::List(
                        (0..n as i64)
                            .map(|i| {
                                let mut copies = self.copies.clone();
                                copies.push((name.to_ascii_lowercase(), i));
                                let ev = Ev {
                                    copies: &copies,
                                    ..*self
                                };
                                input.map_or(Value::Null, |n| ev.node(n))
                            })
                            .collect(),
                    )
                }
                None => Value::Unknown,
            };
            out.push((name.to_string(), list));
        }
        out
    }

    /// A copy count: `None` when unknown or too large.
    pub(crate) fn count(&self, node: Option<&Node>) -> Option<usize> {
        match self.node(node?).to_number() {
            Ok(Some(n)) if n >= 0.0 && n.fract() == 0.0 && (n as usize) <= MAX_COPIES => {
                Some(n as usize)
            }
            _ => None,
        }
    }

    fn expr(&self, e: &Expr) -> Value {
        match e {
            Expr::Str(s) => Value::String(s.clone()),
            Expr::Num(n) => Value::Number(*n),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Null => Value::Null,
            Expr::Prop(base, name) => {
                let v = self.expr(base);
                property(&self.session.symbols, v, name)
            }
            Expr::Index(base, index) => {
                let (v, i) = (self.expr(base), self.expr(index));
                match (v, i) {
                    (Value::List(l), Value::Number(n)) if n >= 0.0 => l
                        .get(n as usize)
                        .cloned()
                        .unwrap_or_else(|| Value::error(format!("index {n} is out of range"))),
                    (
                        v @ (Value::Object(_) | Value::OpenObject(_) | Value::Symbol(_)),
                        Value::String(k),
                    ) if !token::is_opaque(&k) => property(&self.session.symbols, v, &k),
                    (e @ Value::Error(_), _) | (_, e @ Value::Error(_)) => e,
                    _ => Value::Unknown,
                }
            }
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    fn call(&self, name: &str, args: &[Expr]) -> Value {
        match name {
            "parameters" => self.parameter(args),
            "variables" => self.variable(args),
            "copyindex" => self.copy_index(args),
            "if" => {
                let [c, t, f] = args else {
                    return Value::error("if takes three arguments");
                };
                match self.expr(c).to_bool() {
                    Ok(Some(true)) => self.expr(t),
                    Ok(Some(false)) => self.expr(f),
                    _ => {
                        let (t, f) = (self.expr(t), self.expr(f));
                        if crate::frontend::value::equal(&t, &f) == Some(true) {
                            t
                        } else {
                            Value::Unknown
                        }
                    }
                }
            }
            "resourcegroup" => {
                let t = &self.frame.target;
                let id = join(&[
                    Value::str(""),
                    Value::str("subscriptions"),
                    t.subscription.clone(),
                    Value::str("resourceGroups"),
                    t.resource_group.clone(),
                ]);
                Value::OpenObject(BTreeMap::from([
                    ("id".to_string(), id),
                    ("name".to_string(), t.resource_group.clone()),
                    ("location".to_string(), t.location.clone()),
                ]))
            }
            "subscription" => {
                let t = &self.frame.target;
                Value::OpenObject(BTreeMap::from([
                    (
                        "id".to_string(),
                        join(&[
                            Value::str(""),
                            Value::str("subscriptions"),
                            t.subscription.clone(),
                        ]),
                    ),
                    ("subscriptionId".to_string(), t.subscription.clone()),
                ]))
            }
            "deployment" => {
                // `deployment().properties.templateLink.uri`: where the template itself is,
                // which `uri()` resolves links against.
                let link = Value::OpenObject(BTreeMap::from([("uri".to_string(), self.own_uri())]));
                let properties =
                    Value::OpenObject(BTreeMap::from([("templateLink".to_string(), link)]));
                Value::OpenObject(BTreeMap::from([
                    ("name".to_string(), self.frame.target.deployment.clone()),
                    (
                        "location".to_string(),
                        self.frame.target.deployment_location.clone(),
                    ),
                    ("properties".to_string(), properties),
                ]))
            }
            "uri" => {
                let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                match args.as_slice() {
                    [base, Value::String(rel)]
                        if *base == self.own_uri() && !token::is_opaque(rel) =>
                    {
                        Value::String(format!("{}{rel}", self.own_folder()))
                    }
                    _ => functions::call(name, &args),
                }
            }
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid" => {
                let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                self.resource_id(name, &args)
            }
            "reference" => self.reference(args),
            // Evaluated left to right, and only as far as ARM evaluates them: Bicep's
            // `contains(o, 'k') && o.k` must not fail on an `o` without `k`.
            "and" | "or" => {
                let all = name == "and";
                let mut unknown = false;
                for a in args {
                    let v = self.expr(a);
                    match v.to_bool() {
                        Ok(Some(b)) if b != all => return Value::Bool(!all),
                        Ok(Some(_)) => {}
                        _ if v.is_error() && !unknown => return v,
                        _ => unknown = true,
                    }
                }
                if unknown {
                    Value::Unknown
                } else {
                    Value::Bool(all)
                }
            }
            "coalesce" => {
                for a in args {
                    match self.expr(a) {
                        Value::Null => {}
                        Value::Unknown => return Value::Unknown,
                        other => return other,
                    }
                }
                Value::Null
            }
            // A resource id split at `/`: its symbols are whole segments.
            "split" => {
                let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                match args.as_slice() {
                    [Value::String(s), Value::String(sep)]
                        if sep == "/"
                            && token::is_opaque(s)
                            && !token::has_unknown(s)
                            && token::symbols_in(s)
                                .iter()
                                .all(|n| self.session.symbols.is_segment(*n)) =>
                    {
                        Value::List(s.split('/').map(Value::str).collect())
                    }
                    _ => functions::call(name, &args),
                }
            }
            "first" | "last" if matches!(args, [Expr::Call(f, a)] if f == "split" && a.len() == 2) => {
                self.split_end(name == "last", args)
            }
            // Allowed only in parameter defaults, and the same throughout a deployment.
            "utcnow" => {
                let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                match args
                    .iter()
                    .map(|a| a.to_str().ok().flatten())
                    .collect::<Option<Vec<_>>>()
                {
                    Some(format) => self.session.symbols.segment(format!(
                        "utcNow({}) of {}",
                        format.join(", "),
                        run_of(&self.frame.origin)
                    )),
                    None => Value::Unknown,
                }
            }
            "uniquestring" | "guid" => {
                let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                match args
                    .iter()
                    .map(|a| a.to_str().ok().flatten())
                    .collect::<Option<Vec<_>>>()
                {
                    // Deterministic from its arguments: one value per argument list.
                    Some(parts) => self
                        .session
                        .symbols
                        .segment(format!("{name}({})", parts.join(", "))),
                    None => Value::Unknown,
                }
            }
            "filter" | "map" | "reduce" | "sort" | "toobject" | "groupby" | "mapvalues" => {
                self.lambda_function(name, args)
            }
            "lambdavariables" => match args.first().map(|a| self.expr(a)) {
                Some(Value::String(var)) => self
                    .session
                    .lambda_vars
                    .borrow()
                    .iter()
                    .rev()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&var))
                    .map_or(Value::Unknown, |(_, v)| v.clone()),
                _ => Value::Unknown,
            },
            // The CIDR functions live in the `sys` namespace too.
            _ if name.starts_with("sys.") => self.call(&name[4..], args),
            _ => {
                let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                if !functions::IMPLEMENTED.contains(&name) {
                    self.session.note(format!(
                        "{}: peerlint does not evaluate {name}(); what depends on it is unknown",
                        self.frame.origin
                    ));
                }
                functions::call(name, &args)
            }
        }
    }

    /// A lambda's body evaluated with its variables bound to `values`.
    fn apply(&self, lambda: &Expr, values: &[Value]) -> Value {
        let Expr::Call(f, parts) = lambda else {
            return Value::Unknown;
        };
        let Some((body, vars)) = parts.split_last().filter(|_| f == "lambda") else {
            return Value::Unknown;
        };
        let names: Option<Vec<String>> = vars
            .iter()
            .map(|v| match v {
                Expr::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let Some(names) = names.filter(|n| n.len() <= values.len()) else {
            return Value::Unknown;
        };
        let depth = {
            let mut stack = self.session.lambda_vars.borrow_mut();
            let depth = stack.len();
            stack.extend(names.into_iter().zip(values.iter().cloned()));
            depth
        };
        let v = self.expr(body);
        self.session.lambda_vars.borrow_mut().truncate(depth);
        v
    }

    /// `filter`, `map`, `reduce`, `sort`, `toObject`, `groupBy`, `mapValues`: unknown when
    /// the input or any application of the lambda is.
    fn lambda_function(&self, name: &str, args: &[Expr]) -> Value {
        let input = match args.first() {
            Some(a) => self.expr(a),
            None => return Value::Unknown,
        };
        if let e @ Value::Error(_) = input {
            return e;
        }
        let items = match (&input, name) {
            (Value::List(items), _) => items.clone(),
            (Value::Object(m), "mapvalues") => m.values().cloned().collect(),
            _ => return Value::Unknown,
        };
        let indexed = |i: usize, v: &Value| [v.clone(), Value::Number(i as f64)];
        let key_of = |v: Value| match v {
            Value::String(k) if !token::is_opaque(&k) => Some(k),
            _ => None,
        };
        match (name, args) {
            ("filter", [_, f]) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match self.apply(f, &indexed(i, item)).to_bool() {
                        Ok(Some(true)) => out.push(item.clone()),
                        Ok(Some(false)) => {}
                        _ => return Value::Unknown,
                    }
                }
                Value::List(out)
            }
            ("map", [_, f]) => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.apply(f, &indexed(i, item)))
                    .collect(),
            ),
            ("reduce", [_, initial, f]) => {
                let mut acc = self.expr(initial);
                for (i, item) in items.iter().enumerate() {
                    acc = self.apply(f, &[acc, item.clone(), Value::Number(i as f64)]);
                }
                acc
            }
            ("sort", [_, f]) => {
                // Insertion sort: stable, and every comparison must be known.
                let mut out: Vec<Value> = Vec::with_capacity(items.len());
                for item in items {
                    let mut at = out.len();
                    while at > 0 {
                        match self
                            .apply(f, &[item.clone(), out[at - 1].clone()])
                            .to_bool()
                        {
                            Ok(Some(true)) => at -= 1,
                            Ok(Some(false)) => break,
                            _ => return Value::Unknown,
                        }
                    }
                    out.insert(at, item);
                }
                Value::List(out)
            }
            ("toobject", [_, key, rest @ ..]) => {
                let mut out = BTreeMap::new();
                for item in &items {
                    let Some(k) = key_of(self.apply(key, std::slice::from_ref(item))) else {
                        return Value::Unknown;
                    };
                    let v = match rest {
                        [value] => self.apply(value, std::slice::from_ref(item)),
                        _ => item.clone(),
                    };
                    out.insert(k, v);
                }
                Value::Object(out)
            }
            ("groupby", [_, key]) => {
                let mut out: BTreeMap<String, Value> = BTreeMap::new();
                for item in &items {
                    let Some(k) = key_of(self.apply(key, std::slice::from_ref(item))) else {
                        return Value::Unknown;
                    };
                    match out.entry(k).or_insert_with(|| Value::List(Vec::new())) {
                        Value::List(l) => l.push(item.clone()),
                        _ => return Value::Unknown,
                    }
                }
                Value::Object(out)
            }
            ("mapvalues", [_, f]) => match input {
                Value::Object(m) => Value::Object(
                    m.iter()
                        .map(|(k, v)| (k.clone(), self.apply(f, std::slice::from_ref(v))))
                        .collect(),
                ),
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        }
    }

    /// The URI of the template being evaluated (a symbol).
    fn own_uri(&self) -> Value {
        self.session
            .symbols
            .symbol(format!("the URI of {}", self.frame.origin))
    }

    /// The text that stands for the folder of the template's URI: `uri()` of the template's
    /// URI and a relative path starts with it (see [`Frame::linked_path`]).
    pub(crate) fn own_folder(&self) -> String {
        match self
            .session
            .symbols
            .symbol(format!("the folder of the URI of {}", self.frame.origin))
        {
            Value::Symbol(n) => token::symbol(n),
            _ => String::new(),
        }
    }

    /// `first(split(s, sep))` and `last(split(s, sep))`. The part of a partly unknown
    /// string before its first separator (or after its last) is known when it holds no
    /// unknown text, as in `last(split(remoteVnetId, '/'))`.
    fn split_end(&self, last: bool, args: &[Expr]) -> Value {
        let [Expr::Call(_, split)] = args else {
            return Value::Unknown;
        };
        let (s, sep) = (self.expr(&split[0]), self.expr(&split[1]));
        if let (Value::String(text), Value::String(sep)) = (&s, &sep)
            && token::is_opaque(text)
            && !sep.is_empty()
            && !token::is_opaque(sep)
        {
            let part = if last {
                text.rsplit(sep.as_str()).next()
            } else {
                text.split(sep.as_str()).next()
            };
            return match part {
                Some(p) if text.contains(sep.as_str()) && !token::is_opaque(p) => Value::str(p),
                _ => Value::Unknown,
            };
        }
        let list = functions::call("split", &[s, sep]);
        functions::call(if last { "last" } else { "first" }, &[list])
    }

    fn parameter(&self, args: &[Expr]) -> Value {
        let Some(Value::String(name)) = args.first().map(|a| self.expr(a)) else {
            return Value::Unknown;
        };
        let key = name.to_ascii_lowercase();
        // A parameter given as null takes its default, as ARM does (Bicep passes optional
        // module parameters that way).
        if let Some(v) = self.frame.params.get(&key).filter(|v| **v != Value::Null) {
            return v.clone();
        }
        let decl = self.frame.root.get("parameters").and_then(|p| p.get(&name));
        let nullable = decl
            .and_then(|d| d.get("nullable"))
            .is_some_and(|n| n.kind == Json::Bool(true));
        if nullable && decl.and_then(|d| d.get("defaultValue")).is_none() {
            return Value::Null;
        }
        match decl.and_then(|d| d.get("defaultValue")) {
            Some(default) => {
                if let Some(v) = self.frame.defaults.borrow().get(&key) {
                    return v.clone();
                }
                let active = format!("parameters:{key}");
                if !self.frame.active.borrow_mut().insert(active.clone()) {
                    return Value::Unknown;
                }
                // A default may use other parameters, but not copy indexes.
                let none = Copies::new();
                let v = Ev {
                    copies: &none,
                    ..*self
                }
                .node(default);
                self.frame.active.borrow_mut().remove(&active);
                self.frame.defaults.borrow_mut().insert(key, v.clone());
                v
            }
            // A string without a value stands for itself: two uses are one name.
            None if decl.is_some_and(is_string_parameter) => self
                .session
                .symbols
                .symbol(format!("parameters('{name}') of {}", self.frame.origin)),
            None if decl.is_some() => Value::Unknown,
            // Reported by the template check.
            None => Value::Unknown,
        }
    }

    fn variable(&self, args: &[Expr]) -> Value {
        let Some(Value::String(name)) = args.first().map(|a| self.expr(a)) else {
            return Value::Unknown;
        };
        let key = name.to_ascii_lowercase();
        if let Some(v) = self.frame.vars.borrow().get(&key) {
            return v.clone();
        }
        if !self.frame.active.borrow_mut().insert(key.clone()) {
            return Value::Unknown;
        }
        let none = Copies::new();
        let ev = Ev {
            copies: &none,
            ..*self
        };
        let vars = self.frame.root.get("variables");
        let value = match vars.and_then(|v| v.member(&name)) {
            Some(m) if !m.name.eq_ignore_ascii_case("copy") => ev.node(&m.value),
            _ => {
                // `"copy": [{ "name": …, "count": …, "input": … }]` in `variables`.
                let copies = vars.and_then(|v| v.get("copy"));
                match copies.map(|c| ev.property_copies(c)) {
                    Some(list) => list
                        .into_iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                        .map(|(_, v)| v)
                        .unwrap_or(Value::Unknown),
                    // Reported by the template check.
                    None => Value::Unknown,
                }
            }
        };
        let value = value.errors_as_unknown();
        self.frame.active.borrow_mut().remove(&key);
        self.frame.vars.borrow_mut().insert(key, value.clone());
        value
    }

    fn copy_index(&self, args: &[Expr]) -> Value {
        let args: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
        let (loop_name, offset) = match args.as_slice() {
            [] => (None, 0.0),
            [Value::String(n)] => (Some(n.to_ascii_lowercase()), 0.0),
            [Value::Number(o)] => (None, *o),
            [Value::String(n), Value::Number(o)] => (Some(n.to_ascii_lowercase()), *o),
            _ => return Value::Unknown,
        };
        let found = match &loop_name {
            Some(n) => self.copies.iter().rev().find(|(name, _)| name == n),
            None => self.copies.last(),
        };
        match found {
            Some((_, i)) => Value::Number(*i as f64 + offset),
            None => Value::error("copyIndex() is used outside a copy loop"),
        }
    }

    /// `resourceId`, `subscriptionResourceId`, `tenantResourceId`, `extensionResourceId`.
    fn resource_id(&self, name: &str, args: &[Value]) -> Value {
        let t = &self.frame.target;
        let shown = match name {
            "subscriptionresourceid" => "subscriptionResourceId",
            "tenantresourceid" => "tenantResourceId",
            "extensionresourceid" => "extensionResourceId",
            _ => "resourceId",
        };
        let is_type =
            |v: &Value| matches!(v, Value::String(s) if s.contains('/') && !token::is_opaque(s));
        let (prefix, rest): (Vec<Value>, &[Value]) = match name {
            "tenantresourceid" => (vec![Value::str("")], args),
            "extensionresourceid" => match args.split_first() {
                Some((base, rest)) => (vec![Value::str(""), base.clone()], rest),
                None => return Value::error("extensionResourceId needs a resource id"),
            },
            _ => {
                let Some(at) = args.iter().position(is_type) else {
                    return Value::Unknown;
                };
                let (scope, rest) = args.split_at(at);
                let sub_only = name == "subscriptionresourceid";
                let (sub, rg) = match (scope, sub_only) {
                    ([], true) => (t.subscription.clone(), None),
                    ([s], true) => (s.clone(), None),
                    ([], false) => (t.subscription.clone(), Some(t.resource_group.clone())),
                    ([rg], false) => (t.subscription.clone(), Some(rg.clone())),
                    ([s, rg], false) => (s.clone(), Some(rg.clone())),
                    _ => {
                        return Value::error(format!(
                            "{shown}(): too many arguments before the type"
                        ));
                    }
                };
                let mut prefix = vec![Value::str(""), Value::str("subscriptions"), sub];
                if let Some(rg) = rg {
                    prefix.extend([Value::str("resourceGroups"), rg]);
                }
                (prefix, rest)
            }
        };
        let Some((Value::String(ty), names)) = rest.split_first() else {
            return Value::Unknown;
        };
        // ARM accepts a stray `/` at the end of the type.
        let mut types = ty.trim_end_matches('/').split('/');
        let namespace = types.next().unwrap_or_default();
        let types: Vec<&str> = types.collect();
        if types.len() != names.len() {
            return Value::error(format!(
                "{shown}(): the type {ty} takes {} name{}, {} {} given",
                types.len(),
                if types.len() == 1 { "" } else { "s" },
                names.len(),
                if names.len() == 1 { "is" } else { "are" }
            ));
        }
        let mut parts = prefix;
        parts.extend([Value::str("providers"), Value::str(namespace)]);
        for (t, n) in types.iter().zip(names) {
            parts.push(Value::str(*t));
            parts.push(n.clone());
        }
        join(&parts)
    }

    /// `reference(x)`: the outputs of a nested deployment of this template, named by its
    /// symbolic name or its id; anything else is unknown.
    fn reference(&self, args: &[Expr]) -> Value {
        let Some(Value::String(target)) = args.first().map(|a| self.expr(a)) else {
            return Value::Unknown;
        };
        let name = if target.contains('/') {
            let lower = target.to_ascii_lowercase();
            match lower.rfind("/microsoft.resources/deployments/") {
                Some(at) => target[at + "/microsoft.resources/deployments/".len()..].to_string(),
                None => return Value::Unknown,
            }
        } else {
            target
        };
        // A deployment of this template, or one built elsewhere in the same evaluation
        // (when its name is unique there).
        let found = super::find_deployment(self, &name).or_else(|| {
            let key = (run_of(&self.frame.origin), name.to_ascii_lowercase());
            match self
                .session
                .deployments
                .borrow()
                .get(&key)
                .map(Vec::as_slice)
            {
                Some([only]) => Some(only.clone()),
                _ => None,
            }
        });
        let Some(deployment) = found else {
            return Value::Unknown;
        };
        Value::OpenObject(BTreeMap::from([(
            "outputs".to_string(),
            deployment_outputs(self.session, &deployment),
        )]))
    }
}

/// The evaluation a frame belongs to: the origin of its outermost template.
fn run_of(origin: &str) -> String {
    origin.split(" > ").next().unwrap_or(origin).to_string()
}

/// Whether a parameter declaration is of type `string` or `securestring`.
fn is_string_parameter(decl: &Node) -> bool {
    decl.get("type")
        .and_then(Node::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("string") || t.eq_ignore_ascii_case("securestring"))
}

/// A nested deployment's outputs, as `reference(…).outputs` shows them.
pub(crate) fn deployment_outputs<'a>(session: &Session<'a>, d: &Deployment<'a>) -> Value {
    let none = Copies::new();
    let ev = Ev {
        session,
        frame: &d.frame,
        copies: &none,
    };
    let mut map = BTreeMap::new();
    for m in d
        .template
        .get("outputs")
        .map(Node::members)
        .unwrap_or_default()
    {
        let value = match m
            .value
            .get("copy")
            .filter(|c| matches!(c.kind, Json::Object(_)))
        {
            // `"copy": { "count": …, "input": … }`: a list, one element per index.
            Some(copy) => match (ev.count(copy.get("count")), copy.get("input")) {
                (Some(n), Some(input)) => Value::List(
                    (0..n as i64)
                        .map(|i| {
                            let copies = vec![(String::new(), i)];
                            Ev {
                                copies: &copies,
                                ..ev
                            }
                            .node(input)
                        })
                        .collect(),
                ),
                _ => Value::Unknown,
            },
            None => m.value.get("value").map_or(Value::Unknown, |v| ev.node(v)),
        };
        map.insert(
            m.name.clone(),
            Value::Object(BTreeMap::from([(
                "value".to_string(),
                value.errors_as_unknown(),
            )])),
        );
    }
    Value::OpenObject(map)
}

impl<'a> Frame<'a> {
    /// The nested deployment a resource (instance) makes, evaluated once.
    pub(crate) fn nested(
        self: &Rc<Self>,
        session: &Session<'a>,
        resource: &'a Node,
        copies: &Copies,
        deploy: &Target,
        pre_evaluated: bool,
    ) -> Option<Rc<Deployment<'a>>> {
        let key = (
            resource as *const Node as usize,
            copies.iter().map(|(_, i)| *i).collect(),
        );
        if let Some(d) = self.nested.borrow().get(&key) {
            return Some(d.clone());
        }
        if !self.building.borrow_mut().insert(key.clone()) {
            return None;
        }
        let d = super::make_deployment(session, self, resource, copies, deploy, pre_evaluated)
            .map(Rc::new);
        self.building.borrow_mut().remove(&key);
        let d = d?;
        self.nested.borrow_mut().insert(key, d.clone());
        if let Ok(Some(name)) = as_text(d.deploy.deployment.clone()).to_str()
            && !token::has_unknown(&name)
        {
            let list_key = (run_of(&self.origin), name.to_ascii_lowercase());
            let mut all = session.deployments.borrow_mut();
            let list = all.entry(list_key).or_default();
            if !list.iter().any(|other| Rc::ptr_eq(other, &d)) {
                list.push(d.clone());
            }
        }
        Some(d)
    }
}

/// `.name` of a value, case-insensitively; a symbol's parts are symbols.
pub(crate) fn property(symbols: &Symbols, v: Value, name: &str) -> Value {
    match v {
        Value::Object(m) => get_ci(&m, name)
            .cloned()
            .unwrap_or_else(|| Value::error(format!("the object has no property \"{name}\""))),
        Value::OpenObject(m) => get_ci(&m, name).cloned().unwrap_or(Value::Unknown),
        Value::Symbol(n) => symbols.derived(n, &format!(".{name}")),
        e @ Value::Error(_) => e,
        Value::Null => Value::error(format!("cannot read \"{name}\" of null")),
        _ => Value::Unknown,
    }
}

/// Joins id segments with `/`; unknown segments become unknown parts of the string.
pub(crate) fn join(parts: &[Value]) -> Value {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        match part.to_str() {
            Ok(Some(s)) => out.push_str(s.trim_matches('/')),
            _ => out.push(token::UNKNOWN),
        }
    }
    Value::String(out)
}

/// A symbol token string for a value that is a symbol, else the value.
pub(crate) fn as_text(v: Value) -> Value {
    match v {
        Value::Symbol(n) => Value::String(token::symbol(n)),
        other => other,
    }
}
