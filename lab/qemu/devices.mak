# Devices of the lab's qemu-system-arm (lab/qemu/build.sh installs this as
# configs/devices/arm-softmmu/lab.mak and configures with
# --without-default-devices --with-devices-arm=lab): the sabrelite
# machine and what its Kconfig selects, which brings in our SDMA, SSI,
# AUDMUX and SGTL5000 models. About a third fewer objects to compile than
# every arm board; the guest sees the same machine.
CONFIG_SABRELITE=y
