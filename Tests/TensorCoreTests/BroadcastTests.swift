import Testing
@testable import TensorCore

@Suite struct BroadcastTests {
    @Test func outputShapesFollowNumpyRules() {
        #expect(Broadcast.shape([2, 3, 4], [4]) == [2, 3, 4])
        #expect(Broadcast.shape([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(Broadcast.shape([2, 3], [3, 2]) == nil)
    }

    @Test func commonCasesAvoidIndexTables() {
        let out = [2, 3, 4]
        guard case .same = Broadcast(operand: [2, 3, 4], output: out) else { Issue.record("same"); return }
        guard case .suffix(period: 4) = Broadcast(operand: [4], output: out) else { Issue.record("bias"); return }
        guard case .suffix(period: 12) = Broadcast(operand: [1, 3, 4], output: out) else { Issue.record("leading one"); return }
        guard case .prefix(run: 4) = Broadcast(operand: [2, 3, 1], output: out) else { Issue.record("column"); return }
        guard case .table = Broadcast(operand: [2, 1, 4], output: out) else { Issue.record("middle one"); return }
    }

    @Test(arguments: [[2, 1, 4], [1, 3, 1], [3, 1], [1]] as [[Int]])
    func everyModeMapsLikeCoordinateArithmetic(operand: [Int]) {
        let out = [2, 3, 4]
        let broadcast = Broadcast(operand: operand, output: out)
        let padded = Array(repeating: 1, count: 3 - operand.count) + operand
        for i in 0..<24 {
            let coordinate = [i / 12, (i / 4) % 3, i % 4]
            let expected = zip(coordinate, padded).reduce(0) { $0 * $1.1 + ($1.1 == 1 ? 0 : $1.0) }
            #expect(broadcast.index(i) == expected)
        }
    }
}
