//! The command line: `peerlint check`, `peerlint rules`, `peerlint explain`.
//!
//! Glue only: parse arguments, call the library, write the report. Exit codes are decided
//! in `main.rs` from what [`run`] returns.

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::frontend::arm::ArmOptions;
use crate::frontend::{Disk, FileSource, LoadOptions, Setting};
use crate::report::{self, Format, RenderOptions};
use crate::rules;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Lints Azure virtual-network peering in Terraform and ARM templates before Azure rejects
/// it.
///
/// peerlint reads Terraform and ARM templates (Bicep's compiled output included), builds
/// one model of their VNets and peerings, and reports, at the exact place in the code, the
/// peerings that break Azure's peering rules: overlapping address spaces (between two peers
/// or two spokes of one hub), VNets in different regions (allowed with global peering
/// since 2018: turn that rule down in .peerlint.toml), classic VNets, gateway conflicts and
/// missing gateways, peerings without their way back, duplicates, the peering limit and
/// invalid address prefixes.
/// `peerlint rules` lists the rules, `peerlint explain <rule>` explains one.
///
/// Exit status: 0 when nothing at or above the --fail-on level was found, 1 when something
/// was, 2 when the run itself failed (bad arguments, a path that does not exist, an invalid
/// configuration file).
#[derive(Debug, Parser)]
#[command(name = "peerlint", version, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Use this configuration file instead of the nearest `.peerlint.toml`.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Terraform and ARM template files and folders for peering errors.
    ///
    /// Folders are walked recursively (hidden folders such as `.terraform/` and `.git/`, and
    /// `node_modules/`, are skipped). Terraform: every folder is a module, and every folder
    /// that no other checked folder calls is a root module, evaluated with its
    /// `terraform.tfvars`, `*.auto.tfvars`, `--var-file` and `--var` values; the module
    /// folders checked code calls are read too. ARM: every `.json` file whose `$schema` is
    /// a deployment template is linted, once per parameter file that pairs with it
    /// (`X.parameters.json`, `X.parameters.*.json`, or `--arm-parameters`); other JSON is
    /// skipped, and `.bicep` files must be compiled to JSON first. A plan (`terraform show
    /// -json`) is linted with its root module's sources when it lies in their folder (or
    /// `--source` names it), at their `.tf` lines. A single file is checked
    /// with the other files of its folder as context, and only findings that touch it (or
    /// the modules it calls) are reported.
    Check(CheckArgs),
    /// List every rule with its level and a summary.
    Rules,
    /// Print the documentation of a rule: what it checks, why, and how to fix it.
    Explain {
        /// A rule id, as `peerlint rules` lists them (e.g. `address-overlap`).
        rule: String,
    },
    /// Print the model peerlint builds (for debugging peerlint itself).
    #[command(hide = true)]
    DebugModel {
        #[arg(value_name = "PATH", default_value = ".")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        values: ValueArgs,
        /// Print counts only: VNets, peerings, and how far their references resolved.
        #[arg(long)]
        stats: bool,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with status 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// When to colour the human output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub values: ValueArgs,

    /// Also say, on standard error, what peerlint could not follow (a module that is not
    /// installed, a `for_each` too large to expand, a linked template it cannot read).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Variable values for the root modules, as Terraform takes them. Together with
/// `TF_VAR_name` environment variables and the `terraform.tfvars`/`*.auto.tfvars` files of
/// each root module, in Terraform's order of precedence.
#[derive(Debug, Args)]
pub struct ValueArgs {
    /// Set a root module variable, as `terraform plan -var` does (repeatable; a literal
    /// string for string, number and bool variables, an HCL value for the others).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// Read root module variables from a `.tfvars` or `.tfvars.json` file, as
    /// `terraform plan -var-file` does (repeatable; with `--var`, later ones win).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// `--var` and `--var-file` in command-line order (set by [`parse`]).
    #[arg(skip)]
    pub settings: Vec<Setting>,

    /// Lint ARM templates with this parameter file (repeatable): every template that
    /// declares all the parameters the file gives is linted once per such file, instead of
    /// with the `X.parameters.json` and `X.parameters.*.json` files beside `X.json`.
    #[arg(
        long = "arm-parameters",
        value_name = "FILE",
        help_heading = "ARM templates"
    )]
    pub arm_parameters: Vec<PathBuf>,

    /// The subscription id ARM templates are deployed to (what `subscription()` returns).
    /// Without it and `--resource-group`, each template is taken to be deployed on its own:
    /// a peering finds VNets by name in its own template only.
    #[arg(long, value_name = "ID", help_heading = "ARM templates")]
    pub subscription: Option<String>,

    /// The resource group ARM templates are deployed to (what `resourceGroup().name`
    /// returns).
    #[arg(long, value_name = "NAME", help_heading = "ARM templates")]
    pub resource_group: Option<String>,

    /// What Azure already has (repeatable): `az network vnet list -o json`, `az network vnet
    /// peering list -o json`, or REST resources (`az rest`, Resource Graph). Fills in the
    /// VNets the code reads or names by id, and adds the peerings that exist.
    #[arg(long, value_name = "FILE", help_heading = "Deployed estate")]
    pub inventory: Vec<PathBuf>,

    /// The Terraform root module a checked plan (`terraform show -json`) was made from, when
    /// it is not the plan's own folder: findings then point at its `.tf` lines.
    #[arg(long = "source", value_name = "DIR", help_heading = "Terraform plans")]
    pub plan_sources: Vec<PathBuf>,

    /// The location of that resource group (what `resourceGroup().location` returns; many
    /// templates default their VNets' location to it), and of deployments at subscription
    /// scope (what `deployment().location` returns).
    #[arg(long, value_name = "REGION", help_heading = "ARM templates")]
    pub location: Option<String>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, found \"{s}\"")),
    }
}

impl ValueArgs {
    /// The load options for these values, with `TF_VAR_…` read from the environment.
    fn options<'f>(&self, files: &'f dyn FileSource) -> LoadOptions<'f> {
        let env_vars = std::env::vars_os()
            .filter_map(|(k, v)| {
                let name = k.to_str()?.strip_prefix("TF_VAR_")?.to_string();
                Some((name, v.to_str()?.to_string()))
            })
            .collect();
        let settings = if self.settings.is_empty() {
            // Without the command line's order: files first, then values.
            self.var_files
                .iter()
                .cloned()
                .map(Setting::VarFile)
                .chain(self.vars.iter().cloned().map(|(n, v)| Setting::Var(n, v)))
                .collect()
        } else {
            self.settings.clone()
        };
        LoadOptions {
            files,
            settings,
            env_vars,
            arm: ArmOptions {
                parameters: self.arm_parameters.clone(),
                subscription: self.subscription.clone(),
                resource_group: self.resource_group.clone(),
                location: self.location.clone(),
            },
            plan_sources: self.plan_sources.clone(),
            inventory: self.inventory.clone(),
        }
    }
}

/// The lowest severity that makes `check` exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Note => Severity::Note,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses the process's command line, keeping the order of `--var` and `--var-file`
/// (Terraform applies them in order). Exits on bad arguments, as clap does.
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let values = match &mut cli.command {
        Command::Check(args) => Some(&mut args.values),
        Command::DebugModel { values, .. } => Some(values),
        _ => None,
    };
    if let (Some(values), Some((_, sub))) = (values, matches.subcommand()) {
        let mut ordered: Vec<(usize, Setting)> = Vec::new();
        if let Some(indices) = sub.indices_of("vars") {
            ordered.extend(
                indices
                    .zip(&values.vars)
                    .map(|(i, (n, v))| (i, Setting::Var(n.clone(), v.clone()))),
            );
        }
        if let Some(indices) = sub.indices_of("var_files") {
            ordered.extend(
                indices
                    .zip(&values.var_files)
                    .map(|(i, p)| (i, Setting::VarFile(p.clone()))),
            );
        }
        ordered.sort_by_key(|(i, _)| *i);
        values.settings = ordered.into_iter().map(|(_, s)| s).collect();
    }
    cli
}

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above the fail level.
    Clean,
    /// Findings at or above the fail level.
    Findings,
}

/// Runs a parsed command line, writing its output to `out`. An `Err` is a failed run,
/// with the message to print.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<Status, String> {
    let cwd = std::env::current_dir().ok();
    let config = match &cli.config {
        Some(path) => Config::load(path),
        None => match &cwd {
            Some(dir) => Config::discover(dir),
            None => Ok(Config::default()),
        },
    }
    .map_err(|e| format!("invalid configuration: {e}"))?;
    let io = |e: std::io::Error| format!("cannot write the output: {e}");
    match cli.command {
        Command::Check(args) => {
            let options = args.values.options(&Disk);
            let outcome = crate::check_paths(&args.paths, &config, cwd.as_deref(), &options)
                .map_err(|e| e.to_string())?;
            for notice in &outcome.notices {
                eprintln!("peerlint: {notice}");
            }
            if args.verbose {
                for note in &outcome.notes {
                    eprintln!("peerlint: note: {note}");
                }
            }
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            report::render(&outcome, args.format, RenderOptions { color }, out).map_err(io)?;
            Ok(if outcome.fails(args.fail_on.severity()) {
                Status::Findings
            } else {
                Status::Clean
            })
        }
        Command::Rules => {
            let width = rules::all().map(|m| m.id.len()).max().unwrap_or(0);
            for meta in rules::all() {
                writeln!(
                    out,
                    "{:width$}  {:7}  {}",
                    meta.id,
                    config.level(meta.id).as_str(),
                    meta.summary
                )
                .map_err(io)?;
            }
            Ok(Status::Clean)
        }
        Command::DebugModel {
            paths,
            values,
            stats,
        } => {
            let options = values.options(&Disk);
            let outcome = crate::check_paths(&paths, &config, cwd.as_deref(), &options)
                .map_err(|e| e.to_string())?;
            if stats {
                let m = &outcome.model;
                let count = |f: &dyn Fn(&crate::ir::Peering) -> bool| {
                    m.peerings.iter().filter(|p| f(p)).count()
                };
                writeln!(
                    out,
                    "vnets {}\npeerings {}\nlocal resolved {}\nremote resolved {}\nremote known but not declared {}\nremote unknown {}\nboth address spaces known {}",
                    m.vnets.len(),
                    m.peerings.len(),
                    count(&|p| p.local.resolved.is_some()),
                    count(&|p| p.remote.resolved.is_some()),
                    count(&|p| p.remote.resolved.is_none() && p.remote.target.known().is_some()),
                    count(&|p| p.remote.target.known().is_none()),
                    count(&|p| [p.local.resolved, p.remote.resolved].iter().all(|v| {
                        v.is_some_and(|v| {
                            let space = &m.vnet(v).address_space;
                            space.complete && space.nets().next().is_some()
                        })
                    })),
                )
                .map_err(io)?;
            } else {
                writeln!(out, "{:#?}", outcome.model).map_err(io)?;
            }
            Ok(Status::Clean)
        }
        Command::Explain { rule } => match rules::find(&rule) {
            Some(meta) => {
                write!(out, "{}", meta.doc).map_err(io)?;
                Ok(Status::Clean)
            }
            None => {
                let known: Vec<&str> = rules::all().map(|m| m.id).collect();
                Err(format!(
                    "unknown rule `{rule}`; the rules are: {}",
                    known.join(", ")
                ))
            }
        },
    }
}
