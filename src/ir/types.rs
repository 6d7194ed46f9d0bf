//! The resource types the analyzer reads, by their ARM names: the one list of type names that
//! front-ends, graph and rules share. Compare with [`super::Resource::is_type`], which ignores
//! case as ARM does.

// Azure Batch.
pub const BATCH_ACCOUNT: &str = "Microsoft.Batch/batchAccounts";
pub const BATCH_POOL: &str = "Microsoft.Batch/batchAccounts/pools";
pub const BATCH_CERTIFICATE: &str = "Microsoft.Batch/batchAccounts/certificates";

// Azure Machine Learning.
pub const ML_WORKSPACE: &str = "Microsoft.MachineLearningServices/workspaces";
pub const ML_COMPUTE: &str = "Microsoft.MachineLearningServices/workspaces/computes";
pub const ML_BATCH_ENDPOINT: &str = "Microsoft.MachineLearningServices/workspaces/batchEndpoints";
pub const ML_BATCH_DEPLOYMENT: &str =
    "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments";

// What an ML workspace depends on.
pub const KEY_VAULT: &str = "Microsoft.KeyVault/vaults";
pub const CONTAINER_REGISTRY: &str = "Microsoft.ContainerRegistry/registries";
pub const STORAGE_ACCOUNT: &str = "Microsoft.Storage/storageAccounts";

// Networking.
pub const VNET: &str = "Microsoft.Network/virtualNetworks";
pub const SUBNET: &str = "Microsoft.Network/virtualNetworks/subnets";
pub const NSG: &str = "Microsoft.Network/networkSecurityGroups";
pub const NSG_RULE: &str = "Microsoft.Network/networkSecurityGroups/securityRules";
pub const NIC: &str = "Microsoft.Network/networkInterfaces";
pub const LOAD_BALANCER: &str = "Microsoft.Network/loadBalancers";
pub const LB_FRONTEND: &str = "Microsoft.Network/loadBalancers/frontendIPConfigurations";
pub const LB_NAT_POOL: &str = "Microsoft.Network/loadBalancers/inboundNatPools";
pub const LB_NAT_RULE: &str = "Microsoft.Network/loadBalancers/inboundNatRules";
pub const ROUTE_TABLE: &str = "Microsoft.Network/routeTables";
pub const ROUTE: &str = "Microsoft.Network/routeTables/routes";
pub const PRIVATE_ENDPOINT: &str = "Microsoft.Network/privateEndpoints";
pub const BASTION: &str = "Microsoft.Network/bastionHosts";
pub const PUBLIC_IP: &str = "Microsoft.Network/publicIPAddresses";
pub const PUBLIC_IP_PREFIX: &str = "Microsoft.Network/publicIPPrefixes";
pub const NAT_GATEWAY: &str = "Microsoft.Network/natGateways";

// Deployments and their scopes.
pub const DEPLOYMENT: &str = "Microsoft.Resources/deployments";
pub const RESOURCE_GROUP: &str = "Microsoft.Resources/resourceGroups";

// Compute.
pub const VMSS: &str = "Microsoft.Compute/virtualMachineScaleSets";

/// Links between two resources that some syntaxes write as a resource of their own (a subnet's
/// NSG, a NIC's NAT rule) rather than as a property of either: not ARM types, but read by the
/// graph like the property they stand for. Their body is `{ properties: { <…>Id: … } }`.
pub mod link {
    pub const SUBNET_NSG: &str = "Terraform.Association/subnetNetworkSecurityGroup";
    pub const SUBNET_ROUTE_TABLE: &str = "Terraform.Association/subnetRouteTable";
    pub const SUBNET_NAT_GATEWAY: &str = "Terraform.Association/subnetNatGateway";
    pub const NIC_NSG: &str = "Terraform.Association/networkInterfaceSecurityGroup";
    pub const NIC_NAT_RULE: &str = "Terraform.Association/networkInterfaceNatRule";
    pub const NIC_BACKEND_POOL: &str = "Terraform.Association/networkInterfaceBackendAddressPool";
}
