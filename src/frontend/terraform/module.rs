//! One Terraform module: the parsed files of one folder, indexed by address.

use crate::ir::Span;
use crate::source::FileId;
use hcl::edit::Span as _;
use hcl::edit::structure::{Attribute, Block, Body};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A parsed `.tf` (or `.tf.json`) file.
pub(crate) struct ParsedFile {
    pub file: FileId,
    pub body: Body,
    /// For `.tf.json`: the body was parsed from rewritten text; this maps its spans back.
    pub remap: Option<super::tfjson::Remap>,
}

/// Whether a resource block is `resource` or `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Mode {
    Managed,
    Data,
}

/// A block and the file it is in.
#[derive(Clone, Copy)]
pub(crate) struct Decl<'a> {
    pub file: FileId,
    pub block: &'a Block,
}

impl<'a> Decl<'a> {
    pub(crate) fn attr(&self, name: &str) -> Option<&'a Attribute> {
        self.block.body.get_attribute(name)
    }

    /// The block's header (`resource "type" "name"`), where findings about the block as a
    /// whole point.
    pub(crate) fn header_span(&self) -> Span {
        header_span(self.file, self.block)
    }
}

/// The span of a block's identifier and labels.
pub(crate) fn header_span(file: FileId, block: &Block) -> Span {
    let start = block.ident.span().map_or(0, |s| s.start);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| block.ident.span())
        .map_or(start, |s| s.end);
    Span::new(file, start..end)
}

/// A `resource` or `data` block.
#[derive(Clone, Copy)]
pub(crate) struct ResourceDecl<'a> {
    pub mode: Mode,
    pub ty: &'a str,
    pub name: &'a str,
    pub decl: Decl<'a>,
}

impl ResourceDecl<'_> {
    /// The address users know it by: `azurerm_virtual_network.hub`,
    /// `data.azurerm_virtual_network.hub`.
    pub(crate) fn address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.ty, self.name),
            Mode::Data => format!("data.{}.{}", self.ty, self.name),
        }
    }
}

/// The declarations of one module, by address. Maps are ordered so that everything
/// derived from them is deterministic.
pub(crate) struct Module<'a> {
    pub dir: PathBuf,
    pub variables: BTreeMap<&'a str, Decl<'a>>,
    pub locals: BTreeMap<&'a str, (FileId, &'a Attribute)>,
    /// In file order, then block order.
    pub resources: Vec<ResourceDecl<'a>>,
    resource_index: HashMap<(Mode, &'a str, &'a str), usize>,
    pub providers: Vec<Decl<'a>>,
    pub module_calls: BTreeMap<&'a str, Decl<'a>>,
    pub outputs: BTreeMap<&'a str, Decl<'a>>,
}

impl<'a> Module<'a> {
    /// Indexes the files of one folder (given in path order). A second declaration of the
    /// same address is ignored: Terraform rejects it anyway.
    /// A module without files (to evaluate constant expressions, such as tfvars).
    pub(crate) fn empty() -> Module<'static> {
        Module::build(PathBuf::new(), &[])
    }

    pub(crate) fn build(dir: PathBuf, files: &[&'a ParsedFile]) -> Module<'a> {
        let mut m = Module {
            dir,
            variables: BTreeMap::new(),
            locals: BTreeMap::new(),
            resources: Vec::new(),
            resource_index: HashMap::new(),
            providers: Vec::new(),
            module_calls: BTreeMap::new(),
            outputs: BTreeMap::new(),
        };
        for parsed in files {
            for block in parsed.body.blocks() {
                let decl = Decl {
                    file: parsed.file,
                    block,
                };
                let labels: Vec<&'a str> = block.labels.iter().map(|l| l.as_str()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        m.variables.entry(name).or_insert(decl);
                    }
                    ("locals", []) => {
                        for attr in block.body.attributes() {
                            m.locals
                                .entry(attr.key.as_str())
                                .or_insert((parsed.file, attr));
                        }
                    }
                    ("resource", [ty, name]) => m.add_resource(Mode::Managed, ty, name, decl),
                    ("data", [ty, name]) => m.add_resource(Mode::Data, ty, name, decl),
                    ("provider", [_]) => m.providers.push(decl),
                    ("module", [name]) => {
                        m.module_calls.entry(name).or_insert(decl);
                    }
                    ("output", [name]) => {
                        m.outputs.entry(name).or_insert(decl);
                    }
                    // A `check` block may declare data sources of its own.
                    ("check", [_]) => {
                        for inner in block.body.get_blocks("data") {
                            if let [ty, name] = inner.labels.as_slice() {
                                let decl = Decl {
                                    file: parsed.file,
                                    block: inner,
                                };
                                m.add_resource(Mode::Data, ty.as_str(), name.as_str(), decl);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        m
    }

    fn add_resource(&mut self, mode: Mode, ty: &'a str, name: &'a str, decl: Decl<'a>) {
        if self.resource_index.contains_key(&(mode, ty, name)) {
            return;
        }
        self.resource_index
            .insert((mode, ty, name), self.resources.len());
        self.resources.push(ResourceDecl {
            mode,
            ty,
            name,
            decl,
        });
    }

    pub(crate) fn resource(&self, mode: Mode, ty: &str, name: &str) -> Option<&ResourceDecl<'a>> {
        self.resource_index
            .get(&(mode, ty, name))
            .map(|&i| &self.resources[i])
    }
}

/// `dir` with `.` and `name/..` components resolved, lexically (as Terraform resolves a
/// local module source).
pub(crate) fn normalize_dir(dir: &Path) -> PathBuf {
    crate::frontend::normalize(dir)
}

/// Every module of a run, by folder, and the modules `terraform init` installed for
/// each root folder.
#[derive(Default)]
pub(crate) struct Modules<'a> {
    by_dir: BTreeMap<PathBuf, Module<'a>>,
    /// Per root folder: the `modules.json` key of each installed call (`spoke`,
    /// `spoke.peering`) and the folder it was installed in.
    installed: HashMap<PathBuf, HashMap<String, PathBuf>>,
}

impl<'a> Modules<'a> {
    pub(crate) fn insert(&mut self, module: Module<'a>) {
        self.by_dir.insert(module.dir.clone(), module);
    }

    pub(crate) fn set_installed(&mut self, root: PathBuf, keys: HashMap<String, PathBuf>) {
        self.installed.insert(root, keys);
    }

    pub(crate) fn get(&self, dir: &Path) -> Option<&Module<'a>> {
        self.by_dir.get(dir)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Module<'a>> {
        self.by_dir.values()
    }

    /// The installed module a call path (`spoke.peering`) of `root` resolves to.
    pub(crate) fn installed(&self, root: &Path, key: &str) -> Option<&Module<'a>> {
        self.by_dir.get(self.installed.get(root)?.get(key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_normalize_lexically() {
        assert_eq!(
            normalize_dir(Path::new("envs/prod/../../modules/spoke")),
            Path::new("modules/spoke")
        );
        assert_eq!(normalize_dir(Path::new("./spoke")), Path::new("spoke"));
        assert_eq!(normalize_dir(Path::new("../x/./y")), Path::new("../x/y"));
        assert_eq!(normalize_dir(Path::new("/a/../b")), Path::new("/b"));
    }
}
