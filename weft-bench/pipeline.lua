-- wrk script of http.sh: each write carries DEPTH requests (the script's argument, default 16),
-- pipelined on one connection; wrk counts every response. DEPTH 1 is plain keep-alive.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local reqs = {}
  for i = 1, depth do
    reqs[i] = wrk.format(nil, "/")
  end
  batch = table.concat(reqs)
end

request = function()
  return batch
end
