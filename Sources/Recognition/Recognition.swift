// Recognition: which fruit is in a photo — the one image→prediction library that `featurize`, `embed`,
// `classify`, `export` and the server share. It depends on Imaging, MobileNet and LinearAlgebra only.
//
// Inference/: `FeaturePool` runs one batch-1 MobileNetV2 per core, checked out per image by any number of
// concurrent callers (a bounded line, then `busy`); `Recognizer` turns image bytes into a `Prediction`
// through a `ClassifierBundle`; `BackboneFile` finds the network a bundle needs and checks its SHA-256.
//
// Training: `SoftmaxClassifier` is multinomial logistic regression as scikit-learn's `LogisticRegression`
// (lbfgs solver, L2 penalty, intercept not penalised) fits it, on features standardised as
// `StandardScaler` does, optionally after a PCA, with class weights, a validation split and early stopping
// (Training/). It is trained by a compact L-BFGS (`LBFGS`, Nocedal & Wright 2006, §7.2, Algorithm 7.4) with
// BLAS `dgemm` for the scores and the gradient. `ClassifierBundle` is the file a trained classifier is kept
// in (with its PCA, backbone identity and optionally the backbone itself); `Evaluation` scores predictions.
//
// References: scikit-learn `sklearn/linear_model/_logistic.py` and `_linear_loss.py`,
// J. Nocedal and S. Wright, Numerical Optimization, 2nd ed., Springer 2006.
