#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs made from testdata/ and ../shared/corpus (when it
# is there), at run time: the seeds are not committed. Files already in a corpus directory (what
# the fuzzer found in earlier runs) are kept; seeds are named by their SHA-1, as libFuzzer names
# its own, so running this again adds nothing twice.
#
#   fuzz/seed.sh [TARGET...]      (default: every target)
#
# SHARED=DIR names the shared tree when it is not ../shared beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
shared=${SHARED:-$here/../shared}
sources=("$here/testdata")
if [ -d "$shared/corpus" ]; then
  sources+=("$shared/corpus")
else
  echo "seed: $shared/corpus is absent; seeding from testdata/ only" >&2
fi
# Keep in step with fuzz/src/lib.rs (SEPARATOR).
separator=$'\n#%%\n'
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(arm_frontend hcl_frontend arm_expr tf_module arm_pipeline bicep_pipeline tfjson_pipeline lsp rule_file)

# seed TARGET: stdin becomes one seed of TARGET.
seed() {
  local dir=$here/fuzz/corpus/$1 tmp
  mkdir -p "$dir"
  tmp=$(mktemp "$dir/.seed.XXXXXX")
  cat >"$tmp"
  if [ -s "$tmp" ]; then
    mv "$tmp" "$dir/$(sha1sum "$tmp" | cut -c1-40)"
  else
    rm -f "$tmp"
  fi
}

files() { # files NAME-PATTERN...: input files of the source trees, sorted
  local args=() p
  for p in "$@"; do args+=(-o -iname "$p"); done
  find "${sources[@]}" -type f \( "${args[@]:1}" \) -size -1024k -print0 | sort -z
}

arm_frontend() {
  while IFS= read -r -d '' f; do seed arm_frontend <"$f"; done < <(files '*.json')
}

hcl_frontend() {
  while IFS= read -r -d '' f; do seed hcl_frontend <"$f"; done < <(files '*.tf' '*.tfvars')
}

# The inside of every `"[...]"` string of the ARM files (escaped quotes included), one seed each.
arm_expr() {
  files '*.json' | xargs -0 cat | grep -aoE '"\[([^"\\]|\\.)*\]"' | sed -E 's/^"\[//; s/\]"$//' |
    grep -v '^\[' | sort -u | while IFS= read -r e; do printf '%s' "$e" | seed arm_expr; done
}

# Each module directory: its .tf files as main.tf, and its first .tfvars after the separator.
tf_module() {
  local d tf tfvars
  while IFS= read -r -d '' d; do
    tf=$(find "$d" -maxdepth 1 -type f -name '*.tf' -print0 | sort -z | xargs -0 -r cat)
    [ -n "$tf" ] || continue
    tfvars=$(find "$d" -maxdepth 1 -type f -name '*.tfvars' | sort | head -n 1)
    {
      printf '%s' "$tf"
      if [ -n "$tfvars" ]; then
        printf '%s' "$separator"
        cat "$tfvars"
      fi
    } | seed tf_module
  done < <(files '*.tf' | xargs -0 -n 1 dirname -z | sort -zu)
}

# Each template, with its X.parameters.json after the separator when it has one.
arm_pipeline() {
  local f p
  while IFS= read -r -d '' f; do
    case "$f" in *.parameters.json) continue ;; esac
    p=${f%.json}.parameters.json
    {
      cat "$f"
      if [ -f "$p" ]; then
        printf '%s' "$separator"
        cat "$p"
      fi
    } | seed arm_pipeline
  done < <(files '*.json')
}

# Every Bicep file of the source trees (testdata/bicep), and a template with its parameters
# file after the separator.
bicep_pipeline() {
  while IFS= read -r -d '' f; do seed bicep_pipeline <"$f"; done < <(files '*.bicep' '*.bicepparam')
  local t=testdata/bicep/modules
  if [ -f "$t/main.bicep" ] && [ -f "$t/main.bicepparam" ]; then
    { cat "$t/main.bicep"; printf "%s" "$separator"; cat "$t/main.bicepparam"; } | seed bicep_pipeline
  fi
}

# Every Terraform JSON file of the source trees, with the module's terraform.tfvars.json after
# the separator when it has one.
tfjson_pipeline() {
  local f v
  while IFS= read -r -d '' f; do
    v=$(dirname "$f")/terraform.tfvars.json
    {
      cat "$f"
      if [ -f "$v" ]; then
        printf '%s' "$separator"
        cat "$v"
      fi
    } | seed tfjson_pipeline
  done < <(files '*.tf.json')
}

# The example custom rule files.
rule_file() {
  local f
  for f in "$here"/integrations/policies/*.toml; do
    [ -f "$f" ] && seed rule_file <"$f"
  done
}

# A few editor sessions, one JSON-RPC message per line (see `lsp` in fuzz/src/lib.rs): open a
# testdata file, wait for its analysis, edit it, save and close it. The URIs are moved into the
# fuzzer's work directory whatever they say.
lsp() {
  if ! command -v python3 >/dev/null 2>&1; then
    echo "seed: python3 is absent; the lsp corpus gets no seeds" >&2
    return
  fi
  local picks=(
    testdata/NET001/azurerm/violating/main.tf
    testdata/NET001/arm/violating.json
    testdata/settings/arm/nsg.json
    testdata/settings/env/prod.tfvars
  )
  local f
  for f in "${picks[@]}"; do
    [ -f "$f" ] || continue
    python3 - "$f" <<'EOF' | seed lsp
import json, os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8", errors="replace").read()
name = os.path.basename(path)
uri = "file:///fuzz/" + name
lang = "json" if name.endswith(".json") else "terraform"
def msg(method, params, id=None):
    m = {"jsonrpc": "2.0", "method": method, "params": params}
    if id is not None:
        m["id"] = id
    print(json.dumps(m))
msg("initialize", {"capabilities": {}, "rootUri": "file:///fuzz",
                   "initializationOptions": {"options": {"redundant_rules": "true"}}}, id=1)
msg("initialized", {})
msg("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}})
print("wait")
msg("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
    {"range": {"start": {"line": 1, "character": 2}, "end": {"line": 3, "character": 0}}, "text": "x = \"é𝄞\"\n"},
    {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\r\n"}]})
msg("textDocument/didSave", {"textDocument": {"uri": uri}})
msg("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text[: len(text) // 2]}]})
msg("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}, id=2)
msg("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]})
print("wait")
for i, line in enumerate(range(0, text.count("\n") + 1, 7)):
    r = {"start": {"line": line, "character": 0}, "end": {"line": line + 7, "character": 0}}
    msg("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": r, "context": {"diagnostics": []}}, id=10 + i)
    msg("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line + 3, "character": 6}}, id=1000 + i)
msg("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9999, "character": 0}},
    "context": {"diagnostics": [], "only": ["source.fixAll"]}}, id=5000)
msg("workspace/executeCommand", {"command": "batchguard.fixAll", "arguments": [uri]}, id=5001)
msg("workspace/executeCommand", {"command": "batchguard.fixAll", "arguments": [42]}, id=5002)
msg("textDocument/didClose", {"textDocument": {"uri": uri}})
msg("shutdown", None, id=3)
msg("exit", None)
EOF
  done
  # Two documents of one folder and a batchguard.toml saved, without waiting.
  python3 - <<'EOF' | seed lsp
import json
def msg(method, params, id=None):
    m = {"jsonrpc": "2.0", "method": method, "params": params}
    if id is not None:
        m["id"] = id
    print(json.dumps(m))
msg("initialize", {"capabilities": {}}, id=1)
msg("textDocument/didOpen", {"textDocument": {"uri": "file:///fuzz/variables.tf", "languageId": "terraform", "version": 1,
    "text": "variable \"ports\" {\n  default = [22, 3389]\n}\n"}})
msg("textDocument/didOpen", {"textDocument": {"uri": "file:///fuzz/main%2Etf", "languageId": "terraform", "version": 1,
    "text": "resource \"azurerm_network_security_rule\" \"r\" {\n  direction = \"Inbound\"\n  access = \"Allow\"\n  priority = 100\n  protocol = \"Tcp\"\n  source_address_prefix = \"*\"\n  destination_port_ranges = var.ports\n}\n"}})
msg("textDocument/didSave", {"textDocument": {"uri": "file:///fuzz/batchguard.toml"}})
msg("textDocument/didChange", {"textDocument": {"uri": "file:///fuzz/variables.tf", "version": 2}, "contentChanges": [
    {"range": {"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 99}}, "text": "[\"*\"]"}]})
msg("textDocument/didClose", {"textDocument": {"uri": "file:///fuzz/variables.tf"}})
EOF
}

for t in "${targets[@]}"; do
  case "$t" in
    arm_frontend | hcl_frontend | arm_expr | tf_module | arm_pipeline | bicep_pipeline | tfjson_pipeline | lsp | rule_file) "$t" ;;
    *) echo "seed: unknown target \`$t\`" >&2; exit 2 ;;
  esac
  echo "seed: $t: $(find "$here/fuzz/corpus/$t" -type f | wc -l) inputs in fuzz/corpus/$t" >&2
done
