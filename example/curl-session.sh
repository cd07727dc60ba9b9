#!/usr/bin/env bash
# A scripted curl session against `perstore serve` on the example application:
# every endpoint and every status code the server answers with. Each step
# prints its command and fails the script when the status is not the one
# expected.
#
#   PERSTORE_ADMIN_TOKEN=s3cret npx perstore serve --memory &
#   example/curl-session.sh http://127.0.0.1:3000 s3cret
#
# Arguments (or environment): the base URL (PERSTORE_URL, default
# http://127.0.0.1:3000) and the admin role's token (PERSTORE_ADMIN_TOKEN).
# Requests without a token get the anonymous role ("reader" in
# perstore.config.json). Run it on an empty server: it creates its records.
set -euo pipefail

BASE="${1:-${PERSTORE_URL:-http://127.0.0.1:3000}}"
TOKEN="${2:-${PERSTORE_ADMIN_TOKEN:-}}"
if [ -z "$TOKEN" ]; then
  echo "usage: $0 [base-url] <admin-token>   (or set PERSTORE_ADMIN_TOKEN)" >&2
  exit 2
fi
BASE="${BASE%/}"
ADMIN="Authorization: Bearer $TOKEN"
JSON="Content-Type: application/json"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Quotes an argument for display when it needs it; the token is shown as $TOKEN.
shown() {
  local arg="${1//$TOKEN/\$TOKEN}"
  if [[ "$arg" =~ ^[A-Za-z0-9_./:@=+-]+$ ]]; then printf '%s' "$arg"; else printf "'%s'" "$arg"; fi
}

# call STATUS curl-arguments...: prints the command, runs it, checks the status.
# The body lands in $work/body and the headers in $work/headers.
call() {
  local want="$1" arg line="curl"
  shift
  for arg in "$@"; do line+=" $(shown "$arg")"; done
  printf '\n$ %s\n' "$line"
  local got
  got="$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@")"
  printf '%s %s\n' "$got" "$(head -c 300 "$work/body")"
  if [ "$got" != "$want" ]; then
    echo "FAILED: expected HTTP $want, got $got" >&2
    exit 1
  fi
}

# header NAME: a response header of the last call (empty when absent).
header() {
  grep -i "^$1:" "$work/headers" | head -n 1 | cut -d' ' -f2- | tr -d '\r' || true
}

# expect_header NAME VALUE: fails unless the last response had that header value.
expect_header() {
  local value
  value="$(header "$1")"
  echo "  $1: $value"
  if [ "$value" != "$2" ]; then
    echo "FAILED: expected $1: $2" >&2
    exit 1
  fi
}

AUTHOR=2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11
DUNE=9780441013593
book() { # book ISBN TITLE [STATUS]
  printf '{"isbn":"%s","title":"%s","authorId":"%s","status":"%s","price":9.99}' \
    "$1" "$2" "$AUTHOR" "${3:-published}"
}

echo "== create: POST /<Model>/ -> 201 + Location"
call 201 -X POST "$BASE/Author/" -H "$ADMIN" -H "$JSON" \
  -d "{\"id\":\"$AUTHOR\",\"name\":\"Frank Herbert\"}"
expect_header Location "/Author/$AUTHOR"
call 201 -X POST "$BASE/Book/" -H "$ADMIN" -H "$JSON" -d "$(book $DUNE Dune)"
expect_header Location "/Book/$DUNE"
call 201 -X POST "$BASE/Book/" -H "$ADMIN" -H "$JSON" -d "$(book 9780441172719 'Dune Messiah')"
call 201 -X POST "$BASE/Book/" -H "$ADMIN" -H "$JSON" -d "$(book 9780441104024 'Children of Dune')"
call 409 -X POST "$BASE/Author/" -H "$ADMIN" -H "$JSON" \
  -d "{\"id\":\"$AUTHOR\",\"name\":\"Frank Herbert\"}"

echo "== read: GET /<Model>/<id> -> 200 + ETag, 404"
call 200 "$BASE/Book/$DUNE" -H "$ADMIN"
ETAG="$(header ETag)"
echo "  ETag: $ETAG"
[ -n "$ETAG" ] || { echo "FAILED: no ETag" >&2; exit 1; }
call 404 "$BASE/Book/9780000000000" -H "$ADMIN"

echo "== query: the raw query string is the RQL query; Range pages it"
call 200 "$BASE/Book/?status=published&sort(+title)" -H "$ADMIN"
expect_header Content-Range "items 0-2/3"
call 206 "$BASE/Book/?status=published&sort(+title)" -H "$ADMIN" -H "Range: items=0-1"
expect_header Content-Range "items 0-1/3"
call 206 "$BASE/Book/?status=published&sort(+title)" -H "$ADMIN" -H "Range: items=2-"
expect_header Content-Range "items 2-2/3"
call 416 "$BASE/Book/?status=published" -H "$ADMIN" -H "Range: items=10-19"
expect_header Content-Range "items */3"

echo "== replace: PUT with If-Match -> 200; a stale If-Match -> 412"
call 200 -X PUT "$BASE/Book/$DUNE" -H "$ADMIN" -H "$JSON" -H "If-Match: $ETAG" \
  -d '{"title":"Dune","authorId":"'$AUTHOR'","status":"published","price":10.99,"year":1965}'
call 412 -X PUT "$BASE/Book/$DUNE" -H "$ADMIN" -H "$JSON" -H "If-Match: $ETAG" \
  -d '{"title":"Dune (lost update)","authorId":"'$AUTHOR'","status":"published"}'

echo "== create-only: PUT with If-None-Match: * -> 201, then 412"
call 201 -X PUT "$BASE/Book/9780441013600" -H "$ADMIN" -H "$JSON" -H "If-None-Match: *" \
  -d "$(book 9780441013600 'God Emperor of Dune' draft)"
call 412 -X PUT "$BASE/Book/9780441013600" -H "$ADMIN" -H "$JSON" -H "If-None-Match: *" \
  -d "$(book 9780441013600 'God Emperor of Dune' draft)"

echo "== merge: PATCH with application/merge-patch+json (null removes a property)"
call 200 -X PATCH "$BASE/Book/$DUNE" -H "$ADMIN" -H "Content-Type: application/merge-patch+json" \
  -d '{"genres":["fiction"],"year":null}'

echo "== follow a link: GET /<Model>/<id>/<rel>"
call 200 "$BASE/Book/$DUNE/author" -H "$ADMIN"
call 200 "$BASE/Author/$AUTHOR/books" -H "$ADMIN"

echo "== change set: POST /<Model>/_changes, applied all or nothing"
call 200 -X POST "$BASE/Book/_changes" -H "$ADMIN" -H "$JSON" -d '{"mode":"condensed","changes":[
  {"type":"add","id":"9780441294671","record":'"$(book 9780441294671 'Heretics of Dune')"'},
  {"type":"change","id":"9780441013600","changes":{"status":"published"},
   "record":'"$(book 9780441013600 'God Emperor of Dune')"'}]}'

echo "== delete: DELETE /<Model>/<id> -> 204, then 404"
call 204 -X DELETE "$BASE/Book/9780441294671" -H "$ADMIN"
call 404 -X DELETE "$BASE/Book/9780441294671" -H "$ADMIN"

echo "== bad input: 400 (JSON, RQL, validation), 413, 415"
call 400 -X POST "$BASE/Book/" -H "$ADMIN" -H "$JSON" -d '{"isbn": nope'
call 400 "$BASE/Book/?sort(+title" -H "$ADMIN"
call 400 -X POST "$BASE/Book/" -H "$ADMIN" -H "$JSON" \
  -d '{"isbn":"12","title":"Dune","authorId":"'$AUTHOR'","status":"lost"}'
# One byte over the default limit of 1 MiB (server.maxBodyBytes).
head -c 1048577 /dev/zero | tr '\0' ' ' >"$work/large.json"
call 413 -X POST "$BASE/Book/" -H "$ADMIN" -H "$JSON" --data-binary "@$work/large.json"
call 415 -X POST "$BASE/Book/" -H "$ADMIN" -H "Content-Type: text/plain" -d "$(book 9780441294672 x)"

echo "== access: 401 for an unknown token; anonymous is the reader role (catalog facet)"
call 401 "$BASE/Book/$DUNE" -H "Authorization: Bearer not-the-token"
call 206 "$BASE/Book/?title=Dune&limit(10)" -H "Range: items=0-9"
expect_header Content-Range "items 0-0/1"
if grep -q '"price"' "$work/body"; then
  echo "FAILED: the catalog facet shows price" >&2
  exit 1
fi
call 403 -X POST "$BASE/Book/" -H "$JSON" -d "$(book 9780441294672 'Chapterhouse: Dune')"
call 403 -X DELETE "$BASE/Book/$DUNE"
call 403 "$BASE/Book/?price=10.99&limit(10)"
call 403 "$BASE/Author/$AUTHOR"

echo "== OpenAPI 3.1, the part the caller's role may use"
call 200 "$BASE/openapi.json"
grep -q '"openapi":"3.1' "$work/body" || { echo "FAILED: not an OpenAPI 3.1 document" >&2; exit 1; }

echo "== change events: Accept: text/event-stream on a query (server-sent events)"
events="$work/events"
printf '\n$ curl -N --max-time 10 %s -H %s -H %s\n' "$(shown "$BASE/Book/?status=published")" \
  "'Accept: text/event-stream'" "$(shown "$ADMIN")"
# In the background, ended once the change arrives (at most 10 s: --max-time bounds it).
curl -s -N --max-time 10 "$BASE/Book/?status=published" -H "Accept: text/event-stream" \
  -H "$ADMIN" >"$events" &
stream=$!
# wait_for PATTERN: until the stream has a line starting with PATTERN (at most ~10 s).
wait_for() {
  for _ in $(seq 100); do
    if grep -qs "^$1" "$events"; then return 0; fi
    sleep 0.1
  done
}
wait_for 'event: ready'
call 200 -X PATCH "$BASE/Book/$DUNE" -H "$ADMIN" -H "Content-Type: application/merge-patch+json" \
  -d '{"price":11.99}'
wait_for 'event: change'
kill "$stream" 2>/dev/null || true
wait "$stream" || true
cat "$events"
grep -q '^event: ready' "$events" || { echo "FAILED: no ready event" >&2; exit 1; }
grep -q '^event: change' "$events" || { echo "FAILED: no change event" >&2; exit 1; }
LAST="$(grep '^id: ' "$events" | tail -n 1 | cut -d' ' -f2)"

echo "== resume: Last-Event-ID replays what a reconnecting client missed"
call 200 -X PATCH "$BASE/Book/$DUNE" -H "$ADMIN" -H "Content-Type: application/merge-patch+json" \
  -d '{"price":12.99}'
printf '\n$ curl -N --max-time 10 %s -H %s -H %s -H %s\n' "$(shown "$BASE/Book/?status=published")" \
  "'Accept: text/event-stream'" "'Last-Event-ID: $LAST'" "$(shown "$ADMIN")"
curl -s -N --max-time 10 "$BASE/Book/?status=published" -H "Accept: text/event-stream" \
  -H "Last-Event-ID: $LAST" -H "$ADMIN" >"$events" &
stream=$!
wait_for 'data: .*"price":12.99'
kill "$stream" 2>/dev/null || true
wait "$stream" || true
cat "$events"
grep -q '"price":12.99' "$events" || { echo "FAILED: the missed change was not replayed" >&2; exit 1; }
echo
echo "curl session: every step answered as expected"
