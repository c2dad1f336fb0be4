#!/usr/bin/env python3
"""Fetches the openCypher TCK's feature files into target/tck/features, once.

The openCypher project publishes its Technology Compatibility Kit as Gherkin feature
files (tck/features in github.com/opencypher/openCypher, Apache License 2.0, each file
with its licence header). The machines this project builds on reach PyPI but not GitHub
or Maven Central, so this script takes the copy that graphglot's source distribution
on PyPI carries (graphglot 0.14.3, tests/graphglot/tck/features: openCypher commit
ecbde675, 220 files), checks the archive's SHA-256, and extracts the features. Nothing
of it is committed to this repository.

Usage: python3 tests/tck/fetch.py [TARGET_DIR]   (default: target/tck)
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "graphglot==0.14.3"
ARCHIVE = "graphglot-0.14.3.tar.gz"
SHA256 = "7e68b11afa5e77de23a05ef011dfa682e56816b9fcf3f3a195835b58d84f1b44"
INSIDE = "graphglot-0.14.3/tests/graphglot/tck/features/"
COMMIT = "ecbde675"


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target", "tck")
    features = os.path.join(target, "features")
    marker = os.path.join(target, "features.source")
    if os.path.exists(marker) and open(marker).read().strip() == f"{PACKAGE} {SHA256}":
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--no-binary", ":all:", PACKAGE, "-d", tmp],
            check=True,
        )
        archive = os.path.join(tmp, ARCHIVE)
        digest = hashlib.sha256(open(archive, "rb").read()).hexdigest()
        if digest != SHA256:
            sys.exit(f"{ARCHIVE}: SHA-256 {digest}, expected {SHA256}")
        shutil.rmtree(features, ignore_errors=True)
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                if not member.isfile() or not member.name.startswith(INSIDE):
                    continue
                if not member.name.endswith(".feature"):
                    continue
                path = os.path.join(features, member.name[len(INSIDE):])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with tar.extractfile(member) as src, open(path, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    with open(marker, "w") as f:
        f.write(f"{PACKAGE} {SHA256}\n")
    count = sum(len(files) for _, _, files in os.walk(features))
    print(f"openCypher TCK (commit {COMMIT}): {count} feature files in {features}")


if __name__ == "__main__":
    main()
