"""The Redis ranking store, chosen when ``REDIS_URL`` is set.

Keys (``prefix`` defaults to ``sokuho:rankings``):

* ``{prefix}:h:{hour}`` — a sorted set per hour, article id → views, expiring 31 days
  after its hour;
* ``{prefix}:w:{hours}`` and ``{prefix}:asof:{hours}`` — a window's running totals and
  the last hour they include; a window is (re)built as the union (ZUNIONSTORE) of its
  hourly sets and then kept current hour by hour;
* ``{prefix}:s:{key}`` — the de-duplication key of a counted view, holding its time,
  expiring after ``dedup_seconds``.

A batch of views and the hourly advance each run as one Lua script, so they are atomic
and cost one round trip. The scripts build key names from the prefix, so the store
needs one Redis server (not a cluster).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

from sokuho.rankings.backends.base import (
    KEEP_HOURS,
    REBUILD_AFTER_HOURS,
    WINDOWS,
    RankingStore,
    View,
    complete_top,
)

#: Views per script call: one round trip, a millisecond or two of Redis time.
CHUNK = 1000

# ARGV: prefix, now (Unix seconds), dedup seconds, keep seconds, window hours joined by
# ",", then key, page id, time for each view. Returns the number of views counted.
RECORD = """
local p = ARGV[1]
local now = tonumber(ARGV[2])
local dedup = tonumber(ARGV[3])
local keep = tonumber(ARGV[4])
local oldest = math.floor(now / 3600) - keep / 3600
local windows, asof = {}, {}
for hours in string.gmatch(ARGV[5], '%d+') do
  windows[#windows + 1] = tonumber(hours)
  asof[#windows] = tonumber(redis.call('GET', p .. ':asof:' .. hours))
end
-- Counts are summed here and written once per (hour, article) and (window, article).
local buckets, totals = {}, {}
for j = 1, #windows do totals[j] = {} end
local counted = 0
for i = 6, #ARGV, 3 do
  local page = ARGV[i + 1]
  local at = tonumber(ARGV[i + 2])
  local hour = math.floor(at / 3600)
  -- Older than the buckets are kept: it would be pruned at once (see base.too_old).
  if hour >= oldest then
    local seen = p .. ':s:' .. ARGV[i]
    -- Simulated past views (demo, benchmark) keep their key a minute of real time.
    local expires = math.max(at + dedup, now + 60)
    local fresh = redis.call('SET', seen, at, 'NX', 'EXAT', expires)
    if not fresh then
      local last = tonumber(redis.call('GET', seen))
      if (not last) or at - last >= dedup then
        redis.call('SET', seen, at, 'EXAT', expires)
        fresh = true
      end
    end
    if fresh then
      local bucket = buckets[hour]
      if not bucket then bucket = {}; buckets[hour] = bucket end
      bucket[page] = (bucket[page] or 0) + 1
      for j = 1, #windows do
        if asof[j] and hour > asof[j] - windows[j] and hour <= asof[j] then
          totals[j][page] = (totals[j][page] or 0) + 1
        end
      end
      counted = counted + 1
    end
  end
end
for hour, bucket in pairs(buckets) do
  local key = p .. ':h:' .. hour
  for page, count in pairs(bucket) do redis.call('ZINCRBY', key, count, page) end
  redis.call('EXPIREAT', key, (hour + 1) * 3600 + keep)
end
for j = 1, #windows do
  local key = p .. ':w:' .. windows[j]
  for page, count in pairs(totals[j]) do redis.call('ZINCRBY', key, count, page) end
end
return counted
"""

# ARGV: prefix, now hour, rebuild-after hours, window hours... Brings each window to now.
ADVANCE = """
local p = ARGV[1]
local now = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local function add(window, hour, sign)
  local members = redis.call('ZRANGE', p .. ':h:' .. hour, 0, -1, 'WITHSCORES')
  for i = 1, #members, 2 do
    redis.call('ZINCRBY', window, sign * tonumber(members[i + 1]), members[i])
  end
end
for i = 4, #ARGV do
  local hours = tonumber(ARGV[i])
  local window = p .. ':w:' .. hours
  local state = p .. ':asof:' .. hours
  local asof = tonumber(redis.call('GET', state))
  if (not asof) or now - asof > gap then
    local keys = {}
    for hour = now - hours + 1, now do keys[#keys + 1] = p .. ':h:' .. hour end
    redis.call('ZUNIONSTORE', window, #keys, unpack(keys))
    redis.call('SET', state, now)
  elseif now > asof then
    for hour = asof + 1, now do add(window, hour, 1) end
    for hour = asof - hours + 1, now - hours do add(window, hour, -1) end
    redis.call('ZREMRANGEBYSCORE', window, '-inf', 0)
    redis.call('SET', state, now)
  end
end
return 1
"""


# ARGV: prefix, limit, window hours... For each window, its top ``limit`` members with
# scores, then every member tied with the last of them (so that ties can be ordered).
TOPS = """
local p = ARGV[1]
local limit = tonumber(ARGV[2])
local result = {}
for i = 3, #ARGV do
  local key = p .. ':w:' .. ARGV[i]
  local rows = redis.call('ZREVRANGE', key, 0, limit - 1, 'WITHSCORES')
  local ties = {}
  if #rows == 2 * limit then
    ties = redis.call('ZRANGEBYSCORE', key, rows[#rows], rows[#rows], 'WITHSCORES')
  end
  result[#result + 1] = rows
  result[#result + 1] = ties
end
return result
"""


class RedisRankingStore(RankingStore):
    def __init__(self, url: str = "", prefix: str = "sokuho:rankings", client=None) -> None:
        import redis

        if client is None:
            if not url:
                raise ImproperlyConfigured(
                    "RedisRankingStore needs SOKUHO_RANKINGS['OPTIONS']['url'], "
                    "e.g. redis://127.0.0.1:6379/0 (settings.py sets it from REDIS_URL)."
                )
            try:
                client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            except ValueError as error:
                raise ImproperlyConfigured(f"Bad Redis URL for the rankings: {error}") from error
        self.redis = client
        self.prefix = prefix
        self._record = client.register_script(RECORD)
        self._advance = client.register_script(ADVANCE)
        self._tops = client.register_script(TOPS)

    def record(self, views: Sequence[View], dedup_seconds: int) -> int:
        counted = 0
        head = [
            self.prefix,
            int(time.time()),
            dedup_seconds,
            KEEP_HOURS * 3600,
            ",".join(map(str, WINDOWS)),
        ]
        for start in range(0, len(views), CHUNK):
            args = list(head)
            for view in views[start : start + CHUNK]:
                args.extend((view.key, view.page_id, view.at))
            counted += int(self._record(args=args))
        return counted

    def advance(self, now_hour: int) -> None:
        self._advance(args=[self.prefix, now_hour, REBUILD_AFTER_HOURS, *WINDOWS])

    def top(self, hours: int, limit: int) -> list[tuple[int, int]]:
        return self.tops([hours], limit)[hours]

    def tops(self, windows: Sequence[int], limit: int) -> dict[int, list[tuple[int, int]]]:
        """All the windows in one round trip (a script), ties at the cut included."""
        replies = self._tops(args=[self.prefix, limit, *windows])
        result = {}
        for index, hours in enumerate(windows):
            rows, ties = replies[2 * index], replies[2 * index + 1]
            flat = rows + ties
            candidates = {
                int(flat[i]): int(float(flat[i + 1]))
                for i in range(0, len(flat), 2)
                if float(flat[i + 1]) > 0
            }
            result[hours] = complete_top(candidates.items(), limit)
        return result

    def hour_views(self, hour: int) -> dict[int, int]:
        rows = self.redis.zrange(f"{self.prefix}:h:{hour}", 0, -1, withscores=True)
        return {int(member): int(score) for member, score in rows}

    def clear(self) -> None:
        batch = []
        for key in self.redis.scan_iter(match=f"{self.prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                self.redis.unlink(*batch)
                batch.clear()
        if batch:
            self.redis.unlink(*batch)
