//! Benchmark: lint generated estates of 1,000 VNets and 2,000 peerings, end to end
//! (discover, read, parse, evaluate, link, rules, JSON report), and print the timings.
//!
//! Run with `cargo bench --bench estate`. `cargo bench --bench estate -- --write DIR` only
//! writes the estates to DIR/plain, DIR/modules and DIR/bicep, for timing the binary
//! itself.
//!
//! Every estate: 10 regional hubs in a ring (20 peerings) and 990 spokes, 99 per hub,
//! peered both ways with their hub (1,980 peerings); every 50th spoke overlaps its hub, so
//! the rules have something to report. `plain` writes every spoke in its own file, resource
//! by resource; `modules` calls a local spoke module with `for_each` over a map of spokes
//! per hub, the map built with a `for` expression; `bicep` is one ARM template as Bicep
//! compiles a module per hub and per spoke (languageVersion 2.0, every module's template
//! inline, the hub-to-spoke peering a module nested in the spoke's), about 3 MB.
//!
//! Then `overlapping-peers` alone, on one hub with 1,000 to 8,000 spokes: its time should
//! double, not quadruple, when the spokes double.

use peerlint::config::Config;
use peerlint::frontend::{Disk, LoadOptions};
use peerlint::report::{Format, RenderOptions};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const HUBS: usize = 10;
const SPOKES_PER_HUB: usize = 99;

fn write_estate(root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    let mut hubs = String::from(
        "provider \"azurerm\" {\n  features {}\n}\n\nvariable \"supernet\" {\n  default = \"10.0.0.0/8\"\n}\n\n",
    );
    for h in 0..HUBS {
        writeln!(
            hubs,
            r#"resource "azurerm_virtual_network" "hub{h}" {{
  name                = "vnet-hub-{h}"
  resource_group_name = "rg-hub-{h}"
  location            = "westeurope"
  address_space       = [cidrsubnet(var.supernet, 8, {h})]
}}

resource "azurerm_virtual_network_peering" "hub{h}_to_hub{n}" {{
  name                      = "hub{h}-to-hub{n}"
  resource_group_name       = azurerm_virtual_network.hub{h}.resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub{h}.name
  remote_virtual_network_id = azurerm_virtual_network.hub{n}.id
  allow_forwarded_traffic   = true
}}

resource "azurerm_virtual_network_peering" "hub{n}_to_hub{h}" {{
  name                      = "hub{n}-to-hub{h}"
  resource_group_name       = azurerm_virtual_network.hub{n}.resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub{n}.name
  remote_virtual_network_id = azurerm_virtual_network.hub{h}.id
  allow_forwarded_traffic   = true
}}
"#,
            n = (h + 1) % HUBS
        )
        .unwrap();
    }
    std::fs::write(root.join("hubs.tf"), hubs).unwrap();
    for h in 0..HUBS {
        for s in 0..SPOKES_PER_HUB {
            let i = h * SPOKES_PER_HUB + s;
            // Every 50th spoke takes a range inside its hub's /16.
            let prefix = if i.is_multiple_of(50) {
                format!("10.{h}.{}.0/24", 100 + s)
            } else {
                format!("10.{}.{}.0/24", 100 + i / 250, i % 250)
            };
            let text = format!(
                r#"locals {{
  spoke{i}_name = "vnet-spoke-{i}"
}}

resource "azurerm_virtual_network" "spoke{i}" {{
  name                = local.spoke{i}_name
  resource_group_name = "rg-spoke-{i}"
  location            = "West Europe"
  address_space       = ["{prefix}"]

  subnet {{
    name             = "snet-app"
    address_prefixes = [cidrsubnet("{prefix}", 2, 1)]
  }}
}}

resource "azurerm_virtual_network_peering" "spoke{i}_to_hub" {{
  name                      = "spoke{i}-to-hub{h}"
  resource_group_name       = azurerm_virtual_network.spoke{i}.resource_group_name
  virtual_network_name      = azurerm_virtual_network.spoke{i}.name
  remote_virtual_network_id = azurerm_virtual_network.hub{h}.id
  use_remote_gateways       = false
}}

resource "azurerm_virtual_network_peering" "hub_to_spoke{i}" {{
  name                      = "hub{h}-to-spoke{i}"
  resource_group_name       = azurerm_virtual_network.hub{h}.resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub{h}.name
  remote_virtual_network_id = "/subscriptions/${{data.azurerm_client_config.current.subscription_id}}/resourceGroups/rg-spoke-{i}/providers/Microsoft.Network/virtualNetworks/vnet-spoke-{i}"
}}
"#
            );
            std::fs::write(root.join(format!("spoke{i:04}.tf")), text).unwrap();
        }
    }
    std::fs::write(
        root.join("data.tf"),
        "data \"azurerm_client_config\" \"current\" {}\n",
    )
    .unwrap();
}

fn write_module_estate(root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root.join("modules/spoke")).unwrap();
    std::fs::write(
        root.join("modules/spoke/main.tf"),
        r#"variable "name" {
  type = string
}
variable "cidr" {
  type = string
}
variable "hub" {
  type = object({ id = string, name = string, resource_group_name = string })
}
variable "settings" {
  type = object({
    allow_forwarded_traffic = optional(bool, true)
    use_remote_gateways     = optional(bool, false)
  })
  default = {}
}
resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name}"
  resource_group_name = "rg-${var.name}"
  location            = "West Europe"
  address_space       = [var.cidr]
  subnet {
    name             = "snet-app"
    address_prefixes = [cidrsubnet(var.cidr, 2, 1)]
  }
}
resource "azurerm_virtual_network_peering" "to_hub" {
  name                      = "${var.name}-to-hub"
  resource_group_name       = azurerm_virtual_network.this.resource_group_name
  virtual_network_name      = azurerm_virtual_network.this.name
  remote_virtual_network_id = var.hub.id
  allow_forwarded_traffic   = var.settings.allow_forwarded_traffic
  use_remote_gateways       = var.settings.use_remote_gateways
}
resource "azurerm_virtual_network_peering" "from_hub" {
  name                      = "hub-to-${var.name}"
  resource_group_name       = var.hub.resource_group_name
  virtual_network_name      = var.hub.name
  remote_virtual_network_id = azurerm_virtual_network.this.id
}
output "id" {
  value = azurerm_virtual_network.this.id
}
"#,
    )
    .unwrap();
    let mut main = String::from(
        r#"locals {
  hubs = { for h in range(10) : "hub${h}" => h }
  spokes = merge([
    for name, h in local.hubs : {
      for s in range(99) : "spoke${h * 99 + s}" => {
        hub  = name
        cidr = (h * 99 + s) % 50 == 0 ? "10.${h}.${100 + s}.0/24" : "10.${100 + floor((h * 99 + s) / 250)}.${(h * 99 + s) % 250}.0/24"
      }
    }
  ]...)
}
resource "azurerm_virtual_network" "hub" {
  for_each            = local.hubs
  name                = "vnet-${each.key}"
  resource_group_name = "rg-${each.key}"
  location            = "westeurope"
  address_space       = [cidrsubnet("10.0.0.0/8", 8, each.value)]
}
resource "azurerm_virtual_network_peering" "ring" {
  for_each                  = local.hubs
  name                      = "${each.key}-to-next"
  resource_group_name       = azurerm_virtual_network.hub[each.key].resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub[each.key].name
  remote_virtual_network_id = azurerm_virtual_network.hub["hub${(each.value + 1) % 10}"].id
}
resource "azurerm_virtual_network_peering" "ring_back" {
  for_each                  = local.hubs
  name                      = "next-to-${each.key}"
  resource_group_name       = azurerm_virtual_network.hub["hub${(each.value + 1) % 10}"].resource_group_name
  virtual_network_name      = azurerm_virtual_network.hub["hub${(each.value + 1) % 10}"].name
  remote_virtual_network_id = azurerm_virtual_network.hub[each.key].id
}
module "spoke" {
  source   = "./modules/spoke"
  for_each = local.spokes
  name     = each.key
  cidr     = each.value.cidr
  hub      = azurerm_virtual_network.hub[each.value.hub]
}
"#,
    );
    main.push('\n');
    std::fs::write(root.join("main.tf"), main).unwrap();
}

/// The inline template of a hub module: its VNet, peered with the previous and next hub.
const HUB_MODULE: &str = r#"{
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "languageVersion": "2.0",
            "contentVersion": "1.0.0.0",
            "metadata": { "_generator": { "name": "bicep", "version": "0.30.23.60470", "templateHash": "1" } },
            "parameters": {
              "index": { "type": "int" },
              "count": { "type": "int" },
              "location": { "type": "string" }
            },
            "variables": {
              "name": "[format('vnet-hub-{0}', parameters('index'))]",
              "neighbours": "[createArray(mod(add(parameters('index'), 1), parameters('count')), mod(add(parameters('index'), sub(parameters('count'), 1)), parameters('count')))]"
            },
            "resources": {
              "vnet": {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2023-09-01",
                "name": "[variables('name')]",
                "location": "[parameters('location')]",
                "properties": {
                  "addressSpace": { "addressPrefixes": ["[format('10.{0}.0.0/16', parameters('index'))]"] }
                }
              },
              "ring": {
                "copy": { "name": "ring", "count": "[length(variables('neighbours'))]" },
                "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                "apiVersion": "2023-09-01",
                "name": "[format('{0}/to-hub-{1}', variables('name'), variables('neighbours')[copyIndex()])]",
                "properties": {
                  "allowForwardedTraffic": true,
                  "remoteVirtualNetwork": {
                    "id": "[resourceId(format('rg-hub-{0}', variables('neighbours')[copyIndex()]), 'Microsoft.Network/virtualNetworks', format('vnet-hub-{0}', variables('neighbours')[copyIndex()]))]"
                  }
                },
                "dependsOn": ["vnet"]
              }
            },
            "outputs": {
              "id": { "type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks', variables('name'))]" },
              "name": { "type": "string", "value": "[variables('name')]" },
              "resourceGroup": { "type": "string", "value": "[resourceGroup().name]" }
            }
          }"#;

/// The inline template of a spoke module: its VNet and both peerings, the hub's side in a
/// module deployed to the hub's resource group.
const SPOKE_MODULE: &str = r#"{
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "languageVersion": "2.0",
            "contentVersion": "1.0.0.0",
            "metadata": { "_generator": { "name": "bicep", "version": "0.30.23.60470", "templateHash": "2" } },
            "parameters": {
              "name": { "type": "string" },
              "addressPrefix": { "type": "string" },
              "location": { "type": "string" },
              "hubId": { "type": "string" },
              "hubName": { "type": "string" },
              "hubResourceGroup": { "type": "string" },
              "tags": { "type": "object", "defaultValue": { "workload": "spoke", "owner": "platform" } }
            },
            "resources": {
              "vnet": {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2023-09-01",
                "name": "[format('vnet-{0}', parameters('name'))]",
                "location": "[parameters('location')]",
                "tags": "[parameters('tags')]",
                "properties": {
                  "addressSpace": { "addressPrefixes": ["[parameters('addressPrefix')]"] },
                  "subnets": [
                    { "name": "snet-app", "properties": { "addressPrefix": "[cidrSubnet(parameters('addressPrefix'), 26, 1)]" } }
                  ]
                }
              },
              "toHub": {
                "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                "apiVersion": "2023-09-01",
                "name": "[format('{0}/{1}', format('vnet-{0}', parameters('name')), format('to-{0}', last(split(parameters('hubId'), '/'))))]",
                "properties": {
                  "allowForwardedTraffic": true,
                  "useRemoteGateways": false,
                  "remoteVirtualNetwork": { "id": "[parameters('hubId')]" }
                },
                "dependsOn": ["vnet"]
              },
              "fromHub": {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "[format('{0}-from-hub', parameters('name'))]",
                "resourceGroup": "[parameters('hubResourceGroup')]",
                "properties": {
                  "expressionEvaluationOptions": { "scope": "inner" },
                  "mode": "Incremental",
                  "parameters": {
                    "hubName": { "value": "[parameters('hubName')]" },
                    "spokeId": { "value": "[resourceId('Microsoft.Network/virtualNetworks', format('vnet-{0}', parameters('name')))]" }
                  },
                  "template": {
                    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    "languageVersion": "2.0",
                    "contentVersion": "1.0.0.0",
                    "parameters": { "hubName": { "type": "string" }, "spokeId": { "type": "string" } },
                    "resources": {
                      "peering": {
                        "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                        "apiVersion": "2023-09-01",
                        "name": "[format('{0}/{1}', parameters('hubName'), format('to-{0}', last(split(parameters('spokeId'), '/'))))]",
                        "properties": {
                          "allowGatewayTransit": false,
                          "remoteVirtualNetwork": { "id": "[parameters('spokeId')]" }
                        }
                      }
                    }
                  }
                },
                "dependsOn": ["vnet"]
              }
            }
          }"#;

fn write_bicep_estate(root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    let mut resources = Vec::new();
    for h in 0..HUBS {
        resources.push(format!(
            r#"    "hub{h}": {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "hub-{h}",
      "resourceGroup": "rg-hub-{h}",
      "properties": {{
        "expressionEvaluationOptions": {{ "scope": "inner" }},
        "mode": "Incremental",
        "parameters": {{
          "index": {{ "value": {h} }},
          "count": {{ "value": {HUBS} }},
          "location": {{ "value": "[parameters('location')]" }}
        }},
        "template": {HUB_MODULE}
      }}
    }}"#
        ));
    }
    for h in 0..HUBS {
        for s in 0..SPOKES_PER_HUB {
            let i = h * SPOKES_PER_HUB + s;
            let prefix = if i.is_multiple_of(50) {
                format!("10.{h}.{}.0/24", 100 + s)
            } else {
                format!("10.{}.{}.0/24", 100 + i / 250, i % 250)
            };
            resources.push(format!(
                r#"    "spoke{i}": {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "spoke-{i}",
      "resourceGroup": "rg-spoke-{i}",
      "properties": {{
        "expressionEvaluationOptions": {{ "scope": "inner" }},
        "mode": "Incremental",
        "parameters": {{
          "name": {{ "value": "spoke-{i}" }},
          "addressPrefix": {{ "value": "{prefix}" }},
          "location": {{ "value": "West Europe" }},
          "hubId": {{ "value": "[reference('hub{h}').outputs.id.value]" }},
          "hubName": {{ "value": "[reference('hub{h}').outputs.name.value]" }},
          "hubResourceGroup": {{ "value": "[reference('hub{h}').outputs.resourceGroup.value]" }}
        }},
        "template": {SPOKE_MODULE}
      }},
      "dependsOn": ["hub{h}"]
    }}"#
            ));
        }
    }
    let main = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "metadata": {{ "_generator": {{ "name": "bicep", "version": "0.30.23.60470", "templateHash": "3" }} }},
  "parameters": {{
    "location": {{ "type": "string", "defaultValue": "westeurope" }}
  }},
  "resources": {{
{}
  }}
}}
"#,
        resources.join(",\n")
    );
    std::fs::write(root.join("main.json"), main).unwrap();
}

/// One hub peered both ways with `spokes` spokes (`count`), each a /24 of its own; the
/// last spoke takes the first one's range, so `overlapping-peers` has one conflict to find.
fn write_big_hub(root: &Path, spokes: usize) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    let text = format!(
        r#"locals {{
  spokes = {spokes}
}}

resource "azurerm_virtual_network" "hub" {{
  name                = "vnet-hub"
  resource_group_name = "rg-hub"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}}

resource "azurerm_virtual_network" "spoke" {{
  count               = local.spokes
  name                = "vnet-spoke-${{count.index}}"
  resource_group_name = "rg-spokes"
  location            = "westeurope"
  address_space       = [cidrsubnet("10.0.0.0/8", 16, count.index == local.spokes - 1 ? 256 : count.index + 256)]
}}

resource "azurerm_virtual_network_peering" "hub_to_spoke" {{
  count                     = local.spokes
  name                      = "hub-to-spoke-${{count.index}}"
  resource_group_name       = "rg-hub"
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke[count.index].id
}}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {{
  count                     = local.spokes
  name                      = "spoke-${{count.index}}-to-hub"
  resource_group_name       = "rg-spokes"
  virtual_network_name      = azurerm_virtual_network.spoke[count.index].name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
}}
"#
    );
    std::fs::write(root.join("main.tf"), text).unwrap();
}

/// `overlapping-peers` alone on one hub with more and more spokes: a sort and a sweep per
/// VNet, so the time grows about linearly with the spokes (all pairs would grow 4x per
/// doubling).
fn overlapping_peers_scaling(base: &Path) {
    let options = LoadOptions {
        files: &Disk,
        ..LoadOptions::default()
    };
    println!("overlapping-peers on one hub (both directions, one conflict):");
    for spokes in [1_000, 2_000, 4_000, 8_000] {
        let root = base.join(format!("bench-big-hub-{spokes}"));
        write_big_hub(&root, spokes);
        let outcome = peerlint::check_paths(
            std::slice::from_ref(&root),
            &Config::default(),
            None,
            &options,
        )
        .unwrap();
        assert_eq!(outcome.model.peerings.len(), 2 * spokes);
        let rule_options = peerlint::rules::Options::default();
        let run = || {
            let start = Instant::now();
            let found = peerlint::rules::run(&outcome.model, &rule_options, |id| {
                id == "overlapping-peers"
            });
            (start.elapsed(), found.len())
        };
        let (_, found) = run();
        assert_eq!(found, 1, "{spokes} spokes: the one overlapping pair");
        let mut times: Vec<Duration> = (0..10).map(|_| run().0).collect();
        times.sort();
        println!(
            "  {spokes} spokes ({} peerings): min {:.2} ms, median {:.2} ms",
            2 * spokes,
            times[0].as_secs_f64() * 1e3,
            times[times.len() / 2].as_secs_f64() * 1e3
        );
    }
}

fn lint_once(root: &Path) -> (Duration, peerlint::Summary) {
    let start = Instant::now();
    let options = LoadOptions {
        files: &Disk,
        ..LoadOptions::default()
    };
    let outcome =
        peerlint::check_paths(&[root.to_path_buf()], &Config::default(), None, &options).unwrap();
    let mut sink = std::io::sink();
    peerlint::report::render(
        &outcome,
        Format::Json,
        RenderOptions { color: false },
        &mut sink,
    )
    .unwrap();
    (start.elapsed(), outcome.summary())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = PathBuf::from(args.get(i + 1).expect("--write DIR"));
        write_estate(&dir.join("plain"));
        write_module_estate(&dir.join("modules"));
        write_bicep_estate(&dir.join("bicep"));
        println!("wrote the estates to {}", dir.display());
        return;
    }
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (style, write) in [
        ("plain", write_estate as fn(&Path)),
        ("for_each + modules", write_module_estate),
        ("bicep (one template)", write_bicep_estate),
    ] {
        let root = base.join(format!(
            "bench-estate-{}",
            style.replace([' ', '+', '(', ')'], "")
        ));
        write(&root);
        let (_, summary) = lint_once(&root); // warm the file cache
        assert_eq!(summary.vnets, HUBS * (SPOKES_PER_HUB + 1), "{style}");
        assert_eq!(
            summary.peerings,
            2 * HUBS + 2 * HUBS * SPOKES_PER_HUB,
            "{style}"
        );
        assert_eq!(
            summary.errors, 40,
            "{style}: every 50th spoke overlaps, both ways"
        );
        let mut times: Vec<Duration> = (0..10).map(|_| lint_once(&root).0).collect();
        times.sort();
        println!(
            "{style}: {} files, {} VNets, {} peerings, {} errors reported",
            summary.files, summary.vnets, summary.peerings, summary.errors
        );
        println!(
            "  lint, end to end ({} threads): min {:.1} ms, median {:.1} ms, max {:.1} ms over {} runs",
            rayon::current_num_threads(),
            times[0].as_secs_f64() * 1e3,
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            times.len()
        );
    }
    overlapping_peers_scaling(base);
}
