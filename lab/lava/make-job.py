#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""make-job.py [--target T] [--variant V] [--base-url URL] [--build DIR] [--qemu]

Print a LAVA job for an imx6q-sabrelite that boots the lab's kernel
(zImage, imx6q-sabrelite.dtb) and initramfs over TFTP from U-Boot and runs
lab/lava/xrun-stress.yaml, inlined. The artifacts are expected at
URL/T/V/{zImage,imx6q-sabrelite.dtb,initramfs.cpio.gz}: copy them there
from $BUILD/out/T/V/ and $BUILD/rootfs/. When they exist under --build,
their sha256 sums go into the job.

With --qemu (and --build) the job is for LAVA's qemu device type instead:
the same kernel, DTB and initramfs from file:// URLs under --build,
deployed to tmpfs, LAVA's overlay appended to the initramfs (cpio.newc),
booted by the lab QEMU that the device dictionary names
(lab/lava/lava-run.sh writes it and runs the job with lava-run).
"""
import argparse
import hashlib
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


class Dumper(yaml.SafeDumper):
    """Multi-line strings (the test steps) as literal blocks."""


def _str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _str)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def artifact(url, path, extra):
    a = {"url": url}
    a.update(extra)
    if path and os.path.isfile(path):
        a["sha256sum"] = sha256(path)
    return a


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[2])
    ap.add_argument("--target", default="6.12")
    ap.add_argument("--variant", default="patched")
    ap.add_argument("--base-url", default="https://lava-artifacts.example.org/imx6-lab")
    ap.add_argument("--build", default=None,
                    help="BUILD dir to take sha256 sums from (default: none)")
    ap.add_argument("--cycles", default=None, help="xrun-stress -n")
    ap.add_argument("--modes", default=None, help="xrun-stress modes (MODES)")
    ap.add_argument("--qemu", action="store_true",
                    help="a job for the lab QEMU as LAVA device type qemu")
    o = ap.parse_args()
    if o.qemu and not o.build:
        ap.error("--qemu needs --build (the artifacts are local files)")

    with open(os.path.join(HERE, "xrun-stress.yaml"), encoding="utf-8") as f:
        testdef = yaml.safe_load(f)
    if o.cycles:
        testdef["params"]["CYCLES"] = str(o.cycles)
    if o.modes:
        testdef["params"]["MODES"] = o.modes
    if o.qemu:
        testdef["params"]["EXTRA_ARGS"] = ""

    url = "%s/%s/%s" % (o.base_url.rstrip("/"), o.target, o.variant)
    out = rootfs = None
    if o.build:
        out = os.path.join(o.build, "out", o.target, o.variant)
        rootfs = os.path.join(o.build, "rootfs")
    p = lambda d, n: os.path.join(d, n) if d else None

    job = {
        "device_type": "imx6q-sabrelite",
        "job_name": "imx6 pcm_dmaengine/imx-sdma race: xrun-stress on %s %s"
                    % (o.target, o.variant),
        "timeouts": {
            "job": {"minutes": 90},
            "action": {"minutes": 10},
            "connection": {"minutes": 2},
        },
        "priority": "medium",
        "visibility": "public",
        "metadata": {
            "kernel.target": o.target,
            "kernel.variant": o.variant,
            "source": "imx6-lab lab/lava/make-job.py",
        },
        # The sound drivers are built in (lab/configs); the initramfs'
        # /init gives a shell when there is no lab.test= argument.
        "context": {"extra_kernel_args": "rdinit=/init"},
        "actions": [
            {"deploy": {
                "timeout": {"minutes": 5},
                "to": "tftp",
                "os": "oe",
                "kernel": artifact(url + "/zImage", p(out, "zImage"),
                                   {"type": "zimage"}),
                "dtb": artifact(url + "/imx6q-sabrelite.dtb",
                                p(out, "imx6q-sabrelite.dtb"), {}),
                # The base image: one cpio, which LAVA can unpack to add
                # its overlay (a concatenated per-kernel initrd would lose
                # its second archive there).
                "ramdisk": artifact(url + "/initramfs.cpio.gz",
                                    p(rootfs, "initramfs.cpio.gz"),
                                    {"compression": "gz", "header": "u-boot",
                                     "install_modules": False,
                                     "install_overlay": True}),
            }},
            {"boot": {
                "timeout": {"minutes": 5},
                "method": "u-boot",
                "commands": "ramdisk",
                "prompts": ["/ # "],
            }},
            {"test": {
                "timeout": {"minutes": 60},
                "definitions": [{
                    "repository": testdef,
                    "from": "inline",
                    "name": "xrun-stress",
                    "path": "inline/xrun-stress.yaml",
                }],
            }},
        ],
    }
    if o.qemu:
        job = qemu_job(job, o, out, rootfs)
    sys.stdout.write("# SPDX-License-Identifier: GPL-2.0\n"
                     "# Generated by: lab/lava/make-job.py%s\n"
                     % "".join(" " + a for a in sys.argv[1:]))
    yaml.dump(job, sys.stdout, Dumper=Dumper, sort_keys=False,
              default_flow_style=False, width=100)


def qemu_job(job, o, out, rootfs):
    """The job for device type qemu: the lab QEMU's sabrelite."""
    def local(path, extra):
        a = {"url": "file://" + os.path.abspath(path)}
        a.update(extra)
        return a

    job["device_type"] = "qemu"
    job["job_name"] = ("imx6 pcm_dmaengine/imx-sdma race: xrun-stress on the "
                       "lab QEMU, %s %s" % (o.target, o.variant))
    job["timeouts"] = {"job": {"minutes": 30}, "action": {"minutes": 10},
                       "connection": {"minutes": 2}}
    job["context"] = {"arch": "arm"}
    job["actions"][0] = {"deploy": {
        "timeout": {"minutes": 2},
        "to": "tmpfs",
        "os": "oe",
        "images": {
            "kernel": local(os.path.join(out, "zImage"),
                            {"image_arg": "-kernel {kernel}"}),
            "dtb": local(os.path.join(out, "imx6q-sabrelite.dtb"),
                         {"image_arg": "-dtb {dtb}"}),
            # LAVA unpacks the initramfs, adds its overlay (the test
            # shell and the inlined definition) and packs it again.
            "ramdisk": local(os.path.join(rootfs, "initramfs.cpio.gz"),
                             {"image_arg": "-initrd {ramdisk}",
                              "format": "cpio.newc", "compression": "gz",
                              "overlays": {"lava": True}}),
        },
    }}
    job["actions"][1] = {"boot": {
        "timeout": {"minutes": 5},
        "method": "qemu",
        "media": "tmpfs",
        "prompts": ["/ # "],
    }}
    job["actions"][2]["test"]["timeout"] = {"minutes": 20}
    return job


if __name__ == "__main__":
    main()
