//! azurerm → ARM: a mapping table that lowers azurerm resources onto the ARM property shape, so
//! that rules written against ARM paths hold for azurerm too (spec §1.9 and each rule's Paths).
//!
//! Each [`Mapping`] names the azurerm type, the ARM type, where the parent is referenced, and a
//! list of [`Field`]s: a snake_case attribute or block of the Terraform body, the dotted ARM path it
//! lands on (relative to the resource object, or to the enclosing block's object for fields of a
//! nested block) and a conversion. A lowered value keeps the span of the Terraform value it came
//! from and its member keeps the Terraform key span, so a finding on `publicNetworkAccess` points at
//! `public_network_access_enabled = true`. Objects the ARM shape needs but Terraform does not
//! write (`properties`, `publicIPAddressConfiguration`, …) span what they contain.
//!
//! Defaults are never filled in: an attribute that is absent stays absent, because azurerm and ARM
//! defaults differ in places (for example `ssh_public_access_enabled`); rules that depend on the
//! azurerm default check [`Syntax::Azurerm`]. To support another resource type, add a `Mapping` to
//! [`MAPPINGS`].

use super::azapi::arm_id_names;
use super::hcl::{self, Ctx};
use super::terraform::ResourceBlock;
use crate::ir::{Member, Node, Resource, Span, Syntax, Value};

/// How one Terraform attribute or block becomes ARM.
enum Conv {
    /// The value as written.
    Same,
    /// `true` → `"Enabled"`, `false` → `"Disabled"`.
    Enabled,
    /// Boolean negation (`local_auth_enabled` → `disableLocalAuth`).
    Not,
    /// A list of ids → `[{ "id": … }, …]`.
    IdObjects,
    /// A block that appears at most once → an object mapped with the inner fields.
    Block(&'static [Field]),
    /// A repeatable block → an array of objects mapped with the inner fields.
    Blocks(&'static [Field]),
    /// Anything else: writes into the enclosing ARM object itself.
    Custom(fn(&Member, &Mcx, &str, &mut Node)),
}

struct Field {
    /// Terraform attribute or block name; `|` separates spellings of different provider versions.
    tf: &'static str,
    /// Dotted ARM path relative to the enclosing object.
    arm: &'static str,
    conv: Conv,
}

const fn f(tf: &'static str, arm: &'static str) -> Field {
    Field {
        tf,
        arm,
        conv: Conv::Same,
    }
}
const fn c(tf: &'static str, arm: &'static str, conv: Conv) -> Field {
    Field { tf, arm, conv }
}

/// Where a child resource names its parent.
enum Parent {
    None,
    /// The parent's name (`account_name`): the first name segment when literal.
    Name(&'static str),
    /// The parent's resource id (`machine_learning_workspace_id`).
    Id(&'static str),
}

struct Mapping {
    tf_type: &'static str,
    arm_type: &'static str,
    parent: Parent,
    fields: &'static [Field],
    /// ARM values implied by the Terraform type (`computeType`); they span the resource header.
    constants: &'static [(&'static str, &'static str)],
}

/// What custom conversions need to know.
struct Mcx<'a> {
    text: &'a str,
}

// ---------------------------------------------------------------------------------------------
// The table.

/// Fields every resource has.
const COMMON: &[Field] = &[
    f("name", "name"),
    f("location", "location"),
    f("tags", "tags"),
    c("identity", "identity", Conv::Custom(identity)),
];

const NSG_RULE: &[Field] = &[
    f("name", "name"),
    f("description", "properties.description"),
    f("priority", "properties.priority"),
    f("direction", "properties.direction"),
    f("access", "properties.access"),
    f("protocol", "properties.protocol"),
    f("source_port_range", "properties.sourcePortRange"),
    f("source_port_ranges", "properties.sourcePortRanges"),
    f("destination_port_range", "properties.destinationPortRange"),
    f(
        "destination_port_ranges",
        "properties.destinationPortRanges",
    ),
    f("source_address_prefix", "properties.sourceAddressPrefix"),
    f(
        "source_address_prefixes",
        "properties.sourceAddressPrefixes",
    ),
    f(
        "destination_address_prefix",
        "properties.destinationAddressPrefix",
    ),
    f(
        "destination_address_prefixes",
        "properties.destinationAddressPrefixes",
    ),
    c(
        "source_application_security_group_ids",
        "properties.sourceApplicationSecurityGroups",
        Conv::IdObjects,
    ),
    c(
        "destination_application_security_group_ids",
        "properties.destinationApplicationSecurityGroups",
        Conv::IdObjects,
    ),
];

const NSG: &[Field] = &[c(
    "security_rule",
    "properties.securityRules",
    Conv::Blocks(NSG_RULE),
)];

const BATCH_IP_RULE: &[Field] = &[f("ip_range", "value"), f("action", "action")];
const BATCH_ACCESS: &[Field] = &[
    f("default_action", "defaultAction"),
    c("ip_rule", "ipRules", Conv::Blocks(BATCH_IP_RULE)),
];

const BATCH_ACCOUNT: &[Field] = &[
    c(
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        Conv::Enabled,
    ),
    c(
        "network_profile",
        "properties.networkProfile",
        Conv::Block(&[
            c("account_access", "accountAccess", Conv::Block(BATCH_ACCESS)),
            c(
                "node_management_access",
                "nodeManagementAccess",
                Conv::Block(BATCH_ACCESS),
            ),
        ]),
    ),
    f(
        "allowed_authentication_modes",
        "properties.allowedAuthenticationModes",
    ),
    f("pool_allocation_mode", "properties.poolAllocationMode"),
    c(
        "key_vault_reference",
        "properties.keyVaultReference",
        Conv::Block(&[f("id", "id"), f("url", "url")]),
    ),
    c(
        "encryption",
        "properties.encryption",
        Conv::Custom(batch_encryption),
    ),
    f(
        "storage_account_id",
        "properties.autoStorage.storageAccountId",
    ),
    f(
        "storage_account_authentication_mode",
        "properties.autoStorage.authenticationMode",
    ),
    f(
        "storage_account_node_identity",
        "properties.autoStorage.nodeIdentityReference.resourceId",
    ),
];

const ENDPOINT_RULE: &[Field] = &[
    f("priority", "priority"),
    f("access", "access"),
    f("source_address_prefix", "sourceAddressPrefix"),
    f("source_port_ranges", "sourcePortRanges"),
];

const NAT_POOL: &[Field] = &[
    f("name", "name"),
    f("protocol", "protocol"),
    f("backend_port", "backendPort"),
    c("frontend_port_range", "", Conv::Custom(frontend_port_range)),
    c(
        "network_security_group_rules",
        "networkSecurityGroupRules",
        Conv::Blocks(ENDPOINT_RULE),
    ),
];

const POOL_NETWORK: &[Field] = &[
    f("subnet_id", "subnetId"),
    f(
        "dynamic_vnet_assignment_scope",
        "dynamicVnetAssignmentScope",
    ),
    f(
        "accelerated_networking_enabled",
        "enableAcceleratedNetworking",
    ),
    f(
        "public_address_provisioning_type",
        "publicIPAddressConfiguration.provision",
    ),
    f("public_ips", "publicIPAddressConfiguration.ipAddressIds"),
    c(
        "endpoint_configuration",
        "endpointConfiguration.inboundNatPools",
        Conv::Blocks(NAT_POOL),
    ),
];

const BATCH_POOL: &[Field] = &[
    f("display_name", "properties.displayName"),
    f("vm_size", "properties.vmSize"),
    f("max_tasks_per_node", "properties.taskSlotsPerNode"),
    f("inter_node_communication", "properties.interNodeCommunication"),
    f("target_node_communication_mode", "properties.targetNodeCommunicationMode"),
    c("network_configuration", "properties.networkConfiguration", Conv::Block(POOL_NETWORK)),
    f(
        "node_agent_sku_id",
        "properties.deploymentConfiguration.virtualMachineConfiguration.nodeAgentSkuId",
    ),
    c(
        "storage_image_reference",
        "properties.deploymentConfiguration.virtualMachineConfiguration.imageReference",
        Conv::Block(&[
            f("id", "id"),
            f("publisher", "publisher"),
            f("offer", "offer"),
            f("sku", "sku"),
            f("version", "version"),
        ]),
    ),
    c(
        "security_profile",
        "properties.deploymentConfiguration.virtualMachineConfiguration.securityProfile",
        Conv::Block(&[
            f("security_type", "securityType"),
            f("secure_boot_enabled", "uefiSettings.secureBootEnabled"),
            f("vtpm_enabled", "uefiSettings.vTpmEnabled"),
            f("host_encryption_enabled", "encryptionAtHost"),
        ]),
    ),
    c(
        "disk_encryption",
        "properties.deploymentConfiguration.virtualMachineConfiguration.diskEncryptionConfiguration.targets",
        Conv::Custom(disk_encryption_targets),
    ),
    c(
        "windows",
        "properties.deploymentConfiguration.virtualMachineConfiguration.windowsConfiguration",
        Conv::Block(&[f(
            "enable_automatic_updates|automatic_updates_enabled",
            "enableAutomaticUpdates",
        )]),
    ),
    f(
        "license_type",
        "properties.deploymentConfiguration.virtualMachineConfiguration.licenseType",
    ),
    c(
        "node_placement",
        "properties.deploymentConfiguration.virtualMachineConfiguration.nodePlacementConfiguration",
        Conv::Block(&[f("policy", "policy")]),
    ),
    f(
        "os_disk_placement",
        "properties.deploymentConfiguration.virtualMachineConfiguration.osDisk.ephemeralOSDiskSettings.placement",
    ),
    c(
        "container_configuration",
        "properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration",
        Conv::Block(&[f("type", "type"), f("container_image_names", "containerImageNames")]),
    ),
    c(
        "data_disks",
        "properties.deploymentConfiguration.virtualMachineConfiguration.dataDisks",
        Conv::Blocks(&[
            f("lun", "lun"),
            f("caching", "caching"),
            f("disk_size_gb", "diskSizeGB"),
            f("storage_account_type", "storageAccountType"),
        ]),
    ),
    c(
        "extensions",
        "properties.deploymentConfiguration.virtualMachineConfiguration.extensions",
        Conv::Blocks(&[
            f("name", "name"),
            f("publisher", "publisher"),
            f("type", "type"),
            f("type_handler_version", "typeHandlerVersion"),
            f("auto_upgrade_minor_version", "autoUpgradeMinorVersion"),
            f("automatic_upgrade_enabled", "enableAutomaticUpgrade"),
            f("provision_after_extensions", "provisionAfterExtensions"),
        ]),
    ),
    c(
        "user_accounts",
        "properties.userAccounts",
        Conv::Blocks(&[
            f("name", "name"),
            f("password", "password"),
            f("elevation_level", "elevationLevel"),
            c(
                "linux_user_configuration",
                "linuxUserConfiguration",
                Conv::Block(&[
                    f("uid", "uid"),
                    f("gid", "gid"),
                    f("ssh_private_key", "sshPrivateKey"),
                ]),
            ),
            c(
                "windows_user_configuration",
                "windowsUserConfiguration",
                Conv::Block(&[f("login_mode", "loginMode")]),
            ),
        ]),
    ),
    c(
        "certificate",
        "properties.certificates",
        Conv::Blocks(&[
            f("id", "id"),
            f("store_location", "storeLocation"),
            f("store_name", "storeName"),
            f("visibility", "visibility"),
        ]),
    ),
    c(
        "fixed_scale",
        "properties.scaleSettings.fixedScale",
        Conv::Block(&[
            f("target_dedicated_nodes", "targetDedicatedNodes"),
            f("target_low_priority_nodes", "targetLowPriorityNodes"),
            f("resize_timeout", "resizeTimeout"),
            f("node_deallocation_method", "nodeDeallocationOption"),
        ]),
    ),
    c(
        "auto_scale",
        "properties.scaleSettings.autoScale",
        Conv::Block(&[f("evaluation_interval", "evaluationInterval"), f("formula", "formula")]),
    ),
    c(
        "task_scheduling_policy",
        "properties.taskSchedulingPolicy",
        Conv::Block(&[f("node_fill_type", "nodeFillType")]),
    ),
    c(
        "start_task",
        "properties.startTask",
        Conv::Block(&[
            f("command_line", "commandLine"),
            f("wait_for_success", "waitForSuccess"),
            f("task_retry_maximum", "maxTaskRetryCount"),
            c(
                "user_identity",
                "userIdentity",
                Conv::Block(&[
                    f("user_name", "userName"),
                    c(
                        "auto_user",
                        "autoUser",
                        Conv::Block(&[
                            f("elevation_level", "elevationLevel"),
                            f("scope", "scope"),
                        ]),
                    ),
                ]),
            ),
        ]),
    ),
];

const ML_WORKSPACE: &[Field] = &[
    c(
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        Conv::Enabled,
    ),
    f(
        "public_access_behind_virtual_network_enabled",
        "properties.allowPublicAccessWhenBehindVnet",
    ),
    f("key_vault_id", "properties.keyVault"),
    f("storage_account_id", "properties.storageAccount"),
    f("container_registry_id", "properties.containerRegistry"),
    f("application_insights_id", "properties.applicationInsights"),
    f("high_business_impact", "properties.hbiWorkspace"),
    f("image_build_compute_name", "properties.imageBuildCompute"),
    f("description", "properties.description"),
    f("friendly_name", "properties.friendlyName"),
    f(
        "primary_user_assigned_identity",
        "properties.primaryUserAssignedIdentity",
    ),
    f("v1_legacy_mode_enabled", "properties.v1LegacyMode"),
    f(
        "service_side_encryption_enabled",
        "properties.enableServiceSideCMKEncryption",
    ),
    f("sku_name", "sku.name"),
    f("kind", "kind"),
    c(
        "managed_network",
        "properties.managedNetwork",
        Conv::Block(&[f("isolation_mode", "isolationMode")]),
    ),
    c(
        "encryption",
        "properties.encryption",
        Conv::Custom(ml_encryption),
    ),
    c(
        "serverless_compute",
        "properties.serverlessComputeSettings",
        Conv::Block(&[
            f("subnet_id", "serverlessComputeCustomSubnet"),
            c(
                "public_ip_enabled",
                "serverlessComputeNoPublicIP",
                Conv::Not,
            ),
        ]),
    ),
];

/// `CP` (`properties.properties`) holds the compute's own settings.
const ML_CLUSTER: &[Field] = &[
    f("description", "properties.description"),
    c(
        "local_auth_enabled",
        "properties.disableLocalAuth",
        Conv::Not,
    ),
    f("subnet_resource_id", "properties.properties.subnet.id"),
    f(
        "node_public_ip_enabled",
        "properties.properties.enableNodePublicIp",
    ),
    c(
        "ssh_public_access_enabled",
        "properties.properties.remoteLoginPortPublicAccess",
        Conv::Enabled,
    ),
    f("vm_size", "properties.properties.vmSize"),
    f("vm_priority", "properties.properties.vmPriority"),
    c(
        "scale_settings",
        "properties.properties.scaleSettings",
        Conv::Block(&[
            f("max_node_count", "maxNodeCount"),
            f("min_node_count", "minNodeCount"),
            f(
                "scale_down_nodes_after_idle_duration",
                "nodeIdleTimeBeforeScaleDown",
            ),
        ]),
    ),
    c(
        "ssh",
        "properties.properties.userAccountCredentials",
        Conv::Block(&[
            f("admin_username", "adminUserName"),
            f("admin_password", "adminUserPassword"),
            f("key_value", "adminUserSshPublicKey"),
        ]),
    ),
];

const ML_INSTANCE: &[Field] = &[
    f("description", "properties.description"),
    c(
        "local_auth_enabled",
        "properties.disableLocalAuth",
        Conv::Not,
    ),
    f("subnet_resource_id", "properties.properties.subnet.id"),
    f(
        "node_public_ip_enabled",
        "properties.properties.enableNodePublicIp",
    ),
    f("virtual_machine_size", "properties.properties.vmSize"),
    f(
        "authorization_type",
        "properties.properties.computeInstanceAuthorizationType",
    ),
    c(
        "ssh",
        "properties.properties.sshSettings",
        Conv::Custom(instance_ssh),
    ),
    c(
        "assign_to_user",
        "properties.properties.personalComputeInstanceSettings.assignedUser",
        Conv::Block(&[f("object_id", "objectId"), f("tenant_id", "tenantId")]),
    ),
];

const MAPPINGS: &[Mapping] = &[
    Mapping {
        tf_type: "azurerm_network_security_group",
        arm_type: "Microsoft.Network/networkSecurityGroups",
        parent: Parent::None,
        fields: NSG,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_network_security_rule",
        arm_type: "Microsoft.Network/networkSecurityGroups/securityRules",
        parent: Parent::Name("network_security_group_name"),
        fields: NSG_RULE,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_batch_account",
        arm_type: "Microsoft.Batch/batchAccounts",
        parent: Parent::None,
        fields: BATCH_ACCOUNT,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_batch_pool",
        arm_type: "Microsoft.Batch/batchAccounts/pools",
        parent: Parent::Name("account_name"),
        fields: BATCH_POOL,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_machine_learning_workspace",
        arm_type: "Microsoft.MachineLearningServices/workspaces",
        parent: Parent::None,
        fields: ML_WORKSPACE,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_machine_learning_compute_cluster",
        arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
        parent: Parent::Id("machine_learning_workspace_id"),
        fields: ML_CLUSTER,
        constants: &[("properties.computeType", "AmlCompute")],
    },
    Mapping {
        tf_type: "azurerm_machine_learning_compute_instance",
        arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
        parent: Parent::Id("machine_learning_workspace_id"),
        fields: ML_INSTANCE,
        constants: &[("properties.computeType", "ComputeInstance")],
    },
];

/// The ARM type an azurerm resource type lowers to, if it is in the table.
pub fn arm_type(tf_type: &str) -> Option<&'static str> {
    MAPPINGS
        .iter()
        .find(|m| m.tf_type == tf_type)
        .map(|m| m.arm_type)
}

// ---------------------------------------------------------------------------------------------
// Lowering.

/// Lowers an azurerm resource block; `None` for types not in the table.
pub fn lower(rb: &ResourceBlock, ctx: &Ctx) -> Option<Resource> {
    let map = MAPPINGS.iter().find(|m| m.tf_type == rb.tf_type)?;
    let tf_body = hcl::lower_block(rb.block, ctx);
    let mcx = Mcx { text: ctx.text };

    let mut body = Node::new(Value::Object(Vec::new()), rb.span);
    apply(&COMMON[..2], &tf_body, &mut body, &mcx);
    push_member(
        &mut body,
        Member {
            key: "properties".into(),
            key_span: rb.header,
            value: Node::new(Value::Object(Vec::new()), rb.span),
        },
    );
    for (path, value) in map.constants {
        put(
            &mut body,
            path,
            rb.header,
            Node::new(Value::String((*value).into()), rb.header),
        );
    }
    apply(map.fields, &tf_body, &mut body, &mcx);
    apply(&COMMON[2..], &tf_body, &mut body, &mcx);

    let name_member = tf_body.member("name");
    let name = name_member
        .and_then(|m| m.value.as_str())
        .map(str::to_string);
    let name_span = name_member.map_or(rb.name_label, |m| m.span());
    let (parent_ref, mut name_segments) = match map.parent {
        Parent::None => (None, Vec::new()),
        Parent::Name(k) => {
            let n = tf_body.member(k).map(|m| m.value.clone());
            let seg = n.as_ref().and_then(|n| n.as_str()).map(str::to_string);
            (n, vec![seg])
        }
        Parent::Id(k) => {
            let n = tf_body.member(k).map(|m| m.value.clone());
            let seg = n
                .as_ref()
                .and_then(|n| n.as_str())
                .and_then(|id| arm_id_names(id).pop());
            (n, vec![seg])
        }
    };
    name_segments.push(name);

    Some(Resource {
        syntax: Syntax::Azurerm,
        rtype: map.arm_type.into(),
        api_version: None,
        api_version_span: None,
        tf_type: Some(rb.tf_type.into()),
        tf_address: Some(rb.address.clone()),
        name_segments,
        name_span,
        parent_ref,
        header: rb.header,
        span: rb.span,
        body,
        tf_body: Some(tf_body),
    })
}

/// Maps the fields found in the Terraform object `src` into the ARM object `dst`.
fn apply(fields: &[Field], src: &Node, dst: &mut Node, mcx: &Mcx) {
    for field in fields {
        let Some(m) = field.tf.split('|').find_map(|k| src.member(k)) else {
            continue;
        };
        let v = &m.value;
        let value = match &field.conv {
            Conv::Same => v.clone(),
            Conv::Enabled => enabled(v),
            Conv::Not => negate(v),
            Conv::IdObjects => match &v.value {
                Value::Array(items) => {
                    Node::new(Value::Array(items.iter().map(id_object).collect()), v.span)
                }
                _ => v.clone(),
            },
            Conv::Block(sub) => match first(v) {
                Some(e) if matches!(e.value, Value::Object(_)) => map_object(sub, e, mcx),
                Some(e) => e.clone(),
                None if matches!(v.value, Value::Array(_)) => continue,
                None => v.clone(),
            },
            Conv::Blocks(sub) => match &v.value {
                Value::Array(items) => Node::new(
                    Value::Array(items.iter().map(|e| map_element(sub, e, mcx)).collect()),
                    v.span,
                ),
                Value::Object(_) => Node::new(Value::Array(vec![map_object(sub, v, mcx)]), v.span),
                _ => v.clone(),
            },
            Conv::Custom(func) => {
                func(m, mcx, field.arm, dst);
                continue;
            }
        };
        put(dst, field.arm, m.key_span, value);
    }
}

fn map_object(fields: &[Field], src: &Node, mcx: &Mcx) -> Node {
    let mut o = Node::new(Value::Object(Vec::new()), src.span);
    apply(fields, src, &mut o, mcx);
    o
}

fn map_element(fields: &[Field], e: &Node, mcx: &Mcx) -> Node {
    match e.value {
        Value::Object(_) => map_object(fields, e, mcx),
        _ => e.clone(),
    }
}

/// The first (usually only) block of a block member, or the object of the attribute form.
fn first(v: &Node) -> Option<&Node> {
    match &v.value {
        Value::Array(items) => items.first(),
        _ => Some(v),
    }
}

fn push_member(dst: &mut Node, m: Member) {
    if let Value::Object(members) = &mut dst.value {
        members.push(m);
    }
}

/// Puts `value` at the dotted `path` under `dst`, creating the objects on the way. A created
/// object takes `key_span` as its key span and grows to span everything put into it. The first
/// value put at a path wins (so the first spelling of a renamed attribute is kept).
fn put(dst: &mut Node, path: &str, key_span: Span, value: Node) {
    let added = key_span.to(value.span);
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else { return };
    let mut cur = dst;
    for seg in segments {
        let Value::Object(members) = &mut cur.value else {
            return;
        };
        let i = match members.iter().position(|m| m.key.eq_ignore_ascii_case(seg)) {
            Some(i) => i,
            None => {
                members.push(Member {
                    key: seg.into(),
                    key_span,
                    value: Node::new(Value::Object(Vec::new()), added),
                });
                members.len() - 1
            }
        };
        let next = &mut members[i].value;
        if !matches!(next.value, Value::Object(_)) {
            return;
        }
        next.span = next.span.to(added);
        cur = next;
    }
    if let Value::Object(members) = &mut cur.value {
        if !members.iter().any(|m| m.key.eq_ignore_ascii_case(last)) {
            members.push(Member {
                key: last.into(),
                key_span,
                value,
            });
        }
    }
}

/// `true` → `"Enabled"`, `false` → `"Disabled"`; Unknown and `null` stay as they are.
fn enabled(v: &Node) -> Node {
    match &v.value {
        Value::Unknown(_) | Value::Null => v.clone(),
        _ => match v.as_bool() {
            Some(true) => Node::new(Value::String("Enabled".into()), v.span),
            Some(false) => Node::new(Value::String("Disabled".into()), v.span),
            None => Node::unknown("expected a boolean", v.span),
        },
    }
}

fn negate(v: &Node) -> Node {
    match &v.value {
        Value::Unknown(_) | Value::Null => v.clone(),
        _ => match v.as_bool() {
            Some(b) => Node::new(Value::Bool(!b), v.span),
            None => Node::unknown("expected a boolean", v.span),
        },
    }
}

fn id_object(v: &Node) -> Node {
    let id = Member {
        key: "id".into(),
        key_span: v.span,
        value: v.clone(),
    };
    Node::new(Value::Object(vec![id]), v.span)
}

/// A block mapped with `fields`, plus one ARM value its presence implies, spanning the block.
fn block_with_constant(
    m: &Member,
    mcx: &Mcx,
    arm: &str,
    dst: &mut Node,
    constant: (&str, &str),
    fields: &[Field],
) {
    let value = match first(&m.value) {
        Some(e) if matches!(e.value, Value::Object(_)) => {
            let mut o = Node::new(Value::Object(Vec::new()), e.span);
            push_member(
                &mut o,
                Member {
                    key: constant.0.into(),
                    key_span: m.key_span,
                    value: Node::new(Value::String(constant.1.into()), e.span),
                },
            );
            apply(fields, e, &mut o, mcx);
            o
        }
        Some(e) => e.clone(),
        None if matches!(m.value.value, Value::Array(_)) => return,
        None => m.value.clone(),
    };
    put(dst, arm, m.key_span, value);
}

/// Batch `encryption { key_vault_key_id }`: the block means a customer-managed key.
fn batch_encryption(m: &Member, mcx: &Mcx, arm: &str, dst: &mut Node) {
    block_with_constant(
        m,
        mcx,
        arm,
        dst,
        ("keySource", "Microsoft.KeyVault"),
        &[f("key_vault_key_id", "keyVaultProperties.keyIdentifier")],
    );
}

/// ML workspace `encryption { key_vault_id, key_id, user_assigned_identity_id }`.
fn ml_encryption(m: &Member, mcx: &Mcx, arm: &str, dst: &mut Node) {
    block_with_constant(
        m,
        mcx,
        arm,
        dst,
        ("status", "Enabled"),
        &[
            f("key_vault_id", "keyVaultProperties.keyVaultArmId"),
            f("key_id", "keyVaultProperties.keyIdentifier"),
            f("user_assigned_identity_id", "identity.userAssignedIdentity"),
        ],
    );
}

/// Compute instance `ssh { public_key }`: the block opens SSH to the public.
fn instance_ssh(m: &Member, mcx: &Mcx, arm: &str, dst: &mut Node) {
    block_with_constant(
        m,
        mcx,
        arm,
        dst,
        ("sshPublicAccess", "Enabled"),
        &[f("public_key", "adminPublicKey")],
    );
}

/// `identity { type, identity_ids }` → `{ type, userAssignedIdentities: { "<id>": {} } }`.
fn identity(m: &Member, _mcx: &Mcx, arm: &str, dst: &mut Node) {
    if let Some(value) = identity_value(m) {
        put(dst, arm, m.key_span, value);
    }
}

/// The ARM `identity` object for a Terraform `identity` block member (azurerm and azapi).
pub(super) fn identity_value(m: &Member) -> Option<Node> {
    let e = match first(&m.value) {
        Some(e) if matches!(e.value, Value::Object(_)) => e,
        Some(e) => return Some(e.clone()),
        None if matches!(m.value.value, Value::Array(_)) => return None,
        None => return Some(m.value.clone()),
    };
    let mut o = Node::new(Value::Object(Vec::new()), e.span);
    if let Some(t) = e.member("type") {
        put(&mut o, "type", t.key_span, t.value.clone());
    }
    if let Some(ids) = e.member("identity_ids") {
        let v = &ids.value;
        let keyed = match &v.value {
            Value::Array(items) if items.iter().all(|i| i.as_str().is_some()) => {
                let members = items
                    .iter()
                    .map(|i| Member {
                        key: i.as_str().unwrap_or_default().into(),
                        key_span: i.span,
                        value: Node::new(Value::Object(Vec::new()), i.span),
                    })
                    .collect();
                Node::new(Value::Object(members), v.span)
            }
            Value::Null | Value::Unknown(_) => v.clone(),
            _ => Node::unknown("user-assigned identity ids are not all known", v.span),
        };
        put(&mut o, "userAssignedIdentities", ids.key_span, keyed);
    }
    Some(o)
}

/// `disk_encryption { disk_encryption_target }` blocks → `targets[]`.
fn disk_encryption_targets(m: &Member, _mcx: &Mcx, arm: &str, dst: &mut Node) {
    let v = &m.value;
    let value = match &v.value {
        Value::Array(items) => {
            let targets = items
                .iter()
                .filter_map(|e| match &e.value {
                    Value::Object(_) => e.member("disk_encryption_target").map(|t| t.value.clone()),
                    _ => Some(e.clone()),
                })
                .collect();
            Node::new(Value::Array(targets), v.span)
        }
        _ => v.clone(),
    };
    put(dst, arm, m.key_span, value);
}

/// `frontend_port_range = "S-E"` → `frontendPortRangeStart` / `frontendPortRangeEnd`, each
/// spanning its digits inside the string. A value of another form gives Unknown bounds.
fn frontend_port_range(m: &Member, mcx: &Mcx, _arm: &str, dst: &mut Node) {
    let v = &m.value;
    let (start, end) = match &v.value {
        Value::String(s) => match split_range(s) {
            Some((a, b)) => {
                // Offset of the string's first character in the file, when written plainly.
                let inner = mcx
                    .text
                    .get(v.span.start..v.span.end)
                    .filter(|raw| raw.len() == s.len() + 2 && raw[1..raw.len() - 1] == **s)
                    .map(|_| v.span.start + 1);
                let node = |(n, r): (f64, std::ops::Range<usize>)| {
                    let span =
                        inner.map_or(v.span, |o| Span::new(v.span.file, o + r.start, o + r.end));
                    Node::new(Value::Number(n), span)
                };
                (node(a), node(b))
            }
            None => {
                let u = Node::unknown(
                    format!("`frontend_port_range` \"{s}\" is not of the form START-END"),
                    v.span,
                );
                (u.clone(), u)
            }
        },
        Value::Unknown(_) | Value::Null => (v.clone(), v.clone()),
        _ => {
            let u = Node::unknown("`frontend_port_range` is not a string", v.span);
            (u.clone(), u)
        }
    };
    put(dst, "frontendPortRangeStart", m.key_span, start);
    put(dst, "frontendPortRangeEnd", m.key_span, end);
}

type Bound = (f64, std::ops::Range<usize>);

/// `"4000-4100"` → the two numbers with their byte ranges in the string.
fn split_range(s: &str) -> Option<(Bound, Bound)> {
    let dash = s.find('-')?;
    let digits = |from: usize, part: &str| -> Option<Bound> {
        let lead = part.len() - part.trim_start().len();
        let t = part.trim();
        if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let start = from + lead;
        Some((t.parse::<u64>().ok()? as f64, start..start + t.len()))
    };
    Some((digits(0, &s[..dash])?, digits(dash + 1, &s[dash + 1..])?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::{terraform, InputKind};
    use crate::ir::{Document, Reference};
    use crate::source::SourceFile;

    fn load(text: &str) -> Document {
        let f = SourceFile::new(0, "main.tf".into(), "main.tf".into(), text);
        let d = terraform::load(&f, InputKind::Terraform);
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
        assert_eq!(
            at(POOL, p0.member("frontendPortRangeStart").unwrap().key_span),
            "frontend_port_range"
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
        // The raw Terraform body is kept.
        let tf = r.tf_body.as_ref().unwrap();
        assert_eq!(tf.get("vm_size").unwrap().as_str(), Some("STANDARD_A1_V2"));
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
        assert!(rules[1].get("name").unwrap().is_unknown());
        assert_eq!(
            rules[1].path(&["properties", "priority"]).unwrap().as_i64(),
            Some(200)
        );
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

    #[test]
    fn split_range_forms() {
        assert_eq!(split_range("1-2"), Some(((1.0, 0..1), (2.0, 2..3))));
        assert_eq!(split_range(" 10 - 20"), Some(((10.0, 1..3), (20.0, 6..8))));
        assert_eq!(split_range("10"), None);
        assert_eq!(split_range("a-b"), None);
        assert_eq!(split_range("1-2-3"), None);
        assert_eq!(split_range("-5"), None);
    }
}
