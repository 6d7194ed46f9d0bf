resource "azurerm_batch_certificate" "cert" {
  resource_group_name  = "rg"
  account_name         = azurerm_batch_account.acct.name
  certificate          = filebase64("cert.pfx")
  format               = "Pfx"
  password             = "placeholder"
  thumbprint           = "0123456789ABCDEF0123456789ABCDEF01234567"
  thumbprint_algorithm = "SHA1"
}

resource "azurerm_batch_pool" "with_certificate" {
  name                = "with-certificate"
  resource_group_name = "rg"
  account_name        = azurerm_batch_account.acct.name
  vm_size             = "STANDARD_D2S_V3"
  node_agent_sku_id   = "batch.node.ubuntu 22.04"

  storage_image_reference {
    publisher = "canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }

}
