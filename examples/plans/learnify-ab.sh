#!/bin/sh
# Learnify's `ab` lines (seed 002, §3.1) as perfctl one-liners: the same -n, -c, -p/-T (here -b @file
# -T) and -H, with percentiles, result.json and an exit code besides. Add --demo to try them on the
# demo service (the URL's path is kept, its host replaced by the demo's).
set -e
perfctl=${PERFCTL:-perfctl}
$perfctl run http://localhost:8080/api/auth/register -n 1000 -c 10 -b @register.json -T application/json
$perfctl run http://localhost:8080/api/auth/login -n 1000 -c 10 -b @login.json -T application/json
$perfctl run http://localhost:8080/api/users/me -n 10000 -c 50 -H "Authorization: Bearer ${TOKEN:?set TOKEN}"
$perfctl run http://localhost:8080/api/courses -n 5000 -c 25 -H "Authorization: Bearer $TOKEN"
$perfctl run http://localhost:8080/api/feed -n 1000 -c 10 -H "Authorization: Bearer $TOKEN"
