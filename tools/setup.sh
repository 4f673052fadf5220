#!/usr/bin/env bash
# Installs the Debian 12 packages geosim needs to build, test and plot. Idempotent: it installs
# only what is missing, so running it again is cheap.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libboost-program-options-dev libhdf5-dev hdf5-tools libyaml-cpp-dev
  libyaml-dev libisal-dev doctest-dev librandom123-dev libbenchmark-dev clang-format libopenmpi-dev openmpi-bin
  python3-h5py python3-numpy python3-matplotlib python3-pandas python3-xarray
  python3-h5netcdf python3-netcdf4 netcdf-bin python3-yaml python3-pytest chromium
  python3-sklearn
  python3-venv python3-pip python3-setuptools dpkg-dev
  clang-16 libclang-rt-16-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present" >&2
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
