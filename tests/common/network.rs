//! A generated Terraform network module of the shape real ones have: a `config.auto.tfvars` with
//! a map of subnets, each with a list of NSG rules; locals that flatten, merge and group them
//! (`flatten`, `for` expressions, `merge`, `lookup`, `try`); one NSG per subnet through
//! `for_each` with a `dynamic "security_rule"` block; subnets, route tables and subnet
//! associations; spread over a dozen files. Its evaluation grows in proportion to the number of
//! subnets, so it must be evaluated completely whatever that number (D39).
//!
//! Shared by `tests/eval_limits.rs` (completeness) and `benches/eval_budget.rs` (figures).
#![allow(dead_code)]

use std::fmt::Write as _;

/// Rules written in the tfvars file for each subnet.
pub const RULES_PER_SUBNET: usize = 8;

/// The rules the module adds to every NSG (the final deny).
pub const ADDED_RULES: usize = 1;

/// The subnet key of subnet `i`.
pub fn subnet_key(i: usize) -> String {
    format!(
        "snet-{}-{i:03}",
        ["app", "data", "batch", "web", "mgmt"][i % 5]
    )
}

/// The files of the module, as (relative path, text).
pub fn network_module(subnets: usize) -> Vec<(String, String)> {
    let mut files: Vec<(&str, String)> = vec![
        (
            "versions.tf",
            "terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      version = \"~> 3.100\"\n    }\n  }\n}\n".into(),
        ),
        ("providers.tf", "provider \"azurerm\" {\n  features {}\n}\n".into()),
        (
            "variables.tf",
            r#"variable "environment" {
  type    = string
  default = "prod"
}

variable "workload" {
  type    = string
  default = "net"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "resource_group_name" {
  type = string
}

variable "address_space" {
  type = list(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "subnets" {
  description = "Subnets by name, each with the rules of its NSG."
  type = map(object({
    address_prefixes  = list(string)
    service_endpoints = optional(list(string), [])
    create_nsg        = optional(bool, true)
    route_table       = optional(bool, false)
    nsg_name          = optional(string)
    nsg_rules = list(object({
      name                         = string
      priority                     = optional(number)
      direction                    = string
      access                       = string
      protocol                     = optional(string)
      source_port_range            = optional(string)
      destination_port_range       = optional(string)
      destination_port_ranges      = optional(list(string))
      source_address_prefix        = optional(string)
      destination_address_prefix   = optional(string)
    }))
  }))
}
"#
            .into(),
        ),
        (
            "naming.tf",
            r#"locals {
  name_prefix = "${var.environment}-${var.workload}"
  vnet_name   = "vnet-${local.name_prefix}"
  nsg_names = {
    for key, subnet in var.subnets :
    key => lookup(subnet, "nsg_name", null) != null ? subnet.nsg_name : "nsg-${local.name_prefix}-${key}"
  }
}
"#
            .into(),
        ),
        (
            "tags.tf",
            r#"locals {
  common_tags = merge(var.tags, {
    environment = var.environment
    workload    = var.workload
    managed_by  = "terraform"
  })
}
"#
            .into(),
        ),
        (
            "locals.tf",
            r#"locals {
  rule_defaults = {
    protocol                   = "Tcp"
    source_port_range          = "*"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }

  deny_all_inbound = {
    name                       = "DenyAllInbound"
    priority                   = 4096
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  subnets_with_nsg = { for key, subnet in var.subnets : key => subnet if try(subnet.create_nsg, true) }

  # Every rule of every subnet, completed with the defaults.
  subnet_rules = flatten([
    for key, subnet in local.subnets_with_nsg : [
      for index, rule in subnet.nsg_rules : merge(local.rule_defaults, { for k, v in rule : k => v if v != null }, {
        subnet_key = key
        rule_key   = "${key}-${rule.name}"
        priority   = try(coalesce(rule.priority), 100 + index * 10)
      })
    ]
  ])

  rules_by_subnet = { for rule in local.subnet_rules : rule.subnet_key => rule... }
}
"#
            .into(),
        ),
        (
            "data.tf",
            "data \"azurerm_client_config\" \"current\" {}\n".into(),
        ),
        (
            "vnet.tf",
            r#"resource "azurerm_virtual_network" "vnet" {
  name                = local.vnet_name
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.address_space
  tags                = local.common_tags
}
"#
            .into(),
        ),
        (
            "subnets.tf",
            r#"resource "azurerm_subnet" "subnet" {
  for_each             = var.subnets
  name                 = each.key
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = each.value.address_prefixes
  service_endpoints    = try(each.value.service_endpoints, [])
}
"#
            .into(),
        ),
        (
            "nsg.tf",
            r#"resource "azurerm_network_security_group" "nsg" {
  for_each            = local.subnets_with_nsg
  name                = local.nsg_names[each.key]
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = merge(local.common_tags, { subnet = each.key })

  dynamic "security_rule" {
    for_each = concat(lookup(local.rules_by_subnet, each.key, []), [local.deny_all_inbound])
    content {
      name                       = security_rule.value.name
      priority                   = security_rule.value.priority
      direction                  = security_rule.value.direction
      access                     = security_rule.value.access
      protocol                   = security_rule.value.protocol
      source_port_range          = security_rule.value.source_port_range
      destination_port_range     = lookup(security_rule.value, "destination_port_range", null)
      destination_port_ranges    = try(security_rule.value.destination_port_ranges, null)
      source_address_prefix      = security_rule.value.source_address_prefix
      destination_address_prefix = security_rule.value.destination_address_prefix
    }
  }
}
"#
            .into(),
        ),
        (
            "associations.tf",
            r#"resource "azurerm_subnet_network_security_group_association" "nsg" {
  for_each                  = local.subnets_with_nsg
  subnet_id                 = azurerm_subnet.subnet[each.key].id
  network_security_group_id = azurerm_network_security_group.nsg[each.key].id
}
"#
            .into(),
        ),
        (
            "routes.tf",
            r#"locals {
  routed = { for key, subnet in var.subnets : key => subnet if try(subnet.route_table, false) }
}

resource "azurerm_route_table" "rt" {
  for_each            = local.routed
  name                = "rt-${local.name_prefix}-${each.key}"
  location            = var.location
  resource_group_name = var.resource_group_name

  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.0.4"
  }
}

resource "azurerm_subnet_route_table_association" "rt" {
  for_each       = local.routed
  subnet_id      = azurerm_subnet.subnet[each.key].id
  route_table_id = azurerm_route_table.rt[each.key].id
}
"#
            .into(),
        ),
        (
            "outputs.tf",
            r#"output "subnet_ids" {
  value = { for key, subnet in azurerm_subnet.subnet : key => subnet.id }
}

output "nsg_names" {
  value = local.nsg_names
}
"#
            .into(),
        ),
    ];
    files.push(("config.auto.tfvars", tfvars(subnets)));
    files.into_iter().map(|(p, t)| (p.to_string(), t)).collect()
}

/// `config.auto.tfvars`: the resource group, the address space and the subnets with their rules.
fn tfvars(subnets: usize) -> String {
    let mut s = String::from(
        "resource_group_name = \"rg-prod-net\"\naddress_space       = [\"10.0.0.0/8\"]\n\ntags = {\n  cost_center = \"1234\"\n}\n\nsubnets = {\n",
    );
    for i in 0..subnets {
        let key = subnet_key(i);
        let (a, b) = (i / 250, i % 250);
        let _ = writeln!(s, "  \"{key}\" = {{");
        let _ = writeln!(s, "    address_prefixes  = [\"10.{}.{b}.0/24\"]", a + 1);
        let _ = writeln!(
            s,
            "    service_endpoints = [\"Microsoft.Storage\", \"Microsoft.KeyVault\"]"
        );
        if i % 7 == 3 {
            let _ = writeln!(s, "    route_table       = true");
        }
        if i % 11 == 5 {
            let _ = writeln!(s, "    nsg_name          = \"nsg-custom-{i:03}\"");
        }
        let _ = writeln!(s, "    nsg_rules = [");
        for r in 0..RULES_PER_SUBNET {
            let line = match r {
                0 => "{ name = \"AllowHttpsInbound\", priority = 100, direction = \"Inbound\", access = \"Allow\", destination_port_range = \"443\" }".to_string(),
                1 => format!("{{ name = \"AllowSshFromBastion\", priority = 110, direction = \"Inbound\", access = \"Allow\", destination_port_range = \"22\", source_address_prefix = \"10.0.{}.0/26\" }}", i % 250),
                2 => "{ name = \"AllowLoadBalancer\", priority = 120, direction = \"Inbound\", access = \"Allow\", protocol = \"*\", destination_port_range = \"*\", source_address_prefix = \"AzureLoadBalancer\" }".to_string(),
                3 => format!("{{ name = \"AllowApp{i}\", direction = \"Inbound\", access = \"Allow\", destination_port_ranges = [\"8080\", \"{}\"] }}", 9000 + i),
                // Every tenth subnet opens RDP to the internet (a finding per such NSG).
                4 if i % 10 == 0 => "{ name = \"AllowRdp\", priority = 200, direction = \"Inbound\", access = \"Allow\", destination_port_range = \"3389\", source_address_prefix = \"*\" }".to_string(),
                4 => "{ name = \"DenyRdp\", priority = 200, direction = \"Inbound\", access = \"Deny\", destination_port_range = \"3389\", source_address_prefix = \"*\" }".to_string(),
                5 => "{ name = \"AllowStorageOutbound\", priority = 100, direction = \"Outbound\", access = \"Allow\", destination_port_range = \"443\", destination_address_prefix = \"Storage\" }".to_string(),
                6 => "{ name = \"AllowMonitorOutbound\", priority = 110, direction = \"Outbound\", access = \"Allow\", destination_port_range = \"443\", destination_address_prefix = \"AzureMonitor\" }".to_string(),
                _ => format!("{{ name = \"Custom{r}\", direction = \"Inbound\", access = \"Allow\", destination_port_range = \"{}\", source_address_prefix = \"10.{}.0.0/16\" }}", 10000 + r, r),
            };
            let _ = writeln!(s, "      {line},");
        }
        let _ = writeln!(s, "    ]");
        let _ = writeln!(s, "  }}");
    }
    s.push_str("}\n");
    s
}
