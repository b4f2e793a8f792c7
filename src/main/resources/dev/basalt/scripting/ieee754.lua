-- IEEE 754 single and double precision bytes for struct and cmsgpack, big-endian (most significant first).
local floor, frexp, ldexp, huge = math.floor, math.frexp, math.ldexp, math.huge
local char, byte, unpack = string.char, string.byte, unpack

local ieee = {}

local function bytes_of(hi_value, count)
  local out = {}
  for i = count, 1, -1 do
    out[i] = hi_value % 256
    hi_value = floor(hi_value / 256)
  end
  return out
end

-- Encodes n with `ebits` exponent bits and `mbits` mantissa bits into (1 + ebits + mbits) / 8 bytes.
local function encode(n, ebits, mbits)
  local bias = 2 ^ (ebits - 1) - 1
  local sign = 0
  if n < 0 or (n == 0 and 1 / n < 0) then
    sign = 1
    n = -n
  end
  local exponent, mantissa
  if n ~= n then
    exponent, mantissa = 2 ^ ebits - 1, 2 ^ (mbits - 1)
  elseif n == huge then
    exponent, mantissa = 2 ^ ebits - 1, 0
  elseif n == 0 then
    exponent, mantissa = 0, 0
  else
    local m, e = frexp(n)
    e = e + bias - 1
    if e >= 2 ^ ebits - 1 then
      exponent, mantissa = 2 ^ ebits - 1, 0
    elseif e <= 0 then
      mantissa = floor(ldexp(m, mbits + e) + 0.5)
      exponent = 0
    else
      mantissa = floor((m * 2 - 1) * 2 ^ mbits + 0.5)
      exponent = e
      if mantissa >= 2 ^ mbits then
        mantissa = 0
        exponent = exponent + 1
      end
    end
  end
  local total = (1 + ebits + mbits) / 8
  -- the sign and exponent go in the top bits; split to stay within exact doubles for 64-bit values
  local high_bits = sign * 2 ^ ebits + exponent
  local low = mantissa
  local out = {}
  for i = total, 1, -1 do
    local b = low % 256
    low = floor(low / 256)
    out[i] = b
  end
  -- add high_bits shifted left by mbits into the byte array
  local shift = mbits
  local carry_value = high_bits
  local byte_index = total - floor(shift / 8)
  local bit_offset = shift % 8
  local v = carry_value * 2 ^ bit_offset
  while v > 0 and byte_index >= 1 do
    out[byte_index] = out[byte_index] + v % 256
    v = floor(v / 256)
    byte_index = byte_index - 1
  end
  return char(unpack(out))
end

local function decode(s, ebits, mbits)
  local total = (1 + ebits + mbits) / 8
  local b = {byte(s, 1, total)}
  local sign = b[1] >= 128 and -1 or 1
  -- exponent: the ebits after the sign bit
  local bits_before_mantissa = 1 + ebits
  local value = 0
  local exponent = 0
  local mantissa = 0
  local bit_pos = 0
  for i = 1, total do
    local v = b[i]
    for k = 7, 0, -1 do
      local bit = floor(v / 2 ^ k) % 2
      if bit_pos >= 1 and bit_pos < bits_before_mantissa then
        exponent = exponent * 2 + bit
      elseif bit_pos >= bits_before_mantissa then
        mantissa = mantissa * 2 + bit
      end
      bit_pos = bit_pos + 1
    end
  end
  local bias = 2 ^ (ebits - 1) - 1
  if exponent == 2 ^ ebits - 1 then
    if mantissa == 0 then
      return sign * huge
    end
    return 0 / 0
  elseif exponent == 0 then
    value = ldexp(mantissa, 1 - bias - mbits)
  else
    value = ldexp(mantissa + 2 ^ mbits, exponent - bias - mbits)
  end
  return sign * value
end

function ieee.float(n) return encode(n, 8, 23) end
function ieee.double(n) return encode(n, 11, 52) end
function ieee.read_float(s) return decode(s, 8, 23) end
function ieee.read_double(s) return decode(s, 11, 52) end

return ieee
