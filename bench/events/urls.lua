-- wrk: each request draws one of many distinct URLs (a file, one per line), as real traffic does.
local urls = {}
for line in io.lines(os.getenv("URLS")) do urls[#urls + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", urls[math.random(#urls)])
end
