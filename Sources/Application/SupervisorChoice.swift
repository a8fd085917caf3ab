import Store

/// `ida run --supervisor`: who decomposes the questions when IA makes its training targets.
public enum SupervisorChoice: String, Codable, CaseIterable, Sendable {
    /// The task's scripted expert H makes every decomposition: every action is an expert call.
    case scripted
    /// H′, a transcript model trained on the expert's demonstrations, makes them; the expert is
    /// called for demonstrations, at a rate that falls as H′ gets good, and (small preset) for
    /// the actions H′ is unsure of.
    case learned
    /// H′ as with `learned`, its demonstrations given by people in the web app (`ida serve`,
    /// which hosts the run); the command line cannot run it.
    case people

    /// The store's spelling: H′ is the supervisor whoever gives its demonstrations.
    public var stored: RunCounters.Supervisor {
        switch self {
        case .scripted: .scripted
        case .learned, .people: .learned
        }
    }
}
