//! The Terraform frontend: `.tf` files → modules → evaluated values → the peering model.
//!
//! Files are parsed in parallel and grouped into modules by folder. The folders that
//! checked code calls as modules (local sources, and those `terraform init` installed)
//! are loaded too. Every checked folder that no other loaded module calls is a root
//! module, evaluated on its own with its variable values (tfvars, `--var`, `TF_VAR_…`);
//! its module calls are evaluated instance by instance, and every resource instance is
//! lowered into the model.

mod azapi;
mod azurerm;
mod eval;
mod functions;
mod lower;
mod module;
mod parse;
mod refs;
mod scope;
mod tfjson;
mod tfvars;
mod types;

use super::{LoadOptions, Workspace};
use crate::diagnostic::Diagnostic;
use crate::ir::{Model, Span};
use crate::source::{FileId, SourceMap};
use eval::{Evaluator, Session};
use module::{Module, Modules, ParsedFile, normalize_dir};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Most module folders loaded beyond the checked paths.
const MAX_FOLDERS: usize = 2_000;

/// The Terraform files of a run, by role.
#[derive(Default)]
pub(crate) struct Files {
    /// `.tf` and `.tf.json`.
    pub tf: Vec<FileId>,
    /// `terraform.tfvars`, `*.auto.tfvars` (and `.json`) in the checked folders.
    pub auto_vars: Vec<FileId>,
    /// `--var-file` files, in order.
    pub var_files: Vec<FileId>,
}

pub(crate) fn lower(
    ws: &mut Workspace<'_>,
    files: Files,
    options: &LoadOptions<'_>,
    model: &mut Model,
) {
    let dir_of = |sources: &SourceMap, id: FileId| -> PathBuf {
        sources
            .get(id)
            .path
            .parent()
            .map(normalize_dir)
            .unwrap_or_default()
    };
    let checked_dirs: BTreeSet<PathBuf> = files
        .tf
        .iter()
        .filter(|id| ws.checked[id.0 as usize])
        .map(|&id| dir_of(&ws.sources, id))
        .collect();
    // Modules with a file that does not parse: their declarations are incomplete.
    let mut incomplete: BTreeSet<PathBuf> = BTreeSet::new();
    let mut parsed: Vec<ParsedFile> = Vec::new();
    let mut next: Vec<FileId> = files.tf.clone();
    let mut requested: BTreeSet<PathBuf> = checked_dirs.clone();
    let mut installed: HashMap<PathBuf, HashMap<String, PathBuf>> = HashMap::new();
    for dir in &checked_dirs {
        if let Some(keys) = read_modules_json(ws, dir) {
            installed.insert(dir.clone(), keys);
        }
    }
    // Parse, then load the folders the parsed modules call, until there are no new ones.
    loop {
        let results: Vec<Result<ParsedFile, Box<Diagnostic>>> = next
            .par_iter()
            .map(|&id| parse_file(&ws.sources, id))
            .collect();
        let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
        for (result, &id) in results.into_iter().zip(&next) {
            match result {
                Ok(file) => {
                    let dir = dir_of(&ws.sources, id);
                    wanted.extend(local_calls(&file, &dir));
                    parsed.push(file);
                }
                Err(d) => {
                    ws.diagnostics.push(*d);
                    incomplete.insert(dir_of(&ws.sources, id));
                }
            }
        }
        for keys in installed.values() {
            wanted.extend(keys.values().cloned());
        }
        next = Vec::new();
        for dir in wanted {
            if requested.len() >= MAX_FOLDERS {
                break;
            }
            if requested.insert(dir.clone()) {
                next.extend(ws.load_folder(&dir));
            }
        }
        if next.is_empty() {
            break;
        }
    }

    let installed_dirs: BTreeSet<PathBuf> = installed
        .values()
        .flat_map(|keys| keys.values().cloned())
        .collect();
    let mut by_dir: BTreeMap<PathBuf, Vec<&ParsedFile>> = BTreeMap::new();
    for file in &parsed {
        by_dir
            .entry(dir_of(&ws.sources, file.file))
            .or_default()
            .push(file);
    }
    let mut modules = Modules::default();
    let mut called: BTreeSet<PathBuf> = BTreeSet::new();
    for (dir, mut files) in by_dir {
        files.sort_by_key(|f| ws.sources.get(f.file).path.clone());
        for f in &files {
            called.extend(local_calls(f, &dir));
        }
        let module = Module::build(dir.clone(), &files);
        // Modules `terraform init` installed are not the user's code to fix.
        let third_party = installed_dirs.contains(&dir);
        if !incomplete.contains(&dir) && !third_party {
            // A reference to something declared in a broken file is not undefined.
            let bodies: Vec<(FileId, &hcl::edit::structure::Body)> =
                files.iter().map(|f| (f.file, &f.body)).collect();
            refs::check(&module, &bodies, &mut ws.diagnostics);
        }
        modules.insert(module);
    }
    for (root, keys) in installed {
        modules.set_installed(root, keys);
    }

    let values = tfvars::Values::read(ws, &files);
    let roots: Vec<&Module<'_>> = modules
        .iter()
        .filter(|m| checked_dirs.contains(&m.dir) && !called.contains(&m.dir))
        .collect();
    for root in roots {
        let plan = ws.plan_inputs.get(&root.dir).map(Vec::as_slice);
        let inputs = values.for_root(&root.dir, &ws.sources, options, plan);
        let session = Session::new(&modules, root.dir.clone(), model.symbols.len() as u32);
        let ev = Evaluator::root(&session, root, inputs);
        let start = super::Objects::end_of(model);
        lower::lower_module(&ev, model, &mut ws.diagnostics);
        ws.terraform_roots
            .push((root.dir.clone(), super::Objects::since(&start, model)));
        ws.diagnostics.extend(session.take_diagnostics());
        model.symbols.extend(session.symbols());
        ws.notes.extend(session.notes());
        model.gaps.merge(session.gaps());
    }

    // Spans in `.tf.json` files point into their rewritten text until now.
    let remaps: HashMap<FileId, &tfjson::Remap> = parsed
        .iter()
        .filter_map(|p| Some((p.file, p.remap.as_ref()?)))
        .collect();
    if !remaps.is_empty() {
        let remap = |span: &mut Span| {
            if let Some(r) = remaps.get(&span.file) {
                let range = r.map(span.start as usize..span.end as usize);
                *span = Span::new(span.file, range);
            }
        };
        model.for_each_span_mut(remap);
        for d in &mut ws.diagnostics {
            remap(&mut d.primary.span);
            d.related.iter_mut().for_each(|l| remap(&mut l.span));
        }
    }
}

/// The folders a file's `module` blocks call with local sources (`./x`, `../x`).
fn local_calls(file: &ParsedFile, dir: &Path) -> Vec<PathBuf> {
    file.body
        .get_blocks("module")
        .filter_map(|b| {
            b.body
                .get_attribute("source")?
                .value
                .as_str()
                .map(str::to_string)
        })
        .filter(|s| s.starts_with("./") || s.starts_with("../"))
        .map(|s| normalize_dir(&dir.join(s)))
        .collect()
}

/// The modules `terraform init` installed for a root folder: `.terraform/modules/modules.json`,
/// as call key (`spoke`, `spoke.peering`) → folder.
fn read_modules_json(ws: &mut Workspace<'_>, root: &Path) -> Option<HashMap<String, PathBuf>> {
    let path = root.join(".terraform").join("modules").join("modules.json");
    let id = ws.load_file(&path)?;
    let json: serde_json::Value = serde_json::from_str(&ws.sources.get(id).text).ok()?;
    let mut keys = HashMap::new();
    for m in json.get("Modules")?.as_array()? {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if !key.is_empty() {
            keys.insert(key.to_string(), normalize_dir(&root.join(dir)));
        }
    }
    Some(keys)
}

fn parse_file(sources: &SourceMap, id: FileId) -> Result<ParsedFile, Box<Diagnostic>> {
    let file = sources.get(id);
    if file.path.to_string_lossy().ends_with(".tf.json") {
        let (hcl, remap) = tfjson::to_hcl(&file.text).map_err(|(at, message)| {
            let mut d = syntax_error(sources, id, at, &message);
            d.message = format!("Terraform JSON syntax error: {message}");
            Box::new(d)
        })?;
        return match parse::parse(&hcl) {
            Ok(body) => Ok(ParsedFile {
                file: id,
                body,
                remap: Some(remap),
            }),
            Err(e) => {
                let at = e.location().offset();
                let json = remap.map(at..at);
                Err(Box::new(syntax_error(sources, id, json.start, e.message())))
            }
        };
    }
    parse::parse(&file.text)
        .map(|body| ParsedFile {
            file: id,
            body,
            remap: None,
        })
        .map_err(|e| {
            Box::new(syntax_error(
                sources,
                id,
                e.location().offset(),
                e.message(),
            ))
        })
}

/// An HCL `syntax-error` at a byte offset of a file.
pub(crate) fn syntax_error(
    sources: &SourceMap,
    id: FileId,
    at: usize,
    message: &str,
) -> Diagnostic {
    crate::frontend::syntax_error_at(
        sources,
        id,
        at,
        format!("HCL syntax error: {message}"),
        "fix the syntax (`terraform validate` checks it too)",
    )
}
