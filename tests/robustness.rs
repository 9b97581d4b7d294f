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
    // The cases peer one way only; that warning is beside the point here.
    std::fs::write(
        dir.join(".peerlint.toml"),
        "[rules]\nmissing-reverse-peering = \"off\"\n",
    )
    .unwrap();
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

/// An ARM template whose peering of overlapping VNets is always reported.
const ARM_OVERLAP: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-a",
      "location": "westeurope", "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] } } },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-b",
      "location": "westeurope", "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/24"] } } },
    { "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-09-01",
      "name": "vnet-a/a-to-b",
      "properties": { "remoteVirtualNetwork": { "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-b')]" } } }
  ]
}
"#;

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

#[test]
fn arm_deeply_nested_json_and_expressions_do_not_overflow() {
    let depth = 100_000;
    let arrays = format!(
        "{{ \"$schema\": \"{SCHEMA}\", \"variables\": {{ \"deep\": {}{} }}, \"resources\": [] }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let calls = format!(
        "{{ \"$schema\": \"{SCHEMA}\", \"variables\": {{ \"deep\": \"[{}'x'{}]\" }}, \"resources\": [] }}",
        "concat(".repeat(depth),
        ")".repeat(depth)
    );
    let dir = scratch(
        "arm-deep",
        &[
            ("main.json", ARM_OVERLAP),
            ("arrays.json", &arrays),
            ("calls.json", &calls),
        ],
    );
    let (code, out, _) = check(&dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("main.json:11:49: error[address-overlap]"),
        "{out}"
    );
    // JSON nested deeper than a parser should follow, and an expression nested too
    // deeply, are refused with a diagnostic, not a crash.
    assert!(
        out.contains("arrays.json:1:")
            && out.contains("JSON syntax error: Maximum nesting depth exceeded"),
        "{out}"
    );
    assert!(
        out.contains("calls.json:1:") && out.contains("error[syntax-error]: invalid template expression: the expression is nested too deeply"),
        "{out}"
    );
}

#[test]
fn arm_cycles_and_huge_copies_are_unknown() {
    let cycles = format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "a": {{ "type": "string", "defaultValue": "[concat(parameters('b'), parameters('b'))]" }},
    "b": {{ "type": "string", "defaultValue": "[concat(parameters('a'), parameters('a'))]" }}
  }},
  "variables": {{
    "x": "[concat(variables('y'), variables('y'))]",
    "y": "[concat(variables('x'), variables('x'))]"
  }},
  "resources": [
    {{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "one",
      "properties": {{ "mode": "Incremental", "expressionEvaluationOptions": {{ "scope": "inner" }},
        "parameters": {{ "p": {{ "value": "[concat(reference('two').outputs.o.value, reference('two').outputs.o.value)]" }} }},
        "template": {{ "$schema": "{SCHEMA}", "contentVersion": "1.0.0.0",
          "parameters": {{ "p": {{ "type": "string" }} }}, "resources": [],
          "outputs": {{ "o": {{ "type": "string", "value": "[parameters('p')]" }} }} }} }} }},
    {{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "two",
      "properties": {{ "mode": "Incremental", "expressionEvaluationOptions": {{ "scope": "inner" }},
        "parameters": {{ "p": {{ "value": "[concat(reference('one').outputs.o.value, reference('one').outputs.o.value)]" }} }},
        "template": {{ "$schema": "{SCHEMA}", "contentVersion": "1.0.0.0",
          "parameters": {{ "p": {{ "type": "string" }} }}, "resources": [],
          "outputs": {{ "o": {{ "type": "string", "value": "[parameters('p')]" }} }} }} }} }},
    {{ "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01",
      "name": "[concat(parameters('a'), variables('x'), copyIndex())]",
      "copy": {{ "name": "many", "count": 1000000000 }},
      "location": "westeurope", "properties": {{ "addressSpace": {{ "addressPrefixes": ["10.0.0.0/8"] }} }} }},
    {{ "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-c",
      "location": "westeurope",
      "properties": {{ "addressSpace": {{ "copy": [ {{ "name": "addressPrefixes", "count": "[length(range(0, 100000000))]", "input": "10.0.0.0/8" }} ] }} }} }}
  ]
}}
"#
    );
    let dir = scratch(
        "arm-cycles",
        &[("main.json", ARM_OVERLAP), ("cycles.json", &cycles)],
    );
    let (code, out, err) = check(&dir);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("main.json:11:49: error[address-overlap]"),
        "{out}"
    );
    assert!(
        err.contains("the copy count of a resource is not known (or too large)"),
        "{err}"
    );
}

#[test]
fn arm_garbage_in_template_shapes_is_skipped() {
    // Every part of a template in the wrong shape: nothing panics, the good file is linted.
    let wrong = format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "parameters": [1, 2],
  "variables": "none",
  "resources": [
    17, null, "text", [],
    {{ "type": 3, "name": {{}} }},
    {{ "type": "Microsoft.Network/virtualNetworks", "name": ["x"], "location": 5,
      "properties": {{ "addressSpace": 7, "subnets": {{ "a": 1 }}, "virtualNetworkPeerings": [1, {{ "properties": 2 }}] }} }},
    {{ "type": "Microsoft.Network/virtualNetworks", "name": "vnet-x", "copy": {{ "count": "[parameters('missing')]" }},
      "properties": {{ "copy": 3, "addressSpace": {{ "addressPrefixes": [[], {{}}, null, 10] }} }} }},
    {{ "type": "Microsoft.Resources/deployments", "name": "d", "properties": {{ "template": [], "parameters": 4 }} }},
    {{ "type": "Microsoft.Resources/deployments", "name": "e", "properties": {{ "templateLink": {{ "relativePath": "../../../../etc/passwd" }} }} }},
    {{ "type": "Microsoft.Network/virtualNetworkGateways", "name": "g", "properties": {{ "ipConfigurations": "no" }} }}
  ],
  "outputs": 5
}}
"#
    );
    let dir = scratch(
        "arm-garbage",
        &[
            ("main.json", ARM_OVERLAP),
            ("wrong.json", &wrong),
            ("empty.json", ""),
            (
                "schema-only.json",
                &format!("{{\"$schema\": \"{SCHEMA}\"}}"),
            ),
            ("not-an-object.json", "[\"deploymentTemplate.json\"]"),
        ],
    );
    let (code, out, err) = check(&dir);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("main.json:11:49: error[address-overlap]"),
        "{out}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn plans_and_inventories_of_the_wrong_shape_are_skipped() {
    let plan = r#"{
  "format_version": "1.2",
  "planned_values": { "root_module": {
    "resources": [
      17, {"address": 3}, {"address": "azurerm_virtual_network.a", "type": "azurerm_virtual_network", "name": "a", "values": []},
      {"address": "azurerm_virtual_network_peering.p", "mode": "managed", "type": "azurerm_virtual_network_peering", "name": "p",
       "values": {"name": "p", "resource_group_name": ["x"], "virtual_network_name": null, "allow_gateway_transit": "yes"}}
    ],
    "child_modules": [ {"resources": "none"}, 5 ]
  } },
  "resource_changes": [ {"address": "azurerm_virtual_network_peering.p", "change": {"after_unknown": {"remote_virtual_network_id": true}}} ],
  "configuration": { "root_module": {
    "resources": [ {"address": "azurerm_virtual_network_peering.p", "expressions": {"remote_virtual_network_id": {"references": ["module.a.out"]}}} ],
    "module_calls": { "a": { "expressions": {"x": {"references": ["module.a.out"]}},
      "module": { "outputs": { "out": { "expression": { "references": ["var.x"] } } } } } }
  } }
}"#;
    let dir = scratch(
        "plan-garbage",
        &[
            ("main.json", ARM_OVERLAP),
            ("tfplan.json", plan),
            (
                "inventory.json",
                r#"[1, {"type": "Microsoft.Network/virtualNetworks", "id": 5}, {"properties": 3}, {"remoteVirtualNetwork": "x"}]"#,
            ),
        ],
    );
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .args([
            "check",
            "--format",
            "compact",
            "--inventory",
            "inventory.json",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("main.json:11:49: error[address-overlap]"),
        "{stdout}"
    );
    // The wrong types in the plan are reported, at the plan.
    assert!(
        stdout.contains("tfplan.json") && stdout.contains("error[invalid-value]"),
        "{stdout}"
    );
}
