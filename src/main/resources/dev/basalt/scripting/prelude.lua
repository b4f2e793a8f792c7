-- Runs once in every fresh Lua state, with the full standard library, before any user code.
-- It builds the sandbox scripts see (Redis 7.0's globals, protected) and the Lua side of the
-- redis.* API; the Java side arrives as __basalt_* globals, which are captured here and removed.
local java = __basalt_java
local bit_lib = __basalt_bit
local getinfo, sethook = debug.getinfo, debug.sethook
local error, type, tostring, setfenv, setmetatable, rawget, rawset, xpcall, select, pairs, ipairs, unpack =
  error, type, tostring, setfenv, setmetatable, rawget, rawset, xpcall, select, pairs, ipairs, unpack
local loadstring_real, load_real = loadstring, load
local PRELUDE = '=[basalt]'

-- Redis's luaPushError: "-CODE message" keeps its code, anything else becomes an ERR.
local function error_table(text)
  if text:sub(1, 1) == '-' then
    local space = text:find(' ', 1, true)
    if space then
      return {err = text:sub(2)}
    end
    return {err = 'ERR ' .. text:sub(2)}
  end
  return {err = 'ERR ' .. text}
end

local function missing_global(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end

local function readonly()
  error('Attempt to modify a readonly table', 2)
end

-- Redis 7 makes the globals and the library tables read-only. Stock Lua 5.1 cannot, so scripts see
-- read-only views (empty tables reading through to the real one); pairs, next, ipairs and rawget see
-- through a view as they would see the table itself.
local views = setmetatable({}, {__mode = 'k'})

local function readonly_view(t)
  local view = setmetatable({}, {__index = t, __newindex = readonly, __metatable = false})
  views[view] = t
  return view
end

local function real(t)
  return views[t] or t
end

local pairs_real, ipairs_real, next_real, rawget_real = pairs, ipairs, next, rawget
local function pairs_view(t) return pairs_real(real(t)) end
local function ipairs_view(t) return ipairs_real(real(t)) end
local function next_view(t, k) return next_real(real(t), k) end
local function rawget_view(t, k) return rawget_real(real(t), k) end

local redis_api = {
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
  REDIS_VERSION = __basalt_redis_version, REDIS_VERSION_NUM = __basalt_redis_version_num,
}

-- Implemented in Java (C functions to Lua), so that a tail call such as `return redis.call(...)`
-- keeps the script's frame for the error position, as Redis's C functions do.
redis_api.call = java.call
redis_api.pcall = java.pcall
redis_api.error_reply = java.error_reply
redis_api.status_reply = java.status_reply
redis_api.sha1hex = java.sha1hex
redis_api.log = java.log
redis_api.setresp = java.setresp
redis_api.set_repl = java.set_repl
local log = java.log

redis_api.replicate_commands = function() return true end
redis_api.breakpoint = function() return false end
redis_api.debug = function() end
redis_api.acl_check_cmd = java.acl_check_cmd

-- Every chunk a script loads gets the script's protected environment, never the real globals.
local script_env
local function sandboxed_loadstring(source, name)
  local chunk, err = loadstring_real(source, name)
  if chunk then
    setfenv(chunk, script_env)
  end
  return chunk, err
end
local function sandboxed_load(fn, name)
  local chunk, err = load_real(fn, name)
  if chunk then
    setfenv(chunk, script_env)
  end
  return chunk, err
end

-- Redis's pcall: an error table (a failed redis.call, error({err=...})) comes back as its err text.
local function pcall_result(ok, ...)
  if ok then
    return true, ...
  end
  local e = ...
  if type(e) == 'table' then
    local text = e.err
    if type(text) == 'string' or type(text) == 'number' then
      return false, text
    end
  end
  return false, e
end

local function redis_pcall(...)
  if select('#', ...) == 0 then
    return false -- what Redis's pcall answers when given nothing to call
  end
  local pcall = pcall
  return pcall_result(pcall(...))
end

local script_globals = {
  assert = assert, collectgarbage = collectgarbage, coroutine = readonly_view(coroutine), error = error,
  gcinfo = gcinfo, getmetatable = getmetatable, ipairs = ipairs_view, load = sandboxed_load,
  loadstring = sandboxed_loadstring, math = readonly_view(math), next = next_view, pairs = pairs_view,
  pcall = redis_pcall, rawequal = rawequal, rawget = rawget_view, rawset = rawset, select = select,
  setmetatable = setmetatable, string = readonly_view(string), table = readonly_view(table),
  tonumber = tonumber, tostring = tostring, type = type, unpack = unpack, xpcall = xpcall,
  _VERSION = _VERSION, redis = readonly_view(redis_api), bit = readonly_view(bit_lib),
  cjson = readonly_view(__basalt_cjson), cmsgpack = readonly_view(__basalt_cmsgpack),
  struct = readonly_view(__basalt_struct),
}

-- Redis's error handler: tables keep their err, anything else becomes "ERR <message>"; the
-- position is the innermost frame of user code.
local function error_handler(err)
  local source, line
  local level = 2
  while true do
    local info = getinfo(level, 'Sl')
    if not info then
      break
    end
    if info.what ~= 'C' and info.source ~= PRELUDE then
      source, line = info.source, info.currentline
      break
    end
    level = level + 1
  end
  if type(err) == 'table' and type(rawget(err, 'err')) == 'number' then
    err = {err = tostring(rawget(err, 'err'))}
  end
  if type(err) ~= 'table' or type(rawget(err, 'err')) ~= 'string' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  return {err = rawget(err, 'err'), source = source, line = line}
end
script_globals.__redis__err__handler = error_handler
setmetatable(script_globals, {__index = missing_global, __newindex = readonly})
script_env = readonly_view(script_globals)
rawset(script_globals, '_G', script_env)

-- The busy-script check: every 100000 instructions, and on every line once the script is killed.
-- The count hook stays set on the main state; a kill switches it to lines until the next run.
local hook
local line_hook = false
hook = function()
  local info = getinfo(2, 'S')
  if info and info.source == PRELUDE then
    return
  end
  local killed = java.interrupted()
  if killed then
    if not line_hook then
      line_hook = true
      sethook(hook, 'l')
    end
    error({err = killed})
  end
end
sethook(hook, '', 100000)

local function count_hook()
  if line_hook then
    line_hook = false
    sethook(hook, '', 100000)
  end
end

-- Runs fn(...) under the error handler; answers (true, result) or (false, error table).
local function run(fn, ...)
  count_hook()
  local nargs = select('#', ...)
  if nargs == 0 then
    return xpcall(fn, error_handler)
  end
  local args = {...}
  return xpcall(function() return fn(unpack(args, 1, nargs)) end, error_handler)
end

-- EVAL: KEYS and ARGV are globals for the run only.
local function eval(fn, keys, argv)
  rawset(script_globals, 'KEYS', keys)
  rawset(script_globals, 'ARGV', argv)
  local ok, result = run(fn)
  rawset(script_globals, 'KEYS', nil)
  rawset(script_globals, 'ARGV', nil)
  return ok, result
end

-- Compiles a script body as Redis names it (user_script); answers the function or (nil, message).
local function compile(body, chunkname, env)
  local fn, err = loadstring_real(body, chunkname)
  if not fn then
    return nil, err
  end
  setfenv(fn, env or script_env)
  return fn
end

local FUNCTION_FLAGS = {['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true,
  ['no-cluster'] = true, ['allow-cross-slot-keys'] = true}

local function valid_name(name)
  return #name > 0 and not name:find('[^%w_]')
end

-- redis.register_function(name, callback) or redis.register_function{function_name=, callback=,
-- flags=, description=}; errors are Redis 7.0's texts.
local function make_register(registered)
  return function(...)
    local nargs = select('#', ...)
    local name, callback, flags, description
    if nargs == 1 and type((...)) ~= 'table' then
      error(error_table('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).'))
    end
    if nargs == 1 then
      for k, v in pairs((...)) do
        if k == 'function_name' then
          if type(v) == 'number' then
            v = tostring(v)
          end
          if type(v) ~= 'string' then
            error(error_table('function_name argument given to redis.register_function must be a string'))
          end
          name = v
        elseif k == 'callback' then
          if type(v) ~= 'function' then
            error(error_table('callback argument given to redis.register_function must be a function'))
          end
          callback = v
        elseif k == 'description' then
          if type(v) == 'number' then
            v = tostring(v)
          end
          if type(v) ~= 'string' then
            error(error_table('description argument given to redis.register_function must be a string'))
          end
          description = v
        elseif k == 'flags' then
          if type(v) ~= 'table' then
            error(error_table('flags argument to redis.register_function must be a table representing function flags'))
          end
          flags = {}
          for _, flag in ipairs(v) do
            if type(flag) ~= 'string' or not FUNCTION_FLAGS[flag] then
              error(error_table('unknown flag given'))
            end
            flags[#flags + 1] = flag
          end
        else
          error(error_table('unknown argument given to redis.register_function'))
        end
      end
      if not name then
        error(error_table('redis.register_function must get a function name argument'))
      end
      if not callback then
        error(error_table('redis.register_function must get a callback argument'))
      end
    elseif nargs == 2 then
      name, callback = ...
      if type(name) == 'number' then
        name = tostring(name)
      end
      if type(name) ~= 'string' then
        error(error_table('first argument to redis.register_function must be a string'))
      end
      if type(callback) ~= 'function' then
        error(error_table('second argument to redis.register_function must be a function'))
      end
    else
      error(error_table('wrong number of arguments to redis.register_function'))
    end
    if not valid_name(name) then
      -- Redis 7.0 says "Library names" here too
      error(error_table('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'))
    end
    for _, f in ipairs(registered) do
      if f.name == name then
        error(error_table('Function already exists in the library'))
      end
    end
    registered[#registered + 1] = {name = name, callback = callback, flags = flags or {}, description = description}
  end
end

-- FUNCTION LOAD: the library code runs with only redis.register_function/log and the version
-- fields; afterwards the same environment shows the runtime globals, so helpers the library
-- defined see redis.call when its functions run. Answers (true, registrations) or (false, error table).
local function load_library(body)
  local registered = {}
  local load_redis = readonly_view(setmetatable({
    register_function = make_register(registered), log = log,
    LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
    REDIS_VERSION = redis_api.REDIS_VERSION, REDIS_VERSION_NUM = redis_api.REDIS_VERSION_NUM,
  }, {__index = missing_global, __newindex = readonly}))
  local load_globals = setmetatable({redis = load_redis}, {__index = missing_global, __newindex = readonly})
  local env_meta = {__index = load_globals, __newindex = readonly, __metatable = false}
  local env = setmetatable({}, env_meta)
  local fn, err = loadstring_real(body, '@user_function')
  if not fn then
    return false, {compile = tostring(err)}
  end
  setfenv(fn, env)
  local ok, result = run(fn)
  env_meta.__index = script_globals
  if not ok then
    return false, result
  end
  return true, registered
end

local collect = collectgarbage
local function memory() return collect('count') * 1024 end

__basalt_runtime = {run = run, eval = eval, compile = compile, load_library = load_library, memory = memory}

-- What scripts may not reach, even through a leaked reference to the real global table.
for _, name in ipairs({'__basalt_java', '__basalt_bit', '__basalt_ieee754', '__basalt_cjson',
    '__basalt_cmsgpack', '__basalt_struct', '__basalt_redis_version', '__basalt_redis_version_num',
    'os', 'io', 'debug', 'package', 'require', 'module', 'dofile', 'loadfile', 'print', 'newproxy',
    'getfenv', 'setfenv', 'java'}) do
  _G[name] = nil
end
