//! Input that could hang or overflow a naive evaluator: every case must finish, report
//! what it can, and never panic.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn check(dir: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "compact", "--verbose"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().expect("peerlint exited normally"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const OVERLAP: &str = r#"
resource "azurerm_virtual_network" "a" {
  name                = "vnet-a"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_virtual_network" "b" {
  name                = "vnet-b"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.0.0.0/24"]
}
resource "azurerm_virtual_network_peering" "a_to_b" {
  name                      = "a-to-b"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.a.name
  remote_virtual_network_id = azurerm_virtual_network.b.id
}
"#;

#[test]
fn cycles_between_locals_and_resources_are_unknown() {
    let dir = scratch(
        "cycles",
        &[
            ("main.tf", OVERLAP),
            (
                "cycle.tf",
                r#"
locals {
  self_ref = local.self_ref
  a        = local.b
  b        = [local.a]
}
resource "azurerm_virtual_network" "c" {
  name                = azurerm_virtual_network.c.name
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = local.b
}
"#,
            ),
        ],
    );
    let (code, out, _) = check(&dir);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("error[address-overlap]"));
}

#[test]
fn modules_that_call_each_other_are_not_followed_forever() {
    let dir = scratch(
        "module-cycle",
        &[
            (
                "main.tf",
                &format!("{OVERLAP}\nmodule \"a\" {{\n  source = \"./a\"\n}}\n"),
            ),
            ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
            ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
        ],
    );
    let (code, out, err) = check(&dir);
    assert_eq!(code, 1);
    assert!(out.contains("error[address-overlap]"));
    assert!(
        err.contains("module.a.module.b.module.a: the module calls itself"),
        "{err}"
    );
}

#[test]
fn huge_counts_are_unknown_not_expanded() {
    let dir = scratch(
        "huge-count",
        &[
            ("main.tf", OVERLAP),
            (
                "many.tf",
                r#"
resource "azurerm_virtual_network" "many" {
  count               = 1000000000
  name                = "vnet-${count.index}"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.0.0.0/8"]
}
locals {
  big = range(100000000)
}
"#,
            ),
        ],
    );
    let (code, out, err) = check(&dir);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        err.contains(
            "azurerm_virtual_network.many: count = 1000000000 is more than peerlint expands"
        ),
        "{err}"
    );
}

#[test]
fn long_chains_of_locals_end_in_unknown() {
    let mut chain = String::from("locals {\n  l0 = \"10.0.0.0/16\"\n");
    for i in 1..5000 {
        chain.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    chain.push_str("}\n");
    chain.push_str(&OVERLAP.replace("[\"10.0.0.0/16\"]", "[local.l4999]"));
    let dir = scratch("long-chain", &[("main.tf", &chain)]);
    let (code, out, _) = check(&dir);
    // Too deep to follow: the address space is unknown, so nothing is reported.
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn modules_feeding_each_other_outputs_are_evaluated_once() {
    // Legal in Terraform: each module's input is the other's output.
    let dir = scratch(
        "mutual-modules",
        &[
            (
                "main.tf",
                "module \"names\" {\n  source = \"./names\"\n  suffix = module.network.suffix\n}\nmodule \"network\" {\n  source = \"./network\"\n  prefix = module.names.prefix\n}\n",
            ),
            (
                "names/main.tf",
                "variable \"suffix\" {}\noutput \"prefix\" {\n  value = \"contoso\"\n}\n",
            ),
            (
                "network/main.tf",
                &format!(
                    "variable \"prefix\" {{}}\noutput \"suffix\" {{\n  value = \"x\"\n}}\n{}",
                    OVERLAP.replace("\"vnet-a\"", "\"${var.prefix}-a\"")
                ),
            ),
        ],
    );
    let (code, out, err) = check(&dir);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("error[address-overlap]"), "{out}");
}
