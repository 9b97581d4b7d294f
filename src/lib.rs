//! peerlint: a linter for Azure virtual-network peering.
//!
//! The pipeline runs one way: [`frontend::discover`] finds the files, the frontends
//! lower them into one [`ir::Model`] of VNets and peerings (linking the references between
//! them), the [`rules`] read the model and report [`diagnostic::Diagnostic`]s, and
//! [`report`] renders them. Everything after discovery works on files held in memory
//! ([`frontend::InputFile`]), so an editor can lint unsaved buffers through [`lint`].

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod frontend;
pub mod ir;
pub mod report;
pub mod resource_id;
pub mod rules;
pub mod source;

use config::Config;
use diagnostic::{Diagnostic, Severity};
use frontend::{InputFile, LoadOptions};
use ir::Model;
use rules::Level;
use source::SourceMap;
use std::path::{Path, PathBuf};

/// Stack size of the thread that loads and evaluates the input.
const LOAD_STACK: usize = 512 << 20;

/// The result of a run: the files, the model, and the diagnostics in report order.
pub struct Outcome {
    pub sources: SourceMap,
    pub model: Model,
    /// Sorted by file, offset, rule; levels applied; `off` rules removed.
    pub diagnostics: Vec<Diagnostic>,
    /// What the frontends could not follow (shown with `--verbose`).
    pub notes: Vec<String>,
    /// What the user should hear about even without `--verbose`.
    pub notices: Vec<String>,
    checked: Vec<bool>,
}

/// Counts for the summary line and the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub vnets: usize,
    pub peerings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Outcome {
    pub fn summary(&self) -> Summary {
        let count = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            files: self.checked.iter().filter(|c| **c).count(),
            vnets: self.model.vnets.len(),
            peerings: self.model.peerings.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        }
    }

    /// Whether any diagnostic is at or above `level`.
    pub fn fails(&self, level: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= level)
    }
}

/// Lints files held in memory. Paths are shown relative to `cwd` when under it.
pub fn lint(
    inputs: Vec<InputFile>,
    config: &Config,
    cwd: Option<&Path>,
    options: &LoadOptions<'_>,
) -> Outcome {
    // Evaluation recurses as deep as the code's references chain; a thread of its own
    // gives it room (the stack is reserved, not committed).
    let loaded = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("peerlint-load".into())
            .stack_size(LOAD_STACK)
            .spawn_scoped(scope, || frontend::load(inputs, cwd, options))
            .map(|handle| handle.join())
    });
    let loaded = match loaded {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => panic!("cannot start a thread: {e}"),
    };
    let enabled = |id: &str| config.level(id) != Level::Off;
    let checked = &loaded.checked;
    // Levels applied, `off` rules removed, and only what touches a checked file.
    let keep = |diagnostics: &mut Vec<Diagnostic>| {
        diagnostics.retain_mut(|d| match config.level(d.rule).severity() {
            Some(severity) => {
                d.severity = severity;
                std::iter::once(&d.primary)
                    .chain(&d.related)
                    .any(|l| checked[l.span.file.0 as usize])
            }
            None => false,
        });
    };
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(rules::run(&loaded.model, &config.options, enabled));
    keep(&mut diagnostics);
    let mut notices = loaded.notices;
    if let Some(notice) = held_back(&loaded.model, config, &diagnostics, keep) {
        notices.push(notice);
    }
    let sources = loaded.sources;
    diagnostics.sort_by_cached_key(|d| {
        (
            sources.get(d.primary.span.file).display.clone(),
            d.primary.span.start,
            d.rule,
            d.primary.span.end,
            d.message.clone(),
        )
    });
    diagnostics.dedup();
    Outcome {
        sources,
        model: loaded.model,
        diagnostics,
        notes: loaded.notes,
        notices,
        checked: loaded.checked,
    }
}

/// The rules that need to know that something is absent (a peering back, a gateway), and
/// stay silent when the model has gaps.
const GAP_RULES: [&str; 2] = ["missing-reverse-peering", "remote-gateway-missing"];

/// When gaps in the model silence findings, says how many: the rules run again as if
/// the model were complete, and what they would add is counted, not reported.
fn held_back(
    model: &Model,
    config: &Config,
    reported: &[Diagnostic],
    keep: impl Fn(&mut Vec<Diagnostic>),
) -> Option<String> {
    if model.gaps == ir::Gaps::default() {
        return None;
    }
    let enabled = |id: &str| GAP_RULES.contains(&id) && config.level(id) != Level::Off;
    let mut whole = model.clone();
    whole.gaps = ir::Gaps::default();
    let mut would = rules::run(&whole, &config.options, enabled);
    keep(&mut would);
    let count = |ds: &[Diagnostic], rule: &str| ds.iter().filter(|d| d.rule == rule).count();
    let mut total = 0;
    let held: Vec<String> = GAP_RULES
        .iter()
        .filter_map(|rule| {
            let n = count(&would, rule).saturating_sub(count(reported, rule));
            total += n;
            (n > 0).then(|| format!("{n} {rule}"))
        })
        .collect();
    if held.is_empty() {
        return None;
    }
    Some(format!(
        "{} finding{} held back: the checked code has parts peerlint could not expand or follow (a module not installed, a count or for_each not known before apply, a linked template; see --verbose), which may declare the missing peering or gateway",
        held.join(" and "),
        if total == 1 { "" } else { "s" }
    ))
}

/// Discovers, reads and lints the files under `paths`; `--var-file` files given in
/// the `--var-file` files in `options` are read too. Files the checked code calls as modules are read
/// through `options.files`.
pub fn check_paths(
    paths: &[PathBuf],
    config: &Config,
    cwd: Option<&Path>,
    options: &LoadOptions<'_>,
) -> Result<Outcome, frontend::DiscoverError> {
    let mut files = frontend::discover(paths)?;
    for var_file in options.var_files() {
        if !var_file.is_file() {
            return Err(frontend::DiscoverError {
                path: var_file.display().to_string(),
                reason: "no such variables file".to_string(),
            });
        }
        files.push((var_file.to_path_buf(), true));
    }
    // The sources of a plan are checked with it.
    for dir in &options.plan_sources {
        if !dir.is_dir() {
            return Err(frontend::DiscoverError {
                path: dir.display().to_string(),
                reason: "no such folder (--source names the Terraform root module of a plan)"
                    .to_string(),
            });
        }
        // Its Terraform files only: a plan kept in that folder is not another plan to lint.
        files.extend(
            frontend::discover(std::slice::from_ref(dir))?
                .into_iter()
                .filter(|(p, _)| frontend::is_terraform(p)),
        );
    }
    for inventory in &options.inventory {
        if !inventory.is_file() {
            return Err(frontend::DiscoverError {
                path: inventory.display().to_string(),
                reason: "no such inventory file".to_string(),
            });
        }
        files.push((inventory.to_path_buf(), false));
    }
    for params in &options.arm.parameters {
        if !params.is_file() {
            return Err(frontend::DiscoverError {
                path: params.display().to_string(),
                reason: "no such parameter file".to_string(),
            });
        }
        files.push((params.to_path_buf(), false));
    }
    Ok(lint(frontend::read(files), config, cwd, options))
}
