//! Lowering tests: each resource family through the Terraform front-end, with spans.

use super::convert::split_range;
use crate::frontend::{terraform, InputKind};
use crate::ir::types;
use crate::ir::{Document, Node, Reference, Span, Value};
use crate::source::SourceFile;

fn load(text: &str) -> Document {
    let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), text);
    let d = terraform::load(&f, InputKind::Terraform).doc;
    assert!(d.notices.is_empty(), "{:?}", d.notices);
    d
}

fn at(text: &str, s: Span) -> &str {
    &text[s.start..s.end]
}

const POOL: &str = r#"resource "azurerm_batch_pool" "p" {
  name                = "pool"
  account_name        = "acct"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"
  vm_size             = "STANDARD_A1_V2"
  storage_image_reference {
publisher = "Canonical"
  }
  network_configuration {
public_address_provisioning_type = "UserManaged"
public_ips                       = [azurerm_public_ip.test.id]
subnet_id                        = azurerm_subnet.test.id
endpoint_configuration {
  name                = "SSH"
  protocol            = "TCP"
  backend_port        = 22
  frontend_port_range = "4000-4100"
  network_security_group_rules {
    access                = "Deny"
    priority              = 1001
    source_address_prefix = "*"
  }
}
endpoint_configuration {
  name                = "bad"
  frontend_port_range = "4000"
}
  }
  security_profile {
secure_boot_enabled = true
  }
  disk_encryption {
disk_encryption_target = "TemporaryDisk"
  }
  disk_encryption {
disk_encryption_target = "OsDisk"
  }
}
"#;

#[test]
fn batch_pool_network_configuration() {
    let d = load(POOL);
    let r = &d.resources[0];
    assert!(r.is_type("Microsoft.Batch/batchAccounts/pools"));
    assert_eq!(
        r.name_segments,
        [Some("acct".to_string()), Some("pool".to_string())]
    );
    assert_eq!(r.parent_ref.as_ref().unwrap().as_str(), Some("acct"));
    assert_eq!(r.tf_address.as_deref(), Some("azurerm_batch_pool.p"));
    assert_eq!(at(POOL, r.name_span), "name                = \"pool\"");
    let nc = r
        .body
        .path(&["properties", "networkConfiguration"])
        .unwrap();
    let nc_m = r
        .body
        .path_member(&["properties", "networkConfiguration"])
        .unwrap();
    assert_eq!(at(POOL, nc_m.key_span), "network_configuration {");
    assert!(at(POOL, nc.span).starts_with("network_configuration {"));
    let prov = nc
        .path_member(&["publicIPAddressConfiguration", "provision"])
        .unwrap();
    assert_eq!(
        at(POOL, prov.span()),
        "public_address_provisioning_type = \"UserManaged\""
    );
    match &nc.get("subnetId").unwrap().value {
        Value::Unknown(u) => assert_eq!(
            u.reference,
            Some(Reference::Terraform {
                address: "azurerm_subnet.test".into(),
                attribute: vec!["id".into()]
            })
        ),
        v => panic!("{v:?}"),
    }
    let pools = nc
        .path(&["endpointConfiguration", "inboundNatPools"])
        .unwrap()
        .items();
    assert_eq!(pools.len(), 2);
    let p0 = &pools[0];
    assert_eq!(p0.get("backendPort").unwrap().as_i64(), Some(22));
    let s = p0.get("frontendPortRangeStart").unwrap();
    let e = p0.get("frontendPortRangeEnd").unwrap();
    assert_eq!((s.as_i64(), e.as_i64()), (Some(4000), Some(4100)));
    assert_eq!(at(POOL, s.span), "4000");
    assert_eq!(at(POOL, e.span), "4100");
    assert_eq!(s.span.start, POOL.find("\"4000-4100\"").unwrap() + 1);
    // Both bounds take the whole attribute as their key, so the range is pointed at as written.
    assert_eq!(
        at(POOL, p0.member("frontendPortRangeStart").unwrap().key_span),
        "frontend_port_range = \"4000-4100\""
    );
    let rules = p0.get("networkSecurityGroupRules").unwrap().items();
    assert_eq!(
        rules[0].get("sourceAddressPrefix").unwrap().as_str(),
        Some("*")
    );
    assert_eq!(rules[0].get("priority").unwrap().as_i64(), Some(1001));
    assert!(pools[1].get("frontendPortRangeStart").unwrap().is_unknown());
    assert!(pools[1].get("frontendPortRangeEnd").unwrap().is_unknown());
    let vmc = r
        .body
        .path(&[
            "properties",
            "deploymentConfiguration",
            "virtualMachineConfiguration",
        ])
        .unwrap();
    assert_eq!(
        vmc.get("nodeAgentSkuId").unwrap().as_str(),
        Some("batch.node.ubuntu 22.04")
    );
    assert_eq!(
        vmc.path(&["imageReference", "publisher"]).unwrap().as_str(),
        Some("Canonical")
    );
    assert_eq!(
        vmc.path(&["securityProfile", "uefiSettings", "secureBootEnabled"])
            .unwrap()
            .as_bool(),
        Some(true)
    );
    let targets = vmc
        .path(&["diskEncryptionConfiguration", "targets"])
        .unwrap()
        .items();
    let t: Vec<_> = targets.iter().map(|t| t.as_str().unwrap()).collect();
    assert_eq!(t, ["TemporaryDisk", "OsDisk"]);
    // The attribute's name as written is kept with the property it lowers to.
    let size = r.body.path_member(&["properties", "vmSize"]).unwrap();
    assert_eq!(
        (size.name(), size.value.as_str()),
        ("vm_size", Some("STANDARD_A1_V2"))
    );
}

#[test]
fn batch_account_enum_booleans_point_at_the_attribute() {
    let t = "resource \"azurerm_batch_account\" \"a\" {\n  name = \"acct\"\n  location = \"westeurope\"\n  public_network_access_enabled = true\n  allowed_authentication_modes = [\"SharedKey\", \"AAD\"]\n  network_profile {\n    account_access {\n      default_action = \"Allow\"\n      ip_rule {\n        ip_range = \"1.2.3.4\"\n      }\n    }\n  }\n  encryption {\n    key_vault_key_id = azurerm_key_vault_key.k.id\n  }\n  identity {\n    type = \"UserAssigned\"\n    identity_ids = [\"/subscriptions/s/x/id1\"]\n  }\n}\n";
    let d = load(t);
    let r = &d.resources[0];
    assert_eq!(r.name_segments, [Some("acct".to_string())]);
    let m = r
        .body
        .path_member(&["properties", "publicNetworkAccess"])
        .unwrap();
    assert_eq!(m.value.as_str(), Some("Enabled"));
    assert_eq!(at(t, m.span()), "public_network_access_enabled = true");
    assert_eq!(at(t, m.value.span), "true");
    // The member remembers the name it was written under; its spelling names it too.
    assert_eq!(m.name(), "public_network_access_enabled");
    let action_path = [
        "properties",
        "networkProfile",
        "accountAccess",
        "defaultAction",
    ];
    assert_eq!(
        r.body.path_member(&action_path).unwrap().name(),
        "default_action"
    );
    assert_eq!(
        r.spelling()
            .name(crate::ir::spelling::PropPath::new(&action_path, 3)),
        "default_action"
    );
    let modes = r
        .body
        .path(&["properties", "allowedAuthenticationModes"])
        .unwrap();
    assert_eq!(at(t, modes.items()[0].span), "\"SharedKey\"");
    let aa = r
        .body
        .path(&["properties", "networkProfile", "accountAccess"])
        .unwrap();
    assert_eq!(aa.get("defaultAction").unwrap().as_str(), Some("Allow"));
    assert_eq!(
        aa.get("ipRules").unwrap().items()[0]
            .get("value")
            .unwrap()
            .as_str(),
        Some("1.2.3.4")
    );
    let enc = r.body.path(&["properties", "encryption"]).unwrap();
    let ks = enc.member("keySource").unwrap();
    assert_eq!(ks.value.as_str(), Some("Microsoft.KeyVault"));
    assert_eq!(at(t, ks.key_span), "encryption {");
    assert!(enc
        .path(&["keyVaultProperties", "keyIdentifier"])
        .unwrap()
        .is_unknown());
    let id = r.body.get("identity").unwrap();
    assert_eq!(id.get("type").unwrap().as_str(), Some("UserAssigned"));
    assert!(id
        .path(&["userAssignedIdentities", "/subscriptions/s/x/id1"])
        .is_some());
    assert_eq!(r.body.get("location").unwrap().as_str(), Some("westeurope"));
}

#[test]
fn nsg_inline_rules_blocks_dynamic_and_attribute_form() {
    let t = "resource \"azurerm_network_security_group\" \"n\" {\n  name = \"nsg\"\n  security_rule {\n    name                       = \"ssh\"\n    priority                   = 100\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_ranges    = [\"22\", \"80\"]\n    source_address_prefix      = \"Internet\"\n    destination_address_prefix = \"*\"\n    source_application_security_group_ids = [azurerm_application_security_group.a.id]\n  }\n  dynamic \"security_rule\" {\n    for_each = var.rules\n    content {\n      name     = security_rule.value.name\n      priority = 200\n    }\n  }\n}\nresource \"azurerm_network_security_group\" \"m\" {\n  name = \"nsg2\"\n  security_rule = [\n    {\n      name = \"a\"\n      priority = 300\n      direction = \"Inbound\"\n    },\n  ]\n}\n";
    let d = load(t);
    assert_eq!(d.resources.len(), 2);
    let r = &d.resources[0];
    assert!(r.is_type("Microsoft.Network/networkSecurityGroups"));
    let rules_m = r
        .body
        .path_member(&["properties", "securityRules"])
        .unwrap();
    assert_eq!(at(t, rules_m.key_span), "security_rule {");
    let rules = rules_m.value.items();
    assert_eq!(rules.len(), 2);
    let p = rules[0].get("properties").unwrap();
    assert_eq!(rules[0].get("name").unwrap().as_str(), Some("ssh"));
    assert_eq!(p.get("priority").unwrap().as_i64(), Some(100));
    assert_eq!(p.get("destinationPortRanges").unwrap().items().len(), 2);
    let src = p.member("sourceAddressPrefix").unwrap();
    assert_eq!(
        at(t, src.span()),
        "source_address_prefix      = \"Internet\""
    );
    let asg = p.get("sourceApplicationSecurityGroups").unwrap().items();
    assert!(asg[0].get("id").unwrap().is_unknown());
    // A `dynamic` block over an unknown collection: rules that are not known.
    assert!(rules[1].is_unknown());
    let r2 = &d.resources[1];
    let rules = r2
        .body
        .path(&["properties", "securityRules"])
        .unwrap()
        .items();
    assert_eq!(
        rules[0].path(&["properties", "priority"]).unwrap().as_i64(),
        Some(300)
    );
    assert_eq!(
        at(
            t,
            r2.body
                .path_member(&["properties", "securityRules"])
                .unwrap()
                .key_span
        ),
        "security_rule"
    );
}

#[test]
fn standalone_nsg_rule() {
    let t = "resource \"azurerm_network_security_rule\" \"r\" {\n  name = \"ssh\"\n  network_security_group_name = azurerm_network_security_group.n.name\n  priority = 100\n  source_address_prefixes = [\"0.0.0.0/0\"]\n}\nresource \"azurerm_network_security_rule\" \"s\" {\n  name = \"x\"\n  network_security_group_name = \"nsg\"\n}\n";
    let d = load(t);
    let r = &d.resources[0];
    assert!(r.is_type("Microsoft.Network/networkSecurityGroups/securityRules"));
    assert_eq!(r.name_segments, [None, Some("ssh".to_string())]);
    assert!(r.parent_ref.as_ref().unwrap().is_unknown());
    assert_eq!(
        r.body.path(&["properties", "priority"]).unwrap().as_i64(),
        Some(100)
    );
    assert_eq!(
        r.body
            .path(&["properties", "sourceAddressPrefixes"])
            .unwrap()
            .items()[0]
            .as_str(),
        Some("0.0.0.0/0")
    );
    assert_eq!(
        d.resources[1].name_segments,
        [Some("nsg".to_string()), Some("x".to_string())]
    );
}

#[test]
fn ml_workspace_and_computes() {
    let t = "resource \"azurerm_machine_learning_workspace\" \"w\" {\n  name = \"ws\"\n  public_network_access_enabled = false\n  key_vault_id = azurerm_key_vault.kv.id\n  high_business_impact = true\n  managed_network {\n    isolation_mode = \"AllowInternetOutbound\"\n  }\n}\nresource \"azurerm_machine_learning_compute_cluster\" \"c\" {\n  name = \"cl\"\n  machine_learning_workspace_id = azurerm_machine_learning_workspace.w.id\n  local_auth_enabled = true\n  subnet_resource_id = azurerm_subnet.s.id\n  node_public_ip_enabled = false\n  ssh_public_access_enabled = true\n  vm_size = \"STANDARD_DS2_V2\"\n  scale_settings {\n    max_node_count = 3\n  }\n}\nresource \"azurerm_machine_learning_compute_instance\" \"i\" {\n  name = \"ci\"\n  machine_learning_workspace_id = \"/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws1\"\n  ssh {\n    public_key = \"ssh-rsa AAA\"\n  }\n}\n";
    let d = load(t);
    let w = &d.resources[0];
    let p = w.properties().unwrap();
    assert_eq!(
        p.get("publicNetworkAccess").unwrap().as_str(),
        Some("Disabled")
    );
    assert!(p.get("keyVault").unwrap().is_unknown());
    assert_eq!(p.get("hbiWorkspace").unwrap().as_bool(), Some(true));
    assert_eq!(
        p.path(&["managedNetwork", "isolationMode"])
            .unwrap()
            .as_str(),
        Some("AllowInternetOutbound")
    );

    let c = &d.resources[1];
    assert!(c.is_type("Microsoft.MachineLearningServices/workspaces/computes"));
    assert_eq!(c.name_segments, [None, Some("cl".to_string())]);
    assert!(c.parent_ref.as_ref().unwrap().is_unknown());
    let p = c.properties().unwrap();
    let ct = p.member("computeType").unwrap();
    assert_eq!(ct.value.as_str(), Some("AmlCompute"));
    assert_eq!(ct.value.span, c.header);
    let dla = p.member("disableLocalAuth").unwrap();
    assert_eq!(dla.value.as_bool(), Some(false));
    assert_eq!(at(t, dla.span()), "local_auth_enabled = true");
    let cp = p.get("properties").unwrap();
    let sid = cp.path_member(&["subnet", "id"]).unwrap();
    assert_eq!(
        at(t, sid.span()),
        "subnet_resource_id = azurerm_subnet.s.id"
    );
    assert_eq!(cp.get("enableNodePublicIp").unwrap().as_bool(), Some(false));
    assert_eq!(
        cp.get("remoteLoginPortPublicAccess").unwrap().as_str(),
        Some("Enabled")
    );
    assert_eq!(
        cp.path(&["scaleSettings", "maxNodeCount"])
            .unwrap()
            .as_i64(),
        Some(3)
    );

    let i = &d.resources[2];
    assert_eq!(
        i.name_segments,
        [Some("ws1".to_string()), Some("ci".to_string())]
    );
    let p = i.properties().unwrap();
    assert_eq!(
        p.get("computeType").unwrap().as_str(),
        Some("ComputeInstance")
    );
    assert!(p.get("disableLocalAuth").is_none());
    let ssh = p
        .path_member(&["properties", "sshSettings", "sshPublicAccess"])
        .unwrap();
    assert_eq!(ssh.value.as_str(), Some("Enabled"));
    assert_eq!(at(t, ssh.key_span), "ssh {");
    assert!(at(t, ssh.value.span).starts_with("ssh {") && at(t, ssh.value.span).ends_with('}'));
    assert_eq!(
        p.path(&["properties", "sshSettings", "adminPublicKey"])
            .unwrap()
            .as_str(),
        Some("ssh-rsa AAA")
    );
}

#[test]
fn ai_foundry_hub_and_project_are_workspaces_of_their_kind() {
    let t = "resource \"azurerm_ai_foundry\" \"hub\" {\n  name = \"hub\"\n  public_network_access = \"Disabled\"\n  storage_account_id = azurerm_storage_account.st.id\n  container_registry_id = azurerm_container_registry.acr.id\n  high_business_impact_enabled = true\n  managed_network {\n    isolation_mode = \"AllowOnlyApprovedOutbound\"\n  }\n}\nresource \"azurerm_ai_foundry_project\" \"p\" {\n  name = \"project\"\n  ai_services_hub_id = azurerm_ai_foundry.hub.id\n}\n";
    let d = load(t);
    let hub = &d.resources[0];
    assert!(hub.is_type(types::ML_WORKSPACE));
    let kind = hub.body.member("kind").unwrap();
    assert_eq!(kind.value.as_str(), Some("Hub"));
    assert_eq!(kind.value.span, hub.header);
    let p = hub.properties().unwrap();
    let pna = p.member("publicNetworkAccess").unwrap();
    assert_eq!(pna.value.as_str(), Some("Disabled"));
    assert_eq!(at(t, pna.span()), "public_network_access = \"Disabled\"");
    assert!(p.get("storageAccount").unwrap().is_unknown());
    assert!(p.get("containerRegistry").unwrap().is_unknown());
    assert_eq!(p.get("hbiWorkspace").unwrap().as_bool(), Some(true));
    assert_eq!(
        p.path(&["managedNetwork", "isolationMode"])
            .unwrap()
            .as_str(),
        Some("AllowOnlyApprovedOutbound")
    );

    let project = &d.resources[1];
    assert!(project.is_type(types::ML_WORKSPACE));
    assert_eq!(project.body.get("kind").unwrap().as_str(), Some("Project"));
    let hub_id = project
        .properties()
        .unwrap()
        .member("hubResourceId")
        .unwrap();
    assert_eq!(
        at(t, hub_id.span()),
        "ai_services_hub_id = azurerm_ai_foundry.hub.id"
    );
    assert!(matches!(
        &hub_id.value.value,
        Value::Unknown(u) if matches!(&u.reference, Some(Reference::Terraform { address, .. }) if address == "azurerm_ai_foundry.hub")
    ));
}

#[test]
fn unknown_booleans_stay_unknown() {
    let t = "resource \"azurerm_batch_account\" \"a\" {\n  public_network_access_enabled = var.pna\n}\n";
    let d = load(t);
    let v = d.resources[0]
        .body
        .path(&["properties", "publicNetworkAccess"])
        .unwrap();
    assert!(v.is_unknown());
    assert_eq!(d.resources[0].name_segments, [None]);
    assert_eq!(at(t, d.resources[0].name_span), "\"a\"");
}

/// The reference carried by an Unknown node.
fn reference(n: &Node) -> Option<(&str, Vec<&str>)> {
    match &n.value {
        Value::Unknown(u) => match &u.reference {
            Some(Reference::Terraform { address, attribute }) => Some((
                address.as_str(),
                attribute.iter().map(String::as_str).collect(),
            )),
            _ => None,
        },
        _ => None,
    }
}

const NET: &str = r#"resource "azurerm_virtual_network" "v" {
  name          = "vnet"
  address_space = ["10.0.0.0/16"]
  subnet {
name           = "old"
address_prefix = "10.0.1.0/24"
security_group = azurerm_network_security_group.n.id
  }
  subnet {
name                              = "new"
address_prefixes                  = ["10.0.2.0/24"]
route_table_id                    = azurerm_route_table.rt.id
default_outbound_access_enabled   = false
private_endpoint_network_policies = "Disabled"
  }
}
resource "azurerm_subnet" "s" {
  name                 = "AzureBastionSubnet"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.0.3.0/27"]
  enforce_private_link_endpoint_network_policies = true
  service_endpoints    = ["Microsoft.Storage", "Microsoft.KeyVault"]
  delegation {
name = "batch"
service_delegation {
  name    = "Microsoft.Batch/batchAccounts"
  actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
}
  }
}
resource "azurerm_subnet" "t" {
  name                                      = "t"
  virtual_network_name                      = "vnet"
  address_prefix                            = "10.0.4.0/24"
  private_endpoint_network_policies_enabled = false
  default_outbound_access_enabled           = true
  service_endpoint {
service = "Microsoft.Storage"
  }
}
resource "azurerm_subnet_network_security_group_association" "a" {
  subnet_id                 = azurerm_subnet.s.id
  network_security_group_id = azurerm_network_security_group.n.id
}
resource "azurerm_subnet_route_table_association" "b" {
  subnet_id      = azurerm_subnet.s.id
  route_table_id = azurerm_route_table.rt.id
}
resource "azurerm_subnet_nat_gateway_association" "c" {
  subnet_id      = azurerm_subnet.s.id
  nat_gateway_id = azurerm_nat_gateway.g.id
}
resource "azurerm_network_interface_security_group_association" "d" {
  network_interface_id      = azurerm_network_interface.nic.id
  network_security_group_id = azurerm_network_security_group.n.id
}
resource "azurerm_network_interface_nat_rule_association" "e" {
  network_interface_id  = azurerm_network_interface.nic.id
  ip_configuration_name = "ipc"
  nat_rule_id           = azurerm_lb_nat_rule.r.id
}
resource "azurerm_network_interface_backend_address_pool_association" "f" {
  network_interface_id    = azurerm_network_interface.nic.id
  ip_configuration_name   = "ipc"
  backend_address_pool_id = azurerm_lb_backend_address_pool.p.id
}
resource "azurerm_network_interface" "nic" {
  name = "nic"
  ip_configuration {
name                          = "ipc"
subnet_id                     = azurerm_subnet.s.id
public_ip_address_id          = azurerm_public_ip.p.id
private_ip_address_allocation = "Dynamic"
primary                       = true
  }
}
"#;

#[test]
fn virtual_network_inline_subnets() {
    let d = load(NET);
    let v = &d.resources[0];
    assert!(v.is_type("Microsoft.Network/virtualNetworks"));
    let p = v.properties().unwrap();
    let space = p.path(&["addressSpace", "addressPrefixes"]).unwrap();
    assert_eq!(at(NET, space.items()[0].span), "\"10.0.0.0/16\"");
    let subnets_m = p.member("subnets").unwrap();
    assert_eq!(at(NET, subnets_m.key_span), "subnet {");
    let subnets = subnets_m.value.items();
    assert_eq!(subnets.len(), 2);
    assert_eq!(subnets[0].get("name").unwrap().as_str(), Some("old"));
    let sp = subnets[0].get("properties").unwrap();
    assert_eq!(
        sp.get("addressPrefix").unwrap().as_str(),
        Some("10.0.1.0/24")
    );
    let nsg = sp.path_member(&["networkSecurityGroup", "id"]).unwrap();
    assert_eq!(
        at(NET, nsg.span()),
        "security_group = azurerm_network_security_group.n.id"
    );
    assert_eq!(
        reference(&nsg.value),
        Some(("azurerm_network_security_group.n", vec!["id"]))
    );
    let sp = subnets[1].get("properties").unwrap();
    assert_eq!(sp.get("addressPrefixes").unwrap().items().len(), 1);
    assert_eq!(
        reference(sp.path(&["routeTable", "id"]).unwrap()),
        Some(("azurerm_route_table.rt", vec!["id"]))
    );
    let doa = sp.member("defaultOutboundAccess").unwrap();
    assert_eq!(doa.value.as_bool(), Some(false));
    assert_eq!(
        at(NET, doa.span()),
        "default_outbound_access_enabled   = false"
    );
    assert_eq!(
        sp.get("privateEndpointNetworkPolicies").unwrap().as_str(),
        Some("Disabled")
    );
}

#[test]
fn standalone_subnets_in_three_provider_versions() {
    let d = load(NET);
    let s = &d.resources[1];
    assert!(s.is_type("Microsoft.Network/virtualNetworks/subnets"));
    assert_eq!(s.name_segments, [None, Some("AzureBastionSubnet".into())]);
    assert_eq!(
        reference(s.parent_ref.as_ref().unwrap()),
        Some(("azurerm_virtual_network.v", vec!["name"]))
    );
    assert_eq!(
        at(NET, s.name_span),
        "name                 = \"AzureBastionSubnet\""
    );
    let p = s.properties().unwrap();
    let prefix = &p.get("addressPrefixes").unwrap().items()[0];
    assert_eq!(at(NET, prefix.span), "\"10.0.3.0/27\"");
    // `enforce_… = true` disables the policies.
    let pol = p.member("privateEndpointNetworkPolicies").unwrap();
    assert_eq!(pol.value.as_str(), Some("Disabled"));
    assert_eq!(
        at(NET, pol.span()),
        "enforce_private_link_endpoint_network_policies = true"
    );
    let se = p.get("serviceEndpoints").unwrap().items();
    let names: Vec<_> = se
        .iter()
        .map(|e| e.get("service").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(names, ["Microsoft.Storage", "Microsoft.KeyVault"]);
    assert_eq!(at(NET, se[1].span), "\"Microsoft.KeyVault\"");
    let del = &p.get("delegations").unwrap().items()[0];
    assert_eq!(del.get("name").unwrap().as_str(), Some("batch"));
    let sn = del.path_member(&["properties", "serviceName"]).unwrap();
    assert_eq!(sn.value.as_str(), Some("Microsoft.Batch/batchAccounts"));
    assert_eq!(
        at(NET, sn.span()),
        "name    = \"Microsoft.Batch/batchAccounts\""
    );
    assert_eq!(
        at(NET, del.member("properties").unwrap().key_span),
        "service_delegation {"
    );

    let t = &d.resources[2];
    assert_eq!(
        t.name_segments,
        [Some("vnet".to_string()), Some("t".to_string())]
    );
    assert_eq!(t.parent_ref.as_ref().unwrap().as_str(), Some("vnet"));
    let p = t.properties().unwrap();
    assert_eq!(
        p.get("addressPrefix").unwrap().as_str(),
        Some("10.0.4.0/24")
    );
    assert_eq!(
        p.get("privateEndpointNetworkPolicies").unwrap().as_str(),
        Some("Disabled")
    );
    assert_eq!(
        p.get("defaultOutboundAccess").unwrap().as_bool(),
        Some(true)
    );
    let se = p.get("serviceEndpoints").unwrap().items();
    assert_eq!(
        se[0].get("service").unwrap().as_str(),
        Some("Microsoft.Storage")
    );
}

#[test]
fn association_pseudo_resources() {
    let d = load(NET);
    let a = &d.resources[3];
    assert!(a.is_type(types::link::SUBNET_NSG));
    assert_eq!(a.name_segments, [None]);
    assert_eq!(
        a.tf_address.as_deref(),
        Some("azurerm_subnet_network_security_group_association.a")
    );
    assert_eq!(
        at(NET, a.header),
        "resource \"azurerm_subnet_network_security_group_association\" \"a\" {"
    );
    let p = a.properties().unwrap();
    let sid = p.member("subnetId").unwrap();
    assert_eq!(
        at(NET, sid.span()),
        "subnet_id                 = azurerm_subnet.s.id"
    );
    assert_eq!(at(NET, sid.value.span), "azurerm_subnet.s.id");
    assert_eq!(
        reference(&sid.value),
        Some(("azurerm_subnet.s", vec!["id"]))
    );
    let nid = p.member("networkSecurityGroupId").unwrap();
    assert_eq!(
        at(NET, nid.span()),
        "network_security_group_id = azurerm_network_security_group.n.id"
    );
    assert_eq!(
        reference(&nid.value),
        Some(("azurerm_network_security_group.n", vec!["id"]))
    );

    let expect: [(&str, &[&str]); 5] = [
        (
            types::link::SUBNET_ROUTE_TABLE,
            &["subnetId", "routeTableId"],
        ),
        (
            types::link::SUBNET_NAT_GATEWAY,
            &["subnetId", "natGatewayId"],
        ),
        (
            types::link::NIC_NSG,
            &["networkInterfaceId", "networkSecurityGroupId"],
        ),
        (
            types::link::NIC_NAT_RULE,
            &["networkInterfaceId", "ipConfigurationName", "natRuleId"],
        ),
        (
            types::link::NIC_BACKEND_POOL,
            &[
                "networkInterfaceId",
                "ipConfigurationName",
                "backendAddressPoolId",
            ],
        ),
    ];
    for (r, (ty, keys)) in d.resources[4..9].iter().zip(expect) {
        assert!(r.is_type(ty), "{}", r.rtype);
        assert_eq!(r.name_segments, [None]);
        let p = r.properties().unwrap();
        for k in keys {
            assert!(p.get(k).is_some(), "{ty} {k}");
        }
    }
    assert_eq!(
        d.resources[7]
            .body
            .path(&["properties", "ipConfigurationName"])
            .and_then(Node::as_str),
        Some("ipc")
    );
}

#[test]
fn network_interface_ip_configurations() {
    let d = load(NET);
    let n = &d.resources[9];
    assert!(n.is_type("Microsoft.Network/networkInterfaces"));
    let ipc = &n
        .body
        .path(&["properties", "ipConfigurations"])
        .unwrap()
        .items()[0];
    assert_eq!(ipc.get("name").unwrap().as_str(), Some("ipc"));
    let p = ipc.get("properties").unwrap();
    assert_eq!(
        reference(p.path(&["subnet", "id"]).unwrap()),
        Some(("azurerm_subnet.s", vec!["id"]))
    );
    assert_eq!(
        reference(p.path(&["publicIPAddress", "id"]).unwrap()),
        Some(("azurerm_public_ip.p", vec!["id"]))
    );
    assert_eq!(
        p.get("privateIPAllocationMethod").unwrap().as_str(),
        Some("Dynamic")
    );
    assert_eq!(p.get("primary").unwrap().as_bool(), Some(true));
}

const VMSS: &str = r#"resource "azurerm_linux_virtual_machine_scale_set" "l" {
  name                            = "vmss"
  sku                             = "Standard_F2"
  instances                       = 3
  disable_password_authentication = false
  upgrade_mode                    = "Automatic"
  automatic_os_upgrade_policy {
automatic_os_upgrade_enabled = true
disable_automatic_rollback   = false
  }
  network_interface {
name                      = "nic"
primary                   = true
network_security_group_id = azurerm_network_security_group.n.id
ip_configuration {
  name                                   = "ipc"
  primary                                = true
  subnet_id                              = azurerm_subnet.s.id
  load_balancer_inbound_nat_rules_ids    = [azurerm_lb_nat_pool.np.id]
  load_balancer_backend_address_pool_ids = [azurerm_lb_backend_address_pool.bp.id]
  public_ip_address {
    name                    = "pip"
    idle_timeout_in_minutes = 4
    domain_name_label       = "vmss"
  }
}
  }
}
resource "azurerm_windows_virtual_machine_scale_set" "w" {
  name                     = "win"
  sku                      = "Standard_F2"
  enable_automatic_updates = true
  automatic_os_upgrade_policy {
enable_automatic_os_upgrade = true
  }
  network_interface {
name = "nic"
ip_configuration {
  name                                = "ipc"
  load_balancer_inbound_nat_rules_ids = var.nat_pools
}
  }
}
resource "azurerm_orchestrated_virtual_machine_scale_set" "o" {
  name      = "flex"
  sku_name  = "Standard_D2s_v5"
  instances = 2
  os_profile {
windows_configuration {
  automatic_updates_enabled = false
}
  }
  network_interface {
name = "nic"
ip_configuration {
  name = "ipc"
  public_ip_address {
    name = "pip"
  }
}
  }
}
resource "azurerm_virtual_machine_scale_set" "old" {
  name                = "legacy"
  upgrade_policy_mode = "Manual"
  sku {
name     = "Standard_F2"
capacity = 2
  }
  os_profile_linux_config {
disable_password_authentication = true
  }
  network_profile {
name                      = "np"
primary                   = true
network_security_group_id = azurerm_network_security_group.n.id
ip_configuration {
  name                                = "ipc"
  primary                             = true
  subnet_id                           = azurerm_subnet.s.id
  load_balancer_inbound_nat_rules_ids = [azurerm_lb_nat_pool.np.id]
  public_ip_address_configuration {
    name              = "pip"
    idle_timeout      = 15
    domain_name_label = "legacy"
  }
}
  }
}
"#;

const NIC_CONFIGS: &[&str] = &[
    "properties",
    "virtualMachineProfile",
    "networkProfile",
    "networkInterfaceConfigurations",
];

#[test]
fn linux_scale_set() {
    let d = load(VMSS);
    let r = &d.resources[0];
    assert!(r.is_type("Microsoft.Compute/virtualMachineScaleSets"));
    assert_eq!(r.name_segments, [Some("vmss".to_string())]);
    assert_eq!(
        r.body.path(&["sku", "name"]).unwrap().as_str(),
        Some("Standard_F2")
    );
    assert_eq!(r.body.path(&["sku", "capacity"]).unwrap().as_i64(), Some(3));
    let dpa = r
        .body
        .path_member(&[
            "properties",
            "virtualMachineProfile",
            "osProfile",
            "linuxConfiguration",
            "disablePasswordAuthentication",
        ])
        .unwrap();
    assert_eq!(dpa.value.as_bool(), Some(false));
    assert_eq!(
        at(VMSS, dpa.span()),
        "disable_password_authentication = false"
    );
    let up = r.body.path(&["properties", "upgradePolicy"]).unwrap();
    assert_eq!(up.get("mode").unwrap().as_str(), Some("Automatic"));
    let auto = up
        .path_member(&["automaticOSUpgradePolicy", "enableAutomaticOSUpgrade"])
        .unwrap();
    assert_eq!(auto.value.as_bool(), Some(true));
    assert_eq!(at(VMSS, auto.span()), "automatic_os_upgrade_enabled = true");

    let nics_m = r.body.path_member(NIC_CONFIGS).unwrap();
    assert_eq!(at(VMSS, nics_m.key_span), "network_interface {");
    let nic = &nics_m.value.items()[0];
    assert_eq!(nic.get("name").unwrap().as_str(), Some("nic"));
    let np = nic.get("properties").unwrap();
    assert_eq!(np.get("primary").unwrap().as_bool(), Some(true));
    let nsg = np.path_member(&["networkSecurityGroup", "id"]).unwrap();
    assert_eq!(
        at(VMSS, nsg.span()),
        "network_security_group_id = azurerm_network_security_group.n.id"
    );
    assert_eq!(
        reference(&nsg.value),
        Some(("azurerm_network_security_group.n", vec!["id"]))
    );
    let ipc = &np.get("ipConfigurations").unwrap().items()[0];
    let ip = ipc.get("properties").unwrap();
    assert_eq!(ip.get("primary").unwrap().as_bool(), Some(true));
    assert_eq!(
        reference(ip.path(&["subnet", "id"]).unwrap()),
        Some(("azurerm_subnet.s", vec!["id"]))
    );
    let pools_m = ip.member("loadBalancerInboundNatPools").unwrap();
    assert_eq!(
        at(VMSS, pools_m.span()),
        "load_balancer_inbound_nat_rules_ids    = [azurerm_lb_nat_pool.np.id]"
    );
    let pool_id = pools_m.value.items()[0].member("id").unwrap();
    assert_eq!(at(VMSS, pool_id.value.span), "azurerm_lb_nat_pool.np.id");
    assert_eq!(at(VMSS, pool_id.key_span), "azurerm_lb_nat_pool.np.id");
    assert_eq!(
        reference(&pool_id.value),
        Some(("azurerm_lb_nat_pool.np", vec!["id"]))
    );
    let bp = &ip.get("loadBalancerBackendAddressPools").unwrap().items()[0];
    assert!(bp.get("id").unwrap().is_unknown());

    let pip = ip.member("publicIPAddressConfiguration").unwrap();
    assert_eq!(at(VMSS, pip.key_span), "public_ip_address {");
    let block = at(VMSS, pip.value.span);
    assert!(block.starts_with("public_ip_address {"), "{block}");
    assert!(block.ends_with('}'), "{block}");
    assert_eq!(pip.value.get("name").unwrap().as_str(), Some("pip"));
    let pp = pip.value.get("properties").unwrap();
    assert_eq!(pp.get("idleTimeoutInMinutes").unwrap().as_i64(), Some(4));
    assert_eq!(
        pp.path(&["dnsSettings", "domainNameLabel"])
            .unwrap()
            .as_str(),
        Some("vmss")
    );
    let nics = r
        .body
        .path_member(&[
            "properties",
            "virtualMachineProfile",
            "networkProfile",
            "networkInterfaceConfigurations",
        ])
        .unwrap();
    assert_eq!(nics.name(), "network_interface");
}

#[test]
fn windows_orchestrated_and_legacy_scale_sets() {
    let d = load(VMSS);
    let w = &d.resources[1];
    assert!(w.is_type("Microsoft.Compute/virtualMachineScaleSets"));
    let os = w
        .body
        .path(&["properties", "virtualMachineProfile", "osProfile"])
        .unwrap();
    let eau = os
        .path_member(&["windowsConfiguration", "enableAutomaticUpdates"])
        .unwrap();
    assert_eq!(eau.value.as_bool(), Some(true));
    assert_eq!(at(VMSS, eau.span()), "enable_automatic_updates = true");
    assert_eq!(
        w.body
            .path(&[
                "properties",
                "upgradePolicy",
                "automaticOSUpgradePolicy",
                "enableAutomaticOSUpgrade"
            ])
            .unwrap()
            .as_bool(),
        Some(true)
    );
    assert!(w
        .body
        .path(&["properties", "upgradePolicy", "mode"])
        .is_none());
    let nic = &w.body.path(NIC_CONFIGS).unwrap().items()[0];
    let pools = nic
        .path(&["properties", "ipConfigurations"])
        .unwrap()
        .items()[0]
        .path(&["properties", "loadBalancerInboundNatPools"])
        .unwrap();
    assert!(pools.is_unknown());

    let o = &d.resources[2];
    assert!(o.is_type("Microsoft.Compute/virtualMachineScaleSets"));
    assert_eq!(
        o.body.path(&["sku", "name"]).unwrap().as_str(),
        Some("Standard_D2s_v5")
    );
    assert_eq!(
        o.body
            .path(&["properties", "orchestrationMode"])
            .unwrap()
            .as_str(),
        Some("Flexible")
    );
    assert_eq!(
        o.body
            .path(&[
                "properties",
                "virtualMachineProfile",
                "osProfile",
                "windowsConfiguration",
                "enableAutomaticUpdates"
            ])
            .unwrap()
            .as_bool(),
        Some(false)
    );
    let ipc = &o.body.path(NIC_CONFIGS).unwrap().items()[0]
        .path(&["properties", "ipConfigurations"])
        .unwrap()
        .items()[0];
    let pip = ipc
        .path_member(&["properties", "publicIPAddressConfiguration"])
        .unwrap();
    assert_eq!(at(VMSS, pip.key_span), "public_ip_address {");

    let l = &d.resources[3];
    assert!(l.is_type("Microsoft.Compute/virtualMachineScaleSets"));
    assert_eq!(l.body.path(&["sku", "capacity"]).unwrap().as_i64(), Some(2));
    assert_eq!(
        l.body
            .path(&["properties", "upgradePolicy", "mode"])
            .unwrap()
            .as_str(),
        Some("Manual")
    );
    assert_eq!(
        l.body
            .path(&[
                "properties",
                "virtualMachineProfile",
                "osProfile",
                "linuxConfiguration",
                "disablePasswordAuthentication"
            ])
            .unwrap()
            .as_bool(),
        Some(true)
    );
    let nics_m = l.body.path_member(NIC_CONFIGS).unwrap();
    assert_eq!(at(VMSS, nics_m.key_span), "network_profile {");
    let np = nics_m.value.items()[0].get("properties").unwrap();
    let nsg = np.path_member(&["networkSecurityGroup", "id"]).unwrap();
    assert_eq!(
        at(VMSS, nsg.span()),
        "network_security_group_id = azurerm_network_security_group.n.id"
    );
    let ip = np.get("ipConfigurations").unwrap().items()[0]
        .get("properties")
        .unwrap();
    assert_eq!(
        reference(
            ip.get("loadBalancerInboundNatPools").unwrap().items()[0]
                .get("id")
                .unwrap()
        ),
        Some(("azurerm_lb_nat_pool.np", vec!["id"]))
    );
    let pip = ip.member("publicIPAddressConfiguration").unwrap();
    assert_eq!(at(VMSS, pip.key_span), "public_ip_address_configuration {");
    assert_eq!(
        pip.value
            .path(&["properties", "idleTimeoutInMinutes"])
            .unwrap()
            .as_i64(),
        Some(15)
    );
    assert_eq!(
        pip.value
            .path(&["properties", "dnsSettings", "domainNameLabel"])
            .unwrap()
            .as_str(),
        Some("legacy")
    );
}

const LB: &str = r#"resource "azurerm_public_ip" "p" {
  name              = "pip"
  sku               = "Basic"
  allocation_method = "Dynamic"
}
resource "azurerm_lb" "lb" {
  name = "lb"
  sku  = "Basic"
  frontend_ip_configuration {
name                 = "fe"
public_ip_address_id = azurerm_public_ip.p.id
  }
  frontend_ip_configuration {
name               = "internal"
subnet_id          = azurerm_subnet.s.id
private_ip_address = "10.0.0.5"
  }
}
resource "azurerm_lb" "std" {
  name = "std"
}
resource "azurerm_lb_nat_pool" "np" {
  name                           = "rdp"
  loadbalancer_id                = azurerm_lb.lb.id
  protocol                       = "Tcp"
  frontend_port_start            = 50000
  frontend_port_end              = 50119
  backend_port                   = 3389
  frontend_ip_configuration_name = "fe"
  floating_ip_enabled            = false
}
resource "azurerm_lb_nat_rule" "r" {
  name                           = "ssh"
  loadbalancer_id                = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb2"
  protocol                       = "Tcp"
  frontend_port                  = 2222
  backend_port                   = 22
  frontend_ip_configuration_name = "fe"
  backend_address_pool_id        = azurerm_lb_backend_address_pool.bp.id
}
"#;

#[test]
fn load_balancer_and_nat_pools() {
    let d = load(LB);
    let pip = &d.resources[0];
    assert!(pip.is_type("Microsoft.Network/publicIPAddresses"));
    assert_eq!(
        pip.body.path(&["sku", "name"]).unwrap().as_str(),
        Some("Basic")
    );
    assert_eq!(
        pip.body
            .path(&["properties", "publicIPAllocationMethod"])
            .unwrap()
            .as_str(),
        Some("Dynamic")
    );

    let lb = &d.resources[1];
    assert!(lb.is_type("Microsoft.Network/loadBalancers"));
    let sku = lb.body.path_member(&["sku", "name"]).unwrap();
    assert_eq!(sku.value.as_str(), Some("Basic"));
    assert_eq!(at(LB, sku.span()), "sku  = \"Basic\"");
    assert_eq!(
        at(LB, lb.body.member("sku").unwrap().span()),
        "sku  = \"Basic\""
    );
    let fes = lb
        .body
        .path(&["properties", "frontendIPConfigurations"])
        .unwrap()
        .items();
    assert_eq!(fes.len(), 2);
    assert_eq!(fes[0].get("name").unwrap().as_str(), Some("fe"));
    let pid = fes[0]
        .path_member(&["properties", "publicIPAddress", "id"])
        .unwrap();
    assert_eq!(
        at(LB, pid.span()),
        "public_ip_address_id = azurerm_public_ip.p.id"
    );
    let fp = fes[1].get("properties").unwrap();
    assert!(fp.get("publicIPAddress").is_none());
    assert_eq!(
        fp.get("privateIPAddress").unwrap().as_str(),
        Some("10.0.0.5")
    );
    assert!(fp.path(&["subnet", "id"]).unwrap().is_unknown());
    // An absent sku stays absent (azurerm's default is known to the rules).
    assert!(d.resources[2].body.get("sku").is_none());

    let np = &d.resources[3];
    assert!(np.is_type("Microsoft.Network/loadBalancers/inboundNatPools"));
    assert_eq!(np.name_segments, [None, Some("rdp".to_string())]);
    assert_eq!(
        reference(np.parent_ref.as_ref().unwrap()),
        Some(("azurerm_lb.lb", vec!["id"]))
    );
    assert_eq!(np.body.get("name").unwrap().as_str(), Some("rdp"));
    let p = np.properties().unwrap();
    let bp = p.member("backendPort").unwrap();
    assert_eq!(bp.value.as_i64(), Some(3389));
    assert_eq!(at(LB, bp.span()), "backend_port                   = 3389");
    assert_eq!(at(LB, bp.value.span), "3389");
    assert_eq!(
        p.get("frontendPortRangeStart").unwrap().as_i64(),
        Some(50000)
    );
    assert_eq!(p.get("frontendPortRangeEnd").unwrap().as_i64(), Some(50119));
    assert_eq!(p.get("protocol").unwrap().as_str(), Some("Tcp"));
    assert_eq!(
        p.path(&["frontendIPConfiguration", "name"])
            .unwrap()
            .as_str(),
        Some("fe")
    );
    assert_eq!(p.get("enableFloatingIP").unwrap().as_bool(), Some(false));

    let nr = &d.resources[4];
    assert!(nr.is_type("Microsoft.Network/loadBalancers/inboundNatRules"));
    assert_eq!(
        nr.name_segments,
        [Some("lb2".to_string()), Some("ssh".to_string())]
    );
    let p = nr.properties().unwrap();
    assert_eq!(p.get("frontendPort").unwrap().as_i64(), Some(2222));
    assert_eq!(p.get("backendPort").unwrap().as_i64(), Some(22));
    assert_eq!(
        reference(p.path(&["backendAddressPool", "id"]).unwrap()),
        Some(("azurerm_lb_backend_address_pool.bp", vec!["id"]))
    );
}

#[test]
fn route_tables_and_routes() {
    let t = "resource \"azurerm_route_table\" \"rt\" {\n  name = \"rt\"\n  bgp_route_propagation_enabled = false\n  route {\n    name                   = \"default\"\n    address_prefix         = \"0.0.0.0/0\"\n    next_hop_type          = \"VirtualAppliance\"\n    next_hop_in_ip_address = \"10.0.1.4\"\n  }\n}\nresource \"azurerm_route_table\" \"old\" {\n  name = \"old\"\n  disable_bgp_route_propagation = false\n}\nresource \"azurerm_route\" \"aml\" {\n  name             = \"aml\"\n  route_table_name = \"rt\"\n  address_prefix   = \"AzureMachineLearning\"\n  next_hop_type    = \"Internet\"\n}\n";
    let d = load(t);
    let rt = &d.resources[0];
    assert!(rt.is_type("Microsoft.Network/routeTables"));
    let p = rt.properties().unwrap();
    let dis = p.member("disableBgpRoutePropagation").unwrap();
    assert_eq!(dis.value.as_bool(), Some(true));
    assert_eq!(at(t, dis.span()), "bgp_route_propagation_enabled = false");
    let route = &p.get("routes").unwrap().items()[0];
    assert_eq!(route.get("name").unwrap().as_str(), Some("default"));
    let rp = route.get("properties").unwrap();
    assert_eq!(rp.get("addressPrefix").unwrap().as_str(), Some("0.0.0.0/0"));
    let nh = rp.member("nextHopType").unwrap();
    assert_eq!(
        at(t, nh.span()),
        "next_hop_type          = \"VirtualAppliance\""
    );
    assert_eq!(
        rp.get("nextHopIpAddress").unwrap().as_str(),
        Some("10.0.1.4")
    );
    assert_eq!(
        d.resources[1]
            .body
            .path(&["properties", "disableBgpRoutePropagation"])
            .unwrap()
            .as_bool(),
        Some(false)
    );
    let r = &d.resources[2];
    assert!(r.is_type("Microsoft.Network/routeTables/routes"));
    assert_eq!(
        r.name_segments,
        [Some("rt".to_string()), Some("aml".to_string())]
    );
    assert_eq!(
        r.body
            .path(&["properties", "nextHopType"])
            .unwrap()
            .as_str(),
        Some("Internet")
    );
}

#[test]
fn private_endpoint_connection_kinds() {
    let t = "resource \"azurerm_private_endpoint\" \"pe\" {\n  name      = \"pe\"\n  subnet_id = azurerm_subnet.s.id\n  private_service_connection {\n    name                           = \"auto\"\n    private_connection_resource_id = azurerm_key_vault.kv.id\n    subresource_names              = [\"vault\"]\n    is_manual_connection           = false\n  }\n  private_service_connection {\n    name                           = \"manual\"\n    private_connection_resource_id = azurerm_storage_account.st.id\n    subresource_names              = [\"blob\"]\n    is_manual_connection           = true\n  }\n  private_service_connection {\n    name                           = \"unknown\"\n    private_connection_resource_id = azurerm_container_registry.acr.id\n    subresource_names              = [\"registry\"]\n    is_manual_connection           = var.manual\n  }\n}\n";
    let d = load(t);
    let pe = &d.resources[0];
    assert!(pe.is_type("Microsoft.Network/privateEndpoints"));
    let p = pe.properties().unwrap();
    assert_eq!(
        reference(p.path(&["subnet", "id"]).unwrap()),
        Some(("azurerm_subnet.s", vec!["id"]))
    );
    let auto = p.get("privateLinkServiceConnections").unwrap().items();
    let names: Vec<_> = auto
        .iter()
        .map(|c| c.get("name").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(names, ["auto", "unknown"]);
    let cp = auto[0].get("properties").unwrap();
    let target = cp.member("privateLinkServiceId").unwrap();
    assert_eq!(
        at(t, target.span()),
        "private_connection_resource_id = azurerm_key_vault.kv.id"
    );
    assert_eq!(
        reference(&target.value),
        Some(("azurerm_key_vault.kv", vec!["id"]))
    );
    let groups = cp.get("groupIds").unwrap().items();
    assert_eq!(at(t, groups[0].span), "\"vault\"");
    let manual = p
        .get("manualPrivateLinkServiceConnections")
        .unwrap()
        .items();
    assert_eq!(manual.len(), 1);
    assert_eq!(
        manual[0].path(&["properties", "groupIds"]).unwrap().items()[0].as_str(),
        Some("blob")
    );
    assert!(at(t, manual[0].span).starts_with("private_service_connection {"));
}

#[test]
fn workspace_dependencies_and_other_resources() {
    let t = "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\nresource \"azurerm_storage_account\" \"st\" {\n  name                          = \"st\"\n  public_network_access_enabled = false\n  allow_nested_items_to_be_public = false\n  min_tls_version               = \"TLS1_2\"\n  network_rules {\n    default_action = \"Deny\"\n    ip_rules       = [\"1.2.3.4\"]\n  }\n}\nresource \"azurerm_key_vault\" \"kv\" {\n  name                          = \"kv\"\n  public_network_access_enabled = true\n  network_acls {\n    default_action = \"Allow\"\n    bypass         = \"AzureServices\"\n  }\n}\nresource \"azurerm_container_registry\" \"acr\" {\n  name                      = \"acr\"\n  sku                       = \"Premium\"\n  public_network_access_enabled = false\n  quarantine_policy_enabled = true\n}\nresource \"azurerm_bastion_host\" \"b\" {\n  name = \"bastion\"\n  sku  = \"Standard\"\n  ip_configuration {\n    name                 = \"ipc\"\n    subnet_id            = azurerm_subnet.s.id\n    public_ip_address_id = azurerm_public_ip.p.id\n  }\n}\nresource \"azurerm_batch_certificate\" \"c\" {\n  account_name = \"acct\"\n  format       = \"Pfx\"\n  thumbprint   = \"42C107874FD0E4A9583292A2F1098E8FE4B2EDDA\"\n  thumbprint_algorithm = \"SHA1\"\n}\nresource \"azurerm_nat_gateway\" \"g\" {\n  name     = \"g\"\n  sku_name = \"Standard\"\n}\nresource \"azurerm_public_ip_prefix\" \"pp\" {\n  name          = \"pp\"\n  prefix_length = 28\n}\n";
    let d = load(t);
    let rg = &d.resources[0];
    assert!(rg.is_type("Microsoft.Resources/resourceGroups"));
    assert_eq!(
        rg.body.get("location").unwrap().as_str(),
        Some("westeurope")
    );

    let st = &d.resources[1];
    assert!(st.is_type("Microsoft.Storage/storageAccounts"));
    let p = st.properties().unwrap();
    assert_eq!(
        p.get("publicNetworkAccess").unwrap().as_str(),
        Some("Disabled")
    );
    assert_eq!(
        p.get("allowBlobPublicAccess").unwrap().as_bool(),
        Some(false)
    );
    assert_eq!(p.get("minimumTlsVersion").unwrap().as_str(), Some("TLS1_2"));
    let da = p.path_member(&["networkAcls", "defaultAction"]).unwrap();
    assert_eq!(at(t, da.span()), "default_action = \"Deny\"");
    assert_eq!(
        p.path(&["networkAcls", "ipRules"]).unwrap().items()[0]
            .get("value")
            .unwrap()
            .as_str(),
        Some("1.2.3.4")
    );

    let kv = &d.resources[2];
    assert!(kv.is_type("Microsoft.KeyVault/vaults"));
    let p = kv.properties().unwrap();
    assert_eq!(
        p.get("publicNetworkAccess").unwrap().as_str(),
        Some("Enabled")
    );
    assert_eq!(
        p.path(&["networkAcls", "defaultAction"]).unwrap().as_str(),
        Some("Allow")
    );

    let acr = &d.resources[3];
    assert!(acr.is_type("Microsoft.ContainerRegistry/registries"));
    assert_eq!(
        acr.body.path(&["sku", "name"]).unwrap().as_str(),
        Some("Premium")
    );
    let q = acr
        .body
        .path_member(&["properties", "policies", "quarantinePolicy", "status"])
        .unwrap();
    assert_eq!(q.value.as_str(), Some("enabled"));
    assert_eq!(at(t, q.span()), "quarantine_policy_enabled = true");
    assert_eq!(
        acr.body
            .path(&["properties", "publicNetworkAccess"])
            .unwrap()
            .as_str(),
        Some("Disabled")
    );

    let b = &d.resources[4];
    assert!(b.is_type("Microsoft.Network/bastionHosts"));
    assert_eq!(
        b.body.path(&["sku", "name"]).unwrap().as_str(),
        Some("Standard")
    );
    let ipc = &b
        .body
        .path(&["properties", "ipConfigurations"])
        .unwrap()
        .items()[0];
    let sid = ipc.path_member(&["properties", "subnet", "id"]).unwrap();
    assert_eq!(
        at(t, sid.span()),
        "subnet_id            = azurerm_subnet.s.id"
    );
    assert!(ipc
        .path(&["properties", "publicIPAddress", "id"])
        .unwrap()
        .is_unknown());

    let c = &d.resources[5];
    assert!(c.is_type("Microsoft.Batch/batchAccounts/certificates"));
    assert_eq!(c.name_segments, [Some("acct".to_string()), None]);
    assert_eq!(c.parent_ref.as_ref().unwrap().as_str(), Some("acct"));
    assert_eq!(
        c.body.path(&["properties", "format"]).unwrap().as_str(),
        Some("Pfx")
    );

    let g = &d.resources[6];
    assert!(g.is_type("Microsoft.Network/natGateways"));
    assert_eq!(
        g.body.path(&["sku", "name"]).unwrap().as_str(),
        Some("Standard")
    );
    let pp = &d.resources[7];
    assert!(pp.is_type("Microsoft.Network/publicIPPrefixes"));
    assert_eq!(
        pp.body
            .path(&["properties", "prefixLength"])
            .unwrap()
            .as_i64(),
        Some(28)
    );
}

#[test]
fn quarantine_false_and_unknown() {
    let t = "resource \"azurerm_container_registry\" \"a\" {\n  quarantine_policy_enabled = false\n}\nresource \"azurerm_container_registry\" \"b\" {\n  quarantine_policy_enabled = var.q\n}\n";
    let d = load(t);
    let path = ["properties", "policies", "quarantinePolicy", "status"];
    assert_eq!(
        d.resources[0].body.path(&path).unwrap().as_str(),
        Some("disabled")
    );
    assert!(d.resources[1].body.path(&path).unwrap().is_unknown());
}

#[test]
fn split_range_forms() {
    assert_eq!(split_range("1-2"), Some(((1.0, 0..1), (2.0, 2..3))));
    assert_eq!(split_range(" 10 - 20"), Some(((10.0, 1..3), (20.0, 6..8))));
    assert_eq!(split_range("10"), None);
    assert_eq!(split_range("a-b"), None);
    assert_eq!(split_range("1-2-3"), None);
    assert_eq!(split_range("-5"), None);
}
