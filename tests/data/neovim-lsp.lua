-- Neovim (0.7+, headless) with its built-in LSP client on `dslim server`:
-- open $TEST_DIR/Dockerfile, wait for diagnostics, apply the DS001 quick
-- fix, format on save; write what it saw to $TEST_DIR/nvim.out.
-- Driven by tests/neovim.rs.
local out = {}
local function log(s) table.insert(out, s) end
local ok, err = pcall(function()
  local exe = os.getenv("DSLIM_EXE")
  local dir = os.getenv("TEST_DIR")
  vim.cmd("edit " .. dir .. "/Dockerfile")
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ cmd = { exe, "server" }, root_dir = dir, name = "dslim" })
  assert(id, "start_client failed")
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  assert(vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50), "no diagnostics")
  for _, d in ipairs(vim.diagnostic.get(buf)) do log("diag " .. tostring(d.code) .. " " .. d.lnum) end
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {}, only = { "quickfix" } }
  local resp = client.request_sync("textDocument/codeAction", params, 10000, buf)
  assert(resp and resp.result, "no code actions: " .. vim.inspect(resp))
  local applied = false
  for _, a in ipairs(resp.result) do
    if a.title:sub(1, 6) == "DS001:" then
      vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding or "utf-16")
      applied = true
    end
  end
  assert(applied, "no DS001 action: " .. vim.inspect(resp.result))
  vim.api.nvim_create_autocmd("BufWritePre", { buffer = buf, callback = function() vim.lsp.buf.formatting_sync(nil, 10000) end })
  vim.cmd("write")
  log("buffer")
  for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do log(l) end
end)
if not ok then log("error " .. tostring(err)) end
vim.fn.writefile(out, os.getenv("TEST_DIR") .. "/nvim.out")
vim.cmd(ok and "qa!" or "cquit 1")
