//! Frontends: find the files to lint, decode them, lower each kind into one
//! [`Model`], and link the references between them.
//!
//! Everything after discovery works on files held in memory, so that an editor can lint
//! unsaved buffers through the same code as the command line.

pub mod arm;
pub(crate) mod convert;
mod inventory;
pub(crate) mod json;
mod link;
mod plan;
pub(crate) mod suggest;
pub mod terraform;
pub(crate) mod value;

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
    /// What the frontends could not follow (a module that is not installed, …), for
    /// `--verbose`.
    pub notes: Vec<String>,
    /// What the user should hear about even without `--verbose` (files peerlint does not
    /// read, …).
    pub notices: Vec<String>,
}

/// Which frontend reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Terraform,
    /// Terraform's JSON syntax.
    TerraformJson,
    /// Any other JSON: an ARM template, a parameter file, or something peerlint skips.
    Json,
    /// Bicep source: not read (it must be compiled to JSON first).
    Bicep,
    /// Variable values Terraform reads by itself from a root module's folder
    /// (`terraform.tfvars`, `*.auto.tfvars`, and their `.json` forms).
    TfVars,
}

pub(crate) fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf") {
        Some(Kind::Terraform)
    } else if name.ends_with(".tf.json") {
        Some(Kind::TerraformJson)
    } else if matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
    {
        Some(Kind::TfVars)
    } else if name.ends_with(".tfvars.json") {
        None
    } else if name.ends_with(".json") {
        Some(Kind::Json)
    } else if name.ends_with(".bicep") {
        Some(Kind::Bicep)
    } else {
        None
    }
}

/// Whether a file is one of a Terraform module's (`.tf`, `.tf.json`, automatic tfvars).
pub(crate) fn is_terraform(path: &Path) -> bool {
    matches!(
        kind_of(path),
        Some(Kind::Terraform | Kind::TerraformJson | Kind::TfVars)
    )
}

/// Where the frontends read files the checked paths do not include: the folders of
/// modules that checked code calls, and `.terraform/modules/modules.json`. The command
/// line reads them from disk; an editor may answer from its buffers.
pub trait FileSource: Sync {
    /// The Terraform files (`*.tf`, `*.tf.json`) directly in `dir`.
    fn folder(&self, dir: &Path) -> Vec<InputFile>;
    /// One file's bytes, if it exists.
    fn file(&self, path: &Path) -> Option<Vec<u8>>;
}

/// Reads from disk.
pub struct Disk;

impl FileSource for Disk {
    fn folder(&self, dir: &Path) -> Vec<InputFile> {
        let listing = if dir.as_os_str().is_empty() {
            std::fs::read_dir(".")
        } else {
            std::fs::read_dir(dir)
        };
        let mut files: Vec<PathBuf> = listing
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| dir.join(e.file_name()))
            .filter(|p| {
                let hidden = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(ignored_name);
                !hidden
                    && p.is_file()
                    && matches!(kind_of(p), Some(Kind::Terraform | Kind::TerraformJson))
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|path| InputFile {
                content: std::fs::read(&path).map_err(|e| io_reason(&e)),
                path,
                checked: false,
            })
            .collect()
    }

    fn file(&self, path: &Path) -> Option<Vec<u8>> {
        std::fs::read(path).ok()
    }
}

/// Nothing beyond the files given.
pub struct NoFiles;

impl FileSource for NoFiles {
    fn folder(&self, _: &Path) -> Vec<InputFile> {
        Vec::new()
    }

    fn file(&self, _: &Path) -> Option<Vec<u8>> {
        None
    }
}

/// A variable value given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// `--var NAME=VALUE`.
    Var(String, String),
    /// `--var-file FILE` (its contents are among the inputs).
    VarFile(PathBuf),
}

/// How a run reads what the checked files do not say.
pub struct LoadOptions<'a> {
    pub files: &'a dyn FileSource,
    /// `--var` and `--var-file`, in command-line order: later ones win.
    pub settings: Vec<Setting>,
    /// `TF_VAR_name` environment variables, as `(name, value)`.
    pub env_vars: Vec<(String, String)>,
    /// For ARM templates.
    pub arm: arm::ArmOptions,
    /// `--source DIR`: the Terraform root module the checked plans were made from.
    pub plan_sources: Vec<PathBuf>,
    /// `--inventory FILE`: what Azure already has.
    pub inventory: Vec<PathBuf>,
}

impl LoadOptions<'_> {
    /// The `--var-file` files, in order.
    pub fn var_files(&self) -> impl Iterator<Item = &Path> {
        self.settings.iter().filter_map(|s| match s {
            Setting::VarFile(p) => Some(p.as_path()),
            Setting::Var(..) => None,
        })
    }
}

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        LoadOptions {
            files: &NoFiles,
            settings: Vec::new(),
            env_vars: Vec::new(),
            arm: arm::ArmOptions::default(),
            plan_sources: Vec::new(),
            inventory: Vec::new(),
        }
    }
}

/// The files of a run as the frontends build it up: what was given, then what they ask
/// for (module folders), all decoded into one [`SourceMap`].
pub(crate) struct Workspace<'a> {
    pub sources: SourceMap,
    pub checked: Vec<bool>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
    pub notices: Vec<String>,
    /// The model objects each Terraform root module produced, by its folder (for plans
    /// of that root).
    pub terraform_roots: Vec<(PathBuf, Objects)>,
    /// The variable values of the one plan made from a root module, by its folder.
    pub plan_inputs: std::collections::HashMap<PathBuf, Vec<(String, value::Value)>>,
    /// The peerings plans destroy, as (resource group, VNet, peering) in lowercase: an
    /// inventory that still lists them does not bring them back.
    pub destroyed_peerings: std::collections::HashSet<(String, String, String)>,
    files: &'a dyn FileSource,
    cwd: Option<PathBuf>,
    known: std::collections::HashSet<PathBuf>,
}

impl Workspace<'_> {
    /// Decodes and adds a file; `None` (with a diagnostic) when it cannot be read or is
    /// not UTF-8, or when it was added before.
    pub(crate) fn add(&mut self, input: InputFile) -> Option<FileId> {
        let path = normalize(&input.path);
        if !self.known.insert(path.clone()) {
            return None;
        }
        let display = display_path(&path, self.cwd.as_deref());
        let bytes = match input.content {
            Ok(bytes) => bytes,
            Err(reason) => {
                let id = self.sources.add(SourceFile::new(path, display, ""));
                self.checked.push(input.checked);
                self.diagnostics.push(Diagnostic::new(
                    SYNTAX_ERROR,
                    format!("cannot read file: {reason}"),
                    Label::new(Span::new(id, 0..0), "unreadable"),
                ));
                return None;
            }
        };
        if is_binary_plan(&bytes) {
            let id = self.sources.add(SourceFile::new(path, display, ""));
            self.checked.push(input.checked);
            let name = self.sources.get(id).display.clone();
            self.diagnostics.push(
                Diagnostic::new(
                    SYNTAX_ERROR,
                    "a binary Terraform plan: peerlint reads plans as JSON",
                    Label::new(Span::new(id, 0..0), "binary plan"),
                )
                .with_help(format!(
                    "convert it with `terraform show -json {name} > {name}.json`, and check the JSON"
                )),
            );
            return None;
        }
        let json = kind_of(&path) == Some(Kind::Json);
        // Windows PowerShell writes UTF-16 by default, and Azure's tools read it.
        let bytes = match json.then(|| utf16(&bytes)).flatten() {
            Some(text) => text.into_bytes(),
            None => bytes,
        };
        let (file, invalid_at) = SourceFile::decode(path, display, &bytes);
        let id = self.sources.add(file);
        self.checked.push(input.checked);
        if let Some(at) = invalid_at {
            // JSON that does not say it is ARM's is not peerlint's to judge.
            let arm = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            if json && !arm(b"deploymentTemplate.json") && !arm(b"deploymentParameters.json") {
                self.checked[id.0 as usize] = false;
                return None;
            }
            let byte = bytes
                .get(at as usize + if self.sources.get(id).bom { 3 } else { 0 })
                .copied()
                .unwrap_or(0);
            self.diagnostics.push(
                Diagnostic::new(
                    SYNTAX_ERROR,
                    format!("file is not valid UTF-8 (byte 0x{byte:02X})"),
                    Label::new(Span::new(id, at as usize..at as usize + 1), "invalid UTF-8"),
                )
                .with_help("save the file as UTF-8; Terraform reads UTF-8 only"),
            );
            return None;
        }
        Some(id)
    }

    /// Adds the Terraform files of a module folder that checked code calls. Findings in
    /// them are reported: they follow from the caller's values.
    pub(crate) fn load_folder(&mut self, dir: &Path) -> Vec<FileId> {
        let inputs = self.files.folder(dir);
        inputs
            .into_iter()
            .filter_map(|i| self.add(InputFile { checked: true, ..i }))
            .collect()
    }

    /// Adds one more file (as context), if it exists.
    pub(crate) fn load_file(&mut self, path: &Path) -> Option<FileId> {
        if self.known.contains(&normalize(path)) {
            return None;
        }
        let bytes = self.files.file(path)?;
        self.add(InputFile {
            path: path.to_path_buf(),
            content: Ok(bytes),
            checked: false,
        })
    }
}

/// The text of a UTF-16 file that starts with a byte-order mark (little or big endian).
fn utf16(bytes: &[u8]) -> Option<String> {
    let (little, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks(2).map(|c| match (c, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Whether bytes are a binary plan (`terraform plan -out`): a zip archive holding `tfplan`.
fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && bytes[..bytes.len().min(4096)]
            .windows(6)
            .any(|w| w == b"tfplan")
}

/// Whether a file on disk is a binary plan.
fn file_is_binary_plan(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok_and(|_| is_binary_plan(&head))
}

/// Ranges of the model's objects, in the order they were added.
#[derive(Debug, Clone, Default)]
pub(crate) struct Objects {
    pub vnets: std::ops::Range<usize>,
    pub subnets: std::ops::Range<usize>,
    pub gateways: std::ops::Range<usize>,
    pub peerings: std::ops::Range<usize>,
}

impl Objects {
    /// The objects added to `model` since `start` was taken.
    pub(crate) fn since(start: &Objects, model: &Model) -> Objects {
        Objects {
            vnets: start.vnets.end..model.vnets.len(),
            subnets: start.subnets.end..model.subnets.len(),
            gateways: start.gateways.end..model.gateways.len(),
            peerings: start.peerings.end..model.peerings.len(),
        }
    }

    /// Marks the peerings among these objects as one variant of the estate (see
    /// [`crate::ir::Peering::variant`]).
    pub(crate) fn make_variant(&self, model: &mut Model) {
        let variant = model.new_variant();
        for p in &mut model.peerings[self.peerings.clone()] {
            p.variant = Some(variant);
        }
    }

    /// An empty range at the end of each of the model's lists.
    pub(crate) fn end_of(model: &Model) -> Objects {
        Objects {
            vnets: model.vnets.len()..model.vnets.len(),
            subnets: model.subnets.len()..model.subnets.len(),
            gateways: model.gateways.len()..model.gateways.len(),
            peerings: model.peerings.len()..model.peerings.len(),
        }
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
                    e.depth() == 0
                        || !e.file_name().to_str().is_some_and(|n| {
                            ignored_name(n) || (n == "node_modules" && e.file_type().is_dir())
                        })
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
            if kind_of(root).is_none() && !file_is_binary_plan(root) {
                return Err(DiscoverError {
                    path: root.display().to_string(),
                    reason: "not a file peerlint reads (Terraform `.tf`, `.tf.json`, `.tfvars`; a plan as JSON; ARM template `.json`)".to_string(),
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

/// `path` with `.` and `name/..` components resolved lexically, so that `./main.tf` and
/// `main.tf` are one file (and a module source `../x` names one folder).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// A `syntax-error` at a byte offset of a file, one character wide.
pub(crate) fn syntax_error_at(
    sources: &SourceMap,
    id: FileId,
    at: usize,
    message: String,
    help: &str,
) -> Diagnostic {
    let text = &sources.get(id).text;
    let at = at.min(text.len());
    let end = text
        .get(at..)
        .and_then(|r| r.chars().next())
        .map_or(at, |c| at + c.len_utf8());
    Diagnostic::new(
        SYNTAX_ERROR,
        message,
        Label::new(Span::new(id, at..end), "here"),
    )
    .with_note("peerlint checks the rest of the estate without this file.")
    .with_help(help)
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
pub fn load(mut inputs: Vec<InputFile>, cwd: Option<&Path>, options: &LoadOptions<'_>) -> Loaded {
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut ws = Workspace {
        sources: SourceMap::new(),
        checked: Vec::new(),
        diagnostics: Vec::new(),
        notes: Vec::new(),
        notices: Vec::new(),
        terraform_roots: Vec::new(),
        plan_inputs: Default::default(),
        destroyed_peerings: Default::default(),
        files: options.files,
        cwd: cwd.map(Path::to_path_buf),
        known: Default::default(),
    };
    let mut terraform = terraform::Files::default();
    let mut json = Vec::new();
    let mut bicep = 0usize;
    for input in inputs {
        let kind = kind_of(&input.path);
        let explicit_vars = options
            .var_files()
            .any(|v| normalize(v) == normalize(&input.path));
        let inventory = options
            .inventory
            .iter()
            .any(|v| normalize(v) == normalize(&input.path));
        let Some(id) = ws.add(input) else {
            continue;
        };
        match kind {
            _ if explicit_vars => terraform.var_files.push(id),
            _ if inventory => json.push(id),
            Some(Kind::Terraform | Kind::TerraformJson) => terraform.tf.push(id),
            Some(Kind::TfVars) => terraform.auto_vars.push(id),
            Some(Kind::Json) => json.push(id),
            Some(Kind::Bicep) => {
                // Not read, so not counted as checked.
                bicep += 1;
                ws.checked[id.0 as usize] = false;
            }
            None => {}
        }
    }
    let mut model = Model::default();
    // JSON: plans, ARM templates and parameter files, or something peerlint skips.
    let mut plans = Vec::new();
    let mut others = Vec::new();
    let mut inventories = Vec::new();
    for id in json {
        let text = ws.sources.get(id).text.clone();
        let path = normalize(&ws.sources.get(id).path);
        if options.inventory.iter().any(|p| normalize(p) == path) {
            match self::json::parse(&text) {
                // Context, not checked, even when it lies in a checked folder.
                Ok(doc) => {
                    ws.checked[id.0 as usize] = false;
                    inventories.push((id, doc));
                }
                // An inventory is context, but one that cannot be read must be said.
                Err((at, message)) => {
                    ws.checked[id.0 as usize] = true;
                    let d = arm::json_error(&ws, id, at, &message)
                        .with_help("export it again (`az network vnet list -o json > vnets.json`)");
                    ws.diagnostics.push(d);
                }
            }
            continue;
        }
        match self::json::parse(&text) {
            Ok(doc) if plan::is_plan(&doc) => plans.push((id, doc)),
            Ok(doc) => others.push((id, doc)),
            // Only a file that says it is a template, parameter file or plan is reported.
            Err((at, message)) => {
                let lower = text.to_ascii_lowercase();
                let says = lower.contains("deploymenttemplate.json")
                    || lower.contains("deploymentparameters.json")
                    || (lower.contains("\"format_version\"")
                        && (lower.contains("\"planned_values\"")
                            || lower.contains("\"resource_changes\"")));
                if says {
                    let d = arm::json_error(&ws, id, at, &message);
                    ws.diagnostics.push(d);
                } else {
                    ws.checked[id.0 as usize] = false;
                }
            }
        }
    }
    // A plan beside its sources: the root module is evaluated with the plan's variables,
    // and a checked plan's sources are checked with it (findings point at them).
    ws.plan_inputs = plan::root_inputs(&ws, &plans, options);
    for (id, _) in &plans {
        if !ws.checked[id.0 as usize] {
            continue;
        }
        let dirs = plan::source_dirs(&ws, *id, options);
        for tf in &terraform.tf {
            let dir = normalize(ws.sources.get(*tf).path.parent().unwrap_or(Path::new("")));
            if dirs.contains(&dir) {
                ws.checked[tf.0 as usize] = true;
            }
        }
    }
    terraform::lower(&mut ws, terraform, options, &mut model);
    plan::lower(&mut ws, &plans, options, &mut model);
    let compiled_bicep = arm::lower(&mut ws, others, options, &mut model);
    // Said once, unless the run has Bicep's output too (the sources sit beside it).
    if bicep > 0 && !compiled_bicep {
        ws.notices.push(format!(
            "{bicep} .bicep file{} not read: compile Bicep to JSON first (`az bicep build --file main.bicep`, or `bicep build main.bicep`) and check the JSON",
            if bicep == 1 { " is" } else { "s are" }
        ));
    }
    inventory::apply(&mut ws, &inventories, &mut model);
    link::link(&mut model);
    Loaded {
        sources: ws.sources,
        model,
        diagnostics: ws.diagnostics,
        checked: ws.checked,
        notes: ws.notes,
        notices: ws.notices,
    }
}
