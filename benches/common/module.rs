//! The generated Terraform module the benchmarks scan: NSGs with six inline rules (some allowing
//! 22/3389 from `*`), a subnet and an NSG association per NSG, and every tenth NSG a Batch pool
//! in that subnet with SSH open to `*`.

use std::fmt::Write as _;

/// Appends blocks (numbered from 0) to `out` until it holds at least `bytes` bytes; returns how
/// many it appended. The LSP bench spreads its blocks over files with [`block`] instead.
#[allow(dead_code)]
pub fn fill(out: &mut String, bytes: usize) -> usize {
    let mut n = 0;
    while out.len() < bytes {
        block(out, n);
        n += 1;
    }
    n
}

/// One NSG with its rules, subnet and association, and every tenth a Batch pool.
pub fn block(out: &mut String, i: usize) {
    let _ = writeln!(
        out,
        "resource \"azurerm_network_security_group\" \"nsg{i}\" {{\n  name                = \"nsg{i}\"\n  location            = var.location\n  resource_group_name = \"rg\""
    );
    for j in 0..6 {
        let port = [22, 3389, 443, 80, 8080, 10000 + j][j];
        let src = if j.is_multiple_of(3) {
            "*".to_string()
        } else {
            format!("10.0.{j}.0/24")
        };
        let access = if j.is_multiple_of(2) { "Allow" } else { "Deny" };
        let _ = writeln!(
            out,
            "  security_rule {{\n    name                       = \"r{j}\"\n    priority                   = {}\n    direction                  = \"Inbound\"\n    access                     = \"{access}\"\n    protocol                   = \"Tcp\"\n    source_port_range          = \"*\"\n    destination_port_range     = \"{port}\"\n    source_address_prefix      = \"{src}\"\n    destination_address_prefix = \"*\"\n  }}",
            100 + j * 10
        );
    }
    let _ = write!(
        out,
        "}}\n\nresource \"azurerm_subnet\" \"sn{i}\" {{\n  name                 = \"sn{i}\"\n  resource_group_name  = \"rg\"\n  virtual_network_name = \"vnet\"\n  address_prefixes     = [\"10.{}.{}.0/24\"]\n}}\n\nresource \"azurerm_subnet_network_security_group_association\" \"a{i}\" {{\n  subnet_id                 = azurerm_subnet.sn{i}.id\n  network_security_group_id = azurerm_network_security_group.nsg{i}.id\n}}\n",
        i % 250,
        i / 250 % 250
    );
    if i.is_multiple_of(10) {
        let _ = write!(
            out,
            "\nresource \"azurerm_batch_pool\" \"pool{i}\" {{\n  name                = \"pool{i}\"\n  resource_group_name = \"rg\"\n  account_name        = \"acct\"\n  vm_size             = \"Standard_D2s_v3\"\n  node_agent_sku_id   = \"batch.node.ubuntu 22.04\"\n  storage_image_reference {{\n    publisher = \"canonical\"\n    offer     = \"0001-com-ubuntu-server-jammy\"\n    sku       = \"22_04-lts\"\n    version   = \"latest\"\n  }}\n  fixed_scale {{\n    target_dedicated_nodes = 1\n  }}\n  network_configuration {{\n    subnet_id = azurerm_subnet.sn{i}.id\n    endpoint_configuration {{\n      name                = \"ssh\"\n      backend_port        = 22\n      protocol            = \"TCP\"\n      frontend_port_range = \"50000-50099\"\n      network_security_group_rules {{\n        access                = \"Allow\"\n        priority              = 150\n        source_address_prefix = \"*\"\n      }}\n    }}\n  }}\n}}\n"
        );
    }
    out.push('\n');
}
