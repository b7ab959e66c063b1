-- Headless Neovim 0.11 end-to-end test of editors/nvim/lsp/jianggao.lua
-- against the real server.
--
--   nvim --headless --clean -l e2e.lua REPO SERVER DRAFT [CAPTURE_OUT]
--
-- DRAFT is opened as a buffer (a copy of fixtures/讲稿.txt in a scratch
-- folder).  Prints one line per check, "PASS nvim: …" or "FAIL nvim: …".
-- With CAPTURE_OUT the server is started through tools/lsp_log_proxy.py,
-- which writes Neovim's initialize params there (run.sh --record).

local repo, server, draft, capture = _G.arg[1], _G.arg[2], _G.arg[3], _G.arg[4]
local TIMEOUT = tonumber(vim.env.JIANGGAO_E2E_TIMEOUT_MS or '15000')
local label = 'nvim'

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local failed = 0
local function check(name, fn)
  local ok, res = xpcall(fn, debug.traceback)
  if ok then
    out('PASS ' .. label .. ': ' .. name .. (res and (' (' .. tostring(res) .. ')') or ''))
  else
    failed = failed + 1
    out('FAIL ' .. label .. ': ' .. name .. ': ' .. tostring(res):gsub('\n', ' | '))
  end
  return ok
end

local function eq(a, b, what)
  if not vim.deep_equal(a, b) then
    error(string.format('%s: expected %s, got %s', what or 'value', vim.inspect(b), vim.inspect(a)), 2)
  end
end

local function assert_true(cond, msg)
  if not cond then
    error(msg, 2)
  end
end

-- The config under test, exactly as a user would load it.
vim.opt.runtimepath:append(repo .. '/editors/nvim')
local cmd = { server, 'lsp' }
if capture and capture ~= '' then
  cmd = { 'python3', repo .. '/editors/e2e/tools/lsp_log_proxy.py', capture, server, 'lsp' }
end
-- JIANGGAO_E2E_ENCODINGS=utf-16 (comma list) narrows what Neovim offers, to
-- exercise the server's other position encodings through the same client.
local only = vim.env.JIANGGAO_E2E_ENCODINGS
if only and only ~= '' then
  vim.lsp.config('jianggao', {
    capabilities = { general = { positionEncodings = vim.split(only, ',', { trimempty = true }) } },
  })
  label = 'nvim[' .. only .. ']'
end
-- Formatting indents paragraphs with two ideographic spaces: set the way a user
-- would, in `settings` (sent as initializationOptions and served to
-- workspace/configuration by Neovim).
vim.lsp.config('jianggao', { cmd = cmd, settings = { jianggao = { indent = 'fullwidth' } } })
vim.lsp.enable('jianggao')

-- The draft as it is on disk, before any check edits the buffer.
local original = vim.fn.readfile(draft)

vim.cmd.edit(vim.fn.fnameescape(draft))
local bufnr = vim.api.nvim_get_current_buf()
local client

local ok_attach = check('attach (filetype text → jianggao.lua config)', function()
  eq(vim.bo[bufnr].filetype, 'text', 'filetype')
  local attached = vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'jianggao' })[1]
    return client ~= nil and client.initialized == true
  end, 20)
  assert_true(attached, 'jianggao did not attach within ' .. TIMEOUT .. ' ms')
  return string.format('%s %s', client.server_info and client.server_info.name or '?',
    client.server_info and client.server_info.version or '?')
end)

if not ok_attach then
  out(string.format('%s: %d failed', label, failed))
  os.exit(1)
end

if capture and capture ~= '' then
  -- Recording only: stop here.
  client:stop()
  vim.wait(5000, function() return client:is_stopped() end, 20)
  os.exit(0)
end

local enc = client.offset_encoding
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local point_line = lines[6] -- 0-based line 5: 𠮷祥村😀…“四个意识”…党的十九精神…一是…二是…

-- (e) position encoding
check('position encoding negotiated from what Neovim offered', function()
  local offered = client.capabilities.general and client.capabilities.general.positionEncodings or {}
  local announced = client.server_capabilities.positionEncoding or 'utf-16'
  eq(enc, announced, 'client.offset_encoding vs server positionEncoding')
  assert_true(vim.tbl_contains(offered, announced),
    string.format('server chose %s, Neovim offered %s', announced, table.concat(offered, ',')))
  return enc
end)

-- Diagnostics (publishDiagnostics → vim.diagnostic)
local wrong
check('publishDiagnostics: wrong-form maps back to 党的十九精神', function()
  local got = vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'wrong-form' then
        wrong = d
        return true
      end
    end
    return false
  end, 20)
  assert_true(got, 'no wrong-form diagnostic; got ' .. vim.inspect(vim.diagnostic.get(bufnr)))
  eq(wrong.lnum, 5, 'diagnostic line')
  -- vim.diagnostic columns are byte offsets, converted by Neovim with offset_encoding.
  eq(point_line:sub(wrong.col + 1, wrong.end_col), '党的十九精神', 'text under vim.diagnostic range')
  -- And from the raw LSP range, converted by hand with vim.str_byteindex.
  local r = wrong.user_data.lsp.range
  local s = vim.str_byteindex(point_line, enc, r.start.character, false)
  local e = vim.str_byteindex(point_line, enc, r['end'].character, false)
  eq(point_line:sub(s + 1, e), '党的十九精神', 'text under the LSP range via vim.str_byteindex')
  return string.format('%s chars %d..%d', enc, r.start.character, r['end'].character)
end)

-- (a) document symbols: the real vim.lsp.buf.document_symbol() path …
check('documentSymbol: outline via vim.lsp.buf.document_symbol()', function()
  local items
  vim.lsp.buf.document_symbol({ on_list = function(t) items = t.items end })
  assert_true(vim.wait(TIMEOUT, function() return items ~= nil end, 20), 'no document symbols')
  local texts = {}
  local by = {}
  for _, it in ipairs(items) do
    texts[#texts + 1] = it.text
    for _, key in ipairs({ '一、', '二、', '一是', '二是' }) do
      if it.text:find(key, 1, true) then by[key] = it end
    end
  end
  for _, key in ipairs({ '一、', '二、', '一是', '二是' }) do
    assert_true(by[key], 'no ' .. key .. ' in ' .. table.concat(texts, ' | '))
  end
  -- item columns are 1-based byte columns, computed by Neovim with offset_encoding
  local l = vim.api.nvim_buf_get_lines(bufnr, by['一是'].lnum - 1, by['一是'].lnum, false)[1]
  eq(l:sub(by['一是'].col, by['一是'].col + #'一是' - 1), '一是', 'text at the 一是 item position')
  return #items .. ' items'
end)

-- … and the hierarchy (Neovim offers hierarchicalDocumentSymbolSupport)
check('documentSymbol: hierarchy 标题 ⊃ 一、 ⊃ 一是', function()
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr) }
  local res = client:request_sync('textDocument/documentSymbol', params, TIMEOUT, bufnr)
  assert_true(res and not res.err and res.result, 'request failed: ' .. vim.inspect(res))
  local top = res.result
  assert_true(#top >= 1 and top[1].children, 'not hierarchical: ' .. vim.inspect(top))
  local title = top[1]
  assert_true(title.name:find('讲话', 1, true), 'title: ' .. title.name)
  local names = vim.tbl_map(function(s) return s.name end, title.children)
  assert_true(names[1] and names[1]:find('^一、'), 'first child: ' .. vim.inspect(names))
  assert_true(names[2] and names[2]:find('^二、'), 'second child: ' .. vim.inspect(names))
  local runs = vim.tbl_map(function(s) return s.name end, title.children[1].children or {})
  assert_true(runs[1] and runs[1]:find('^一是'), '一、 children: ' .. vim.inspect(runs))
  return title.name .. ' → ' .. table.concat(names, ', ')
end)

-- (b) hover on 四个意识 via vim.lsp.buf.hover(): a floating window opens
check('hover on 四个意识 (vim.lsp.buf.hover float shows 政治意识)', function()
  local byte = point_line:find('四个意识', 1, true)
  assert_true(byte, 'fixture changed?')
  vim.api.nvim_win_set_cursor(0, { 6, byte - 1 + #'四' }) -- on 个
  local params = vim.lsp.util.make_position_params(0, enc)
  local res = client:request_sync('textDocument/hover', params, TIMEOUT, bufnr)
  assert_true(res and res.result, 'no hover result: ' .. vim.inspect(res))
  eq(res.result.contents.kind, 'markdown', 'hover kind')
  assert_true(res.result.contents.value:find('政治意识', 1, true), 'hover text: ' .. res.result.contents.value)
  -- the user path: K / vim.lsp.buf.hover() opens a float with the text
  vim.lsp.buf.hover()
  local float_text
  local shown = vim.wait(TIMEOUT, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then
        float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
        return float_text:find('政治意识', 1, true) ~= nil
      end
    end
    return false
  end, 20)
  assert_true(shown, 'no hover float with 政治意识; float: ' .. tostring(float_text))
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then vim.api.nvim_win_close(w, true) end
  end
end)

-- (c) completion after the prefix 四个 on a new line (sent with didChange)
check('completion after 四个 offers 四个意识; applying its textEdit gives 四个意识', function()
  local typed = '　　𠮷😀要牢固树立四个'
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { typed })
  local row = vim.api.nvim_buf_line_count(bufnr) -- 1-based
  vim.api.nvim_win_set_cursor(0, { row, #typed })
  local params = vim.lsp.util.make_position_params(0, enc)
  local res = client:request_sync('textDocument/completion', params, TIMEOUT, bufnr)
  assert_true(res and res.result, 'no completion result: ' .. vim.inspect(res))
  local items = res.result.items or res.result
  local item
  for _, it in ipairs(items) do
    if it.label == '四个意识' then item = it end
  end
  assert_true(item, 'no 四个意识 among ' .. table.concat(vim.tbl_map(function(i) return i.label end, items), ', '))
  assert_true(item.textEdit, 'no textEdit: ' .. vim.inspect(item))
  local edit = item.textEdit.range and item.textEdit or { range = item.textEdit.replace, newText = item.textEdit.newText }
  if item.insertTextFormat == 2 then
    edit.newText = vim.lsp.util.parse_snippet and vim.lsp.util.parse_snippet(edit.newText)
      or tostring(vim.lsp._snippet_grammar.parse(edit.newText))
  end
  vim.lsp.util.apply_text_edits({ edit }, bufnr, enc)
  local now = vim.api.nvim_buf_get_lines(bufnr, row - 1, row, false)[1]
  assert_true(vim.startswith(now, '　　𠮷😀要牢固树立四个意识'), 'line after applying the edit: ' .. now)
  assert_true(not now:find('四个四个', 1, true), 'prefix duplicated: ' .. now)
  vim.api.nvim_buf_set_lines(bufnr, row - 1, row, false, {}) -- undo (didChange again)
  return #items .. ' items, insertTextFormat ' .. tostring(item.insertTextFormat)
end)

-- (d) code action on the diagnostic, applied by vim.lsp.buf.code_action
check('codeAction quickfix for wrong-form inserts 党的十九大精神 and clears the diagnostic', function()
  assert_true(wrong, 'no diagnostic from the earlier check')
  vim.api.nvim_win_set_cursor(0, { wrong.lnum + 1, wrong.col })
  local title
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      if a.kind == 'quickfix' and a.title:find('党的十九大精神', 1, true) then
        title = a.title
        return true
      end
      return false
    end,
  })
  local applied = vim.wait(TIMEOUT, function()
    local l = vim.api.nvim_buf_get_lines(bufnr, 5, 6, false)[1]
    return l:find('党的十九大精神', 1, true) ~= nil
  end, 20)
  local l = vim.api.nvim_buf_get_lines(bufnr, 5, 6, false)[1]
  assert_true(applied, 'quickfix not applied; line is ' .. l)
  assert_true(l:find('贯彻党的十九大精神。一是', 1, true), 'edit landed in the wrong place: ' .. l)
  -- the edit went to the server as an incremental didChange; it re-checks
  local cleared = vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'wrong-form' then return false end
    end
    return true
  end, 20)
  assert_true(cleared, 'wrong-form still reported after the fix: ' .. vim.inspect(vim.diagnostic.get(bufnr)))
  return title
end)

check('formatting (vim.lsp.buf.format) gives the exact text; formatting again changes nothing', function()
  -- Expected: the draft with the quick fix applied above, and line 8 normalised
  -- (ASCII indentation → two ideographic spaces, half-width , and . → ， and 。).
  local expected = vim.deepcopy(original)
  expected[6] = (expected[6]:gsub('党的十九精神', '党的十九大精神'))
  eq(expected[8], '  要坚持问题导向,确保各项任务落到实处.', 'fixture line 8')
  expected[8] = '　　要坚持问题导向，确保各项任务落到实处。'
  vim.lsp.buf.format({ bufnr = bufnr, timeout_ms = TIMEOUT })
  eq(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), expected, 'buffer after formatting')
  -- The formatted text went to the server as a didChange; a second request has no edits.
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), options = { tabSize = 4, insertSpaces = true } }
  local again
  assert_true(vim.wait(TIMEOUT, function()
    local res = client:request_sync('textDocument/formatting', params, TIMEOUT, bufnr)
    again = res and res.result
    return again ~= nil and (again == vim.NIL or #again == 0)
  end, 50), 'formatting again still edits: ' .. vim.inspect(again))
  vim.lsp.buf.format({ bufnr = bufnr, timeout_ms = TIMEOUT })
  eq(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), expected, 'buffer after formatting twice')
  return '3 edits on line 8, then none'
end)

check('semantic tokens: 四个意识 is a macro with the defaultLibrary modifier', function()
  local l = vim.api.nvim_buf_get_lines(bufnr, 5, 6, false)[1]
  local byte = l:find('四个意识', 1, true)
  local found
  vim.wait(TIMEOUT, function()
    for _, t in ipairs(vim.lsp.semantic_tokens.get_at_pos(bufnr, 5, byte - 1) or {}) do
      found = t
      return true
    end
    return false
  end, 50)
  assert_true(found, 'no semantic token at 四个意识')
  eq(found.type, 'macro', 'token type')
  eq(found.modifiers, { defaultLibrary = true }, 'token modifiers')
  eq({ found.start_col, found.end_col }, { byte - 1, byte - 1 + #'四个意识' }, 'token columns (bytes)')
  return found.type .. ' + defaultLibrary'
end)

check('shutdown', function()
  client:stop()
  assert_true(vim.wait(TIMEOUT, function() return client:is_stopped() end, 20), 'client did not stop')
end)

out(string.format('%s: %d failed', label, failed))
os.exit(failed == 0 and 0 or 1)
