// How close Orchard's network kernels come to the core's FMA peak, layer shape by layer shape of
// MobileNetV2 1.0/224, called as the `hybrid` backend calls them (bands of 256 KiB of expanded rows).
//
// This host's speed moves by ±25 % within seconds (neighbours on the machine), so no absolute figure is
// comparable from one minute to the next. Each measurement is a ratio instead: the kernel's GFLOP/s over the
// GFLOP/s of a pure FMA loop (12 independent accumulators, no memory) timed right before and right after it,
// on the same instruction set. The median of the rounds is printed. Built and run by bench/kernels/run.sh.
//
// Built with -DWITH_BASE and a second copy of the kernels whose functions are renamed base_orchard_… (run.sh
// BASE=<git revision>), each round also times the base kernels right beside the current ones: the median of
// the per-round ratios is a comparison this host's noise leaves standing, and the outputs are compared bit
// for bit. Both copies must share orchard_kernels.h's structs.
#include "orchard_kernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// The FMA loops: 12 chains, enough to cover two FMA units × 4 cycles of latency; the empty asm keeps the
// accumulators live in registers without memory traffic.
__attribute__((target("avx512f"))) static double fma_gflops_avx512(void) {
    __m512 a[12];
    const __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.999999f);
    for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps((float)i);
    const long n = 100000;
    const double t0 = now();
    for (long j = 0; j < n; j++) {
        for (int i = 0; i < 12; i++) a[i] = _mm512_fmadd_ps(a[i], x, y);
        __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]), "+v"(a[5]), "+v"(a[6]),
                         "+v"(a[7]), "+v"(a[8]), "+v"(a[9]), "+v"(a[10]), "+v"(a[11]));
    }
    return n * 12 * 32.0 / (now() - t0) / 1e9;
}

__attribute__((target("avx2,fma"))) static double fma_gflops_avx2(void) {
    __m256 a[12];
    const __m256 x = _mm256_set1_ps(1.0000001f), y = _mm256_set1_ps(0.999999f);
    for (int i = 0; i < 12; i++) a[i] = _mm256_set1_ps((float)i);
    const long n = 200000;
    const double t0 = now();
    for (long j = 0; j < n; j++) {
        for (int i = 0; i < 12; i++) a[i] = _mm256_fmadd_ps(a[i], x, y);
        __asm__ volatile("" : "+x"(a[0]), "+x"(a[1]), "+x"(a[2]), "+x"(a[3]), "+x"(a[4]), "+x"(a[5]), "+x"(a[6]),
                         "+x"(a[7]), "+x"(a[8]), "+x"(a[9]), "+x"(a[10]), "+x"(a[11]));
    }
    return n * 12 * 16.0 / (now() - t0) / 1e9;
}

static double (*fma_gflops)(void);

#ifdef WITH_BASE
void base_orchard_pointwise_run(const orchard_pointwise *p, size_t pixels, const float *input, float *output);
void base_orchard_pointwise_pack(const float *kernel, const float *bias, int32_t inputs, int32_t outputs,
                                 float *packed, float *packed_bias);
size_t base_orchard_pointwise_packed_count(int32_t inputs, int32_t outputs);
size_t base_orchard_pointwise_packed_bias_count(int32_t outputs);
void base_orchard_depthwise3x3_run(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end);
void base_orchard_patches3x3_rows(const orchard_patches3x3 *p, const float *image, int32_t row_begin, int32_t row_end,
                                  float *patches);
#ifdef BASE_HAS_CONV3X3
void base_orchard_conv3x3_rows(const orchard_patches3x3 *g, const orchard_pointwise *p, const float *image,
                               int32_t row_begin, int32_t row_end, float *scratch, float *output);
#endif
static const int with_base = 1;
#else
#define base_orchard_pointwise_run orchard_pointwise_run
#define base_orchard_depthwise3x3_run orchard_depthwise3x3_run
#define base_orchard_conv3x3_rows orchard_conv3x3_rows
#define BASE_HAS_CONV3X3
static const int with_base = 0;
#endif

static int compare(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static float *filled(size_t count, unsigned seed) {
    float *p = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
    for (size_t i = 0; i < count; i++) p[i] = (float)((i * 7919 + seed) % 1000) / 1000.0f - 0.3f;
    return p;
}

/// One kernel call under test, run `calls` times per timing.
typedef struct {
    enum { POINTWISE, DEPTHWISE } kind;
    orchard_pointwise pointwise, base_pointwise;  ///< the base's packed by the base's own packing
    size_t pixels;
    const float *input;
    float *output, *base_output;
    size_t output_count;
    orchard_depthwise3x3 depthwise;
    int band_rows;
    int band_input;      ///< whether the depthwise input is one band's rows (an expanded block) or the whole map
    const orchard_patches3x3 *stem;  ///< a POINTWISE call that is the stem: the 3×3 convolution of `input`, an
                                     ///< image, in bands (a base without orchard_conv3x3_rows gathers patches)
    float *scratch;                  ///< the stem's patches: a band's (the base's) or one row's
    double flops;        ///< of one call
    double layer_flops;  ///< of the whole layer, once per image
    /// COLD=1: copies of the 1×1 weights (and the base's) that the calls go through in turn, a new copy
    /// for each pass over the layer's pixels, so the weights come from L3 as in a whole network, whose 14 MB
    /// of weights do not stay in L2 from one image to the next.
    orchard_pointwise *cold, *base_cold;
    int copies, calls_per_copy;
} kernel_call;

/// Calls so far, which pick the copy of the weights under COLD=1.
static long call_count;

/// One whole layer: the current kernels, or with `base` the base's, into their own output.
static void run(const kernel_call *k, int base) {
    if (k->stem) {
        const size_t row_outputs = (size_t)k->stem->out_width * (size_t)k->pointwise.outputs;
        for (int r0 = 0; r0 < k->stem->out_width; r0 += k->band_rows) {
            const int r1 = r0 + k->band_rows < k->stem->out_width ? r0 + k->band_rows : k->stem->out_width;
            if (base) {
#ifdef BASE_HAS_CONV3X3
                base_orchard_conv3x3_rows(k->stem, &k->base_pointwise, k->input, r0, r1, k->scratch,
                                          k->base_output + r0 * row_outputs);
#else
                base_orchard_patches3x3_rows(k->stem, k->input, r0, r1, k->scratch);
                base_orchard_pointwise_run(&k->base_pointwise, (size_t)(r1 - r0) * k->stem->out_width, k->scratch,
                                           k->base_output + r0 * row_outputs);
#endif
            } else {
                orchard_conv3x3_rows(k->stem, &k->pointwise, k->input, r0, r1, k->scratch, k->output + r0 * row_outputs);
            }
        }
        return;
    }
    if (k->kind == POINTWISE) {
        const long copy = k->copies ? call_count++ / k->calls_per_copy % k->copies : 0;
        if (base) {
            base_orchard_pointwise_run(k->copies ? &k->base_cold[copy] : &k->base_pointwise, k->pixels, k->input,
                                       k->base_output);
        } else {
            orchard_pointwise_run(k->copies ? &k->cold[copy] : &k->pointwise, k->pixels, k->input, k->output);
        }
        return;
    }
    orchard_depthwise3x3 band = k->depthwise;
    if (base) band.output = k->base_output;
    const int rows = band.out_height, stride = band.stride;
    for (int r0 = 0; r0 < rows; r0 += k->band_rows) {
        const int r1 = r0 + k->band_rows < rows ? r0 + k->band_rows : rows;
        if (k->band_input) {
            // As HybridRuntime runs an expanded block: the band's input rows sit at the start of one buffer.
            const int first = r0 * stride - band.pad_top;
            band.input_row0 = first < 0 ? 0 : first;
        }
        if (base) {
            base_orchard_depthwise3x3_run(&band, r0, r1);
        } else {
            orchard_depthwise3x3_run(&band, r0, r1);
        }
    }
}

/// GFLOP/s of `k` (or its base) over ~3 ms.
static double gflops(const kernel_call *k, int base) {
    const double t0 = now();
    long calls = 0;
    while (now() - t0 < 0.003) {
        run(k, base);
        calls++;
    }
    return k->flops * calls / (now() - t0) / 1e9;
}

static double median(double *values, int count) {
    qsort(values, (size_t)count, sizeof(double), compare);
    return values[count / 2];
}

typedef struct {
    double share, base_share;  ///< of the FMA loop's rate, median over the rounds
    double speedup;            ///< current / base, median of the per-round ratios
    int same_bits;             ///< whether current and base wrote the same output bits
} measurement;

/// Under COLD=1, whether 1×1 layers run on weights that are not in L2 (`kernel_call.cold`).
static int cold;

/// A copy of `p`'s packed weights in new memory (its bias stays shared).
static orchard_pointwise copied(const orchard_pointwise *p, size_t floats) {
    orchard_pointwise c = *p;
    float *packed = aligned_alloc(64, floats * sizeof(float));
    memcpy(packed, p->packed, floats * sizeof(float));
    c.packed = packed;
    return c;
}

/// Enough copies of the layer's weights (at most 64) to fill 24 MiB, twelve times this machine kind's L2.
static void make_cold_copies(kernel_call *k) {
    const size_t floats = orchard_pointwise_packed_count(k->pointwise.inputs, k->pointwise.outputs);
    size_t copies = ((size_t)24 << 20) / (floats * sizeof(float)) + 1;
    if (copies > 64) copies = 64;
    k->copies = (int)copies;
    k->calls_per_copy = (int)(k->layer_flops / k->flops + 0.5);
    k->cold = malloc(copies * sizeof(orchard_pointwise));
    k->base_cold = malloc(copies * sizeof(orchard_pointwise));
    for (size_t c = 0; c < copies; c++) {
        k->cold[c] = copied(&k->pointwise, floats);
#ifdef WITH_BASE
        k->base_cold[c] = copied(&k->base_pointwise,
                                 base_orchard_pointwise_packed_count(k->pointwise.inputs, k->pointwise.outputs));
#else
        k->base_cold[c] = k->cold[c];
#endif
    }
}

static void free_cold_copies(kernel_call *k) {
    for (int c = 0; c < k->copies; c++) {
        free((void *)k->cold[c].packed);
        if (with_base) free((void *)k->base_cold[c].packed);
    }
    free(k->cold);
    free(k->base_cold);
    k->copies = 0;
}

/// Medians over `rounds` of the kernel's rate over the FMA loop's around it (and the base's, alternating
/// which runs first).
static measurement measure(kernel_call *k, int rounds) {
    if (cold && k->kind == POINTWISE && !k->stem) make_cold_copies(k);
    double *share = malloc(sizeof(double) * (size_t)rounds), *base_share = malloc(sizeof(double) * (size_t)rounds);
    double *ratio = malloc(sizeof(double) * (size_t)rounds);
    for (int r = 0; r < rounds; r++) {
        const double before = fma_gflops();
        double current = 0, base = 0;
        if (with_base && r % 2) base = gflops(k, 1);
        current = gflops(k, 0);
        if (with_base && !(r % 2)) base = gflops(k, 1);
        const double peak = 0.5 * (before + fma_gflops());
        share[r] = current / peak;
        base_share[r] = base / peak;
        ratio[r] = with_base ? current / base : 1;
    }
    measurement m = {median(share, rounds), median(base_share, rounds), median(ratio, rounds), 1};
    if (with_base) {
        run(k, 0);
        run(k, 1);
        m.same_bits = memcmp(k->output, k->base_output, k->output_count * sizeof(float)) == 0;
    }
    free(share);
    free(base_share);
    free(ratio);
    free_cold_copies(k);
    return m;
}

/// A 1×1 layer over `layer_pixels` pixels, called on `pixels` of them (one band) at a time.
static kernel_call pointwise_call(int inputs, int outputs, size_t pixels, size_t layer_pixels, float min, float max) {
    float *kernel = filled((size_t)inputs * outputs, 1), *bias = filled((size_t)outputs, 2);
    float *packed = aligned_alloc(64, orchard_pointwise_packed_count(inputs, outputs) * sizeof(float));
    float *packed_bias = aligned_alloc(64, orchard_pointwise_packed_bias_count(outputs) * sizeof(float));
    orchard_pointwise_pack(kernel, bias, inputs, outputs, packed, packed_bias);
    free(kernel);
    free(bias);
    kernel_call k = {.kind = POINTWISE, .pixels = pixels, .flops = 2.0 * inputs * outputs * (double)pixels,
                     .layer_flops = 2.0 * inputs * outputs * (double)layer_pixels};
    k.pointwise = (orchard_pointwise){NULL, packed, packed_bias, inputs, outputs, min, max};
    k.base_pointwise = k.pointwise;
#ifdef WITH_BASE
    kernel = filled((size_t)inputs * outputs, 1);
    bias = filled((size_t)outputs, 2);
    float *base_packed = aligned_alloc(64, base_orchard_pointwise_packed_count(inputs, outputs) * sizeof(float));
    float *base_bias = aligned_alloc(64, base_orchard_pointwise_packed_bias_count(outputs) * sizeof(float));
    base_orchard_pointwise_pack(kernel, bias, inputs, outputs, base_packed, base_bias);
    free(kernel);
    free(bias);
    k.base_pointwise.packed = base_packed;
    k.base_pointwise.bias = base_bias;
#endif
    k.input = filled(pixels * (size_t)inputs, 3);
    k.output_count = pixels * (size_t)outputs;
    k.output = filled(k.output_count, 4);
    k.base_output = filled(k.output_count, 4);
    return k;
}

/// The stem: a 3×3 stride-2 convolution of a 2·size × 2·size RGB image into `outputs` channels, the whole
/// layer in bands of `band_rows` output rows (Keras pads an even size after only).
static kernel_call stem_call(int outputs, int size, int band_rows) {
    kernel_call k = pointwise_call(27, outputs, (size_t)size * size, (size_t)size * size, 0, 6);
    free((void *)k.input);
    k.input = filled((size_t)4 * size * size * 3, 3);
    orchard_patches3x3 *g = malloc(sizeof *g);
    *g = (orchard_patches3x3){.in_height = 2 * size, .in_width = 2 * size, .channels = 3, .stride = 2,
                              .pad_top = 0, .pad_left = 0, .out_width = size};
    k.stem = g;
    k.band_rows = band_rows;
    k.scratch = filled((size_t)band_rows * size * 27, 9);
    return k;
}

/// A 3×3 depthwise layer run in bands of `band_rows` output rows, reading the whole input map or, with
/// `band_input`, a buffer of one band's input rows (as every block of `hybrid` does).
static kernel_call depthwise_call(int size, int channels, int stride, int band_rows, int band_input) {
    const int out = size / stride;  // 'same' padding: ⌈size / stride⌉ with even sizes
    const int input_rows = band_input ? (band_rows - 1) * stride + 3 : size;
    kernel_call k = {.kind = DEPTHWISE, .band_rows = band_rows, .band_input = band_input,
                     .flops = 18.0 * out * out * channels};
    k.layer_flops = k.flops;
    k.output_count = (size_t)out * out * channels;
    k.base_output = filled(k.output_count, 6);
    k.output = filled(k.output_count, 6);
    k.depthwise = (orchard_depthwise3x3){
        .input = filled((size_t)input_rows * size * channels, 5), .output = k.output,
        .weights = filled(9 * (size_t)channels, 7), .bias = filled((size_t)channels, 8),
        .in_height = size, .in_width = size, .out_height = out, .out_width = out, .channels = channels,
        .stride = stride, .pad_top = stride == 1 ? 1 : 0, .pad_left = stride == 1 ? 1 : 0, .min = 0, .max = 6};
    return k;
}

/// Seconds to run every call of one image (each layer's whole work, the layers in order), with the base's
/// kernels or the current ones.
static double image_time(const kernel_call *calls, int count, int base) {
    const double t0 = now();
    for (int i = 0; i < count; i++) {
        const int passes = (int)(calls[i].layer_flops / calls[i].flops + 0.5);
        for (int p = 0; p < passes; p++) run(&calls[i], base);
    }
    return now() - t0;
}

/// `calls` as a network makes them: every layer but the stem reads one input buffer and writes one output
/// buffer, the same for all (as HybridRuntime's bands reuse theirs), so between layers only the weights
/// change. The inputs are read, never written, so the values stay those of `filled`.
static kernel_call *chained(const kernel_call *calls, int count) {
    size_t in = 0, out = 0;
    for (int i = 0; i < count; i++) {
        const kernel_call *k = &calls[i];
        const size_t reads = k->kind == POINTWISE ? k->pixels * (size_t)k->pointwise.inputs
                                                  : (size_t)((k->band_rows - 1) * k->depthwise.stride + 3) *
                                                        k->depthwise.in_width * k->depthwise.channels;
        if (reads > in) in = reads;
        if (k->output_count > out) out = k->output_count;
    }
    const float *input = filled(in, 3);
    float *output = filled(out, 4);
    kernel_call *chain = malloc(sizeof(kernel_call) * (size_t)count);
    for (int i = 0; i < count; i++) {
        chain[i] = calls[i];
        if (chain[i].stem) continue;
        chain[i].input = chain[i].depthwise.input = input;
        chain[i].output = chain[i].base_output = chain[i].depthwise.output = output;
    }
    return chain;
}

/// Over `rounds`: the median, lowest and highest of base / current for whole images (20 images of each
/// per round, in turns), and the median share of the FMA peak the current kernels' images reach.
static const double *image_times(const kernel_call *separate, int count, int rounds, double flops) {
    static double result[4];
    const kernel_call *calls = chained(separate, count);
    double *ratio = malloc(sizeof(double) * (size_t)rounds), *share = malloc(sizeof(double) * (size_t)rounds);
    for (int r = 0; r < rounds; r++) {
        const double before = fma_gflops();
        double current = 0, base = 0;
        for (int image = 0; image < 20; image++) {
            if ((image + r) % 2) base += image_time(calls, count, 1);
            current += image_time(calls, count, 0);
            if (!((image + r) % 2)) base += image_time(calls, count, 1);
        }
        ratio[r] = base / current;
        share[r] = 20 * flops / current / 1e9 / (0.5 * (before + fma_gflops()));
    }
    result[0] = median(ratio, rounds);
    result[1] = ratio[0];
    result[2] = ratio[rounds - 1];
    result[3] = median(share, rounds);
    free(ratio);
    free(share);
    for (int i = 0; i < count; i++) {
        if (calls[i].stem) continue;
        free((void *)calls[i].input);  // the chain's two buffers, shared by all but the stem
        free(calls[i].output);
        break;
    }
    free((void *)calls);
    return result;
}

int main(int argc, char **argv) {
    const int rounds = argc > 1 ? atoi(argv[1]) : 21;
    cold = getenv("COLD") && strcmp(getenv("COLD"), "1") == 0;
    const char *isa = orchard_kernels_isa();
    if (strcmp(isa, "avx512f") == 0) {
        fma_gflops = fma_gflops_avx512;
    } else if (strcmp(isa, "avx2") == 0) {
        fma_gflops = fma_gflops_avx2;
    } else {
        fprintf(stderr, "efficiency: Orchard's kernels run %s here; this harness measures the AVX2 and AVX-512 ones\n", isa);
        return 1;
    }
    printf("kernels: %s; FMA loop now: %.0f GFLOP/s; median of %d rounds, each as a share of the FMA loop beside it\n",
           isa, fma_gflops(), rounds);
    if (cold) printf("COLD=1: each pass over a 1×1 layer reads another copy of its weights, from beyond L2\n");
    printf("%-44s %9s %8s %8s", "layer (as hybrid calls it)", "MFLOP", "of time", "of peak");
    if (with_base) printf(" %8s %8s", "base", "cur/base");
    printf("\n");

    // MobileNetV2 1.0/224's bottlenecks (Table 2 of the paper): expansion t, output channels c, repeats n,
    // first stride s. A band holds 256 KiB of expanded input rows, as in HybridRuntime.
    const int stages[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                              {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    double total_flops = 0, total_ideal = 0, kind_flops[2] = {0, 0}, kind_ideal[2] = {0, 0};
    kernel_call calls[64];
    char names[64][64];
    int count = 0, channels = 32, size = 112;
    for (int s = 0; s < 7; s++) {
        for (int r = 0; r < stages[s][2]; r++) {
            const int t = stages[s][0], c = stages[s][1], stride = r == 0 ? stages[s][3] : 1;
            const int expanded = channels * t, out = size / stride;
            int band = 262144 / (stride * size * expanded * 4);
            band = band < 1 ? 1 : band > out ? out : band;
            if (t != 1) {
                calls[count] = pointwise_call(channels, expanded, (size_t)band * stride * size, (size_t)size * size, 0, 6);
                snprintf(names[count++], 64, "expand    %4d → %4d, %3d×%-3d band %2d rows", channels, expanded, size, size, band * stride);
            } else {
                // Block 0's expansion is the stem: the 3×3 stride-2 convolution of the 224×224 RGB image.
                calls[count] = stem_call(expanded, size, band);
                snprintf(names[count++], 64, "stem 3×3 s2  3 → %4d, %3d×%-3d band %2d rows", expanded, size, size, band);
            }
            calls[count] = depthwise_call(size, expanded, stride, band, 1);
            snprintf(names[count++], 64, "depthwise %4d ch s%d, %3d×%-3d band %2d rows", expanded, stride, size, size, band);
            calls[count] = pointwise_call(expanded, c, (size_t)band * out, (size_t)out * out, -INFINITY, INFINITY);
            snprintf(names[count++], 64, "project   %4d → %4d, %3d×%-3d band %2d rows", expanded, c, out, out, band);
            channels = c;
            size = out;
        }
    }
    calls[count] = pointwise_call(channels, 1280, (size_t)size * size, (size_t)size * size, 0, 6);
    snprintf(names[count++], 64, "head      %4d → 1280, %3d×%-3d", channels, size, size);

    // Per image each layer does its whole work once: weight each call's share by its layer's FLOPs.
    measurement m[64];
    double base_ideal = 0;
    for (int i = 0; i < count; i++) {
        kernel_call *k = &calls[i];
        m[i] = measure(k, rounds);
        total_flops += k->layer_flops;
        total_ideal += k->layer_flops / m[i].share;
        base_ideal += k->layer_flops / m[i].base_share;
        kind_flops[k->kind] += k->layer_flops;
        kind_ideal[k->kind] += k->layer_flops / m[i].share;
    }
    for (int i = 0; i < count; i++) {
        const double time_share = calls[i].layer_flops / m[i].share / total_ideal;
        printf("%-44s %9.1f %7.1f%% %7.1f%%", names[i], calls[i].layer_flops / 1e6, 100 * time_share, 100 * m[i].share);
        if (with_base) printf(" %7.1f%% %7.3f×%s", 100 * m[i].base_share, m[i].speedup, m[i].same_bits ? "" : "  bits differ");
        printf("\n");
    }
    printf("1×1 layers: %.0f MFLOP at %.1f %% of peak; depthwise: %.0f MFLOP at %.1f %%; together %.1f %%\n",
           kind_flops[POINTWISE] / 1e6, 100 * kind_flops[POINTWISE] / kind_ideal[POINTWISE], kind_flops[DEPTHWISE] / 1e6,
           100 * kind_flops[DEPTHWISE] / kind_ideal[DEPTHWISE], 100 * total_flops / total_ideal);
    if (with_base) {
        printf("base: together %.1f %% of peak; the kernels' time per image, base / current: %.3f×\n",
               100 * total_flops / base_ideal, base_ideal / total_ideal);
        const double *images = image_times(calls, count, rounds, total_flops);
        printf("image by image (every layer once, in the network's order, so each layer's weights come from\n"
               "wherever the layers before left them): base / current %.3f×, median of %d rounds (%.3f–%.3f×);\n"
               "the current kernels' images at %.1f %% of peak\n",
               images[0], rounds, images[1], images[2], 100 * images[3]);
    }
    return 0;
}
