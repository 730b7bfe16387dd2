-- search_wrk.lua - wrk script for make bench-search: GET /api/v1/search?q=
-- cycling through the query set, URL-encoded. Each wrk thread starts at a
-- different place in the set. A second argument replaces the path before
-- the query (s-http: "/soeg?q=" for the citizens' results page).
--
-- Usage: wrk ... -s bench/search_wrk.lua URL -- bench/queries.txt [PREFIX]

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
