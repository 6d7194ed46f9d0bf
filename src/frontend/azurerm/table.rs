//! The azurerm → ARM mapping table: one row per Terraform attribute or block, `f(tf, arm)` for a
//! value copied as written and `c(tf, arm, conv)` for one converted by a [`Conv`]; nested block
//! rows are indented under their block. The engine that applies it is in [`super::lower`], the
//! custom conversions in [`super::convert`]. `rustfmt` skips this file (see `mod.rs`) so that each
//! row stays on one line.

use crate::ir::types;
use super::convert::{
    batch_encryption, disk_encryption_targets, frontend_port_range, identity, instance_ssh,
    ml_encryption, private_service_connections,
};
use super::{c, f, m, Conv, Default, Field, Mapping, Parent};
use crate::ir::spelling::Limitation;


/// Fields every resource has.
pub(super) const COMMON: &[Field] = &[
    f("name", "name"),
    f("location", "location"),
    f("tags", "tags"),
    c("identity", "identity", Conv::Custom(identity, &[])),
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
    f("destination_port_ranges", "properties.destinationPortRanges"),
    f("source_address_prefix", "properties.sourceAddressPrefix"),
    f("source_address_prefixes", "properties.sourceAddressPrefixes"),
    f("destination_address_prefix", "properties.destinationAddressPrefix"),
    f("destination_address_prefixes", "properties.destinationAddressPrefixes"),
    c("source_application_security_group_ids", "properties.sourceApplicationSecurityGroups", Conv::IdObjects),
    c("destination_application_security_group_ids", "properties.destinationApplicationSecurityGroups", Conv::IdObjects),
];

const NSG: &[Field] = &[
    c("security_rule", "properties.securityRules", Conv::Blocks(NSG_RULE)),
];

const BATCH_IP_RULE: &[Field] = &[
    f("ip_range", "value"),
    f("action", "action"),
];
const BATCH_ACCESS: &[Field] = &[
    f("default_action", "defaultAction"),
    c("ip_rule", "ipRules", Conv::Blocks(BATCH_IP_RULE)),
];

const BATCH_ACCOUNT: &[Field] = &[
    c("public_network_access_enabled", "properties.publicNetworkAccess", Conv::Enabled),
    c("network_profile", "properties.networkProfile", Conv::Block(&[
        c("account_access", "accountAccess", Conv::Block(BATCH_ACCESS)),
        c("node_management_access", "nodeManagementAccess", Conv::Block(BATCH_ACCESS)),
    ])),
    f("allowed_authentication_modes", "properties.allowedAuthenticationModes"),
    f("pool_allocation_mode", "properties.poolAllocationMode"),
    c("key_vault_reference", "properties.keyVaultReference", Conv::Block(&[
        f("id", "id"),
        f("url", "url"),
    ])),
    c("encryption", "properties.encryption", Conv::Custom(batch_encryption, BATCH_ENCRYPTION)),
    f("storage_account_id", "properties.autoStorage.storageAccountId"),
    f("storage_account_authentication_mode", "properties.autoStorage.authenticationMode"),
    f("storage_account_node_identity", "properties.autoStorage.nodeIdentityReference.resourceId"),
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
    c("frontend_port_range", "", Conv::Custom(frontend_port_range, &[])),
    c("network_security_group_rules", "networkSecurityGroupRules", Conv::Blocks(ENDPOINT_RULE)),
];

const POOL_NETWORK: &[Field] = &[
    f("subnet_id", "subnetId"),
    f("dynamic_vnet_assignment_scope", "dynamicVnetAssignmentScope"),
    f("accelerated_networking_enabled", "enableAcceleratedNetworking"),
    f("public_address_provisioning_type", "publicIPAddressConfiguration.provision"),
    f("public_ips", "publicIPAddressConfiguration.ipAddressIds"),
    c("endpoint_configuration", "endpointConfiguration.inboundNatPools", Conv::Blocks(NAT_POOL)),
];

const BATCH_POOL: &[Field] = &[
    f("display_name", "properties.displayName"),
    f("vm_size", "properties.vmSize"),
    f("max_tasks_per_node", "properties.taskSlotsPerNode"),
    f("inter_node_communication", "properties.interNodeCommunication"),
    f("target_node_communication_mode", "properties.targetNodeCommunicationMode"),
    c("network_configuration", "properties.networkConfiguration", Conv::Block(POOL_NETWORK)),
    f("node_agent_sku_id", "properties.deploymentConfiguration.virtualMachineConfiguration.nodeAgentSkuId"),
    c("storage_image_reference", "properties.deploymentConfiguration.virtualMachineConfiguration.imageReference", Conv::Block(&[
        f("id", "id"),
        f("publisher", "publisher"),
        f("offer", "offer"),
        f("sku", "sku"),
        f("version", "version"),
    ])),
    c("security_profile", "properties.deploymentConfiguration.virtualMachineConfiguration.securityProfile", Conv::Block(&[
        f("security_type", "securityType"),
        f("secure_boot_enabled", "uefiSettings.secureBootEnabled"),
        f("vtpm_enabled", "uefiSettings.vTpmEnabled"),
        f("host_encryption_enabled", "encryptionAtHost"),
    ])),
    c("disk_encryption", "properties.deploymentConfiguration.virtualMachineConfiguration.diskEncryptionConfiguration.targets", Conv::Custom(disk_encryption_targets, &[])),
    c("windows", "properties.deploymentConfiguration.virtualMachineConfiguration.windowsConfiguration", Conv::Block(&[
        f("enable_automatic_updates|automatic_updates_enabled", "enableAutomaticUpdates"),
    ])),
    f("license_type", "properties.deploymentConfiguration.virtualMachineConfiguration.licenseType"),
    c("node_placement", "properties.deploymentConfiguration.virtualMachineConfiguration.nodePlacementConfiguration", Conv::Block(&[
        f("policy", "policy"),
    ])),
    f("os_disk_placement", "properties.deploymentConfiguration.virtualMachineConfiguration.osDisk.ephemeralOSDiskSettings.placement"),
    c("container_configuration", "properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration", Conv::Block(&[
        f("type", "type"),
        f("container_image_names", "containerImageNames"),
    ])),
    c("data_disks", "properties.deploymentConfiguration.virtualMachineConfiguration.dataDisks", Conv::Blocks(&[
        f("lun", "lun"),
        f("caching", "caching"),
        f("disk_size_gb", "diskSizeGB"),
        f("storage_account_type", "storageAccountType"),
    ])),
    c("extensions", "properties.deploymentConfiguration.virtualMachineConfiguration.extensions", Conv::Blocks(&[
        f("name", "name"),
        f("publisher", "publisher"),
        f("type", "type"),
        f("type_handler_version", "typeHandlerVersion"),
        f("auto_upgrade_minor_version", "autoUpgradeMinorVersion"),
        f("automatic_upgrade_enabled", "enableAutomaticUpgrade"),
        f("provision_after_extensions", "provisionAfterExtensions"),
    ])),
    c("user_accounts", "properties.userAccounts", Conv::Blocks(&[
        f("name", "name"),
        f("password", "password"),
        f("elevation_level", "elevationLevel"),
        c("linux_user_configuration", "linuxUserConfiguration", Conv::Block(&[
            f("uid", "uid"),
            f("gid", "gid"),
            f("ssh_private_key", "sshPrivateKey"),
        ])),
        c("windows_user_configuration", "windowsUserConfiguration", Conv::Block(&[
            f("login_mode", "loginMode"),
        ])),
    ])),
    c("certificate", "properties.certificates", Conv::Blocks(&[
        f("id", "id"),
        f("store_location", "storeLocation"),
        f("store_name", "storeName"),
        f("visibility", "visibility"),
    ])),
    c("fixed_scale", "properties.scaleSettings.fixedScale", Conv::Block(&[
        f("target_dedicated_nodes", "targetDedicatedNodes"),
        f("target_low_priority_nodes", "targetLowPriorityNodes"),
        f("resize_timeout", "resizeTimeout"),
        f("node_deallocation_method", "nodeDeallocationOption"),
    ])),
    c("auto_scale", "properties.scaleSettings.autoScale", Conv::Block(&[
        f("evaluation_interval", "evaluationInterval"),
        f("formula", "formula"),
    ])),
    c("task_scheduling_policy", "properties.taskSchedulingPolicy", Conv::Block(&[
        f("node_fill_type", "nodeFillType"),
    ])),
    c("start_task", "properties.startTask", Conv::Block(&[
        f("command_line", "commandLine"),
        f("wait_for_success", "waitForSuccess"),
        f("task_retry_maximum", "maxTaskRetryCount"),
        c("user_identity", "userIdentity", Conv::Block(&[
            f("user_name", "userName"),
            c("auto_user", "autoUser", Conv::Block(&[
                f("elevation_level", "elevationLevel"),
                f("scope", "scope"),
            ])),
        ])),
    ])),
];

const ML_WORKSPACE: &[Field] = &[
    c("public_network_access_enabled", "properties.publicNetworkAccess", Conv::Enabled),
    f("public_access_behind_virtual_network_enabled", "properties.allowPublicAccessWhenBehindVnet"),
    f("key_vault_id", "properties.keyVault"),
    f("storage_account_id", "properties.storageAccount"),
    f("container_registry_id", "properties.containerRegistry"),
    f("application_insights_id", "properties.applicationInsights"),
    f("high_business_impact", "properties.hbiWorkspace"),
    f("image_build_compute_name", "properties.imageBuildCompute"),
    f("description", "properties.description"),
    f("friendly_name", "properties.friendlyName"),
    f("primary_user_assigned_identity", "properties.primaryUserAssignedIdentity"),
    f("v1_legacy_mode_enabled", "properties.v1LegacyMode"),
    f("service_side_encryption_enabled", "properties.enableServiceSideCMKEncryption"),
    f("sku_name", "sku.name"),
    f("kind", "kind"),
    c("managed_network", "properties.managedNetwork", Conv::Block(&[
        f("isolation_mode", "isolationMode"),
    ])),
    c("encryption", "properties.encryption", Conv::Custom(ml_encryption, ML_ENCRYPTION)),
    c("serverless_compute", "properties.serverlessComputeSettings", Conv::Block(&[
        f("subnet_id", "serverlessComputeCustomSubnet"),
        c("public_ip_enabled", "serverlessComputeNoPublicIP", Conv::Not),
    ])),
];

/// `CP` (`properties.properties`) holds the compute's own settings.
// An AI Foundry hub: an ML workspace of kind `Hub`.
const AI_FOUNDRY: &[Field] = &[
    f("public_network_access", "properties.publicNetworkAccess"),
    f("key_vault_id", "properties.keyVault"),
    f("storage_account_id", "properties.storageAccount"),
    f("container_registry_id", "properties.containerRegistry"),
    f("application_insights_id", "properties.applicationInsights"),
    f("high_business_impact_enabled", "properties.hbiWorkspace"),
    f("image_build_compute_name", "properties.imageBuildCompute"),
    f("description", "properties.description"),
    f("friendly_name", "properties.friendlyName"),
    f("primary_user_assigned_identity", "properties.primaryUserAssignedIdentity"),
    c("managed_network", "properties.managedNetwork", Conv::Block(&[
        f("isolation_mode", "isolationMode"),
    ])),
    c("encryption", "properties.encryption", Conv::Custom(ml_encryption, ML_ENCRYPTION)),
];
// An AI Foundry project: an ML workspace of kind `Project` that uses its hub's network and
// dependencies.
const AI_FOUNDRY_PROJECT: &[Field] = &[
    f("ai_services_hub_id", "properties.hubResourceId"),
    f("high_business_impact_enabled", "properties.hbiWorkspace"),
    f("description", "properties.description"),
    f("friendly_name", "properties.friendlyName"),
    f("primary_user_assigned_identity", "properties.primaryUserAssignedIdentity"),
];
const ML_CLUSTER: &[Field] = &[
    f("description", "properties.description"),
    c("local_auth_enabled", "properties.disableLocalAuth", Conv::Not),
    f("subnet_resource_id", "properties.properties.subnet.id"),
    f("node_public_ip_enabled", "properties.properties.enableNodePublicIp"),
    c("ssh_public_access_enabled", "properties.properties.remoteLoginPortPublicAccess", Conv::Enabled),
    f("vm_size", "properties.properties.vmSize"),
    f("vm_priority", "properties.properties.vmPriority"),
    c("scale_settings", "properties.properties.scaleSettings", Conv::Block(&[
        f("max_node_count", "maxNodeCount"),
        f("min_node_count", "minNodeCount"),
        f("scale_down_nodes_after_idle_duration", "nodeIdleTimeBeforeScaleDown"),
    ])),
    c("ssh", "properties.properties.userAccountCredentials", Conv::Block(&[
        f("admin_username", "adminUserName"),
        f("admin_password", "adminUserPassword"),
        f("key_value", "adminUserSshPublicKey"),
    ])),
];

const ML_INSTANCE: &[Field] = &[
    f("description", "properties.description"),
    c("local_auth_enabled", "properties.disableLocalAuth", Conv::Not),
    f("subnet_resource_id", "properties.properties.subnet.id"),
    f("node_public_ip_enabled", "properties.properties.enableNodePublicIp"),
    f("virtual_machine_size", "properties.properties.vmSize"),
    f("authorization_type", "properties.properties.computeInstanceAuthorizationType"),
    c("ssh", "properties.properties.sshSettings", Conv::Custom(instance_ssh, INSTANCE_SSH)),
    c("assign_to_user", "properties.properties.personalComputeInstanceSettings.assignedUser", Conv::Block(&[
        f("object_id", "objectId"),
        f("tenant_id", "tenantId"),
    ])),
];

// Network, compute and dependency resources (§1.8, §9 and the rule pages).

/// The private-endpoint and private-link-service network policies of a subnet, in the spellings
/// of azurerm 4.x (string), 3.x (`…_enabled` boolean) and 2.x/3.x (`enforce_…`, where `true`
/// disables the policies).
const PE_POLICIES: Field = f("private_endpoint_network_policies", "properties.privateEndpointNetworkPolicies");
const PE_POLICIES_3X: Field = c("private_endpoint_network_policies_enabled", "properties.privateEndpointNetworkPolicies", Conv::Enabled);
const PE_POLICIES_ENFORCE: Field = c("enforce_private_link_endpoint_network_policies", "properties.privateEndpointNetworkPolicies", Conv::Bool("Disabled", "Enabled"));
const PLS_POLICIES: Field = c("private_link_service_network_policies_enabled", "properties.privateLinkServiceNetworkPolicies", Conv::Enabled);
const PLS_POLICIES_ENFORCE: Field = c("enforce_private_link_service_network_policies", "properties.privateLinkServiceNetworkPolicies", Conv::Bool("Disabled", "Enabled"));
/// `service_endpoints = ["Microsoft.Storage"]` (up to 4.x) and the `service_endpoint` blocks of
/// 5.x.
const SERVICE_ENDPOINTS: Field = c("service_endpoints", "properties.serviceEndpoints", Conv::Objects("service"));
const SERVICE_ENDPOINT_BLOCKS: Field = c("service_endpoint", "properties.serviceEndpoints", Conv::Blocks(&[
    f("service", "service"),
    f("locations", "locations"),
    f("network_identifier", "networkIdentifier.id"),
]));
const DELEGATIONS: Field = c("delegation", "properties.delegations", Conv::Blocks(&[
    f("name", "name"),
    c("service_delegation", "properties", Conv::Block(&[
        f("name", "serviceName"),
        f("actions", "actions"),
    ])),
]));

/// An inline `subnet` block of `azurerm_virtual_network`.
const VNET_SUBNET: &[Field] = &[
    f("name", "name"),
    f("address_prefix", "properties.addressPrefix"),
    f("address_prefixes", "properties.addressPrefixes"),
    f("security_group", "properties.networkSecurityGroup.id"),
    f("route_table_id", "properties.routeTable.id"),
    f("default_outbound_access_enabled", "properties.defaultOutboundAccess"),
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
    f("private_endpoint_vnet_policies", "properties.privateEndpointVNetPolicies"),
    c("subnet", "properties.subnets", Conv::Blocks(VNET_SUBNET)),
];

const SUBNET: &[Field] = &[
    f("address_prefix", "properties.addressPrefix"),
    f("address_prefixes", "properties.addressPrefixes"),
    f("default_outbound_access_enabled", "properties.defaultOutboundAccess"),
    PE_POLICIES,
    PE_POLICIES_3X,
    PE_POLICIES_ENFORCE,
    PLS_POLICIES,
    PLS_POLICIES_ENFORCE,
    SERVICE_ENDPOINTS,
    SERVICE_ENDPOINT_BLOCKS,
    c("service_endpoint_policy_ids", "properties.serviceEndpointPolicies", Conv::IdObjects),
    DELEGATIONS,
    // azurerm 5.x sets these on the subnet itself (the association resources remain).
    f("network_security_group_id|network_security_group_id_wo", "properties.networkSecurityGroup.id"),
    f("route_table_id|route_table_id_wo", "properties.routeTable.id"),
];

const SUBNET_NSG_ASSOCIATION: &[Field] = &[
    f("subnet_id", "properties.subnetId"),
    f("network_security_group_id", "properties.networkSecurityGroupId"),
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
    f("network_security_group_id", "properties.networkSecurityGroupId"),
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
    c("ip_configuration", "properties.ipConfigurations", Conv::Blocks(&[
        f("name", "name"),
        f("subnet_id", "properties.subnet.id"),
        f("public_ip_address_id", "properties.publicIPAddress.id"),
        f("private_ip_address", "properties.privateIPAddress"),
        f("private_ip_address_allocation", "properties.privateIPAllocationMethod"),
        f("private_ip_address_version", "properties.privateIPAddressVersion"),
        f("primary", "properties.primary"),
    ])),
    f("enable_ip_forwarding|ip_forwarding_enabled", "properties.enableIPForwarding"),
    f("enable_accelerated_networking|accelerated_networking_enabled", "properties.enableAcceleratedNetworking"),
    f("dns_servers", "properties.dnsSettings.dnsServers"),
];

/// A scale set's per-instance public IP (`public_ip_address` block of azurerm 3.x+).
const VMSS_PUBLIC_IP: &[Field] = &[
    f("name", "name"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
    f("domain_name_label", "properties.dnsSettings.domainNameLabel"),
    f("public_ip_prefix_id", "properties.publicIPPrefix.id"),
    f("version", "properties.publicIPAddressVersion"),
];

const VMSS_IP_CONFIGURATION: &[Field] = &[
    f("name", "name"),
    f("primary", "properties.primary"),
    f("subnet_id", "properties.subnet.id"),
    c("load_balancer_inbound_nat_rules_ids", "properties.loadBalancerInboundNatPools", Conv::IdObjects),
    c("load_balancer_backend_address_pool_ids", "properties.loadBalancerBackendAddressPools", Conv::IdObjects),
    c("application_gateway_backend_address_pool_ids", "properties.applicationGatewayBackendAddressPools", Conv::IdObjects),
    c("application_security_group_ids", "properties.applicationSecurityGroups", Conv::IdObjects),
    f("version", "properties.privateIPAddressVersion"),
    c("public_ip_address", "properties.publicIPAddressConfiguration", Conv::Block(VMSS_PUBLIC_IP)),
];

const VMSS_NETWORK_INTERFACES: Field = c("network_interface", "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations", Conv::Blocks(&[
    f("name", "name"),
    f("primary", "properties.primary"),
    f("network_security_group_id", "properties.networkSecurityGroup.id"),
    f("enable_accelerated_networking|accelerated_networking_enabled", "properties.enableAcceleratedNetworking"),
    f("enable_ip_forwarding|ip_forwarding_enabled", "properties.enableIPForwarding"),
    f("dns_servers", "properties.dnsSettings.dnsServers"),
    c("ip_configuration", "properties.ipConfigurations", Conv::Blocks(VMSS_IP_CONFIGURATION)),
]));
const VMSS_SKU: Field = f("sku|sku_name", "sku.name");
const VMSS_INSTANCES: Field = f("instances", "sku.capacity");
const VMSS_UPGRADE_MODE: Field = f("upgrade_mode", "properties.upgradePolicy.mode");
const VMSS_AUTO_OS_UPGRADE: Field = c("automatic_os_upgrade_policy", "properties.upgradePolicy.automaticOSUpgradePolicy", Conv::Block(&[
    f("enable_automatic_os_upgrade|automatic_os_upgrade_enabled", "enableAutomaticOSUpgrade"),
    f("disable_automatic_rollback", "disableAutomaticRollback"),
]));
const VMSS_HEALTH_PROBE: Field = f("health_probe_id", "properties.virtualMachineProfile.networkProfile.healthProbe.id");
const VMSS_ENCRYPTION_AT_HOST: Field = f("encryption_at_host_enabled", "properties.virtualMachineProfile.securityProfile.encryptionAtHost");
const VMSS_SECURE_BOOT: Field = f("secure_boot_enabled", "properties.virtualMachineProfile.securityProfile.uefiSettings.secureBootEnabled");
const VMSS_VTPM: Field = f("vtpm_enabled", "properties.virtualMachineProfile.securityProfile.uefiSettings.vTpmEnabled");
const VMSS_ZONES: Field = f("zones", "zones");

const VMSS_LINUX: &[Field] = &[
    VMSS_SKU,
    VMSS_INSTANCES,
    VMSS_ZONES,
    f("admin_username", "properties.virtualMachineProfile.osProfile.adminUsername"),
    f("computer_name_prefix", "properties.virtualMachineProfile.osProfile.computerNamePrefix"),
    f("disable_password_authentication", "properties.virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication"),
    c("admin_ssh_key", "properties.virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys", Conv::Blocks(&[
        f("public_key", "keyData"),
    ])),
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
    f("admin_username", "properties.virtualMachineProfile.osProfile.adminUsername"),
    f("computer_name_prefix", "properties.virtualMachineProfile.osProfile.computerNamePrefix"),
    f("enable_automatic_updates|automatic_updates_enabled", "properties.virtualMachineProfile.osProfile.windowsConfiguration.enableAutomaticUpdates"),
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
    f("platform_fault_domain_count", "properties.platformFaultDomainCount"),
    c("os_profile", "properties.virtualMachineProfile.osProfile", Conv::Block(&[
        c("linux_configuration", "linuxConfiguration", Conv::Block(&[
            f("disable_password_authentication", "disablePasswordAuthentication"),
        ])),
        c("windows_configuration", "windowsConfiguration", Conv::Block(&[
            f("enable_automatic_updates|automatic_updates_enabled", "enableAutomaticUpdates"),
        ])),
    ])),
    VMSS_UPGRADE_MODE,
    VMSS_AUTO_OS_UPGRADE,
    VMSS_ENCRYPTION_AT_HOST,
    VMSS_NETWORK_INTERFACES,
];

/// The legacy `azurerm_virtual_machine_scale_set` (removed in azurerm 4.0, still common).
const VMSS_LEGACY: &[Field] = &[
    c("sku", "sku", Conv::Block(&[
        f("name", "name"),
        f("tier", "tier"),
        f("capacity", "capacity"),
    ])),
    VMSS_ZONES,
    f("upgrade_policy_mode", "properties.upgradePolicy.mode"),
    f("automatic_os_upgrade", "properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade"),
    VMSS_HEALTH_PROBE,
    f("overprovision", "properties.overprovision"),
    f("single_placement_group", "properties.singlePlacementGroup"),
    c("os_profile", "properties.virtualMachineProfile.osProfile", Conv::Block(&[
        f("computer_name_prefix", "computerNamePrefix"),
        f("admin_username", "adminUsername"),
    ])),
    c("os_profile_linux_config", "properties.virtualMachineProfile.osProfile.linuxConfiguration", Conv::Block(&[
        f("disable_password_authentication", "disablePasswordAuthentication"),
    ])),
    c("os_profile_windows_config", "properties.virtualMachineProfile.osProfile.windowsConfiguration", Conv::Block(&[
        f("enable_automatic_upgrades", "enableAutomaticUpdates"),
    ])),
    c("network_profile", "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations", Conv::Blocks(&[
        f("name", "name"),
        f("primary", "properties.primary"),
        f("network_security_group_id", "properties.networkSecurityGroup.id"),
        f("accelerated_networking", "properties.enableAcceleratedNetworking"),
        f("ip_forwarding", "properties.enableIPForwarding"),
        c("ip_configuration", "properties.ipConfigurations", Conv::Blocks(&[
            f("name", "name"),
            f("primary", "properties.primary"),
            f("subnet_id", "properties.subnet.id"),
            c("load_balancer_inbound_nat_rules_ids", "properties.loadBalancerInboundNatPools", Conv::IdObjects),
            c("load_balancer_backend_address_pool_ids", "properties.loadBalancerBackendAddressPools", Conv::IdObjects),
            c("application_gateway_backend_address_pool_ids", "properties.applicationGatewayBackendAddressPools", Conv::IdObjects),
            c("application_security_group_ids", "properties.applicationSecurityGroups", Conv::IdObjects),
            c("public_ip_address_configuration", "properties.publicIPAddressConfiguration", Conv::Block(&[
                f("name", "name"),
                f("idle_timeout", "properties.idleTimeoutInMinutes"),
                f("domain_name_label", "properties.dnsSettings.domainNameLabel"),
            ])),
        ])),
    ])),
];

const LB: &[Field] = &[
    f("sku", "sku.name"),
    f("sku_tier", "sku.tier"),
    c("frontend_ip_configuration", "properties.frontendIPConfigurations", Conv::Blocks(&[
        f("name", "name"),
        f("public_ip_address_id", "properties.publicIPAddress.id"),
        f("public_ip_prefix_id", "properties.publicIPPrefix.id"),
        f("subnet_id", "properties.subnet.id"),
        f("private_ip_address", "properties.privateIPAddress"),
        f("private_ip_address_allocation", "properties.privateIPAllocationMethod"),
        f("private_ip_address_version", "properties.privateIPAddressVersion"),
        f("gateway_load_balancer_frontend_ip_configuration_id", "properties.gatewayLoadBalancer.id"),
        f("zones", "zones"),
    ])),
];

const LB_NAT_POOL: &[Field] = &[
    f("protocol", "properties.protocol"),
    f("frontend_port_start", "properties.frontendPortRangeStart"),
    f("frontend_port_end", "properties.frontendPortRangeEnd"),
    f("backend_port", "properties.backendPort"),
    f("frontend_ip_configuration_name", "properties.frontendIPConfiguration.name"),
    f("enable_floating_ip|floating_ip_enabled", "properties.enableFloatingIP"),
    f("enable_tcp_reset|tcp_reset_enabled", "properties.enableTcpReset"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
];

const LB_NAT_RULE: &[Field] = &[
    f("protocol", "properties.protocol"),
    f("frontend_port", "properties.frontendPort"),
    f("backend_port", "properties.backendPort"),
    f("frontend_port_start", "properties.frontendPortRangeStart"),
    f("frontend_port_end", "properties.frontendPortRangeEnd"),
    f("backend_address_pool_id", "properties.backendAddressPool.id"),
    f("frontend_ip_configuration_name", "properties.frontendIPConfiguration.name"),
    f("enable_floating_ip|floating_ip_enabled", "properties.enableFloatingIP"),
    f("enable_tcp_reset|tcp_reset_enabled", "properties.enableTcpReset"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
];

const PUBLIC_IP: &[Field] = &[
    f("sku", "sku.name"),
    f("sku_tier", "sku.tier"),
    f("zones", "zones"),
    f("allocation_method", "properties.publicIPAllocationMethod"),
    f("ip_version", "properties.publicIPAddressVersion"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
    f("domain_name_label", "properties.dnsSettings.domainNameLabel"),
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
    c("route", "properties.routes", Conv::Blocks(&[
        f("name", "name"),
        f("address_prefix", "properties.addressPrefix"),
        f("next_hop_type", "properties.nextHopType"),
        f("next_hop_in_ip_address", "properties.nextHopIpAddress"),
    ])),
    c("bgp_route_propagation_enabled", "properties.disableBgpRoutePropagation", Conv::Not),
    f("disable_bgp_route_propagation", "properties.disableBgpRoutePropagation"),
];

const NAT_GATEWAY: &[Field] = &[
    f("sku_name|sku", "sku.name"),
    f("zones", "zones"),
    f("idle_timeout_in_minutes", "properties.idleTimeoutInMinutes"),
];

const PRIVATE_ENDPOINT: &[Field] = &[
    f("subnet_id", "properties.subnet.id"),
    f("custom_network_interface_name", "properties.customNetworkInterfaceName"),
    c("private_service_connection", "properties", Conv::Custom(private_service_connections, &[])),
    c("ip_configuration", "properties.ipConfigurations", Conv::Blocks(&[
        f("name", "name"),
        f("private_ip_address", "properties.privateIPAddress"),
        f("subresource_name", "properties.groupId"),
        f("member_name", "properties.memberName"),
    ])),
];

/// One `private_service_connection` block, as an element of either connection list.
pub(super) const PRIVATE_LINK_CONNECTION: &[Field] = &[
    f("name", "name"),
    f("private_connection_resource_id", "properties.privateLinkServiceId"),
    f("subresource_names", "properties.groupIds"),
    f("request_message", "properties.requestMessage"),
];

const STORAGE_ACCOUNT: &[Field] = &[
    f("account_kind", "kind"),
    c("public_network_access_enabled", "properties.publicNetworkAccess", Conv::Enabled),
    f("allow_nested_items_to_be_public|allow_blob_public_access", "properties.allowBlobPublicAccess"),
    f("min_tls_version", "properties.minimumTlsVersion"),
    f("shared_access_key_enabled", "properties.allowSharedKeyAccess"),
    f("https_traffic_only_enabled|enable_https_traffic_only", "properties.supportsHttpsTrafficOnly"),
    f("is_hns_enabled", "properties.isHnsEnabled"),
    c("network_rules", "properties.networkAcls", Conv::Block(&[
        f("default_action", "defaultAction"),
        c("ip_rules", "ipRules", Conv::Objects("value")),
        c("virtual_network_subnet_ids", "virtualNetworkRules", Conv::IdObjects),
    ])),
];

const KEY_VAULT: &[Field] = &[
    f("sku_name", "properties.sku.name"),
    f("tenant_id", "properties.tenantId"),
    c("public_network_access_enabled", "properties.publicNetworkAccess", Conv::Enabled),
    f("enable_rbac_authorization|rbac_authorization_enabled", "properties.enableRbacAuthorization"),
    f("purge_protection_enabled", "properties.enablePurgeProtection"),
    f("soft_delete_retention_days", "properties.softDeleteRetentionInDays"),
    c("network_acls", "properties.networkAcls", Conv::Block(&[
        f("default_action", "defaultAction"),
        f("bypass", "bypass"),
        c("ip_rules", "ipRules", Conv::Objects("value")),
        c("virtual_network_subnet_ids", "virtualNetworkRules", Conv::IdObjects),
    ])),
];

const CONTAINER_REGISTRY: &[Field] = &[
    f("sku", "sku.name"),
    c("public_network_access_enabled", "properties.publicNetworkAccess", Conv::Enabled),
    c("quarantine_policy_enabled", "properties.policies.quarantinePolicy.status", Conv::Bool("enabled", "disabled")),
    c("export_policy_enabled", "properties.policies.exportPolicy.status", Conv::Bool("enabled", "disabled")),
    f("admin_enabled", "properties.adminUserEnabled"),
    f("anonymous_pull_enabled", "properties.anonymousPullEnabled"),
    f("data_endpoint_enabled", "properties.dataEndpointEnabled"),
    f("network_rule_bypass_option", "properties.networkRuleBypassOptions"),
    c("zone_redundancy_enabled", "properties.zoneRedundancy", Conv::Enabled),
    c("network_rule_set", "properties.networkRuleSet", Conv::Block(&[
        f("default_action", "defaultAction"),
        c("ip_rule", "ipRules", Conv::Blocks(&[
            f("action", "action"),
            f("ip_range", "value"),
        ])),
    ])),
];

const BASTION_HOST: &[Field] = &[
    f("sku", "sku.name"),
    c("ip_configuration", "properties.ipConfigurations", Conv::Blocks(&[
        f("name", "name"),
        f("subnet_id", "properties.subnet.id"),
        f("public_ip_address_id", "properties.publicIPAddress.id"),
    ])),
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

pub(super) const MAPPINGS: &[Mapping] = &[
    m("azurerm_network_security_group", types::NSG, Parent::None, NSG, &[]).exclusive(&[("properties.securityRules", NSG_RULES_EXCLUSIVE)]),
    m("azurerm_network_security_rule", types::NSG_RULE, Parent::Name("network_security_group_name"), NSG_RULE, &[]),
    m("azurerm_batch_account", types::BATCH_ACCOUNT, Parent::None, BATCH_ACCOUNT, &[]),
    m("azurerm_batch_pool", types::BATCH_POOL, Parent::Name("account_name"), BATCH_POOL, &[]).api_version("2024-07-01", "the azurerm provider's Batch API").limits(&[("properties.upgradePolicy", &POOL_UPGRADE_POLICY)]).retired(&[("properties.certificates", "certificate block(s), which the azurerm provider removed in 5.0")]),
    m("azurerm_machine_learning_workspace", types::ML_WORKSPACE, Parent::None, ML_WORKSPACE, &[]).defaults(&[("properties.serverlessComputeSettings.serverlessComputeNoPublicIP", Default::Bool(true))]),
    m("azurerm_ai_foundry", types::ML_WORKSPACE, Parent::None, AI_FOUNDRY, &[("kind", "Hub")]),
    m("azurerm_ai_foundry_project", types::ML_WORKSPACE, Parent::None, AI_FOUNDRY_PROJECT, &[("kind", "Project")]),
    m("azurerm_machine_learning_compute_cluster", types::ML_COMPUTE, Parent::Id("machine_learning_workspace_id"), ML_CLUSTER, &[("properties.computeType", "AmlCompute")]).defaults(&[("properties.properties.remoteLoginPortPublicAccess", Default::Str("Disabled"))]),
    m("azurerm_machine_learning_compute_instance", types::ML_COMPUTE, Parent::Id("machine_learning_workspace_id"), ML_INSTANCE, &[("properties.computeType", "ComputeInstance")]),
    m("azurerm_virtual_network", types::VNET, Parent::None, VNET, &[]).defaults(&[("properties.subnets.*.properties.defaultOutboundAccess", Default::Bool(true))]),
    m("azurerm_subnet", types::SUBNET, Parent::Name("virtual_network_name"), SUBNET, &[]).defaults(&[("properties.defaultOutboundAccess", Default::Bool(true))]),
    m("azurerm_subnet_network_security_group_association", types::link::SUBNET_NSG, Parent::None, SUBNET_NSG_ASSOCIATION, &[]),
    m("azurerm_subnet_route_table_association", types::link::SUBNET_ROUTE_TABLE, Parent::None, SUBNET_ROUTE_TABLE_ASSOCIATION, &[]),
    m("azurerm_subnet_nat_gateway_association", types::link::SUBNET_NAT_GATEWAY, Parent::None, SUBNET_NAT_GATEWAY_ASSOCIATION, &[]),
    m("azurerm_network_interface_security_group_association", types::link::NIC_NSG, Parent::None, NIC_NSG_ASSOCIATION, &[]),
    m("azurerm_network_interface_nat_rule_association", types::link::NIC_NAT_RULE, Parent::None, NIC_NAT_RULE_ASSOCIATION, &[]),
    m("azurerm_network_interface_backend_address_pool_association", types::link::NIC_BACKEND_POOL, Parent::None, NIC_BACKEND_POOL_ASSOCIATION, &[]),
    m("azurerm_network_interface", types::NIC, Parent::None, NIC, &[]),
    m("azurerm_linux_virtual_machine_scale_set", types::VMSS, Parent::None, VMSS_LINUX, &[]),
    m("azurerm_windows_virtual_machine_scale_set", types::VMSS, Parent::None, VMSS_WINDOWS, &[]),
    m("azurerm_orchestrated_virtual_machine_scale_set", types::VMSS, Parent::None, VMSS_ORCHESTRATED, &[("properties.orchestrationMode", "Flexible")]),
    m("azurerm_virtual_machine_scale_set", types::VMSS, Parent::None, VMSS_LEGACY, &[]),
    m("azurerm_lb", types::LOAD_BALANCER, Parent::None, LB, &[]).defaults(&[("sku.name", Default::Str("Standard"))]),
    m("azurerm_lb_nat_pool", types::LB_NAT_POOL, Parent::Id("loadbalancer_id"), LB_NAT_POOL, &[]),
    m("azurerm_lb_nat_rule", types::LB_NAT_RULE, Parent::Id("loadbalancer_id"), LB_NAT_RULE, &[]),
    m("azurerm_public_ip", types::PUBLIC_IP, Parent::None, PUBLIC_IP, &[]),
    m("azurerm_public_ip_prefix", types::PUBLIC_IP_PREFIX, Parent::None, PUBLIC_IP_PREFIX, &[]),
    m("azurerm_route_table", types::ROUTE_TABLE, Parent::None, ROUTE_TABLE, &[]),
    m("azurerm_route", types::ROUTE, Parent::Name("route_table_name"), ROUTE, &[]),
    m("azurerm_nat_gateway", types::NAT_GATEWAY, Parent::None, NAT_GATEWAY, &[]),
    m("azurerm_private_endpoint", types::PRIVATE_ENDPOINT, Parent::None, PRIVATE_ENDPOINT, &[]),
    m("azurerm_storage_account", types::STORAGE_ACCOUNT, Parent::None, STORAGE_ACCOUNT, &[]),
    m("azurerm_key_vault", types::KEY_VAULT, Parent::None, KEY_VAULT, &[]),
    m("azurerm_container_registry", types::CONTAINER_REGISTRY, Parent::None, CONTAINER_REGISTRY, &[]),
    m("azurerm_bastion_host", types::BASTION, Parent::None, BASTION_HOST, &[]),
    m("azurerm_batch_certificate", types::BATCH_CERTIFICATE, Parent::Name("account_name"), BATCH_CERTIFICATE, &[]).retired(&[("", "is an azurerm_batch_certificate, a resource removed in azurerm 5.0")]),
    m("azurerm_resource_group", types::RESOURCE_GROUP, Parent::None, &[], &[]),
];

// What the provider does differently from ARM, named by the rows above.

/// The provider has no attribute for a pool's upgrade policy (so no Auto OS upgrade).
const POOL_UPGRADE_POLICY: Limitation = Limitation {
    key: "azurerm",
    why: "the azurerm provider has no setting for the pool's upgrade policy",
    instead: "set upgradePolicy with an azapi_resource or azapi_update_resource on the pool (automaticOSUpgradePolicy.enableAutomaticOSUpgrade = true)",
    what: "azurerm pool",
};

/// Inline `security_rule` blocks are authoritative.
const NSG_RULES_EXCLUSIVE: &str = "The azurerm provider cannot combine the two on one NSG: each apply removes the rules the other one manages.";

// The inner fields of blocks that a custom conversion maps (beside the value it adds).

/// Batch `encryption { key_vault_key_id }` (with `keySource = "Microsoft.KeyVault"`).
pub(super) const BATCH_ENCRYPTION: &[Field] = &[
    f("key_vault_key_id", "keyVaultProperties.keyIdentifier"),
];

/// ML workspace `encryption { … }` (with `status = "Enabled"`).
pub(super) const ML_ENCRYPTION: &[Field] = &[
    f("key_vault_id", "keyVaultProperties.keyVaultArmId"),
    f("key_id", "keyVaultProperties.keyIdentifier"),
    f("user_assigned_identity_id", "identity.userAssignedIdentity"),
];

/// Compute instance `ssh { public_key }` (with `sshPublicAccess = "Enabled"`).
pub(super) const INSTANCE_SSH: &[Field] = &[
    f("public_key", "adminPublicKey"),
];
