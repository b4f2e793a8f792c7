-- Redis's cjson module (lua-cjson 2.1 as Redis bundles it), written in Lua: encode, decode, null and
-- the sparse-array / depth settings, with lua-cjson's error texts.
local byte, char, find, format, sub, concat = string.byte, string.char, string.find, string.format, string.sub, table.concat
local floor, huge = math.floor, math.huge
local type, pairs, tostring, tonumber, error, select = type, pairs, tostring, tonumber, error, select

local cjson = {}
local null = newproxy(false)
cjson.null = null
cjson._NAME = 'cjson'
cjson._VERSION = '2.1.0'

local settings = {sparse_convert = false, sparse_ratio = 2, sparse_safe = 10, encode_depth = 1000,
  decode_depth = 1000, precision = 14}

local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
for i = 0, 31 do
  local c = char(i)
  if not escapes[c] then
    escapes[c] = format('\\u%04x', i)
  end
end
escapes['\127'] = '\\u007f'

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\/]', escapes) .. '"'
end

local function encode_number(n)
  if n ~= n or n == huge or n == -huge then
    error('Cannot serialise number: must not be NaN or Inf', 0)
  end
  return format('%.' .. settings.precision .. 'g', n)
end

-- lua-cjson's array test: answers the array length, -1 for "not an array", or raises for a sparse one.
local function array_length(t)
  local max, count = 0, 0
  for k in pairs(t) do
    if type(k) == 'number' and k > 0 and floor(k) == k then
      if k > max then
        max = k
      end
      count = count + 1
    else
      return -1
    end
  end
  if settings.sparse_ratio > 0 and max > settings.sparse_safe and max > count * settings.sparse_ratio then
    if not settings.sparse_convert then
      error('Cannot serialise table: excessively sparse array', 0)
    end
    return -1
  end
  return max
end

local encode_value

local function encode_table(t, depth, out)
  depth = depth + 1
  if depth > settings.encode_depth then
    error('Cannot serialise, excessive nesting (' .. depth .. ')', 0)
  end
  local n = array_length(t)
  if n > 0 then
    out[#out + 1] = '['
    for i = 1, n do
      if i > 1 then
        out[#out + 1] = ','
      end
      encode_value(t[i], depth, out)
    end
    out[#out + 1] = ']'
  elseif n == 0 then
    out[#out + 1] = '{}'
  else
    out[#out + 1] = '{'
    local first = true
    for k, v in pairs(t) do
      if not first then
        out[#out + 1] = ','
      end
      first = false
      local kt = type(k)
      if kt == 'string' then
        out[#out + 1] = encode_string(k)
      elseif kt == 'number' then
        out[#out + 1] = '"' .. encode_number(k) .. '"'
      else
        error('Cannot serialise table: table key must be a number or string', 0)
      end
      out[#out + 1] = ':'
      encode_value(v, depth, out)
    end
    out[#out + 1] = '}'
  end
end

encode_value = function(v, depth, out)
  local t = type(v)
  if t == 'string' then
    out[#out + 1] = encode_string(v)
  elseif t == 'number' then
    out[#out + 1] = encode_number(v)
  elseif t == 'boolean' then
    out[#out + 1] = v and 'true' or 'false'
  elseif t == 'nil' or v == null then
    out[#out + 1] = 'null'
  elseif t == 'table' then
    encode_table(v, depth, out)
  else
    error('Cannot serialise ' .. t .. ': type not supported', 0)
  end
end

function cjson.encode(...)
  if select('#', ...) ~= 1 then
    error('bad argument #1 to \'encode\' (expected 1 argument)', 0)
  end
  local out = {}
  encode_value((...), 0, out)
  return concat(out)
end

-- Decoding: a recursive descent over the string, positions 1-based as lua-cjson reports them.
local decode_value

-- lua-cjson names the token it found: T_* for a well-formed one, else what was wrong with it.
local tokens = {['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
  [','] = 'T_COMMA', [':'] = 'T_COLON', ['"'] = 'T_STRING'}

local function decode_error(s, pos, what)
  local found
  if pos > #s then
    found = 'T_END'
  else
    local c = sub(s, pos, pos)
    found = tokens[c]
    if not found then
      if find(c, '[-%d]') then
        found = 'T_NUMBER'
      elseif sub(s, pos, pos + 3) == 'true' or sub(s, pos, pos + 4) == 'false' then
        found = 'T_BOOLEAN'
      elseif sub(s, pos, pos + 3) == 'null' then
        found = 'T_NULL'
      else
        found = 'invalid token'
      end
    end
  end
  error('Expected ' .. what .. ' but found ' .. found .. ' at character ' .. pos, 0)
end

local function skip(s, pos)
  return (find(s, '[^ \t\n\r]', pos)) or #s + 1
end

local function utf8(code)
  if code < 0x80 then
    return char(code)
  elseif code < 0x800 then
    return char(0xC0 + floor(code / 64), 0x80 + code % 64)
  elseif code < 0x10000 then
    return char(0xE0 + floor(code / 4096), 0x80 + floor(code / 64) % 64, 0x80 + code % 64)
  end
  return char(0xF0 + floor(code / 262144), 0x80 + floor(code / 4096) % 64, 0x80 + floor(code / 64) % 64,
    0x80 + code % 64)
end

local simple_escapes = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}

local function decode_string(s, pos)
  local parts = {}
  local i = pos + 1
  while true do
    local j = find(s, '["\\]', i)
    if not j then
      error('Expected value but found invalid token at character ' .. pos, 0)
    end
    parts[#parts + 1] = sub(s, i, j - 1)
    if sub(s, j, j) == '"' then
      return concat(parts), j + 1
    end
    local e = sub(s, j + 1, j + 1)
    if simple_escapes[e] then
      parts[#parts + 1] = simple_escapes[e]
      i = j + 2
    elseif e == 'u' then
      local code = tonumber(sub(s, j + 2, j + 5), 16)
      if not code then
        error('Expected value but found invalid unicode escape code at character ' .. pos, 0)
      end
      i = j + 6
      if code >= 0xD800 and code <= 0xDBFF and sub(s, i, i + 1) == '\\u' then
        local low = tonumber(sub(s, i + 2, i + 5), 16)
        if low and low >= 0xDC00 and low <= 0xDFFF then
          code = 0x10000 + (code - 0xD800) * 1024 + (low - 0xDC00)
          i = i + 6
        end
      end
      parts[#parts + 1] = utf8(code)
    else
      error('Expected value but found invalid escape code at character ' .. pos, 0)
    end
  end
end

decode_value = function(s, pos, depth)
  pos = skip(s, pos)
  local c = sub(s, pos, pos)
  if c == '{' then
    depth = depth + 1
    if depth > settings.decode_depth then
      error('Found too many nested data structures (' .. depth .. ') at character ' .. pos, 0)
    end
    local t = {}
    pos = skip(s, pos + 1)
    if sub(s, pos, pos) == '}' then
      return t, pos + 1
    end
    while true do
      pos = skip(s, pos)
      if sub(s, pos, pos) ~= '"' then
        decode_error(s, pos, 'object key string')
      end
      local k
      k, pos = decode_string(s, pos)
      pos = skip(s, pos)
      if sub(s, pos, pos) ~= ':' then
        decode_error(s, pos, 'colon')
      end
      t[k], pos = decode_value(s, pos + 1, depth)
      pos = skip(s, pos)
      local d = sub(s, pos, pos)
      if d == '}' then
        return t, pos + 1
      elseif d ~= ',' then
        decode_error(s, pos, 'comma or object end')
      end
      pos = pos + 1
    end
  elseif c == '[' then
    depth = depth + 1
    if depth > settings.decode_depth then
      error('Found too many nested data structures (' .. depth .. ') at character ' .. pos, 0)
    end
    local t, n = {}, 0
    pos = skip(s, pos + 1)
    if sub(s, pos, pos) == ']' then
      return t, pos + 1
    end
    while true do
      n = n + 1
      t[n], pos = decode_value(s, pos, depth)
      pos = skip(s, pos)
      local d = sub(s, pos, pos)
      if d == ']' then
        return t, pos + 1
      elseif d ~= ',' then
        decode_error(s, pos, 'comma or array end')
      end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(s, pos)
  elseif sub(s, pos, pos + 3) == 'true' then
    return true, pos + 4
  elseif sub(s, pos, pos + 4) == 'false' then
    return false, pos + 5
  elseif sub(s, pos, pos + 3) == 'null' then
    return null, pos + 4
  else
    local num = s:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
    local n = num and tonumber(num)
    if not n then
      decode_error(s, pos, 'value')
    end
    return n, pos + #num
  end
end

function cjson.decode(...)
  if select('#', ...) ~= 1 then
    error('bad argument #1 to \'decode\' (expected 1 argument)', 0)
  end
  local s = ...
  if type(s) ~= 'string' then
    error('bad argument #1 to \'decode\' (string expected, got ' .. type(s) .. ')', 0)
  end
  local value, pos = decode_value(s, 1, 0)
  pos = skip(s, pos)
  if pos <= #s then
    decode_error(s, pos, 'the end')
  end
  return value
end

function cjson.encode_sparse_array(convert, ratio, safe)
  if convert ~= nil then settings.sparse_convert = convert end
  if ratio ~= nil then settings.sparse_ratio = ratio end
  if safe ~= nil then settings.sparse_safe = safe end
  return settings.sparse_convert, settings.sparse_ratio, settings.sparse_safe
end

function cjson.encode_max_depth(n)
  if n ~= nil then settings.encode_depth = n end
  return settings.encode_depth
end

function cjson.decode_max_depth(n)
  if n ~= nil then settings.decode_depth = n end
  return settings.decode_depth
end

function cjson.encode_number_precision(n)
  if n ~= nil then
    if type(n) ~= 'number' or n < 1 or n > 14 then
      error("bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)", 0)
    end
    settings.precision = n
  end
  return settings.precision
end

function cjson.encode_keep_buffer(keep)
  return keep == nil and true or keep
end

return cjson
