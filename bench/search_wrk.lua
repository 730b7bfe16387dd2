-- search_wrk.lua - wrk script for make bench-search: GET /api/v1/search?q=
-- cycling through the query set, URL-encoded. Each wrk thread starts at a
-- different place in the set. A second argument replaces the path before
-- the query (s-http: "/soeg?q=" for the citizens' results page).
--
-- Usage: wrk ... -s bench/search_wrk.lua URL -- bench/queries.txt [PREFIX]
--
-- Paced (HELHED_WRK_RATE=R HELHED_WRK_THREADS=T in the environment, T being
-- wrk's -t): each wrk thread sends on a fixed schedule of R / T requests a
-- second instead of as fast as its connections come back. A request is due
-- every T / R seconds and whichever of the thread's connections is free
-- sends it then; late ones go at once, so a stall is caught up as an
-- open-loop load would. wrk's latency is then the latency at that rate,
-- not at saturation. wrk waits whole milliseconds, so a request leaves up
-- to half a millisecond early or late; the schedule's clock
-- (CLOCK_MONOTONIC through LuaJIT's ffi) keeps the rate exact. Unpaced,
-- the script defines no delay(), so wrk sends as before.

local threads = 0

function setup(thread)
	thread:set("thread_no", threads)
	threads = threads + 1
end

local function urlencode(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		return string.format("%%%02X", string.byte(c))
	end))
end

local paths = {}
local next_path = 0

function init(args)
	local file = args[1] or "bench/queries.txt"
	local prefix = args[2] or "/api/v1/search?q="
	for line in io.lines(file) do
		if line ~= "" and line:sub(1, 1) ~= "#" then
			paths[#paths + 1] = prefix .. urlencode(line)
		end
	end
	if #paths == 0 then
		error("no queries in " .. file)
	end
	next_path = ((thread_no or 0) * 97) % #paths
end

function request()
	next_path = next_path % #paths + 1
	return wrk.format("GET", paths[next_path])
end

local rate = tonumber(os.getenv("HELHED_WRK_RATE") or "")
if rate then
	local n = tonumber(os.getenv("HELHED_WRK_THREADS") or "")
	if rate <= 0 or not n or n < 1 then
		error("HELHED_WRK_RATE and HELHED_WRK_THREADS: positive numbers")
	end
	local ffi = require("ffi")
	ffi.cdef[[
	typedef struct { long tv_sec; long tv_nsec; } hh_wrk_timespec;
	int clock_gettime(int clk, hh_wrk_timespec *tp);
	]]
	local ts = ffi.new("hh_wrk_timespec")
	local function now_ms()
		ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
		return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
	end
	local interval = 1000 * n / rate
	local next_at = nil

	-- wrk asks before each request how many milliseconds to wait
	function delay()
		local t = now_ms()
		next_at = next_at or t
		local due = next_at
		next_at = next_at + interval
		if due <= t then
			return 0
		end
		return math.floor(due - t + 0.5)
	end
end
