# Writes COUNT JSON documents of exactly BYTES bytes each, DIR/0 to DIR/(COUNT-1), for the
# harnesses' backends: an array of records like an API's list response, with repetitive keys and
# varied values (ids, names, e-mail addresses, scores, dates, tags), so that they compress as real
# JSON does rather than as zeros; padded to BYTES with the whitespace of a pretty-printer.
# Deterministic on every machine and awk: the values come from the Park-Miller generator
# (x * 16807 mod 2^31 - 1, exact in a double), seeded with SEED + the document's number, not
# from awk's rand().
#
#   awk -v seed=1 -v bytes=65536 -v count=1 -v dir=DIR -f bench/lib/json-documents.awk
function next_int(n) { state = (state * 16807) % 2147483647; return state % n }
function pick(list, n) { return list[next_int(n) + 1] }
function record(id,    tags, i, ntags) {
  ntags = next_int(3) + 1; tags = ""
  for (i = 0; i < ntags; i++) tags = tags (i ? "," : "") "\"" pick(tag, ntag) "\""
  return sprintf("{\"id\":%d,\"name\":\"%s %s\",\"email\":\"%s.%s%d@example.org\",\"active\":%s,\"score\":%d.%02d,\"region\":\"%s\",\"status\":\"%s\",\"created\":\"2026-%02d-%02dT%02d:%02d:%02dZ\",\"tags\":[%s],\"items\":%d}",
    id, pick(first, nfirst), pick(last, nlast), tolower(pick(first, nfirst)), tolower(pick(last, nlast)), next_int(100),
    next_int(4) ? "true" : "false", next_int(1000), next_int(100), pick(region, nregion), pick(status, nstatus),
    next_int(12) + 1, next_int(28) + 1, next_int(24), next_int(60), next_int(60), tags, next_int(50))
}
BEGIN {
  nfirst = split("Ada Alan Barbara Claude Dennis Edsger Frances Grace John Ken Leslie Margaret Niklaus Radia Tony Whitfield", first)
  nlast = split("Lovelace Turing Liskov Shannon Ritchie Dijkstra Allen Hopper Backus Thompson Lamport Hamilton Wirth Perlman Hoare Diffie", last)
  nregion = split("eu-west-1 eu-west-3 eu-central-1 us-east-1 us-west-2 ap-south-1 ap-northeast-1 sa-east-1", region)
  nstatus = split("active pending suspended closed trial", status)
  ntag = split("alpha beta gamma delta beta-tester early-adopter enterprise free pro vip legacy", tag)
  for (d = 0; d < count; d++) {
    state = seed + d; body = "["; id = 100000 + d * 1000
    while (1) {
      rec = record(id++)
      if (length(body) + length(rec) + 2 > bytes) break
      body = body (length(body) > 1 ? ",\n" : "\n") rec
    }
    pad = bytes - length(body) - 1
    file = dir "/" d
    printf "%s", body > file
    for (i = 0; i < pad; i++) printf "%s", (i == 0 ? "\n" : " ") > file
    printf "]" > file
    close(file)
  }
}
