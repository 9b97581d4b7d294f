//! Frontends: find the files to lint, decode them, lower each kind into one
//! [`Model`], and link the references between them.
//!
//! Everything after discovery works on files held in memory, so that an editor can lint
//! unsaved buffers through the same code as the command line.

mod link;
pub mod terraform;

use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{Model, Span};
use crate::rules::input::SYNTAX_ERROR;
use crate::source::{FileId, SourceFile, SourceMap, display_path};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file to lint, held in memory.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The file's bytes, or why it could not be read.
    pub content: Result<Vec<u8>, String>,
    /// False for files loaded only as context (the other files of a module when a single
    /// file is checked): findings are reported only where they touch a checked file.
    pub checked: bool,
}

/// What the frontends made of the input.
pub struct Loaded {
    pub sources: SourceMap,
    pub model: Model,
    /// Diagnostics about the input itself (syntax errors, undefined references, …).
    pub diagnostics: Vec<Diagnostic>,
    /// Per file, whether it is checked (see [`InputFile::checked`]).
    pub checked: Vec<bool>,
}

/// Which frontend reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Terraform,
    /// Terraform's JSON syntax: not read yet, but part of its module.
    TerraformJson,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf") {
        Some(Kind::Terraform)
    } else if name.ends_with(".tf.json") {
        Some(Kind::TerraformJson)
    } else {
        None
    }
}

/// Whether a file or folder name is one Terraform (and peerlint) ignores: hidden names,
/// editor backups and lock files.
fn ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// A path given on the command line that does not exist or cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct DiscoverError {
    pub path: String,
    pub reason: String,
}

/// The files to lint under `paths`: folders are walked (skipping hidden folders such as
/// `.terraform/` and `.git/`); a file is checked together with the other files of its
/// module, which are loaded as context. Sorted by path, without duplicates.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, DiscoverError> {
    let mut found: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| DiscoverError {
            path: root.display().to_string(),
            reason: io_reason(&e),
        })?;
        if meta.is_dir() {
            let walk = walkdir::WalkDir::new(root)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_str().is_some_and(ignored_name)
                });
            for entry in walk {
                let Ok(entry) = entry else {
                    // An unreadable folder below a root: skipped like a hidden one.
                    continue;
                };
                // A symlink to a file counts as the file (Terraform reads it); folders
                // behind symlinks are not walked.
                let is_file = entry.file_type().is_file()
                    || (entry.path_is_symlink() && entry.path().is_file());
                if is_file && kind_of(entry.path()).is_some() {
                    found.insert(normalize(entry.path()), true);
                }
            }
        } else {
            if kind_of(root).is_none() {
                return Err(DiscoverError {
                    path: root.display().to_string(),
                    reason: "not a file peerlint reads (Terraform `.tf`)".to_string(),
                });
            }
            found.insert(normalize(root), true);
            // The rest of the module, as context.
            let dir = root.parent().unwrap_or(Path::new(""));
            let listing = if dir.as_os_str().is_empty() {
                std::fs::read_dir(".")
            } else {
                std::fs::read_dir(dir)
            };
            for entry in listing.into_iter().flatten().flatten() {
                let sibling = dir.join(entry.file_name());
                let hidden = entry.file_name().to_str().is_some_and(ignored_name);
                if !hidden && sibling.is_file() && kind_of(&sibling).is_some() {
                    found.entry(normalize(&sibling)).or_insert(false);
                }
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// `path` without `.` components, so that `./main.tf` and `main.tf` are one file.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Reads discovered files from disk.
pub fn read(files: Vec<(PathBuf, bool)>) -> Vec<InputFile> {
    files
        .into_iter()
        .map(|(path, checked)| InputFile {
            content: std::fs::read(&path).map_err(|e| io_reason(&e)),
            path,
            checked,
        })
        .collect()
}

/// Decodes the files, runs each frontend over its files, and links the model. Paths are
/// shown relative to `cwd` when under it.
pub fn load(mut inputs: Vec<InputFile>, cwd: Option<&Path>) -> Loaded {
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut checked = Vec::new();
    let mut terraform_files: Vec<FileId> = Vec::new();
    let mut terraform_json: Vec<FileId> = Vec::new();
    for input in inputs {
        let display = display_path(&input.path, cwd);
        let bytes = match input.content {
            Ok(bytes) => bytes,
            Err(reason) => {
                let id = sources.add(SourceFile::new(input.path, display, ""));
                checked.push(input.checked);
                diagnostics.push(Diagnostic::new(
                    SYNTAX_ERROR,
                    format!("cannot read file: {reason}"),
                    Label::new(Span::new(id, 0..0), "unreadable"),
                ));
                continue;
            }
        };
        let (file, invalid_at) = SourceFile::decode(input.path, display, &bytes);
        let path = file.path.clone();
        let id = sources.add(file);
        checked.push(input.checked);
        if let Some(at) = invalid_at {
            let byte = bytes
                .get(at as usize + if sources.get(id).bom { 3 } else { 0 })
                .copied()
                .unwrap_or(0);
            diagnostics.push(
                Diagnostic::new(
                    SYNTAX_ERROR,
                    format!("file is not valid UTF-8 (byte 0x{byte:02X})"),
                    Label::new(Span::new(id, at as usize..at as usize + 1), "invalid UTF-8"),
                )
                .with_help("save the file as UTF-8; Terraform reads UTF-8 only"),
            );
            continue;
        }
        match kind_of(&path) {
            Some(Kind::Terraform) => terraform_files.push(id),
            Some(Kind::TerraformJson) => terraform_json.push(id),
            None => {}
        }
    }
    let mut model = Model::default();
    terraform::lower(
        &sources,
        &terraform_files,
        &terraform_json,
        &mut model,
        &mut diagnostics,
    );
    link::link(&mut model);
    Loaded {
        sources,
        model,
        diagnostics,
        checked,
    }
}
