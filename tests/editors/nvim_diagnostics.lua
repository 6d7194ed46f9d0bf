-- Sets up batchguard's language server as integrations/neovim.md tells users to (the snippet
-- for the running version, in BATCHGUARD_SETUP), opens a file, so that the FileType event starts
-- the client, waits for its diagnostics, asks for the code actions at the first one, applies the
-- quick fix that fixes it (Neovim sends the change back), waits for the diagnostics that follow,
-- writes it all as JSON, and quits. Used by tests/neovim.rs.
--   BATCHGUARD_SETUP the setup snippet (a Lua file); `batchguard` is on PATH
--   BATCHGUARD_FILE  the file to open
--   BATCHGUARD_OUT   where to write the result (JSON)

local setup = os.getenv("BATCHGUARD_SETUP")
local file = os.getenv("BATCHGUARD_FILE")
local out = os.getenv("BATCHGUARD_OUT")

local result = { actions = {}, after = vim.NIL, clients = {} }

-- The running clients (of one buffer, with a filter): vim.lsp.get_clients arrived in Neovim 0.10,
-- where get_active_clients is deprecated; 0.7's get_active_clients takes no filter.
local function clients(filter)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  if filter and vim.fn.has("nvim-0.8") == 0 then
    return vim.tbl_values(vim.lsp.buf_get_clients(filter.bufnr))
  end
  return vim.lsp.get_active_clients(filter)
end

local function finish(diagnostics, err)
  local f = assert(io.open(out, "w"))
  result.diagnostics = diagnostics
  result.error = err or vim.NIL
  f:write(vim.fn.json_encode(result))
  f:close()
  for _, c in pairs(clients()) do
    c.stop()
  end
  vim.wait(2000, function()
    return #clients() == 0
  end, 20)
  vim.cmd("qa!")
end

local ok, err = pcall(dofile, setup)
if not ok then
  finish({}, "the setup failed: " .. tostring(err))
  return
end
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
result.filetype = vim.bo[buf].filetype

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
for _, c in pairs(clients({ bufnr = buf })) do
  table.insert(result.clients, c.name)
end
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
