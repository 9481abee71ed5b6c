/// Limited-memory BFGS for a smooth, convex objective (Nocedal & Wright 2006, Algorithm 7.4, two-loop
/// recursion 7.5) with a backtracking line search on the Armijo condition.
///
/// Backtracking rather than a full Wolfe search suffices here: the objective is strictly convex (the L2
/// penalty), and a pair whose curvature `sᵀy` is not positive is simply not stored.
struct LBFGS {
    /// Correction pairs kept (scipy's default `maxcor`).
    var memory = 10
    /// Iterations at most.
    var maxIterations = 200
    /// Stop once the largest gradient component, divided by `gradientScale`, is at most this.
    var tolerance = 1e-4
    /// What gradients are divided by before the tolerance test (the row count: scikit-learn minimises
    /// the mean loss, we minimise the sum).
    var gradientScale = 1.0

    /// Where the minimisation ended.
    struct Result {
        var x: [Double]
        var value: Double
        var gradientNorm: Double
        var iterations: Int
        var converged: Bool
        /// Whether the monitor asked to stop.
        var stopped = false
    }

    /// Where an iteration left the minimisation, as the monitor sees it.
    struct Iterate {
        var iteration: Int
        var x: [Double]
        var value: Double
        /// The largest gradient component divided by `gradientScale`.
        var gradientNorm: Double
    }

    /// Minimises `objective` (which returns the value and the gradient) from `start`; `monitor` is
    /// called after each iteration and stops the minimisation by returning false.
    func minimize(
        from start: [Double], objective: ([Double]) -> (Double, [Double]),
        monitor: (Iterate) -> Bool = { _ in true }
    ) -> Result {
        var x = start
        var (f, g) = objective(x)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        func norm(_ g: [Double]) -> Double { g.reduce(0) { max($0, abs($1)) } / gradientScale }
        var iteration = 0
        while iteration < maxIterations {
            if norm(g) <= tolerance { return Result(x: x, value: f, gradientNorm: norm(g), iterations: iteration, converged: true) }
            // Two-loop recursion: direction = -H·g.
            var q = g
            var alpha = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[i] = rho[i] * dot(s[i], q)
                axpy(-alpha[i], y[i], &q)
            }
            let gamma = s.isEmpty ? 1 : dot(s[s.count - 1], y[y.count - 1]) / dot(y[y.count - 1], y[y.count - 1])
            for i in q.indices { q[i] *= gamma }
            for i in 0..<s.count {
                let beta = rho[i] * dot(y[i], q)
                axpy(alpha[i] - beta, s[i], &q)
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction (rounding): restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                direction = g.map { -$0 }
                slope = dot(g, direction)
            }
            // The first step has no curvature to scale it: take a unit-length step, as scipy's L-BFGS-B does.
            var step = s.isEmpty ? min(1, 1 / dot(g, g).squareRoot()) : 1
            var accepted: (x: [Double], f: Double, g: [Double])?
            for _ in 0..<50 {
                var candidate = x
                axpy(step, direction, &candidate)
                let (fc, gc) = objective(candidate)
                if fc.isFinite, fc <= f + 1e-4 * step * slope {
                    accepted = (candidate, fc, gc)
                    break
                }
                step *= 0.5
            }
            guard let next = accepted else {
                return Result(x: x, value: f, gradientNorm: norm(g), iterations: iteration, converged: false)
            }
            iteration += 1
            let sk = zip(next.x, x).map { $0 - $1 }, yk = zip(next.g, g).map { $0 - $1 }
            let previous = f
            (x, f, g) = next
            let curvature = dot(sk, yk)
            if curvature > 1e-10 * dot(yk, yk).squareRoot() * dot(sk, sk).squareRoot() {
                s.append(sk); y.append(yk); rho.append(1 / curvature)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            if !monitor(Iterate(iteration: iteration, x: x, value: f, gradientNorm: norm(g))) {
                return Result(x: x, value: f, gradientNorm: norm(g), iterations: iteration, converged: norm(g) <= tolerance, stopped: true)
            }
            // scikit-learn's `ftol` (64 machine epsilons of relative decrease): no progress left to make.
            if (previous - f) / max(abs(previous), abs(f), 1) <= 64 * Double.ulpOfOne {
                return Result(x: x, value: f, gradientNorm: norm(g), iterations: iteration, converged: norm(g) <= tolerance)
            }
        }
        return Result(x: x, value: f, gradientNorm: norm(g), iterations: iteration, converged: norm(g) <= tolerance)
    }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices { sum += a[i] * b[i] }
    return sum
}

private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += alpha * x[i] }
}
