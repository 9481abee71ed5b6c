// LinearAlgebra: streaming mean/covariance in float64 (OpenBLAS) and PCA via LAPACK.
