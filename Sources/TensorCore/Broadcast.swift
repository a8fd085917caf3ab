/// How an operand of a broadcasting op maps output positions to its own positions.
///
/// Numpy rules: shapes align at the right; an axis of extent 1 (or a missing leading axis)
/// repeats. The common cases get index arithmetic without a table: equal shapes, a trailing
/// suffix such as a bias (C) against (B, T, C), and a leading prefix with trailing ones such as
/// (B, T, 1) against (B, T, C).
enum Broadcast {
    case same
    /// Operand repeats every `period` outputs: index = i % period.
    case suffix(period: Int)
    /// Operand holds one value per `run` consecutive outputs: index = i / run.
    case prefix(run: Int)
    /// Any other broadcast: an explicit output-to-operand index table.
    case table([Int])

    @inline(__always)
    func index(_ i: Int) -> Int {
        switch self {
        case .same: i
        case .suffix(let period): i % period
        case .prefix(let run): i / run
        case .table(let table): table[i]
        }
    }

    /// The broadcast output shape of `a` and `b`, or nil when they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(paddedA, paddedB) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        return out
    }

    /// The mapping from positions of `output` to positions of an operand of shape `operand`.
    init(operand: [Int], output: [Int]) {
        let padded = Array(repeating: 1, count: output.count - operand.count) + operand
        let operandCount = operand.reduce(1, *)
        let outputCount = output.reduce(1, *)
        if padded == output {
            self = .same
            return
        }
        if operandCount == 1 {
            self = .suffix(period: 1)
            return
        }
        // Suffix: leading axes of the operand are all 1, the rest equal the output's.
        if let firstReal = padded.firstIndex(where: { $0 != 1 }),
            Array(padded[firstReal...]) == Array(output[firstReal...])
        {
            self = .suffix(period: operandCount)
            return
        }
        // Prefix: trailing axes of the operand are all 1, the rest equal the output's.
        if let lastReal = padded.lastIndex(where: { $0 != 1 }),
            Array(padded[...lastReal]) == Array(output[...lastReal])
        {
            self = .prefix(run: outputCount / operandCount)
            return
        }
        var strides = Array(repeating: 0, count: output.count)
        var step = 1
        for axis in stride(from: output.count - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        var table = [Int](repeating: 0, count: outputCount)
        var coordinate = [Int](repeating: 0, count: output.count)
        for i in 0..<outputCount {
            var offset = 0
            for axis in 0..<output.count { offset += coordinate[axis] * strides[axis] }
            table[i] = offset
            var axis = output.count - 1
            while axis >= 0 {
                coordinate[axis] += 1
                if coordinate[axis] < output[axis] { break }
                coordinate[axis] = 0
                axis -= 1
            }
        }
        self = .table(table)
    }
}
