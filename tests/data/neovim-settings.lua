-- Neovim (0.7+, headless) with its built-in LSP client on `dslim server`,
-- started with `settings = { dslim = { select = { "DS001" } } }` (sent as
-- workspace/didChangeConfiguration):
-- wait until the diagnostics are DS001 only, then run the `dslim.fixAll`
-- command, whose workspace/applyEdit Neovim applies to the buffer; write
-- what it saw to $TEST_DIR/nvim.out. Driven by tests/neovim.rs.
local out = {}
local function log(s) table.insert(out, s) end
local ok, err = pcall(function()
  local exe = os.getenv("DSLIM_EXE")
  local dir = os.getenv("TEST_DIR")
  vim.cmd("edit " .. dir .. "/Dockerfile")
  local buf = vim.api.nvim_get_current_buf()
  -- Neovim 0.7 sends `settings` only when asked (it answers
  -- workspace/configuration without announcing it): on_init sends them, as
  -- nvim-lspconfig and Neovim 0.8+ do.
  local id = vim.lsp.start_client({ cmd = { exe, "server" }, root_dir = dir, name = "dslim",
    settings = { dslim = { select = { "DS001" } } },
    on_init = function(client)
      client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
    end })
  assert(id, "start_client failed")
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  local function only_ds001()
    local d = vim.diagnostic.get(buf)
    if #d == 0 then return false end
    for _, x in ipairs(d) do
      if x.code ~= "DS001" then return false end
    end
    return true
  end
  assert(vim.wait(20000, only_ds001, 50), "diagnostics: " .. vim.inspect(vim.diagnostic.get(buf)))
  log("diagnostics " .. #vim.diagnostic.get(buf))
  local cmds = client.server_capabilities.executeCommandProvider.commands
  log("commands " .. table.concat(cmds, " "))
  local resp = client.request_sync("workspace/executeCommand",
    { command = "dslim.fixAll", arguments = { vim.uri_from_bufnr(buf) } }, 10000, buf)
  assert(resp and not resp.err, "executeCommand: " .. vim.inspect(resp))
  assert(vim.wait(10000, function() return vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1] ~= "RUN apt-get update" end, 50),
    "the edit was not applied")
  log("buffer")
  for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do log(l) end
end)
if not ok then log("error " .. tostring(err)) end
vim.fn.writefile(out, os.getenv("TEST_DIR") .. "/nvim.out")
vim.cmd(ok and "qa!" or "cquit 1")
