#include <dlfcn.h>
#include <oneapi/dnnl/dnnl.h>

// Debian's oneDNN runs its primitives on OpenMP (libgomp, loaded as oneDNN's dependency), whose team
// size is a setting of each calling thread: the caller sets it before creating or running primitives.
// Looked up at run time because Debian ships no unversioned libgomp.so to link against outside GCC's
// own directory. Returns 0 when OpenMP is not loaded.
static inline int orchard_omp_set_num_threads(int threads) {
    void (*set)(int) = (void (*)(int))dlsym((void *)0 /* RTLD_DEFAULT */, "omp_set_num_threads");
    if (!set) return 0;
    set(threads);
    return 1;
}

// DNNL_MEMORY_ALLOCATE is a cast macro Swift cannot import.
static inline void *orchard_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
