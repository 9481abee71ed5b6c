// Within the kernels: which of their instruction sets a name stands for.
#ifndef ORCHARD_KERNELS_ISA_H
#define ORCHARD_KERNELS_ISA_H

/// The kernels' instruction sets, best first: the index of each kernel table.
enum { ISA_AVX512F, ISA_AVX2, ISA_SCALAR, ISA_COUNT };

/// The index of `isa` ("avx512f", "avx2" or "scalar"), or -1 when it names none or this CPU lacks it.
int orchard_kernels_isa_index(const char *isa);

#endif
