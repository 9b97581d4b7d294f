//! The Terraform frontend: `.tf` files → modules → evaluated values → the peering model.

mod azapi;
mod azurerm;
mod eval;
mod functions;
mod lower;
mod module;
mod parse;
mod refs;
mod types;
mod value;

use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Span};
use crate::rules::input::SYNTAX_ERROR;
use crate::source::{FileId, SourceMap};
use module::{Module, ParsedFile};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::PathBuf;

/// Parses the `.tf` files (in parallel), groups them into modules by folder, evaluates
/// each module and lowers its resources into `model`. `json_files` (`.tf.json`) are not
/// read yet; their modules are incomplete, so references into them are not reported.
pub(crate) fn lower(
    sources: &SourceMap,
    files: &[FileId],
    json_files: &[FileId],
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    let parsed: Vec<Result<ParsedFile, Box<Diagnostic>>> =
        files.par_iter().map(|&id| parse(sources, id)).collect();
    let dir_of = |id: FileId| {
        let path = &sources.get(id).path;
        path.parent().map(PathBuf::from).unwrap_or_default()
    };
    let mut modules: BTreeMap<PathBuf, Vec<&ParsedFile>> = BTreeMap::new();
    // Modules with a file that does not parse (or is not read): their declarations are
    // incomplete.
    let mut broken: Vec<PathBuf> = json_files.iter().map(|&id| dir_of(id)).collect();
    for (p, &id) in parsed.iter().zip(files) {
        match p {
            Ok(file) => modules.entry(dir_of(id)).or_default().push(file),
            Err(d) => {
                diags.push((**d).clone());
                broken.push(dir_of(id));
            }
        }
    }
    for (dir, files) in modules {
        let complete = !broken.contains(&dir);
        let module = Module::build(dir, &files);
        let bodies: Vec<(FileId, &hcl::edit::structure::Body)> =
            files.iter().map(|f| (f.file, &f.body)).collect();
        if complete {
            // A reference to something declared in the broken file is not undefined.
            refs::check(&module, &bodies, diags);
        }
        let ev = eval::Evaluator::new(&module, HashMap::new(), model.symbols.len() as u32);
        lower::lower_module(&ev, model, diags);
        model.symbols.extend(ev.symbols());
    }
}

fn parse(sources: &SourceMap, id: FileId) -> Result<ParsedFile, Box<Diagnostic>> {
    let text = &sources.get(id).text;
    match parse::parse(text) {
        Ok(body) => Ok(ParsedFile { file: id, body }),
        Err(e) => {
            let at = e.location().offset();
            let end = text
                .get(at..)
                .and_then(|r| r.chars().next())
                .map_or(at, |c| at + c.len_utf8());
            Err(Box::new(
                Diagnostic::new(
                    SYNTAX_ERROR,
                    format!("HCL syntax error: {}", e.message()),
                    Label::new(Span::new(id, at..end), "here"),
                )
                .with_note("peerlint checks the rest of the estate without this file.")
                .with_help("fix the syntax; `terraform validate` shows the same error"),
            ))
        }
    }
}
