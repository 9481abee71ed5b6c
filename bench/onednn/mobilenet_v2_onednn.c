// MobileNetV2 1.0/224 (no top, global average pool → 1280) as a oneDNN 2.6 primitive chain, random
// weights, batch 1, fp32: a prototype that measures oneDNN's images/s on this CPU before Orchard uses it.
//
//   cc -O2 -o /tmp/mnv2-onednn bench/onednn/mobilenet_v2_onednn.c -ldnnl
//   OMP_NUM_THREADS=1 /tmp/mnv2-onednn [seconds] [fuse-dw 0|1] [layout nhwc|any|8c|nchw]
//
// Debian's oneDNN uses OpenMP (libgomp): OMP_NUM_THREADS sets its threads. VERBOSE=1 prints each
// primitive's implementation (ref:any means a slow reference kernel); PROBE=n stops after n blocks and
// pools there, to compare layouts block by block (f0 is the first pooled value, the same for every layout).
// Findings: `any`/8c (nChw8c) and nhwc all run JIT AVX2 kernels and agree; the fused 1×1+depthwise
// post-op (fuse-dw 1) disagrees with the unfused chain from the first stride-2 block on, so it is not used.
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) { \
    fprintf(stderr, "%s:%d %s -> %d\n", __FILE__, __LINE__, #call, (int)s_); exit(1); } } while (0)
#define MAX_STEPS 256
#define MAX_ARGS 8

static dnnl_engine_t engine;
static dnnl_stream_t stream;
static int fuse_dw = 0, blocked = 1, verbose = 0;

// The network as a list of primitives with their arguments, executed in order.
static struct { dnnl_primitive_t p; int n; dnnl_exec_arg_t args[MAX_ARGS]; } steps[MAX_STEPS];
static int nsteps = 0;

typedef struct { dnnl_memory_desc_t md; dnnl_memory_t mem; int c, size; } act_t;

static float frand(unsigned *seed, float scale) { *seed = *seed * 1664525u + 1013904223u; return scale * ((*seed >> 8) / 16777216.0f - 0.5f); }

static dnnl_memory_t new_mem(const dnnl_memory_desc_t *md) {
    dnnl_memory_t m; CHECK(dnnl_memory_create(&m, md, engine, DNNL_MEMORY_ALLOCATE)); return m;
}

static void add_step(dnnl_primitive_desc_t pd, int n, const dnnl_exec_arg_t *args) {
    if (verbose) { const char *impl; dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl); fprintf(stderr, "step %d: %s\n", nsteps, impl); }
    CHECK(dnnl_primitive_create(&steps[nsteps].p, pd));
    steps[nsteps].n = n; memcpy(steps[nsteps].args, args, n * sizeof *args); nsteps++;
}

// Copies user-layout weights into the layout the primitive asked for, once.
static dnnl_memory_t weights_for(dnnl_primitive_desc_t pd, int arg, const dnnl_memory_desc_t *user_md, unsigned *seed, float scale) {
    const dnnl_memory_desc_t *want = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, arg);
    dnnl_memory_t user = new_mem(user_md);
    float *data; CHECK(dnnl_memory_get_data_handle(user, (void **)&data));
    size_t n = dnnl_memory_desc_get_size(user_md) / sizeof(float);
    for (size_t i = 0; i < n; i++) data[i] = frand(seed, scale);
    if (dnnl_memory_desc_equal(want, user_md)) return user;
    dnnl_memory_t packed = new_mem(want);
    dnnl_primitive_desc_t rpd; dnnl_primitive_t r;
    CHECK(dnnl_reorder_primitive_desc_create(&rpd, user_md, engine, want, engine, NULL));
    CHECK(dnnl_primitive_create(&r, rpd));
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, packed}};
    CHECK(dnnl_primitive_execute(r, stream, 2, args)); CHECK(dnnl_stream_wait(stream));
    dnnl_primitive_destroy(r); dnnl_primitive_desc_destroy(rpd); dnnl_memory_destroy(user);
    return packed;
}

// layout 0: NHWC; 1: `any` (the primitive chooses); 2: nChw8c, AVX2's 8-channel blocks.
static dnnl_memory_desc_t act_md(int c, int size, int layout) {
    dnnl_memory_desc_t md; dnnl_dims_t d = {1, c, size, size};
    dnnl_format_tag_t tag = layout == 0 ? dnnl_nhwc : layout == 1 ? dnnl_format_tag_any : layout == 2 ? dnnl_nChw8c : dnnl_nchw;
    CHECK(dnnl_memory_desc_init_by_tag(&md, 4, d, dnnl_f32, tag)); return md;
}

// Keras layouts as strided descriptors: regular HWIO over dims {O, I, H, W}; depthwise [H, W, C, 1] over {G, 1, 1, H, W}.
static dnnl_memory_desc_t keras_conv_md(int cout, int cin, int k) {
    dnnl_memory_desc_t md; dnnl_dims_t d = {cout, cin, k, k}, s = {1, cout, (dnnl_dim_t)k * cin * cout, (dnnl_dim_t)cin * cout};
    CHECK(dnnl_memory_desc_init_by_strides(&md, 4, d, dnnl_f32, s)); return md;
}
static dnnl_memory_desc_t keras_dw_md(int c) {
    dnnl_memory_desc_t md; dnnl_dims_t d = {c, 1, 1, 3, 3}, s = {1, c, c, 3 * c, c};
    CHECK(dnnl_memory_desc_init_by_strides(&md, 5, d, dnnl_f32, s)); return md;
}
static dnnl_memory_desc_t vec_md(int n) {
    dnnl_memory_desc_t md; dnnl_dims_t d = {n}; CHECK(dnnl_memory_desc_init_by_tag(&md, 1, d, dnnl_f32, dnnl_a)); return md;
}

static void add_relu6(dnnl_post_ops_t po) { CHECK(dnnl_post_ops_append_eltwise(po, 1.f, dnnl_eltwise_clip, 0.f, 6.f)); }

// Keras padding around a 3×3 convolution: 'same' at stride 1; stride 2 pads 1 at the end, and 1 at the start only if odd.
static void pads(int size, int stride, int *before, int *after) { *before = stride == 1 ? 1 : size % 2; *after = 1; }

// A convolution (regular or depthwise), ReLU6 or linear, optionally adding into `residual` (which it then overwrites).
static act_t conv(act_t x, int cout, int k, int stride, int depthwise, int relu6, act_t *residual, unsigned *seed) {
    int before = 0, after = 0;
    if (k == 3) pads(x.size, stride, &before, &after);
    int size = k == 1 ? x.size : (x.size + stride - 1) / stride;
    dnnl_memory_desc_t wmd_user = depthwise ? keras_dw_md(cout) : keras_conv_md(cout, x.c, k);
    dnnl_memory_desc_t wmd_any; dnnl_dims_t wd = {cout, 1, 1, 3, 3};
    if (depthwise) CHECK(dnnl_memory_desc_init_by_tag(&wmd_any, 5, wd, dnnl_f32, dnnl_format_tag_any));
    else { dnnl_dims_t w4 = {cout, x.c, k, k}; CHECK(dnnl_memory_desc_init_by_tag(&wmd_any, 4, w4, dnnl_f32, dnnl_format_tag_any)); }
    dnnl_memory_desc_t bmd = vec_md(cout);
    dnnl_memory_desc_t dmd = residual ? residual->md : act_md(cout, size, blocked);
    dnnl_memory_desc_t smd = x.md;
    dnnl_convolution_desc_t cd;
    dnnl_dims_t strides = {stride, stride}, pl = {before, before}, pr = {after, after};
    CHECK(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct, &smd, &wmd_any, &bmd, &dmd, strides, pl, pr));
    dnnl_primitive_attr_t attr; dnnl_post_ops_t po;
    CHECK(dnnl_primitive_attr_create(&attr)); CHECK(dnnl_post_ops_create(&po));
    if (residual) CHECK(dnnl_post_ops_append_sum(po, 1.f));
    if (relu6) add_relu6(po);
    CHECK(dnnl_primitive_attr_set_post_ops(attr, po));
    dnnl_primitive_desc_t pd;
    CHECK(dnnl_primitive_desc_create(&pd, &cd, attr, engine, NULL));
    act_t y = {*dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), NULL, cout, size};
    y.mem = residual ? residual->mem : new_mem(&y.md);
    dnnl_memory_t w = weights_for(pd, DNNL_ARG_WEIGHTS, &wmd_user, seed, 0.1f);
    dnnl_memory_t b = weights_for(pd, DNNL_ARG_BIAS, &bmd, seed, 0.2f);
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, x.mem}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, y.mem}};
    add_step(pd, 4, args);
    dnnl_post_ops_destroy(po); dnnl_primitive_attr_destroy(attr);
    return y;
}

// 1×1 expansion (ReLU6) with the 3×3 depthwise (ReLU6) fused as a post-op: the expanded tensor never reaches memory.
static act_t expand_dw(act_t x, int cexp, int stride, unsigned *seed) {
    int before, after; pads(x.size, stride, &before, &after);
    int size = (x.size + stride - 1) / stride;
    dnnl_memory_desc_t wmd_user = keras_conv_md(cexp, x.c, 1), wmd_any, bmd = vec_md(cexp);
    dnnl_dims_t w4 = {cexp, x.c, 1, 1};
    CHECK(dnnl_memory_desc_init_by_tag(&wmd_any, 4, w4, dnnl_f32, dnnl_format_tag_any));
    dnnl_memory_desc_t dmd = act_md(cexp, x.size, blocked), smd = x.md;
    dnnl_convolution_desc_t cd; dnnl_dims_t s1 = {1, 1}, p0 = {0, 0};
    CHECK(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct, &smd, &wmd_any, &bmd, &dmd, s1, p0, p0));
    dnnl_primitive_attr_t attr; dnnl_post_ops_t po;
    CHECK(dnnl_primitive_attr_create(&attr)); CHECK(dnnl_post_ops_create(&po));
    add_relu6(po);
    if (dnnl_post_ops_append_dw(po, dnnl_f32, dnnl_f32, dnnl_f32, 3, stride, before, 0, 0, NULL) != dnnl_success) return (act_t){0};
    add_relu6(po);
    CHECK(dnnl_primitive_attr_set_post_ops(attr, po));
    dnnl_primitive_desc_t pd;
    if (dnnl_primitive_desc_create(&pd, &cd, attr, engine, NULL) != dnnl_success) return (act_t){0};
    act_t y = {*dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), NULL, cexp, size};
    if (y.md.dims[2] != size) { fprintf(stderr, "fused dw output %ld, expected %d\n", (long)y.md.dims[2], size); return (act_t){0}; }
    y.mem = new_mem(&y.md);
    dnnl_memory_desc_t dw_user = keras_dw_md(cexp), dwb = vec_md(cexp);
    dnnl_memory_t w = weights_for(pd, DNNL_ARG_WEIGHTS, &wmd_user, seed, 0.1f);
    dnnl_memory_t b = weights_for(pd, DNNL_ARG_BIAS, &bmd, seed, 0.2f);
    dnnl_memory_t dw = weights_for(pd, DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS, &dw_user, seed, 0.3f);
    dnnl_memory_t dwbias = weights_for(pd, DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS, &dwb, seed, 0.2f);
    dnnl_exec_arg_t args[6] = {{DNNL_ARG_SRC, x.mem}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, y.mem},
        {DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS, dw}, {DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS, dwbias}};
    add_step(pd, 6, args);
    dnnl_post_ops_destroy(po); dnnl_primitive_attr_destroy(attr);
    return y;
}

static const int table[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 5;
    fuse_dw = argc > 2 ? atoi(argv[2]) : 0;
    const char *layouts[] = {"nhwc", "any", "8c", "nchw"};
    blocked = 0;
    for (int i = 0; i < 4; i++) if (argc > 3 && strcmp(argv[3], layouts[i]) == 0) blocked = i;
    verbose = getenv("VERBOSE") != NULL;
    unsigned seed = 2018;
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));

    act_t input = {act_md(3, 224, 0), NULL, 3, 224};
    input.mem = new_mem(&input.md);
    float *in; CHECK(dnnl_memory_get_data_handle(input.mem, (void **)&in));
    for (int i = 0; i < 224 * 224 * 3; i++) in[i] = (float)((i * 7919) % 255) / 127.5f - 1;

    act_t stem_in = input;
    if (blocked) {  // blocked layouts: the stem's JIT kernel wants plain NCHW for its 3 input channels
        stem_in = (act_t){act_md(3, 224, 3), NULL, 3, 224};
        stem_in.mem = new_mem(&stem_in.md);
        dnnl_primitive_desc_t rpd; CHECK(dnnl_reorder_primitive_desc_create(&rpd, &input.md, engine, &stem_in.md, engine, NULL));
        dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, input.mem}, {DNNL_ARG_TO, stem_in.mem}};
        add_step(rpd, 2, rargs);
    }
    act_t x = conv(stem_in, 32, 3, 2, 0, 1, NULL, &seed);
    int probe = getenv("PROBE") ? atoi(getenv("PROBE")) : 99, block = 0;
    for (int s = 0; s < 7; s++) for (int r = 0; r < table[s][2] && block++ < probe; r++) {
        int t = table[s][0], c = table[s][1], stride = r == 0 ? table[s][3] : 1, cexp = x.c * t;
        act_t h = {0};
        if (t != 1 && fuse_dw) h = expand_dw(x, cexp, stride, &seed);
        if (!h.mem) {
            h = t != 1 ? conv(x, cexp, 1, 1, 0, 1, NULL, &seed) : x;
            h = conv(h, cexp, 3, stride, 1, 1, NULL, &seed);
        }
        int residual = stride == 1 && x.c == c;
        x = conv(h, c, 1, 1, 0, 0, residual ? &x : NULL, &seed);
    }
    if (probe == 99) x = conv(x, 1280, 1, 1, 0, 1, NULL, &seed);

    // Global average pool, then reorder the 1280 features to plain NHWC.
    dnnl_memory_desc_t pooled_any = act_md(x.c, 1, blocked), out_md = act_md(x.c, 1, 0);
    dnnl_pooling_v2_desc_t pdsc; dnnl_dims_t ks = {x.size, x.size}, one = {1, 1}, zero = {0, 0};
    CHECK(dnnl_pooling_v2_forward_desc_init(&pdsc, dnnl_forward_inference, dnnl_pooling_avg_exclude_padding, &x.md, &pooled_any, one, ks, zero, zero, zero));
    dnnl_primitive_desc_t ppd; CHECK(dnnl_primitive_desc_create(&ppd, &pdsc, NULL, engine, NULL));
    dnnl_memory_desc_t pooled_md = *dnnl_primitive_desc_query_md(ppd, dnnl_query_dst_md, 0);
    dnnl_memory_t pooled = new_mem(&pooled_md), out = new_mem(&out_md);
    dnnl_exec_arg_t pargs[2] = {{DNNL_ARG_SRC, x.mem}, {DNNL_ARG_DST, pooled}};
    add_step(ppd, 2, pargs);
    if (!dnnl_memory_desc_equal(&pooled_md, &out_md)) {
        dnnl_primitive_desc_t rpd; CHECK(dnnl_reorder_primitive_desc_create(&rpd, &pooled_md, engine, &out_md, engine, NULL));
        dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, pooled}, {DNNL_ARG_TO, out}};
        add_step(rpd, 2, rargs);
    } else {
        out = pooled;
    }

    // Residual blocks overwrite their input with their output, so each pass must start from the image again;
    // the input buffer itself is never a residual (block 0 has no shortcut), so repeating is safe.
    struct timespec t0, t1; double elapsed = 0; long images = 0;
    for (int phase = 0; phase < 2; phase++) {
        double budget = phase == 0 ? 1.0 : seconds; images = 0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        do {
            for (int i = 0; i < nsteps; i++) CHECK(dnnl_primitive_execute(steps[i].p, stream, steps[i].n, steps[i].args));
            CHECK(dnnl_stream_wait(stream));
            images++;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            elapsed = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        } while (elapsed < budget);
    }
    float *f; CHECK(dnnl_memory_get_data_handle(out, (void **)&f));
    printf("{\"backend\": \"onednn-c\", \"fuse_dw\": %d, \"layout\": \"%s\", \"steps\": %d, \"images_per_s\": %.2f, \"f0\": %g}\n",
           fuse_dw, layouts[blocked], nsteps, images / elapsed, f[0]);
    return 0;
}
