//! The `undefined-reference` check: every `var.x`, `local.x`, `module.x`, `data.t.n` and
//! `t.n` a module writes must be declared in it.
//!
//! A static walk over the syntax, independent of evaluation, so that a reference nobody
//! evaluates is still checked and one inside `try()` is still reported (Terraform rejects
//! both). Names bound by `for` expressions and `dynamic` blocks are in scope where they
//! apply; addresses that are not expressions (`lifecycle.ignore_changes`, `moved`,
//! `import`, `removed`) are skipped.

use super::module::{Mode, Module};
use crate::diagnostic::{Diagnostic, Label};
use crate::frontend::suggest::closest;
use crate::ir::Span;
use crate::rules::input::UNDEFINED_REFERENCE;
use crate::source::FileId;
use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl::edit::structure::{Block, Body};
use hcl::edit::template::{Directive, Element, Template};

pub(crate) fn check(module: &Module<'_>, files: &[(FileId, &Body)], diags: &mut Vec<Diagnostic>) {
    for &(file, body) in files {
        let mut w = Walker {
            module,
            file,
            bound: Vec::new(),
            diags,
        };
        for block in body.blocks() {
            match block.ident.as_str() {
                "terraform" | "moved" | "import" | "removed" => {}
                "variable" => {
                    // `type` is a type expression and `validation` refers to the variable
                    // itself: only the default can hold references (and may not).
                    if let Some(attr) = block.body.get_attribute("default") {
                        w.expr(&attr.value);
                    }
                }
                _ => w.body(&block.body),
            }
        }
    }
}

struct Walker<'w, 'a> {
    module: &'w Module<'a>,
    file: FileId,
    /// Names bound by enclosing `for` expressions and `dynamic` blocks.
    bound: Vec<String>,
    diags: &'w mut Vec<Diagnostic>,
}

impl Walker<'_, '_> {
    fn body(&mut self, body: &Body) {
        for attr in body.attributes() {
            self.expr(&attr.value);
        }
        for block in body.blocks() {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block.ident.as_str() {
            "lifecycle" => {
                for attr in block.body.attributes() {
                    if attr.key.as_str() != "ignore_changes" {
                        self.expr(&attr.value);
                    }
                }
            }
            "dynamic" => {
                let iterator = block
                    .body
                    .get_attribute("iterator")
                    .and_then(|a| match &a.value {
                        Expression::Variable(v) => Some(v.as_str().to_string()),
                        _ => None,
                    })
                    .or_else(|| block.labels.first().map(|l| l.as_str().to_string()));
                for attr in block.body.attributes() {
                    if attr.key.as_str() != "iterator" {
                        self.expr(&attr.value);
                    }
                }
                let pushed = iterator.map(|name| self.bound.push(name)).is_some();
                for inner in block.body.blocks() {
                    self.block(inner);
                }
                if pushed {
                    self.bound.pop();
                }
            }
            _ => self.body(&block.body),
        }
    }

    fn expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Array(items) => items.iter().for_each(|e| self.expr(e)),
            Expression::Object(obj) => {
                for (k, v) in obj.iter() {
                    if let ObjectKey::Expression(k) = k
                        && !matches!(k, Expression::Variable(_))
                    {
                        self.expr(k);
                    }
                    self.expr(v.expr());
                }
            }
            Expression::StringTemplate(t) => self.template(t),
            Expression::HeredocTemplate(h) => self.template(&h.template),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::FuncCall(f) => f.args.iter().for_each(|e| self.expr(e)),
            Expression::Traversal(t) => self.traversal(t),
            Expression::UnaryOp(op) => self.expr(&op.expr),
            Expression::BinaryOp(op) => {
                self.expr(&op.lhs_expr);
                self.expr(&op.rhs_expr);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr);
                let n = self.bound.len();
                if let Some(k) = &f.intro.key_var {
                    self.bound.push(k.as_str().to_string());
                }
                self.bound.push(f.intro.value_var.as_str().to_string());
                if let Some(k) = &f.key_expr {
                    self.expr(k);
                }
                self.expr(&f.value_expr);
                if let Some(c) = &f.cond {
                    self.expr(&c.expr);
                }
                self.bound.truncate(n);
            }
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_)
            | Expression::Variable(_) => {}
        }
    }

    fn template(&mut self, t: &Template) {
        for element in t.iter() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        self.expr(&d.if_expr.cond_expr);
                        self.template(&d.if_expr.template);
                        if let Some(e) = &d.else_expr {
                            self.template(&e.template);
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        self.expr(&f.collection_expr);
                        let n = self.bound.len();
                        if let Some(k) = &f.key_var {
                            self.bound.push(k.as_str().to_string());
                        }
                        self.bound.push(f.value_var.as_str().to_string());
                        self.template(&f.template);
                        self.bound.truncate(n);
                    }
                },
            }
        }
    }

    fn traversal(&mut self, t: &Traversal) {
        for op in &t.operators {
            if let TraversalOperator::Index(e) = op.value() {
                self.expr(e);
            }
        }
        let Expression::Variable(root) = &t.expr else {
            self.expr(&t.expr);
            return;
        };
        let root = root.as_str();
        if self.bound.iter().any(|b| b == root) {
            return;
        }
        let attr = |i: usize| match t.operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let m = self.module;
        let names_of = |mode: Mode, ty: &str| -> Vec<String> {
            m.resources
                .iter()
                .filter(|r| r.mode == mode && r.ty == ty)
                .map(|r| r.name.to_string())
                .collect()
        };
        // What is missing: the prefix its kind shares (`var.`), the name after it, and the
        // declared names of that kind (for a suggestion).
        let (prefix, name, candidates): (String, &str, Vec<String>) = match root {
            "var" => match attr(0) {
                Some(n) if !m.variables.contains_key(n) => (
                    "var.".into(),
                    n,
                    m.variables.keys().map(|k| k.to_string()).collect(),
                ),
                _ => return,
            },
            "local" => match attr(0) {
                Some(n) if !m.locals.contains_key(n) => (
                    "local.".into(),
                    n,
                    m.locals.keys().map(|k| k.to_string()).collect(),
                ),
                _ => return,
            },
            "module" => match attr(0) {
                Some(n) if !m.module_calls.contains_key(n) => (
                    "module.".into(),
                    n,
                    m.module_calls.keys().map(|k| k.to_string()).collect(),
                ),
                _ => return,
            },
            "data" => match (attr(0), attr(1)) {
                (Some(ty), Some(n)) if m.resource(Mode::Data, ty, n).is_none() => {
                    (format!("data.{ty}."), n, names_of(Mode::Data, ty))
                }
                _ => return,
            },
            "each" | "count" | "self" | "path" | "terraform" => return,
            ty if ty.contains('_') => match attr(0) {
                Some(n) if m.resource(Mode::Managed, ty, n).is_none() => {
                    (format!("{ty}."), n, names_of(Mode::Managed, ty))
                }
                _ => return,
            },
            _ => return,
        };
        let missing = format!("{prefix}{name}");
        let span = Span::new(self.file, t.span().unwrap_or(0..0));
        let dir = crate::source::display_path(&m.dir, None);
        let mut d = Diagnostic::new(
            UNDEFINED_REFERENCE,
            format!("`{missing}` is not declared in module `{dir}`"),
            Label::new(span, "not declared"),
        )
        .with_note(
            "Terraform rejects a reference to something the module does not declare; \
             peerlint cannot check what depends on it.",
        );
        d = match closest(name, &candidates) {
            Some(c) => d.with_help(format!("did you mean `{prefix}{c}`?")),
            None => d.with_help("declare it, or correct the reference"),
        };
        self.diags.push(d);
    }
}
