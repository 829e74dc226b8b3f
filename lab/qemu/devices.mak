# Devices of the lab's qemu-system-arm (lab/qemu/build.sh installs this as
# configs/devices/arm-softmmu/lab.mak and configures with
# --without-default-devices --with-devices-arm=lab): the sabrelite
# machine and what its Kconfig selects, which brings in our SDMA, SSI,
# AUDMUX and SGTL5000 models. About a third fewer objects to compile than
# every arm board; the guest sees the same machine (two icount boots, one
# on each build, printed the same output byte for byte).
CONFIG_SABRELITE=y
# target/arm of QEMU 7.2 links against the v7-M NVIC and the semihosting
# code whatever the machine.
CONFIG_ARM_V7M=y
CONFIG_SEMIHOSTING=y
CONFIG_ARM_COMPATIBLE_SEMIHOSTING=y
