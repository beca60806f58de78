# Sourced by the benchmark scripts: a fresh heaters data dir for the run ($data, exported as
# HEATERS_DATA_DIR with a config home of its own), removed on exit with its embedded cluster.
# Needs $heaters (the binary that stops the cluster). Run as root, the cluster lives in
# /var/lib/heaters/clusters/<hash> and $data/postgres is a link to it (see ClusterLayout):
# what the link points to is removed as well, or every run leaves its cluster behind (40 MB
# for a small one, ~700 MB after the similarity bench at full size).
data="$(mktemp -d /tmp/heaters-bench-XXXXXX)"
export HEATERS_DATA_DIR="$data" XDG_CONFIG_HOME="$data/config"
remove_fresh_data_dir() {
    "$heaters" db stop >/dev/null 2>&1 || true
    if [ -L "$data/postgres" ]; then
        local cluster
        cluster="$(readlink "$data/postgres")"
        case "$cluster" in /var/lib/heaters/clusters/?*) rm -rf "$cluster" ;; esac
    fi
    rm -rf "$data"
}
trap remove_fresh_data_dir EXIT
