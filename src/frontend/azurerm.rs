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
//! defaults differ in places (for example `ssh_public_access_enabled`, or an `azurerm_lb` without
//! `sku`); rules that depend on the azurerm default check [`Syntax::Azurerm`]. To support another
//! resource type, add a `Mapping` to [`MAPPINGS`].
//!
//! The azurerm association resources (`azurerm_subnet_network_security_group_association`, …) are
//! not ARM resources; they lower to pseudo types (`ASSOC_*`) so the resource graph can read their
//! two ids from `properties`.

use super::azapi::arm_id_names;
use super::hcl::{self, Ctx};
use super::terraform::ResourceBlock;
use crate::ir::{Member, Node, Resource, Span, Syntax, Value};

/// Pseudo types for the azurerm association resources, which are not ARM resources: each links
/// two resources by id (graph edges, spec §1.8). Their body is `{ properties: { …Id } }` and their
/// only name segment is `None`.
pub const ASSOC_SUBNET_NSG: &str = "Terraform.Association/subnetNetworkSecurityGroup";
pub const ASSOC_SUBNET_ROUTE_TABLE: &str = "Terraform.Association/subnetRouteTable";
pub const ASSOC_SUBNET_NAT_GATEWAY: &str = "Terraform.Association/subnetNatGateway";
pub const ASSOC_NIC_NSG: &str = "Terraform.Association/networkInterfaceSecurityGroup";
pub const ASSOC_NIC_NAT_RULE: &str = "Terraform.Association/networkInterfaceNatRule";
pub const ASSOC_NIC_BACKEND_POOL: &str = "Terraform.Association/networkInterfaceBackendAddressPool";

const VMSS_TYPE: &str = "Microsoft.Compute/virtualMachineScaleSets";

/// How one Terraform attribute or block becomes ARM.
enum Conv {
    /// The value as written.
    Same,
    /// `true` → `"Enabled"`, `false` → `"Disabled"`.
    Enabled,
    /// `true` → the first string, `false` → the second (`quarantine_policy_enabled` →
    /// `"enabled"`/`"disabled"`, `enforce_private_link_endpoint_network_policies` →
    /// `"Disabled"`/`"Enabled"`).
    Bool(&'static str, &'static str),
    /// Boolean negation (`local_auth_enabled` → `disableLocalAuth`).
    Not,
    /// A list of ids → `[{ "id": … }, …]`.
    IdObjects,
    /// A list of values → `[{ "<key>": … }, …]` (`service_endpoints` → `[{ "service": … }]`).
    Objects(&'static str),
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

// Network, compute and dependency resources (spec §1.8, §9 and the rules' Paths).

/// The private-endpoint and private-link-service network policies of a subnet, in the spellings
/// of azurerm 4.x (string), 3.x (`…_enabled` boolean) and 2.x/3.x (`enforce_…`, where `true`
/// disables the policies).
const PE_POLICIES: Field = f(
    "private_endpoint_network_policies",
    "properties.privateEndpointNetworkPolicies",
);
const PE_POLICIES_3X: Field = c(
    "private_endpoint_network_policies_enabled",
    "properties.privateEndpointNetworkPolicies",
    Conv::Enabled,
);
const PE_POLICIES_ENFORCE: Field = c(
    "enforce_private_link_endpoint_network_policies",
    "properties.privateEndpointNetworkPolicies",
    Conv::Bool("Disabled", "Enabled"),
);
const PLS_POLICIES: Field = c(
    "private_link_service_network_policies_enabled",
    "properties.privateLinkServiceNetworkPolicies",
    Conv::Enabled,
);
const PLS_POLICIES_ENFORCE: Field = c(
    "enforce_private_link_service_network_policies",
    "properties.privateLinkServiceNetworkPolicies",
    Conv::Bool("Disabled", "Enabled"),
);
/// `service_endpoints = ["Microsoft.Storage"]` (up to 4.x) and the `service_endpoint` blocks of
/// 5.x.
const SERVICE_ENDPOINTS: Field = c(
    "service_endpoints",
    "properties.serviceEndpoints",
    Conv::Objects("service"),
);
const SERVICE_ENDPOINT_BLOCKS: Field = c(
    "service_endpoint",
    "properties.serviceEndpoints",
    Conv::Blocks(&[
        f("service", "service"),
        f("locations", "locations"),
        f("network_identifier", "networkIdentifier.id"),
    ]),
);
const DELEGATIONS: Field = c(
    "delegation",
    "properties.delegations",
    Conv::Blocks(&[
        f("name", "name"),
        c(
            "service_delegation",
            "properties",
            Conv::Block(&[f("name", "serviceName"), f("actions", "actions")]),
        ),
    ]),
);

/// An inline `subnet` block of `azurerm_virtual_network`.
const VNET_SUBNET: &[Field] = &[
    f("name", "name"),
    f("address_prefix", "properties.addressPrefix"),
    f("address_prefixes", "properties.addressPrefixes"),
    f("security_group", "properties.networkSecurityGroup.id"),
    f("route_table_id", "properties.routeTable.id"),
    f(
        "default_outbound_access_enabled",
        "properties.defaultOutboundAccess",
    ),
    PE_POLICIES,
    PE_POLICIES_3X,
    PE_POLICIES_ENFORCE,
    PLS_POLICIES,
    PLS_POLICIES_ENFORCE,
    SERVICE_ENDPOINTS,
    SERVICE_ENDPOINT_BLOCKS,
    DELEGATIONS,
];

const VNET: &[Field] = &[
    f("address_space", "properties.addressSpace.addressPrefixes"),
    f("dns_servers", "properties.dhcpOptions.dnsServers"),
    f(
        "private_endpoint_vnet_policies",
        "properties.privateEndpointVNetPolicies",
    ),
    c("subnet", "properties.subnets", Conv::Blocks(VNET_SUBNET)),
];

const SUBNET: &[Field] = &[
    f("address_prefix", "properties.addressPrefix"),
    f("address_prefixes", "properties.addressPrefixes"),
    f(
        "default_outbound_access_enabled",
        "properties.defaultOutboundAccess",
    ),
    PE_POLICIES,
    PE_POLICIES_3X,
    PE_POLICIES_ENFORCE,
    PLS_POLICIES,
    PLS_POLICIES_ENFORCE,
    SERVICE_ENDPOINTS,
    SERVICE_ENDPOINT_BLOCKS,
    c(
        "service_endpoint_policy_ids",
        "properties.serviceEndpointPolicies",
        Conv::IdObjects,
    ),
    DELEGATIONS,
    // azurerm 5.x sets these on the subnet itself (the association resources remain).
    f(
        "network_security_group_id|network_security_group_id_wo",
        "properties.networkSecurityGroup.id",
    ),
    f(
        "route_table_id|route_table_id_wo",
        "properties.routeTable.id",
    ),
];

const SUBNET_NSG_ASSOCIATION: &[Field] = &[
    f("subnet_id", "properties.subnetId"),
    f(
        "network_security_group_id",
        "properties.networkSecurityGroupId",
    ),
];
const SUBNET_ROUTE_TABLE_ASSOCIATION: &[Field] = &[
    f("subnet_id", "properties.subnetId"),
    f("route_table_id", "properties.routeTableId"),
];
const SUBNET_NAT_GATEWAY_ASSOCIATION: &[Field] = &[
    f("subnet_id", "properties.subnetId"),
    f("nat_gateway_id", "properties.natGatewayId"),
];
const NIC_NSG_ASSOCIATION: &[Field] = &[
    f("network_interface_id", "properties.networkInterfaceId"),
    f(
        "network_security_group_id",
        "properties.networkSecurityGroupId",
    ),
];
const NIC_NAT_RULE_ASSOCIATION: &[Field] = &[
    f("network_interface_id", "properties.networkInterfaceId"),
    f("ip_configuration_name", "properties.ipConfigurationName"),
    f("nat_rule_id", "properties.natRuleId"),
];
const NIC_BACKEND_POOL_ASSOCIATION: &[Field] = &[
    f("network_interface_id", "properties.networkInterfaceId"),
    f("ip_configuration_name", "properties.ipConfigurationName"),
    f("backend_address_pool_id", "properties.backendAddressPoolId"),
];

const NIC: &[Field] = &[
    c(
        "ip_configuration",
        "properties.ipConfigurations",
        Conv::Blocks(&[
            f("name", "name"),
            f("subnet_id", "properties.subnet.id"),
            f("public_ip_address_id", "properties.publicIPAddress.id"),
            f("private_ip_address", "properties.privateIPAddress"),
            f(
                "private_ip_address_allocation",
                "properties.privateIPAllocationMethod",
            ),
            f(
                "private_ip_address_version",
                "properties.privateIPAddressVersion",
            ),
            f("primary", "properties.primary"),
        ]),
    ),
    f(
        "enable_ip_forwarding|ip_forwarding_enabled",
        "properties.enableIPForwarding",
    ),
    f(
        "enable_accelerated_networking|accelerated_networking_enabled",
        "properties.enableAcceleratedNetworking",
    ),
    f("dns_servers", "properties.dnsSettings.dnsServers"),
];

/// A scale set's per-instance public IP (`public_ip_address` block of azurerm 3.x+).
const VMSS_PUBLIC_IP: &[Field] = &[
    f("name", "name"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
    f(
        "domain_name_label",
        "properties.dnsSettings.domainNameLabel",
    ),
    f("public_ip_prefix_id", "properties.publicIPPrefix.id"),
    f("version", "properties.publicIPAddressVersion"),
];

const VMSS_IP_CONFIGURATION: &[Field] = &[
    f("name", "name"),
    f("primary", "properties.primary"),
    f("subnet_id", "properties.subnet.id"),
    c(
        "load_balancer_inbound_nat_rules_ids",
        "properties.loadBalancerInboundNatPools",
        Conv::IdObjects,
    ),
    c(
        "load_balancer_backend_address_pool_ids",
        "properties.loadBalancerBackendAddressPools",
        Conv::IdObjects,
    ),
    c(
        "application_gateway_backend_address_pool_ids",
        "properties.applicationGatewayBackendAddressPools",
        Conv::IdObjects,
    ),
    c(
        "application_security_group_ids",
        "properties.applicationSecurityGroups",
        Conv::IdObjects,
    ),
    f("version", "properties.privateIPAddressVersion"),
    c(
        "public_ip_address",
        "properties.publicIPAddressConfiguration",
        Conv::Block(VMSS_PUBLIC_IP),
    ),
];

const VMSS_NETWORK_INTERFACES: Field = c(
    "network_interface",
    "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations",
    Conv::Blocks(&[
        f("name", "name"),
        f("primary", "properties.primary"),
        f(
            "network_security_group_id",
            "properties.networkSecurityGroup.id",
        ),
        f(
            "enable_accelerated_networking|accelerated_networking_enabled",
            "properties.enableAcceleratedNetworking",
        ),
        f(
            "enable_ip_forwarding|ip_forwarding_enabled",
            "properties.enableIPForwarding",
        ),
        f("dns_servers", "properties.dnsSettings.dnsServers"),
        c(
            "ip_configuration",
            "properties.ipConfigurations",
            Conv::Blocks(VMSS_IP_CONFIGURATION),
        ),
    ]),
);
const VMSS_SKU: Field = f("sku|sku_name", "sku.name");
const VMSS_INSTANCES: Field = f("instances", "sku.capacity");
const VMSS_UPGRADE_MODE: Field = f("upgrade_mode", "properties.upgradePolicy.mode");
const VMSS_AUTO_OS_UPGRADE: Field = c(
    "automatic_os_upgrade_policy",
    "properties.upgradePolicy.automaticOSUpgradePolicy",
    Conv::Block(&[
        f(
            "enable_automatic_os_upgrade|automatic_os_upgrade_enabled",
            "enableAutomaticOSUpgrade",
        ),
        f("disable_automatic_rollback", "disableAutomaticRollback"),
    ]),
);
const VMSS_HEALTH_PROBE: Field = f(
    "health_probe_id",
    "properties.virtualMachineProfile.networkProfile.healthProbe.id",
);
const VMSS_ENCRYPTION_AT_HOST: Field = f(
    "encryption_at_host_enabled",
    "properties.virtualMachineProfile.securityProfile.encryptionAtHost",
);
const VMSS_SECURE_BOOT: Field = f(
    "secure_boot_enabled",
    "properties.virtualMachineProfile.securityProfile.uefiSettings.secureBootEnabled",
);
const VMSS_VTPM: Field = f(
    "vtpm_enabled",
    "properties.virtualMachineProfile.securityProfile.uefiSettings.vTpmEnabled",
);
const VMSS_ZONES: Field = f("zones", "zones");

const VMSS_LINUX: &[Field] = &[
    VMSS_SKU,
    VMSS_INSTANCES,
    VMSS_ZONES,
    f(
        "admin_username",
        "properties.virtualMachineProfile.osProfile.adminUsername",
    ),
    f(
        "computer_name_prefix",
        "properties.virtualMachineProfile.osProfile.computerNamePrefix",
    ),
    f(
        "disable_password_authentication",
        "properties.virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication",
    ),
    c(
        "admin_ssh_key",
        "properties.virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys",
        Conv::Blocks(&[f("public_key", "keyData")]),
    ),
    VMSS_UPGRADE_MODE,
    VMSS_AUTO_OS_UPGRADE,
    VMSS_HEALTH_PROBE,
    VMSS_ENCRYPTION_AT_HOST,
    VMSS_SECURE_BOOT,
    VMSS_VTPM,
    VMSS_NETWORK_INTERFACES,
];

const VMSS_WINDOWS: &[Field] = &[
    VMSS_SKU,
    VMSS_INSTANCES,
    VMSS_ZONES,
    f(
        "admin_username",
        "properties.virtualMachineProfile.osProfile.adminUsername",
    ),
    f(
        "computer_name_prefix",
        "properties.virtualMachineProfile.osProfile.computerNamePrefix",
    ),
    f(
        "enable_automatic_updates|automatic_updates_enabled",
        "properties.virtualMachineProfile.osProfile.windowsConfiguration.enableAutomaticUpdates",
    ),
    VMSS_UPGRADE_MODE,
    VMSS_AUTO_OS_UPGRADE,
    VMSS_HEALTH_PROBE,
    VMSS_ENCRYPTION_AT_HOST,
    VMSS_SECURE_BOOT,
    VMSS_VTPM,
    VMSS_NETWORK_INTERFACES,
];

/// Flexible orchestration: the OS settings sit in an `os_profile` block.
const VMSS_ORCHESTRATED: &[Field] = &[
    VMSS_SKU,
    VMSS_INSTANCES,
    VMSS_ZONES,
    f(
        "platform_fault_domain_count",
        "properties.platformFaultDomainCount",
    ),
    c(
        "os_profile",
        "properties.virtualMachineProfile.osProfile",
        Conv::Block(&[
            c(
                "linux_configuration",
                "linuxConfiguration",
                Conv::Block(&[f(
                    "disable_password_authentication",
                    "disablePasswordAuthentication",
                )]),
            ),
            c(
                "windows_configuration",
                "windowsConfiguration",
                Conv::Block(&[f(
                    "enable_automatic_updates|automatic_updates_enabled",
                    "enableAutomaticUpdates",
                )]),
            ),
        ]),
    ),
    VMSS_UPGRADE_MODE,
    VMSS_AUTO_OS_UPGRADE,
    VMSS_ENCRYPTION_AT_HOST,
    VMSS_NETWORK_INTERFACES,
];

/// The legacy `azurerm_virtual_machine_scale_set` (removed in azurerm 4.0, still common).
const VMSS_LEGACY: &[Field] = &[
    c(
        "sku",
        "sku",
        Conv::Block(&[
            f("name", "name"),
            f("tier", "tier"),
            f("capacity", "capacity"),
        ]),
    ),
    VMSS_ZONES,
    f("upgrade_policy_mode", "properties.upgradePolicy.mode"),
    f(
        "automatic_os_upgrade",
        "properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade",
    ),
    VMSS_HEALTH_PROBE,
    f("overprovision", "properties.overprovision"),
    f("single_placement_group", "properties.singlePlacementGroup"),
    c(
        "os_profile",
        "properties.virtualMachineProfile.osProfile",
        Conv::Block(&[
            f("computer_name_prefix", "computerNamePrefix"),
            f("admin_username", "adminUsername"),
        ]),
    ),
    c(
        "os_profile_linux_config",
        "properties.virtualMachineProfile.osProfile.linuxConfiguration",
        Conv::Block(&[f(
            "disable_password_authentication",
            "disablePasswordAuthentication",
        )]),
    ),
    c(
        "os_profile_windows_config",
        "properties.virtualMachineProfile.osProfile.windowsConfiguration",
        Conv::Block(&[f("enable_automatic_upgrades", "enableAutomaticUpdates")]),
    ),
    c(
        "network_profile",
        "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations",
        Conv::Blocks(&[
            f("name", "name"),
            f("primary", "properties.primary"),
            f(
                "network_security_group_id",
                "properties.networkSecurityGroup.id",
            ),
            f(
                "accelerated_networking",
                "properties.enableAcceleratedNetworking",
            ),
            f("ip_forwarding", "properties.enableIPForwarding"),
            c(
                "ip_configuration",
                "properties.ipConfigurations",
                Conv::Blocks(&[
                    f("name", "name"),
                    f("primary", "properties.primary"),
                    f("subnet_id", "properties.subnet.id"),
                    c(
                        "load_balancer_inbound_nat_rules_ids",
                        "properties.loadBalancerInboundNatPools",
                        Conv::IdObjects,
                    ),
                    c(
                        "load_balancer_backend_address_pool_ids",
                        "properties.loadBalancerBackendAddressPools",
                        Conv::IdObjects,
                    ),
                    c(
                        "application_gateway_backend_address_pool_ids",
                        "properties.applicationGatewayBackendAddressPools",
                        Conv::IdObjects,
                    ),
                    c(
                        "application_security_group_ids",
                        "properties.applicationSecurityGroups",
                        Conv::IdObjects,
                    ),
                    c(
                        "public_ip_address_configuration",
                        "properties.publicIPAddressConfiguration",
                        Conv::Block(&[
                            f("name", "name"),
                            f("idle_timeout", "properties.idleTimeoutInMinutes"),
                            f(
                                "domain_name_label",
                                "properties.dnsSettings.domainNameLabel",
                            ),
                        ]),
                    ),
                ]),
            ),
        ]),
    ),
];

const LB: &[Field] = &[
    f("sku", "sku.name"),
    f("sku_tier", "sku.tier"),
    c(
        "frontend_ip_configuration",
        "properties.frontendIPConfigurations",
        Conv::Blocks(&[
            f("name", "name"),
            f("public_ip_address_id", "properties.publicIPAddress.id"),
            f("public_ip_prefix_id", "properties.publicIPPrefix.id"),
            f("subnet_id", "properties.subnet.id"),
            f("private_ip_address", "properties.privateIPAddress"),
            f(
                "private_ip_address_allocation",
                "properties.privateIPAllocationMethod",
            ),
            f(
                "private_ip_address_version",
                "properties.privateIPAddressVersion",
            ),
            f(
                "gateway_load_balancer_frontend_ip_configuration_id",
                "properties.gatewayLoadBalancer.id",
            ),
            f("zones", "zones"),
        ]),
    ),
];

const LB_NAT_POOL: &[Field] = &[
    f("protocol", "properties.protocol"),
    f("frontend_port_start", "properties.frontendPortRangeStart"),
    f("frontend_port_end", "properties.frontendPortRangeEnd"),
    f("backend_port", "properties.backendPort"),
    f(
        "frontend_ip_configuration_name",
        "properties.frontendIPConfiguration.name",
    ),
    f(
        "enable_floating_ip|floating_ip_enabled",
        "properties.enableFloatingIP",
    ),
    f(
        "enable_tcp_reset|tcp_reset_enabled",
        "properties.enableTcpReset",
    ),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
];

const LB_NAT_RULE: &[Field] = &[
    f("protocol", "properties.protocol"),
    f("frontend_port", "properties.frontendPort"),
    f("backend_port", "properties.backendPort"),
    f("frontend_port_start", "properties.frontendPortRangeStart"),
    f("frontend_port_end", "properties.frontendPortRangeEnd"),
    f(
        "backend_address_pool_id",
        "properties.backendAddressPool.id",
    ),
    f(
        "frontend_ip_configuration_name",
        "properties.frontendIPConfiguration.name",
    ),
    f(
        "enable_floating_ip|floating_ip_enabled",
        "properties.enableFloatingIP",
    ),
    f(
        "enable_tcp_reset|tcp_reset_enabled",
        "properties.enableTcpReset",
    ),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
];

const PUBLIC_IP: &[Field] = &[
    f("sku", "sku.name"),
    f("sku_tier", "sku.tier"),
    f("zones", "zones"),
    f("allocation_method", "properties.publicIPAllocationMethod"),
    f("ip_version", "properties.publicIPAddressVersion"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
    f(
        "domain_name_label",
        "properties.dnsSettings.domainNameLabel",
    ),
    f("public_ip_prefix_id", "properties.publicIPPrefix.id"),
];

const PUBLIC_IP_PREFIX: &[Field] = &[
    f("sku", "sku.name"),
    f("sku_tier", "sku.tier"),
    f("zones", "zones"),
    f("prefix_length", "properties.prefixLength"),
    f("ip_version", "properties.publicIPAddressVersion"),
];

const ROUTE: &[Field] = &[
    f("address_prefix", "properties.addressPrefix"),
    f("next_hop_type", "properties.nextHopType"),
    f("next_hop_in_ip_address", "properties.nextHopIpAddress"),
];

const ROUTE_TABLE: &[Field] = &[
    c(
        "route",
        "properties.routes",
        Conv::Blocks(&[
            f("name", "name"),
            f("address_prefix", "properties.addressPrefix"),
            f("next_hop_type", "properties.nextHopType"),
            f("next_hop_in_ip_address", "properties.nextHopIpAddress"),
        ]),
    ),
    c(
        "bgp_route_propagation_enabled",
        "properties.disableBgpRoutePropagation",
        Conv::Not,
    ),
    f(
        "disable_bgp_route_propagation",
        "properties.disableBgpRoutePropagation",
    ),
];

const NAT_GATEWAY: &[Field] = &[
    f("sku_name|sku", "sku.name"),
    f("zones", "zones"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
];

const PRIVATE_ENDPOINT: &[Field] = &[
    f("subnet_id", "properties.subnet.id"),
    f(
        "custom_network_interface_name",
        "properties.customNetworkInterfaceName",
    ),
    c(
        "private_service_connection",
        "properties",
        Conv::Custom(private_service_connections),
    ),
    c(
        "ip_configuration",
        "properties.ipConfigurations",
        Conv::Blocks(&[
            f("name", "name"),
            f("private_ip_address", "properties.privateIPAddress"),
            f("subresource_name", "properties.groupId"),
            f("member_name", "properties.memberName"),
        ]),
    ),
];

/// One `private_service_connection` block, as an element of either connection list.
const PRIVATE_LINK_CONNECTION: &[Field] = &[
    f("name", "name"),
    f(
        "private_connection_resource_id",
        "properties.privateLinkServiceId",
    ),
    f("subresource_names", "properties.groupIds"),
    f("request_message", "properties.requestMessage"),
];

const STORAGE_ACCOUNT: &[Field] = &[
    f("account_kind", "kind"),
    c(
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        Conv::Enabled,
    ),
    f(
        "allow_nested_items_to_be_public|allow_blob_public_access",
        "properties.allowBlobPublicAccess",
    ),
    f("min_tls_version", "properties.minimumTlsVersion"),
    f(
        "shared_access_key_enabled",
        "properties.allowSharedKeyAccess",
    ),
    f(
        "https_traffic_only_enabled|enable_https_traffic_only",
        "properties.supportsHttpsTrafficOnly",
    ),
    f("is_hns_enabled", "properties.isHnsEnabled"),
    c(
        "network_rules",
        "properties.networkAcls",
        Conv::Block(&[
            f("default_action", "defaultAction"),
            c("ip_rules", "ipRules", Conv::Objects("value")),
            c(
                "virtual_network_subnet_ids",
                "virtualNetworkRules",
                Conv::IdObjects,
            ),
        ]),
    ),
];

const KEY_VAULT: &[Field] = &[
    f("sku_name", "properties.sku.name"),
    f("tenant_id", "properties.tenantId"),
    c(
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        Conv::Enabled,
    ),
    f(
        "enable_rbac_authorization|rbac_authorization_enabled",
        "properties.enableRbacAuthorization",
    ),
    f(
        "purge_protection_enabled",
        "properties.enablePurgeProtection",
    ),
    f(
        "soft_delete_retention_days",
        "properties.softDeleteRetentionInDays",
    ),
    c(
        "network_acls",
        "properties.networkAcls",
        Conv::Block(&[
            f("default_action", "defaultAction"),
            f("bypass", "bypass"),
            c("ip_rules", "ipRules", Conv::Objects("value")),
            c(
                "virtual_network_subnet_ids",
                "virtualNetworkRules",
                Conv::IdObjects,
            ),
        ]),
    ),
];

const CONTAINER_REGISTRY: &[Field] = &[
    f("sku", "sku.name"),
    c(
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        Conv::Enabled,
    ),
    c(
        "quarantine_policy_enabled",
        "properties.policies.quarantinePolicy.status",
        Conv::Bool("enabled", "disabled"),
    ),
    c(
        "export_policy_enabled",
        "properties.policies.exportPolicy.status",
        Conv::Bool("enabled", "disabled"),
    ),
    f("admin_enabled", "properties.adminUserEnabled"),
    f("anonymous_pull_enabled", "properties.anonymousPullEnabled"),
    f("data_endpoint_enabled", "properties.dataEndpointEnabled"),
    f(
        "network_rule_bypass_option",
        "properties.networkRuleBypassOptions",
    ),
    c(
        "zone_redundancy_enabled",
        "properties.zoneRedundancy",
        Conv::Enabled,
    ),
    c(
        "network_rule_set",
        "properties.networkRuleSet",
        Conv::Block(&[
            f("default_action", "defaultAction"),
            c(
                "ip_rule",
                "ipRules",
                Conv::Blocks(&[f("action", "action"), f("ip_range", "value")]),
            ),
        ]),
    ),
];

const BASTION_HOST: &[Field] = &[
    f("sku", "sku.name"),
    c(
        "ip_configuration",
        "properties.ipConfigurations",
        Conv::Blocks(&[
            f("name", "name"),
            f("subnet_id", "properties.subnet.id"),
            f("public_ip_address_id", "properties.publicIPAddress.id"),
        ]),
    ),
    f("virtual_network_id", "properties.virtualNetwork.id"),
    f("scale_units", "properties.scaleUnits"),
    f("tunneling_enabled", "properties.enableTunneling"),
    f("ip_connect_enabled", "properties.enableIpConnect"),
    f("shareable_link_enabled", "properties.enableShareableLink"),
    f("file_copy_enabled", "properties.enableFileCopy"),
];

const BATCH_CERTIFICATE: &[Field] = &[
    f("format", "properties.format"),
    f("thumbprint", "properties.thumbprint"),
    f("thumbprint_algorithm", "properties.thumbprintAlgorithm"),
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
    Mapping {
        tf_type: "azurerm_virtual_network",
        arm_type: "Microsoft.Network/virtualNetworks",
        parent: Parent::None,
        fields: VNET,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_subnet",
        arm_type: "Microsoft.Network/virtualNetworks/subnets",
        parent: Parent::Name("virtual_network_name"),
        fields: SUBNET,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_subnet_network_security_group_association",
        arm_type: ASSOC_SUBNET_NSG,
        parent: Parent::None,
        fields: SUBNET_NSG_ASSOCIATION,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_subnet_route_table_association",
        arm_type: ASSOC_SUBNET_ROUTE_TABLE,
        parent: Parent::None,
        fields: SUBNET_ROUTE_TABLE_ASSOCIATION,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_subnet_nat_gateway_association",
        arm_type: ASSOC_SUBNET_NAT_GATEWAY,
        parent: Parent::None,
        fields: SUBNET_NAT_GATEWAY_ASSOCIATION,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_network_interface_security_group_association",
        arm_type: ASSOC_NIC_NSG,
        parent: Parent::None,
        fields: NIC_NSG_ASSOCIATION,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_network_interface_nat_rule_association",
        arm_type: ASSOC_NIC_NAT_RULE,
        parent: Parent::None,
        fields: NIC_NAT_RULE_ASSOCIATION,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_network_interface_backend_address_pool_association",
        arm_type: ASSOC_NIC_BACKEND_POOL,
        parent: Parent::None,
        fields: NIC_BACKEND_POOL_ASSOCIATION,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_network_interface",
        arm_type: "Microsoft.Network/networkInterfaces",
        parent: Parent::None,
        fields: NIC,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_linux_virtual_machine_scale_set",
        arm_type: VMSS_TYPE,
        parent: Parent::None,
        fields: VMSS_LINUX,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_windows_virtual_machine_scale_set",
        arm_type: VMSS_TYPE,
        parent: Parent::None,
        fields: VMSS_WINDOWS,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_orchestrated_virtual_machine_scale_set",
        arm_type: VMSS_TYPE,
        parent: Parent::None,
        fields: VMSS_ORCHESTRATED,
        constants: &[("properties.orchestrationMode", "Flexible")],
    },
    Mapping {
        tf_type: "azurerm_virtual_machine_scale_set",
        arm_type: VMSS_TYPE,
        parent: Parent::None,
        fields: VMSS_LEGACY,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_lb",
        arm_type: "Microsoft.Network/loadBalancers",
        parent: Parent::None,
        fields: LB,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_lb_nat_pool",
        arm_type: "Microsoft.Network/loadBalancers/inboundNatPools",
        parent: Parent::Id("loadbalancer_id"),
        fields: LB_NAT_POOL,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_lb_nat_rule",
        arm_type: "Microsoft.Network/loadBalancers/inboundNatRules",
        parent: Parent::Id("loadbalancer_id"),
        fields: LB_NAT_RULE,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_public_ip",
        arm_type: "Microsoft.Network/publicIPAddresses",
        parent: Parent::None,
        fields: PUBLIC_IP,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_public_ip_prefix",
        arm_type: "Microsoft.Network/publicIPPrefixes",
        parent: Parent::None,
        fields: PUBLIC_IP_PREFIX,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_route_table",
        arm_type: "Microsoft.Network/routeTables",
        parent: Parent::None,
        fields: ROUTE_TABLE,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_route",
        arm_type: "Microsoft.Network/routeTables/routes",
        parent: Parent::Name("route_table_name"),
        fields: ROUTE,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_nat_gateway",
        arm_type: "Microsoft.Network/natGateways",
        parent: Parent::None,
        fields: NAT_GATEWAY,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_private_endpoint",
        arm_type: "Microsoft.Network/privateEndpoints",
        parent: Parent::None,
        fields: PRIVATE_ENDPOINT,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_storage_account",
        arm_type: "Microsoft.Storage/storageAccounts",
        parent: Parent::None,
        fields: STORAGE_ACCOUNT,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_key_vault",
        arm_type: "Microsoft.KeyVault/vaults",
        parent: Parent::None,
        fields: KEY_VAULT,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_container_registry",
        arm_type: "Microsoft.ContainerRegistry/registries",
        parent: Parent::None,
        fields: CONTAINER_REGISTRY,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_bastion_host",
        arm_type: "Microsoft.Network/bastionHosts",
        parent: Parent::None,
        fields: BASTION_HOST,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_batch_certificate",
        arm_type: "Microsoft.Batch/batchAccounts/certificates",
        parent: Parent::Name("account_name"),
        fields: BATCH_CERTIFICATE,
        constants: &[],
    },
    Mapping {
        tf_type: "azurerm_resource_group",
        arm_type: "Microsoft.Resources/resourceGroups",
        parent: Parent::None,
        fields: &[],
        constants: &[],
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
        provenance: Vec::new(),
        conditional: None,
        sensitive: Vec::new(),
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
            Conv::Enabled => choice(v, "Enabled", "Disabled"),
            Conv::Bool(t, f) => choice(v, t, f),
            Conv::Not => negate(v),
            Conv::IdObjects => key_objects(v, "id"),
            Conv::Objects(key) => key_objects(v, key),
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

/// `true` → `yes`, `false` → `no` (`"Enabled"` / `"Disabled"`); Unknown and `null` stay as
/// they are.
fn choice(v: &Node, yes: &str, no: &str) -> Node {
    match &v.value {
        Value::Unknown(_) | Value::Null => v.clone(),
        _ => match v.as_bool() {
            Some(true) => Node::new(Value::String(yes.into()), v.span),
            Some(false) => Node::new(Value::String(no.into()), v.span),
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

/// A list `[a, b]` → `[{ key: a }, { key: b }]`, each object spanning its element; any other
/// value (Unknown, `null`) stays as it is.
fn key_objects(v: &Node, key: &str) -> Node {
    match &v.value {
        Value::Array(items) => Node::new(
            Value::Array(items.iter().map(|i| key_object(i, key)).collect()),
            v.span,
        ),
        _ => v.clone(),
    }
}

fn key_object(v: &Node, key: &str) -> Node {
    let m = Member {
        key: key.into(),
        key_span: v.span,
        value: v.clone(),
    };
    Node::new(Value::Object(vec![m]), v.span)
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

/// `private_service_connection` blocks → `properties.privateLinkServiceConnections[]`, or
/// `properties.manualPrivateLinkServiceConnections[]` for a block with a literal
/// `is_manual_connection = true`; a block whose mode is not known counts as automatic.
fn private_service_connections(m: &Member, mcx: &Mcx, arm: &str, dst: &mut Node) {
    let v = &m.value;
    let items: Vec<&Node> = match &v.value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![v],
        _ => {
            put(
                dst,
                &format!("{arm}.privateLinkServiceConnections"),
                m.key_span,
                v.clone(),
            );
            return;
        }
    };
    let mut auto: Vec<Node> = Vec::new();
    let mut manual: Vec<Node> = Vec::new();
    for e in items {
        let is_manual = e
            .get("is_manual_connection")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        let mapped = map_element(PRIVATE_LINK_CONNECTION, e, mcx);
        if is_manual {
            manual.push(mapped);
        } else {
            auto.push(mapped);
        }
    }
    for (key, list) in [
        ("privateLinkServiceConnections", auto),
        ("manualPrivateLinkServiceConnections", manual),
    ] {
        let Some(span) = list.iter().map(|n| n.span).reduce(Span::to) else {
            continue;
        };
        put(
            dst,
            &format!("{arm}.{key}"),
            m.key_span,
            Node::new(Value::Array(list), span),
        );
    }
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
        assert!(a.is_type(ASSOC_SUBNET_NSG));
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
            (ASSOC_SUBNET_ROUTE_TABLE, &["subnetId", "routeTableId"]),
            (ASSOC_SUBNET_NAT_GATEWAY, &["subnetId", "natGatewayId"]),
            (
                ASSOC_NIC_NSG,
                &["networkInterfaceId", "networkSecurityGroupId"],
            ),
            (
                ASSOC_NIC_NAT_RULE,
                &["networkInterfaceId", "ipConfigurationName", "natRuleId"],
            ),
            (
                ASSOC_NIC_BACKEND_POOL,
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
        assert!(r
            .tf_body
            .as_ref()
            .unwrap()
            .get("network_interface")
            .is_some());
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
}
