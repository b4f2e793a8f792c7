-- Roberto Ierusalimschy's struct library as Redis bundles it: pack, unpack and size over a format of
-- <, >, = (endianness), !n (alignment), x, b/B, h/H, l/L, T, i/In/I/In, f, d, s, cn; error texts as struct.c.
local ieee = __basalt_ieee754
local byte, char, sub, rep, find = string.byte, string.char, string.sub, string.rep, string.find
local floor, concat, error, type, tonumber, select = math.floor, table.concat, error, type, tonumber, select
local MAXINTSIZE = 32
local MAXALIGN = 8

local struct = {}

local function is_digit(c)
  return c and c >= '0' and c <= '9'
end

-- Reads an optional decimal size at fmt[i]; answers (size or default, next index).
local function get_num(fmt, i, default)
  local j = i
  while is_digit(sub(fmt, j, j)) do
    j = j + 1
  end
  if j == i then
    return default, i
  end
  return tonumber(sub(fmt, i, j - 1)), j
end

local function opt_size(option, fmt, i)
  if option == 'B' or option == 'b' then return 1, i
  elseif option == 'H' or option == 'h' then return 2, i
  elseif option == 'L' or option == 'l' then return 8, i
  elseif option == 'T' then return 8, i
  elseif option == 'f' then return 4, i
  elseif option == 'd' then return 8, i
  elseif option == 'x' then return 1, i
  elseif option == 'c' then return get_num(fmt, i, 1)
  elseif option == 'i' or option == 'I' then
    local size
    size, i = get_num(fmt, i, 4)
    if size > MAXINTSIZE then
      error('integral size ' .. size .. ' is larger than limit of ' .. MAXINTSIZE, 0)
    end
    return size, i
  end
  return 0, i
end

local function gettoalign(len, align, option, size)
  if size == 0 or option == 'c' then
    return 0
  end
  if size > align then
    size = align
  end
  return (size - (len % size)) % size
end

-- Walks the format: calls visit(option, size) for each data option; handles endianness/alignment.
local function controloptions(state, option, fmt, i, fname)
  if option == ' ' then
    return i
  elseif option == '>' then
    state.little = false
  elseif option == '<' then
    state.little = true
  elseif option == '=' then
    state.little = true
  elseif option == '!' then
    local a
    a, i = get_num(fmt, i, MAXALIGN)
    if a ~= 1 and a ~= 2 and a ~= 4 and a ~= 8 and a ~= 16 then
      error("bad argument #1 to '" .. fname .. "' (alignment " .. a .. ' is not a power of 2)', 0)
    end
    state.align = a
  else
    error("bad argument #1 to '" .. fname .. "' (invalid format option '" .. option .. "')", 0)
  end
  return i
end

local function int_bytes(value, size, little)
  -- two's complement from the low byte up; Lua's floored % keeps negative values exact
  local out = {}
  for k = 1, size do
    local b = value % 256
    out[k] = b
    value = (value - b) / 256
  end
  if not little then
    local reversed = {}
    for k = 1, size do
      reversed[k] = out[size - k + 1]
    end
    out = reversed
  end
  for k = 1, size do
    out[k] = char(out[k])
  end
  return concat(out)
end

local function ordered(bytes, little)
  if little then
    return bytes:reverse()
  end
  return bytes
end

local function check_number(n, argn)
  local v = tonumber(n)
  if v == nil then
    error('bad argument #' .. argn .. " to 'pack' (number expected, got " .. type(n) .. ')', 0)
  end
  return v
end

function struct.pack(fmt, ...)
  if type(fmt) ~= 'string' then
    error("bad argument #1 to 'pack' (string expected, got " .. type(fmt) .. ')', 0)
  end
  local state = {little = true, align = 1}
  local out = {}
  local total = 0
  local arg = 1
  local nargs = select('#', ...)
  local args = {...}
  local i = 1
  while i <= #fmt do
    local option = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = opt_size(option, fmt, i)
    local toalign = gettoalign(total, state.align, option, size)
    total = total + toalign
    if toalign > 0 then
      out[#out + 1] = rep('\0', toalign)
    end
    if option == 'b' or option == 'B' or option == 'h' or option == 'H' or option == 'l' or option == 'L'
        or option == 'T' or option == 'i' or option == 'I' then
      local v = check_number(args[arg], arg + 1)
      arg = arg + 1
      if v < 0 then
        v = -floor(-v)
      else
        v = floor(v)
      end
      out[#out + 1] = int_bytes(v, size, state.little)
    elseif option == 'x' then
      out[#out + 1] = '\0'
    elseif option == 'f' then
      local v = check_number(args[arg], arg + 1)
      arg = arg + 1
      out[#out + 1] = ordered(ieee.float(v), state.little)
    elseif option == 'd' then
      local v = check_number(args[arg], arg + 1)
      arg = arg + 1
      out[#out + 1] = ordered(ieee.double(v), state.little)
    elseif option == 'c' or option == 's' then
      local s = args[arg]
      if type(s) ~= 'string' and type(s) ~= 'number' then
        error('bad argument #' .. (arg + 1) .. " to 'pack' (string expected, got " .. type(s) .. ')', 0)
      end
      s = tostring(s)
      arg = arg + 1
      local l = #s
      if size == 0 then
        size = l
      end
      if l < size then
        error('bad argument #' .. arg .. " to 'pack' (string too short)", 0)
      end
      out[#out + 1] = sub(s, 1, size)
      if option == 's' then
        out[#out + 1] = '\0'
        size = size + 1
      end
    else
      i = controloptions(state, option, fmt, i, 'pack')
    end
    total = total + size
  end
  return concat(out)
end

-- Reads from the most significant byte, taking its sign first, so negative values stay exact.
local function int_value(s, pos, size, little, signed)
  local first, last, step = pos, pos + size - 1, 1
  if little then
    first, last, step = last, first, -1
  end
  local value = byte(s, first)
  if signed and value >= 128 then
    value = value - 256
  end
  for k = first + step, last, step do
    value = value * 256 + byte(s, k)
  end
  return value
end

function struct.unpack(fmt, data, init)
  if type(fmt) ~= 'string' then
    error("bad argument #1 to 'unpack' (string expected, got " .. type(fmt) .. ')', 0)
  end
  if type(data) ~= 'string' then
    error("bad argument #2 to 'unpack' (string expected, got " .. type(data) .. ')', 0)
  end
  local ld = #data
  local pos = (init or 1) - 1
  if pos > ld or pos < 0 then
    error("bad argument #3 to 'unpack' (offset must be 1 or greater)", 0)
  end
  local state = {little = true, align = 1}
  local results = {}
  local i = 1
  while i <= #fmt do
    local option = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = opt_size(option, fmt, i)
    pos = pos + gettoalign(pos, state.align, option, size)
    if size > ld - pos and option ~= 'c' then
      error("bad argument #2 to 'unpack' (data string too short)", 0)
    end
    if option == 'b' or option == 'B' or option == 'h' or option == 'H' or option == 'l' or option == 'L'
        or option == 'T' or option == 'i' or option == 'I' then
      local signed = option == 'b' or option == 'h' or option == 'l' or option == 'i'
      results[#results + 1] = int_value(data, pos + 1, size, state.little, signed)
    elseif option == 'x' then
      -- padding
    elseif option == 'f' then
      results[#results + 1] = ieee.read_float(ordered(sub(data, pos + 1, pos + 4), state.little))
    elseif option == 'd' then
      results[#results + 1] = ieee.read_double(ordered(sub(data, pos + 1, pos + 8), state.little))
    elseif option == 'c' then
      if size == 0 then
        if #results == 0 or type(results[#results]) ~= 'number' then
          error('format \'c0\' needs a previous size', 0)
        end
        size = results[#results]
        results[#results] = nil
        if size > ld - pos then
          error("bad argument #2 to 'unpack' (data string too short)", 0)
        end
      elseif size > ld - pos then
        error("bad argument #2 to 'unpack' (data string too short)", 0)
      end
      results[#results + 1] = sub(data, pos + 1, pos + size)
    elseif option == 's' then
      local e = find(data, '\0', pos + 1, true)
      if not e then
        error('unfinished string in data', 0)
      end
      size = e - pos
      results[#results + 1] = sub(data, pos + 1, e - 1)
    else
      i = controloptions(state, option, fmt, i, 'unpack')
    end
    pos = pos + size
  end
  results[#results + 1] = pos + 1
  return unpack(results, 1, #results)
end

function struct.size(fmt)
  if type(fmt) ~= 'string' then
    error("bad argument #1 to 'size' (string expected, got " .. type(fmt) .. ')', 0)
  end
  local state = {little = true, align = 1}
  local total = 0
  local i = 1
  while i <= #fmt do
    local option = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = opt_size(option, fmt, i)
    total = total + gettoalign(total, state.align, option, size)
    if option == 's' then
      error('options \'c0\' - \'s\' have undefined sizes', 0)
    elseif option == 'c' and size == 0 then
      error('options \'c0\' - \'s\' have undefined sizes', 0)
    elseif not find('bBhHlLTiIfdxc', option, 1, true) then
      i = controloptions(state, option, fmt, i, 'size')
    end
    total = total + size
  end
  return total
end

return struct
