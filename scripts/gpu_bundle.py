#!/usr/bin/env python3
"""Moves ptinv onto a lent GPU machine that has no JVM and takes at most 64 MiB per call (docs/gpu.md).

Here (JDK, Maven, the CUDA jars in ~/.m2):
  scripts/gpu_bundle.py pack [--part-mib 36] [--golden DIR | --no-golden]
      one xz-compressed tar of the distribution (jlink'd Java runtime, jars, launcher) with LibTorch's CUDA natives,
      JavaCPP's CUDA JNI jars and the golden parity folder (../shared/golden, unpacked as /tmp/ptinv/golden), cut
      into parts .gpu/NN/part (each folder is one call's `carry`, with a copy of .gpu/manifest.json). Left out:
      JavaCPP's cuda-redist (380 MB; the machine's NVIDIA wheels give the CUDA runtime, cuFFT, cuRAND, cuFile and
      CUPTI as well as cuBLAS, cuSPARSE, cuSOLVER, cuDNN and NCCL), the CPU natives, and the shipped model (it
      travels with every call's checkout; `assemble` copies it).
There (python3 only; run from the checkout the device tool sends):
  scripts/gpu_bundle.py sonames     what the CUDA natives need from the host against what the machine has (cheap:
                                    carry only .gpu/manifest.json); exit 1 if any is missing
  scripts/gpu_bundle.py receive     keeps the carried part(s) in /tmp/ptinv-parts (checksums checked)
  scripts/gpu_bundle.py assemble    when every part is there: unpacks to /tmp/ptinv, rebuilds the natives jar,
                                    writes /tmp/ptinv/env.sh (LD_LIBRARY_PATH of the NVIDIA wheels' lib folders)
  scripts/gpu_bundle.py run ARGS    bin/ptinv ARGS with that environment (e.g. `run info`)
"""
import argparse
import glob
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GPU_DIR = ROOT / ".gpu"
PARTS = Path("/tmp/ptinv-parts")
TARGET = Path("/tmp/ptinv")
PYTORCH = ("org.bytedeco", "pytorch", "2.10.0-1.5.13")
CUDA = ("org.bytedeco", "cuda", "13.1-9.19-1.5.13")
NATIVES_DIR = "gpu-natives"  # inside the tar: the CUDA natives jar's entries, re-jarred by `assemble`
# NEEDED entries (readelf -d) of the CUDA natives that neither ptinv's bundle nor the system's C/C++ runtime provides;
# the same list as NativeLibraries.CUDA_BUILD_SONAMES
HOST_SONAMES = ["libcudart.so.13", "libcupti.so.13", "libcufft.so.12", "libcurand.so.10", "libcufile.so.0",
                "libcublas.so.13", "libcublasLt.so.13", "libcusparse.so.12", "libcusolver.so.12", "libcudnn.so.9",
                "libcudnn_cnn.so.9", "libcudnn_adv.so.9", "libcudnn_ops.so.9", "libcudnn_graph.so.9",
                "libnccl.so.2"]


def fail(message):
    print("gpu_bundle: " + message, file=sys.stderr)
    sys.exit(1)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def m2_jar(coords, classifier=None):
    group, artifact, version = coords
    name = f"{artifact}-{version}" + (f"-{classifier}" if classifier else "") + ".jar"
    path = Path.home() / ".m2/repository" / group.replace(".", "/") / artifact / version / name
    if not path.is_file():
        fail(f"{path} is missing: run `mvn -B -Pdist -Dcuda package -DskipTests` once (it downloads the CUDA jars)")
    return path


# ---------------------------------------------------------------------------------------------------------- here

def pack(args):
    dists = sorted(glob.glob(str(ROOT / "ptinv-examples/target/ptinv-*-linux-x86_64.tar.gz")))
    if not dists:
        fail("no distribution archive: run `mvn -B -Pdist package -DskipTests` first")
    dist = Path(dists[-1])
    gpu_jar = m2_jar(PYTORCH, "linux-x86_64-gpu")
    cuda_jars = [m2_jar(CUDA), m2_jar(CUDA, "linux-x86_64")]
    GPU_DIR.mkdir(exist_ok=True)
    for old in GPU_DIR.iterdir():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    needed = readelf_needed(gpu_jar)
    bundle = GPU_DIR / "bundle.tar.xz"
    print(f"packing {dist.name} + {gpu_jar.name} + CUDA JNI jars into {bundle} (xz, a few minutes) ...", flush=True)
    xz = subprocess.Popen(["xz", "-T0", "-6", "-c"], stdin=subprocess.PIPE, stdout=open(bundle, "wb"))
    with tarfile.open(fileobj=xz.stdin, mode="w|") as out:
        with tarfile.open(dist, "r:gz") as src:
            top = None
            for member in src:
                top = top or member.name.split("/")[0]
                # the CPU natives are not needed on the GPU machine (ptinv chooses the CUDA ones there)
                if "/lib/pytorch-" in member.name and member.name.endswith("-linux-x86_64.jar"):
                    continue
                # the shipped model travels with every call's checkout: `assemble` copies it from there
                if member.name.startswith(f"{top}/models/"):
                    continue
                out.addfile(member, src.extractfile(member) if member.isfile() else None)
        for jar in cuda_jars:
            out.add(jar, arcname=f"{top}/lib/{jar.name}")
        if args.golden:
            # the golden folder beside the checkout does not travel with it: `run parity /tmp/ptinv/golden --device cuda`
            out.add(args.golden, arcname="golden")
        with zipfile.ZipFile(gpu_jar) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                t = tarfile.TarInfo(f"{NATIVES_DIR}/{info.filename}")
                t.size = info.file_size
                t.mode = 0o644
                t.mtime = int(time.mktime(info.date_time + (0, 0, -1)))
                out.addfile(t, z.open(info))
    xz.stdin.close()
    if xz.wait() != 0:
        fail("xz failed")
    part_bytes = args.part_mib << 20
    parts = []
    with open(bundle, "rb") as f:
        for n in range(1, 1000):
            block = f.read(part_bytes)
            if not block:
                break
            folder = GPU_DIR / f"{n:02d}"
            folder.mkdir()
            (folder / "part").write_bytes(block)
            parts.append({"folder": folder.name, "bytes": len(block), "sha256": hashlib.sha256(block).hexdigest()})
    manifest = {"dist": top, "gpu_jar": gpu_jar.name, "natives": NATIVES_DIR, "bundle_bytes": bundle.stat().st_size,
                "bundle_sha256": sha256(bundle), "host_sonames": [s for s in HOST_SONAMES if s in needed] or HOST_SONAMES,
                "parts": parts}
    text = json.dumps(manifest, indent=1)
    (GPU_DIR / "manifest.json").write_text(text)
    for p in parts:
        (GPU_DIR / p["folder"] / "manifest.json").write_text(text)
    bundle.unlink()
    print(f"{len(parts)} parts of at most {args.part_mib} MiB ({manifest['bundle_bytes'] / 2**20:.0f} MiB in all) "
          f"in {GPU_DIR}; send them back to back, one call each, carrying .gpu/NN (see docs/gpu.md)")


def readelf_needed(gpu_jar):
    """NEEDED sonames of the CUDA natives (empty where readelf is missing: the fixed list is used)."""
    if shutil.which("readelf") is None:
        return set()
    needed = set()
    with zipfile.ZipFile(gpu_jar) as z:
        for info in z.infolist():
            if ".so" not in info.filename:
                continue
            data = z.read(info)
            tmp = GPU_DIR / "readelf.tmp"
            tmp.write_bytes(data)
            out = subprocess.run(["readelf", "-d", str(tmp)], capture_output=True, text=True).stdout
            tmp.unlink()
            for line in out.splitlines():
                if "(NEEDED)" in line:
                    needed.add(line.split("[")[1].rstrip("]"))
    unknown = sorted(n for n in needed if n.startswith(("libcu", "libnccl", "libcudnn")) and n not in HOST_SONAMES)
    if unknown:
        fail("the CUDA natives need NVIDIA libraries this script does not know: " + ", ".join(unknown))
    return needed


# --------------------------------------------------------------------------------------------------------- there

def manifest_here():
    for candidate in [GPU_DIR / "manifest.json", *sorted(GPU_DIR.glob("*/manifest.json")), PARTS / "manifest.json"]:
        if candidate.is_file():
            return json.loads(candidate.read_text())
    fail("no manifest: carry .gpu/manifest.json or a part folder .gpu/NN")


def library_dirs():
    """Folders of shared libraries that may hold the NVIDIA sonames: the Python environment's nvidia wheels first."""
    dirs = []
    for entry in sys.path:
        nvidia = Path(entry) / "nvidia"
        if nvidia.is_dir():
            for so in sorted(nvidia.rglob("*.so*")):
                if so.parent not in dirs:
                    dirs.append(so.parent)
    for extra in ["/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/local/cuda/lib64",
                  "/usr/lib/x86_64-linux-gnu"]:
        if Path(extra).is_dir() and Path(extra) not in dirs:
            dirs.append(Path(extra))
    # never a folder that holds a LibTorch (the machine's PyTorch): ptinv must load its own
    return [d for d in dirs if not any(d.glob("libtorch*.so*"))]


def find_sonames(names):
    found = {}
    for d in library_dirs():
        for name in names:
            if name not in found and (d / name).exists():
                found[name] = d
    return found


def sonames(_args):
    m = manifest_here()
    needed = m["host_sonames"] + ["libcuda.so.1"]
    found = find_sonames(needed)
    for name in needed:
        print(f"{name:24s} {found.get(name, 'MISSING')}")
    missing = [n for n in needed if n not in found]
    if missing:
        fail("missing on this machine: " + ", ".join(missing))
    print("every library the CUDA natives need is here")


def receive(_args):
    m = manifest_here()
    PARTS.mkdir(parents=True, exist_ok=True)
    (PARTS / "manifest.json").write_text(json.dumps(m))
    expected = {p["folder"]: p for p in m["parts"]}
    for folder in sorted(GPU_DIR.glob("[0-9][0-9]")):
        p = expected.get(folder.name)
        part = folder / "part"
        if p is None or not part.is_file():
            continue
        if sha256(part) != p["sha256"]:
            fail(f"{part}: checksum differs from the manifest (a broken transfer or another pack): send it again")
        shutil.copyfile(part, PARTS / folder.name)
        print(f"received part {folder.name} ({p['bytes'] / 2**20:.1f} MiB)")
    have = sorted(f.name for f in PARTS.glob("[0-9][0-9]"))
    missing = [f for f in expected if f not in have]
    print(f"{len(have)} of {len(expected)} parts in {PARTS}" + ("; missing: " + " ".join(missing) if missing else
                                                                "; all there: run `assemble`"))


class Parts(io.RawIOBase):
    """The parts in order as one stream."""

    def __init__(self, files):
        self.files = list(files)
        self.current = None

    def readable(self):
        return True

    def readinto(self, buffer):
        while True:
            if self.current is None:
                if not self.files:
                    return 0
                self.current = open(self.files.pop(0), "rb")
            n = self.current.readinto(buffer)
            if n:
                return n
            self.current.close()
            self.current = None


def assemble(_args):
    m = manifest_here()
    files = []
    for p in m["parts"]:
        f = PARTS / p["folder"]
        if not f.is_file() or f.stat().st_size != p["bytes"]:
            fail(f"part {p['folder']} is not in {PARTS}: send it (carry .gpu/{p['folder']}) and run `receive`")
        files.append(f)
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    with tarfile.open(fileobj=io.BufferedReader(Parts(files), 1 << 20), mode="r|xz") as tar:
        try:
            tar.extractall(TARGET, filter="tar")
        except TypeError:  # Python < 3.11.4
            tar.extractall(TARGET)
    home = TARGET / m["dist"]
    natives = TARGET / m["natives"]
    jar = home / "lib" / m["gpu_jar"]
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_STORED, strict_timestamps=False) as z:
        for f in sorted(natives.rglob("*")):  # folders too: class loaders find resource folders by their entries
            z.write(f, f.relative_to(natives).as_posix())
    shutil.rmtree(natives)
    shutil.copytree(ROOT / "models", home / "models")
    found = find_sonames(m["host_sonames"] + ["libcuda.so.1"])  # the driver's folder too, where it is not in ld's cache
    missing = [n for n in m["host_sonames"] if n not in found]
    dirs = []
    for d in found.values():
        if str(d) not in dirs:
            dirs.append(str(d))
    (TARGET / "env.json").write_text(json.dumps({"home": str(home), "library_path": dirs}))
    (TARGET / "env.sh").write_text(f"export PTINV_HOME={home}\n"
                                   f"export LD_LIBRARY_PATH={':'.join(dirs)}${{LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}}\n")
    print(f"ptinv unpacked in {home}; LD_LIBRARY_PATH: {len(dirs)} folders of NVIDIA wheels")
    if missing:
        print("warning: not found on this machine: " + ", ".join(missing), file=sys.stderr)


def run(args):
    env_file = TARGET / "env.json"
    if not env_file.is_file():
        fail("nothing assembled in /tmp/ptinv: send the parts and run `receive`, then `assemble`")
    setup = json.loads(env_file.read_text())
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = ":".join(setup["library_path"] + ([env["LD_LIBRARY_PATH"]] if env.get("LD_LIBRARY_PATH")
                                                                else []))
    launcher = Path(setup["home"]) / "bin/ptinv"
    sys.stdout.flush()
    os.execve(str(launcher), [str(launcher), *args.args], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack")
    p.add_argument("--part-mib", type=int, default=36, help="size of each part (the checkout travels too: ~22 MiB)")
    default_golden = ROOT.parent / "shared" / "golden"
    p.add_argument("--golden", type=Path, default=default_golden if default_golden.is_dir() else None,
                   help="golden parity folder to include as /tmp/ptinv/golden (default: ../shared/golden if present)")
    p.add_argument("--no-golden", dest="golden", action="store_const", const=None)
    p.set_defaults(fn=pack)
    for name, fn in [("sonames", sonames), ("receive", receive), ("assemble", assemble)]:
        sub.add_parser(name).set_defaults(fn=fn)
    r = sub.add_parser("run")
    r.add_argument("args", nargs=argparse.REMAINDER)
    r.set_defaults(fn=run)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
