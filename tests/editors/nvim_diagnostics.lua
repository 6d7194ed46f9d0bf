-- Opens a file in headless Neovim with batchguard's language server attached, waits for its
-- diagnostics, asks for the code actions at the first one, applies the quick fix that fixes it
-- (Neovim sends the change back), waits for the diagnostics that follow, writes it all as JSON,
-- and quits. Used by tests/neovim.rs.
--   BATCHGUARD_BIN  the batchguard binary
--   BATCHGUARD_FILE the file to open
--   BATCHGUARD_OUT  where to write the diagnostics (a JSON list)

local bin = os.getenv("BATCHGUARD_BIN")
local file = os.getenv("BATCHGUARD_FILE")
local out = os.getenv("BATCHGUARD_OUT")

local result = { actions = {}, after = vim.NIL }

local function finish(diagnostics, err)
  local f = assert(io.open(out, "w"))
  result.diagnostics = diagnostics
  result.error = err or vim.NIL
  f:write(vim.fn.json_encode(result))
  f:close()
  for _, c in pairs(vim.lsp.get_active_clients()) do
    c.stop()
  end
  vim.wait(2000, function()
    return #vim.lsp.get_active_clients() == 0
  end, 20)
  vim.cmd("qa!")
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local config = {
  name = "batchguard",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
}
-- vim.lsp.start arrived in Neovim 0.8; older versions start the client and attach it by hand.
local ok, err = pcall(function()
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = buf })
  else
    local id = vim.lsp.start_client(config)
    assert(id, "the client did not start")
    vim.lsp.buf_attach_client(buf, id)
  end
end)
if not ok then
  finish({}, tostring(err))
  return
end

local function listed()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(list, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or lsp.code or vim.NIL,
    })
  end
  return list
end

local got = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local list = listed()
if not got then
  finish(list, "no diagnostics within 15 s")
  return
end

-- The code actions at the first diagnostic, as `vim.lsp.buf.code_action()` asks for them.
local first = list[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = {
    start = { line = first.lnum, character = first.col },
    ["end"] = { line = first.end_lnum, character = first.end_col },
  },
  context = { diagnostics = {} },
}
local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 15000) or {}
local fix
for _, response in pairs(responses) do
  for _, action in ipairs(response.result or {}) do
    table.insert(result.actions, { title = action.title, kind = action.kind or vim.NIL })
    if fix == nil and action.edit and string.sub(action.title, 1, 4) == "Fix " then
      fix = action
    end
  end
end
if fix == nil then
  finish(list, "no quick fix with an edit among the code actions")
  return
end
vim.lsp.util.apply_workspace_edit(fix.edit, "utf-16")
local before = first.message
local changed = vim.wait(15000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.message == before then
      return false
    end
  end
  return true
end, 50)
result.after = listed()
result.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
finish(list, (not changed) and "the diagnostic was still there 15 s after the fix" or nil)
