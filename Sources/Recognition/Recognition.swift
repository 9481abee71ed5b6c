// Recognition: which fruit is in a photo, from its MobileNetV2 features.
//
// `SoftmaxClassifier` is multinomial logistic regression as scikit-learn's `LogisticRegression`
// (lbfgs solver, L2 penalty, intercept not penalised) fits it, on features standardised as
// `StandardScaler` does. It is trained by a compact L-BFGS (`LBFGS`, Nocedal & Wright 2006, §7.2,
// Algorithm 7.4) with BLAS `dgemm` for the scores and the gradient. `ClassifierBundle` is the file a
// trained classifier is kept in; `Evaluation` scores predictions against true labels.
//
// References: scikit-learn `sklearn/linear_model/_logistic.py` and `_linear_loss.py`,
// J. Nocedal and S. Wright, Numerical Optimization, 2nd ed., Springer 2006.
