"""The load of the case-report benchmark: wrk's Lua scripts (reports, with or without a
photo, and plain GETs), one wrk run and its figures, and how a figure is printed."""

from __future__ import annotations

import os
import subprocess
import tempfile

from bench.servers import wrk_figure

DURATION = os.environ.get("BENCH_DURATION", "10s")

LUA = r"""

local counter = 0
local threads = 0
local prefix, suffix, auth

function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end

function init(args)
    math.randomseed(os.time() * 1000 + tid)
    auth = args[1]
    if args[2] ~= nil then
        local f = assert(io.open(args[2], "rb"))
        photo = f:read("*all")
        f:close()
    end
end

local function uuid()
    counter = counter + 1
    return string.format("%08x-%04x-4%03x-8%03x-%012x", os.time() % 4294967295, tid, math.random(0, 4095),
        math.random(0, 4095), counter)
end

local function point()
    return 28.25 + math.random() * 0.0999, 109.70 + math.random() * 0.0999
end

request = function()
    local headers = {}
    if auth ~= nil and auth ~= "" then headers["Authorization"] = "Token " .. auth end
    local lat, lng = point()
    if photo == nil then
        headers["Content-Type"] = "application/json"
        local body = string.format(
            '{"client_uuid": "%s", "subcategory": "0101", "description": "路边有暴露垃圾，请及时清运",' ..
            ' "lat": %.6f, "lng": %.6f, "address": "人民北路"}', uuid(), lat, lng)
        return wrk.format("POST", nil, headers, body)
    end
    local b = "----benchboundary7MA4YWxkTrZu0gW"
    headers["Content-Type"] = "multipart/form-data; boundary=" .. b
    local function field(name, value)
        return "--" .. b .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
    end
    local body = field("client_uuid", uuid()) .. field("subcategory", "0101") ..
        field("description", "路边有暴露垃圾") .. field("lat", string.format("%.6f", lat)) ..
        field("lng", string.format("%.6f", lng)) ..
        "--" .. b .. "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"IMG_0001.jpg\"\r\n" ..
        "Content-Type: image/jpeg\r\n\r\n" .. photo .. "\r\n--" .. b .. "--\r\n"
    return wrk.format("POST", nil, headers, body)
end

done = function(summary, latency, requests)
    io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

GET_LUA = r"""
local auth
function init(args) auth = args[1] end
request = function()
    return wrk.format("GET", nil, {["Authorization"] = "Token " .. auth})
end
done = function(summary, latency, requests)
    io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(url: str, script: str, connections: int, *args: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", "-d", DURATION, "--timeout", "10s", "-s", handle.name, url, *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    requests, duration, p50, p95, p99, bad_status, socket_errors = map(int, wrk_figure(r"RESULT (.*)", out).split())
    return {
        "rate": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": bad_status + socket_errors,
        "requests": requests,
    }


def line(name: str, result: dict, queries: int | None = None) -> str:
    text = (
        f"{name:34} {result['rate']:8.1f} req/s   p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms"
        f"  p99 {result['p99']:6.1f} ms"
    )
    if queries is not None:
        text += f"   {queries} SQL/request"
    if result["errors"]:
        text += f"   {result['errors']} errors of {result['requests']}"
    return text
