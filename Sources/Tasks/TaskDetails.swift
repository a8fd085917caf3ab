/// What `ida tasks <name>` says about a task beyond its vocabulary: the layouts of facts,
/// questions and answers, the leaf questions, and the expert's decomposition, a line each.
public struct TaskDetails: Hashable, Sendable {
    public var formats: [String]
    public var leaves: [String]
    public var decomposition: [String]

    public init(formats: [String], leaves: [String], decomposition: [String]) {
        self.formats = formats
        self.leaves = leaves
        self.decomposition = decomposition
    }

    /// The details of task `name`, or `nil` for an unknown name.
    public static func of(_ name: String) -> TaskDetails? {
        switch name {
        case "permutation":
            return TaskDetails(
                formats: ["fact      x σ(x)           one per element", "question  x b…             σ^k(x), k in binary (most significant bit first), k ≥ 2", "answer    y                σ^k(x)"],
                leaves: ["x 0…0 b     k ∈ {0, 1}: x itself or σ(x)"],
                decomposition: ["m = k / 2: y = ask(x, m); z = ask(y, m); if k is odd z = ask(z, 1); answer z", "depth = bit-length(k) − 2"])
        case "assignments":
            return TaskDetails(
                formats: ["fact      x v ?…           base variable x := v", "fact      x y z            compound variable x := f(y, z)", "fact      a b c ?…         f(a, b) = c (all-? fillers keep the count fixed)", "question  C x              the value of x", "answer    v ?…"],
                leaves: ["A x         first operand of x (or its value if base)", "B x         second operand of x (or its value if base)", "a b ?…      f(a, b) for values a, b"],
                decomposition: ["y = ask(A x); if y is a value answer it; a = ask(C y)", "z = ask(B x); b = ask(C z); answer ask(a b)", "depth = 0 for a base variable, else 1 + max(depth y, depth z)"])
        case "wildcard":
            return TaskDetails(
                formats: ["fact      s… v             a string and its value ±1", "question  p…               a pattern with 1 or more *", "answer    n                sum of the values of matching strings, clamped"],
                leaves: ["s…          no *: the string's value, 0 when absent"],
                decomposition: ["fill the first * with each letter, ask each, answer the clamped sum", "depth = wildcards − 1"])
        case "shortest-path":
            return TaskDetails(
                formats: ["fact      u v              a directed edge u → v", "question  D a b k          distance a → b if at most k, else inf", "question  S a b k          lowest-named first step of such a path, else inf", "answer    d ?… | c | inf"],
                leaves: ["E a b ?     1 if the edge a → b exists, else ?", "N a i ?…    a's i-th out-neighbour in name order, else ?"],
                decomposition: ["D: E a b yes → 1; k = 1 → inf; c = ask(S a b k); answer 1 + ask(D c b k−1)", "S: E a b yes → b; k = 1 → inf; for each N a i: ask(D c b k−1); answer the nearest c", "depth grows with the horizon k (about 2 per step)"])
        case "union-find":
            return TaskDetails(
                formats: ["fact      r v ?…           r is the root of its class, with value v", "fact      x y              a tree edge x – y", "question  V|P|D x ?…       value, parent, depth of x", "question  R c x            depth of c if its root is not behind neighbour x, else ?", "answer    v ?… | y | d ?…"],
                leaves: ["S x ?…      the value if x is a root, else ?", "N x i ?…    x's i-th tree neighbour in name order, else ?", "x y ?…      0 if x – y is a tree edge, else ?"],
                decomposition: ["V, D: S x is a value → v or 0; y = ask(P x); answer ask(V y) or 1 + ask(D y)", "P: S x a value → x; for each N x i = y: ask(R y x); the first with a depth is the parent", "R: S c a value → 0; as P but skipping x; answer 1 + that depth, else ?"])
        default:
            return nil
        }
    }
}
