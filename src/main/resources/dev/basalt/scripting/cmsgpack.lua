-- lua-cmsgpack as Redis bundles it: pack(...), unpack(s), unpack_one(s, offset), unpack_limit(s, limit,
-- offset); Lua arrays become MessagePack arrays, other tables maps, nesting deeper than 16 becomes nil.
local ieee = __basalt_ieee754
local byte, char, sub, concat = string.byte, string.char, string.sub, table.concat
local floor, huge = math.floor, math.huge
local type, pairs, error, select, unpack = type, pairs, error, select, unpack
local MAX_NESTING = 16

local cmsgpack = {_NAME = 'cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0',
  _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo', _DESCRIPTION = 'MessagePack C implementation for Lua'}

-- Big-endian two's complement; Lua's floored % keeps negative values exact.
local function be(value, size)
  local out = {}
  for k = size, 1, -1 do
    local b = value % 256
    out[k] = char(b)
    value = (value - b) / 256
  end
  return concat(out)
end

local encode

local function is_array(t)
  local count, max = 0, 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k <= 0 or floor(k) ~= k then
      return false
    end
    count = count + 1
    if k > max then
      max = k
    end
  end
  return max == count, max
end

local function encode_number(n, out)
  if floor(n) == n and n >= -2 ^ 63 and n < 2 ^ 64 and n == n then
    if n >= 0 then
      if n <= 127 then out[#out + 1] = char(n)
      elseif n <= 0xff then out[#out + 1] = '\204' .. char(n)
      elseif n <= 0xffff then out[#out + 1] = '\205' .. be(n, 2)
      elseif n <= 0xffffffff then out[#out + 1] = '\206' .. be(n, 4)
      else out[#out + 1] = '\207' .. be(n, 8) end
    else
      if n >= -32 then out[#out + 1] = char(256 + n)
      elseif n >= -128 then out[#out + 1] = '\208' .. char(256 + n)
      elseif n >= -32768 then out[#out + 1] = '\209' .. be(n, 2)
      elseif n >= -2147483648 then out[#out + 1] = '\210' .. be(n, 4)
      else out[#out + 1] = '\211' .. be(n, 8) end
    end
  else
    local f = ieee.float(n)
    if ieee.read_float(f) == n then
      out[#out + 1] = '\202' .. f
    else
      out[#out + 1] = '\203' .. ieee.double(n)
    end
  end
end

encode = function(v, out, level)
  local t = type(v)
  if t == 'string' then
    local l = #v
    if l < 32 then out[#out + 1] = char(0xa0 + l)
    elseif l <= 0xff then out[#out + 1] = '\217' .. char(l)
    elseif l <= 0xffff then out[#out + 1] = '\218' .. be(l, 2)
    else out[#out + 1] = '\219' .. be(l, 4) end
    out[#out + 1] = v
  elseif t == 'number' then
    encode_number(v, out)
  elseif t == 'boolean' then
    out[#out + 1] = v and '\195' or '\194'
  elseif t == 'table' and level < MAX_NESTING then
    local array, n = is_array(v)
    if array then
      if n <= 15 then out[#out + 1] = char(0x90 + n)
      elseif n <= 0xffff then out[#out + 1] = '\220' .. be(n, 2)
      else out[#out + 1] = '\221' .. be(n, 4) end
      for i = 1, n do
        encode(v[i], out, level + 1)
      end
    else
      local count = 0
      for _ in pairs(v) do
        count = count + 1
      end
      if count <= 15 then out[#out + 1] = char(0x80 + count)
      elseif count <= 0xffff then out[#out + 1] = '\222' .. be(count, 2)
      else out[#out + 1] = '\223' .. be(count, 4) end
      for k, val in pairs(v) do
        encode(k, out, level + 1)
        encode(val, out, level + 1)
      end
    end
  else
    out[#out + 1] = '\192'
  end
end

function cmsgpack.pack(...)
  local n = select('#', ...)
  if n == 0 then
    error("bad argument #0 to 'pack' (MessagePack pack needs input.)", 0)
  end
  local out = {}
  for i = 1, n do
    encode((select(i, ...)), out, 0)
  end
  return concat(out)
end

-- Decoding: answers (value, next position); raises the module's two errors on bad input.
local function need(s, pos, count)
  if pos + count - 1 > #s then
    error('Missing bytes in input.', 0)
  end
end

local function uint(s, pos, size)
  need(s, pos, size)
  local v = 0
  for k = 0, size - 1 do
    v = v * 256 + byte(s, pos + k)
  end
  return v
end

-- Signed big-endian: the first byte carries the sign, so negative values stay exact.
local function int(s, pos, size)
  need(s, pos, size)
  local v = byte(s, pos)
  if v >= 128 then
    v = v - 256
  end
  for k = 1, size - 1 do
    v = v * 256 + byte(s, pos + k)
  end
  return v
end

local decode

local function decode_array(s, pos, n)
  local t = {}
  for i = 1, n do
    t[i], pos = decode(s, pos)
  end
  return t, pos
end

local function decode_map(s, pos, n)
  local t = {}
  for _ = 1, n do
    local k, v
    k, pos = decode(s, pos)
    v, pos = decode(s, pos)
    if k ~= nil then
      t[k] = v
    end
  end
  return t, pos
end

local function str(s, pos, l)
  need(s, pos, l)
  return sub(s, pos, pos + l - 1), pos + l
end

decode = function(s, pos)
  need(s, pos, 1)
  local c = byte(s, pos)
  pos = pos + 1
  if c <= 0x7f then return c, pos
  elseif c <= 0x8f then return decode_map(s, pos, c - 0x80)
  elseif c <= 0x9f then return decode_array(s, pos, c - 0x90)
  elseif c <= 0xbf then return str(s, pos, c - 0xa0)
  elseif c >= 0xe0 then return c - 256, pos
  elseif c == 0xc0 then return nil, pos
  elseif c == 0xc2 then return false, pos
  elseif c == 0xc3 then return true, pos
  elseif c == 0xc4 or c == 0xd9 then return str(s, pos + 1, uint(s, pos, 1))
  elseif c == 0xc5 or c == 0xda then return str(s, pos + 2, uint(s, pos, 2))
  elseif c == 0xc6 or c == 0xdb then return str(s, pos + 4, uint(s, pos, 4))
  elseif c == 0xca then need(s, pos, 4) return ieee.read_float(sub(s, pos, pos + 3)), pos + 4
  elseif c == 0xcb then need(s, pos, 8) return ieee.read_double(sub(s, pos, pos + 7)), pos + 8
  elseif c == 0xcc then return uint(s, pos, 1), pos + 1
  elseif c == 0xcd then return uint(s, pos, 2), pos + 2
  elseif c == 0xce then return uint(s, pos, 4), pos + 4
  elseif c == 0xcf then return uint(s, pos, 8), pos + 8
  elseif c == 0xd0 then return int(s, pos, 1), pos + 1
  elseif c == 0xd1 then return int(s, pos, 2), pos + 2
  elseif c == 0xd2 then return int(s, pos, 4), pos + 4
  elseif c == 0xd3 then return int(s, pos, 8), pos + 8
  elseif c == 0xdc then return decode_array(s, pos + 2, uint(s, pos, 2))
  elseif c == 0xdd then return decode_array(s, pos + 4, uint(s, pos, 4))
  elseif c == 0xde then return decode_map(s, pos + 2, uint(s, pos, 2))
  elseif c == 0xdf then return decode_map(s, pos + 4, uint(s, pos, 4))
  end
  error('Bad data format in input.', 0)
end

-- Decodes up to `limit` objects (0: all) from `offset`; answers (next offset or -1, values...).
local function unpack_objects(s, limit, offset)
  if type(s) ~= 'string' then
    error("bad argument #1 to 'unpack' (string expected, got " .. type(s) .. ')', 0)
  end
  local pos = offset + 1
  local values, n = {}, 0
  while pos <= #s and (limit == 0 or n < limit) do
    n = n + 1
    values[n], pos = decode(s, pos)
  end
  local next_offset = pos <= #s and pos - 1 or -1
  return next_offset, values, n
end

function cmsgpack.unpack(s)
  local _, values, n = unpack_objects(s, 0, 0)
  return unpack(values, 1, n)
end

function cmsgpack.unpack_one(s, offset)
  local next_offset, values, n = unpack_objects(s, 1, offset or 0)
  return next_offset, unpack(values, 1, n)
end

function cmsgpack.unpack_limit(s, limit, offset)
  local next_offset, values, n = unpack_objects(s, limit or 0, offset or 0)
  return next_offset, unpack(values, 1, n)
end

return cmsgpack
