// LD_PRELOAD shim: Debian's XNNPACK asks libcpuinfo which instruction sets the CPU has; this answers as an
// AVX2 + FMA CPU would, so an AVX-512 machine runs XNNPACK's AVX2 kernels. With ORCHARD_KERNELS_ISA=avx2
// (Orchard's kernels) and ONEDNN_MAX_CPU_ISA=AVX2 (oneDNN) it gives every Orchard backend the code path
// of the machine kind's AVX2-only variant on either variant (`bench/inference.py --avx2-only`).
#define _GNU_SOURCE
#include <cpuinfo.h>
#include <dlfcn.h>
#include <stdbool.h>

bool cpuinfo_initialize(void) {
    bool (*real)(void) = (bool (*)(void))dlsym(RTLD_NEXT, "cpuinfo_initialize");
    if (!real || !real()) return false;
    cpuinfo_isa.avx512f = cpuinfo_isa.avx512pf = cpuinfo_isa.avx512er = cpuinfo_isa.avx512cd = false;
    cpuinfo_isa.avx512dq = cpuinfo_isa.avx512bw = cpuinfo_isa.avx512vl = cpuinfo_isa.avx512ifma = false;
    cpuinfo_isa.avx512vbmi = cpuinfo_isa.avx512vbmi2 = cpuinfo_isa.avx512bitalg = false;
    cpuinfo_isa.avx512vpopcntdq = cpuinfo_isa.avx512vnni = cpuinfo_isa.avx512bf16 = false;
    cpuinfo_isa.avx512vp2intersect = cpuinfo_isa.avx512_4vnniw = cpuinfo_isa.avx512_4fmaps = false;
    return true;
}
