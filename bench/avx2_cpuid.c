// LD_PRELOAD shim: the process, and every library it loads, sees this CPU as an AVX2 + FMA CPU without
// AVX-512, AVX-VNNI or AMX (the machine kind's AVX2-only variant), so LiteRT, ONNX Runtime and TensorFlow
// choose their AVX2 kernels as Orchard's do (`bench/inference.py --avx2-only`).
//
// The peers read the CPU's features with the CPUID instruction from code linked into their wheels, where no
// symbol can be interposed. So the shim turns on CPUID faulting for the process (Linux's ARCH_SET_CPUID, on
// CPUs with the `cpuid_fault` flag): each CPUID then raises SIGSEGV, and the handler runs the instruction
// itself, clears the feature bits below and steps over it. The setting passes to every thread and child
// process; execve resets it, and LD_PRELOAD sets it again in the new program.
#define _GNU_SOURCE
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define ARCH_SET_CPUID 0x1012

static struct sigaction previous;

/// Leaf 7's feature bits of AVX-512 (every extension), AVX-VNNI and AMX, cleared from what CPUID reports.
static void hide(uint32_t leaf, uint32_t subleaf, uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx) {
    (void)eax;
    if (leaf == 7 && subleaf == 0) {
        // EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31.
        *ebx &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31));
        // ECX: VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14.
        *ecx &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
        // EDX: 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, AMX-BF16 22, AVX512-FP16 23, AMX-TILE 24, AMX-INT8 25.
        *edx &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25));
    } else if (leaf == 7 && subleaf == 1) {
        *eax &= ~((1u << 4) | (1u << 5));  // AVX-VNNI 4, AVX512-BF16 5
    }
}

static void on_fault(int signal, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    greg_t *regs = uc->uc_mcontext.gregs;
    const uint8_t *ip = (const uint8_t *)regs[REG_RIP];
    if (ip[0] != 0x0f || ip[1] != 0xa2) {
        // Not a CPUID: the process's own fault, handled as it would have been without the shim.
        sigaction(SIGSEGV, &previous, NULL);
        if (previous.sa_flags & SA_SIGINFO && previous.sa_sigaction) previous.sa_sigaction(signal, info, context);
        return;  // with SIG_DFL restored, the instruction faults again and the process ends as it should
    }
    const uint32_t leaf = (uint32_t)regs[REG_RAX], subleaf = (uint32_t)regs[REG_RCX];
    uint32_t a, b, c, d;
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1L);
    __cpuid_count(leaf, subleaf, a, b, c, d);
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0L);
    hide(leaf, subleaf, &a, &b, &c, &d);
    regs[REG_RAX] = a;
    regs[REG_RBX] = b;
    regs[REG_RCX] = c;
    regs[REG_RDX] = d;
    regs[REG_RIP] += 2;
}

__attribute__((constructor)) static void start_faulting(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSEGV, &action, &previous) != 0 || syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0L) != 0) {
        fputs("avx2_cpuid: this CPU or kernel has no CPUID faulting (no cpuid_fault flag): cannot hide AVX-512\n", stderr);
        _exit(97);
    }
}
