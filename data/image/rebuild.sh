#!/usr/bin/env bash
# Rebuilds data/image/ from Debian's dataset-fashion-mnist package (Fashion-MNIST, MIT licence): the four gzipped IDX
# files as the package ships them in /usr/share/datasets/fashion-mnist/. Needs root for apt-get.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  cp /usr/share/datasets/fashion-mnist/$f "$here/$f"
done
sha256sum "$here"/*.gz
