// Undefines what vector_ops.h defined, so the next instruction set's template can define them again.
#undef VECTOR_OPS_AVX512
#undef VECTOR_OPS_AVX2
#undef VECTOR_OPS_SCALAR
#undef VEC
#undef W
#undef LOAD
#undef STORE
#undef STORE_FIRST
#undef FMA
#undef SPLAT
#undef MAX
#undef MIN
