//! The evaluator: what Terraform would know of a module's values before `plan`.
//!
//! A module is a set of addressable values (`var.x`, `local.x`, `type.name.attr`),
//! evaluated lazily and memoised by address; an address met again while it is being
//! evaluated is a cycle and evaluates to `Unknown`. Expressions are evaluated straight from
//! hcl-edit's syntax tree, so the caller keeps every span. What cannot be known statically
//! is `Unknown`; what Terraform itself would reject is `Error`, which does not cross an
//! address: seen from elsewhere it is `Unknown`, so each failure is reported once.

use super::azurerm::{self, IdShape};
use super::functions;
use super::module::{Mode, Module, ResourceDecl};
use super::types;
use super::value::Value;
use crate::ir::token;
use crate::source::FileId;
use hcl::edit::Decorated;
use hcl::edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl::edit::structure::Body;
use hcl::edit::template::{Directive, Element, Template};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Deeper nesting than this evaluates to an error instead of exhausting the stack.
const MAX_DEPTH: u32 = 128;
/// Largest collection a `for` expression or directive iterates.
const MAX_ITEMS: usize = 100_000;

/// A local variable binding (`for` expression variables, later `each` and `count`).
pub(crate) struct Frame<'s> {
    name: &'s str,
    value: Value,
    parent: Option<&'s Frame<'s>>,
}

/// Where an expression is evaluated: its file, and the local variables in scope.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'s> {
    pub file: FileId,
    frame: Option<&'s Frame<'s>>,
}

impl<'s> Scope<'s> {
    pub(crate) fn root(file: FileId) -> Scope<'static> {
        Scope { file, frame: None }
    }

    fn lookup(&self, name: &str) -> Option<&'s Value> {
        let mut f = self.frame;
        while let Some(frame) = f {
            if frame.name == name {
                return Some(&frame.value);
            }
            f = frame.parent;
        }
        None
    }

    fn frame(&self, name: &'s str, value: Value) -> Frame<'s> {
        Frame {
            name,
            value,
            parent: self.frame,
        }
    }

    fn with(&self, frame: &'s Frame<'s>) -> Scope<'s> {
        Scope {
            file: self.file,
            frame: Some(frame),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Addr {
    Var(String),
    Local(String),
    Attr(Mode, String, String, String),
}

/// Evaluates the values of one module.
pub(crate) struct Evaluator<'m, 'a> {
    pub module: &'m Module<'a>,
    /// Values given to variables from outside (tfvars, a module call); else the default.
    inputs: HashMap<String, Value>,
    /// The subscription of each provider configuration (`("azurerm", "")` is the default
    /// one): a literal id or a symbolic-subscription token.
    providers: HashMap<(String, String), String>,
    memo: RefCell<HashMap<Addr, Value>>,
    active: RefCell<HashSet<Addr>>,
    depth: Cell<u32>,
    /// The symbols this evaluator introduced: what each stands for, numbered from
    /// `symbol_base`; and the symbol of each origin, so one origin has one symbol.
    symbols: RefCell<Vec<String>>,
    symbol_base: u32,
    symbol_of: RefCell<HashMap<String, u32>>,
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// The symbols it introduces are numbered from `symbol_base`; [`Evaluator::symbols`]
    /// says what they stand for.
    pub(crate) fn new(
        module: &'m Module<'a>,
        inputs: HashMap<String, Value>,
        symbol_base: u32,
    ) -> Self {
        let mut ev = Evaluator {
            module,
            inputs,
            providers: HashMap::new(),
            memo: RefCell::new(HashMap::new()),
            active: RefCell::new(HashSet::new()),
            depth: Cell::new(0),
            symbols: RefCell::new(Vec::new()),
            symbol_base,
            symbol_of: RefCell::new(HashMap::new()),
        };
        let dir = crate::source::display_path(&module.dir, None);
        let mut configs: Vec<(String, String, Option<String>)> = Vec::new();
        for p in &module.providers {
            let name = p.block.labels[0].as_str().to_string();
            let alias = p
                .attr("alias")
                .and_then(|a| {
                    ev.eval(&a.value, Scope::root(p.file))
                        .to_str()
                        .ok()
                        .flatten()
                })
                .unwrap_or_default();
            let subscription = p
                .attr("subscription_id")
                .map(|a| ev.eval(&a.value, Scope::root(p.file)))
                .and_then(|v| match v {
                    Value::String(s) if !token::is_opaque(&s) && !s.is_empty() => Some(s),
                    _ => None,
                });
            configs.push((name, alias, subscription));
        }
        if !configs
            .iter()
            .any(|(n, a, _)| n == "azurerm" && a.is_empty())
        {
            configs.push(("azurerm".into(), String::new(), None));
        }
        for (name, alias, subscription) in configs {
            let text = subscription.unwrap_or_else(|| {
                let shown = if alias.is_empty() {
                    name.clone()
                } else {
                    format!("{name}.{alias}")
                };
                match ev.symbol(format!("subscription of provider {shown} in {dir}")) {
                    Value::Symbol(n) => token::symbol(n),
                    _ => token::UNKNOWN.to_string(),
                }
            });
            ev.providers.entry((name, alias)).or_insert(text);
        }
        ev
    }

    /// The subscription (literal or token) of the provider configuration a resource uses.
    pub(crate) fn subscription_of(&self, r: &ResourceDecl<'_>) -> String {
        let provider_name = r.ty.split('_').next().unwrap_or_default().to_string();
        let alias = r
            .decl
            .attr("provider")
            .and_then(|a| match &a.value {
                Expression::Traversal(t) => match t.operators.first().map(|o| o.value()) {
                    Some(TraversalOperator::GetAttr(alias)) => Some(alias.as_str().to_string()),
                    _ => None,
                },
                _ => None,
            })
            .unwrap_or_default();
        self.providers
            .get(&(provider_name.clone(), alias))
            .or_else(|| self.providers.get(&(provider_name, String::new())))
            .cloned()
            .unwrap_or_else(|| token::UNKNOWN.to_string())
    }

    /// What the symbols introduced by this evaluator stand for, in number order.
    pub(crate) fn symbols(&self) -> Vec<String> {
        self.symbols.borrow().clone()
    }

    /// The symbol of an origin (`var.x`, `random_string.suffix.result`): the same origin
    /// always gives the same symbol.
    fn symbol(&self, origin: String) -> Value {
        if let Some(&n) = self.symbol_of.borrow().get(&origin) {
            return Value::Symbol(n);
        }
        let mut symbols = self.symbols.borrow_mut();
        let n = self.symbol_base + symbols.len() as u32;
        symbols.push(origin.clone());
        self.symbol_of.borrow_mut().insert(origin, n);
        Value::Symbol(n)
    }

    /// The symbol of a part of a symbolic value (`.name`, `["key"]`).
    fn derived(&self, n: u32, step: &str) -> Value {
        let base = n
            .checked_sub(self.symbol_base)
            .and_then(|i| self.symbols.borrow().get(i as usize).cloned());
        match base {
            Some(origin) => self.symbol(format!("{origin}{step}")),
            // A symbol of another module: its parts are simply unknown.
            None => Value::Unknown,
        }
    }

    // ----- addresses ---------------------------------------------------------------------

    fn memoized(&self, addr: Addr, compute: impl FnOnce() -> Value) -> Value {
        if let Some(v) = self.memo.borrow().get(&addr) {
            return v.clone();
        }
        if !self.active.borrow_mut().insert(addr.clone()) {
            // A cycle: Terraform rejects it; here it is simply not known.
            return Value::Unknown;
        }
        let v = compute().errors_as_unknown();
        self.active.borrow_mut().remove(&addr);
        self.memo.borrow_mut().insert(addr, v.clone());
        v
    }

    /// The value of `var.name`.
    pub(crate) fn variable(&self, name: &str) -> Value {
        self.memoized(Addr::Var(name.to_string()), || {
            let Some(decl) = self.module.variables.get(name) else {
                return self.inputs.get(name).cloned().unwrap_or(Value::Unknown);
            };
            let scope = Scope::root(decl.file);
            let value = match (self.inputs.get(name), decl.attr("default")) {
                (Some(v), _) => v.clone(),
                (None, Some(attr)) => self.eval(&attr.value, scope),
                // No default: given at plan time; one value wherever it is used.
                (None, None) => return self.symbol(format!("var.{name}")),
            };
            match decl.attr("type") {
                Some(t) => {
                    let ty = types::parse(&t.value, &|e| self.eval(e, scope));
                    types::convert(value, &ty)
                }
                None => value,
            }
        })
    }

    /// The value of `local.name`.
    pub(crate) fn local(&self, name: &str) -> Value {
        self.memoized(Addr::Local(name.to_string()), || {
            match self.module.locals.get(name) {
                Some((file, attr)) => self.eval(&attr.value, Scope::root(*file)),
                None => Value::Unknown,
            }
        })
    }

    /// One attribute of a (single-instance) resource, as other expressions see it. An
    /// attribute that is not known, or a string with unknown parts, is a symbol: it is one
    /// value, whatever it turns out to be.
    pub(crate) fn resource_attr(&self, r: &ResourceDecl<'_>, attr: &str) -> Value {
        let addr = Addr::Attr(
            r.mode,
            r.ty.to_string(),
            r.name.to_string(),
            attr.to_string(),
        );
        self.memoized(addr, || match self.resource_attr_uncached(r, attr) {
            Value::Unknown => self.symbol(format!("{}.{attr}", r.address())),
            Value::String(s) if token::has_unknown(&s) => {
                self.symbol(format!("{}.{attr}", r.address()))
            }
            v => v,
        })
    }

    fn resource_attr_uncached(&self, r: &ResourceDecl<'_>, attr: &str) -> Value {
        let scope = Scope::root(r.decl.file);
        if let Some(a) = r.decl.attr(attr) {
            return self.eval(&a.value, scope);
        }
        if r.decl.block.body.get_blocks(attr).next().is_some() {
            let items = r
                .decl
                .block
                .body
                .get_blocks(attr)
                .map(|b| {
                    let mut obj = self.body_object(&b.body, scope);
                    if (r.ty, attr) == azurerm::INLINE_SUBNET
                        && let Value::OpenObject(map) = &mut obj
                    {
                        let vnet_id = self.resource_attr(r, "id");
                        let name = map.get("name").cloned().unwrap_or(Value::Unknown);
                        map.insert(
                            "id".into(),
                            join_id(&[vnet_id, Value::str("subnets"), name]),
                        );
                    }
                    obj
                })
                .collect();
            return Value::List(items);
        }
        self.computed_attr(r, attr)
    }

    /// Attributes the provider computes that peerlint can still know.
    fn computed_attr(&self, r: &ResourceDecl<'_>, attr: &str) -> Value {
        if r.ty == "azapi_resource" {
            return match attr {
                "id" => azapi_id(
                    &self.resource_attr(r, "type"),
                    self.resource_attr(r, "parent_id"),
                    self.resource_attr(r, "name"),
                ),
                _ => Value::Unknown,
            };
        }
        let sub = || Value::String(self.subscription_of(r));
        match (attr, azurerm::id_shape(r.ty)) {
            ("subscription_id", Some(IdShape::Subscription)) => {
                match r.decl.attr("subscription_id") {
                    Some(_) => self.resource_attr(r, "subscription_id"),
                    None => sub(),
                }
            }
            ("id", Some(IdShape::Subscription)) => join_id(&[
                Value::str(""),
                Value::str("subscriptions"),
                self.resource_attr(r, "subscription_id"),
            ]),
            ("id", Some(IdShape::ResourceGroup)) => join_id(&[
                Value::str(""),
                Value::str("subscriptions"),
                sub(),
                Value::str("resourceGroups"),
                self.resource_attr(r, "name"),
            ]),
            ("id", Some(IdShape::Top(ty))) => join_id(&[
                Value::str(""),
                Value::str("subscriptions"),
                sub(),
                Value::str("resourceGroups"),
                self.resource_attr(r, "resource_group_name"),
                Value::str("providers"),
                Value::str(ty),
                self.resource_attr(r, "name"),
            ]),
            (
                "id",
                Some(IdShape::Child {
                    parent_ty,
                    parent_arg,
                    child,
                }),
            ) => join_id(&[
                Value::str(""),
                Value::str("subscriptions"),
                sub(),
                Value::str("resourceGroups"),
                self.resource_attr(r, "resource_group_name"),
                Value::str("providers"),
                Value::str(parent_ty),
                self.resource_attr(r, parent_arg),
                Value::str(child),
                self.resource_attr(r, "name"),
            ]),
            _ => Value::Unknown,
        }
    }

    /// A whole resource as an object: what it writes, plus its computed `id`.
    fn resource_object(&self, r: &ResourceDecl<'_>) -> Value {
        let mut map = match self.body_object(&r.decl.block.body, Scope::root(r.decl.file)) {
            Value::OpenObject(map) => map,
            _ => BTreeMap::new(),
        };
        for attr in map.keys().cloned().collect::<Vec<_>>() {
            // Memoised values, so that nested blocks get their computed ids too.
            map.insert(attr.clone(), self.resource_attr(r, &attr));
        }
        map.insert("id".into(), self.resource_attr(r, "id"));
        Value::OpenObject(map)
    }

    /// The attributes and nested blocks of a body, as an open object.
    fn body_object(&self, body: &Body, scope: Scope<'_>) -> Value {
        let mut map = BTreeMap::new();
        for attr in body.attributes() {
            map.insert(attr.key.as_str().to_string(), self.eval(&attr.value, scope));
        }
        for block in body.blocks() {
            let entry = map
                .entry(block.ident.as_str().to_string())
                .or_insert_with(|| Value::List(Vec::new()));
            if let Value::List(items) = entry {
                items.push(self.body_object(&block.body, scope));
            }
        }
        Value::OpenObject(map)
    }

    // ----- expressions ---------------------------------------------------------------------

    /// Evaluates an expression.
    pub(crate) fn eval(&self, expr: &Expression, scope: Scope<'_>) -> Value {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return Value::error("expression is nested too deeply to evaluate");
        }
        self.depth.set(depth + 1);
        let v = self.eval_inner(expr, scope);
        self.depth.set(depth);
        v
    }

    fn eval_inner(&self, expr: &Expression, scope: Scope<'_>) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n.as_f64().map_or(Value::Unknown, Value::Number),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => {
                Value::List(items.iter().map(|e| self.eval(e, scope)).collect())
            }
            Expression::Object(obj) => {
                let mut map = BTreeMap::new();
                for (key, value) in obj.iter() {
                    let k = match key {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(e) => match self.object_key(e, scope) {
                            Ok(k) => k,
                            Err(v) => return v,
                        },
                    };
                    map.insert(k, self.eval(value.expr(), scope));
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => self.template(t, scope),
            Expression::HeredocTemplate(h) => self.template(&h.template, scope),
            Expression::Parenthesis(p) => self.eval(p.inner(), scope),
            Expression::Variable(v) => scope.lookup(v.as_str()).cloned().unwrap_or(Value::Unknown),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, scope);
                match cond.to_bool() {
                    Ok(Some(true)) => self.eval(&c.true_expr, scope),
                    Ok(Some(false)) => self.eval(&c.false_expr, scope),
                    Ok(None) => {
                        let (t, f) = (
                            self.eval(&c.true_expr, scope),
                            self.eval(&c.false_expr, scope),
                        );
                        if functions::equal(&t, &f) == Some(true) {
                            t
                        } else {
                            Value::Unknown
                        }
                    }
                    Err(e) => e,
                }
            }
            Expression::FuncCall(f) => self.func_call(f, scope),
            Expression::Traversal(t) => self.traversal(t, scope),
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr, scope);
                match op.operator.value() {
                    UnaryOperator::Neg => match v.to_number() {
                        Ok(Some(n)) => Value::Number(-n),
                        Ok(None) => Value::Unknown,
                        Err(e) => e,
                    },
                    UnaryOperator::Not => match v.to_bool() {
                        Ok(Some(b)) => Value::Bool(!b),
                        Ok(None) => Value::Unknown,
                        Err(e) => e,
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval(&op.lhs_expr, scope);
                let operator = *op.operator.value();
                // `false && x` and `true || x` do not depend on `x`.
                match (operator, lhs.to_bool()) {
                    (BinaryOperator::And, Ok(Some(false))) => return Value::Bool(false),
                    (BinaryOperator::Or, Ok(Some(true))) => return Value::Bool(true),
                    _ => {}
                }
                let rhs = self.eval(&op.rhs_expr, scope);
                binary(operator, &lhs, &rhs)
            }
            Expression::ForExpr(f) => self.for_expr(f, scope),
        }
    }

    fn object_key(&self, e: &Expression, scope: Scope<'_>) -> Result<String, Value> {
        // A bare identifier as a key is a literal name, as in `{ name = 1 }`.
        if let Expression::Variable(v) = e {
            return Ok(v.as_str().to_string());
        }
        match self.eval(e, scope) {
            Value::String(s) if !token::is_opaque(&s) => Ok(s),
            Value::String(_) | Value::Unknown | Value::Symbol(_) => Err(Value::Unknown),
            other => match other.to_str() {
                Ok(Some(s)) => Ok(s),
                Ok(None) => Err(Value::Unknown),
                Err(e) => Err(e),
            },
        }
    }

    fn template(&self, t: &Template, scope: Scope<'_>) -> Value {
        let mut out = String::new();
        if let Err(e) = self.render(t, scope, &mut out) {
            return e;
        }
        if !out.is_empty() && out.chars().all(|c| c == token::UNKNOWN) {
            return Value::Unknown;
        }
        Value::String(out)
    }

    fn render(&self, t: &Template, scope: Scope<'_>, out: &mut String) -> Result<(), Value> {
        for element in t.iter() {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => match self.eval(&i.expr, scope) {
                    Value::Unknown => out.push(token::UNKNOWN),
                    Value::Null => {
                        return Err(Value::error("a null value cannot be interpolated"));
                    }
                    v => match v.to_str()? {
                        Some(s) => out.push_str(&s),
                        None => out.push(token::UNKNOWN),
                    },
                },
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => match self.eval(&d.if_expr.cond_expr, scope).to_bool()? {
                        Some(true) => self.render(&d.if_expr.template, scope, out)?,
                        Some(false) => {
                            if let Some(e) = &d.else_expr {
                                self.render(&e.template, scope, out)?;
                            }
                        }
                        None => out.push(token::UNKNOWN),
                    },
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let items = match iterate(self.eval(&f.collection_expr, scope)) {
                            Ok(Some(items)) => items,
                            Ok(None) => {
                                out.push(token::UNKNOWN);
                                continue;
                            }
                            Err(e) => return Err(e),
                        };
                        for (k, v) in items {
                            let kf;
                            let inner = match &f.key_var {
                                Some(kv) => {
                                    kf = scope.frame(kv.as_str(), k);
                                    scope.with(&kf)
                                }
                                None => scope,
                            };
                            let vf = inner.frame(f.value_var.as_str(), v);
                            self.render(&f.template, inner.with(&vf), out)?;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    fn for_expr(&self, f: &ForExpr, scope: Scope<'_>) -> Value {
        let items = match iterate(self.eval(&f.intro.collection_expr, scope)) {
            Ok(Some(items)) => items,
            Ok(None) => return Value::Unknown,
            Err(e) => return e,
        };
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in items {
            let kf;
            let inner = match &f.intro.key_var {
                Some(kv) => {
                    kf = scope.frame(kv.as_str(), k);
                    scope.with(&kf)
                }
                None => scope,
            };
            let vf = inner.frame(f.intro.value_var.as_str(), v);
            let inner = inner.with(&vf);
            if let Some(cond) = &f.cond {
                match self.eval(&cond.expr, inner).to_bool() {
                    Ok(Some(true)) => {}
                    Ok(Some(false)) => continue,
                    Ok(None) => return Value::Unknown,
                    Err(e) => return e,
                }
            }
            let value = self.eval(&f.value_expr, inner);
            match &f.key_expr {
                None => list.push(value),
                Some(key_expr) => {
                    let key = match self.eval(key_expr, inner) {
                        Value::String(s) if !token::is_opaque(&s) => s,
                        Value::String(_) | Value::Unknown | Value::Symbol(_) => {
                            return Value::Unknown;
                        }
                        other => match other.to_str() {
                            Ok(Some(s)) => s,
                            Ok(None) => return Value::Unknown,
                            Err(e) => return e,
                        },
                    };
                    if f.grouping {
                        match object.entry(key).or_insert_with(|| Value::List(Vec::new())) {
                            Value::List(items) => items.push(value),
                            _ => unreachable!("grouped entries are lists"),
                        }
                    } else if object.insert(key.clone(), value).is_some() {
                        return Value::error(format!(
                            "duplicate key \"{key}\" in a for expression (use `...` to group)"
                        ));
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            Value::Object(object)
        } else {
            Value::List(list)
        }
    }

    fn func_call(&self, f: &FuncCall, scope: Scope<'_>) -> Value {
        if f.name.is_namespaced() {
            // Provider-defined functions (`provider::azurerm::…`) are not evaluated.
            return Value::Unknown;
        }
        let name = f.name.name.as_str();
        match name {
            "try" => {
                for arg in f.args.iter() {
                    let v = self.eval(arg, scope);
                    if v.find_error().is_none() {
                        return v;
                    }
                }
                return Value::error("try: no argument could be evaluated");
            }
            "can" => {
                return match f.args.iter().next().map(|a| self.eval(a, scope)) {
                    Some(v) if v.find_error().is_some() => Value::Bool(false),
                    Some(v) if v.is_whole() => Value::Bool(true),
                    _ => Value::Unknown,
                };
            }
            _ => {}
        }
        let mut args: Vec<Value> = f.args.iter().map(|a| self.eval(a, scope)).collect();
        if f.args.expand_final() {
            match args.pop() {
                Some(Value::List(items)) => args.extend(items),
                Some(Value::Unknown | Value::Symbol(_)) => return Value::Unknown,
                Some(Value::Error(e)) => return Value::Error(e),
                Some(other) => {
                    return Value::error(format!(
                        "`...` expands a list, found {}",
                        other.type_name()
                    ));
                }
                None => {}
            }
        }
        functions::call(name, args)
    }

    fn traversal(&self, t: &Traversal, scope: Scope<'_>) -> Value {
        let ops: &[Decorated<TraversalOperator>] = &t.operators;
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr, scope);
            return self.apply_ops(base, ops, scope);
        };
        let root = root.as_str();
        if let Some(v) = scope.lookup(root) {
            return self.apply_ops(v.clone(), ops, scope);
        }
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        match root {
            "var" => match attr(0) {
                Some(name) => self.apply_ops(self.variable(name), &ops[1..], scope),
                None => Value::Unknown,
            },
            "local" => match attr(0) {
                Some(name) => self.apply_ops(self.local(name), &ops[1..], scope),
                None => Value::Unknown,
            },
            "path" => match attr(0) {
                Some("module" | "root") => {
                    Value::String(crate::source::display_path(&self.module.dir, None))
                }
                _ => Value::Unknown,
            },
            "terraform" => match attr(0) {
                Some("workspace") => Value::str("default"),
                _ => Value::Unknown,
            },
            "data" => match (attr(0), attr(1)) {
                (Some(ty), Some(name)) => match self.module.resource(Mode::Data, ty, name) {
                    Some(r) => self.resource_ops(r, &ops[2..], scope),
                    None => Value::Unknown,
                },
                _ => Value::Unknown,
            },
            // A module's outputs: one value each.
            "module" => match attr(0) {
                Some(name) => {
                    let v = self.symbol(format!("module.{name}"));
                    self.apply_ops(v, &ops[1..], scope)
                }
                None => Value::Unknown,
            },
            // `each`/`count`/`self` outside their scope: not known here.
            "each" | "count" | "self" => Value::Unknown,
            ty => match attr(0) {
                Some(name) => match self.module.resource(Mode::Managed, ty, name) {
                    Some(r) => self.resource_ops(r, &ops[1..], scope),
                    None => Value::Unknown,
                },
                None => Value::Unknown,
            },
        }
    }

    /// Applies the operators that follow a resource's address.
    fn resource_ops(
        &self,
        r: &ResourceDecl<'_>,
        ops: &[Decorated<TraversalOperator>],
        scope: Scope<'_>,
    ) -> Value {
        let body = &r.decl.block.body;
        if body.has_attribute("count") || body.has_attribute("for_each") {
            // Instances of `count`/`for_each` resources are not expanded yet.
            return Value::Unknown;
        }
        match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(attr)) => {
                let v = self.resource_attr(r, attr.as_str());
                self.apply_ops(v, &ops[1..], scope)
            }
            _ => self.apply_ops(self.resource_object(r), ops, scope),
        }
    }

    fn apply_ops(
        &self,
        mut v: Value,
        ops: &[Decorated<TraversalOperator>],
        scope: Scope<'_>,
    ) -> Value {
        for (i, op) in ops.iter().enumerate() {
            v = match op.value() {
                TraversalOperator::GetAttr(name) => match v {
                    Value::Symbol(n) => self.derived(n, &format!(".{}", name.as_str())),
                    v => get_attr(v, name.as_str()),
                },
                TraversalOperator::Index(e) => {
                    let key = self.eval(e, scope);
                    match (v, &key) {
                        (Value::Symbol(n), Value::String(k)) if !token::is_opaque(k) => {
                            self.derived(n, &format!("[\"{k}\"]"))
                        }
                        (Value::Symbol(n), Value::Number(i)) => {
                            self.derived(n, &format!("[{}]", super::value::format_number(*i)))
                        }
                        (v, key) => index(v, key),
                    }
                }
                TraversalOperator::LegacyIndex(n) => index(v, &Value::Number(*n.value() as f64)),
                op @ (TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                    let rest = &ops[i + 1..];
                    // `.*` applies only the attribute accesses that follow it; `[*]` all.
                    let split = if matches!(op, TraversalOperator::AttrSplat(_)) {
                        rest.iter()
                            .position(|o| !matches!(o.value(), TraversalOperator::GetAttr(_)))
                            .unwrap_or(rest.len())
                    } else {
                        rest.len()
                    };
                    let (each, after) = rest.split_at(split);
                    let items = match v {
                        Value::List(items) => items,
                        Value::Null => Vec::new(),
                        Value::Unknown | Value::Symbol(_) => return Value::Unknown,
                        e @ Value::Error(_) => return e,
                        other => vec![other],
                    };
                    let mapped = Value::List(
                        items
                            .into_iter()
                            .map(|item| self.apply_ops(item, each, scope))
                            .collect(),
                    );
                    return self.apply_ops(mapped, after, scope);
                }
            };
        }
        v
    }
}

/// The `(key, value)` pairs a `for` iterates: list indexes or object keys.
fn iterate(v: Value) -> Result<Option<Vec<(Value, Value)>>, Value> {
    let items: Vec<(Value, Value)> = match v {
        Value::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v))
            .collect(),
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect(),
        Value::Unknown | Value::Symbol(_) | Value::OpenObject(_) => return Ok(None),
        e @ Value::Error(_) => return Err(e),
        other => {
            return Err(Value::error(format!(
                "a for expression iterates a list or map, found {}",
                other.type_name()
            )));
        }
    };
    if items.len() > MAX_ITEMS {
        return Ok(None);
    }
    Ok(Some(items))
}

fn get_attr(v: Value, name: &str) -> Value {
    match v {
        Value::Object(mut map) => map
            .remove(name)
            .unwrap_or_else(|| Value::error(format!("the object has no attribute \"{name}\""))),
        Value::OpenObject(mut map) => map.remove(name).unwrap_or(Value::Unknown),
        Value::Unknown | Value::Symbol(_) => Value::Unknown,
        e @ Value::Error(_) => e,
        Value::Null => Value::error(format!("cannot get attribute \"{name}\" of a null value")),
        other => Value::error(format!(
            "cannot get attribute \"{name}\" of a {}",
            other.type_name()
        )),
    }
}

fn index(v: Value, key: &Value) -> Value {
    match (v, key) {
        (e @ Value::Error(_), _) => e,
        (_, Value::Error(e)) => Value::Error(e.clone()),
        (Value::Unknown | Value::Symbol(_), _) | (_, Value::Unknown | Value::Symbol(_)) => {
            Value::Unknown
        }
        (Value::List(mut items), key) => match key.to_number() {
            Ok(Some(n)) if n >= 0.0 && n.fract() == 0.0 && (n as usize) < items.len() => {
                items.swap_remove(n as usize)
            }
            Ok(Some(n)) => Value::error(format!(
                "index {} is out of range for a list of {} elements",
                super::value::format_number(n),
                items.len()
            )),
            Ok(None) => Value::Unknown,
            Err(e) => e,
        },
        (Value::Object(mut map), key) => match key.to_str() {
            Ok(Some(k)) if token::is_opaque(&k) => Value::Unknown,
            Ok(Some(k)) => map
                .remove(&k)
                .unwrap_or_else(|| Value::error(format!("the map has no element \"{k}\""))),
            Ok(None) => Value::Unknown,
            Err(e) => e,
        },
        (Value::OpenObject(mut map), key) => match key.to_str() {
            Ok(Some(k)) => map.remove(&k).unwrap_or(Value::Unknown),
            _ => Value::Unknown,
        },
        (other, _) => Value::error(format!("cannot index a {}", other.type_name())),
    }
}

fn binary(op: BinaryOperator, lhs: &Value, rhs: &Value) -> Value {
    use BinaryOperator as B;
    if let Some(e) = [lhs, rhs].into_iter().find(|v| v.is_error()) {
        return e.clone();
    }
    match op {
        B::Eq => functions::equal(lhs, rhs).map_or(Value::Unknown, Value::Bool),
        B::NotEq => functions::equal(lhs, rhs).map_or(Value::Unknown, |b| Value::Bool(!b)),
        B::And | B::Or => match (lhs.to_bool(), rhs.to_bool()) {
            (Ok(Some(a)), Ok(Some(b))) => Value::Bool(if op == B::And { a && b } else { a || b }),
            (Err(e), _) | (_, Err(e)) => e,
            _ => Value::Unknown,
        },
        _ => {
            let (a, b) = match (lhs.to_number(), rhs.to_number()) {
                (Ok(Some(a)), Ok(Some(b))) => (a, b),
                (Err(e), _) | (_, Err(e)) => return e,
                _ => return Value::Unknown,
            };
            match op {
                B::Plus => Value::Number(a + b),
                B::Minus => Value::Number(a - b),
                B::Mul => Value::Number(a * b),
                B::Div if b == 0.0 => Value::error("division by zero"),
                B::Div => Value::Number(a / b),
                B::Mod if b == 0.0 => Value::error("modulo by zero"),
                B::Mod => Value::Number(a % b),
                B::Less => Value::Bool(a < b),
                B::LessEq => Value::Bool(a <= b),
                B::Greater => Value::Bool(a > b),
                B::GreaterEq => Value::Bool(a >= b),
                B::Eq | B::NotEq | B::And | B::Or => unreachable!("handled above"),
            }
        }
    }
}

/// The id of an azapi resource: `{parent}/providers/{type}/{name}` for a top-level type,
/// `{parent}/{child type}/{name}` for a child type (`…/virtualNetworks/subnets`).
fn azapi_id(ty: &Value, parent: Value, name: Value) -> Value {
    let Ok(Some(ty)) = ty.to_str() else {
        return Value::Unknown;
    };
    if token::is_opaque(&ty) {
        return Value::Unknown;
    }
    let ty = ty.split('@').next().unwrap_or_default();
    let segments: Vec<&str> = ty.split('/').collect();
    match segments.as_slice() {
        [_, _] => join_id(&[parent, Value::str("providers"), Value::str(ty), name]),
        [_, .., child] => join_id(&[parent, Value::str(*child), name]),
        _ => Value::Unknown,
    }
}

/// Joins id segments with `/`; unknown segments become unknown parts of the string.
fn join_id(parts: &[Value]) -> Value {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        match part.to_str() {
            Ok(Some(s)) => out.push_str(&s),
            _ => out.push(token::UNKNOWN),
        }
    }
    Value::String(out)
}

#[cfg(test)]
mod tests {
    use super::super::module::ParsedFile;
    use super::*;
    use std::path::PathBuf;

    /// Evaluates `local.<name>` in a module made of `src`.
    fn local(src: &str, name: &str) -> Value {
        let parsed = ParsedFile {
            file: FileId(0),
            body: hcl::edit::parser::parse_body(src).unwrap(),
        };
        let module = Module::build(PathBuf::from("m"), &[&parsed]);
        let ev = Evaluator::new(&module, HashMap::new(), 0);
        ev.local(name)
    }

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    #[test]
    fn locals_variables_and_expressions() {
        let src = r#"
variable "spokes" {
  default = { b = "10.2.0.0/16", a = "10.1.0.0/16" }
}
locals {
  names    = [for k, v in var.spokes : upper(k) if v != "10.2.0.0/16"]
  by_range = { for k, v in var.spokes : v => k }
  first    = local.names[0]
  cond     = length(var.spokes) > 1 ? "many" : "one"
  splat    = [{ n = "x" }, { n = "y" }][*].n
  tried    = try(var.spokes.c, "fallback")
  can_c    = can(var.spokes.c)
  template = "%{for k in keys(var.spokes)}${k};%{endfor}"
}
"#;
        assert_eq!(local(src, "names"), Value::List(vec![s("A")]));
        assert_eq!(local(src, "first"), s("A"));
        assert_eq!(local(src, "cond"), s("many"));
        assert_eq!(local(src, "splat"), Value::List(vec![s("x"), s("y")]));
        assert_eq!(local(src, "tried"), s("fallback"));
        assert_eq!(local(src, "can_c"), Value::Bool(false));
        assert_eq!(local(src, "template"), s("a;b;"));
        let Value::Object(m) = local(src, "by_range") else {
            panic!("an object")
        };
        assert_eq!(m.get("10.1.0.0/16"), Some(&s("a")));
    }

    #[test]
    fn optional_attributes_take_their_defaults() {
        let src = r#"
variable "peering" {
  type = object({
    name          = string
    transit       = optional(bool, false)
    remote_subnet = optional(list(string))
    nested        = optional(object({ x = optional(number, 7) }), {})
  })
  default = { name = 42 }
}
locals {
  p = var.peering
}
"#;
        let Value::Object(p) = local(src, "p") else {
            panic!("an object")
        };
        assert_eq!(p["name"], s("42"));
        assert_eq!(p["transit"], Value::Bool(false));
        assert_eq!(p["remote_subnet"], Value::Null);
        let Value::Object(nested) = &p["nested"] else {
            panic!("an object")
        };
        assert_eq!(nested["x"], Value::Number(7.0));
    }

    #[test]
    fn resource_ids_and_symbols() {
        let src = r#"
variable "rg" {}
resource "random_string" "suffix" {
  length = 4
}
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-${random_string.suffix.result}"
  resource_group_name = var.rg
}
locals {
  id      = azurerm_virtual_network.hub.id
  name    = azurerm_virtual_network.hub.name
  same    = var.rg == var.rg
  unknown = var.rg == "rg"
  out     = module.net.vnet_id
}
"#;
        let Value::String(id) = local(src, "id") else {
            panic!("a string")
        };
        let shown = token::display(
            &id,
            &[
                "subscription of provider azurerm in m".into(),
                "var.rg".into(),
                "random_string.suffix.result".into(),
            ],
        );
        assert_eq!(
            shown,
            "/subscriptions/{subscription of provider azurerm in m}/resourceGroups/{var.rg}/providers/Microsoft.Network/virtualNetworks/vnet-{random_string.suffix.result}"
        );
        assert_eq!(local(src, "same"), Value::Bool(true));
        assert_eq!(local(src, "unknown"), Value::Unknown);
        assert!(matches!(local(src, "out"), Value::Symbol(_)));
    }

    #[test]
    fn cycles_and_errors_do_not_escape() {
        let src = r#"
locals {
  a = local.b
  b = local.a
  c = [1, 2][5]
  d = local.c
}
"#;
        assert_eq!(local(src, "a"), Value::Unknown);
        // An error seen through a reference is unknown (it is reported where written).
        assert_eq!(local(src, "c"), Value::Unknown);
        assert_eq!(local(src, "d"), Value::Unknown);
    }
}
