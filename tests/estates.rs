//! One estate written three ways in Terraform (resource by resource, with `for_each`, with
//! a local module called per spoke) gives the same findings, each named after its instance
//! and pointing into the file that declares it; and one estate written in Terraform, as a
//! hand-written ARM template, and as Bicep's compiled output gives the same findings too.

use peerlint::config::Config;
use peerlint::frontend::{Disk, LoadOptions};
use std::path::{Path, PathBuf};

/// `(rule, message with every backquoted name replaced by `_`)`.
type Shape = (String, String);
/// `(rule, file, the peering's name)`.
type Named = (String, String, String);

/// The findings of one style, both ways, sorted.
fn findings(style: &str) -> (Vec<Shape>, Vec<Named>) {
    findings_in(&PathBuf::from("tests/estates/three-ways").join(style))
}

fn findings_in(dir: &Path) -> (Vec<Shape>, Vec<Named>) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = dir.to_path_buf();
    let options = LoadOptions {
        files: &Disk,
        ..LoadOptions::default()
    };
    let outcome =
        peerlint::check_paths(&[dir], &Config::default(), Some(manifest), &options).unwrap();
    let mut shapes = Vec::new();
    let mut named = Vec::new();
    for d in &outcome.diagnostics {
        let mut shape = String::new();
        for (i, part) in d.message.split('`').enumerate() {
            shape.push_str(if i % 2 == 1 { "_" } else { part });
        }
        shapes.push((d.rule.to_string(), shape));
        let file = outcome.sources.get(d.primary.span.file).display.clone();
        let peering = d.message.split('`').nth(1).unwrap_or_default().to_string();
        named.push((d.rule.to_string(), file, peering));
    }
    shapes.sort();
    named.sort();
    (shapes, named)
}

#[test]
fn three_ways_give_the_same_findings() {
    let (plain, plain_named) = findings("plain");
    let (for_each, for_each_named) = findings("for-each");
    let (modules, modules_named) = findings("modules");
    let expected: Vec<(String, String)> = [
        ("address-overlap", "_ peers VNets whose address spaces overlap: 10.0.0.0/16 (_) overlaps 10.0.128.0/20 (_)"),
        ("address-overlap", "_ peers VNets whose address spaces overlap: 10.0.128.0/20 (_) overlaps 10.0.0.0/16 (_)"),
        ("cross-region", "_ peers VNets in different regions: _ is in northeurope, _ in westeurope"),
        ("cross-region", "_ peers VNets in different regions: _ is in westeurope, _ in northeurope"),
        ("remote-gateway-conflict", "_ uses the remote VNet's gateway, but its own VNet _ has a gateway (_)"),
    ]
    .iter()
    .map(|(r, m)| (r.to_string(), m.to_string()))
    .collect();
    assert_eq!(plain, expected);
    assert_eq!(for_each, expected);
    assert_eq!(modules, expected);

    let root = "tests/estates/three-ways";
    let gateway = |style: &str, file: &str, peering: &str| {
        (
            "remote-gateway-conflict".to_string(),
            format!("{root}/{style}/{file}"),
            peering.to_string(),
        )
    };
    assert!(plain_named.contains(&gateway(
        "plain",
        "main.tf",
        "azurerm_virtual_network_peering.branch_to_hub"
    )));
    assert!(for_each_named.contains(&gateway(
        "for-each",
        "main.tf",
        "azurerm_virtual_network_peering.spoke_to_hub[\"branch\"]"
    )));
    assert!(modules_named.contains(&gateway(
        "modules",
        "modules/spoke/main.tf",
        "module.branch.azurerm_virtual_network_peering.spoke_to_hub"
    )));
}

#[test]
fn three_frontends_give_the_same_findings() {
    let root = Path::new("tests/estates/three-frontends");
    let (terraform, terraform_named) = findings_in(&root.join("terraform"));
    let (arm, arm_named) = findings_in(&root.join("arm"));
    let (bicep, bicep_named) = findings_in(&root.join("bicep"));
    let expected: Vec<(String, String)> = [
        ("address-overlap", "_ peers VNets whose address spaces overlap: 10.0.0.0/16 (_) overlaps 10.0.128.0/20 (_)"),
        ("address-overlap", "_ peers VNets whose address spaces overlap: 10.0.128.0/20 (_) overlaps 10.0.0.0/16 (_)"),
        ("classic-gateway-transit", "_ sets _ on a peering with the classic VNet _"),
        ("classic-to-classic", "_ peers two classic VNets, _ and _"),
        ("cross-region", "_ peers VNets in different regions: _ is in northeurope, _ in westeurope"),
        ("cross-region", "_ peers VNets in different regions: _ is in westeurope, _ in northeurope"),
        ("remote-gateway-conflict", "_ uses the remote VNet's gateway, but its own VNet _ has a gateway (_)"),
    ]
    .iter()
    .map(|(r, m)| (r.to_string(), m.to_string()))
    .collect();
    assert_eq!(terraform, expected);
    assert_eq!(arm, expected);
    assert_eq!(bicep, expected);

    // Each finding names the peering as its frontend does, in its file.
    let named = |rule: &str, file: &str, peering: &str| {
        (
            rule.to_string(),
            format!("{}/{file}", root.display()),
            peering.to_string(),
        )
    };
    assert!(terraform_named.contains(&named(
        "remote-gateway-conflict",
        "terraform/main.tf",
        "azurerm_virtual_network_peering.branch_to_hub"
    )));
    assert!(arm_named.contains(&named(
        "remote-gateway-conflict",
        "arm/azuredeploy.json",
        "virtualNetworkPeerings/vnet-branch/branch-to-hub"
    )));
    assert!(bicep_named.contains(&named(
        "remote-gateway-conflict",
        "bicep/main.json",
        "deployment 'branch-to-hub' > peering"
    )));
    assert!(bicep_named.contains(&named(
        "classic-to-classic",
        "bicep/main.json",
        "legacyOneToTwo"
    )));
}
