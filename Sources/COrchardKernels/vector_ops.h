// The vector operations the kernel templates are written in, for the instruction set named by one of
// VECTOR_OPS_AVX512, VECTOR_OPS_AVX2 or VECTOR_OPS_SCALAR: VEC (the vector type), W (its lanes), LOAD,
// STORE, STORE_FIRST (the first n lanes, 0 < n < W), FMA, SPLAT, MAX and MIN. Included before a template;
// the template's end includes vector_ops_end.h, which undefines them all.
#if defined(VECTOR_OPS_AVX512)
#define VEC __m512
#define W 16
#define LOAD(p) _mm512_loadu_ps(p)
#define STORE(p, v) _mm512_storeu_ps(p, v)
#define STORE_FIRST(p, v, n) _mm512_mask_storeu_ps(p, (__mmask16)((1u << (n)) - 1), v)
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SPLAT(x) _mm512_set1_ps(x)
#define MAX(a, b) _mm512_max_ps(a, b)
#define MIN(a, b) _mm512_min_ps(a, b)
#elif defined(VECTOR_OPS_AVX2)
#define VEC __m256
#define W 8
#define LOAD(p) _mm256_loadu_ps(p)
#define STORE(p, v) _mm256_storeu_ps(p, v)
#define STORE_FIRST(p, v, n) \
    _mm256_maskstore_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)), v)
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SPLAT(x) _mm256_set1_ps(x)
#define MAX(a, b) _mm256_max_ps(a, b)
#define MIN(a, b) _mm256_min_ps(a, b)
#elif defined(VECTOR_OPS_SCALAR)
// One lane; fmaf keeps the fused multiply-add, so the scalar kernels round as the vector ones do.
#define VEC float
#define W 1
#define LOAD(p) (*(p))
#define STORE(p, v) (*(p) = (v))
#define STORE_FIRST(p, v, n) ((void)(n), *(p) = (v))  // never called: one lane is never partial
#define FMA(a, b, c) fmaf(a, b, c)
#define SPLAT(x) (x)
#define MAX(a, b) fmaxf(a, b)
#define MIN(a, b) fminf(a, b)
#else
#error "define VECTOR_OPS_AVX512, VECTOR_OPS_AVX2 or VECTOR_OPS_SCALAR before including vector_ops.h"
#endif
