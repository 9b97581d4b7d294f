//! The evaluator: what Terraform would know of a module's values before `plan`.
//!
//! A module instance is a set of addressable values (`var.x`, `local.x`,
//! `type.name[key].attr`, `module.m[key].output`), evaluated lazily and memoised by
//! address; an address met again while it is being evaluated is a cycle and evaluates to
//! `Unknown`. Expressions are evaluated straight from hcl-edit's syntax tree, so the caller
//! keeps every span. What cannot be known statically is `Unknown`, or a `Symbol` when it is
//! one value wherever it is used (a variable given at plan time, a computed attribute);
//! what Terraform itself would reject is `Error`, which does not cross an address: seen
//! from elsewhere it is `Unknown`, so each failure is reported once.
//!
//! Module calls are evaluated as child evaluators, one per instance, created when first
//! needed; a [`Session`] holds what one root module's whole tree shares.

use super::azurerm::{self, IdShape};
use super::functions;
use super::module::{Decl, Mode, Module, Modules, ResourceDecl};
use super::scope::{Instances, Key, Scope};
use super::types;
use crate::diagnostic::{Diagnostic, Label};
use crate::frontend::value::{Symbols, Value};
use crate::ir::token;
use crate::rules::input::INVALID_VALUE;
use hcl::edit::Decorated;
use hcl::edit::Span as _;
use hcl::edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl::edit::structure::Body;
use hcl::edit::template::{Directive, Element, Template};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Deeper nesting than this evaluates to an error instead of exhausting the stack.
const MAX_DEPTH: u32 = 1_000;
/// Largest collection a `for` expression or directive iterates.
const MAX_ITEMS: usize = 100_000;
/// Most instances one `count` or `for_each` expands to; beyond, they are unknown.
const MAX_INSTANCES: usize = 10_000;
/// Deepest chain of module calls followed.
const MAX_MODULE_DEPTH: usize = 24;

/// The values given to a module's variables from outside, by name.
pub(crate) type Inputs = HashMap<String, Input>;

/// A value given to a variable from outside the module.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Input {
    Value(Value),
    /// From `--var` or `TF_VAR_…`: a literal string for a primitive type, else HCL.
    Text(String),
}

/// What one root module's evaluation shares across its module tree.
pub(crate) struct Session<'m, 'a> {
    pub modules: &'m Modules<'a>,
    /// The root module's folder (where `.terraform/modules` is).
    pub root: PathBuf,
    symbols: Symbols,
    depth: Cell<u32>,
    /// How many times the depth limit was hit.
    too_deep: Cell<u32>,
    notes: RefCell<BTreeSet<String>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    /// What may be declared where peerlint did not look.
    gaps: Cell<crate::ir::Gaps>,
}

impl<'m, 'a> Session<'m, 'a> {
    /// Symbols are numbered from `symbol_base`.
    pub(crate) fn new(modules: &'m Modules<'a>, root: PathBuf, symbol_base: u32) -> Self {
        Session {
            modules,
            root,
            symbols: Symbols::new(symbol_base),
            depth: Cell::new(0),
            too_deep: Cell::new(0),
            notes: RefCell::new(BTreeSet::new()),
            diagnostics: RefCell::new(Vec::new()),
            gaps: Cell::new(crate::ir::Gaps::default()),
        }
    }

    /// What the symbols introduced stand for, in number order.
    pub(crate) fn symbols(&self) -> Vec<String> {
        self.symbols.descriptions()
    }

    /// What peerlint could not follow (shown with `--verbose`).
    pub(crate) fn notes(&self) -> Vec<String> {
        self.notes.borrow().iter().cloned().collect()
    }

    /// Diagnostics about the input found while evaluating (a module input that fails).
    pub(crate) fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics.borrow_mut())
    }

    fn report(&self, d: Diagnostic) {
        self.diagnostics.borrow_mut().push(d);
    }

    fn note(&self, text: String) {
        self.notes.borrow_mut().insert(text);
    }

    /// What may be declared in what was not expanded or followed.
    pub(crate) fn gaps(&self) -> crate::ir::Gaps {
        self.gaps.get()
    }

    fn gap(&self, gaps: crate::ir::Gaps) {
        let mut all = self.gaps.get();
        all.merge(gaps);
        self.gaps.set(all);
    }

    /// The symbol of an origin (`var.x`, `random_string.suffix.result`).
    fn symbol(&self, origin: String) -> Value {
        self.symbols.symbol(origin)
    }

    /// The symbol of a part of a symbolic value (`.name`, `["key"]`).
    fn derived(&self, n: u32, step: &str) -> Value {
        self.symbols.derived(n, step)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Addr {
    Var(String),
    Local(String),
    Output(String),
    Instances(Mode, String, String),
    Attr(Mode, String, String, Key, String),
}

/// A module call's instances, each a child evaluator; `None` when the module's source is
/// not available.
type Children<'s, 'm, 'a> = Option<(Instances, BTreeMap<Key, Rc<Evaluator<'s, 'm, 'a>>>)>;

/// Evaluates the values of one module instance.
pub(crate) struct Evaluator<'s, 'm, 'a> {
    pub session: &'s Session<'m, 'a>,
    pub module: &'m Module<'a>,
    /// The call path to this instance: empty for a root, `module.spoke["a"].` for a child.
    pub path: String,
    /// The module call names from the root (`["spoke", "peering"]`), as
    /// `.terraform/modules/modules.json` keys them.
    names: Vec<String>,
    /// The module folders from the root to this one (for cycles).
    ancestry: Vec<PathBuf>,
    /// Values given to variables from outside (tfvars, a module call); else the default.
    inputs: Inputs,
    /// The subscription of each provider configuration (`("azurerm", "")` is the default
    /// one): a literal id or a symbol token.
    providers: HashMap<(String, String), String>,
    memo: RefCell<HashMap<Addr, Value>>,
    active: RefCell<HashSet<Addr>>,
    instances: RefCell<HashMap<(Mode, String, String), Rc<Instances>>>,
    calls: RefCell<HashMap<String, Rc<Children<'s, 'm, 'a>>>>,
    /// Module calls whose instances are being made.
    making: RefCell<HashSet<String>>,
}

impl<'s, 'm, 'a> Evaluator<'s, 'm, 'a> {
    /// The evaluator of a root module.
    pub(crate) fn root(
        session: &'s Session<'m, 'a>,
        module: &'m Module<'a>,
        inputs: Inputs,
    ) -> Self {
        let mut ev = Evaluator::bare(session, module, String::new(), Vec::new(), inputs);
        ev.ancestry = vec![module.dir.clone()];
        ev.configure_providers(HashMap::new());
        ev
    }

    fn bare(
        session: &'s Session<'m, 'a>,
        module: &'m Module<'a>,
        path: String,
        names: Vec<String>,
        inputs: Inputs,
    ) -> Self {
        Evaluator {
            session,
            module,
            path,
            names,
            ancestry: Vec::new(),
            inputs,
            providers: HashMap::new(),
            memo: RefCell::new(HashMap::new()),
            active: RefCell::new(HashSet::new()),
            instances: RefCell::new(HashMap::new()),
            calls: RefCell::new(HashMap::new()),
            making: RefCell::new(HashSet::new()),
        }
    }

    /// Sets up the provider configurations: those `inherited` from the caller, then the
    /// module's own `provider` blocks, and a default azurerm one if there is none.
    fn configure_providers(&mut self, inherited: HashMap<(String, String), String>) {
        self.providers = inherited;
        let dir = if self.path.is_empty() {
            crate::source::display_path(&self.module.dir, None)
        } else {
            self.path.trim_end_matches('.').to_string()
        };
        for p in &self.module.providers {
            let name = p.block.labels[0].as_str().to_string();
            let scope = Scope::root(p.file);
            let alias = p
                .attr("alias")
                .and_then(|a| self.eval(&a.value, &scope).to_str().ok().flatten())
                .unwrap_or_default();
            let subscription = p
                .attr("subscription_id")
                .map(|a| self.eval(&a.value, &scope))
                .and_then(|v| match v {
                    Value::String(s) if !token::is_opaque(&s) && !s.is_empty() => Some(s),
                    Value::Symbol(n) => Some(token::symbol(n)),
                    _ => None,
                });
            let text = subscription.unwrap_or_else(|| self.provider_symbol(&name, &alias, &dir));
            self.providers.insert((name, alias), text);
        }
        let default = ("azurerm".to_string(), String::new());
        if !self.providers.contains_key(&default) {
            let text = self.provider_symbol("azurerm", "", &dir);
            self.providers.insert(default, text);
        }
    }

    fn provider_symbol(&self, name: &str, alias: &str, dir: &str) -> String {
        let shown = if alias.is_empty() {
            name.to_string()
        } else {
            format!("{name}.{alias}")
        };
        match self
            .session
            .symbol(format!("subscription of provider {shown} in {dir}"))
        {
            Value::Symbol(n) => token::symbol(n),
            _ => token::UNKNOWN.to_string(),
        }
    }

    /// The subscription (literal or token) of the provider configuration a resource uses.
    pub(crate) fn subscription_of(&self, r: &ResourceDecl<'_>) -> String {
        let provider_name = r.ty.split('_').next().unwrap_or_default().to_string();
        let alias = r
            .decl
            .attr("provider")
            .and_then(|a| provider_ref(&a.value))
            .map(|(_, alias)| alias)
            .unwrap_or_default();
        self.providers
            .get(&(provider_name.clone(), alias))
            .or_else(|| self.providers.get(&(provider_name, String::new())))
            .cloned()
            .unwrap_or_else(|| token::UNKNOWN.to_string())
    }

    fn symbol(&self, origin: String) -> Value {
        self.session.symbol(origin)
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
        let too_deep_before = self.session.too_deep.get();
        let v = compute().errors_as_unknown();
        self.active.borrow_mut().remove(&addr);
        // A value cut short by the depth limit depends on where evaluation started: it is
        // not remembered, so that a shallower start can still reach the real value.
        if self.session.too_deep.get() == too_deep_before {
            self.memo.borrow_mut().insert(addr, v.clone());
        }
        v
    }

    /// The value of `var.name`: given from outside, else the default, converted to the
    /// variable's type; a symbol when neither is written.
    pub(crate) fn variable(&self, name: &str) -> Value {
        self.memoized(Addr::Var(name.to_string()), || {
            let Some(decl) = self.module.variables.get(name) else {
                return match self.inputs.get(name) {
                    Some(Input::Value(v)) => v.clone(),
                    Some(Input::Text(t)) => Value::String(t.clone()),
                    None => Value::Unknown,
                };
            };
            let scope = Scope::root(decl.file);
            let ty = decl
                .attr("type")
                .map(|t| types::parse(&t.value, &|e| self.eval(e, &scope)));
            let default = decl.attr("default");
            let not_nullable = decl
                .attr("nullable")
                .is_some_and(|a| self.eval(&a.value, &scope) == Value::Bool(false));
            let value = match (self.inputs.get(name), default) {
                // With `nullable = false`, a null value takes the default.
                (Some(Input::Value(Value::Null)), Some(attr)) if not_nullable => {
                    self.eval(&attr.value, &scope)
                }
                (Some(Input::Value(v)), _) => v.clone(),
                (Some(Input::Text(text)), _) => self.text_input(name, text, ty.as_ref()),
                (None, Some(attr)) => self.eval(&attr.value, &scope),
                // No default: given at plan time; one value wherever it is used.
                (None, None) => return self.symbol(format!("{}var.{name}", self.path)),
            };
            match &ty {
                Some(ty) => types::convert(value, ty),
                None => value,
            }
        })
    }

    /// A `--var`/`TF_VAR_` value: a literal string for a primitive (or no) type, an HCL
    /// expression for a collection or object type, as Terraform reads them.
    fn text_input(&self, name: &str, text: &str, ty: Option<&types::Type>) -> Value {
        if ty.is_none_or(types::Type::is_primitive) {
            return Value::String(text.to_string());
        }
        match hcl::edit::parser::parse_expr(text) {
            Ok(expr) => self.eval(&expr, &Scope::root(crate::source::FileId(u32::MAX))),
            Err(e) => {
                self.session.note(format!(
                    "var.{name}: the value given with --var or TF_VAR_{name} is not a valid HCL value ({}); it is unknown",
                    e.message()
                ));
                Value::Unknown
            }
        }
    }

    /// The value of `local.name`.
    pub(crate) fn local(&self, name: &str) -> Value {
        self.memoized(Addr::Local(name.to_string()), || {
            match self.module.locals.get(name) {
                Some((file, attr)) => self.eval(&attr.value, &Scope::root(*file)),
                None => Value::Unknown,
            }
        })
    }

    /// The value of an output of this module.
    pub(crate) fn output(&self, name: &str) -> Value {
        self.memoized(Addr::Output(name.to_string()), || {
            match self.module.outputs.get(name).and_then(|d| {
                d.attr("value")
                    .map(|a| self.eval(&a.value, &Scope::root(d.file)))
            }) {
                Some(v) => v,
                None => Value::error(format!("the module has no output \"{name}\"")),
            }
        })
    }

    /// All outputs of this module, as an object.
    fn outputs(&self) -> Value {
        Value::Object(
            self.module
                .outputs
                .keys()
                .map(|name| (name.to_string(), self.output(name)))
                .collect(),
        )
    }

    /// The instances of a resource (or data source). Shared, not copied: a large
    /// `for_each` is referenced once per instance.
    pub(crate) fn resource_instances(&self, r: &ResourceDecl<'_>) -> Rc<Instances> {
        let key = (r.mode, r.ty.to_string(), r.name.to_string());
        if let Some(i) = self.instances.borrow().get(&key) {
            return i.clone();
        }
        let addr = Addr::Instances(r.mode, r.ty.to_string(), r.name.to_string());
        if !self.active.borrow_mut().insert(addr.clone()) {
            return Rc::new(Instances::Unknown);
        }
        let inst = Rc::new(self.instances_of(&r.decl.block.body, r.decl.file, &r.address()));
        // Instances not known: a gateway or peering among them is not known either.
        if matches!(*inst, Instances::Unknown) && r.mode == Mode::Managed {
            self.session.gap(crate::ir::Gaps::of_type(r.ty));
        }
        self.active.borrow_mut().remove(&addr);
        self.instances.borrow_mut().insert(key, inst.clone());
        inst
    }

    /// The instances a `count` or `for_each` argument of `body` asks for.
    fn instances_of(&self, body: &Body, file: crate::source::FileId, what: &str) -> Instances {
        let scope = Scope::root(file);
        if let Some(count) = body.get_attribute("count") {
            return match self.eval(&count.value, &scope).to_number() {
                Ok(Some(n)) if n >= 0.0 && n.fract() == 0.0 && (n as usize) <= MAX_INSTANCES => {
                    Instances::Count(n as u32)
                }
                Ok(Some(n)) if n as usize > MAX_INSTANCES => {
                    self.session.note(format!(
                        "{}{what}: count = {} is more than peerlint expands ({MAX_INSTANCES}); its instances are unknown",
                        self.path,
                        crate::frontend::value::format_number(n)
                    ));
                    Instances::Unknown
                }
                _ => {
                    self.unknown_instances(what, "count");
                    Instances::Unknown
                }
            };
        }
        let Some(for_each) = body.get_attribute("for_each") else {
            return Instances::Single;
        };
        let map = match self.eval(&for_each.value, &scope) {
            Value::Object(map) => map,
            // A set of strings (lists stand for sets here).
            Value::List(items) => {
                let mut map = BTreeMap::new();
                for item in items {
                    match item {
                        Value::String(s) if !token::is_opaque(&s) => {
                            map.insert(s.clone(), Value::String(s));
                        }
                        _ => {
                            self.unknown_instances(what, "for_each");
                            return Instances::Unknown;
                        }
                    }
                }
                map
            }
            _ => {
                self.unknown_instances(what, "for_each");
                return Instances::Unknown;
            }
        };
        if map.len() > MAX_INSTANCES {
            self.session.note(format!(
                "{}{what}: for_each has {} elements, more than peerlint expands ({MAX_INSTANCES}); its instances are unknown",
                self.path,
                map.len()
            ));
            return Instances::Unknown;
        }
        Instances::ForEach(map)
    }

    fn unknown_instances(&self, what: &str, meta: &str) {
        self.session.note(format!(
            "{}{what}: {meta} is not known before apply; its instances are unknown",
            self.path
        ));
    }

    /// One attribute of one instance of a resource, as other expressions see it. An
    /// attribute that is not known, or a string with unknown parts, is a symbol: it is one
    /// value, whatever it turns out to be.
    pub(crate) fn resource_attr(&self, r: &ResourceDecl<'_>, key: &Key, attr: &str) -> Value {
        let addr = Addr::Attr(
            r.mode,
            r.ty.to_string(),
            r.name.to_string(),
            key.clone(),
            attr.to_string(),
        );
        self.memoized(addr, || {
            let Some(scope) = self.resource_instances(r).scope(key, r.decl.file) else {
                return Value::Unknown;
            };
            match self.resource_attr_uncached(r, key, &scope, attr) {
                Value::Unknown => self.attr_symbol(r, key, attr),
                Value::String(s) if token::has_unknown(&s) => self.symbolize_parts(
                    &s,
                    &format!("{}{}{}.{attr}", self.path, r.address(), key.suffix()),
                ),
                v => v,
            }
        })
    }

    /// A string with unknown parts, each part made a symbol of its own (`origin#0`, …):
    /// the known text around them still identifies what the string names, as in an id
    /// whose subscription is known only at apply time.
    fn symbolize_parts(&self, s: &str, origin: &str) -> Value {
        let parts: Vec<&str> = s.split(token::UNKNOWN).collect();
        if parts.iter().all(|p| p.is_empty()) {
            return self.symbol(origin.to_string());
        }
        let mut out = String::with_capacity(s.len());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                match self.symbol(format!("{origin}#{}", i - 1)) {
                    Value::Symbol(n) => out.push_str(&token::symbol(n)),
                    _ => out.push(token::UNKNOWN),
                }
            }
            out.push_str(part);
        }
        Value::String(out)
    }

    fn attr_symbol(&self, r: &ResourceDecl<'_>, key: &Key, attr: &str) -> Value {
        self.symbol(format!(
            "{}{}{}.{attr}",
            self.path,
            r.address(),
            key.suffix()
        ))
    }

    fn resource_attr_uncached(
        &self,
        r: &ResourceDecl<'_>,
        key: &Key,
        scope: &Scope,
        attr: &str,
    ) -> Value {
        let body = &r.decl.block.body;
        if let Some(a) = body.get_attribute(attr) {
            return self.eval(&a.value, scope);
        }
        let (blocks, complete) = self.blocks(body, attr, scope);
        if !blocks.is_empty() || !complete {
            if !complete {
                return Value::Unknown;
            }
            let items = blocks
                .into_iter()
                .map(|(b, scope)| {
                    let mut obj = self.body_object(b, &scope);
                    if (r.ty, attr) == azurerm::INLINE_SUBNET
                        && let Value::OpenObject(map) = &mut obj
                    {
                        let vnet_id = self.resource_attr(r, key, "id");
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
        self.computed_attr(r, key, attr)
    }

    /// The nested blocks named `name` in `body`, written out or generated by `dynamic`
    /// blocks, each with the scope of its content; `false` when a `dynamic` block's
    /// `for_each` is not known (so the list is incomplete).
    pub(crate) fn blocks<'b>(
        &self,
        body: &'b Body,
        name: &str,
        scope: &Scope,
    ) -> (Vec<(&'b Body, Scope)>, bool) {
        let mut out = Vec::new();
        let mut complete = true;
        for block in body.blocks() {
            if block.ident.as_str() == name {
                out.push((&block.body, scope.clone()));
                continue;
            }
            if block.ident.as_str() != "dynamic"
                || block.labels.first().map(|l| l.as_str()) != Some(name)
            {
                continue;
            }
            let Some(content) = block.body.get_blocks("content").next() else {
                continue;
            };
            let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
                Some(Expression::Variable(v)) => v.as_str().to_string(),
                _ => name.to_string(),
            };
            let items = block
                .body
                .get_attribute("for_each")
                .map(|a| self.eval(&a.value, scope))
                .map(iterate);
            match items {
                Some(Ok(Some(items))) => {
                    for (k, v) in items {
                        let it = Value::Object(BTreeMap::from([
                            ("key".to_string(), k),
                            ("value".to_string(), v),
                        ]));
                        out.push((&content.body, scope.with(&iterator, it)));
                    }
                }
                _ => complete = false,
            }
        }
        (out, complete)
    }

    /// Attributes the provider computes that peerlint can still know.
    fn computed_attr(&self, r: &ResourceDecl<'_>, key: &Key, attr: &str) -> Value {
        let get = |a: &str| self.resource_attr(r, key, a);
        if r.ty == "azapi_resource" {
            return match attr {
                // A data source may name the resource by its id.
                "id" if r.decl.attr("resource_id").is_some() => get("resource_id"),
                "id" => azapi_id(&get("type"), get("parent_id"), get("name")),
                _ => Value::Unknown,
            };
        }
        let sub = || Value::String(self.subscription_of(r));
        let lit = Value::str;
        match (attr, azurerm::id_shape(r.ty)) {
            ("subscription_id", Some(IdShape::Subscription)) => {
                match r.decl.attr("subscription_id") {
                    Some(_) => get("subscription_id"),
                    None => sub(),
                }
            }
            ("id", Some(IdShape::Subscription)) => {
                join_id(&[lit(""), lit("subscriptions"), get("subscription_id")])
            }
            ("id", Some(IdShape::ResourceGroup)) => join_id(&[
                lit(""),
                lit("subscriptions"),
                sub(),
                lit("resourceGroups"),
                get("name"),
            ]),
            ("id", Some(IdShape::Top(ty))) => join_id(&[
                lit(""),
                lit("subscriptions"),
                sub(),
                lit("resourceGroups"),
                get("resource_group_name"),
                lit("providers"),
                lit(ty),
                get("name"),
            ]),
            (
                "id",
                Some(IdShape::Child {
                    parent_ty,
                    parent_arg,
                    child,
                }),
            ) => join_id(&[
                lit(""),
                lit("subscriptions"),
                sub(),
                lit("resourceGroups"),
                get("resource_group_name"),
                lit("providers"),
                lit(parent_ty),
                get(parent_arg),
                lit(child),
                get("name"),
            ]),
            _ => Value::Unknown,
        }
    }

    /// One instance of a resource as an object: what it writes, plus its computed `id`.
    fn resource_object(&self, r: &ResourceDecl<'_>, key: &Key) -> Value {
        let body = &r.decl.block.body;
        let mut names: BTreeSet<String> = body
            .attributes()
            .map(|a| a.key.as_str().to_string())
            .collect();
        for block in body.blocks() {
            match (block.ident.as_str(), block.labels.first()) {
                ("dynamic", Some(label)) => names.insert(label.as_str().to_string()),
                (ident, _) => names.insert(ident.to_string()),
            };
        }
        names.insert("id".to_string());
        let meta = ["count", "for_each", "provider", "depends_on", "lifecycle"];
        Value::OpenObject(
            names
                .into_iter()
                .filter(|n| !meta.contains(&n.as_str()))
                .map(|n| {
                    let v = self.resource_attr(r, key, &n);
                    (n, v)
                })
                .collect(),
        )
    }

    /// The attributes and nested blocks of a body, as an open object.
    fn body_object(&self, body: &Body, scope: &Scope) -> Value {
        let mut map = BTreeMap::new();
        for attr in body.attributes() {
            map.insert(attr.key.as_str().to_string(), self.eval(&attr.value, scope));
        }
        let mut names: Vec<&str> = Vec::new();
        for block in body.blocks() {
            let name = match (block.ident.as_str(), block.labels.first()) {
                ("dynamic", Some(label)) => label.as_str(),
                (ident, _) => ident,
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        for name in names {
            let (blocks, complete) = self.blocks(body, name, scope);
            let value = if complete {
                Value::List(
                    blocks
                        .into_iter()
                        .map(|(b, s)| self.body_object(b, &s))
                        .collect(),
                )
            } else {
                Value::Unknown
            };
            map.insert(name.to_string(), value);
        }
        Value::OpenObject(map)
    }

    // ----- module calls ----------------------------------------------------------------------

    /// The instances of the module call `name`, each a child evaluator; `None` when the
    /// module's source is not available (its outputs are then symbols).
    ///
    /// Modules may feed each other's outputs into their inputs (Terraform orders by
    /// output, not by module). While a call's inputs are being evaluated, an output of that
    /// same call is a symbol: one value, not known here.
    pub(crate) fn call(&self, name: &str) -> Rc<Children<'s, 'm, 'a>> {
        if let Some(c) = self.calls.borrow().get(name) {
            return c.clone();
        }
        if !self.making.borrow_mut().insert(name.to_string()) {
            return Rc::new(None);
        }
        let children = Rc::new(self.make_call(name));
        self.making.borrow_mut().remove(name);
        self.calls
            .borrow_mut()
            .insert(name.to_string(), children.clone());
        children
    }

    /// The module calls of this module, in name order.
    pub(crate) fn call_names(&self) -> Vec<&'a str> {
        self.module.module_calls.keys().copied().collect()
    }

    fn make_call(&self, name: &str) -> Children<'s, 'm, 'a> {
        let decl = self.module.module_calls.get(name)?;
        let label = format!("{}module.{name}", self.path);
        // A module not followed may declare anything, a gateway included.
        let Some(child) = self.resolve_source(decl, &label) else {
            self.session.gap(crate::ir::Gaps::ALL);
            return None;
        };
        if self.ancestry.contains(&child.dir) || self.ancestry.len() >= MAX_MODULE_DEPTH {
            self.session.note(format!(
                "{label}: the module calls itself (directly or through other modules); not followed"
            ));
            self.session.gap(crate::ir::Gaps::ALL);
            return None;
        }
        let instances = self.instances_of(&decl.block.body, decl.file, &format!("module.{name}"));
        if matches!(instances, Instances::Unknown) {
            self.session.gap(crate::ir::Gaps::ALL);
        }
        let meta = [
            "source",
            "version",
            "count",
            "for_each",
            "providers",
            "depends_on",
        ];
        let mut children = BTreeMap::new();
        for (key, scope) in instances.each(decl.file) {
            let inputs: Inputs = decl
                .block
                .body
                .attributes()
                .filter(|a| !meta.contains(&a.key.as_str()))
                .map(|a| {
                    let v = self.eval(&a.value, &scope);
                    if let Some(err) = v.find_error() {
                        self.session.report(Diagnostic::new(
                            INVALID_VALUE,
                            format!(
                                "input `{}` of `{label}{}` cannot be evaluated: {err}",
                                a.key.as_str(),
                                key.suffix()
                            ),
                            Label::new(
                                crate::ir::Span::new(decl.file, a.value.span().unwrap_or(0..0)),
                                "this value",
                            ),
                        ));
                    }
                    (
                        a.key.as_str().to_string(),
                        Input::Value(v.errors_as_unknown()),
                    )
                })
                .collect();
            let mut names = self.names.clone();
            names.push(name.to_string());
            let mut ev = Evaluator::bare(
                self.session,
                child,
                format!("{label}{}.", key.suffix()),
                names,
                inputs,
            );
            ev.ancestry = self.ancestry.clone();
            ev.ancestry.push(child.dir.clone());
            ev.configure_providers(self.providers_for(decl));
            children.insert(key, Rc::new(ev));
        }
        Some((instances, children))
    }

    /// The provider configurations a child module gets: the default ones implicitly, and
    /// those the call's `providers = { … }` map passes.
    fn providers_for(&self, decl: &Decl<'_>) -> HashMap<(String, String), String> {
        let mut out: HashMap<(String, String), String> = HashMap::new();
        let Some(given) = decl.attr("providers") else {
            // Without a `providers` map, the default configurations are inherited.
            return self
                .providers
                .iter()
                .filter(|((_, alias), _)| alias.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
        };
        if let Expression::Object(map) = &given.value {
            for (k, v) in map.iter() {
                let inner = match k {
                    ObjectKey::Ident(id) => Some((id.as_str().to_string(), String::new())),
                    ObjectKey::Expression(e) => provider_ref(e),
                };
                if let (Some(inner), Some(outer)) = (inner, provider_ref(v.expr()))
                    && let Some(sub) = self.providers.get(&outer)
                {
                    out.insert(inner, sub.clone());
                }
            }
        }
        out
    }

    /// The module a call's `source` names: a local folder, or one `terraform init`
    /// installed. `None` (with a note) when it is not available.
    fn resolve_source(&self, decl: &Decl<'_>, label: &str) -> Option<&'m Module<'a>> {
        let source = decl
            .attr("source")
            .and_then(|a| a.value.as_str().map(str::to_string));
        let Some(source) = source else {
            self.session.note(format!(
                "{label}: its source is not a literal string; not followed"
            ));
            return None;
        };
        let modules = self.session.modules;
        if let Some(dir) = local_source(&self.module.dir, &source) {
            return match modules.get(&dir) {
                Some(m) => Some(m),
                None => {
                    self.session.note(format!(
                        "{label}: the module folder {} has no Terraform files; its values are unknown",
                        crate::source::display_path(&dir, None)
                    ));
                    None
                }
            };
        }
        let mut key = self.names.clone();
        key.push(decl.block.labels[0].as_str().to_string());
        match modules.installed(&self.session.root, &key.join(".")) {
            Some(m) => Some(m),
            None => {
                self.session.note(format!(
                    "{label}: the module \"{source}\" is not installed (run `terraform init`); its values are unknown"
                ));
                None
            }
        }
    }

    // ----- expressions ---------------------------------------------------------------------

    /// Evaluates an expression.
    pub(crate) fn eval(&self, expr: &Expression, scope: &Scope) -> Value {
        let depth = self.session.depth.get();
        if depth >= MAX_DEPTH {
            // peerlint's limit, not an error in the code: not known here.
            self.session.too_deep.set(self.session.too_deep.get() + 1);
            self.session.note(format!(
                "{}: references chain more than {MAX_DEPTH} deep; the values at the end are unknown",
                crate::source::display_path(&self.module.dir, None)
            ));
            return Value::Unknown;
        }
        self.session.depth.set(depth + 1);
        let v = self.eval_inner(expr, scope);
        self.session.depth.set(depth);
        v
    }

    fn eval_inner(&self, expr: &Expression, scope: &Scope) -> Value {
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
                        if crate::frontend::value::equal(&t, &f) == Some(true) {
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

    fn object_key(&self, e: &Expression, scope: &Scope) -> Result<String, Value> {
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

    fn template(&self, t: &Template, scope: &Scope) -> Value {
        // A template that is one interpolation is its value, unconverted ("${var.list}").
        if let (1, Some(Element::Interpolation(i))) = (t.len(), t.iter().next()) {
            return self.eval(&i.expr, scope);
        }
        let mut out = String::new();
        if let Err(e) = self.render(t, scope, &mut out) {
            return e;
        }
        if !out.is_empty() && out.chars().all(|c| c == token::UNKNOWN) {
            return Value::Unknown;
        }
        Value::String(out)
    }

    fn render(&self, t: &Template, scope: &Scope, out: &mut String) -> Result<(), Value> {
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
                            let inner = match &f.key_var {
                                Some(kv) => scope.with(kv.as_str(), k),
                                None => scope.clone(),
                            };
                            let inner = inner.with(f.value_var.as_str(), v);
                            self.render(&f.template, &inner, out)?;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    fn for_expr(&self, f: &ForExpr, scope: &Scope) -> Value {
        let items = match iterate(self.eval(&f.intro.collection_expr, scope)) {
            Ok(Some(items)) => items,
            Ok(None) => return Value::Unknown,
            Err(e) => return e,
        };
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in items {
            let inner = match &f.intro.key_var {
                Some(kv) => scope.with(kv.as_str(), k),
                None => scope.clone(),
            };
            let inner = inner.with(f.intro.value_var.as_str(), v);
            let inner = &inner;
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

    fn func_call(&self, f: &FuncCall, scope: &Scope) -> Value {
        let name = f.name.name.as_str();
        if f.name.is_namespaced() {
            let ns: Vec<&str> = f.name.namespace.iter().map(|n| n.as_str()).collect();
            return match ns.as_slice() {
                ["provider", provider] => {
                    let args = f.args.iter().map(|a| self.eval(a, scope)).collect();
                    functions::provider_call(provider, name, args)
                }
                _ => Value::Unknown,
            };
        }
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
            "templatestring" => {
                let args: Vec<Value> = f.args.iter().map(|a| self.eval(a, scope)).collect();
                return self.templatestring(&args, scope);
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

    /// `templatestring(template, vars)`: renders a template given as a string, with
    /// `vars`' attributes as its only names.
    fn templatestring(&self, args: &[Value], scope: &Scope) -> Value {
        let (Some(Value::String(text)), Some(vars)) = (args.first(), args.get(1)) else {
            return match args.iter().find(|a| a.is_error()) {
                Some(e) => e.clone(),
                None => Value::Unknown,
            };
        };
        if token::is_opaque(text) {
            return Value::Unknown;
        }
        let Value::Object(vars) = vars else {
            return Value::Unknown;
        };
        let template = match hcl::edit::parser::parse_template(text) {
            Ok(t) => t,
            Err(e) => return Value::error(format!("templatestring: {}", e.message())),
        };
        let mut inner = Scope::root(scope.file);
        for (name, value) in vars {
            inner = inner.with(name, value.clone());
        }
        self.template(&template, &inner)
    }

    fn traversal(&self, t: &Traversal, scope: &Scope) -> Value {
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
                Some("module") => {
                    Value::String(crate::source::display_path(&self.module.dir, None))
                }
                Some("root") => {
                    Value::String(crate::source::display_path(&self.session.root, None))
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
            "module" => match attr(0) {
                Some(name) => self.module_ops(name, &ops[1..], scope),
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

    /// Applies the operators that follow a resource's address: an instance key first
    /// when it has `count` or `for_each`, then attributes (evaluated one at a time).
    fn resource_ops(
        &self,
        r: &ResourceDecl<'_>,
        ops: &[Decorated<TraversalOperator>],
        scope: &Scope,
    ) -> Value {
        let instances = self.resource_instances(r);
        self.instance_ops(
            &instances,
            ops,
            scope,
            &|key, ops| match ops.first().map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(attr)) => {
                    let v = self.resource_attr(r, key, attr.as_str());
                    self.apply_ops(v, &ops[1..], scope)
                }
                _ => self.apply_ops(self.resource_object(r, key), ops, scope),
            },
        )
    }

    /// Applies the operators that follow `module.<name>`.
    fn module_ops(&self, name: &str, ops: &[Decorated<TraversalOperator>], scope: &Scope) -> Value {
        let call = self.call(name);
        let Some((instances, children)) = call.as_ref() else {
            // Not available: each output is still one value.
            let v = self.symbol(format!("{}module.{name}", self.path));
            return self.apply_ops(v, ops, scope);
        };
        self.instance_ops(instances, ops, scope, &|key, ops| {
            let Some(child) = children.get(key) else {
                return Value::Unknown;
            };
            match ops.first().map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(out)) => {
                    let v = child.output(out.as_str());
                    self.apply_ops(v, &ops[1..], scope)
                }
                _ => self.apply_ops(child.outputs(), ops, scope),
            }
        })
    }

    /// Selects instances: `[key]` picks one (and `one` applies the rest of the
    /// operators to it); anything else sees all of them, as a list (`count`) or a map
    /// (`for_each`).
    fn instance_ops(
        &self,
        instances: &Instances,
        ops: &[Decorated<TraversalOperator>],
        scope: &Scope,
        one: &dyn Fn(&Key, &[Decorated<TraversalOperator>]) -> Value,
    ) -> Value {
        if *instances == Instances::Single {
            return one(&Key::None, ops);
        }
        let index = match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::Index(e)) => Some(self.eval(e, scope)),
            Some(TraversalOperator::LegacyIndex(n)) => Some(Value::Number(*n.value() as f64)),
            _ => None,
        };
        if let Some(index) = index {
            return match instances.key_for(&index) {
                Ok(Some(key)) => one(&key, &ops[1..]),
                Ok(None) => Value::Unknown,
                Err(e) => e,
            };
        }
        let all = match instances {
            Instances::Count(n) => Value::List((0..*n).map(|i| one(&Key::Index(i), &[])).collect()),
            Instances::ForEach(map) => Value::Object(
                map.keys()
                    .map(|k| (k.clone(), one(&Key::Name(k.clone()), &[])))
                    .collect(),
            ),
            Instances::Single | Instances::Unknown => return Value::Unknown,
        };
        self.apply_ops(all, ops, scope)
    }

    fn apply_ops(
        &self,
        mut v: Value,
        ops: &[Decorated<TraversalOperator>],
        scope: &Scope,
    ) -> Value {
        for (i, op) in ops.iter().enumerate() {
            v = match op.value() {
                TraversalOperator::GetAttr(name) => match v {
                    Value::Symbol(n) => self.session.derived(n, &format!(".{}", name.as_str())),
                    v => get_attr(v, name.as_str()),
                },
                TraversalOperator::Index(e) => {
                    let key = self.eval(e, scope);
                    match (v, &key) {
                        (Value::Symbol(n), Value::String(k)) if !token::is_opaque(k) => {
                            self.session.derived(n, &format!("[\"{k}\"]"))
                        }
                        (Value::Symbol(n), Value::Number(i)) => self.session.derived(
                            n,
                            &format!("[{}]", crate::frontend::value::format_number(*i)),
                        ),
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
                crate::frontend::value::format_number(n),
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
        B::Eq => crate::frontend::value::equal(lhs, rhs).map_or(Value::Unknown, Value::Bool),
        B::NotEq => {
            crate::frontend::value::equal(lhs, rhs).map_or(Value::Unknown, |b| Value::Bool(!b))
        }
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
/// `{parent}/{child type}/{name}` for a child type (`…/virtualNetworks/subnets`), and
/// `{subscription}/resourceGroups/{name}` for a resource group.
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
        [ns, "resourceGroups" | "resourcegroups"]
            if ns.eq_ignore_ascii_case("Microsoft.Resources") =>
        {
            join_id(&[parent, Value::str("resourceGroups"), name])
        }
        [_, _] => join_id(&[parent, Value::str("providers"), Value::str(ty), name]),
        [_, .., child] => join_id(&[parent, Value::str(*child), name]),
        _ => Value::Unknown,
    }
}

/// A provider reference (`azurerm`, `azurerm.hub`) as `(name, alias)`.
fn provider_ref(e: &Expression) -> Option<(String, String)> {
    match e {
        Expression::Variable(v) => Some((v.as_str().to_string(), String::new())),
        Expression::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
            (Expression::Variable(v), [op]) => match op.value() {
                TraversalOperator::GetAttr(alias) => {
                    Some((v.as_str().to_string(), alias.as_str().to_string()))
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The folder a local module source (`./x`, `../x`) names, relative to the caller's;
/// `None` for registry, git and other sources.
fn local_source(caller: &Path, source: &str) -> Option<PathBuf> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    Some(super::module::normalize_dir(&caller.join(source)))
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

    /// Evaluates `local.<name>` in a root module made of `src`.
    fn local(src: &str, name: &str) -> Value {
        let parsed = ParsedFile {
            file: crate::source::FileId(0),
            body: hcl::edit::parser::parse_body(src).unwrap(),
            remap: None,
        };
        let module = Module::build(PathBuf::from("m"), &[&parsed]);
        let modules = Modules::default();
        let session = Session::new(&modules, PathBuf::from("m"), 0);
        let ev = Evaluator::root(&session, &module, HashMap::new());
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
