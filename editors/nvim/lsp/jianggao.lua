-- jianggao (讲稿): language server for Chinese official speeches.
--
-- Neovim 0.11+ configuration.  Put this file on 'runtimepath' as
-- lsp/jianggao.lua (e.g. ~/.config/nvim/lsp/jianggao.lua) and enable it with
--
--   vim.lsp.enable('jianggao')
--
-- Override any field with vim.lsp.config('jianggao', { ... }) before or after
-- enabling; tables are merged, so you only list what you change, e.g.
--
--   vim.lsp.config('jianggao', {
--     settings = { jianggao = { speakingRate = 200, rules = { placeholder = 'off' } } },
--   })
--
-- Settings reach the server twice, from the same table: as initializationOptions
-- (before_init below) and as the answer to workspace/configuration (section
-- 'jianggao', served by Neovim from `settings`).

---@type vim.lsp.Config
return {
  -- 'jianggao' must be on $PATH; otherwise use the full path, e.g.
  -- cmd = { vim.fn.expand('~/.cargo/bin/jianggao'), 'lsp' }
  cmd = { 'jianggao', 'lsp' },
  -- Neovim's filetype for *.txt is 'text'; Markdown is 'markdown'.
  filetypes = { 'text', 'markdown' },
  -- A folder with a glossary (jianggao.toml) or a git repository is the
  -- workspace; a lone file is still handled without one.
  root_markers = { 'jianggao.toml', '.git' },
  -- Report plain text as 'plaintext' (the LSP / VS Code name), not 'text'.
  get_language_id = function(_, filetype)
    return filetype == 'text' and 'plaintext' or filetype
  end,
  settings = {
    jianggao = {
      speakingRate = 220, -- 字/分钟
      -- per-rule severity: 'error' | 'warning' | 'info' | 'hint' | 'off'
      -- e.g. rules = { ['numbering-gap'] = 'error', placeholder = 'off' }
      rules = vim.empty_dict(), -- empty_dict: sent as {} rather than []
      inlayHints = { enable = false },
      glossaryPath = '', -- '' = <workspace>/jianggao.toml
      indent = 'keep', -- 'keep' | 'fullwidth' | 'none'
    },
  },
  before_init = function(params, config)
    params.initializationOptions = vim.tbl_get(config, 'settings', 'jianggao') or vim.empty_dict()
  end,
  on_attach = function(client, bufnr)
    -- :JianggaoStatistics  length and speaking time per section, in the location list
    vim.api.nvim_buf_create_user_command(bufnr, 'JianggaoStatistics', function()
      local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr) }
      client:request('jianggao/statistics', params, function(err, result)
        if err or type(result) ~= 'table' then
          vim.notify('jianggao/statistics: ' .. (err and err.message or 'no result'), vim.log.levels.WARN)
          return
        end
        local items = {}
        for _, s in ipairs(result.sections or {}) do
          items[#items + 1] = {
            bufnr = bufnr,
            lnum = (s.line or 0) + 1,
            col = 1,
            text = string.format('%s  %d 字  %.1f 分钟', s.name or '', s.chars or 0, s.minutes or 0),
          }
        end
        local title = string.format('讲稿统计: %d 字, 约 %.1f 分钟', result.chars or 0, result.minutes or 0)
        vim.fn.setloclist(0, {}, ' ', { title = title, items = items })
        vim.notify(title)
        if #items > 0 then
          vim.cmd('lopen')
        end
      end, bufnr)
    end, { desc = 'jianggao: speech statistics' })

    -- :JianggaoRenumber  renumber the points at the cursor
    vim.api.nvim_buf_create_user_command(bufnr, 'JianggaoRenumber', function()
      vim.lsp.buf.code_action({
        context = { only = { 'refactor.rewrite.jianggao.renumber' }, diagnostics = {} },
        apply = true,
      })
    end, { desc = 'jianggao: renumber points' })

    -- :JianggaoFixAll  apply every safe fix in the buffer
    vim.api.nvim_buf_create_user_command(bufnr, 'JianggaoFixAll', function()
      vim.lsp.buf.code_action({
        context = { only = { 'source.fixAll.jianggao' }, diagnostics = {} },
        apply = true,
      })
    end, { desc = 'jianggao: fix all' })
  end,
}
