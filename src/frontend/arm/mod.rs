//! The ARM frontend: deployment templates (Bicep's compiled output included) and their
//! parameter files → the peering model.
//!
//! A JSON file is a template when its `$schema` names a deployment template, a parameter
//! file when it names deployment parameters; anything else is skipped. Each template is
//! evaluated once per parameter file that pairs with it (`X.parameters.json`,
//! `X.parameters.*.json`, or every `--arm-parameters` file), or once with its defaults.
//! Nested deployments are evaluated with the parameters they pass and the resource group
//! and subscription they target; linked templates (`templateLink.relativePath`) are read
//! beside their parent.

mod check;
mod eval;
mod expr;
mod functions;

mod lower;

use super::{LoadOptions, Workspace};
use crate::diagnostic::Diagnostic;
use crate::frontend::json::{self, Json, Node};
use crate::frontend::value::Value;
use crate::ir::Model;
use crate::source::FileId;
use eval::{Copies, Deployment, Ev, Frame, Session, Target, as_text};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Options for templates: explicit parameter files, and where they are deployed.
#[derive(Debug, Clone, Default)]
pub struct ArmOptions {
    /// `--arm-parameters FILE`: used with every template, instead of the files that pair
    /// with it by name.
    pub parameters: Vec<PathBuf>,
    /// `--subscription`, `--resource-group`, `--location`: what `subscription()` and
    /// `resourceGroup()` return (unknown otherwise).
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub location: Option<String>,
}

/// Most linked template files followed.
const MAX_LINKED: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Template,
    Parameters,
}

/// What a JSON document is to ARM, from its `$schema`.
fn role(doc: &Node) -> Option<Role> {
    let schema = doc.get("$schema")?.as_str()?.to_ascii_lowercase();
    if schema.contains("deploymenttemplate.json") {
        Some(Role::Template)
    } else if schema.contains("deploymentparameters.json") {
        Some(Role::Parameters)
    } else {
        None
    }
}

/// Lowers every template among `docs` (JSON documents that are not plans) into `model`.
/// Returns whether any of them is Bicep's output.
pub(crate) fn lower(
    ws: &mut Workspace<'_>,
    docs: Vec<(FileId, Node)>,
    options: &LoadOptions<'_>,
    model: &mut Model,
) -> bool {
    let mut templates: Vec<(FileId, Node)> = Vec::new();
    let mut parameters: Vec<(FileId, Node)> = Vec::new();
    for (id, doc) in docs {
        // JSON that is not ARM's is skipped: not counted among the checked files.
        match role(&doc) {
            Some(Role::Template) => templates.push((id, doc)),
            Some(Role::Parameters) => parameters.push((id, doc)),
            None => ws.checked[id.0 as usize] = false,
        }
    }
    let linked_docs = load_linked(ws, &templates);
    for (id, doc) in templates.iter().chain(linked_docs.values()) {
        check::template(*id, doc, &mut ws.diagnostics);
    }
    for (id, doc) in templates
        .iter()
        .chain(linked_docs.values())
        .chain(parameters.iter())
    {
        // ARM accepts a key given twice (sibling property `copy` loops are written that
        // way); which value it reads otherwise is not documented, so say so.
        for m in json::duplicate_keys(doc) {
            if m.name.eq_ignore_ascii_case("copy") {
                continue;
            }
            let file = ws.sources.get(*id);
            let at = file.line_col(m.name_span.start as u32);
            ws.notes.push(format!(
                "{}:{}:{}: the key `{}` is given twice in one object; peerlint reads the first",
                file.display, at.line, at.column, m.name
            ));
        }
    }
    let linked: HashMap<PathBuf, (FileId, &Node)> = linked_docs
        .iter()
        .map(|(path, (id, node))| (path.clone(), (*id, node)))
        .collect();
    let session = Session::new(model.symbols.len() as u32, linked);
    let explicit: Vec<&(FileId, Node)> = parameters
        .iter()
        .filter(|(id, _)| {
            let path = super::normalize(&ws.sources.get(*id).path);
            options
                .arm
                .parameters
                .iter()
                .any(|p| super::normalize(p) == path)
        })
        .collect();
    let mut used = vec![false; parameters.len()];
    for (id, doc) in &templates {
        let path = ws.sources.get(*id).path.clone();
        // Explicit files go with every template that declares all the parameters they
        // give (Azure rejects the others); without them, files pair by name.
        let paired: Vec<&(FileId, Node)> = if explicit.is_empty() {
            parameters
                .iter()
                .filter(|(p, _)| pairs(&path, &ws.sources.get(*p).path))
                .collect()
        } else {
            explicit
                .iter()
                .copied()
                .filter(|(_, pdoc)| accepts(doc, pdoc))
                .collect()
        };
        for p in &paired {
            if let Some(i) = parameters.iter().position(|q| q.0 == p.0) {
                used[i] = true;
            }
            // Findings with a checked parameter file's values are reported.
            if ws.checked[p.0.0 as usize] {
                ws.checked[id.0 as usize] = true;
            }
        }
        let display = ws.sources.get(*id).display.clone();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let runs: Vec<(String, HashMap<String, Value>)> = if paired.is_empty() {
            vec![(String::new(), HashMap::new())]
        } else {
            paired
                .iter()
                .map(|(p, pdoc)| {
                    let file = ws.sources.get(*p);
                    let name = file.path.file_name().map_or_else(
                        || file.display.clone(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    (format!(" (with {name})"), parameter_values(pdoc))
                })
                .collect()
        };
        let subscription_scope = doc
            .get("$schema")
            .and_then(Node::as_str)
            .is_some_and(|s| !s.to_ascii_lowercase().contains("/deploymenttemplate.json"));
        // One template with several parameter files: alternatives (dev, prod), not one
        // estate.
        let alternatives = runs.len() > 1;
        for (suffix, params) in runs {
            let start = super::Objects::end_of(model);
            let origin = format!("{display}{suffix}");
            let target = Target {
                subscription: match &options.arm.subscription {
                    Some(s) => Value::str(s.clone()),
                    None => session
                        .symbols
                        .segment(format!("subscription of the deployment of {origin}")),
                },
                resource_group: match (&options.arm.resource_group, subscription_scope) {
                    (_, true) => Value::Unknown,
                    (Some(rg), false) => Value::str(rg.clone()),
                    (None, false) => session
                        .symbols
                        .segment(format!("resource group of the deployment of {origin}")),
                },
                location: options
                    .arm
                    .location
                    .clone()
                    .map_or(Value::Unknown, Value::String),
                deployment: Value::Unknown,
                deployment_location: options
                    .arm
                    .location
                    .clone()
                    .map_or(Value::Unknown, Value::String),
            };
            let frame = Rc::new(Frame::new(
                *id,
                doc,
                dir.clone(),
                origin,
                String::new(),
                suffix.clone(),
                target.clone(),
                params,
            ));
            let d = Deployment {
                template: doc,
                frame,
                deploy: target,
                label: String::new(),
                suffix,
            };
            lower::lower_deployment(&session, &d, model);
            if alternatives {
                super::Objects::since(&start, model).make_variant(model);
            }
        }
    }
    for ((id, _), used) in parameters.iter().zip(used) {
        if used {
            continue;
        }
        let file = ws.sources.get(*id);
        let is_explicit = explicit.iter().any(|(e, _)| e == id);
        if is_explicit {
            ws.notices.push(format!(
                "{}: no template declares every parameter this file gives; it was not used",
                file.display
            ));
        } else if ws.checked[id.0 as usize] {
            ws.notes.push(format!(
                "{}: pairs with no template by name (`X.parameters.json` or `X.parameters.*.json` beside `X.json`); pass it with --arm-parameters to use it",
                file.display
            ));
        }
    }
    ws.diagnostics.extend(session.take_diagnostics());
    ws.notes.extend(session.notes());
    model.gaps.merge(session.gaps());
    model.symbols.extend(session.symbols.descriptions());
    templates.iter().any(|(_, doc)| {
        doc.get("metadata")
            .and_then(|m| m.get("_generator"))
            .and_then(|g| g.get("name"))
            .and_then(Node::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("bicep"))
    })
}

pub(crate) fn json_error(ws: &Workspace<'_>, id: FileId, at: usize, message: &str) -> Diagnostic {
    super::syntax_error_at(
        &ws.sources,
        id,
        at,
        format!("JSON syntax error: {message}"),
        "fix the JSON (`az deployment group validate` checks it too)",
    )
}

/// Whether a parameter file pairs with a template by name: `X.parameters.json` and
/// `X.parameters.*.json` with `X.json`, in the same folder.
fn pairs(template: &Path, params: &Path) -> bool {
    if template.parent() != params.parent() {
        return false;
    }
    let (Some(t), Some(p)) = (
        template.file_name().and_then(|n| n.to_str()),
        params.file_name().and_then(|n| n.to_str()),
    ) else {
        return false;
    };
    let Some(stem) = t.strip_suffix(".json") else {
        return false;
    };
    let (p, stem) = (p.to_ascii_lowercase(), stem.to_ascii_lowercase());
    p == format!("{stem}.parameters.json")
        || (p.starts_with(&format!("{stem}.parameters.")) && p.ends_with(".json"))
}

/// Whether a template declares every parameter a parameter file gives (names match
/// case-insensitively).
fn accepts(template: &Node, params: &Node) -> bool {
    let declared = template.get("parameters");
    params
        .get("parameters")
        .map(Node::members)
        .unwrap_or_default()
        .iter()
        .all(|m| declared.and_then(|d| d.get(&m.name)).is_some())
}

/// The values a parameter file gives (names lowercase); Key Vault references are unknown.
fn parameter_values(doc: &Node) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for m in doc.get("parameters").map(Node::members).unwrap_or_default() {
        let value = match m.value.get("value") {
            Some(v) => literal(v),
            None => Value::Unknown,
        };
        out.insert(m.name.to_ascii_lowercase(), value);
    }
    out
}

/// A JSON value as a literal (parameter files and plans hold no expressions).
pub(crate) fn literal(node: &Node) -> Value {
    match &node.kind {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(*n),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(literal).collect()),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|m| (m.name.clone(), literal(&m.value)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Loads the templates that templates link with `templateLink.relativePath` (literal
/// paths), beside the file that links them, following links in linked files too.
fn load_linked(
    ws: &mut Workspace<'_>,
    templates: &[(FileId, Node)],
) -> BTreeMap<PathBuf, (FileId, Node)> {
    let mut out: BTreeMap<PathBuf, (FileId, Node)> = BTreeMap::new();
    // Each file with whether a checked template links it: findings in a template that
    // checked code deploys are reported, as in a module that checked code calls.
    let mut pending: Vec<(PathBuf, bool)> = Vec::new();
    let parent_dir = |ws: &Workspace<'_>, id: FileId| {
        ws.sources
            .get(id)
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    for (id, doc) in templates {
        let checked = ws.checked[id.0 as usize];
        let mut found = Vec::new();
        links(doc, &parent_dir(ws, *id), &mut found);
        pending.extend(found.into_iter().map(|p| (p, checked)));
    }
    while let Some((path, checked)) = pending.pop() {
        if let Some((id, _)) = out.get(&path) {
            if checked {
                ws.checked[id.0 as usize] = true;
            }
            continue;
        }
        if out.len() >= MAX_LINKED {
            continue;
        }
        let known = ws
            .sources
            .iter()
            .find(|(_, f)| super::normalize(&f.path) == path)
            .map(|(id, _)| id);
        let Some(id) = known.or_else(|| ws.load_file(&path)) else {
            continue;
        };
        if checked {
            ws.checked[id.0 as usize] = true;
        }
        let text = ws.sources.get(id).text.clone();
        match json::parse(&text) {
            Ok(doc) => {
                let mut found = Vec::new();
                links(&doc, &parent_dir(ws, id), &mut found);
                pending.extend(found.into_iter().map(|p| (p, checked)));
                out.insert(path, (id, doc));
            }
            Err((at, message)) => {
                let d = json_error(ws, id, at, &message);
                ws.diagnostics.push(d);
            }
        }
    }
    out
}

/// The files `templateLink.relativePath` values name, anywhere in a template.
fn links(node: &Node, dir: &Path, out: &mut Vec<PathBuf>) {
    match &node.kind {
        Json::Object(members) => {
            for m in members {
                if m.name.eq_ignore_ascii_case("templateLink") {
                    if let Some(rel) = m.value.get("relativePath").and_then(Node::as_str)
                        && !rel.starts_with('[')
                    {
                        out.push(super::normalize(&dir.join(rel)));
                    }
                    // A `uri` expression may resolve to a file beside the template: every
                    // `'….json'` literal in it is a candidate.
                    if let Some(uri) = m.value.get("uri").and_then(Node::as_str)
                        && let expr::Classified::Expression(Ok(e)) = expr::classify(uri)
                    {
                        json_literals(&e, &mut |rel| out.push(super::normalize(&dir.join(rel))));
                    }
                }
                links(&m.value, dir, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|i| links(i, dir, out)),
        _ => {}
    }
}

/// The string literals of an expression that name `.json` files.
fn json_literals(e: &expr::Expr, found: &mut dyn FnMut(&str)) {
    match e {
        expr::Expr::Str(s) if s.to_ascii_lowercase().ends_with(".json") && !s.contains("://") => {
            found(s)
        }
        expr::Expr::Call(_, args) => args.iter().for_each(|a| json_literals(a, found)),
        expr::Expr::Prop(base, _) => json_literals(base, found),
        expr::Expr::Index(base, index) => {
            json_literals(base, found);
            json_literals(index, found);
        }
        _ => {}
    }
}

/// The nested deployment a resource makes: its template (inline or linked), the frame its
/// expressions are evaluated in (its own for the `inner` scope, its parent's for `outer`),
/// and where it deploys.
fn make_deployment<'a>(
    session: &Session<'a>,
    frame: &Rc<Frame<'a>>,
    resource: &'a Node,
    copies: &Copies,
    deploy: &Target,
    pre_evaluated: bool,
) -> Option<Deployment<'a>> {
    let ev = Ev {
        session,
        frame,
        copies,
    };
    let props = resource.get("properties")?;
    let name = resource
        .get("name")
        .map_or(Value::Unknown, |n| as_text(ev.node(n)));
    let shown = lower::shown(&name, resource.get("name"));
    let (template, file, dir, linked) = match (props.get("template"), props.get("templateLink")) {
        (Some(t), _) => (t, frame.file, frame.dir.clone(), false),
        (None, Some(link)) => {
            let rel = link.get("relativePath").and_then(Node::as_str);
            let path = match rel.filter(|r| !r.starts_with('[')) {
                Some(r) => Some(super::normalize(&frame.dir.join(r))),
                // `uri(deployment().properties.templateLink.uri, 'nested/x.json')`, often
                // through an `_artifactsLocation` parameter: a file beside this one.
                None => link.get("uri").and_then(|u| {
                    let uri = ev.node(u).to_str().ok().flatten()?;
                    let rest = uri.strip_prefix(&ev.own_folder())?;
                    let rest = rest.split(['?', '#']).next().unwrap_or_default();
                    (!crate::ir::token::is_opaque(rest))
                        .then(|| super::normalize(&frame.dir.join(rest)))
                }),
            };
            match path.as_ref().and_then(|p| session.linked.get(p)) {
                Some((id, node)) => (
                    *node,
                    *id,
                    path.as_ref()
                        .and_then(|p| p.parent())
                        .map(Path::to_path_buf)
                        .unwrap_or_default(),
                    true,
                ),
                None => {
                    session.gap(crate::ir::Gaps::ALL);
                    session.note(format!(
                        "{}: deployment '{shown}' links a template peerlint cannot read (only files beside the template are followed: a literal `relativePath`, or a `uri` relative to the template's own); its resources are unknown",
                        frame.origin
                    ));
                    return None;
                }
            }
        }
        (None, None) => return None,
    };
    let inner = linked
        || props
            .get("expressionEvaluationOptions")
            .and_then(|o| o.get("scope"))
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
    let given = |key: &str| resource.get(key).map(|n| as_text(ev.node(n)));
    let subscription = given("subscriptionId");
    let resource_group = given("resourceGroup");
    let target = Target {
        resource_group: match (&resource_group, &subscription) {
            (Some(rg), _) => rg.clone(),
            (None, Some(_)) => Value::Unknown,
            (None, None) => deploy.resource_group.clone(),
        },
        subscription: subscription.unwrap_or_else(|| deploy.subscription.clone()),
        location: if resource_group.is_none() {
            deploy.location.clone()
        } else {
            resource_group_location(&ev, resource_group.as_ref())
        },
        deployment: name,
        // A deployment at subscription (or higher) scope says where its metadata goes.
        deployment_location: given("location")
            .unwrap_or_else(|| deploy.deployment_location.clone()),
    };
    let label = format!("{}deployment '{shown}' > ", frame.label);
    let frame = if inner {
        let params = props
            .get("parameters")
            .map(Node::members)
            .unwrap_or_default()
            .iter()
            .map(|m| {
                let v = match &m.value.kind {
                    // `"p": "[if(c, createObject('value', x), createObject('value', null()))]"`,
                    // as Bicep compiles a conditional module parameter.
                    Json::String(_) => match ev.node(&m.value) {
                        Value::Object(o) | Value::OpenObject(o) => functions::get_ci(&o, "value")
                            .cloned()
                            .unwrap_or(Value::Unknown),
                        _ => Value::Unknown,
                    },
                    _ => m.value.get("value").map_or(Value::Unknown, |v| ev.node(v)),
                };
                (m.name.clone(), v.errors_as_unknown())
            })
            .collect();
        let mut inner = Frame::new(
            file,
            template,
            dir,
            format!("{} > {shown}", frame.origin),
            label.clone(),
            frame.suffix.clone(),
            target.clone(),
            params,
        );
        // Inline in a template the parent evaluates first (an `outer` one).
        if pre_evaluated && !linked {
            inner.pre = Some((frame.clone(), copies.clone()));
        }
        Rc::new(inner)
    } else {
        frame.clone()
    };
    Some(Deployment {
        template,
        frame,
        deploy: target,
        label,
        suffix: ev.frame.suffix.clone(),
    })
}

/// The location of a resource group the template itself creates, if it does.
fn resource_group_location(ev: &Ev<'_, '_>, name: Option<&Value>) -> Value {
    let Some(Value::String(name)) = name else {
        return Value::Unknown;
    };
    for r in resources(ev.frame.root) {
        let ty = r.get("type").and_then(Node::as_str).unwrap_or_default();
        if !ty.eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") {
            continue;
        }
        if let Some(n) = r.get("name")
            && ev
                .node(n)
                .to_str()
                .ok()
                .flatten()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            return r.get("location").map_or(Value::Unknown, |l| ev.node(l));
        }
    }
    Value::Unknown
}

/// The resources of a template, as an array or keyed by symbolic name.
fn resources(template: &Node) -> Vec<&Node> {
    match template.get("resources").map(|r| &r.kind) {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(Json::Object(members)) => members.iter().map(|m| &m.value).collect(),
        _ => Vec::new(),
    }
}

/// The nested deployment of this template named `name`, for `reference()`: by symbolic
/// name (`hub`, or `spokes[2]` for an instance of a copy loop) or by deployment name.
fn find_deployment<'a>(ev: &Ev<'_, 'a>, name: &str) -> Option<Rc<Deployment<'a>>> {
    let root = ev.frame.root;
    let candidates: Vec<(&'a Node, Option<&str>)> = match root.get("resources").map(|r| &r.kind) {
        Some(Json::Array(items)) => items.iter().map(|n| (n, None)).collect(),
        Some(Json::Object(members)) => members
            .iter()
            .map(|m| (&m.value, Some(m.name.as_str())))
            .collect(),
        _ => Vec::new(),
    };
    // `symbol[index]`.
    let indexed = name.strip_suffix(']').and_then(|rest| {
        let (base, index) = rest.rsplit_once('[')?;
        Some((base, index.trim().parse::<i64>().ok()?))
    });
    let none = Copies::new();
    let top = Ev {
        copies: &none,
        ..*ev
    };
    let name_is = |node: &Node, copies: &Copies| {
        node.get("name")
            .and_then(|n| Ev { copies, ..*ev }.node(n).to_str().ok().flatten())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    };
    for (node, symbolic) in candidates {
        let ty = node.get("type").and_then(Node::as_str).unwrap_or_default();
        if !ty.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            continue;
        }
        let found = match node
            .get("copy")
            .filter(|c| matches!(c.kind, Json::Object(_)))
        {
            None => {
                let by_symbol = symbolic.is_some_and(|s| s.eq_ignore_ascii_case(name));
                (by_symbol || name_is(node, &none)).then(Copies::new)
            }
            Some(copy) => {
                let loop_name = copy
                    .get("name")
                    .and_then(Node::as_str)
                    .unwrap_or("copy")
                    .to_ascii_lowercase();
                let count = top.count(copy.get("count")).unwrap_or(0) as i64;
                let instance = |i: i64| vec![(loop_name.clone(), i)];
                match (indexed, symbolic) {
                    (Some((base, i)), Some(s)) if s.eq_ignore_ascii_case(base) => {
                        (0..count).contains(&i).then(|| instance(i))
                    }
                    _ => (0..count).map(instance).find(|c| name_is(node, c)),
                }
            }
        };
        if let Some(copies) = found {
            return ev
                .frame
                .nested(ev.session, node, &copies, &ev.frame.target, false);
        }
    }
    None
}
