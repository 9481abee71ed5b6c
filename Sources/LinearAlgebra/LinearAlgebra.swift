// LinearAlgebra: streaming mean/covariance in float64 (OpenBLAS) and PCA via LAPACK.
//
// `CovarianceAccumulator` folds feature vectors into a count, a sum and a cross-product matrix
// (BLAS `dsyrk` in blocks); partial accumulators merge, so partitions can fit independently.
// `PCAModel.fit` turns an accumulator into principal components the way scikit-learn's
// `PCA(svd_solver="covariance_eigh")` does (eigendecomposition of the covariance with LAPACK
// `dsyevr`/`dsyevd`, descending order, `svd_flip(u_based_decision=False)` signs), and projects vectors
// with `dgemm`. File formats: docs/pca-model.md.
//
// References: OpenBLAS CBLAS (https://www.netlib.org/blas/), LAPACKE `dsyevr`/`dsyevd`
// (https://www.netlib.org/lapack/explore-html/), scikit-learn `sklearn/decomposition/_pca.py`.
