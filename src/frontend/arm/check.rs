//! Checks on a template's text, independent of its parameter values: every expression
//! must parse, and every `parameters('x')` and `variables('x')` with a literal name must
//! name a declaration of the template it is evaluated in. Each string is checked once,
//! evaluated or not, as Azure validates the whole template before deploying it.

use super::expr::{Classified, Expr, classify};
use crate::diagnostic::{Diagnostic, Label};
use crate::frontend::json::{Json, Node};
use crate::frontend::suggest::closest;
use crate::ir::Span;
use crate::rules::input::{SYNTAX_ERROR, UNDEFINED_REFERENCE};
use crate::source::FileId;

/// The names a template declares, lowercase, and as written (for suggestions).
struct Declared {
    parameters: Vec<String>,
    variables: Vec<String>,
}

impl Declared {
    fn of(template: &Node) -> Self {
        // Every section of the name counts: a key given twice is reported on its own.
        let sections = |name: &'static str| {
            template
                .members()
                .iter()
                .filter(move |m| m.name.eq_ignore_ascii_case(name))
                .map(|m| &m.value)
        };
        let parameters = sections("parameters")
            .flat_map(Node::members)
            .map(|m| m.name.clone())
            .collect();
        let mut variables = Vec::new();
        for vars in sections("variables") {
            for m in vars.members() {
                if !m.name.eq_ignore_ascii_case("copy") {
                    variables.push(m.name.clone());
                    continue;
                }
                // `"copy": [{ "name": … }]` declares variables too.
                for c in m.value.items() {
                    if let Some(name) = c.get("name").and_then(Node::as_str) {
                        variables.push(name.to_string());
                    }
                }
            }
        }
        Declared {
            parameters,
            variables,
        }
    }
}

/// Checks a template file (and the inline templates it nests).
pub(super) fn template(file: FileId, template: &Node, out: &mut Vec<Diagnostic>) {
    let mut checker = Checker { file, out };
    checker.template(template, &Declared::of(template), None, false);
}

struct Checker<'o> {
    file: FileId,
    out: &'o mut Vec<Diagnostic>,
}

impl Checker<'_> {
    /// The evaluated sections of a template: parameter defaults, variables, resources and
    /// outputs (not `metadata`, user-defined `functions` or type `definitions`). `pre` is
    /// the scope that evaluates the template's strings first, for an `inner` template in
    /// an `outer` one; `outer` says that this template is an `outer` nested one.
    fn template(&mut self, template: &Node, scope: &Declared, pre: Option<&Declared>, outer: bool) {
        for p in template
            .get("parameters")
            .map(Node::members)
            .unwrap_or_default()
        {
            for key in ["defaultValue", "allowedValues"] {
                if let Some(v) = p.value.get(key) {
                    self.value(v, scope, pre);
                }
            }
        }
        if let Some(vars) = template.get("variables") {
            self.value(vars, scope, pre);
        }
        if let Some(outputs) = template.get("outputs") {
            self.value(outputs, scope, pre);
        }
        let resources: Vec<&Node> = match template.get("resources").map(|r| &r.kind) {
            Some(Json::Array(items)) => items.iter().collect(),
            Some(Json::Object(members)) => members.iter().map(|m| &m.value).collect(),
            _ => Vec::new(),
        };
        for r in resources {
            self.resource(r, scope, pre, outer);
        }
    }

    /// A resource: a nested deployment's inline template is checked against its own
    /// declarations when it has the `inner` scope; child resources likewise.
    fn resource(&mut self, resource: &Node, scope: &Declared, pre: Option<&Declared>, outer: bool) {
        let is_deployment = resource
            .get("type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Resources/deployments"));
        for m in resource.members() {
            if m.name.eq_ignore_ascii_case("resources") {
                for r in m.value.items() {
                    self.resource(r, scope, pre, outer);
                }
            } else if m.name.eq_ignore_ascii_case("properties") && is_deployment {
                let inner = m
                    .value
                    .get("expressionEvaluationOptions")
                    .and_then(|o| o.get("scope"))
                    .and_then(Node::as_str)
                    .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
                for p in m.value.members() {
                    if p.name.eq_ignore_ascii_case("template") {
                        if inner {
                            // Inside an `outer` template, the parent evaluates it first.
                            let pre = if outer { Some(scope) } else { None };
                            self.template(&p.value, &Declared::of(&p.value), pre, false);
                        } else {
                            self.template(&p.value, scope, pre, true);
                        }
                    } else {
                        self.value(&p.value, scope, pre);
                    }
                }
            } else {
                self.value(&m.value, scope, pre);
            }
        }
    }

    /// Every string in a value.
    fn value(&mut self, node: &Node, scope: &Declared, pre: Option<&Declared>) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match &n.kind {
                Json::String(s) => match pre {
                    // `[[x]` is this template's expression `[x]`; `[x]` is the outer one's.
                    Some(_) if s.starts_with("[[") => self.string(n, &s[1..], scope),
                    Some(pre) => self.string(n, s, pre),
                    None => self.string(n, s, scope),
                },
                Json::Array(items) => stack.extend(items.iter().rev()),
                Json::Object(members) => stack.extend(members.iter().rev().map(|m| &m.value)),
                _ => {}
            }
        }
    }

    fn string(&mut self, node: &Node, text: &str, scope: &Declared) {
        let span = Span::new(self.file, node.span.clone());
        match classify(text) {
            Classified::Literal(_) => {}
            Classified::Expression(Err(message)) => self.out.push(
                Diagnostic::new(
                    SYNTAX_ERROR,
                    format!("invalid template expression: {message}"),
                    Label::new(span, "here"),
                )
                .with_note("Azure rejects the template; peerlint checks the rest of it.")
                .with_help(
                    "fix the expression (a string that starts with `[` and ends with `]` is an \
                     expression; start it with `[[` for a literal `[`)",
                ),
            ),
            Classified::Expression(Ok(e)) => {
                let mut stack = vec![&e];
                while let Some(e) = stack.pop() {
                    match e {
                        Expr::Call(name, args) => {
                            if let ("parameters" | "variables", [Expr::Str(wanted)]) =
                                (name.as_str(), args.as_slice())
                            {
                                self.reference(name, wanted, scope, span);
                            }
                            stack.extend(args.iter().rev());
                        }
                        Expr::Prop(base, _) => stack.push(base),
                        Expr::Index(base, index) => {
                            stack.push(index);
                            stack.push(base);
                        }
                        Expr::Str(_) | Expr::Num(_) | Expr::Bool(_) | Expr::Null => {}
                    }
                }
            }
        }
    }

    fn reference(&mut self, function: &str, wanted: &str, scope: &Declared, span: Span) {
        let (names, kind) = if function == "parameters" {
            (&scope.parameters, "parameter")
        } else {
            (&scope.variables, "variable")
        };
        if names.iter().any(|n| n.eq_ignore_ascii_case(wanted)) {
            return;
        }
        let mut d = Diagnostic::new(
            UNDEFINED_REFERENCE,
            format!("`{function}('{wanted}')`: the template declares no {kind} `{wanted}`"),
            Label::new(span, "not declared"),
        )
        .with_note(
            "Azure rejects a template that refers to an undeclared parameter or variable; \
             peerlint cannot check what depends on it.",
        );
        d = match closest(wanted, names) {
            Some(c) => d.with_help(format!("did you mean `{function}('{c}')`?")),
            None => d.with_help(format!("declare the {kind}, or correct the name")),
        };
        self.out.push(d);
    }
}
