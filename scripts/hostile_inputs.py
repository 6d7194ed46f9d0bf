#!/usr/bin/env python3
"""Generates the hostile inputs of issue 11, one folder per case, each beside a good file that
must still get its finding, and times the release binary on each:

    python3 scripts/hostile_inputs.py OUT [BIN]

BIN defaults to target/release/batchguard. Prints per case: exit code, seconds, peak KB, and the
first diagnostic line. tests/hostile.rs checks the same cases at smaller sizes."""
import json, os, subprocess, sys

OUT = sys.argv[1]
BIN = sys.argv[2] if len(sys.argv) > 2 else "target/release/batchguard"

NSG_TF = '''resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
'''

def nsg_arm(n=1, indent=2):
    res = [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01",
            "name": f"nsg{i}", "location": "westeurope",
            "properties": {"securityRules": [{"name": "ssh", "properties": {
                "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "*", "sourcePortRange": "*",
                "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}
           for i in range(n)]
    t = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
         "contentVersion": "1.0.0.0", "resources": res}
    return json.dumps(t, indent=indent) if indent else json.dumps(t, separators=(",", ":"))

def case(name, files, args=()):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    os.makedirs(os.path.join(d, "good"), exist_ok=True)
    with open(os.path.join(d, "good", "main.tf"), "w") as f:
        f.write(NSG_TF)
    for rel, content in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if callable(content):
            content(p)
        else:
            with open(p, "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode())
    return d, list(args)

def fifo(p): os.mkfifo(p)
def folder(p): os.makedirs(p, exist_ok=True)
def link(target):
    return lambda p: os.symlink(target, p)

N = 100_000
cases = [
    case("json-deep-objects", {"bad/azuredeploy.json": '{"contentVersion":"1.0.0.0","x":' + '{"a":' * N + '1' + '}' * N + '}'}),
    case("json-deep-arrays", {"bad/azuredeploy.json": '{"contentVersion":"1.0.0.0","x":' + '[' * N + ']' * N + '}'}),
    case("arm-deep-parens", {"bad/azuredeploy.json": '{"contentVersion":"1.0.0.0","resources":[],"outputs":{"o":{"type":"int","value":"[' + 'add(1,' * N + '1' + ')' * N + ']"}}}'}),
    case("hcl-deep-objects", {"bad/main.tf": 'locals {\n  x = ' + '{a = ' * N + '1' + '}' * N + '\n}\n'}),
    case("hcl-deep-arrays", {"bad/main.tf": 'locals {\n  x = ' + '[' * N + ']' * N + '\n}\n'}),
    case("hcl-deep-parens", {"bad/main.tf": 'locals {\n  x = ' + '(' * N + '1' + ')' * N + '\n}\n'}),
    case("hcl-deep-blocks", {"bad/main.tf": 'resource "a" "b" {\n' + 'dynamic {\n' * N + '}\n' * N + '}\n'}),
    case("file-100mb", {"bad/main.tf": lambda p: open(p, "wb").write(b"# x\n" * (25 * 1024 * 1024))}),
    case("line-10mb", {"bad/main.tf": 'locals {\n  x = "' + 'a' * (10 * 1024 * 1024) + '"\n}\n'}),
    case("nul-bytes", {"bad/main.tf": 'locals {\n  x = 1\0\0\0\n}\n', "bad/azuredeploy.json": '{"contentVersion":"1.0.0.0",\0"resources":[]}'}),
    case("invalid-utf8", {"bad/main.tf": b'locals {\n  x = "\xff\xfe"\n}\n'}),
    case("utf16le", {"bad/azuredeploy.json": b'\xff\xfe' + nsg_arm().encode('utf-16-le')}),
    case("utf16be", {"bad/azuredeploy.json": b'\xfe\xff' + nsg_arm().encode('utf-16-be')}),
    case("template-not-json", {"bad/azuredeploy.json": '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", resources: [}'}),
    case("parameters-not-json", {"bad/azuredeploy.json": nsg_arm(), "bad/azuredeploy.parameters.json": 'adminUsername=bob\n'}),
    case("parameters-no-schema-not-json", {"bad/t.json": nsg_arm(), "bad/p.json": '{"parameters": {"a": {"value": 1}'}, ["--parameters", "bad/t.json=bad/p.json"]),
    case("tf-15mib", {"bad/main.tf": lambda p: open(p, "w").write("".join(NSG_TF.replace('"n"', f'"n{i}"') for i in range(15 * 1024 * 1024 // len(NSG_TF))))}),
    case("arm-15mib-one-line", {"bad/azuredeploy.json": lambda p: open(p, "w").write(nsg_arm(15 * 1024 * 1024 // 420, indent=None))}),
    case("symlink-loop", {"bad/a.tf": link("b.tf"), "bad/b.tf": link("a.tf")}),
    case("symlink-outside", {"bad/passwd.tf": link("/etc/passwd"), "bad/etc": link("/etc")}),
    case("fifo-tf", {"bad/x.tf": fifo}),
    case("fifo-parameters", {"bad/azuredeploy.json": nsg_arm(), "bad/azuredeploy.parameters.json": fifo}),
    case("fifo-var-file", {"bad/main.tf": NSG_TF, "bad/x.tfvars": fifo}, ["--var-file", "bad/x.tfvars"]),
    case("dir-main-tf", {"bad/main.tf": folder}),
    case("numbers", {"bad/azuredeploy.json": '{"contentVersion":"1.0.0.0","resources":[],"variables":{"a":1e400,"b":-0,"c":0x10,"d":-1e400}}',
                     "bad/main.tf": 'locals {\n  a = 1e400\n  b = -0\n  c = 0x10\n  d = 1e-400\n  e = 99999999999999999999999999999\n}\n'}),
    case("tfvars-syntax", {"bad/main.tf": 'variable "a" {}\n', "bad/terraform.tfvars": 'a = "unterminated\n'}),
]
def nsg_of_rules(n):
    rule = lambda i: (f'  security_rule {{\n    name = "r{i}"\n    priority = {100 + i % 4000}\n'
                      f'    direction = "Inbound"\n    access = "{"Allow" if i % 2 else "Deny"}"\n'
                      f'    protocol = "Tcp"\n    source_port_range = "*"\n'
                      f'    destination_port_range = "{1000 + i}"\n'
                      f'    source_address_prefix = "10.{i // 256 % 256}.{i % 256}.0/24"\n'
                      f'    destination_address_prefix = "*"\n  }}\n')
    return ('resource "azurerm_network_security_group" "big" {\n  name = "big"\n  location = "westeurope"\n'
            '  resource_group_name = "rg"\n' + "".join(rule(i) for i in range(n)) + '}\n')

def pool_of_nat_pools(pools, rules):
    nat = [{"name": f"p{i}", "protocol": "TCP", "backendPort": 22 if i % 2 else 3389,
            "frontendPortRangeStart": 1 + i * 10 % 60000, "frontendPortRangeEnd": 10 + i * 10 % 60000,
            "networkSecurityGroupRules": [{"priority": 150 + j, "access": "Allow" if j % 2 else "Deny",
                                           "sourceAddressPrefix": f"10.0.{j % 256}.0/24"} for j in range(rules)]}
           for i in range(pools)]
    return json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                       "contentVersion": "1.0.0.0", "resources": [{
                           "type": "Microsoft.Batch/batchAccounts/pools", "apiVersion": "2024-07-01", "name": "acct/pool",
                           "properties": {"vmSize": "STANDARD_D2S_V3", "networkConfiguration": {
                               "endpointConfiguration": {"inboundNatPools": nat}}}}]})

# Far past Azure's limits (1,000 rules per NSG; 5 NAT pools of 25 rules per Batch pool): the
# work that grows with the square of a list is bounded and named.
cases.append(case("nsg-40k-rules", {"bad/main.tf": lambda p: open(p, "w").write(nsg_of_rules(40_000))}))
cases.append(case("pool-3000-nat-pools", {"bad/azuredeploy.json": lambda p: open(p, "w").write(pool_of_nat_pools(3000, 40))}))

# Text whose syntax tree would be gigabytes: refused before it is parsed (D40).
cases.append(case("tf-15mib-of-references", {"bad/main.tf": lambda p: open(p, "w").write(
    "locals {\n  a = [" + ",".join(["x.y"] * (15 * 1024 * 1024 // 4)) + "]\n}\n")}))
cases.append(case("tf-15mib-of-chained-locals", {"bad/main.tf": lambda p: open(p, "w").write(
    "locals {\n  a0 = \"x\"\n" + "".join(f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"\n' for i in range(1, 340_000)) + "}\n")}))
cases.append(case("arm-15mib-of-values", {"bad/azuredeploy.json": lambda p: open(p, "w").write(
    '{"contentVersion": "1.0.0.0", "resources": [], "variables": {"a": [' + ",".join(["1"] * (15 * 1024 * 1024 // 2)) + "]}}")}))

small = {f"bad/d{i // 1000}/f{i}.tf": 'locals { a = %d }\n' % i for i in range(50_000)}
cases.append(case("50k-files", small))

for d, args in cases:
    name = os.path.basename(d)
    cmd = ["/usr/bin/time", "-f", "TIME %e s %M KB", os.path.abspath(BIN), "scan", ".", "--fail-on", "error", ] + args
    try:
        p = subprocess.run(cmd, cwd=d, capture_output=True, timeout=120)
        out = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
        t = [l for l in out.splitlines() if l.startswith("TIME ")]
        diag = [l for l in out.splitlines() if "bad/" in l or l.startswith(("error", "warning"))]
        good = "good/main.tf" in out
        print(f"{name:32} exit={p.returncode} {t[-1][5:] if t else '?':22} good={good} | {diag[:3]}")
    except subprocess.TimeoutExpired:
        print(f"{name:32} TIMEOUT")
