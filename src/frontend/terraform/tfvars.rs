//! Variable values from outside a root module, in Terraform's order of precedence:
//! `TF_VAR_name` < `terraform.tfvars` < `terraform.tfvars.json` < `*.auto.tfvars(.json)`
//! (lexical order) < `--var-file` (in order) < `--var` (in order). A variable's default
//! is below them all; type conversion happens where the variable is read.

use super::eval::{Evaluator, Input, Inputs, Session};
use super::module::{Module, Modules, normalize_dir};
use super::scope::Scope;
use super::{Files, syntax_error};
use crate::frontend::value::Value;
use crate::frontend::{LoadOptions, Setting, Workspace, normalize};
use crate::source::{FileId, SourceMap};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The values one variables file sets, in order.
type Assignments = Vec<(String, Value)>;

/// The values each variables file sets.
pub(super) struct Values {
    automatic: Vec<(FileId, Assignments)>,
    /// `--var-file` files, by path.
    explicit: HashMap<PathBuf, Assignments>,
}

impl Values {
    /// Reads every variable file once, reporting those that don't parse.
    pub(super) fn read(ws: &mut Workspace<'_>, files: &Files) -> Values {
        let automatic = files
            .auto_vars
            .iter()
            .map(|&id| (id, read_file(ws, id)))
            .collect();
        let explicit = files
            .var_files
            .iter()
            .map(|&id| (normalize(&ws.sources.get(id).path), read_file(ws, id)))
            .collect();
        Values {
            automatic,
            explicit,
        }
    }

    /// The inputs of the root module in `dir`.
    pub(super) fn for_root(
        &self,
        dir: &Path,
        sources: &SourceMap,
        options: &LoadOptions<'_>,
        plan: Option<&[(String, Value)]>,
    ) -> Inputs {
        let mut inputs: Inputs = HashMap::new();
        for (name, value) in &options.env_vars {
            inputs.insert(name.clone(), Input::Text(value.clone()));
        }
        // This folder's own files, in Terraform's order.
        let mut own: Vec<(u8, String, &Assignments)> = self
            .automatic
            .iter()
            .filter_map(|(id, values)| {
                let path = &sources.get(*id).path;
                let in_dir = path.parent().map(normalize_dir).unwrap_or_default() == dir;
                let name = path.file_name()?.to_str()?.to_string();
                let rank = match name.as_str() {
                    "terraform.tfvars" => 0,
                    "terraform.tfvars.json" => 1,
                    _ => 2,
                };
                in_dir.then_some((rank, name, values))
            })
            .collect();
        own.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (_, _, values) in own {
            set(&mut inputs, values);
        }
        for setting in &options.settings {
            match setting {
                Setting::VarFile(path) => {
                    if let Some(values) = self.explicit.get(&normalize(path)) {
                        set(&mut inputs, values);
                    }
                }
                Setting::Var(name, value) => {
                    inputs.insert(name.clone(), Input::Text(value.clone()));
                }
            }
        }
        // The values a plan of this root was made with: what Terraform used in the end.
        if let Some(values) = plan {
            set(&mut inputs, values);
        }
        inputs
    }
}

fn set(inputs: &mut Inputs, values: &[(String, Value)]) {
    for (name, value) in values {
        inputs.insert(name.clone(), Input::Value(value.clone()));
    }
}

/// The values a `.tfvars` (HCL) or `.tfvars.json` file sets.
fn read_file(ws: &mut Workspace<'_>, id: FileId) -> Assignments {
    let file = ws.sources.get(id);
    let text = file.text.clone();
    if file.path.to_string_lossy().ends_with(".json") {
        return match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => map
                .iter()
                .map(|(k, v)| (k.clone(), Value::from_json(v)))
                .collect(),
            Ok(_) => {
                let d = syntax_error(&ws.sources, id, 0, "a variables file holds a JSON object");
                ws.diagnostics.push(d);
                Vec::new()
            }
            Err(e) => {
                let at = offset_of(&text, e.line(), e.column());
                let d = syntax_error(&ws.sources, id, at, &format!("invalid JSON: {e}"));
                ws.diagnostics.push(d);
                Vec::new()
            }
        };
    }
    let body = match super::parse::parse(&text) {
        Ok(body) => body,
        Err(e) => {
            let d = syntax_error(&ws.sources, id, e.location().offset(), e.message());
            ws.diagnostics.push(d);
            return Vec::new();
        }
    };
    // Constant expressions: evaluated in a module that declares nothing.
    let empty = Module::empty();
    let modules = Modules::default();
    let session = Session::new(&modules, Default::default(), 0);
    let ev = Evaluator::root(&session, &empty, HashMap::new());
    let scope = Scope::root(id);
    body.attributes()
        .map(|a| {
            let v = ev
                .eval(&a.value, &scope)
                .errors_as_unknown()
                .without_symbols();
            (a.key.as_str().to_string(), v)
        })
        .collect()
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}
