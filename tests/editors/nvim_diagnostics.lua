-- Opens a file in headless Neovim with batchguard's language server attached, waits for its
-- diagnostics, writes them as JSON, and quits. Used by tests/neovim.rs.
--   BATCHGUARD_BIN  the batchguard binary
--   BATCHGUARD_FILE the file to open
--   BATCHGUARD_OUT  where to write the diagnostics (a JSON list)

local bin = os.getenv("BATCHGUARD_BIN")
local file = os.getenv("BATCHGUARD_FILE")
local out = os.getenv("BATCHGUARD_OUT")

local function finish(diagnostics, err)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode({ diagnostics = diagnostics, error = err or vim.NIL }))
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

local got = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
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
finish(list, (not got) and "no diagnostics within 15 s" or nil)
