"""The channel layer: channels-redis with connections that suit it, and one send to many groups.

Why a subclass of channels-redis's layer, not just its settings (README, "The live channel"):

* **Read timeout.** redis-py 8 gives every connection a 5 s read timeout (``socket_timeout``;
  it was none before). channels-redis receives with ``BZPOPMIN``, which Redis holds open for
  ``brpop_timeout`` (5 s) when nothing arrives: redis-py gave up on the read at the very moment
  Redis was due to answer, raised ``TimeoutError: Timeout reading from …``, the consumer
  waiting on it died, and daphne closed every idle socket with 1011 every few seconds. Our
  read timeout is that block plus a margin, so it only fires when Redis is really gone.
* **Pool size.** redis-py 8 also caps a pool at 100 connections (it was 2**31) and raises
  ``MaxConnectionsError`` past it; channels-redis takes one connection per command in flight,
  so 2,018 ``group_send`` at once (a directive to every grid worker) lost the pushes past the
  100th. ``group_send_many`` reads the members of all the groups with one pipeline and writes
  the message with one script per shard; the pool is a blocking one, so a burst of commands
  (hundreds of sockets joining after a restart) waits for a connection instead of failing.
* **Retries.** channels-redis's pools retry nothing: after a Redis restart the first command
  on each idle pooled connection failed. A lost connection is retried twice.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Sequence
from typing import Any

from channels_redis.core import RedisChannelLayer as BaseRedisChannelLayer
from redis.asyncio import BlockingConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

# A read may take the whole BZPOPMIN block plus this before it counts as lost.
READ_MARGIN_SECONDS = 10
CONNECT_TIMEOUT_SECONDS = 5
# Connections per ASGI process (or sender loop) and Redis host; a command waits this long for one.
POOL_SIZE = 50
POOL_WAIT_SECONDS = 10
# Channel keys written by one script call (Redis runs a script alone: keep each call short).
KEYS_PER_SCRIPT = 1000

# The script of channels-redis's group_send: add the message to each channel below capacity.
SEND_LUA = """
local over_capacity = 0
local current_time = ARGV[#ARGV - 1]
local expiry = ARGV[#ARGV]
for i=1,#KEYS do
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], current_time, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""


class RedisChannelLayer(BaseRedisChannelLayer):
    """channels-redis's layer with the connection settings above and ``group_send_many``."""

    def create_pool(self, index: int) -> Any:
        host = dict(self.hosts[index])
        if "address" not in host:  # Sentinel or host/port entries: channels-redis's own pool
            return super().create_pool(index)
        address = host.pop("address")
        host.setdefault("socket_timeout", self.brpop_timeout + READ_MARGIN_SECONDS)
        host.setdefault("socket_connect_timeout", CONNECT_TIMEOUT_SECONDS)
        host.setdefault("max_connections", POOL_SIZE)
        host.setdefault("timeout", POOL_WAIT_SECONDS)
        host.setdefault("retry", Retry(ExponentialWithJitterBackoff(cap=0.5, base=0.05), 2, (RedisConnectionError,)))
        return BlockingConnectionPool.from_url(address, **host)

    async def group_send_many(self, groups: Sequence[str], message: dict[str, Any]) -> None:
        """``group_send`` to every group at once; a channel in several of them gets the message once."""
        by_shard: dict[int, list[str]] = collections.defaultdict(list)
        for group in dict.fromkeys(groups):
            assert self.require_valid_group_name(group), "Group name not valid"
            by_shard[self.consistent_hash(group)].append(group)
        oldest = int(time.time()) - self.group_expiry
        channels: dict[str, None] = {}
        for index, shard_groups in by_shard.items():
            pipe = self.connection(index).pipeline(transaction=False)
            for group in shard_groups:
                pipe.zremrangebyscore(self._group_key(group), min=0, max=oldest)
                pipe.zrange(self._group_key(group), 0, -1)
            replies = await pipe.execute()
            channels.update((name.decode(), None) for members in replies[1::2] for name in members)
        if channels:
            await self._send_to_channels(list(channels), message)

    async def _send_to_channels(self, channel_names: list[str], message: dict[str, Any]) -> None:
        by_connection, messages, capacities = self._map_channel_keys_to_connection(channel_names, message)
        for index, keys in by_connection.items():
            connection = self.connection(index)
            stale = int(time.time()) - int(self.expiry)
            pipe = connection.pipeline(transaction=False)
            for key in keys:
                pipe.zremrangebyscore(key, min=0, max=stale)
            await pipe.execute()
            for start in range(0, len(keys), KEYS_PER_SCRIPT):
                chunk = keys[start : start + KEYS_PER_SCRIPT]
                args = [messages[key] for key in chunk] + [capacities[key] for key in chunk]
                await connection.eval(SEND_LUA, len(chunk), *chunk, *args, time.time(), self.expiry)

    async def server_ids(self) -> tuple[str, ...]:
        """The run id of each Redis host: a new one means that Redis restarted (and, unless it
        persists its data, forgot every group)."""
        ids = []
        for index in range(self.ring_size):
            info = await self.connection(index).info("server")
            ids.append(str(info["run_id"]))
        return tuple(ids)
